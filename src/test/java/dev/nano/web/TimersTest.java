package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.LogCapture;
import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Timers and the event loop (src/test/resources/apps/timers, cpu-limit 1s, response-timeout
 * 2s): order of tasks and microtasks, the loop callbacks run on, what a request owns and loses
 * when it ends, limits per slice, the response deadline, and failures inside callbacks.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class TimersTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    private static io.restassured.specification.RequestSpecification app() {
        return given().header("Host", "timers.test");
    }

    @Test
    void tasksAndMicrotasksRunInHtmlOrder() {
        List<String> log = app().get("/order").then().statusCode(200)
                .body("idsPositive", equalTo(true))
                .extract().jsonPath().getList("log", String.class);
        assertEquals(List.of("sync", "micro", "promise"), log.subList(0, 3), log.toString());
        // A timer waits for those set before it with an equal or shorter timeout (HTML timer
        // steps 12); t10 may come anywhere after the microtasks, since a slow machine can spend
        // 10 ms between setting it and setting the others.
        int t0 = log.indexOf("t0:xy");
        assertTrue(t0 > 0 && t0 < log.indexOf("iv0"), log.toString());
        assertTrue(log.indexOf("iv0") < log.indexOf("iv1") && log.indexOf("iv1") < log.indexOf("iv2"), log.toString());
        assertTrue(log.contains("t10"), log.toString());
        assertFalse(log.contains("cleared"), log.toString());
        assertFalse(log.contains("iv3"), "a cleared interval stops: " + log);
    }

    @Test
    void aStringHandlerRunsAsAScript() {
        app().get("/string-handler").then().statusCode(200).body("value", equalTo(42));
    }

    @Test
    void nestedTimersAreClampedPastTheFifthLevel() {
        // 15 levels, the last ten clamped to 4 ms each.
        app().get("/nesting").then().statusCode(200).body("elapsed", greaterThanOrEqualTo(36));
    }

    @Test
    void timersAndGlobalsFollowWebIdl() {
        app().get("/webidl").then().statusCode(200)
                .body("setTimeout", contains("function", true, true, true))
                .body("queueMicrotask", contains("function", true, true, true))
                .body("queueMicrotaskError", equalTo("TypeError"))
                .body("clearUnknown", equalTo(true));
    }

    @Test
    void callbacksRunOnTheContextsOwnEventLoop() {
        try (LogCapture logs = LogCapture.of("nano.app")) {
            String id = UUID.randomUUID().toString();
            app().get("/thread?id=" + id).then().statusCode(200);
            LogCapture.Captured record = awaitRecord(logs, "thread probe " + id, Duration.ofSeconds(5)).orElseThrow();
            assertTrue(record.thread().startsWith("nano-loop-"), record.thread());
            assertEquals("timers", record.fields().get("app"));
        }
    }

    @Test
    void timersARequestStillOwnsAreCancelledWhenItEnds() throws Exception {
        try (LogCapture logs = LogCapture.of("nano.app")) {
            String id = UUID.randomUUID().toString();
            app().get("/late-timer?id=" + id).then().statusCode(200).body(equalTo("answered"));
            Thread.sleep(700);
            assertFalse(logs.records().stream().anyMatch(r -> r.message().contains(id)),
                    "no timer of an ended request fires: " + logs.records());
        }
    }

    @Test
    void waitUntilKeepsTheRequestsTimersAlive() {
        try (LogCapture logs = LogCapture.of("nano.app")) {
            String id = UUID.randomUUID().toString();
            app().get("/wait-until-timer?id=" + id).then().statusCode(200).body(equalTo("answered"));
            assertTrue(awaitRecord(logs, "waitUntil timer " + id + " fired", Duration.ofSeconds(5)).isPresent());
        }
    }

    @Test
    void waitUntilWorkThatNeverSettlesIsCancelledAfterTheTimeout() throws Exception {
        try (LogCapture appLogs = LogCapture.of("nano.app"); LogCapture runtimeLogs = LogCapture.of("dev.nano")) {
            String id = UUID.randomUUID().toString();
            app().get("/wait-until-forever?id=" + id).then().statusCode(200);
            // The response timeout (2 s) again after the response, then the 3 s timer is gone.
            Thread.sleep(3500);
            assertFalse(appLogs.records().stream().anyMatch(r -> r.message().contains("forever timer " + id)));
            assertTrue(runtimeLogs.records().stream().anyMatch(r -> r.message().contains("did not settle")),
                    runtimeLogs.records().toString());
        }
    }

    @Test
    void eachTimerSliceHasItsOwnCpuLimit() {
        app().get("/cpu-slices").then().statusCode(200).body(equalTo("five slices"));
    }

    @Test
    void aTimerCallbackThatSpinsIsInterrupted() {
        app().get("/cpu-in-timer").then().statusCode(503).body("error", equalTo("cpu_limit_exceeded"));
        app().get("/top-level").then().statusCode(200);
    }

    @Test
    void aHandlerThatNeverAnswersGets504AndLosesItsTimers() throws Exception {
        try (LogCapture logs = LogCapture.of("nano.app")) {
            String id = UUID.randomUUID().toString();
            Instant start = Instant.now();
            app().get("/never?id=" + id).then().statusCode(504)
                    .body("error", equalTo("response_timeout"))
                    .body("app", equalTo("timers"))
                    .body("requestId", notNullValue());
            long took = Duration.between(start, Instant.now()).toMillis();
            assertTrue(took >= 1900 && took < 5000, "answered after " + took + " ms");
            Thread.sleep(1000);
            assertFalse(logs.records().stream().anyMatch(r -> r.message().contains("never timer " + id)));
        }
        app().get("/top-level").then().statusCode(200);
    }

    @Test
    void anExceptionInATimerIsLoggedWithTheRequest() {
        try (LogCapture logs = LogCapture.of("nano.app")) {
            String id = UUID.randomUUID().toString();
            app().get("/throw-in-timer?id=" + id).then().statusCode(200).body(equalTo("still answered"));
            LogCapture.Captured record = awaitRecord(logs, "boom in timer " + id, Duration.ofSeconds(5)).orElseThrow();
            assertTrue(record.message().startsWith("Uncaught Error: boom in timer"), record.message());
            assertEquals("ERROR", record.level());
            assertEquals("timers", record.fields().get("app"));
            assertTrue(record.fields().get("request_id") != null, record.fields().toString());
        }
    }

    @Test
    void anUnhandledRejectionIsLoggedAndTheContextKeepsServing() {
        try (LogCapture logs = LogCapture.of("nano.app")) {
            String id = UUID.randomUUID().toString();
            app().get("/unhandled?id=" + id).then().statusCode(200).body(equalTo("still answered"));
            LogCapture.Captured record = awaitRecord(logs, "nobody handles " + id, Duration.ofSeconds(5)).orElseThrow();
            assertTrue(record.message().startsWith("Unhandled promise rejection: Error: nobody handles"), record.message());
            assertEquals("timers", record.fields().get("app"));
        }
        app().get("/top-level").then().statusCode(200);
    }

    @Test
    void timersTheModuleSetAtTopLevelRunOnceTheAppIsActive() {
        app().get("/top-level").then().statusCode(200).body("topLevelFired", equalTo(true));
    }

    static Optional<LogCapture.Captured> awaitRecord(LogCapture logs, String text, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            Optional<LogCapture.Captured> found = logs.records().stream()
                    .filter(r -> r.message().contains(text)).findFirst();
            if (found.isPresent()) {
                return found;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
