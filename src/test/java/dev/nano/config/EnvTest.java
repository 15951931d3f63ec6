package dev.nano.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.LogCapture;
import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An app's {@code env} from configuration: profiles, {@code ${...}} expressions, JSON values,
 * secret files and their rotation, freezing and isolation (apps env, envtwin and envrotate, all
 * on src/test/resources/apps/env; their config is in TestApps). Environment-variable overrides
 * need a process of their own: EnvIT.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class EnvTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    private static Response env(String app, String path) {
        return given().header("Host", app + ".test").get(path);
    }

    @Test
    void envHoldsExactlyTheConfiguredKeysAndSecretFiles() {
        env("env", "/").then().statusCode(200)
                .body("keys", contains("API_TOKEN", "CONFIG", "DB_PASSWORD", "DEFAULTED", "EXPANDED", "GREETING",
                        "PROFILED", "tls.crt"))
                .body("values.GREETING", equalTo("hello"))
                .body("values.'tls.crt'", equalTo("dotted"));
    }

    @Test
    void theActiveProfileWinsAndOtherProfilesAddNothing() {
        env("env", "/").then().statusCode(200)
                .body("values.PROFILED", equalTo("test profile"))
                .body("keys", not(contains("PROD_ONLY")));
    }

    @Test
    void expressionsAreExpanded() {
        env("env", "/").then().statusCode(200)
                .body("values.EXPANDED", equalTo("hello-world"))
                .body("values.DEFAULTED", equalTo("fallback"));
    }

    @Test
    void jsonMarkedValuesArriveParsedAndDeepFrozen() {
        env("env", "/json").then().statusCode(200)
                .body("type", equalTo("object"))
                .body("config.retries", equalTo(3))
                .body("config.nested.on", equalTo(true))
                .body("config.list", contains(1, 2))
                .body("deepFrozen", equalTo(true));
    }

    @Test
    void secretFilesAreKeysWithOneTrailingNewlineDropped() {
        env("env", "/").then().statusCode(200)
                .body("values.DB_PASSWORD", equalTo("s3cr3t-db-one"))
                .body("values.API_TOKEN", equalTo("tok-initial-value"));
    }

    @Test
    void envIsFrozenWithANullPrototypeAgainstEveryTrick() {
        env("env", "/freeze").then().statusCode(200)
                .body("write", equalTo("TypeError"))
                .body("add", equalTo("TypeError"))
                .body("delete", equalTo("TypeError"))
                .body("define", equalTo("TypeError"))
                .body("setPrototype", equalTo("TypeError"))
                .body("protoAssign", equalTo("TypeError"))
                .body("assign", equalTo("TypeError"))
                .body("nestedWrite", equalTo("TypeError"))
                .body("nestedPush", equalTo("TypeError"))
                .body("frozen", equalTo(true))
                .body("nullPrototype", equalTo(true))
                .body("pollutedVisible", equalTo(false))
                .body("injectedVisible", equalTo(false))
                .body("unchanged", equalTo(true));
        env("env", "/").then().body("values.GREETING", equalTo("hello"));
    }

    @Test
    void noProcessEnvAndNoHostVariables() {
        env("env", "/process").then().statusCode(200)
                .body("process", equalTo("undefined"))
                .body("globalProcess", equalTo("undefined"))
                .body("processInEnv", equalTo(false))
                .body("hostVariables", empty());
    }

    @Test
    void appsSeeOnlyTheirOwnEnv() {
        env("envtwin", "/").then().statusCode(200)
                .body("keys", contains("OTHER"))
                .body("values.OTHER", equalTo("twin only"));
        env("env", "/").then().body("keys", not(containsInAnyOrder("OTHER")));
        // The neighbour app has no env at all, and nothing of env's leaks into it.
        given().header("Host", "neighbour.test").get("/").then().body("envKeys", empty());
    }

    @Test
    void secretValuesAreRedactedFromErrorBodiesAndLogs() {
        try (LogCapture logs = LogCapture.of("")) {
            Response failed = env("env", "/throw-secret");
            assertEquals(500, failed.statusCode(), failed.asString());
            assertTrue(failed.asString().contains("cannot reach the database with [redacted]"), failed.asString());
            assertFalse(failed.asString().contains("s3cr3t-db-one"), failed.asString());
            List<String> messages = logs.records().stream().map(LogCapture.Captured::message).toList();
            assertTrue(messages.stream().anyMatch(m -> m.contains("[redacted]")), messages.toString());
            assertFalse(messages.stream().anyMatch(m -> m.contains("s3cr3t-db-one")), messages.toString());
        }
    }

    @Test
    void rotatedSecretFilesMakeANewVersionWithoutLoggingValues() throws Exception {
        long before = version("envrotate");
        env("envrotate", "/").then().body("values.ROTATING", equalTo("rotating-secret-one"))
                .body("values.PLAIN", equalTo("plain"));
        try (LogCapture logs = LogCapture.of("")) {
            SecretsFixture.write(SecretsFixture.ROTATE, "..2026_12_03_00_00_01.000000002",
                    Map.of("ROTATING", "rotating-secret-two", "ADDED_LATER", "added-secret-value"));
            Response seen = awaitValue("envrotate", "ROTATING", "rotating-secret-two");
            assertEquals("added-secret-value", seen.path("values.ADDED_LATER"));
            assertEquals("plain", seen.path("values.PLAIN"));
            assertTrue(version("envrotate") > before);
            List<String> messages = logs.records().stream().map(LogCapture.Captured::message).toList();
            assertTrue(messages.stream().anyMatch(m -> m.contains("app envrotate: env version")
                    && m.contains("ROTATING") && m.contains("ADDED_LATER")), messages.toString());
            assertFalse(messages.stream().anyMatch(m -> m.contains("rotating-secret") || m.contains("added-secret")),
                    messages.toString());
        }
        given().get(NanoTest.managementUrl("/q/metrics")).then()
                .body(containsString("nano_env_version{app=\"envrotate\"}"))
                .body(not(containsString("rotating-secret")));
    }

    private static long version(String app) {
        return given().header("Authorization", "Bearer test-admin-token")
                .get(NanoTest.managementUrl("/admin/apps/" + app)).then().statusCode(200)
                .extract().jsonPath().getLong("env.version");
    }

    private static Response awaitValue(String app, String key, String value) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        Response last = null;
        while (Instant.now().isBefore(deadline)) {
            last = env(app, "/");
            if (value.equals(last.path("values." + key))) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("app " + app + " did not see the new " + key + " within 10 s: " + last.asString());
    }
}
