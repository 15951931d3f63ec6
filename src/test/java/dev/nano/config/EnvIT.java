package dev.nano.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoProcess;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Env from the process environment, as an operator sets it on the packaged jar: an environment
 * variable replaces the YAML key of the same name (its case kept), the prod profile applies,
 * {@code NANO_APPS_<APP>_EXTRA_ENV} carries names a variable cannot express, and the admin
 * token can come from the environment too. A bad env stops the start, naming app and key.
 */
class EnvIT {

    private static NanoProcess nano;

    @BeforeAll
    static void start() throws Exception {
        nano = NanoProcess.start("""
                nano:
                  apps:
                    envbar:
                      module: src/test/resources/apps/env/index.js
                      hostnames: [envbar.test]
                      env:
                        API_KEY: from-yaml
                        api_lower: from-yaml
                        MODE: no profile
                        KEPT: kept
                "%prod":
                  nano:
                    apps:
                      envbar:
                        env:
                          MODE: prod profile
                """, Map.of(
                "NANO_APPS_ENVBAR_ENV_API_KEY", "from-env",
                "NANO_APPS_ENVBAR_ENV_API_LOWER", "lower-from-env",
                "NANO_APPS_ENVBAR_ENV_NOT_IN_YAML", "ignored",
                "NANO_APPS_ENVBAR_EXTRA_ENV", "{\"api-key\":\"dashed\",\"Mixed.Case\":\"json:[1]\"}",
                "NANO_ADMIN_TOKEN", "it-admin-token"));
        awaitReady();
    }

    @AfterAll
    static void stop() {
        if (nano != null) {
            nano.process.destroyForcibly();
        }
    }

    @Test
    void environmentVariablesReplaceYamlKeysKeepingTheirCase() {
        Response env = get(nano.httpPort, "/", "envbar.test", null);
        assertEquals(200, env.statusCode(), env.asString());
        assertEquals(List.of("KEPT", "MODE", "Mixed.Case", "API_KEY", "api-key", "api_lower").stream().sorted().toList(),
                env.<List<String>>path("keys").stream().sorted().toList(), env.asString());
        assertEquals("from-env", env.path("values.API_KEY"));
        assertEquals("lower-from-env", env.path("values.api_lower"));
        assertEquals("prod profile", env.path("values.MODE"));
        assertEquals("kept", env.path("values.KEPT"));
        assertEquals("dashed", env.path("values.api-key"));
        assertEquals(List.of(1), env.path("values.'Mixed.Case'"));
    }

    @Test
    void theAdminTokenMayComeFromTheEnvironment() {
        assertEquals(401, get(nano.managementPort, "/admin/apps/envbar", null, null).statusCode());
        Response app = get(nano.managementPort, "/admin/apps/envbar", null, "it-admin-token");
        assertEquals(200, app.statusCode(), app.asString());
        assertEquals(1, (int) app.path("env.version"));
        assertFalse(app.asString().contains("from-env"), app.asString());
    }

    @Test
    void anInvalidEnvStopsTheStartNamingAppAndKeyButNotTheValue() throws Exception {
        NanoProcess bad = NanoProcess.start("""
                nano:
                  apps:
                    badenv:
                      module: src/test/resources/apps/env/index.js
                      hostnames: [badenv.test]
                      env:
                        GOOD: fine
                        BROKEN: "json:{\\"leaky-value-123\\": "
                """, Map.of());
        try {
            assertTrue(bad.process.waitFor(90, TimeUnit.SECONDS), "NANO refuses to start:\n" + bad.output());
            assertNotEquals(0, bad.process.exitValue(), bad.output());
            String output = bad.output();
            assertTrue(output.contains("app badenv has an invalid env: key 'BROKEN'"), output);
            assertFalse(output.contains("leaky-value-123"), output);
        } finally {
            bad.process.destroyForcibly();
        }
    }

    private static void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
        while (Instant.now().isBefore(deadline)) {
            if (!nano.process.isAlive()) {
                throw new AssertionError("NANO exited early:\n" + Files.readString(nano.log));
            }
            try {
                if (get(nano.managementPort, "/q/health/ready", null, null).statusCode() == 200) {
                    return;
                }
            } catch (Exception notYetListening) {
                // RestAssured throws the ConnectException itself, undeclared.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("NANO was not ready within 240 s:\n" + Files.readString(nano.log));
    }

    private static Response get(int port, String path, String host, String token) {
        RequestSpecification request = RestAssured.given().baseUri("http://127.0.0.1").port(port);
        if (host != null) {
            request.header("Host", host);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.get(path);
    }
}
