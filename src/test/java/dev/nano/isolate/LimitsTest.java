package dev.nano.isolate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The limits app runs with cpu-limit 1s and memory-limit 64M (see TestApps): 1 s so that on a loaded machine the allocation bomb reaches 64M before the CPU limit. */
@QuarkusTest
@TestProfile(TestApps.class)
class LimitsTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    @Test
    void anEndlessLoopIsInterruptedAndTheAppKeepsServing() {
        double before = kills("cpu");
        given().header("Host", "limits.test").get("/spin").then().statusCode(503)
                .body("error", equalTo("cpu_limit_exceeded"))
                .body("app", equalTo("limits"))
                .body("requestId", notNullValue());
        given().header("Host", "limits.test").get("/").then().statusCode(200).body(equalTo("still fine"));
        assertTrue(kills("cpu") >= before + 1, "the CPU-limit kill is counted");
    }

    @Test
    void aLoopInAMicrotaskIsInterruptedToo() {
        given().header("Host", "limits.test").get("/spin-after-await").then().statusCode(503)
                .body("error", equalTo("cpu_limit_exceeded"));
        given().header("Host", "limits.test").get("/").then().statusCode(200);
    }

    @Test
    void anAllocationBombIsInterruptedAndTheAppKeepsServing() {
        double before = kills("memory");
        given().header("Host", "limits.test").get("/alloc").then().statusCode(503)
                .body("error", equalTo("memory_limit_exceeded"));
        given().header("Host", "limits.test").get("/").then().statusCode(200).body(equalTo("still fine"));
        assertTrue(kills("memory") >= before + 1, "the memory-limit kill is counted");
    }

    /**
     * While the limits app spins (in flight, checked on the gauge, not assumed after a sleep),
     * another app answers: at once from another loop, or, on the spinner's own loop, as soon as
     * the watchdog has stopped the spin, so within the cpu-limit (300 ms) and a margin. The
     * spinner's 503 is asserted here, and exactly one more cpu kill is counted.
     */
    @Test
    void otherAppsAnswerWhileOneSpins() throws Exception {
        double before = kills("cpu");
        CompletableFuture<Integer> spinner = CompletableFuture.supplyAsync(() ->
                given().header("Host", "limits.test").get("/spin").statusCode());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (inFlight("limits") < 1 && !spinner.isDone() && Instant.now().isBefore(deadline)) {
            Thread.sleep(5);
        }
        assertTrue(inFlight("limits") >= 1 || spinner.isDone(), "the spinning request reached the app");
        long start = System.nanoTime();
        given().header("Host", "neighbour.test").get("/").then().statusCode(200);
        long neighbourMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(neighbourMillis < 5_000, "the neighbour answered in " + neighbourMillis + " ms");
        assertEquals(503, spinner.get(60, TimeUnit.SECONDS), "the spinning request is stopped with a 503");
        given().header("Host", "hello.localhost").get("/").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("from NANO"));
        assertEquals(before + 1, kills("cpu"), "exactly this spin's cpu kill is counted");
    }

    static double inFlight(String app) {
        String metrics = given().get(NanoTest.managementUrl("/q/metrics")).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("nano_requests_inflight\\{app=\"" + app + "\"} ([0-9.]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static double kills(String limit) {
        String metrics = given().get(NanoTest.managementUrl("/q/metrics")).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("nano_limit_kills_total\\{app=\"limits\",limit=\"" + limit + "\"} ([0-9.]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
