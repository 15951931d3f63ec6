package dev.nano.lifecycle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** HTTP/1.1 over a plain socket, so that tests control connections: one request, one answer. */
final class RawHttp implements AutoCloseable {

    record Answer(int status, Map<String, String> headers, String body, long atNanos) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    final Socket socket;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
    }

    void send(String method, String host, String path, String headers) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one response; throws when the connection ends before a whole one came. */
    Answer read() throws IOException {
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                String size = line(in);
                if (size == null) {
                    throw new IOException("the body was cut after " + body.size() + " bytes: " + body);
                }
                int length = Integer.parseInt(size.trim(), 16);
                if (length == 0) {
                    line(in);
                    break;
                }
                byte[] chunk = in.readNBytes(length);
                if (chunk.length < length) {
                    throw new IOException("the body was cut inside a chunk");
                }
                body.write(chunk);
                line(in);
            }
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8), System.nanoTime());
    }

    /** True once the server closed the connection (read gives end of stream or a reset). */
    boolean closedByServer() {
        try {
            return socket.getInputStream().read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    static Answer get(int port, String host, String path) throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            http.send("GET", host, path, "");
            return http.read();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
