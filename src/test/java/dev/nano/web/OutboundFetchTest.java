package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.LogCapture;
import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fetch() to the network (src/test/resources/apps/outbound, and outbounddefault with the default
 * policy) against a real upstream HTTP server this test starts on a loopback port, plus a server
 * that answers garbage and a port nobody listens on.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class OutboundFetchTest {

    private static Vertx vertx;
    private static HttpServer upstream;
    private static NetServer garbage;
    /** HTTPS with a self-signed certificate: no CA in the JDK's trust store vouches for it. */
    private static HttpServer untrusted;
    private static int closedPort;
    /** Ids of /hold requests whose connection the upstream saw closed. */
    private static final Set<String> closedHolds = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startUpstream() throws Exception {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer().requestHandler(OutboundFetchTest::serve).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        garbage = vertx.createNetServer().connectHandler(socket -> socket.handler(ignored ->
                        socket.write("this is not HTTP at all\r\n\r\n").onComplete(done -> socket.close())))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        // A self-signed certificate for localhost (made with keytool, valid until 2126).
        untrusted = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
                        .setKeyCertOptions(new PfxOptions().setPath("src/test/resources/tls/self-signed.p12")
                                .setPassword("changeit")))
                .requestHandler(request -> request.response().end("secret"))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
    }

    @AfterAll
    static void stopUpstream() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static void serve(HttpServerRequest request) {
        String path = request.path();
        var response = request.response();
        switch (path) {
            case "/text" -> response.putHeader("x-upstream", "yes").putHeader("content-type", "text/plain")
                    .end("hello from upstream");
            case "/json" -> response.putHeader("content-type", "application/json").end("{\"n\":1}");
            case "/echo" -> request.body().onSuccess(body -> {
                JsonObject headers = new JsonObject();
                request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                response.putHeader("content-type", "application/json").end(new JsonObject()
                        .put("method", request.method().name())
                        .put("headers", headers)
                        .put("text", body.toString())
                        .put("hex", HexFormat.of().formatHex(body.getBytes())).encode());
            });
            case "/redirect" -> response.setStatusCode(Integer.parseInt(request.getParam("status")))
                    .putHeader("location", request.getParam("to")).end("redirecting");
            case "/loop" -> {
                int n = Integer.parseInt(request.getParam("n"));
                if (n > 0) {
                    response.setStatusCode(302).putHeader("location", "/loop?n=" + (n - 1)).end();
                } else {
                    response.end("done");
                }
            }
            case "/status" -> response.setStatusCode(Integer.parseInt(request.getParam("code"))).end();
            case "/stall" -> {
                // Never answers.
            }
            case "/hold" -> {
                String id = request.getParam("id");
                request.connection().closeHandler(ignored -> closedHolds.add(id));
            }
            case "/reset" -> {
                response.putHeader("content-length", "1000").write("partial");
                vertx.setTimer(50, ignored -> request.connection().close());
            }
            case "/big" -> response.end(Buffer.buffer(new byte[Integer.parseInt(request.getParam("size"))]));
            case "/bigchunked" -> {
                response.setChunked(true);
                int size = Integer.parseInt(request.getParam("size"));
                for (int sent = 0; sent < size; sent += 8192) {
                    response.write(Buffer.buffer(new byte[Math.min(8192, size - sent)]));
                }
                response.end();
            }
            case "/slow" -> vertx.setTimer(Long.parseLong(request.getParam("ms")), ignored -> response.end("slow"));
            default -> response.setStatusCode(404).end();
        }
    }

    @BeforeEach
    void ready() throws InterruptedException {
        // The shared machine can take longer than NanoTest's 120 s to load every test app.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline
                && given().get(NanoTest.managementUrl("/q/health/ready")).statusCode() != 200) {
            Thread.sleep(200);
        }
        NanoTest.awaitReady();
    }

    private static RequestSpecification app() {
        return given().header("Host", "outbound.test").queryParam("port", upstream.actualPort());
    }

    private static JsonPath run(String path) {
        return app().get(path).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void getsTextWithHeadersBothWays() {
        app().get("/get").then().statusCode(200)
                .body("status", equalTo(200))
                .body("ok", equalTo(true))
                .body("statusText", equalTo("OK"))
                .body("type", equalTo("basic"))
                .body("url", equalTo("http://127.0.0.1:" + upstream.actualPort() + "/text"))
                .body("redirected", equalTo(false))
                .body("upstreamHeader", equalTo("yes"))
                .body("contentType", equalTo("text/plain"))
                .body("text", equalTo("hello from upstream"))
                .body("immutable", equalTo(true));
        app().get("/headers").then().statusCode(200)
                .body("one", equalTo("1"))
                .body("two", equalTo("2"))
                .body("host", equalTo("127.0.0.1:" + upstream.actualPort()))
                .body("accept", equalTo("*/*"))
                .body("userAgent", equalTo("NANO"));
    }

    @Test
    void postsEveryBodyType() {
        app().get("/bodies").then().statusCode(200)
                .body("string.method", equalTo("POST"))
                .body("string.contentType", equalTo("text/plain;charset=UTF-8"))
                .body("string.hex", equalTo("68c3a96c6c6f"))
                .body("arrayBuffer.hex", equalTo("686900ff"))
                .body("arrayBuffer.contentType", nullValue())
                .body("uint8Array.hex", equalTo("686900ff"))
                .body("int16Array.hex", equalTo("0100ffff"))
                .body("dataView.hex", equalTo("6900"))
                .body("subarray.hex", equalTo("00ff"))
                .body("urlSearchParams.hex", equalTo(HexFormat.of().formatHex("a=1&b=x+y".getBytes())))
                .body("urlSearchParams.contentType", equalTo("application/x-www-form-urlencoded;charset=UTF-8"))
                .body("requestObject.method", equalTo("PUT"))
                .body("requestObject.text", equalTo("via Request"));
    }

    @Test
    void readsResponseBodiesEveryWay() {
        app().get("/response-bodies").then().statusCode(200)
                .body("bytes", equalTo(19))
                .body("arrayBuffer", equalTo(19))
                .body("json.n", equalTo(1))
                .body("clones", contains("hello from upstream", "hello from upstream"))
                .body("streamed", contains("hello from upstream", true))
                .body("rewrapped", equalTo("hello from upstream"))
                .body("head", contains(200, ""))
                .body("noContent", contains(204, true))
                .body("notFound", contains(404, false, "Not Found"))
                .body("usedTwice", equalTo(true))
                .body("bodyUsed", equalTo(true));
    }

    @Test
    void followsRedirectsAsTheStandardSays() {
        int port = upstream.actualPort();
        app().get("/redirects").then().statusCode(200)
                .body("see.status", equalTo(200))
                .body("see.redirected", equalTo(true))
                .body("see.url", equalTo("http://127.0.0.1:" + port + "/echo"))
                .body("see.method", equalTo("GET"))
                .body("see.text", equalTo(""))
                .body("see.contentType", nullValue())
                .body("temp.method", equalTo("POST"))
                .body("temp.text", equalTo("kept"))
                .body("temp.redirected", equalTo(true))
                .body("moved", equalTo("GET"))
                .body("putMoved", contains("PUT", "y"))
                .body("manual.status", equalTo(302))
                .body("manual.location", equalTo("/text"))
                .body("manual.redirected", equalTo(false))
                .body("error.isTypeError", equalTo(true))
                .body("error.message", containsString("redirect mode is 'error'"))
                .body("twenty", equalTo("done"))
                .body("twentyOne.isTypeError", equalTo(true))
                .body("twentyOne.message", containsString("more than 20 redirects"))
                .body("toDenied.isTypeError", equalTo(true))
                .body("toDenied.message", containsString("10.1.2.3 (private) is denied"))
                .body("toMetadata.isTypeError", equalTo(true))
                .body("toMetadata.message", containsString("cloud metadata address"));
    }

    @Test
    void abortBeforeTheRequestRejectsWithTheSignalsReason() {
        JsonPath result = run("/abort-before");
        Assumptions.assumeFalse(Boolean.TRUE.equals(result.get("skipped")), "AbortController has not landed yet");
        assertEquals("AbortError", result.getString("plain.error"));
        assertEquals(true, result.getBoolean("plain.isDOMException"));
        assertEquals("my reason", result.getString("withReason.message"));
    }

    @Test
    void abortDuringTheRequestRejectsAndClosesTheConnection() throws Exception {
        String id = UUID.randomUUID().toString();
        JsonPath result = app().queryParam("id", id).get("/abort-during").then().statusCode(200).extract().jsonPath();
        Assumptions.assumeFalse(Boolean.TRUE.equals(result.get("skipped")), "AbortController has not landed yet");
        assertEquals("AbortError", result.getString("error"));
        assertTrue(result.getInt("tookMs") < 5000, "took " + result.getInt("tookMs"));
        awaitClosed(id);
    }

    @Test
    void aStallingServerTimesOutWithATimeoutError() {
        app().get("/timeout").then().statusCode(200)
                .body("error", equalTo("TimeoutError"))
                .body("isDOMException", equalTo(true))
                .body("message", containsString("within 3000 ms"))
                .body("message", containsString("outbound.timeout"))
                .body("tookMs", lessThan(15000));
    }

    @Test
    void aConnectionResetMidResponseFailsTheBody() {
        app().get("/reset").then().statusCode(200)
                .body("status", equalTo(200))
                .body("body.isTypeError", equalTo(true))
                .body("body.message", containsString("closed before the response body ended"));
    }

    @Test
    void networkFailuresRejectWithTypeErrors() {
        app().queryParam("garbage", garbage.actualPort()).get("/garbage").then().statusCode(200)
                .body("isTypeError", equalTo(true))
                .body("message", startsWith("fetch failed"));
        app().queryParam("closed", closedPort).get("/refused").then().statusCode(200)
                .body("isTypeError", equalTo(true))
                .body("message", equalTo("fetch failed: connection refused to http://127.0.0.1:" + closedPort));
        // The process's first TLS handshake (JCA start-up) can pass the 3 s timeout on a loaded machine.
        app().queryParam("tls", untrusted.actualPort()).get("/tls").then().statusCode(200);
        app().queryParam("tls", untrusted.actualPort()).get("/tls").then().statusCode(200)
                .body("isTypeError", equalTo(true))
                .body("message", startsWith("fetch failed: TLS handshake with https://localhost:" + untrusted.actualPort()));
        app().get("/dns").then().statusCode(200)
                .body("isTypeError", equalTo(true))
                .body("message", containsString("could not resolve host no-such-host.invalid"));
        app().get("/schemes").then().statusCode(200)
                .body("data.isTypeError", equalTo(true))
                .body("data.message", containsString("'data' is not supported"))
                .body("badUrl.isTypeError", equalTo(true))
                .body("getWithBody.isTypeError", equalTo(true));
    }

    @Test
    void aResponseOverTheSizeLimitIsRefused() {
        app().get("/too-large").then().statusCode(200)
                .body("declared.isTypeError", equalTo(true))
                .body("declared.message", containsString("response too large"))
                .body("chunked.status", equalTo(200))
                .body("chunked.body.isTypeError", equalTo(true))
                .body("chunked.body.message", containsString("response too large"))
                .body("justUnder", equalTo(60000));
    }

    @Test
    void fetchesBeyondTheConcurrencyLimitAreRefused() {
        app().get("/concurrency").then().statusCode(200)
                .body("ok", equalTo(4))
                .body("refused", hasSize(1))
                .body("refused[0]", containsString("more than 4 fetches in flight"))
                .body("afterwards", equalTo("hello from upstream"));
    }

    @Test
    void theOutboundPolicyIsCheckedBeforeConnecting() {
        int nanoPort = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        int managementPort = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        app().queryParam("nano", nanoPort).queryParam("management", managementPort).get("/policy").then().statusCode(200)
                .body("metadata.isTypeError", equalTo(true))
                .body("metadata.message", containsString("169.254.169.254 is the cloud metadata address"))
                .body("ownPort.isTypeError", equalTo(true))
                .body("ownPort.message", endsWith("127.0.0.1:" + nanoPort + " is NANO's own port"))
                .body("ownManagementPort.message", containsString(":" + managementPort + " is NANO's own port"))
                .body("denied.message", containsString("outbound policy of app 'outbound' refuses http://10.1.2.3:80: "
                        + "10.1.2.3 (private) is denied"))
                .body("localAllowed", equalTo(200))
                .body("localhostName", equalTo(200));
    }

    @Test
    void theDefaultPolicyAllowsOnlyPublicAddresses() {
        given().header("Host", "outbounddefault.test").queryParam("port", upstream.actualPort()).get("/")
                .then().statusCode(200)
                .body("loopback.error", equalTo("TypeError"))
                .body("loopback.message", containsString("127.0.0.1 (local) is not allowed"))
                .body("localhost.error", equalTo("TypeError"))
                .body("ipv6Loopback.message", containsString("(local) is not allowed"))
                .body("private.message", containsString("192.168.1.1 (private) is not allowed"))
                .body("cgnat.message", containsString("100.64.0.1 (private) is not allowed"))
                .body("metadata.message", containsString("cloud metadata address"))
                .body("unspecified.message", containsString("0.0.0.0 (local) is not allowed"));
    }

    @Test
    void aBadPolicyEntryFailsTheAppsLoad() {
        given().header("Host", "outboundbad.test").get("/").then().statusCode(503)
                .body("error", equalTo("app_failed"))
                .body("message", endsWith("outbound.allow: 'intranet' is neither public, private, local nor a CIDR"));
    }

    @Test
    void completionsRunOnTheContextsOwnLoop() {
        try (LogCapture logs = LogCapture.of("nano.app")) {
            String id = UUID.randomUUID().toString();
            app().queryParam("id", id).get("/thread").then().statusCode(200);
            for (String probe : new String[] {"fetch probe " + id, "fetch body probe " + id}) {
                LogCapture.Captured record = TimersTest.awaitRecord(logs, probe, Duration.ofSeconds(5)).orElseThrow();
                assertTrue(record.thread().startsWith("nano-loop-"), record.thread());
                assertEquals("outbound", record.fields().get("app"));
            }
        }
    }

    @Test
    void aFetchStillInFlightWhenTheRequestEndsIsCancelled() throws Exception {
        try (LogCapture logs = LogCapture.of("nano.app")) {
            String id = UUID.randomUUID().toString();
            app().queryParam("id", id).get("/left-in-flight").then().statusCode(200).body(equalTo("answered"));
            awaitClosed(id);
            Thread.sleep(200);
            assertFalse(logs.records().stream().anyMatch(r -> r.message().contains("left fetch " + id)),
                    "the cancelled fetch's promise never settles into the closed request");
        }
    }

    @Test
    void aFetchedResponseCanBeReturnedAsIs() {
        app().get("/passthrough").then().statusCode(200)
                .header("x-upstream", "yes")
                .body(equalTo("hello from upstream"));
    }

    @Test
    void requestHasTheStandardsAttributes() {
        app().get("/request-attributes").then().statusCode(200)
                .body("plain", contains("default", "same-origin", "cors", "", false, "about:client", "", "follow",
                        "half", ""))
                .body("custom", contains("no-store", "include", "no-cors", "sha256-x", true, "", "no-referrer", "manual",
                        "half", ""))
                .body("copied", contains("no-store", "include", "no-cors", "sha256-x", true, "", "no-referrer", "manual",
                        "half", ""))
                .body("clone", contains("no-store", "include", "no-cors", "sha256-x", true, "", "no-referrer", "manual",
                        "half", ""))
                .body("navigate", equalTo(true))
                .body("onlyIfCached", equalTo(true))
                .body("badEnum", equalTo(true))
                .body("badSignal", equalTo(true));
    }

    @Test
    void metricsCountResponsesErrorsAndLatency() {
        app().get("/get").then().statusCode(200);
        app().get("/dns").then().statusCode(200);
        app().queryParam("nano", 1).queryParam("management", 2).get("/policy").then().statusCode(200);
        String metrics = given().get(NanoTest.managementUrl("/q/metrics")).then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("nano_fetch_requests_total{app=\"outbound\",status_class=\"2xx\"}"), metrics);
        assertTrue(metrics.contains("nano_fetch_errors_total{app=\"outbound\",reason=\"dns\"}"), metrics);
        assertTrue(metrics.contains("nano_fetch_errors_total{app=\"outbound\",reason=\"refused_by_policy\"}"), metrics);
        assertTrue(metrics.contains("nano_fetch_duration_seconds_count{app=\"outbound\"}"), metrics);
    }

    private static void awaitClosed(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!closedHolds.contains(id) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(closedHolds.contains(id), "the upstream saw the connection of /hold?id=" + id + " closed");
    }
}
