package dev.nano;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Runs the packaged jar the way {@code ./nano run} and the container image do, as a separate
 * process: the optimizing JS runtime is on, extra apps come from quarkus.config.locations,
 * env vars override app env, and SIGTERM lets requests in flight finish before it exits.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedJarIT {
    private static NanoProcess started;
    private static Process nano;
    private static Path log;
    private static int httpPort;
    private static int managementPort;

    @BeforeAll
    static void start() throws Exception {
        started = NanoProcess.start("""
                nano:
                  apps:
                    extra:
                      module: src/test/resources/apps/neighbour/index.js
                      hostnames: [extra.test]
                      env:
                        FROM_EXTRA_FILE: "yes"
                """, Map.of("NANO_APPS_HELLO_ENV_GREETING", "Howdy"));
        nano = started.process;
        log = started.log;
        httpPort = started.httpPort;
        managementPort = started.managementPort;
        awaitReady();
    }

    @AfterAll
    static void stop() {
        if (nano != null && nano.isAlive()) {
            nano.destroyForcibly();
        }
    }

    @Test
    void theOptimizingRuntimeIsActiveInThePackagedJar() throws Exception {
        Response ready = get(managementPort, "/q/health/ready", null);
        assertEquals(200, ready.statusCode(), ready.asString());
        assertTrue("GraalVM CE".equals(ready.path("checks[0].data.engine")), ready.asString());
    }

    @Test
    void appMetersAreRegisteredAfterQuarkusConfiguresItsRegistries() throws Exception {
        // NANO's meters wait for Quarkus to give its registries their filters; before, every start
        // logged Micrometer's "A MeterFilter is being configured after a Meter has been registered".
        String output = Files.readString(log);
        assertFalse(output.contains("MeterFilter is being configured after"), output);
        awaitMetric("nano_requests_inflight{app=\"hello\"} 0.0");
    }

    @Test
    void envVariablesOverrideAppEnv() throws Exception {
        Response hello = get(httpPort, "/", "hello.localhost");
        assertEquals(200, hello.statusCode());
        assertEquals("Howdy from NANO\n", hello.asString());
    }

    @Test
    void appsComeFromExtraConfigFiles() throws Exception {
        Response extra = get(httpPort, "/", "extra.test");
        assertEquals(200, extra.statusCode(), extra.asString());
        assertEquals(List.of("FROM_EXTRA_FILE"), extra.path("envKeys"));
    }

    @Test
    void theAdminApiIsOffWithoutAToken() throws Exception {
        Response admin = get(managementPort, "/admin/apps", null);
        assertEquals(404, admin.statusCode(), admin.asString());
        assertTrue(Files.readString(log).contains("the admin API is off"));
    }

    @Test
    void logsAreJsonWithAccessRecords() throws Exception {
        get(httpPort, "/x", "hello.localhost");
        Instant deadline = Instant.now().plusSeconds(5);
        String lines = "";
        while (Instant.now().isBefore(deadline) && !lines.contains("\"loggerName\":\"nano.access\"")) {
            lines = Files.readString(log);
            Thread.sleep(100);
        }
        assertTrue(lines.lines().anyMatch(line -> line.startsWith("{") && line.contains("\"loggerName\":\"nano.access\"")
                && line.contains("\"app\":\"hello\"") && line.contains("\"path\":\"/x\"")), lines);
    }

    @Test
    void aSecondNanoOnTheSamePortRefusesToStart() throws Exception {
        // Its listening sockets set SO_REUSEPORT, so a plain bind would not fail: NANO checks.
        NanoProcess second = NanoProcess.start(null, Map.of(), httpPort);
        try {
            assertTrue(second.process.waitFor(90, TimeUnit.SECONDS), "the second NANO exits:\n" + second.output());
            assertNotEquals(0, second.process.exitValue(), second.output());
            assertTrue(second.output().contains("port " + httpPort + " is already in use"), second.output());
        } finally {
            second.process.destroyForcibly();
        }
        assertEquals(200, get(httpPort, "/", "hello.localhost").statusCode());
    }

    @Test
    @Order(Integer.MAX_VALUE) // ends the process the other tests use
    void sigtermLetsRequestsInFlightFinishAndTurnsNewOnesAway() throws Exception {
        try (Socket inFlight = new Socket("127.0.0.1", httpPort)) {
            inFlight.setSoTimeout(20_000);
            OutputStream out = inFlight.getOutputStream();
            // The echo app awaits this request's body, which comes only after SIGTERM.
            out.write(("POST /late HTTP/1.1\r\nHost: echo.localhost\r\nContent-Length: 5\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            awaitMetric("nano_requests_inflight{app=\"echo\"} 1.0");

            nano.destroy(); // SIGTERM
            Response turnedAway = awaitShuttingDown();
            assertEquals("close", turnedAway.header("Connection"));

            out.write("later".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = new String(inFlight.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.contains("\"body\":\"later\""), answer);
        }
        assertTrue(nano.waitFor(60, TimeUnit.SECONDS), "NANO exits within 60 s of SIGTERM");
        String output = Files.readString(log);
        assertTrue(output.contains("stopped in"), output);
    }

    private static void awaitMetric(String sample) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        String metrics = "";
        while (Instant.now().isBefore(deadline)) {
            metrics = get(managementPort, "/q/metrics", null).asString();
            if (metrics.lines().anyMatch(line -> line.equals(sample))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no metric sample " + sample + " within 10 s:\n" + metrics);
    }

    /** New requests, each on a new connection, until one is answered 503 shutting_down. */
    private static Response awaitShuttingDown() throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            Response response = get(httpPort, "/", "hello.localhost");
            if (response.statusCode() == 503) {
                assertEquals("shutting_down", response.path("error"), response.asString());
                return response;
            }
            assertEquals(200, response.statusCode(), response.asString());
            Thread.sleep(20);
        }
        throw new AssertionError("no 503 shutting_down within 10 s of SIGTERM");
    }

    private static void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        while (Instant.now().isBefore(deadline)) {
            if (!nano.isAlive()) {
                throw new AssertionError("NANO exited early:\n" + Files.readString(log));
            }
            try {
                if (get(managementPort, "/q/health/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (Exception notYetListening) {
                // Not listening yet; RestAssured throws the ConnectException itself, undeclared.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("NANO was not ready within 180 s:\n" + Files.readString(log));
    }

    private static Response get(int port, String path, String host) {
        RequestSpecification request = RestAssured.given().baseUri("http://127.0.0.1").port(port);
        if (host != null) {
            request.header("Host", host);
        }
        return request.get(path);
    }
}
