package dev.nano.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CompressionStream, DecompressionStream, TextEncoderStream and TextDecoderStream as an app sees
 * them (src/test/resources/apps/compression), and over real HTTP against java.util.zip: what the
 * app compresses the JDK decompresses, and the other way round.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class CompressionTest {

    private static final String HOST = "compression.test";
    private static final String TEXT = "Streams all the way down; ".repeat(2000);

    static {
        // The tests pick the app by Host header, which java.net.http otherwise refuses to set.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private ValidatableResponse cases;

    @BeforeEach
    void runCases() {
        NanoTest.awaitReady();
        if (cases == null) {
            cases = given().header("Host", HOST).get("/").then().statusCode(200);
        }
    }

    @Test
    void theInterfacesAreGlobals() {
        cases.body("interfaces", contains(
                List.of("function", false, "[object CompressionStream]"),
                List.of("function", false, "[object DecompressionStream]"),
                List.of("function", false, "[object TextEncoderStream]"),
                List.of("function", false, "[object TextDecoderStream]")));
    }

    @Test
    void eachFormatRoundTripsInTheApp() {
        Deflater raw = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        raw.setInput(new byte[] {'x'});
        raw.finish();
        byte[] rawHead = new byte[16];
        raw.deflate(rawHead);
        raw.end();
        cases.body("roundTrips.gzip", contains(true, true))
                .body("roundTrips.deflate", contains(true, true))
                .body("roundTrips.deflate-raw", contains(true, true))
                        // gzip's magic bytes; zlib's CMF/FLG for a 32 KiB window at the default level; raw as the JDK's.
                .body("headers", contains(List.of(31, 139), List.of(120, 156),
                        List.of(rawHead[0] & 0xff, rawHead[1] & 0xff)))
                .body("splitInput.gzip", equalTo("split me, please"))
                .body("splitInput.deflate", equalTo("split me, please"))
                .body("splitInput.deflate-raw", equalTo("split me, please"))
                .body("emptyInput.gzip", contains(true, 0))
                .body("emptyInput.deflate", contains(true, 0))
                .body("emptyInput.deflate-raw", contains(true, 0))
                .body("pipeChain", equalTo("h\u00E9llo w\u00F6rld \uD83D\uDE00"));
    }

    @Test
    void outputComesInPiecesOfAtMost64KiB() {
        cases.body("boundedPieces", contains(32, true, 2 << 20));
    }

    @Test
    void invalidDataAndChunksAreTypeErrors() {
        cases.body("corrupt.garbage", equalTo("TypeError"))
                .body("corrupt.badCrc", equalTo("TypeError"))
                .body("corrupt.badSize", equalTo("TypeError"))
                .body("corrupt.badAdler", equalTo("TypeError"))
                .body("corrupt.truncated", equalTo("TypeError"))
                .body("corrupt.trailingJunk", equalTo("TypeError"))
                .body("corrupt.wrongFormat", equalTo("TypeError"))
                .body("badChunks", everyItem(contains("TypeError", "TypeError")))
                .body("constructorErrors", contains("TypeError", "TypeError", "TypeError"));
    }

    @Test
    void encodingStreamsHandleSequencesSplitAcrossChunks() {
        cases.body("encoderStream", contains(
                        List.of(0x61, 0xF0, 0x9F, 0x98, 0x80, 0x62),
                        List.of(0x78, 0xEF, 0xBF, 0xBD),
                        List.of(0xEF, 0xBF, 0xBD, 0x79),
                        "utf-8"))
                .body("decoderStream.split", equalTo("A|\u20ACB"))
                .body("decoderStream.incomplete", equalTo("A|\uFFFD"))
                .body("decoderStream.fatal", equalTo("TypeError"))
                .body("decoderStream.fatalIncomplete", equalTo("TypeError"))
                .body("decoderStream.bom", equalTo("A"))
                .body("decoderStream.keepBom", equalTo("\uFEFFA"))
                .body("decoderStream.utf16", equalTo("A|\uD83D\uDE00"))
                .body("decoderStream.attributes", contains("utf-16le", true, true))
                .body("decoderStream.badChunk", equalTo("TypeError"))
                .body("decoderStream.badLabel", equalTo("RangeError"));
    }

    @Test
    void theAppInflatesUploadsTheJdkCompressed() throws Exception {
        byte[] plain = TEXT.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write(plain);
        }
        given().header("Host", HOST).body(gzipped.toByteArray()).post("/decompress?format=gzip")
                .then().statusCode(200).body(equalTo(TEXT));
        for (boolean raw : new boolean[] {false, true}) {
            ByteArrayOutputStream deflated = new ByteArrayOutputStream();
            try (DeflaterOutputStream out = new DeflaterOutputStream(deflated, new Deflater(9, raw))) {
                out.write(plain);
            }
            given().header("Host", HOST).body(deflated.toByteArray())
                    .post("/decompress?format=" + (raw ? "deflate-raw" : "deflate"))
                    .then().statusCode(200).body(equalTo(TEXT));
        }
        given().header("Host", HOST).body(TEXT).post("/roundtrip?format=gzip").then().statusCode(200)
                .body(equalTo(TEXT));
    }

    @Test
    void theJdkInflatesStreamedResponsesTheAppCompressed() throws Exception {
        byte[] expected = new byte[512 * 1024];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) ('a' + (i / 16384) % 26);
        }
        for (String format : List.of("gzip", "deflate", "deflate-raw")) {
            byte[] body = given().header("Host", HOST).get("/compress?kib=512&format=" + format).then()
                    .statusCode(200).header("transfer-encoding", "chunked").extract().asByteArray();
            assertTrue(body.length < expected.length / 100, format + " compressed to " + body.length);
            InputStream in = switch (format) {
                case "gzip" -> new GZIPInputStream(new java.io.ByteArrayInputStream(body));
                case "deflate" -> new InflaterInputStream(new java.io.ByteArrayInputStream(body));
                default -> new InflaterInputStream(new java.io.ByteArrayInputStream(body), new Inflater(true));
            };
            try (in) {
                assertArrayEquals(expected, in.readAllBytes(), format);
            }
        }
    }

    @Test
    void aDecompressionBombStreamsThroughWithFlatHeap() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        long peak = before;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<InputStream> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + NanoTest.appPort() + "/bomb?mib=1024"))
                        .header("Host", HOST).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        long expected = Long.parseLong(response.headers().firstValue("x-expected-length").orElseThrow());
        long compressed = Long.parseLong(response.headers().firstValue("x-compressed-length").orElseThrow());
        assertTrue(expected >= 1L << 30 && compressed < 8L << 20, expected + " from " + compressed);
        long total = 0;
        long nonZero = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = response.body()) {
            int read;
            long sinceSample = 0;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    nonZero |= buffer[i];
                }
                total += read;
                sinceSample += read;
                if (sinceSample > 128L << 20) {
                    // What survives a collection: the garbage of 1 GiB of pieces comes and goes
                    // with the young generation's size, what the stream holds stays.
                    sinceSample = 0;
                    System.gc();
                    peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                }
            }
        }
        assertEquals(expected, total);
        assertEquals(0, nonZero);
        assertTrue(peak - before < 256L << 20, "heap grew by " + ((peak - before) >> 20) + " MiB");
    }
}
