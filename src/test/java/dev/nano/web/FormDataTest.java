package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.builder.MultiPartSpecBuilder;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FormData (https://xhr.spec.whatwg.org/#interface-formdata) and formData() of the Body mixin
 * (src/test/resources/apps/formdata): in-app cases, and real multipart and urlencoded bodies
 * sent over HTTP. Bodies over quarkus.http.limits.max-body-size (64K in tests) never reach the
 * parser; a body may have at most 1000 parts (MultipartOps.MAX_PARTS).
 */
@QuarkusTest
@TestProfile(TestApps.class)
class FormDataTest {

    private ValidatableResponse cases;

    @BeforeEach
    void runCases() {
        NanoTest.awaitReady();
        cases = given().header("Host", "formdata.test").get("/").then().statusCode(200);
    }

    @Test
    void keepsAnOrderedListOfEntries() {
        cases.body("appendGetAll", contains(equalTo("1"), contains("1", "3"), equalTo(true), equalTo(false),
                        equalTo(null), equalTo(List.of())))
                .body("setAndDelete", contains(contains(contains("a", "4"), contains("b", "2")),
                        contains(contains("b", "2"))))
                .body("iteration[0]", contains("x", "y"))
                .body("iteration[1]", contains("1", "2"))
                .body("iteration[3]", contains(contains("x", "1", true), contains("y", "2", true)))
                .body("iteration[4]", equalTo("[object FormData Iterator]"));
    }

    @Test
    void convertsArgumentsAsWebIdlSays() {
        cases.body("conversions", contains(contains("1", "2"), contains("lone\uFFFD", "obj"), contains("n", "null")))
                .body("thirdArgumentNeedsBlob.error", equalTo("TypeError"))
                .body("needsArguments.error", equalTo("TypeError"))
                .body("noFormElement.error", equalTo("TypeError"))
                .body("brand.error", equalTo("TypeError"))
                .body("globals", contains("function", false, "function", true));
    }

    @Test
    void blobValuesBecomeFiles() {
        cases.body("blobBecomesFile", contains(true, "blob", "text/plain", 3, "x.bin", true, "new.txt", 7, false));
    }

    @Test
    void roundTripsThroughAMultipartBody() {
        cases.body("roundTrip[0]", equalTo(true))
                .body("roundTrip[1][0]", contains("text", "line1\r\nline2\r\nline3"))
                .body("roundTrip[1][1]", contains("quote%22d%0D%0Aname", "v"))
                .body("roundTrip[1][2][1].name", equalTo("résumé %221%22.txt"))
                .body("roundTrip[1][2][1].text", equalTo("file body\r\n--not-a-boundary"))
                .body("roundTrip[1][3][1].name", equalTo("blob"))
                .body("roundTrip[1][3][1].type", equalTo("application/octet-stream"))
                .body("roundTrip[1][3][1].size", equalTo(4))
                .body("requestFromFormData", contains(equalTo(true), contains(contains("k", "v"))));
    }

    @Test
    void parsesUrlencodedBodies() {
        cases.body("urlencoded", contains(contains("a", "1"), contains("b", "é x"), contains("a", "2"),
                        contains("c", "")))
                .body("fromURLSearchParams", contains(contains("q", "1"), contains("r", "2")));
    }

    @Test
    void parsesMultipartEdgeCases() {
        cases.body("quotedBoundary", contains(contains("k", "v")))
                .body("preambleAndEpilogue[0]", contains("k", ""))
                .body("preambleAndEpilogue[1][1].type", equalTo("text/plain"))
                .body("preambleAndEpilogue[1][1].text", equalTo("no type"));
    }

    @Test
    void rejectsWhatIsNotFormData() {
        cases.body("wrongContentType.error", equalTo("TypeError"))
                .body("noBoundary.error", equalTo("TypeError"))
                .body("missingClose.error", equalTo("TypeError"))
                .body("missingClose.message", containsString("not closed by a multipart boundary"))
                .body("missingDisposition.error", equalTo("TypeError"))
                .body("tooManyParts.error", equalTo("TypeError"))
                .body("tooManyParts.message", containsString("more than 1000 parts"))
                .body("usedBody.error", equalTo("TypeError"));
    }

    @Test
    void parsesARealMultipartRequest() {
        given().header("Host", "formdata.test")
                .multiPart(new MultiPartSpecBuilder("Grüße").controlName("title").charset(StandardCharsets.UTF_8)
                        .build())
                .multiPart("upload", "notes.txt", "line one\nline two".getBytes(StandardCharsets.UTF_8), "text/plain")
                .multiPart("data", "data.bin", new byte[] {0, 1, 2, 3, 4}, "application/octet-stream")
                .post("/parse")
                .then().statusCode(200)
                .body("entries[0]", contains("title", "Grüße"))
                .body("entries[1][0]", equalTo("upload"))
                .body("entries[1][1].file", equalTo(true))
                .body("entries[1][1].name", equalTo("notes.txt"))
                .body("entries[1][1].type", equalTo("text/plain"))
                .body("entries[1][1].text", equalTo("line one\nline two"))
                .body("entries[2][1].name", equalTo("data.bin"))
                .body("entries[2][1].type", equalTo("application/octet-stream"))
                .body("entries[2][1].size", equalTo(5));
    }

    @Test
    void parsesARealUrlencodedRequest() {
        given().header("Host", "formdata.test")
                .contentType("application/x-www-form-urlencoded")
                .body("name=J%C3%BCrgen+K&tag=a&tag=b")
                .post("/parse")
                .then().statusCode(200)
                .body("entries", contains(contains("name", "Jürgen K"), contains("tag", "a"), contains("tag", "b")));
    }

    @Test
    void malformedMultipartIsATypeError() {
        given().header("Host", "formdata.test")
                .contentType("multipart/form-data; boundary=XyZ")
                .body("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno closing delimiter"
                        .getBytes(StandardCharsets.UTF_8))
                .post("/parse")
                .then().statusCode(400)
                .body("error", equalTo("TypeError"))
                .body("message", startsWith("Could not parse content as FormData"));
        given().header("Host", "formdata.test")
                .contentType("multipart/form-data; boundary=XyZ")
                .body("--XyZ\r\nContent-Disposition: attachment\r\n\r\nx\r\n--XyZ--\r\n".getBytes(StandardCharsets.UTF_8))
                .post("/parse")
                .then().statusCode(400)
                .body("error", equalTo("TypeError"));
    }

    @Test
    void anOversizedPartNeverReachesTheParser() {
        byte[] big = new byte[70 * 1024];
        given().header("Host", "formdata.test")
                .multiPart("big", "big.bin", big, "application/octet-stream")
                .post("/parse")
                .then().statusCode(413);
    }

    /** The client splits the response at its boundary and finds both entries. */
    @Test
    void aResponseFromFormDataIsMultipart() {
        Response response = given().header("Host", "formdata.test").get("/respond");
        response.then().statusCode(200).header("content-type", startsWith("multipart/form-data; boundary="));
        String boundary = response.header("content-type").substring("multipart/form-data; boundary=".length());
        String body = new String(response.asByteArray(), StandardCharsets.UTF_8);
        assertTrue(body.endsWith("--" + boundary + "--\r\n"), body);
        List<String> parts = new ArrayList<>(List.of(body.split("--" + boundary + "(\r\n|--\r\n)")));
        parts.removeIf(String::isEmpty);
        assertEquals(List.of(
                "Content-Disposition: form-data; name=\"greeting\"\r\n\r\nhello\r\nworld\r\n",
                "Content-Disposition: form-data; name=\"upload\"; filename=\"notes.txt\"\r\n"
                        + "Content-Type: text/plain\r\n\r\nfile contents\r\n"), parts);
    }
}
