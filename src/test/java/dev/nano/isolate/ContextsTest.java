package dev.nano.isolate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An app capped at one context serves requests from every event loop in that context. */
@QuarkusTest
@TestProfile(TestApps.class)
class ContextsTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    @Test
    void requestsOnOtherEventLoopsHopToTheOneContext() {
        Set<String> contexts = new HashSet<>();
        // A new connection per request: Vert.x spreads connections over its event loops.
        for (int i = 0; i < 8; i++) {
            String body = "payload-" + i;
            contexts.add(given().header("Host", "hop.test").header("Connection", "close").body(body)
                    .post("/").then().statusCode(200)
                    .body("body", equalTo(body))
                    .extract().path("contextId"));
        }
        assertEquals(1, contexts.size(), "one context served every request: " + contexts);
    }

    @Test
    void appsGetOneContextPerEventLoopByDefault() {
        Set<String> contexts = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            contexts.add(given().header("Host", "neighbour.test").header("Connection", "close").get("/")
                    .then().statusCode(200).extract().path("contextId"));
        }
        assertTrue(contexts.size() > 1 || Runtime.getRuntime().availableProcessors() == 1,
                "requests on different event loops ran in different contexts: " + contexts);
    }
}
