package dev.nano.server;

import static dev.nano.server.ConnectionSteeringTest.loopCpuServingFrom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import dev.nano.config.NanoConfig.ConnectionSteering;
import dev.nano.isolate.EventLoops;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With {@code nano.connection-steering=hash}, connections from one CPU spread over every loop. */
@QuarkusTest
@TestProfile(HashSteeringTest.Hashed.class)
class HashSteeringTest {

    public static class Hashed extends TestApps {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("nano.connection-steering", "hash");
            return config;
        }
    }

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
    void connectionsFromOneCpuSpreadOverTheLoops() throws Exception {
        int loops = eventLoops.loops().size();
        assumeTrue(loops > 1, "needs two loops");
        assertEquals(ConnectionSteering.HASH, server.steering());
        assertEquals(loops, ListeningSockets.on(root.getPort()).size());
        long[] used = loopCpuServingFrom(root, 0, loops);
        long total = 0;
        for (int loop = 0; loop < loops; loop++) {
            total += used[loop];
        }
        for (int loop = 0; loop < loops; loop++) {
            assertTrue(used[loop] * loops * 4 > total, "loop " + loop + " used " + used[loop] + " of " + total
                    + " ns of CPU");
        }
    }
}
