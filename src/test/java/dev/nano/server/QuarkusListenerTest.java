package dev.nano.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With Quarkus's own listener on (as in dev mode, for live reload), NANO's router is a route on
 * it instead of NANO's own server, and the apps answer the same.
 */
@QuarkusTest
@TestProfile(QuarkusListenerTest.OnQuarkusListener.class)
class QuarkusListenerTest {

    public static class OnQuarkusListener extends TestApps {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("quarkus.http.host-enabled", "true");
            return config;
        }
    }

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    @Test
    void appsAnswerThroughQuarkusRouter() {
        given().header("Host", "hello.localhost").get("/").then().statusCode(200)
                .body(equalTo("Hello from NANO\n"));
        given().header("Host", "nobody.test").get("/").then().statusCode(404)
                .body("error", equalTo("no_app"));
    }
}
