package dev.nano.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an attacker's app or a hostile client can send, checked on the wire: the bytes a
 * keep-alive client reads after a forged response, the runtime's answers to malformed requests,
 * and what error bodies reveal.
 */
@QuarkusTest
@TestProfile(TestApps.class)
class HardeningTest {

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    /** One response as a client parses it: status line, lower-case headers, body by its framing. */
    record Wire(int status, String head, String body) {
        String header(String name) {
            Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":[ \\t]*([^\\r\\n]*)").matcher(head);
            return m.find() ? m.group(1) : null;
        }
    }

    /** Sends raw bytes and reads what comes back until the server closes or goes quiet for 3 s. */
    private static byte[] exchange(String raw) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", NanoTest.appPort())) {
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException quiet) {
                // what came is all that comes
            }
            return out.toByteArray();
        }
    }

    /** Parses consecutive HTTP/1.1 responses as a keep-alive client would. */
    private static List<Wire> responses(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<Wire> list = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int headEnd = text.indexOf("\r\n\r\n", at);
            if (headEnd < 0) {
                list.add(new Wire(-1, text.substring(at), ""));
                break;
            }
            String head = text.substring(at, headEnd + 2);
            int status = Integer.parseInt(head.substring(9, 12));
            Wire partial = new Wire(status, head, "");
            int bodyStart = headEnd + 4;
            String length = partial.header("content-length");
            String body;
            if ("chunked".equalsIgnoreCase(partial.header("transfer-encoding"))) {
                StringBuilder decoded = new StringBuilder();
                int p = bodyStart;
                while (true) {
                    int lineEnd = text.indexOf("\r\n", p);
                    int size = Integer.parseInt(text.substring(p, lineEnd).trim(), 16);
                    p = lineEnd + 2;
                    if (size == 0) {
                        p += 2;
                        break;
                    }
                    decoded.append(text, p, p + size);
                    p += size + 2;
                }
                body = decoded.toString();
                at = p;
            } else {
                int n = length == null ? text.length() - bodyStart : Integer.parseInt(length.trim());
                body = text.substring(bodyStart, Math.min(text.length(), bodyStart + n));
                at = bodyStart + n;
            }
            list.add(new Wire(status, head, body));
        }
        return list;
    }

    private static String get(String host, String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
    }

    @Test
    void aForgedUpperCaseContentLengthSmugglesNoSecondResponse() throws Exception {
        List<Wire> got = responses(exchange(get("hardening.test", "/forge-content-length")
                + get("hardening.test", "/plain")));
        assertEquals(2, got.size(), "exactly two responses for two requests: " + got);
        assertFalse(got.get(0).head().toLowerCase(Locale.ROOT).contains("x-smuggled"), got.toString());
        assertEquals("plain", got.get(1).body(), "the second request gets its own answer: " + got);
        assertTrue(got.stream().noneMatch(w -> w.head().contains("X-Smuggled")), got.toString());
    }

    @Test
    void aForgedTransferEncodingSmugglesNoSecondResponse() throws Exception {
        List<Wire> got = responses(exchange(get("hardening.test", "/forge-transfer-encoding")
                + get("hardening.test", "/plain")));
        assertEquals(2, got.size(), "exactly two responses for two requests: " + got);
        assertEquals("plain", got.get(1).body(), got.toString());
    }

    /**
     * The forging cases reach the binding through runtime internals. Since the prelude keeps its
     * state where no app can reach it they answer 418 ("unreachable"); before, they reached the
     * binding, which now refuses what they forge (500, invalid_response). Either is sound; what
     * must never happen is the forged value on the wire. ResponseHeadersTest checks the binding's
     * rules themselves.
     */
    private static void refusedOrUnreachable(io.restassured.response.Response response, String mention) {
        if (response.statusCode() == 418) {
            assertEquals("unreachable", response.asString());
            return;
        }
        assertEquals(500, response.statusCode(), response.asString());
        assertEquals("invalid_response", response.path("error"));
        assertTrue(response.<String>path("message").contains(mention), response.asString());
    }

    @Test
    void statusesOutsideTheAppRangeAre500() {
        for (int code : new int[] {0, 100, 101, 199, 600, 1000}) {
            refusedOrUnreachable(given().header("Host", "hardening.test").get("/forge-status?code=" + code),
                    "status " + code);
        }
    }

    @Test
    void tenantCodeCannotReachTheRuntimesRequestScope() {
        given().header("Host", "hardening.test").get("/forge-status?code=200").then().statusCode(418);
        // A POST: its body is a host body, whose objects hold the scope until read.
        given().header("Host", "hardening.test").body("some body").post("/probe-internals").then().statusCode(200)
                .body("reached", equalTo(java.util.List.of()));
    }

    @Test
    void headerNamesValuesAndStatusTextThatCouldSplitTheHeadAre500() throws Exception {
        for (String path : new String[] {"/forge-status-text", "/forge-header-value",
            "/forge-header-name?name=x%20a", "/forge-header-name?name=x:a", "/forge-header-name?name="}) {
            List<Wire> got = responses(exchange(get("hardening.test", path) + get("hardening.test", "/plain")));
            assertTrue(got.get(0).status() == 418 || got.get(0).status() == 500
                    && got.get(0).body().contains("invalid_response"), path + ": " + got);
            assertEquals("plain", got.get(1).body(), path + ": " + got);
            assertTrue(got.stream().noneMatch(w -> w.head().contains("X-Injected")), path + ": " + got);
        }
    }

    @Test
    void byteRangesAreCheckedBeforeAnyAllocation() {
        refusedOrUnreachable(given().header("Host", "hardening.test").get("/forge-range"), "outside its buffer");
        refusedOrUnreachable(given().header("Host", "hardening.test").get("/forge-big-bytes"), "in one piece");
    }

    private static String inFlight() {
        String metrics = given().get(NanoTest.managementUrl("/q/metrics")).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^nano_requests_inflight\\{app=\"hardening\"} (\\S+)$").matcher(metrics);
        return m.find() ? m.group(1) : "absent";
    }

    @Test
    void aValueTheWireCannotCarryIs500AndReleasesTheInFlightGauge() throws Exception {
        given().header("Host", "hardening.test").get("/plain").then().statusCode(200);
        String before = inFlight();
        for (String variant : new String[] {"ctl", "del"}) {
            List<Wire> got = responses(exchange(get("hardening.test", "/control-in-value?v=" + variant)
                    + get("hardening.test", "/plain")));
            assertFalse(got.isEmpty(), variant + ": the client got an answer");
            assertEquals(500, got.get(0).status(), variant + ": " + got);
            assertFalse(got.get(0).head().contains("x-a:"), variant + ": " + got);
        }
        assertEquals(before, inFlight(), "nano_requests_inflight back to its value");
    }

    @Test
    void largeBodiesAreStreamedInPiecesAndComplete() {
        io.restassured.response.Response big = given().header("Host", "hardening.test").get("/big-bytes?mib=8");
        assertEquals(200, big.statusCode());
        byte[] body = big.asByteArray();
        assertEquals(8 * 1024 * 1024, body.length);
        assertEquals(0x2a, body[body.length - 1]);
        assertEquals("chunked", big.header("transfer-encoding"), "sent through the streaming sink");
        io.restassured.response.Response text = given().header("Host", "hardening.test").get("/big-text?chars=1500000");
        assertEquals(200, text.statusCode());
        assertEquals(3_000_000, text.asByteArray().length);
    }

    @Test
    void aTransferEncodingOtherThanChunkedIsRefused() throws Exception {
        List<Wire> got = responses(exchange("POST /plain HTTP/1.1\r\nHost: hardening.test\r\n"
                + "Transfer-Encoding: xchunked\r\n\r\n" + get("hardening.test", "/plain")));
        assertTrue(got.get(0).status() == 400 || got.get(0).status() == 501, got.toString());
        assertEquals(1, got.size(), "the connection closes: what follows is not read as a request: " + got);
    }

    @Test
    void twoDifferentHostHeadersAre400() throws Exception {
        List<Wire> got = responses(exchange("GET /plain HTTP/1.1\r\nHost: hardening.test\r\nHost: url.test\r\n\r\n"));
        assertEquals(400, got.get(0).status(), got.toString());
    }

    @Test
    void anAbsoluteFormTargetIsRoutedByItsAuthority() throws Exception {
        List<Wire> got = responses(exchange("GET http://hardening.test/url?q=1 HTTP/1.1\r\nHost: url.test\r\n"
                + "Connection: close\r\n\r\n"));
        assertEquals(200, got.get(0).status(), got.toString());
        assertTrue(got.get(0).body().contains("\"url\":\"http://hardening.test/url?q=1\""), got.toString());
    }

    @Test
    void the404BodyDoesNotEchoTheHostAsGiven() {
        String host = "x".repeat(200) + ".nobody.test";
        String body = given().header("Host", host).get("/").then().statusCode(404).extract().asString();
        assertTrue(body.length() < 300, body);
        given().header("Host", "<script>.test").get("/").then().statusCode(400)
                .body(not(containsString("<script>")));
    }

    @Test
    void errorBodiesCarryNoHostPaths() {
        String root = Path.of("").toAbsolutePath().toString();
        given().header("Host", "missing.test").get("/").then().statusCode(503)
                .body("message", containsString("module file not found"))
                .body(not(containsString(root)));
        for (String path : new String[] {"/import-missing", "/import-outside", "/throw"}) {
            given().header("Host", "hardening.test").get(path).then()
                    .body(not(containsString(root)));
        }
    }
}
