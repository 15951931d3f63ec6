package dev.nano.wpt;

import dev.nano.config.NanoConfig;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Boots NANO with one app per web-platform-tests run (a {@code *.any.js} file and variant): before
 * Quarkus starts, it serves the WPT folder on loopback ({@link WptServer}) and generates
 * {@code target/wpt-apps/<id>/} with the runner module ({@code src/test/resources/wpt/runner.js})
 * and the run's {@code spec.js} (its URL, testharness.js, and its META scripts and test file as one
 * classic script). The app {@code <id>} is served at {@code <id>.wpt.test}; {@code manifest.json}
 * tells {@link WptTest} what was generated. Its own profile, so that only WPT runs pay for its boot.
 *
 * <p>System properties: {@code wpt.dir} (the WPT folder; by default {@code ../shared/wpt} beside
 * the project, or beside its parent for a worktree), {@code wpt.filter} (run only the files whose
 * key contains it), {@code wpt.timeout-multiplier} (scales the 10 s / 60 s deadlines).
 */
public class WptApps implements QuarkusTestProfile {

    static final Path APPS = Path.of("target/wpt-apps");
    static final Path MANIFEST = APPS.resolve("manifest.json");
    static final Path RUNNER = Path.of("src/test/resources/wpt/runner.js");
    /** WPT's harness timeouts ("normal" and "long" in testharness.js's settings). */
    static final long NORMAL_TIMEOUT_MS = 10_000;
    static final long LONG_TIMEOUT_MS = 60_000;
    /**
     * Whether an app setting exists yet: an unknown key under {@code nano.apps} fails NANO's start
     * (SmallRye's SRCFG00050), so keys other branches add are only set once NanoConfig has them.
     */
    private static boolean has(String appSetting) {
        return Stream.of(NanoConfig.AppConfig.class.getMethods()).anyMatch(method -> method.getName().equals(appSetting));
    }
    private static final String SERVER_PORTS = "wpt.server.ports";
    private static final Pattern USE_STRICT = Pattern.compile("\\A(?:\\s|//[^\\n]*\\n|/\\*(?s:.*?)\\*/)*(['\"])use strict\\1");

    @Override
    public Map<String, String> getConfigOverrides() {
        System.setProperty("wpt.generated.at", String.valueOf(System.currentTimeMillis()));
        Path root = wptRoot();
        int[] ports = serverPorts(root);
        WptExpectations expectations = WptExpectations.load();
        String filter = System.getProperty("wpt.filter", "");
        double multiplier = Double.parseDouble(System.getProperty("wpt.timeout-multiplier", "1"));

        Map<String, String> config = new HashMap<>();
        // The example apps of application.yaml are loaded too: skip their JIT warm-up here.
        config.put("nano.apps.hello.warmup-requests", "0");
        config.put("nano.apps.json-api.warmup-requests", "0");
        // Hundreds of requests: the access records would drown the runner's own output.
        config.put("nano.access-log", "false");
        // One @TestFactory runs every file: Quarkus would call its quiet stretches a hang.
        config.put("quarkus.test.hang-detection-timeout", "60M");
        // A test file runs as one long slice on its app's loop, on purpose: no blocked-loop stacks.
        config.put("quarkus.log.category.\"io.vertx.core.impl.BlockedThreadChecker\".level", "ERROR");

        JsonArray runs = new JsonArray();
        JsonArray skipped = new JsonArray();
        try {
            deleteTree(APPS);
            Files.createDirectories(APPS);
            String runner = Files.readString(RUNNER, StandardCharsets.UTF_8);
            String harness = Files.readString(root.resolve("resources/testharness.js"), StandardCharsets.UTF_8);
            String origin = "http://" + WptServer.HOST + ":" + ports[0];
            Set<String> ids = new HashSet<>();
            for (WptFile file : WptFile.discover(root)) {
                if (!file.key().contains(filter)) {
                    continue;
                }
                String skip = expectations.skipReason(file.key());
                if (skip != null) {
                    skipped.add(new JsonObject().put("key", file.key()).put("suite", file.suite()).put("reason", skip));
                    continue;
                }
                String id = uniqueId(file, ids);
                long timeoutMs = Math.round((file.longTimeout() ? LONG_TIMEOUT_MS : NORMAL_TIMEOUT_MS) * multiplier);
                Path folder = APPS.resolve(id);
                Files.createDirectories(folder);
                Files.writeString(folder.resolve("index.js"), runner, StandardCharsets.UTF_8);
                String url = file.url(origin);
                JsonObject spec = new JsonObject()
                        .put("url", url)
                        .put("title", file.title())
                        .put("harness", harness)
                        .put("scripts", bundle(root, file, ports, url));
                Files.writeString(folder.resolve("spec.js"), "export default " + spec.encode() + ";\n",
                        StandardCharsets.UTF_8);

                String app = "nano.apps." + id + ".";
                config.put(app + "module", folder.resolve("index.js").toString());
                config.put(app + "hostnames", id + ".wpt.test");
                config.put(app + "max-contexts", "1");
                // A file's whole run may be one slice of JavaScript; give it the file's deadline.
                config.put(app + "cpu-limit", timeoutMs + "ms");
                if (has("responseTimeout")) {
                    // Past the deadline NANO answers 504 and WptTest asks the harness to time out.
                    config.put(app + "response-timeout", timeoutMs + "ms");
                }
                if (has("outbound")) {
                    // Tests fetch the WPT server on loopback.
                    config.put(app + "outbound.allow", "local");
                }
                runs.add(new JsonObject().put("id", id).put("key", file.key()).put("suite", file.suite())
                        .put("timeoutMs", timeoutMs));
            }
            JsonObject manifest = new JsonObject().put("wptDir", root.toString()).put("filter", filter)
                    .put("ports", new JsonArray().add(ports[0]).add(ports[1])).put("runs", runs).put("skipped", skipped);
            Files.writeString(MANIFEST, manifest.encodePrettily(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    /**
     * The META scripts and the test file as one classic script, as the {@code importScripts} calls
     * of wptserve's worker wrapper would run them: in order, sharing one global lexical scope, and
     * stopping at the first uncaught exception. Strict when the test file is.
     */
    static String bundle(Path root, WptFile file, int[] ports, String url) throws IOException {
        StringBuilder script = new StringBuilder();
        String test = read(root, "/" + file.path(), ports, url);
        if (USE_STRICT.matcher(test).lookingAt()) {
            script.append("'use strict';\n");
        }
        for (String helper : file.scripts()) {
            Path path = root.resolve(helper.substring(1)).normalize();
            script.append("\n// ---- META: script=").append(helper).append('\n');
            if (!path.startsWith(root) || !Files.isRegularFile(path)) {
                // importScripts() of a missing script throws a NetworkError and stops the wrapper.
                script.append("throw new Error(").append(JsonObject.of("m", "importScripts failed: " + helper
                        + (helper.endsWith(".py") ? " (no WPT python server)" : " not found")).encode())
                        .append(".m);\n");
                continue;
            }
            script.append(read(root, helper, ports, url)).append("\n;\n");
        }
        script.append("\n// ---- ").append(file.path()).append('\n').append(test).append('\n');
        return script.toString();
    }

    private static String read(Path root, String path, int[] ports, String url) throws IOException {
        String text = Files.readString(root.resolve(path.substring(1)), StandardCharsets.UTF_8);
        return path.contains(".sub.") ? WptServer.substitute(text, ports, url) : text;
    }

    /** A host label from the file's path: lower-case letters, digits and dashes, unique. */
    private static String uniqueId(WptFile file, Set<String> ids) {
        String base = ("wpt-" + file.path().replaceFirst("\\.any\\.js$", "") + file.variant())
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-+$", "");
        if (base.length() > 56) {
            base = base.substring(0, 56).replaceAll("-+$", "");
        }
        String id = base;
        for (int n = 2; !ids.add(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    /** The WPT folder: {@code -Dwpt.dir}, or {@code shared/wpt} beside the project or its parent. */
    static Path wptRoot() {
        String configured = System.getProperty("wpt.dir");
        List<Path> candidates = configured != null && !configured.isBlank()
                ? List.of(Path.of(configured))
                : List.of(Path.of("../shared/wpt"), Path.of("../../shared/wpt"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve("resources/testharness.js"))) {
                try {
                    return candidate.toRealPath();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("The web-platform-tests folder is missing: looked for "
                + candidates.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()
                + " (a folder with resources/testharness.js). CI places it at ../shared/wpt beside the"
                + " clone; elsewhere pass -Dwpt.dir=/path/to/wpt.");
    }

    /**
     * The loopback WPT server, started once per JVM: Quarkus may build this profile more than once
     * (and in another class loader), so the ports are kept in a system property.
     */
    private static synchronized int[] serverPorts(Path root) {
        String known = System.getProperty(SERVER_PORTS);
        if (known != null) {
            String[] parts = known.split(",");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        }
        int[] ports = WptServer.start(root).ports();
        System.setProperty(SERVER_PORTS, ports[0] + "," + ports[1]);
        return ports;
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
