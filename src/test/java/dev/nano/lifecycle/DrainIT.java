package dev.nano.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoProcess;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Process shutdown of the packaged service, as a load balancer and its clients see it: requests,
 * streamed bodies and ctx.waitUntil work in flight at SIGTERM complete; readiness goes DOWN at
 * once; new connections are refused after the shutdown delay; the process exits promptly with
 * one summary line; work that outlives nano.drain-timeout is cut and logged.
 */
class DrainIT {

    private static final String SLOW_APP = """
            quarkus:
              shutdown:
                delay: %s
            nano:
              drain-timeout: %s
              apps:
                hello:
                  warmup-requests: 0
                json-api:
                  warmup-requests: 0
                slow:
                  module: src/test/resources/apps/slow/index.js
                  hostnames: [slow.test]
            """;

    /**
     * Multiplies the timing bounds (100 ms to readiness DOWN, 1 s from the last response to the
     * exit) on a machine too loaded to meet them: -Dnano.it.timing-slack=3.
     */
    private static final double SLACK = Double.parseDouble(System.getProperty("nano.it.timing-slack", "1"));

    private static NanoProcess graceful;
    private static NanoProcess cutting;

    @BeforeAll
    static void start() throws Exception {
        graceful = NanoProcess.start(SLOW_APP.formatted("1s", "10s"), Map.of());
        cutting = NanoProcess.start(SLOW_APP.formatted("0s", "1s"), Map.of());
        awaitReady(graceful);
        awaitReady(cutting);
    }

    @AfterAll
    static void stop() {
        for (NanoProcess nano : new NanoProcess[] {graceful, cutting}) {
            if (nano != null && nano.process.isAlive()) {
                nano.process.destroyForcibly();
            }
        }
    }

    @Test
    void everythingInFlightAtSigtermCompletesAndTheProcessExitsPromptly() throws Exception {
        int port = graceful.httpPort;
        // Warm the handler and the client paths, and leave one keep-alive connection idle.
        assertEquals(200, RawHttp.get(port, "slow.test", "/sleep?ms=1").status());
        RawHttp idle = new RawHttp(port);
        idle.send("GET", "slow.test", "/", "");
        assertEquals(200, idle.read().status());

        ExecutorService clients = Executors.newFixedThreadPool(24);
        List<Future<RawHttp.Answer>> slow = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            slow.add(clients.submit(() -> RawHttp.get(port, "slow.test", "/sleep?ms=2000")));
        }
        Future<RawHttp.Answer> stream = clients.submit(() -> RawHttp.get(port, "slow.test", "/stream?ms=2000"));
        Future<RawHttp.Answer> waitUntil = clients.submit(() -> RawHttp.get(port, "slow.test",
                "/waituntil?ms=2000&tag=drain-it"));
        awaitMetric(graceful, "nano_requests_open{app=\"slow\"} 22.0");

        CompletableFuture<Long> exitedAt = graceful.process.onExit().thenApply(ended -> System.nanoTime());
        long sigterm = System.nanoTime();
        graceful.process.destroy();
        long downAfter = awaitNotReady(graceful) - sigterm;

        // During the delay NANO still serves, and tells the client to go elsewhere next time.
        RawHttp.Answer duringDelay = RawHttp.get(port, "slow.test", "/");
        assertEquals(200, duringDelay.status());
        assertEquals("close", duringDelay.header("connection"));

        // After it, the listening sockets are gone: new connections are refused.
        long refusedAt = awaitRefused(port, sigterm + TimeUnit.SECONDS.toNanos(4));
        assertTrue(refusedAt - sigterm >= TimeUnit.MILLISECONDS.toNanos(900), "refused only after the delay");
        assertTrue(idle.closedByServer(), "the idle keep-alive connection was closed");

        long last = 0;
        for (Future<RawHttp.Answer> each : slow) {
            RawHttp.Answer answer = each.get(30, TimeUnit.SECONDS);
            assertEquals(200, answer.status(), answer.body());
            assertEquals("slept 2000", answer.body());
            last = Math.max(last, answer.atNanos());
        }
        RawHttp.Answer streamed = stream.get(30, TimeUnit.SECONDS);
        assertEquals(200, streamed.status());
        assertTrue(streamed.body().contains("chunk 9"), streamed.body());
        last = Math.max(last, streamed.atNanos());
        assertEquals(200, waitUntil.get(30, TimeUnit.SECONDS).status());

        long exit = exitedAt.get(30, TimeUnit.SECONDS);
        String log = graceful.output();
        assertEquals(0, graceful.process.exitValue(), log);
        assertTrue(log.contains("waitUntil work done drain-it"), "the waitUntil work completed:\n" + log);
        assertTrue(log.contains("shutdown: drained") && log.contains(", cut 0,"), log);
        assertEquals(1, log.lines().filter(line -> line.contains("shutdown: drained")).count(), log);
        System.out.printf("drain: readiness DOWN %d ms after SIGTERM, exit %d ms after the last response%n",
                downAfter / 1_000_000, (exit - last) / 1_000_000);
        assertTrue(downAfter < TimeUnit.MILLISECONDS.toNanos(100) * SLACK, "readiness DOWN after "
                + downAfter / 1_000_000 + " ms");
        assertTrue(exit - last < TimeUnit.SECONDS.toNanos(1) * SLACK, "exited " + (exit - last) / 1_000_000
                + " ms after the last response (the waitUntil work ends about then too)");
        clients.shutdownNow();
    }

    @Test
    void workOutlivingTheDrainTimeoutIsCutAndLogged() throws Exception {
        int port = cutting.httpPort;
        RawHttp stuck = new RawHttp(port);
        stuck.send("GET", "slow.test", "/sleep?ms=60000", "");
        awaitMetric(cutting, "nano_requests_open{app=\"slow\"} 1.0");
        long sigterm = System.nanoTime();
        cutting.process.destroy();
        assertThrows(IOException.class, stuck::read, "the cut request's connection closes without an answer");
        assertTrue(cutting.process.waitFor(15, TimeUnit.SECONDS), "exits after the 1 s drain timeout");
        long took = System.nanoTime() - sigterm;
        String log = cutting.output();
        assertEquals(0, cutting.process.exitValue(), log);
        assertTrue(took < TimeUnit.SECONDS.toNanos(6), "exited " + took / 1_000_000 + " ms after SIGTERM:\n" + log);
        assertTrue(log.contains("GET /sleep?ms=60000 cut before its response"), log);
        assertTrue(log.contains(", cut 1,"), log);
    }

    private static long awaitNotReady(NanoProcess nano) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try {
                RawHttp.Answer ready = RawHttp.get(nano.managementPort, "localhost", "/q/health/ready");
                if (ready.status() == 503) {
                    return ready.atNanos();
                }
            } catch (IOException e) {
                return System.nanoTime(); // not answering at all is not ready either
            }
        }
        throw new AssertionError("readiness stayed UP for 5 s after SIGTERM");
    }

    private static long awaitRefused(int port, long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                Thread.sleep(20);
            } catch (ConnectException refused) {
                return System.nanoTime();
            }
        }
        throw new AssertionError("new connections were still accepted 4 s after SIGTERM");
    }

    static void awaitMetric(NanoProcess nano, String sample) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        String metrics = "";
        while (Instant.now().isBefore(deadline)) {
            metrics = RawHttp.get(nano.managementPort, "localhost", "/q/metrics").body();
            if (metrics.lines().anyMatch(line -> line.equals(sample))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no metric sample " + sample + " within 20 s:\n" + metrics);
    }

    static void awaitReady(NanoProcess nano) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(300));
        while (Instant.now().isBefore(deadline)) {
            if (!nano.process.isAlive()) {
                throw new AssertionError("NANO exited early:\n" + nano.output());
            }
            try {
                if (RawHttp.get(nano.managementPort, "localhost", "/q/health/ready").status() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("NANO was not ready within 300 s:\n" + nano.output());
    }
}
