package dev.nano;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Configuration NANO cannot serve stops it at start with a message naming the problem. */
class BadConfigIT {

    private static String failedStart(String extraApps) throws Exception {
        NanoProcess nano = NanoProcess.start(extraApps, Map.of());
        try {
            assertTrue(nano.process.waitFor(90, TimeUnit.SECONDS), "NANO refuses to start:\n" + nano.output());
            assertNotEquals(0, nano.process.exitValue(), nano.output());
            return nano.output();
        } finally {
            nano.process.destroyForcibly();
        }
    }

    @Test
    void twoAppsClaimingOneHostStopStartup() throws Exception {
        String output = failedStart("""
                nano:
                  apps:
                    clash:
                      module: apps/hello/index.js
                      hostnames: [hello.localhost]
                """);
        assertTrue(output.contains("host hello.localhost is claimed by both apps"), output);
    }

    @Test
    void anAppWithoutModuleStopsStartup() throws Exception {
        String output = failedStart("""
                nano:
                  apps:
                    incomplete:
                      hostnames: [incomplete.test]
                """);
        assertTrue(output.contains("nano.apps.incomplete.module"), output);
    }
}
