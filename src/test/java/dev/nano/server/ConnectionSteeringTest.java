package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nano.CpuAffinity;
import dev.nano.NanoTest;
import dev.nano.TestApps;
import dev.nano.config.NanoConfig.ConnectionSteering;
import dev.nano.isolate.EventLoops;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code nano.connection-steering=cpu} (an opt-in), every event loop listens on the apps'
 * port, and a connection goes to the loop numbered like the CPU it was opened from: the test
 * opens connections from a thread pinned to each CPU in turn and reads which loop's socket
 * accepted each (the context that answered names the loop), which the BPF program decides
 * deterministically.
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

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    @Test
    void everyLoopHasItsOwnListeningSocket() throws Exception {
        assertEquals(eventLoops.loops().size(), ListeningSockets.on(NanoTest.appPort()).size());
    }

    @Test
    void connectionsFromOneCpuAreAcceptedByTheLoopOfThatCpu() throws Exception {
        int loops = eventLoops.loops().size();
        assumeTrue(loops > 1 && Runtime.getRuntime().availableProcessors() >= loops, "needs two loops and CPUs");
        assertEquals(ConnectionSteering.CPU, server.steering());
        Set<String> seen = new TreeSet<>();
        for (int cpu = 0; cpu < loops; cpu++) {
            Set<String> accepting = loopsAccepting(cpu, CONNECTIONS);
            assertEquals(1, accepting.size(), "connections from CPU " + cpu + " all go to one loop: " + accepting);
            assertTrue(seen.addAll(accepting), "CPU " + cpu + " has a loop of its own: " + accepting + " " + seen);
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

    private static String getOnNewConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", NanoTest.appPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: neighbour.test\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /**
     * The contexts that answered {@code count} requests, each on a new connection opened from a
     * thread pinned to {@code cpu}. The neighbour app has a context per loop (each with its own
     * random id) and a request runs in the context of the loop whose socket accepted its
     * connection, so the ids name the accepting loops.
     */
    static Set<String> loopsAccepting(int cpu, int count) throws Exception {
        Set<String> contexts = new TreeSet<>();
        CpuAffinity.runOn(cpu, () -> {
            for (int i = 0; i < count; i++) {
                String response = getOnNewConnection();
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
                Matcher id = CONTEXT_ID.matcher(response);
                assertTrue(id.find(), response);
                contexts.add(id.group(1));
            }
        });
        return contexts;
    }

    private static final Pattern CONTEXT_ID = Pattern.compile("\"contextId\":\"([^\"]+)\"");
}
