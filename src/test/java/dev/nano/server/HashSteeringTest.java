package dev.nano.server;

import static dev.nano.server.ConnectionSteeringTest.loopsAccepting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import dev.nano.config.NanoConfig.ConnectionSteering;
import dev.nano.isolate.EventLoops;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * By default ({@code nano.connection-steering=hash}) connections from one CPU spread over every
 * loop's socket. Which loop's socket accepted each connection shows in the context that answered it (the
 * neighbour app has one per loop), so this checks
 * the spread itself, not CPU time: with 200 connections from distinct source ports, a loop left
 * with none would take a hash that is not one (a chance of 2^-200 with two loops).
 */
@QuarkusTest
@TestProfile(TestApps.class)
class HashSteeringTest {

    @Inject
    EventLoops eventLoops;
    @Inject
    AppServer server;

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    @Test
    void hashIsTheDefaultAndConnectionsFromOneCpuSpreadOverTheLoops() throws Exception {
        int loops = eventLoops.loops().size();
        assumeTrue(loops > 1, "needs two loops");
        assertEquals(ConnectionSteering.HASH, server.steering());
        assertEquals(loops, ListeningSockets.on(NanoTest.appPort()).size());
        Set<String> accepting = loopsAccepting(0, 200);
        assertEquals(loops, accepting.size(), "200 connections from CPU 0 reached every loop: " + accepting);
    }
}
