package dev.nano.observe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.LogCapture;
import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Health, metrics and access logs as an operator reads them. */
@QuarkusTest
@TestProfile(TestApps.class)
class ObservabilityTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    @Test
    void livenessIsUp() {
        given().get(NanoTest.managementUrl("/q/health/live")).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theOptimizingJsRuntimeIsActive() {
        given().get(NanoTest.managementUrl("/q/health/ready")).then().statusCode(200)
                .body("checks.find { it.name == 'nano-apps' }.data.engine", not(equalTo("Interpreted")))
                .body("checks.find { it.name == 'nano-apps' }.data.engine", equalTo("GraalVM CE"));
    }

    @Test
    void requestsAreCountedByAppAndStatusWithLatencyAndInFlight() {
        given().header("Host", "hello.localhost").get("/").then().statusCode(200);
        given().header("Host", "errors.test").get("/throw-sync").then().statusCode(500);
        given().get(NanoTest.managementUrl("/q/metrics")).then().statusCode(200)
                .body(containsString("nano_requests_total{app=\"hello\",status=\"200\"}"))
                .body(containsString("nano_requests_total{app=\"errors\",status=\"500\"}"))
                .body(containsString("nano_request_duration_seconds_bucket{app=\"hello\",le="))
                .body(containsString("nano_requests_inflight{app=\"hello\"}"));
    }

    @Test
    void everyRequestWritesOneAccessRecord() throws InterruptedException {
        try (LogCapture log = LogCapture.of("nano.access")) {
            given().header("Host", "echo.localhost").get("/some/path?x=1").then().statusCode(200);
            // The record is written just after the response is sent.
            for (int i = 0; i < 50 && log.records().isEmpty(); i++) {
                Thread.sleep(20);
            }
            assertTrue(log.records().stream().anyMatch(r -> "echo".equals(r.fields().get("app"))
                    && "GET".equals(r.fields().get("method"))
                    && "/some/path?x=1".equals(r.fields().get("path"))
                    && "200".equals(r.fields().get("status"))
                    && r.fields().get("duration_ms") != null
                    && r.fields().get("request_id") != null), "access record: " + log.records());
        }
    }
}
