package dev.nano.isolate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nano.CpuAffinity;
import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An app capped at one context serves requests from every event loop in that context. */
@QuarkusTest
@TestProfile(TestApps.class)
class ContextsTest {

    @Inject
    EventLoops eventLoops;

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    @Test
    void requestsOnOtherEventLoopsHopToTheOneContext() throws Exception {
        Set<String> contexts = new HashSet<>();
        // New connections from every CPU: each CPU's connections go to its own event loop.
        forEachLoop(() -> {
            for (int i = 0; i < 4; i++) {
                String body = "payload-" + i;
                contexts.add(given().header("Host", "hop.test").header("Connection", "close").body(body)
                        .post("/").then().statusCode(200)
                        .body("body", equalTo(body))
                        .extract().path("contextId"));
            }
        });
        assertEquals(1, contexts.size(), "one context served every request: " + contexts);
    }

    @Test
    void appsGetOneContextPerEventLoopByDefault() throws Exception {
        Set<String> contexts = new HashSet<>();
        forEachLoop(() -> {
            for (int i = 0; i < 4; i++) {
                contexts.add(given().header("Host", "neighbour.test").header("Connection", "close").get("/")
                        .then().statusCode(200).extract().path("contextId"));
            }
        });
        assertEquals(Math.min(eventLoops.loops().size(), Runtime.getRuntime().availableProcessors()), contexts.size(),
                "requests on different event loops ran in different contexts: " + contexts);
    }

    private void forEachLoop(CpuAffinity.Action requests) throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        for (int loop = 0; loop < eventLoops.loops().size() && loop < cpus; loop++) {
            CpuAffinity.runOn(loop, requests);
        }
    }
}
