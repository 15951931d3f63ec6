package dev.nano.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Host routing and the runtime's own answers, on the real server and a raw socket. */
@QuarkusTest
@TestProfile(TestApps.class)
class RoutingTest {


    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    @Test
    void anUnknownHostIs404Json() {
        given().header("Host", "nobody.test").get("/").then().statusCode(404)
                .contentType("application/json")
                .header("date", endsWith(" GMT"))
                .body("error", equalTo("no_app"))
                .body("message", equalTo("no app serves host nobody.test"));
    }

    @Test
    void hostsMatchWithoutPortAndCase() {
        given().header("Host", "HELLO.localhost:8080").get("/").then().statusCode(200)
                .body(containsString("Hello from NANO"));
    }

    @Test
    void wildcardHostsMatchAnySubdomain() {
        given().header("Host", "a.b.limits.test").get("/").then().statusCode(200).body(equalTo("still fine"));
        given().header("Host", "limits.test.evil").get("/").then().statusCode(404);
    }

    @Test
    void aDeclaredOversizedBodyIs413() {
        given().header("Host", "echo.localhost").body(new byte[70 * 1024]).post("/").then().statusCode(413)
                .body("error", equalTo("body_too_large"));
    }

    @Test
    void aStreamedOversizedBodyIs413() throws Exception {
        String head = "POST / HTTP/1.1\r\nHost: echo.localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
        String response = exchange(head, 100, 1024);
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        assertTrue(response.contains("body_too_large"), response);
    }

    @Test
    void malformedHttpIs400AndTheServerKeepsServing() throws Exception {
        String response = exchange("GARBAGE / NOT-HTTP\r\n\r\n", 0, 0);
        assertTrue(response.matches("(?s)HTTP/1\\.[01] 400 .*"), response);
        given().header("Host", "hello.localhost").get("/").then().statusCode(200);
    }

    @Test
    void anOversizedRequestHeadIs431AndTheServerKeepsServing() throws Exception {
        String big = "x".repeat(30 * 1024); // quarkus.http.limits.max-header-size is 20K
        String response = exchange("GET / HTTP/1.1\r\nHost: hello.localhost\r\nX-Big: " + big + "\r\n\r\n", 0, 0);
        assertTrue(response.startsWith("HTTP/1.1 431"), response);
        given().header("Host", "hello.localhost").header("X-Fits", "x".repeat(10 * 1024)).get("/")
                .then().statusCode(200);
    }

    @Test
    void aRequestWithoutHostIs400() throws Exception {
        String response = exchange("GET / HTTP/1.0\r\n\r\n", 0, 0);
        assertTrue(response.matches("(?s)HTTP/1\\.[01] 400 .*"), response);
        assertTrue(response.contains("no Host header"), response);
    }

    /** Sends a head, then {@code chunks} chunks of {@code chunkSize} bytes, and reads the answer. */
    private String exchange(String head, int chunks, int chunkSize) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", NanoTest.appPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[chunkSize];
            try {
                for (int i = 0; i < chunks; i++) {
                    out.write((Integer.toHexString(chunkSize) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                if (chunks > 0) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (java.io.IOException closedByServer) {
                // The server may answer and close before the whole body is sent.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int read;
                while ((read = in.read(buffer)) > 0) {
                    answer.write(buffer, 0, read);
                    if (answer.toString(StandardCharsets.ISO_8859_1).contains("}")) {
                        break;
                    }
                }
            } catch (java.net.SocketException reset) {
                // Connection closed after the answer.
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
