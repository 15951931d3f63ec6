package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blob and File as an app sees them (src/test/resources/apps/blob). Expected values follow the
 * File API (https://w3c.github.io/FileAPI/).
 */
@QuarkusTest
@TestProfile(TestApps.class)
class BlobTest {

    @BeforeEach
    void awaitReady() {
        NanoTest.awaitReady();
    }

    /** Runs the named cases of the app (one request per test keeps each well inside the cpu-limit). */
    private static ValidatableResponse cases(String... names) {
        return given().header("Host", "blob.test").queryParam("cases", String.join(",", names)).get("/")
                .then().statusCode(200);
    }

    @Test
    void buildsBlobsFromStringsBuffersViewsAndBlobs() {
        ValidatableResponse cases = cases("emptyBlob", "mixedParts", "partsAreCopied", "stringsAreUSV", "notASequence",
                "conversionOrder");
        cases.body("emptyBlob", contains(0, "", "[object Blob]"))
                .body("mixedParts", contains(9, "éABCDEFG"))
                .body("partsAreCopied", contains(contains(1, 2, 3), contains(1, 9, 3)))
                .body("stringsAreUSV", contains(239, 191, 189))
                .body("notASequence.error", equalTo("TypeError"))
                .body("conversionOrder", contains("p1", "p2", "type", "f1", "name", "lastModified"));
    }

    @Test
    void normalizesTypeAndLineEndings() {
        ValidatableResponse cases = cases("typeNormalized", "endingsNative", "endingsInvalid");
        cases.body("typeNormalized", contains("text/html", "", ""))
                .body("endingsNative", contains("a\nb\nc\n", "a\r\nb"))
                .body("endingsInvalid.error", equalTo("TypeError"));
    }

    @Test
    void slicesWithNegativeAndOutOfRangeIndices() {
        ValidatableResponse cases = cases("slices");
        cases.body("slices", contains("cdefg", "fghi", "fg", "", 9, "", "text/csv", "defg", 2));
    }

    @Test
    void readsAsTextArrayBufferAndBytes() {
        ValidatableResponse cases = cases("arrayBufferAndBytes", "brandChecks");
        cases.body("arrayBufferAndBytes",
                        contains(equalTo(true), equalTo(4), equalTo(List.of(104, 105, 0, 255)), equalTo(true),
                                equalTo(List.of(104, 105, 0, 255))))
                .body("brandChecks.error", contains("TypeError", "TypeError"));
    }

    @Test
    void filesHaveNameAndLastModified() {
        ValidatableResponse cases = cases("file", "fileDefaults", "fileNeedsTwoArguments", "fileFromBlobs");
        cases.body("file", contains("a\uFFFD.txt", 3, "text/plain", 42, true, "[object File]", true))
                .body("fileDefaults", contains("", 0, true))
                .body("fileNeedsTwoArguments.error", equalTo("TypeError"))
                .body("fileFromBlobs", contains("abcd", "bc", false));
    }

    @Test
    void blobsAreBodiesAndBodiesAreBlobs() {
        ValidatableResponse cases = cases("blobBody", "responseBlob", "requestBlob");
        cases.body("blobBody", contains(equalTo("text/html"), equalTo("<b>hi</b>"), nullValue()))
                .body("responseBlob", contains(true, 5, "text/plain;charset=utf-8", "hello", true))
                .body("requestBlob", contains(2, ""));
    }

    /** Until the streams family lands, stream() says plainly that it has no ReadableStream. */
    @Test
    void streamNeedsReadableStream() {
        ValidatableResponse cases = cases("stream");
        String stream = cases.extract().path("stream") instanceof String s ? s : null;
        if (stream != null) {
            cases.body("stream", equalTo("abc"));
        } else {
            cases.body("stream.error", equalTo("TypeError"))
                    .body("stream.message", equalTo(
                            "Blob.stream() needs ReadableStream, which this runtime does not provide yet."));
        }
    }

    @Test
    void installedAsInterfaces() {
        ValidatableResponse cases = cases("globals");
        cases.body("globals", contains(contains("function", false, true), contains("function", false, true)));
    }

    @Test
    void requestBodyAsBlobOverHttp() {
        NanoTest.awaitReady();
        given().header("Host", "blob.test").contentType("Application/Octet-Stream").body(new byte[] {1, 2, 3, 4})
                .post("/echo")
                .then().statusCode(200)
                // The essence lower-cased; RestAssured adds the charset parameter.
                .header("x-type", "application/octet-stream; charset=iso-8859-1")
                .header("x-size", "4")
                .body(equalTo("\u0002\u0003\u0004"));
    }
}
