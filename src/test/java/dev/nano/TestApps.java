package dev.nano;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Boots NANO with the example apps from application.yaml plus every test app: each folder
 * {@code src/test/resources/apps/<name>/} with an {@code index.js} is served as app
 * {@code <name>} at host {@code <name>.test}. All tests share this profile, so NANO boots once.
 */
public class TestApps implements QuarkusTestProfile {

    static final Path APPS = Path.of("src/test/resources/apps");

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        try (Stream<Path> folders = Files.list(APPS)) {
            folders.filter(folder -> Files.isRegularFile(folder.resolve("index.js"))).forEach(folder -> {
                String name = folder.getFileName().toString();
                config.put("nano.apps." + name + ".module", folder.resolve("index.js").toString());
                config.put("nano.apps." + name + ".hostnames", name + ".test");
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The example apps' JIT warm-up (3,000 requests each) only slows the tests' start.
        config.put("nano.apps.hello.warmup-requests", "0");
        config.put("nano.apps.json-api.warmup-requests", "0");
        // Small enough that tests can go over it quickly.
        config.put("quarkus.http.limits.max-body-size", "64K");
        // Apps whose tests need more than the defaults.
        config.put("nano.apps.limits.cpu-limit", "1s");
        config.put("nano.apps.limits.memory-limit", "64M");
        config.put("nano.apps.limits.hostnames", "limits.test,*.limits.test");
        config.put("nano.apps.toplevelloop.cpu-limit", "300ms");
        config.put("nano.apps.timers.cpu-limit", "1s");
        config.put("nano.apps.timers.response-timeout", "2s");
        config.put("nano.apps.wasm.memory-limit", "64M");
        // Its probes read module state, so every request must reach the same context.
        config.put("nano.apps.streaming.max-contexts", "1");
        // The streams cases run many promise turns in one request; cold, on a busy machine, that can pass 5 s.
        config.put("nano.apps.streams.cpu-limit", "30s");
        // The compression cases compress and inflate megabytes in one request, cold.
        config.put("nano.apps.compression.cpu-limit", "30s");
        config.put("nano.apps.hop.max-contexts", "1");
        config.put("nano.apps.isolation.env.SECRET", "isolation-only");
        config.put("nano.apps.isolation.env.GREETING", "hi");
        // RSA key generation and the JCA's first use (provider start-up) on a loaded machine.
        config.put("nano.apps.crypto.cpu-limit", "60s");
        // fetch(): the outbound app may reach loopback (its upstream is a test server) but not 10/8.
        config.put("nano.apps.outbound.outbound.allow", "local,public");
        config.put("nano.apps.outbound.outbound.deny", "10.0.0.0/8");
        config.put("nano.apps.outbound.outbound.timeout", "3s");
        config.put("nano.apps.outbound.outbound.max-response-size", "64K");
        config.put("nano.apps.outbound.outbound.max-concurrent", "4");
        config.put("nano.apps.outboundbad.outbound.allow", "public,intranet");
        // Streamed fetch bodies (FetchStreamingTest): loopback upstream, the default size limit.
        config.put("nano.apps.fetchstream.outbound.allow", "local,public");
        config.put("nano.apps.fetchstream.max-contexts", "1");
        config.put("nano.apps.missing.module", "src/test/resources/no-such-app/index.js");
        config.put("nano.apps.missing.hostnames", "missing.test");
        // The env tests (dev.nano.config.EnvTest, dev.nano.admin.AdminApiTest): app env plus three
        // more apps on its module, each with its own env.
        dev.nano.config.SecretsFixture.prepare();
        config.put("nano.admin.token", "test-admin-token");
        config.put("nano.secrets-poll-interval", "100ms");
        config.put("nano.apps.env.env.GREETING", "hello");
        config.put("nano.apps.env.env.PROFILED", "no profile");
        config.put("%test.nano.apps.env.env.PROFILED", "test profile");
        config.put("%prod.nano.apps.env.env.PROFILED", "prod profile");
        config.put("%prod.nano.apps.env.env.PROD_ONLY", "prod only");
        config.put("nano.apps.env.env.EXPANDED", "${nano.apps.env.env.GREETING}-world");
        config.put("nano.apps.env.env.DEFAULTED", "${NANO_TEST_SURELY_UNSET_VARIABLE:fallback}");
        config.put("nano.apps.env.env.CONFIG", "json:{\"retries\":3,\"nested\":{\"on\":true},\"list\":[1,2]}");
        config.put("nano.apps.env.env.\"tls.crt\"", "dotted");
        config.put("nano.apps.env.secrets-dir", dev.nano.config.SecretsFixture.ENV.toString());
        for (String twin : new String[] {"envtwin", "envlive", "envrotate"}) {
            config.put("nano.apps." + twin + ".module", "src/test/resources/apps/env/index.js");
            config.put("nano.apps." + twin + ".hostnames", twin + ".test");
        }
        config.put("nano.apps.envtwin.env.OTHER", "twin only");
        config.put("nano.apps.envlive.env.A", "0");
        config.put("nano.apps.envlive.env.B", "0");
        config.put("nano.apps.envrotate.env.PLAIN", "plain");
        config.put("nano.apps.envrotate.secrets-dir", dev.nano.config.SecretsFixture.ROTATE.toString());
        return config;
    }
}
