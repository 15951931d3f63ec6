package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nano.NanoTest;
import dev.nano.TestApps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code nano.connection-idle-timeout} (2 s here) over raw sockets: a client dribbling a request
 * head is cut off, an idle keep-alive connection is closed, and a slow request in progress keeps
 * its connection.
 */
@QuarkusTest
@TestProfile(IdleConnectionsTest.ShortIdleTimeout.class)
class IdleConnectionsTest {

    public static class ShortIdleTimeout extends TestApps {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("nano.connection-idle-timeout", "2s");
            // With h2c on, Vert.x makes the connection only once a first head is complete (it may
            // ask for an upgrade), so a dribbled FIRST head is out of NANO's sight (README).
            config.put("quarkus.http.http2", "false");
            return config;
        }
    }

    @BeforeEach
    void ready() {
        NanoTest.awaitReady();
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", NanoTest.appPort());
        socket.setSoTimeout(200);
        return socket;
    }

    /** True once the server has closed the connection (end of stream or reset). */
    private static boolean closedByServer(InputStream in, ByteArrayOutputStream received) throws IOException {
        try {
            int b = in.read();
            if (b < 0) {
                return true;
            }
            received.write(b);
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // reset
        }
    }

    @Test
    void aClientDribblingItsRequestHeadIsCutOff() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /sleep?ms=0 HTTP/1.1\r\nHost: slow.test\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean closed = false;
            // One byte every 300 ms: Vert.x's own idle timeout would never fire.
            while (!closed && System.nanoTime() - start < 10_000_000_000L) {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                closed = closedByServer(in, received);
                Thread.sleep(100);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(closed, "the dribbling connection was still open after 10 s");
            assertTrue(millis >= 1_900, "closed before the idle timeout: " + millis + " ms");
            assertEquals(0, received.size(), "no response to a head that never completed");
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterItsResponse() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /sleep?ms=0 HTTP/1.1\r\nHost: slow.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long start = System.nanoTime();
            boolean closed = false;
            while (!closed && System.nanoTime() - start < 10_000_000_000L) {
                closed = closedByServer(in, received);
            }
            String response = received.toString(StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(closed, "the idle keep-alive connection was still open after 10 s");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 1_900, "closed before the idle timeout: " + millis + " ms");
        }
    }

    @Test
    void aSlowRequestInProgressKeepsItsConnection() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /sleep?ms=4000 HTTP/1.1\r\nHost: slow.test\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long start = System.nanoTime();
            while (!received.toString(StandardCharsets.US_ASCII).endsWith("slept 4000")
                    && System.nanoTime() - start < 15_000_000_000L) {
                if (closedByServer(in, received)) {
                    break;
                }
            }
            String response = received.toString(StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 200") && response.endsWith("slept 4000"), response);
        }
    }
}
