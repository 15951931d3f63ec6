package dev.nano.isolate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
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

    @Test
    void otherAppsAnswerWhileOneSpins() throws Exception {
        Thread spinner = Thread.ofPlatform().start(() ->
                given().header("Host", "limits.test").get("/spin").then().statusCode(503));
        Thread.sleep(50);
        given().header("Host", "neighbour.test").get("/").then().statusCode(200);
        spinner.join();
        given().header("Host", "hello.localhost").get("/").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("from NANO"));
        assertTrue(kills("cpu") > 0);
        given().get(NanoTest.managementUrl("/q/metrics")).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("nano_limit_kills_total{app=\"limits\",limit=\"cpu\"}"));
    }

    static double kills(String limit) {
        String metrics = given().get(NanoTest.managementUrl("/q/metrics")).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("nano_limit_kills_total\\{app=\"limits\",limit=\"" + limit + "\"} ([0-9.]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
