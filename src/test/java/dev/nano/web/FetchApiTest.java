package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Headers, Request and Response as an app sees them (src/test/resources/apps/fetchapi). */
@QuarkusTest
@TestProfile(TestApps.class)
class FetchApiTest {

    private ValidatableResponse cases;

    @BeforeEach
    void runCases() {
        NanoTest.awaitReady();
        cases = given().header("Host", "fetchapi.test").header("X-Custom", "yes")
                .get("/path?q=1").then().statusCode(200);
    }

    @Test
    void headersAreCaseInsensitiveAndCombineValues() {
        cases.body("headersCaseInsensitive", equalTo("a"))
                .body("headersCombine", equalTo("a, b"))
                .body("headersSortedIteration", contains("a=1", "b=2", "c=3"))
                .body("headersSetCookieApart.list", equalTo(2))
                .body("headersSetCookieApart.cookies", contains("a=1", "b=2"))
                .body("headersValueTrimmed", equalTo("padded"))
                .body("headersSeenTwice", contains("x-seen,v;y,padded", "x-seen,v;y,padded"))
                .body("headersSetReplaces", contains(contains("x", "3")))
                .body("headersDelete", contains(false, true))
                .body("headersForEach", contains("a:1", "b:2"));
    }

    @Test
    void headersRejectInvalidInputWithTypeErrors() {
        cases.body("headersBadName.error", equalTo("TypeError"))
                .body("headersBadName.message", startsWith("Failed to construct 'Headers'"))
                .body("headersBadValue.error", equalTo("TypeError"))
                .body("headersNonByteString.error", equalTo("TypeError"))
                .body("headersValidThenInvalidValue.error", equalTo("TypeError"))
                .body("headersMissingArgs.error", equalTo("TypeError"))
                .body("headersMissingArgs.message",
                        equalTo("Failed to execute 'append' on 'Headers': 2 arguments required, but only 1 present."));
    }

    @Test
    void headersAreBrandChecked() {
        cases.body("headersBrandCheck.error", equalTo("TypeError"))
                .body("headersBrandCheck.message", equalTo("Illegal invocation"))
                .body("headersToStringTag", equalTo("[object Headers]"))
                .body("responseBrandCheck.error", equalTo("TypeError"));
    }

    @Test
    void internalStateIsNotEnumerable() {
        cases.body("internalStateHidden.keys", contains(0, 0, 0, 0))
                .body("internalStateHidden.names", contains(0, 0, 0, 0))
                .body("internalStateHidden.json", equalTo("[{},{}]"))
                .body("internalStateHidden.spread", equalTo(0));
    }

    @Test
    void responseBodiesReadOnce() {
        cases.body("responseDefaults.status", equalTo(200))
                .body("responseDefaults.ok", equalTo(true))
                .body("responseDefaults.statusText", equalTo(""))
                .body("responseDefaults.type", equalTo("default"))
                .body("responseDefaults.bodyUsed", equalTo(false))
                .body("responseTextBody.type", equalTo("text/plain;charset=UTF-8"))
                .body("responseTextBody.text", equalTo("héllo"))
                .body("responseTextBody.used", equalTo(true))
                .body("responseBytesBody", contains(1, 2, 255))
                .body("responseArrayBuffer", equalTo(3))
                .body("responseUtf8Decode", equalTo("hé\uFFFD"))
                .body("responseBodyTwice.error", equalTo("TypeError"))
                .body("responseClone", contains("twice", "twice"));
    }

    @Test
    void responseStaticsAndValidation() {
        cases.body("responseJson.status", equalTo(201))
                .body("responseJson.type", equalTo("application/json"))
                .body("responseJson.xy", equalTo("z"))
                .body("responseJson.body.a", contains(1, 2))
                .body("responseJsonNotSerializable.error", equalTo("TypeError"))
                .body("responseStatusRange.error", equalTo("RangeError"))
                .body("responseNullBodyStatus.error", equalTo("TypeError"))
                .body("responseRedirect.status", equalTo(307))
                .body("responseRedirect.location", equalTo("http://example.com/next"))
                .body("responseRedirectBadStatus.error", equalTo("RangeError"))
                .body("responseError.type", equalTo("error"))
                .body("responseError.status", equalTo(0))
                .body("responseErrorImmutableHeaders.error", equalTo("TypeError"));
    }

    @Test
    void requestsConstructedByTheApp() {
        cases.body("requestConstructed.method", equalTo("POST"))
                .body("requestConstructed.url", equalTo("http://example.com/a?b=1"))
                .body("requestConstructed.a", equalTo("1"))
                .body("requestConstructed.type", equalTo("text/plain;charset=UTF-8"))
                .body("requestConstructed.body", equalTo("payload"))
                .body("requestGetWithBody.error", equalTo("TypeError"))
                .body("requestForbiddenMethod.error", equalTo("TypeError"))
                .body("requestCustomMethodKeepsCase", equalTo("Patch"))
                .body("requestFromRequest.method", equalTo("PUT"))
                .body("requestFromRequest.url", equalTo("http://example.com/x"))
                .body("requestFromRequest.a", equalTo(null))
                .body("requestFromRequest.b", equalTo("2"));
    }

    @Test
    void theIncomingRequestShowsMethodUrlAndHeaders() {
        cases.body("incomingRequest.method", equalTo("GET"))
                .body("incomingRequest.url", equalTo("http://fetchapi.test/path?q=1"))
                .body("incomingRequest.custom", equalTo("yes"))
                .body("incomingRequest.isRequest", equalTo(true))
                .body("incomingGetBody.text", equalTo(""))
                // A GET without a body has a null body, and bodyUsed is false for a null body
                // (https://fetch.spec.whatwg.org/#dom-body-bodyused), even after text().
                .body("incomingGetBody.used", equalTo(false));
    }

    @Test
    void responseHeadersReachTheClientAsTheAppSetThem() {
        Response response = given().header("Host", "fetchapi.test").get("/wire");
        response.then().statusCode(200)
                .body(equalTo("wire"))
                .header("content-length", "4")
                .header("x-empty", "")
                .header("x-late", "yes")
                .header("content-type", "text/plain;charset=UTF-8");
        assertEquals(List.of("a=1", "b=2"), response.headers().getValues("set-cookie"));
    }

    @Test
    void responsesCarryTheCurrentDateUnlessTheAppSetsOne() {
        String date = given().header("Host", "fetchapi.test").get("/wire").then().statusCode(200)
                .extract().header("date");
        Instant sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertTrue(Duration.between(sent, Instant.now()).abs().toSeconds() <= 5, date);

        Response own = given().header("Host", "fetchapi.test").get("/dated");
        own.then().statusCode(200).body(equalTo("dated"));
        assertEquals(List.of("Tue, 01 Jan 2030 00:00:00 GMT"), own.headers().getValues("date"));
    }

    @Test
    void theIncomingBodyIsReadOnce() {
        given().header("Host", "fetchapi.test").body("sent body").post("/")
                .then().statusCode(200)
                .body("text", equalTo("sent body"))
                .body("again.error", equalTo("TypeError"));
    }
}
