package dev.nano.isolate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.LogCapture;
import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A handler that fails answers 500 with a request id, and the failure is logged with the JS stack. */
@QuarkusTest
@TestProfile(TestApps.class)
class ErrorsTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    @Test
    void aSynchronousThrowIs500WithRequestIdAndALoggedStack() {
        try (LogCapture log = LogCapture.of("dev.nano.isolate.RequestScope")) {
            String requestId = given().header("Host", "errors.test").get("/throw-sync").then().statusCode(500)
                    .body("error", equalTo("app_error"))
                    .body("app", equalTo("errors"))
                    .body("message", containsString("kaboom sync"))
                    .body("requestId", matchesPattern("[0-9a-f]+-[0-9a-f]+"))
                    .extract().path("requestId");
            assertTrue(log.records().stream().anyMatch(r -> requestId.equals(r.fields().get("request_id"))
                    && "errors".equals(r.fields().get("app"))
                    && r.message().contains("kaboom sync")
                    && r.message().contains("index.js")), "logged with app, request id and JS stack: " + log.records());
        }
    }

    @Test
    void aRejectedPromiseIs500() {
        given().header("Host", "errors.test").get("/reject").then().statusCode(500)
                .body("error", equalTo("app_error"))
                .body("message", containsString("TypeError: kaboom async"));
    }

    @Test
    void aThrownNonErrorIs500() {
        given().header("Host", "errors.test").get("/throw-string").then().statusCode(500)
                .body("message", containsString("a plain string"));
    }

    @Test
    void aNonResponseIs500() {
        given().header("Host", "errors.test").get("/not-response").then().statusCode(500)
                .body("message", equalTo("the fetch handler returned Object, not a Response"));
        given().header("Host", "errors.test").get("/undefined").then().statusCode(500)
                .body("message", equalTo("the fetch handler returned undefined, not a Response"));
    }

    @Test
    void waitUntilWorkIsTrackedUntilItSettles() throws Exception {
        try (LogCapture log = LogCapture.of("dev.nano.isolate.RequestScope")) {
            given().header("Host", "errors.test").get("/wait-until").then().statusCode(200).body(equalTo("responded"));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
            while (!pendingIsZero() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertTrue(pendingIsZero(), "every waitUntil promise settled");
            assertTrue(log.records().stream().anyMatch(r -> r.message().contains("background failure")),
                    "a rejected waitUntil promise is logged");
        }
    }

    private static boolean pendingIsZero() {
        return given().get(NanoTest.managementUrl("/q/metrics")).asString()
                .contains("nano_waituntil_pending{app=\"errors\"} 0.0");
    }

    @Test
    void consoleCallsBecomeLogRecordsTaggedWithTheApp() {
        try (LogCapture log = LogCapture.of("nano.app")) {
            given().header("Host", "errors.test").get("/console").then().statusCode(200);
            assertTrue(log.records().stream().anyMatch(r -> r.level().equals("INFO")
                    && r.message().equals("console from app { answer: 42 } [ 1, \"two\" ]")
                    && "errors".equals(r.fields().get("app"))
                    && r.fields().get("request_id") != null), "console.log: " + log.records());
            assertTrue(log.records().stream().anyMatch(r -> r.level().equals("WARN")
                    && r.message().equals("careful x=7")), "console.warn with format: " + log.records());
            assertTrue(log.records().stream().anyMatch(r -> r.level().equals("ERROR")
                    && r.message().startsWith("Error: logged error")), "console.error: " + log.records());
        }
    }
}
