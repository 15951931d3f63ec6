package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.HeapWatch;
import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streaming bodies over real HTTP (src/test/resources/apps/streaming): responses written as the
 * app's stream produces them, uploads read as streams, backpressure from a stalled client,
 * cancellation when it goes away, and a stream that fails midway cutting the response.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class StreamingBodiesTest {

    private static final String HOST = "streaming.test";

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    static {
        // The tests pick the app by Host header, which java.net.http otherwise refuses to set.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private static HttpResponse<InputStream> get(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + NanoTest.appPort() + path))
                .header("Host", HOST).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static JsonPath probe(String id) {
        return given().header("Host", HOST).get("/probe?id=" + id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aResponseStreamIsSentChunked() {
        byte[] body = given().header("Host", HOST).get("/stream?chunks=4&size=16384").then().statusCode(200)
                .header("transfer-encoding", "chunked")
                .header("content-length", nullValue())
                .extract().asByteArray();
        assertEquals(65536, body.length);
        assertEquals('a', body[0]);
        assertEquals('d', body[65535]);
    }

    @Test
    void anUploadStreamsThroughATransformStreamBackToTheClient() {
        String text = "hello streams ".repeat(3000);
        given().header("Host", HOST).body(text).post("/upper").then().statusCode(200)
                .body(equalTo(text.toUpperCase()));
        given().header("Host", HOST).body(text).post("/echo").then().statusCode(200).body(equalTo(text));
    }

    @Test
    void anUploadIsReadChunkByChunk() {
        byte[] upload = new byte[50_000];
        given().header("Host", HOST).body(upload).post("/upload-size").then().statusCode(200)
                .body("total", equalTo(50_000));
    }

    @Test
    void aStreamedUploadOverTheLimitIs413() throws Exception {
        // Chunked (no Content-Length), so only counting the streamed bytes can catch it.
        try (Socket socket = new Socket("127.0.0.1", NanoTest.appPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload-size HTTP/1.1\r\nHost: " + HOST + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[16384];
            try {
                for (int i = 0; i < 8; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closedEarly) {
                // NANO may answer and close before the whole upload is written.
            }
            socket.setSoTimeout(10_000);
            String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", head);
        }
    }

    @Test
    void aStalledClientStopsTheStreamAndClosingItCancelsTheStream() throws Exception {
        String id = UUID.randomUUID().toString();
        try (Socket socket = new Socket("127.0.0.1", NanoTest.appPort())) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.getOutputStream().write(("GET /endless?id=" + id + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // Read nothing: the socket buffers and NANO's write queue fill, then the pulls stop.
            Thread.sleep(1500);
            int early = probe(id).getInt("pulls");
            Thread.sleep(1500);
            int late = probe(id).getInt("pulls");
            assertTrue(early > 0, "the stream started");
            assertEquals(early, late, "no pulls while the client reads nothing");
            assertTrue(late < 2048, "bounded: " + late + " chunks of 16 KiB before the stall");
            assertNull(probe(id).getString("cancelled"));
        }
        Instant deadline = Instant.now().plusSeconds(5);
        String cancelled = null;
        while (cancelled == null && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            cancelled = probe(id).getString("cancelled");
        }
        assertNotNull(cancelled, "cancel() ran when the client went away");
        assertTrue(cancelled.contains("client closed the connection"), cancelled);
    }

    private static void assertNull(String value) {
        assertEquals(null, value);
    }

    @Test
    void aStreamThatFailsMidwayCutsTheResponse() throws Exception {
        for (String path : new String[] {"/error-midway", "/not-bytes"}) {
            try (Socket socket = new Socket("127.0.0.1", NanoTest.appPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                try {
                    socket.getInputStream().transferTo(received);
                } catch (IOException reset) {
                    // A reset is a cut too.
                }
                String wire = received.toString(StandardCharsets.ISO_8859_1);
                assertTrue(wire.startsWith("HTTP/1.1 200"), wire);
                assertFalse(wire.endsWith("0\r\n\r\n"), "no terminating chunk: the body is cut, " + path);
            }
        }
        given().header("Host", HOST).get("/stream?chunks=1&size=10").then().statusCode(200);
    }

    @Test
    void aHeadRequestCancelsTheUnusedStream() throws Exception {
        String id = UUID.randomUUID().toString();
        given().header("Host", HOST).head("/head?id=" + id).then().statusCode(200);
        Instant deadline = Instant.now().plusSeconds(5);
        while (probe(id).getString("cancelled") == null && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertNotNull(probe(id).getString("cancelled"));
    }

    @Test
    void theRequestBodyIsAStreamOnlyWhenThereIsOne() {
        given().header("Host", HOST).get("/body-shape").then().statusCode(200)
                .body("isNull", equalTo(true));
        given().header("Host", HOST).body("some bytes").post("/body-shape").then().statusCode(200)
                .body("isStream", equalTo(true))
                .body("usedBefore", equalTo(false))
                .body("firstChunkIsBytes", equalTo(true))
                .body("usedAfterRead", equalTo(true))
                .body("textAfterRead", equalTo("TypeError"));
    }

    @Test
    void clonesAndTeesReadTheSameBytes() {
        given().header("Host", HOST).get("/clone").then().statusCode(200)
                .body("same", equalTo(true))
                .body("a", equalTo("aaaaabbbbbccccc"));
        byte[] upload = new byte[60_000];
        Arrays.fill(upload, (byte) 'q');
        given().header("Host", HOST).body(upload).post("/tee").then().statusCode(200)
                .body("fastBytes", equalTo(60_000))
                .body("slowBytes", equalTo(60_000));
        given().header("Host", HOST).get("/string-body").then().statusCode(200).body(equalTo("plain text"));
    }

    @Test
    void aGibibyteStreamsThroughATransformStreamWithFlatHeap() throws Exception {
        // Garbage comes and goes (a large young generation may hold hundreds of MiB of it before a
        // collection), so what is measured is what survives collections: the heap after each GC
        // while the body flows, and after a full GC at the end.
        long before = HeapWatch.liveAfterFullGc();
        HttpResponse<InputStream> response = get("/generated?mib=1024");
        assertEquals(200, response.statusCode());
        HeapWatch.Transfer transfer = HeapWatch.drain(response.body(), 64L << 20);
        long total = transfer.bytes();
        long peakSurvived = transfer.peakSurvived();
        assertEquals(1024L << 20, total);
        long after = HeapWatch.liveAfterFullGc();
        assertTrue(after - before < 128L << 20, "the heap kept " + ((after - before) >> 20) + " MiB");
        assertTrue(peakSurvived - before < 512L << 20,
                "collections during the transfer left " + ((peakSurvived - before) >> 20) + " MiB");
    }


}
