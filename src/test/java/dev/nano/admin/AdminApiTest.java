package dev.nano.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.LogCapture;
import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API on the management port: auth, listing, env PUT and PATCH applied live under
 * concurrent requests, every bad input, and no env value in any answer, log or metric. Changes
 * go to app envlive (src/test/resources/apps/env, config in TestApps).
 */
@QuarkusTest
@TestProfile(TestApps.class)
class AdminApiTest {

    private static final String TOKEN = "test-admin-token";

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType("application/json");
    }

    private static String url(String path) {
        return NanoTest.managementUrl(path);
    }

    private static Response putEnv(String app, String json) {
        return admin().body(json).put(url("/admin/apps/" + app + "/env"));
    }

    private static long version(String app) {
        return admin().get(url("/admin/apps/" + app)).then().statusCode(200).extract().jsonPath().getLong("env.version");
    }

    @Test
    void withoutTheTokenEveryPathAnswers401() {
        for (String path : List.of("/admin/apps", "/admin/apps/envlive", "/admin/nothing")) {
            given().get(url(path)).then().statusCode(401)
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("error", equalTo("unauthorized"));
            given().header("Authorization", "Bearer not-the-token").get(url(path)).then().statusCode(401);
            given().header("Authorization", "Bearer " + TOKEN + "x").get(url(path)).then().statusCode(401);
            given().header("Authorization", "Basic " + TOKEN).get(url(path)).then().statusCode(401);
        }
        given().contentType("application/json").body("{\"A\":\"no token\"}").put(url("/admin/apps/envlive/env"))
                .then().statusCode(401);
        admin().get(url("/admin/apps/envlive")).then().body("env.keys", not(hasItems("no token")));
    }

    @Test
    void listsAppsWithStateHostsInFlightAndEnvKeysButNoValues() {
        Response list = admin().get(url("/admin/apps"));
        list.then().statusCode(200)
                .header("Content-Type", containsString("application/json"))
                .body("apps.name", hasItems("env", "envlive", "hello", "missing"))
                .body("apps.find { it.name == 'env' }.state", equalTo("ACTIVE"))
                .body("apps.find { it.name == 'env' }.hostnames", contains("env.test"))
                .body("apps.find { it.name == 'env' }.inFlight", equalTo(0))
                .body("apps.find { it.name == 'env' }.env.version", notNullValue())
                .body("apps.find { it.name == 'env' }.env.keys", hasItems("GREETING", "DB_PASSWORD"))
                .body("apps.find { it.name == 'env' }.env.secretKeys", contains("API_TOKEN", "DB_PASSWORD"))
                .body("apps.find { it.name == 'missing' }.state", equalTo("FAILED"));
        String body = list.asString();
        for (String value : List.of("s3cr3t-db-one", "tok-initial-value", "hello-world", "twin only")) {
            assertFalse(body.contains(value), body);
        }
        admin().get(url("/admin/apps/env")).then().statusCode(200).body("name", equalTo("env"))
                .body(not(containsString("s3cr3t")));
    }

    @Test
    void putReplacesAndPatchMergesTheEnvOfNewRequests() {
        long before = version("envlive");
        putEnv("envlive", "{\"A\":\"put-a\",\"B\":\"put-b\",\"C\":\"json:{\\\"n\\\":1}\"}").then().statusCode(200)
                .body("env.version", equalTo((int) before + 1))
                .body("env.keys", contains("A", "B", "C"));
        given().header("Host", "envlive.test").get("/").then()
                .body("values.A", equalTo("put-a")).body("values.C.n", equalTo(1));
        admin().body("{\"B\":\"patched-b\",\"C\":null,\"D\":\"new\"}").patch(url("/admin/apps/envlive/env"))
                .then().statusCode(200).body("env.keys", contains("A", "B", "D"));
        given().header("Host", "envlive.test").get("/").then()
                .body("keys", contains("A", "B", "D"))
                .body("values.A", equalTo("put-a")).body("values.B", equalTo("patched-b"));
        // The same env again is no new version.
        long now = version("envlive");
        putEnv("envlive", "{\"A\":\"put-a\",\"B\":\"patched-b\",\"D\":\"new\"}").then().statusCode(200)
                .body("env.version", equalTo((int) now));
        // Another app is untouched.
        given().header("Host", "envtwin.test").get("/").then().body("keys", contains("OTHER"));
    }

    @Test
    void aRequestKeepsTheEnvItStartedWith() throws Exception {
        putEnv("envlive", "{\"A\":\"before\",\"B\":\"before\"}").then().statusCode(200);
        int port = RestAssured.port;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /mix HTTP/1.1\r\nHost: envlive.test\r\nContent-Length: 5\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            awaitInFlight("envlive", 1);
            putEnv("envlive", "{\"A\":\"after\",\"B\":\"after\"}").then().statusCode(200);
            out.write("later".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = readResponse(socket);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.contains("{\"a\":\"before\",\"b\":\"before\",\"body\":\"later\"}"), answer);
        }
        given().header("Host", "envlive.test").body("x").post("/mix").then()
                .body("a", equalTo("after")).body("b", equalTo("after"));
    }

    @Test
    void underConcurrentRequestsNoRequestSeesAMixOfVersions() throws Exception {
        AtomicBoolean flipping = new AtomicBoolean(true);
        List<String> mixed = new CopyOnWriteArrayList<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (flipping.get()) {
                    Response mix = given().header("Host", "envlive.test").body("x").post("/mix");
                    String a = mix.path("a");
                    String b = mix.path("b");
                    seen.add(a);
                    if (mix.statusCode() != 200 || a == null || !a.equals(b)) {
                        mixed.add(mix.statusCode() + " " + mix.asString());
                    }
                }
            }));
        }
        try {
            for (int i = 1; i <= 40; i++) {
                putEnv("envlive", "{\"A\":\"v" + i + "\",\"B\":\"v" + i + "\"}").then().statusCode(200);
            }
        } finally {
            flipping.set(false);
            for (Thread client : clients) {
                client.join();
            }
        }
        assertTrue(mixed.isEmpty(), "requests saw a mix of env versions: " + mixed);
        assertTrue(seen.size() >= 3, "the clients saw too few versions to prove anything: " + seen);
    }

    @Test
    void badInputIsRejectedWithA4xxAndThePreviousEnvStays() {
        putEnv("envlive", "{\"A\":\"kept\",\"B\":\"kept\"}").then().statusCode(200);
        long before = version("envlive");
        String big = "x".repeat(70 * 1024);
        String sixtyK = "y".repeat(60 * 1024);
        StringBuilder tooMany = new StringBuilder("{");
        for (int i = 0; i < 20; i++) {
            tooMany.append(i == 0 ? "" : ",").append("\"K").append(i).append("\":\"").append(sixtyK).append('"');
        }
        tooMany.append('}');
        record Bad(String method, String path, String body, int status, String error) {
        }
        for (Bad bad : List.of(
                new Bad("PUT", "/admin/apps/nosuchapp/env", "{\"A\":\"1\"}", 404, "no_such_app"),
                new Bad("GET", "/admin/apps/nosuchapp", null, 404, "no_such_app"),
                new Bad("PUT", "/admin/apps/envlive/env", "{\"A\": \"redact-me-broken", 400, "malformed_json"),
                new Bad("PUT", "/admin/apps/envlive/env", "", 400, "malformed_json"),
                new Bad("PUT", "/admin/apps/envlive/env", "[\"A\"]", 400, "not_an_object"),
                new Bad("PUT", "/admin/apps/envlive/env", "\"just a string\"", 400, "not_an_object"),
                new Bad("PUT", "/admin/apps/envlive/env", "{\"A\":1}", 400, "invalid_value"),
                new Bad("PUT", "/admin/apps/envlive/env", "{\"A\":true}", 400, "invalid_value"),
                new Bad("PUT", "/admin/apps/envlive/env", "{\"A\":{\"nested\":\"x\"}}", 400, "invalid_value"),
                new Bad("PUT", "/admin/apps/envlive/env", "{\"A\":null}", 400, "invalid_value"),
                new Bad("PATCH", "/admin/apps/envlive/env", "{\"A\":[1]}", 400, "invalid_value"),
                new Bad("PUT", "/admin/apps/envlive/env", "{\"\":\"empty key\"}", 400, "invalid_env"),
                new Bad("PATCH", "/admin/apps/envlive/env", "{\"bad key\":\"x\"}", 400, "invalid_env"),
                new Bad("PATCH", "/admin/apps/envlive/env", "{\"1digit\":\"x\"}", 400, "invalid_env"),
                new Bad("PATCH", "/admin/apps/envlive/env", "{\"A\":\"" + big + "\"}", 400, "invalid_env"),
                new Bad("PUT", "/admin/apps/envlive/env", tooMany.toString(), 400, "invalid_env"),
                new Bad("PATCH", "/admin/apps/envlive/env", "{\"A\":\"json:{\\\"redact-me-json\\\": \"}", 400,
                        "invalid_env"),
                new Bad("PATCH", "/admin/apps/envrotate/env", "{\"ROTATING\":\"from admin\"}", 409, "secret_key"),
                new Bad("PUT", "/admin/apps/envlive/env", "{\"A\":\"" + "z".repeat(5 * 1024 * 1024) + "\"}", 413,
                        "body_too_large"),
                new Bad("POST", "/admin/apps/envlive/env", "{}", 405, "method_not_allowed"),
                new Bad("DELETE", "/admin/apps", null, 405, "method_not_allowed"),
                new Bad("GET", "/admin/whatever", null, 404, "not_found"))) {
            RequestSpecification request = admin();
            if (bad.body() != null) {
                request.body(bad.body());
            }
            Response response = request.request(bad.method(), url(bad.path()));
            String context = bad.method() + " " + bad.path() + " " + abbreviate(bad.body()) + " -> " + response.asString();
            assertEquals(bad.status(), response.statusCode(), context);
            assertEquals(bad.error(), response.path("error"), context);
            assertTrue(response.asString().length() < 1000, context);
            assertFalse(response.asString().contains("redact-me"), context);
        }
        assertEquals(before, version("envlive"));
        given().header("Host", "envlive.test").get("/").then()
                .body("keys", contains("A", "B")).body("values.A", equalTo("kept"));
    }

    @Test
    void valuesAppearInNoLogMetricOrAdminAnswer() {
        String secret = "redact-me-" + System.nanoTime();
        try (LogCapture logs = LogCapture.of("")) {
            putEnv("envlive", "{\"A\":\"" + secret + "\",\"B\":\"" + secret + "\"}").then().statusCode(200)
                    .body(not(containsString(secret)));
            admin().body("{\"A\":\"json:[" + secret + "\"}").patch(url("/admin/apps/envlive/env")).then()
                    .statusCode(400).body(not(containsString(secret)));
            admin().get(url("/admin/apps")).then().body(not(containsString(secret)));
            given().get(url("/q/metrics")).then().body(not(containsString(secret)))
                    .body(containsString("nano_env_version{app=\"envlive\"}"));
            List<String> messages = logs.records().stream().map(LogCapture.Captured::message).toList();
            assertTrue(messages.stream().anyMatch(m -> m.contains("app envlive: env version")), messages.toString());
            assertTrue(messages.stream().anyMatch(m -> m.contains("rejected")), messages.toString());
            assertFalse(messages.stream().anyMatch(m -> m.contains(secret)), messages.toString());
        }
    }

    private static String abbreviate(String body) {
        return body == null || body.length() < 80 ? String.valueOf(body) : body.substring(0, 80) + "...";
    }

    private static void awaitInFlight(String app, int count) throws InterruptedException {
        String sample = "nano_requests_inflight{app=\"" + app + "\"} " + count + ".0";
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (given().get(url("/q/metrics")).asString().lines().anyMatch(sample::equals)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + sample + " within 10 s");
    }

    /** One HTTP/1.1 response with a Content-Length body, read off the socket. */
    private static String readResponse(Socket socket) throws Exception {
        StringBuilder text = new StringBuilder();
        var in = socket.getInputStream();
        int contentLength = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return text.toString();
            }
            text.append((char) c);
            if (text.toString().endsWith("\r\n\r\n")) {
                for (String line : text.toString().split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
                break;
            }
        }
        byte[] body = in.readNBytes(Math.max(contentLength, 0));
        return text + new String(body, StandardCharsets.UTF_8);
    }
}
