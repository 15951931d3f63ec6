package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nano.CpuAffinity;
import dev.nano.NanoTest;
import dev.nano.TestApps;
import dev.nano.config.NanoConfig.ConnectionSteering;
import dev.nano.isolate.EventLoops;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code nano.connection-steering=cpu} (an opt-in), every event loop listens on the apps'
 * port, and a connection goes to the loop numbered like the CPU it was opened from: the test
 * opens connections from a thread pinned to each CPU in turn and reads which loop's socket
 * accepted each (the server counts the requests each loop served), which the BPF program decides deterministically.
 */
@QuarkusTest
@TestProfile(ConnectionSteeringTest.CpuSteered.class)
class ConnectionSteeringTest {

    public static class CpuSteered extends TestApps {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("nano.connection-steering", "cpu");
            return config;
        }
    }

    private static final int CONNECTIONS = 50;

    @Inject
    EventLoops eventLoops;
    @Inject
    AppServer server;
    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    @Test
    void everyLoopHasItsOwnListeningSocket() throws Exception {
        assertEquals(eventLoops.loops().size(), ListeningSockets.on(root.getPort()).size());
    }

    @Test
    void connectionsFromOneCpuAreAcceptedByTheLoopOfThatCpu() throws Exception {
        int loops = eventLoops.loops().size();
        assumeTrue(loops > 1 && Runtime.getRuntime().availableProcessors() >= loops, "needs two loops and CPUs");
        assertEquals(ConnectionSteering.CPU, server.steering());
        for (int cpu = 0; cpu < loops; cpu++) {
            long[] accepted = acceptedFrom(server, root, cpu, CONNECTIONS);
            long[] expected = new long[loops];
            expected[cpu] = CONNECTIONS;
            assertArrayEquals(expected, accepted, "connections opened from CPU " + cpu + ", by accepting loop");
        }
    }

    @Test
    void eachLoopRunsOnTheCpusWhoseConnectionsItGets() throws Exception {
        int loops = eventLoops.loops().size();
        assumeTrue(loops > 1 && Runtime.getRuntime().availableProcessors() == loops, "needs one CPU per loop");
        Map<String, String> allowed = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String name = Files.readString(task.resolve("comm")).trim();
                if (name.startsWith("nano-loop-")) {
                    allowed.put(name, Files.readAllLines(task.resolve("status")).stream()
                            .filter(line -> line.startsWith("Cpus_allowed_list:"))
                            .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElseThrow());
                }
            }
        }
        Map<String, String> expected = new TreeMap<>();
        for (int loop = 0; loop < loops; loop++) {
            expected.put("nano-loop-" + loop, Integer.toString(loop));   // CPUs 0..n-1 here, n = loops
        }
        assertEquals(expected, allowed);
    }

    private static String getOnNewConnection(URL root) throws Exception {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: hello.localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /**
     * How many of {@code count} connections, each opened from a thread pinned to {@code cpu} and
     * carrying one request, each loop's socket accepted (the loop that served the request).
     */
    static long[] acceptedFrom(AppServer server, URL root, int cpu, int count) throws Exception {
        long[] before = server.servedByLoop();
        CpuAffinity.runOn(cpu, () -> {
            for (int i = 0; i < count; i++) {
                assertTrue(getOnNewConnection(root).startsWith("HTTP/1.1 200"));
            }
        });
        long[] after = server.servedByLoop();
        for (int loop = 0; loop < after.length; loop++) {
            after[loop] -= before[loop];
        }
        return after;
    }
}
