package dev.nano.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The config files that define apps, changed while the packaged service runs. {@code watched}
 * reads its apps file through a Kubernetes ConfigMap's layout ({@code apps.yaml -> ..data/apps.yaml},
 * {@code ..data -> v<n>/}, changed by swapping the {@code ..data} link) and applies each change by
 * itself; {@code manual} runs with {@code nano.hot-reload=false}, its file rewritten in place, and
 * applies a change only on {@code POST /admin/reload}, whose per-app answer is checked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigReloadIT {

    private static final String TOKEN = "config-reload-it-token";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static Path root;
    private static NanoProcess watched;
    private static NanoProcess manual;
    private static Path manualFile;
    private static int generation;

    /** An app that answers {@code <label>:<env.GREETING>}, after 20 ms on {@code /sleep}. */
    private static String module(String label) {
        return """
                const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
                export default {
                  async fetch(request, env) {
                    if (new URL(request.url).pathname === "/sleep") await sleep(20);
                    return new Response(`%s:${env.GREETING ?? "-"}`);
                  },
                };
                """.formatted(label);
    }

    /** NANO's settings and the two example apps without warm-up, then {@code apps} (indented as app entries). */
    private static String config(String apps) {
        return """
                nano:
                  drain-timeout: 5s
                  admin:
                    token: %s
                    apps-root: %s
                  apps:
                    hello:
                      warmup-requests: 0
                    json-api:
                      warmup-requests: 0
                %s""".formatted(TOKEN, root, apps.indent(4));
    }

    private static String app(String name, String host, String greeting) {
        return """
                %s:
                  module: %s
                  hostnames: [%s]
                  env:
                    GREETING: %s
                """.formatted(name, root.resolve(name + "/index.js"), host, greeting);
    }

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("nano-config-reload").toRealPath();
        for (String name : List.of("alpha", "beta", "gamma", "delta", "epsilon", "swap", "viaadmin")) {
            Files.createDirectories(root.resolve(name));
            Files.writeString(root.resolve(name + "/index.js"), module(name));
        }
        Files.createDirectories(root.resolve("broken"));
        Files.writeString(root.resolve("broken/index.js"), "export default { fetch( {"); // a syntax error

        Path mount = Files.createDirectories(root.resolve("configmap"));
        swapConfigMap(config(app("alpha", "alpha.test", "one")));
        Files.createSymbolicLink(mount.resolve("apps.yaml"), Path.of("..data/apps.yaml"));
        watched = NanoProcess.start(mount.resolve("apps.yaml"), Map.of(), List.of());

        manualFile = root.resolve("manual.yaml");
        Files.writeString(manualFile, config(app("alpha", "alpha.test", "one") + app("beta", "beta.test", "one")
                + app("gamma", "gamma.test", "one")));
        manual = NanoProcess.start(manualFile, Map.of(), List.of("-Dnano.hot-reload=false"));

        DrainIT.awaitReady(watched);
        DrainIT.awaitReady(manual);
    }

    @AfterAll
    static void stop() {
        for (NanoProcess nano : new NanoProcess[] {watched, manual}) {
            if (nano != null && nano.process.isAlive()) {
                nano.process.destroyForcibly();
            }
        }
    }

    /** As the kubelet updates a ConfigMap volume: a new folder, then the {@code ..data} link swapped by a rename. */
    private static void swapConfigMap(String yaml) throws IOException {
        Path mount = root.resolve("configmap");
        Path version = Files.createDirectories(mount.resolve("v" + (++generation)));
        Files.writeString(version.resolve("apps.yaml"), yaml);
        Path link = mount.resolve("..data_tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(version.getFileName().toString()));
        Files.move(link, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(1)
    void addingAnAppToTheFileServesIt() throws Exception {
        assertEquals("alpha:one", body(watched, "alpha.test"));
        assertEquals(404, get(watched, "beta.test", "/").status(), "beta is not defined yet");
        swapConfigMap(config(app("alpha", "alpha.test", "one") + app("beta", "beta.test", "one")));
        awaitBody(watched, "beta.test", "beta:one");
        awaitLog(watched, "app beta: config reload (config files changed): added, version 1 serves");
        assertEquals("alpha:one", body(watched, "alpha.test"));
    }

    @Test
    @Order(2)
    void changingAnAppsEnvReachesNewRequestsWithoutLoadingItsCodeAgain() throws Exception {
        JsonObject before = new JsonObject(admin(watched, "GET", "/admin/apps/alpha").body());
        swapConfigMap(config(app("alpha", "alpha.test", "two") + app("beta", "beta.test", "one")));
        awaitBody(watched, "alpha.test", "alpha:two");
        for (int i = 0; i < 20; i++) {
            assertEquals("alpha:two", body(watched, "alpha.test"), "no request after the change sees the old value");
        }
        JsonObject after = new JsonObject(admin(watched, "GET", "/admin/apps/alpha").body());
        assertEquals(before.getInteger("version"), after.getInteger("version"), "the same version serves");
        assertEquals(before.getJsonObject("env").getInteger("version") + 1,
                after.getJsonObject("env").getInteger("version"), after.encode());
    }

    @Test
    @Order(3)
    void changingHostnamesMovesTheApp() throws Exception {
        swapConfigMap(config(app("alpha", "alpha2.test", "two") + app("beta", "beta.test", "one")));
        awaitBody(watched, "alpha2.test", "alpha:two");
        assertEquals(404, get(watched, "alpha.test", "/").status(), "the old host routes nowhere");
        assertEquals("beta:one", body(watched, "beta.test"));
    }

    @Test
    @Order(4)
    void removingAnAppFromTheFileRoutesItsHostNowhere() throws Exception {
        swapConfigMap(config(app("alpha", "alpha2.test", "two")));
        awaitStatus(watched, "beta.test", 404);
        awaitLog(watched, "app beta: config reload (config files changed): removed");
        assertEquals(404, admin(watched, "GET", "/admin/apps/beta").statusCode());
        assertEquals("alpha:two", body(watched, "alpha2.test"));
    }

    @Test
    @Order(5)
    void aBadValueRejectsThatAppOnlyAndTheRunningVersionStays() throws Exception {
        swapConfigMap(config(app("alpha", "alpha2.test", "three") + "  memory-limit: lots\n"
                + app("gamma", "gamma.test", "one")));
        awaitBody(watched, "gamma.test", "gamma:one"); // the valid change in the same file applies
        String line = awaitLog(watched, "app alpha: config change rejected");
        assertTrue(line.contains("nano.apps.alpha.memory-limit"), line);
        assertEquals("alpha:two", body(watched, "alpha2.test"), "the running version and its env stay");
    }

    @Test
    @Order(6)
    void aModuleThatDoesNotLoadIsRejectedAndTheRunningVersionStays() throws Exception {
        swapConfigMap(config(app("alpha", "alpha2.test", "three").replace(root.resolve("alpha/index.js").toString(),
                root.resolve("broken/index.js").toString()) + app("gamma", "gamma.test", "one")));
        String line = awaitLog(watched, "app alpha did not load");
        assertTrue(line.contains("app alpha: config change rejected"), line);
        assertTrue(line.contains("SyntaxError"), line);
        for (int i = 0; i < 10; i++) {
            assertEquals("alpha:two", body(watched, "alpha2.test"));
        }
    }

    @Test
    @Order(7)
    void aSwapUnderContinuousLoadFailsNoRequest() throws Exception {
        ContinuousLoad load = new ContinuousLoad(4, () -> get(watched, "alpha2.test", "/sleep"), "alpha:two", "swap:four");
        try (load) {
            Thread.sleep(500);
            swapConfigMap(config(app("alpha", "alpha2.test", "four").replace(root.resolve("alpha/index.js").toString(),
                    root.resolve("swap/index.js").toString()) + app("gamma", "gamma.test", "one")));
            Instant deadline = Instant.now().plusSeconds(60);
            while (load.servedNew() == 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            Thread.sleep(500);
        }
        assertTrue(load.servedNew() > 0, "the new version served:\n" + watched.output());
        assertNull(load.failures());
        awaitLog(watched, "app alpha: config reload (config files changed): replaced");
    }

    @Test
    @Order(8)
    void adminReloadAppliesTheFilesAndSaysPerAppWhatHappened() throws Exception {
        HttpResponse<String> added = admin(manual, "POST", "/admin/apps",
                "{\"name\":\"viaadmin\",\"module\":\"viaadmin/index.js\",\"hostnames\":[\"viaadmin.test\"]}");
        assertEquals(201, added.statusCode(), added.body());
        Files.writeString(manualFile, config(app("alpha", "alpha.test", "two")
                + app("beta", "beta.test", "one").replace("beta/index.js", "swap/index.js")
                + app("delta", "delta.test", "one")
                + app("epsilon", "epsilon.test", "one") + "  cpu-limit: soon\n"));
        Thread.sleep(1500); // more than the watcher's poll and debounce: it is off, nothing changes by itself
        assertEquals("alpha:one", body(manual, "alpha.test"));
        assertEquals(404, get(manual, "delta.test", "/").status());

        HttpResponse<String> reload = admin(manual, "POST", "/admin/reload", null);
        assertEquals(200, reload.statusCode(), reload.body());
        JsonObject answer = new JsonObject(reload.body());
        assertNull(answer.getString("configError"), reload.body());
        Map<String, JsonObject> apps = byName(answer.getJsonArray("apps"));
        assertEquals("env-updated", apps.get("alpha").getString("config"), reload.body());
        assertEquals("replaced", apps.get("beta").getString("config"), reload.body());
        assertEquals(2, apps.get("beta").getInteger("version"), reload.body());
        assertEquals("removed", apps.get("gamma").getString("config"), reload.body());
        assertEquals("added", apps.get("delta").getString("config"), reload.body());
        assertEquals(1, apps.get("delta").getInteger("version"), reload.body());
        assertEquals("rejected", apps.get("epsilon").getString("config"), reload.body());
        assertTrue(apps.get("epsilon").getString("reason").contains("nano.apps.epsilon.cpu-limit"), reload.body());
        assertEquals("unchanged", apps.get("hello").getString("config"), reload.body());
        assertEquals(2, apps.get("hello").getInteger("version"), "its code was loaded again: " + reload.body());
        assertEquals("unchanged", apps.get("viaadmin").getString("config"), reload.body());
        assertEquals("admin", apps.get("viaadmin").getString("origin"), reload.body());
        assertEquals(2, apps.get("viaadmin").getInteger("version"), reload.body());

        assertEquals("alpha:two", body(manual, "alpha.test"));
        assertEquals("swap:one", body(manual, "beta.test"));
        assertEquals(404, get(manual, "gamma.test", "/").status());
        assertEquals("delta:one", body(manual, "delta.test"));
        assertEquals(404, get(manual, "epsilon.test", "/").status());
        assertEquals("viaadmin:-", body(manual, "viaadmin.test"), "an app added through the admin API stays");
        assertTrue(manual.output().contains("app epsilon: config change rejected"), manual.output());
    }

    @Test
    @Order(9)
    void anAppsReloadLoadsItsCodeOnlyAndAFileThatDoesNotParseChangesNothing() throws Exception {
        String before = Files.readString(manualFile);
        Files.writeString(manualFile, before.replace("GREETING: two", "GREETING: three"));
        HttpResponse<String> one = admin(manual, "POST", "/admin/apps/alpha/reload", null);
        assertEquals(200, one.statusCode(), one.body());
        assertEquals("alpha:two", body(manual, "alpha.test"), "an app's reload does not read the config files");

        Files.writeString(manualFile, before + "    broken: [unclosed\n      SECRET_VALUE_123: x\n");
        HttpResponse<String> reload = admin(manual, "POST", "/admin/reload", null);
        assertEquals(200, reload.statusCode(), reload.body());
        JsonObject answer = new JsonObject(reload.body());
        assertNotNull(answer.getString("configError"), reload.body());
        assertTrue(answer.getString("configError").contains(manualFile.toString()), reload.body());
        assertFalse(reload.body().contains("SECRET_VALUE_123"), reload.body());
        assertEquals("alpha:two", body(manual, "alpha.test"));
        assertEquals("delta:one", body(manual, "delta.test"));
        assertTrue(manual.output().contains("config change rejected (admin reload), every app keeps its running "
                + "version"), manual.output());
    }

    private static Map<String, JsonObject> byName(JsonArray apps) {
        Map<String, JsonObject> byName = new HashMap<>();
        for (int i = 0; i < apps.size(); i++) {
            byName.put(apps.getJsonObject(i).getString("name"), apps.getJsonObject(i));
        }
        return byName;
    }

    private static HttpResponse<String> admin(NanoProcess nano, String method, String path) throws Exception {
        return admin(nano, method, path, null);
    }

    private static HttpResponse<String> admin(NanoProcess nano, String method, String path, String body)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nano.managementPort + path))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static RawHttp.Answer get(NanoProcess nano, String host, String path) throws IOException {
        return RawHttp.get(nano.httpPort, host, path);
    }

    private static String body(NanoProcess nano, String host) throws IOException {
        RawHttp.Answer answer = get(nano, host, "/");
        assertEquals(200, answer.status(), host + ": " + answer.body());
        return answer.body();
    }

    private static void awaitBody(NanoProcess nano, String host, String body) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            RawHttp.Answer answer = get(nano, host, "/");
            last = answer.status() + " " + answer.body();
            if (answer.status() == 200 && answer.body().equals(body)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + body + " from " + host + " within 60 s; last " + last + "\n" + nano.output());
    }

    private static void awaitStatus(NanoProcess nano, String host, int status) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (get(nano, host, "/").status() == status) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + status + " from " + host + " within 60 s\n" + nano.output());
    }

    /** Waits for a log line holding {@code text}, and returns it. */
    private static String awaitLog(NanoProcess nano, String text) throws Exception {
        Pattern line = Pattern.compile("^.*" + Pattern.quote(text) + ".*$", Pattern.MULTILINE);
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            Matcher found = line.matcher(nano.output());
            if (found.find()) {
                return found.group();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no log line with " + text + " within 60 s:\n" + nano.output());
    }
}
