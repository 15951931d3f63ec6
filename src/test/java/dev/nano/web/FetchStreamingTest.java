package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.HeapWatch;
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
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fetch() bodies streamed both ways (src/test/resources/apps/fetchstream) against a real
 * upstream HTTP server this test starts on a loopback port: response bodies read from the socket
 * as they are pulled, passed through to the client with backpressure both ways, cancelled and
 * reset; request bodies streamed from a ReadableStream (duplex "half") as the upstream takes them.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class FetchStreamingTest {

    private static final String HOST = "fetchstream.test";
    private static final byte[] CHUNK = new byte[65536];

    private static Vertx vertx;
    private static HttpServer upstream;
    /** /gate requests waiting for the test to release the rest of their body. */
    private static final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
    /** /gate requests whose body the upstream finished. */
    private static final Set<String> finishedGates = ConcurrentHashMap.newKeySet();
    /** Bytes the upstream wrote (handed to its connection) per /endless id. */
    private static final Map<String, AtomicLong> written = new ConcurrentHashMap<>();
    /** Ids of /pause-body requests the upstream received. */
    private static final Set<String> pausedBodies = ConcurrentHashMap.newKeySet();
    /** Ids of requests whose connection the upstream saw closed. */
    private static final Set<String> closed = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startUpstream() throws Exception {
        for (int i = 0; i < CHUNK.length; i++) {
            CHUNK[i] = (byte) i;
        }
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer().requestHandler(FetchStreamingTest::serve).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopUpstream() {
        gates.values().forEach(gate -> gate.complete(null));
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static CompletableFuture<Void> gate(String id) {
        return gates.computeIfAbsent(id, ignored -> new CompletableFuture<>());
    }

    private static void serve(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        String id = request.getParam("id");
        switch (request.path()) {
            case "/gate" -> {
                response.setChunked(true).write("first-part");
                // The rest only once the test has seen the first part (or, failing that, after 10 s).
                gate(id).completeOnTimeout(null, 10, TimeUnit.SECONDS).thenRun(() -> vertx.runOnContext(ignored -> {
                    finishedGates.add(id);
                    response.end("rest");
                }));
            }
            case "/big" -> {
                long size = Long.parseLong(request.getParam("mib")) << 20;
                response.putHeader("content-length", Long.toString(size));
                pump(response, size, new AtomicLong());
            }
            case "/endless" -> {
                request.connection().closeHandler(ignored -> closed.add(id));
                response.setChunked(true);
                pump(response, -1, written.computeIfAbsent(id, ignored -> new AtomicLong()));
            }
            case "/reset-midway" -> {
                response.setChunked(true).write("first-part");
                vertx.setTimer(200, ignored -> request.connection().close());
            }
            case "/count-body" -> {
                AtomicLong bytes = new AtomicLong();
                AtomicLong sum = new AtomicLong();
                request.handler(chunk -> {
                    bytes.addAndGet(chunk.length());
                    long s = 0;
                    for (int i = 0; i < chunk.length(); i++) {
                        s += chunk.getByte(i) & 0xff;
                    }
                    sum.set((sum.get() + s) % 4294967296L);
                });
                request.endHandler(ignored -> response.putHeader("content-type", "application/json")
                        .end(new JsonObject().put("bytes", bytes.get()).put("sum", sum.get())
                                .put("chunked", request.getHeader("transfer-encoding")).encode()));
            }
            case "/pause-body" -> {
                // Reads nothing of the body and never answers.
                request.pause();
                pausedBodies.add(id);
                request.connection().closeHandler(ignored -> closed.add(id));
            }
            case "/redirect307" -> response.setStatusCode(307).putHeader("location", "/count-body").end();
            default -> response.setStatusCode(404).end();
        }
    }

    /** Writes 64 KiB chunks while the connection takes them ({@code size} -1: forever). */
    private static void pump(HttpServerResponse response, long size, AtomicLong counter) {
        long[] left = {size};
        Runnable[] step = new Runnable[1];
        step[0] = () -> {
            while (!response.closed() && !response.writeQueueFull()) {
                if (left[0] == 0) {
                    response.end();
                    return;
                }
                int n = left[0] < 0 ? CHUNK.length : (int) Math.min(CHUNK.length, left[0]);
                response.write(Buffer.buffer(n == CHUNK.length ? CHUNK : java.util.Arrays.copyOf(CHUNK, n)));
                counter.addAndGet(n);
                if (left[0] > 0) {
                    left[0] -= n;
                }
            }
            if (!response.closed()) {
                response.drainHandler(ignored -> step[0].run());
            }
        };
        step[0].run();
    }

    @BeforeEach
    void ready() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline
                && given().get(NanoTest.managementUrl("/q/health/ready")).statusCode() != 200) {
            Thread.sleep(200);
        }
        NanoTest.awaitReady();
    }

    private static RequestSpecification app() {
        return given().header("Host", HOST).queryParam("port", upstream.actualPort());
    }

    private static JsonPath run(String path) {
        return app().get(path).then().statusCode(200).extract().jsonPath();
    }

    private static HttpResponse<InputStream> get(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String separator = path.contains("?") ? "&" : "?";
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + NanoTest.appPort() + path + separator
                        + "port=" + upstream.actualPort())).timeout(Duration.ofSeconds(30)).header("Host", HOST).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void aFetchedBodyIsReadBeforeTheUpstreamHasFinished() {
        String id = UUID.randomUUID().toString();
        try {
            app().get("/read-first?id=" + id).then().statusCode(200)
                    .body("status", equalTo(200))
                    .body("first", equalTo("first-part"));
            assertFalse(finishedGates.contains(id), "the app read the first chunk only after the upstream finished");
        } finally {
            gate(id).complete(null);
        }
    }

    @Test
    void aPassedThroughBodyReachesTheClientAsItArrives() throws Exception {
        for (String route : new String[] {"/proxy", "/relay"}) {
            String id = UUID.randomUUID().toString();
            try {
                HttpResponse<InputStream> response = get(route + "?path=gate&id=" + id);
                assertEquals(200, response.statusCode(), route);
                try (InputStream in = response.body()) {
                    assertEquals("first-part", new String(in.readNBytes(10), StandardCharsets.UTF_8), route);
                    assertFalse(finishedGates.contains(id), route + ": the client saw the first part only at the end");
                    gate(id).complete(null);
                    assertEquals("rest", new String(in.readAllBytes(), StandardCharsets.UTF_8), route);
                }
            } finally {
                gate(id).complete(null);
            }
        }
    }

    @Test
    void aLargeBodyPassesThroughWithBoundedHeap() throws Exception {
        long before = HeapWatch.liveAfterFullGc();
        HttpResponse<InputStream> response = get("/proxy?path=big&mib=256");
        assertEquals(200, response.statusCode());
        // The upstream's length goes on (not chunked), and the body is over the old 32M buffer limit.
        assertEquals(String.valueOf(256L << 20), response.headers().firstValue("content-length").orElse("none"));
        HeapWatch.Transfer transfer = HeapWatch.drain(response.body(), 32L << 20);
        long total = transfer.bytes();
        long peakSurvived = transfer.peakSurvived();
        assertEquals(256L << 20, total);
        long after = HeapWatch.liveAfterFullGc();
        assertTrue(after - before < 64L << 20, "the heap kept " + ((after - before) >> 20) + " MiB");
        assertTrue(peakSurvived - before < 192L << 20,
                "collections during the transfer left " + ((peakSurvived - before) >> 20) + " MiB");
    }

    @Test
    void aBodyReadWholeIsBoundedButAStreamIsNot() {
        JsonPath result = run("/whole-vs-stream");
        assertEquals(true, result.getBoolean("whole.isTypeError"));
        assertTrue(result.getString("whole.message").contains("response too large"), result.prettify());
        assertEquals(40 << 20, result.getInt("streamed"));
    }

    @Test
    void aStalledClientStopsTheUpstreamAndClosingResetsIt() throws Exception {
        String id = UUID.randomUUID().toString();
        try (Socket socket = new Socket("127.0.0.1", NanoTest.appPort())) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.getOutputStream().write(("GET /proxy?path=endless&id=" + id + "&port=" + upstream.actualPort()
                    + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // Read nothing: the client's socket, NANO's write queue, then the upstream's fill and stop.
            Thread.sleep(2000);
            long early = written.getOrDefault(id, new AtomicLong()).get();
            Thread.sleep(1500);
            long late = written.getOrDefault(id, new AtomicLong()).get();
            assertTrue(early > 0, "the upstream started");
            assertEquals(early, late, "the upstream kept writing to a client that reads nothing");
            assertTrue(late < 48L << 20, "the upstream wrote " + (late >> 20) + " MiB before it stopped");
        }
        awaitClosed(id, "closing the client did not reset the upstream");
    }

    @Test
    void aReaderThatStopsStopsTheUpstream() {
        String id = UUID.randomUUID().toString();
        run("/stall-reader?id=" + id);
        long wrote = written.get(id).get();
        // The app read one chunk in 1.5 s; loopback would have carried gigabytes without backpressure.
        assertTrue(wrote < 48L << 20, "the upstream wrote " + (wrote >> 20) + " MiB");
        awaitClosed(id, "the request's end did not reset the upstream");
    }

    @Test
    void cancellingTheBodyResetsTheUpstream() {
        String id = UUID.randomUUID().toString();
        run("/cancel?id=" + id);
        // Within the app's 500 ms wait after cancel(), before its request ended.
        assertTrue(closed.contains(id), "cancel() did not reset the upstream");
    }

    @Test
    void anUpstreamResetMidwayErrorsTheReader() {
        app().get("/reset-midway").then().statusCode(200)
                .body("status", equalTo(200))
                .body("first", equalTo("first-part"))
                .body("failure.isTypeError", equalTo(true))
                .body("failure.message", containsString("closed before the response body ended"));
        // The head counted as a response, the reset midway as an error.
        String metrics = given().get(NanoTest.managementUrl("/q/metrics")).then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("nano_fetch_requests_total{app=\"fetchstream\",status_class=\"2xx\"}"), metrics);
        assertTrue(metrics.contains("nano_fetch_errors_total{app=\"fetchstream\",reason=\"reset\"}"), metrics);
    }

    @Test
    void aStreamedRequestBodyArrivesComplete() {
        JsonPath result = run("/upload?n=300");
        assertEquals(300 * 65536, result.getLong("bytes"));
        assertEquals(result.getLong("expectedSum"), result.getLong("sum"));
        assertEquals("chunked", result.getString("chunked"));
    }

    @Test
    void anIncomingRequestBodyIsForwardedAsAStream() {
        byte[] body = new byte[60_000]; // under the tests' max-body-size (64K)
        long sum = 0;
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + 7);
            sum += body[i] & 0xff;
        }
        app().body(body).post("/forward").then().statusCode(200)
                .body("bytes", equalTo(body.length))
                .body("sum", equalTo((int) (sum % 4294967296L)))
                .body("chunked", equalTo("chunked"));
    }

    @Test
    void aStreamedRequestBodyIsPulledOnlyAsTheUpstreamTakesIt() {
        String id = UUID.randomUUID().toString();
        JsonPath result = run("/upload-stalled?id=" + id);
        int early = result.getInt("early");
        int late = result.getInt("late");
        assertTrue(early > 0, "the upload started");
        assertTrue(pausedBodies.contains(id), "the upstream never saw the upload: " + result.prettify());
        assertEquals(early, late, "the app's stream was pulled while the upstream read nothing: " + result.prettify());
        assertTrue(late < 512, "the app's stream was pulled " + late + " times (64 KiB each)");
        assertEquals("AbortError", result.getString("aborted"));
        awaitClosed(id, "the abort did not reset the upload");
    }

    @Test
    void aStreamBodyNeedsDuplexAndCannotFollowA307() {
        app().get("/no-duplex").then().statusCode(200)
                .body("fetch.isTypeError", equalTo(true))
                .body("fetch.message", containsString("duplex"))
                .body("request.isTypeError", equalTo(true))
                .body("withDuplex", equalTo("half"))
                .body("redirect.isTypeError", equalTo(true))
                .body("redirect.message", containsString("streamed request body"));
    }

    private static void awaitClosed(String id, String message) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!closed.contains(id) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertTrue(closed.contains(id), message);
    }
}
