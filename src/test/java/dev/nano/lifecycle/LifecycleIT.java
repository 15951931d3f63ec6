package dev.nano.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Per-app lifecycle on the packaged service: the admin API (auth, every bad input, add with the
 * time to the first 200), a swap under continuous load with no failed request, hot reload of an
 * app's folder (a bad version rejected, the running one stays), removal with work in flight.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleIT {

    private static final String TOKEN = "lifecycle-it-token";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static Path root;
    private static NanoProcess nano;

    static String app(String version) {
        return """
                const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
                export default {
                  async fetch(request) {
                    const url = new URL(request.url);
                    if (url.pathname === "/sleep") await sleep(Number(url.searchParams.get("ms")));
                    return new Response("%s");
                  },
                };
                """.formatted(version);
    }

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("nano-apps-root");
        Files.createDirectories(root.resolve("added"));
        Files.writeString(root.resolve("added/index.js"), app("v1"));
        Files.createDirectories(root.resolve("swapped"));
        Files.writeString(root.resolve("swapped/index.js"), app("v2"));
        nano = NanoProcess.start("""
                nano:
                  drain-timeout: 10s
                  admin:
                    token: %s
                    apps-root: %s
                  apps:
                    hello:
                      warmup-requests: 0
                    json-api:
                      warmup-requests: 0
                """.formatted(TOKEN, root), Map.of());
        DrainIT.awaitReady(nano);
    }

    @AfterAll
    static void stop() {
        if (nano != null && nano.process.isAlive()) {
            nano.process.destroyForcibly();
        }
    }

    private static HttpResponse<String> admin(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nano.managementPort + path))
                .timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return admin(method, path, body, TOKEN);
    }

    private static RawHttp.Answer app(String host, String path) throws IOException {
        return RawHttp.get(nano.httpPort, host, path);
    }

    private static String error(HttpResponse<String> response) {
        return new JsonObject(response.body()).getString("error");
    }

    @Test
    @Order(1)
    void adminNeedsTheToken() throws Exception {
        assertEquals(401, admin("GET", "/admin/apps", null, null).statusCode());
        assertEquals(401, admin("GET", "/admin/apps", null, "wrong-token").statusCode());
        assertEquals(401, admin("POST", "/admin/apps", "{}", "wrong-token").statusCode());
        assertEquals(200, admin("GET", "/admin/apps", null).statusCode());
    }

    @Test
    @Order(2)
    void everyBadInputGetsAClear4xx() throws Exception {
        HttpResponse<String> malformed = admin("POST", "/admin/apps", "{not json");
        assertEquals(400, malformed.statusCode());
        assertEquals("malformed_json", error(malformed));
        HttpResponse<String> unknown = admin("DELETE", "/admin/apps/no-such-app", null);
        assertEquals(404, unknown.statusCode());
        assertEquals("no_such_app", error(unknown));
        assertEquals(404, admin("PUT", "/admin/apps/no-such-app", "{}").statusCode());
        assertEquals(404, admin("POST", "/admin/apps/no-such-app/drain", null).statusCode());
        HttpResponse<String> duplicateHost = admin("POST", "/admin/apps",
                "{\"name\":\"dup\",\"module\":\"added/index.js\",\"hostnames\":[\"hello.localhost\"]}");
        assertEquals(409, duplicateHost.statusCode(), duplicateHost.body());
        assertEquals("duplicate_hostname", error(duplicateHost));
        HttpResponse<String> duplicateName = admin("POST", "/admin/apps",
                "{\"name\":\"hello\",\"module\":\"added/index.js\",\"hostnames\":[\"x.test\"]}");
        assertEquals(409, duplicateName.statusCode(), duplicateName.body());
        HttpResponse<String> outside = admin("POST", "/admin/apps",
                "{\"name\":\"out\",\"module\":\"../../etc/passwd\",\"hostnames\":[\"out.test\"]}");
        assertTrue(outside.statusCode() == 403 || outside.statusCode() == 400, outside.body());
        Path elsewhere = Files.createTempFile("outside", ".js");
        Files.writeString(elsewhere, app("outside"));
        HttpResponse<String> absolute = admin("POST", "/admin/apps",
                "{\"name\":\"out\",\"module\":\"" + elsewhere + "\",\"hostnames\":[\"out.test\"]}");
        assertEquals(403, absolute.statusCode(), absolute.body());
        assertEquals("module_outside_apps_root", error(absolute));
        assertEquals(400, admin("POST", "/admin/apps", "{\"name\":\"x\",\"module\":\"added/index.js\"}").statusCode());
        assertEquals(400, admin("POST", "/admin/apps", "{\"name\":\"Bad Name\",\"module\":\"added/index.js\","
                + "\"hostnames\":[\"b.test\"]}").statusCode());
        assertEquals(400, admin("POST", "/admin/apps", "{\"name\":\"x\",\"module\":\"added/index.js\","
                + "\"hostnames\":[\"x.test\"],\"cpuLimit\":\"fast\"}").statusCode());
        assertEquals(404, app("out.test", "/").status(), "nothing was added");
    }

    @Test
    @Order(3)
    void anAddedAppServesAsSoonAsTheAddAnswers() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> added = admin("POST", "/admin/apps",
                "{\"name\":\"added\",\"module\":\"added/index.js\",\"hostnames\":[\"added.test\"],\"env\":{\"A\":\"1\"}}");
        assertEquals(201, added.statusCode(), added.body());
        RawHttp.Answer first = app("added.test", "/");
        long tookMs = (first.atNanos() - start) / 1_000_000;
        assertEquals(200, first.status());
        assertEquals("v1", first.body());
        System.out.println("admin add -> first 200: " + tookMs + " ms");
        JsonObject listed = new JsonObject(admin("GET", "/admin/apps/added", null).body());
        assertEquals("ACTIVE", listed.getString("state"));
        assertEquals(1, listed.getInteger("version"));
    }

    @Test
    @Order(4)
    void aSwapUnderContinuousLoadFailsNoRequest() throws Exception {
        ContinuousLoad load = new ContinuousLoad(4, () -> app("added.test", "/sleep?ms=20"), null, "v2");
        try (load) {
            Thread.sleep(500);
            HttpResponse<String> swapped = admin("PUT", "/admin/apps/added", "{\"module\":\"swapped/index.js\"}");
            assertEquals(200, swapped.statusCode(), swapped.body());
            assertEquals(2, new JsonObject(swapped.body()).getInteger("version"));
            Thread.sleep(1000);
        }
        assertNull(load.failures());
        assertTrue(load.servedNew() > 0, "the new version served");
        assertEquals("v2", app("added.test", "/").body());
    }

    @Test
    @Order(5)
    void hotReloadAppliesAGoodChangeAndRejectsABadOne() throws Exception {
        Path module = root.resolve("swapped/index.js");
        Files.writeString(module, app("v3"));
        awaitBody("added.test", "v3");
        Files.writeString(module, "export default { fetch( {"); // a syntax error
        awaitLog("hot reload rejected");
        Thread.sleep(300);
        RawHttp.Answer still = app("added.test", "/");
        assertEquals(200, still.status());
        assertEquals("v3", still.body());
        Files.writeString(module, "throw new Error('top-level failure');\nexport default {};");
        awaitLog("top-level failure");
        assertEquals("v3", app("added.test", "/").body());
    }

    @Test
    @Order(6)
    void removingAnAppRoutesItsHostsNowhereWhileItsWorkFinishes() throws Exception {
        Files.writeString(root.resolve("swapped/index.js"), app("v4"));
        awaitBody("added.test", "v4");
        ExecutorService client = Executors.newSingleThreadExecutor();
        Future<RawHttp.Answer> inFlight = client.submit(() -> app("added.test", "/sleep?ms=1500"));
        DrainIT.awaitMetric(nano, "nano_requests_open{app=\"added\"} 1.0");
        HttpResponse<String> removed = admin("DELETE", "/admin/apps/added", null);
        assertEquals(202, removed.statusCode(), removed.body());
        assertEquals(404, app("added.test", "/").status(), "its hosts route nowhere at once");
        RawHttp.Answer finished = inFlight.get(30, TimeUnit.SECONDS);
        assertEquals(200, finished.status());
        assertEquals("v4", finished.body());
        assertEquals(404, admin("GET", "/admin/apps/added", null).statusCode());
        client.shutdown();
        awaitLog("is STOPPED: removed");
    }

    private static void awaitBody(String host, String body) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            RawHttp.Answer answer = app(host, "/");
            last = answer.status() + " " + answer.body();
            if (answer.status() == 200 && answer.body().equals(body)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + body + " from " + host + " within 60 s; last " + last + "\n" + nano.output());
    }

    private static void awaitLog(String text) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (nano.output().contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no log line with " + text + " within 60 s:\n" + nano.output());
    }
}
