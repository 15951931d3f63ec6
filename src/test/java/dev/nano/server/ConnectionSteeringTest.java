package dev.nano.server;

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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every event loop listens on the apps' port, and a connection goes to the loop numbered like
 * the CPU it was opened from: the test opens connections from a thread pinned to each CPU in
 * turn and sees which loop spends the CPU time of serving them.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class ConnectionSteeringTest {

    private static final int REQUESTS = 300;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

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
    void connectionsFromOneCpuAreServedByTheLoopOfThatCpu() throws Exception {
        int loops = eventLoops.loops().size();
        assumeTrue(loops > 1 && Runtime.getRuntime().availableProcessors() >= loops, "needs two loops and CPUs");
        assertEquals(ConnectionSteering.CPU, server.steering());
        for (int cpu = 0; cpu < loops; cpu++) {
            long[] used = loopCpuServingFrom(root, cpu, loops);
            long own = used[cpu];
            for (int other = 0; other < loops; other++) {
                if (other != cpu) {
                    long others = used[other];
                    assertTrue(others * 3 < own, "connections from CPU " + cpu + ": loop " + cpu + " used " + own
                            + " ns of CPU, loop " + other + " " + others + " ns");
                }
            }
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
     * The CPU time (ns) each of NANO's loops used while {@value #REQUESTS} requests, each on a new
     * connection, were made from a thread pinned to {@code cpu}.
     */
    static long[] loopCpuServingFrom(URL root, int cpu, int loops) throws Exception {
        long[] before = loopCpuTimes(loops);
        CpuAffinity.runOn(cpu, () -> {
            for (int i = 0; i < REQUESTS; i++) {
                assertTrue(getOnNewConnection(root).startsWith("HTTP/1.1 200"));
            }
        });
        long[] used = loopCpuTimes(loops);
        for (int loop = 0; loop < loops; loop++) {
            used[loop] -= before[loop];
        }
        return used;
    }

    /** CPU time used so far by each of NANO's loops, {@code nano-loop-<i>} (see EventLoops). */
    private static long[] loopCpuTimes(int loops) {
        long[] times = new long[loops];
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.startsWith("nano-loop-")) {
                times[Integer.parseInt(name.substring("nano-loop-".length()))] = THREADS.getThreadCpuTime(thread.threadId());
            }
        }
        return times;
    }
}
