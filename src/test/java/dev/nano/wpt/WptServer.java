package dev.nano.wpt;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WPT folder served read-only over HTTP on loopback, as wptserve would serve its static files,
 * so that tests can fetch the resources next to them: two ports ({@code {{ports[http][0]}}} and
 * {@code [1]}, for cross-origin tests), {@code .sub.} files with their templates substituted,
 * {@code <file>.headers} applied. There are no {@code .py} handlers (404).
 */
final class WptServer {

    /** The host name tests see ({@code {{host}}}); WPT's helpers treat {@code localhost} specially. */
    static final String HOST = "localhost";

    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{([^}]*)}}");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain"),
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css"),
            Map.entry("xml", "application/xml"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("gif", "image/gif"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("webm", "video/webm"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("ogv", "video/ogg"),
            Map.entry("oga", "audio/ogg"),
            Map.entry("wav", "audio/wav"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("idl", "text/plain"));

    private final Path root;
    private final List<HttpServer> servers = new ArrayList<>();
    private final int[] ports = new int[2];

    private WptServer(Path root) {
        this.root = root;
    }

    /** Starts two servers on ephemeral loopback ports (IPv4, and IPv6 when there is one). */
    static WptServer start(Path root) {
        WptServer server = new WptServer(root);
        for (int i = 0; i < server.ports.length; i++) {
            server.ports[i] = server.listen(InetAddress.getLoopbackAddress(), 0);
            try {
                // `localhost` may resolve to ::1 first; the same port there, when IPv6 is available.
                server.listen(InetAddress.getByName("::1"), server.ports[i]);
            } catch (IOException | UncheckedIOException e) {
                // no IPv6 loopback: 127.0.0.1 alone
            }
        }
        return server;
    }

    private int listen(InetAddress address, int port) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 64);
            http.createContext("/", this::handle);
            http.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "wpt-server");
                thread.setDaemon(true);
                return thread;
            }));
            http.start();
            servers.add(http);
            return http.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int[] ports() {
        return ports.clone();
    }

    String origin() {
        return "http://" + HOST + ":" + ports[0];
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String path = URLDecoder.decode(uri.getRawPath(), StandardCharsets.UTF_8);
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || Files.isDirectory(file) || !Files.isRegularFile(file)) {
                String why = path.endsWith(".py") ? "no WPT python server here: " + path : "not found: " + path;
                send(exchange, 404, "text/plain", why.getBytes(StandardCharsets.UTF_8));
                return;
            }
            String name = file.getFileName().toString();
            byte[] body = Files.readAllBytes(file);
            if (name.contains(".sub.")) {
                String host = exchange.getRequestHeaders().getFirst("Host");
                body = substitute(new String(body, StandardCharsets.UTF_8), ports, "http://"
                        + (host == null ? HOST + ":" + ports[0] : host) + uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                        .getBytes(StandardCharsets.UTF_8);
            }
            Path headers = file.resolveSibling(name + ".headers");
            if (Files.isRegularFile(headers)) {
                for (String line : Files.readAllLines(headers, StandardCharsets.UTF_8)) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        exchange.getResponseHeaders().add(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                    }
                }
            }
            String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            send(exchange, 200, TYPES.getOrDefault(extension, "application/octet-stream"), body);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", type);
        }
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * wptserve's templates ({@code {{host}}}, {@code {{ports[http][0]}}}, {@code {{location[path]}}},
     * {@code {{GET[name]}}}, {@code {{uuid()}}}...) with loopback values; https and websocket
     * ports name a port where nothing listens, so such tests fail plainly.
     */
    static String substitute(String text, int[] httpPorts, String url) {
        URI location = URI.create(url);
        Matcher matcher = TEMPLATE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String expression = matcher.group(1).strip();
            String value = value(expression, httpPorts, location);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group() : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String value(String expression, int[] httpPorts, URI location) {
        if (expression.equals("host")) {
            return HOST;
        }
        if (expression.equals("uuid()")) {
            return UUID.randomUUID().toString();
        }
        Matcher indexed = Pattern.compile("(\\w+)\\[([^]]*)](?:\\[([^]]*)])?").matcher(expression);
        if (!indexed.matches()) {
            return null;
        }
        String name = indexed.group(1);
        String first = indexed.group(2);
        String second = indexed.group(3);
        return switch (name) {
            case "ports" -> {
                int index = second == null || second.isEmpty() ? 0 : Integer.parseInt(second);
                yield first.equals("http") && index < httpPorts.length ? String.valueOf(httpPorts[index]) : "1";
            }
            case "domains" -> first.isEmpty() ? HOST : first + "." + HOST;
            case "hosts" -> {
                String sub = second == null ? "" : second;
                String base = first.equals("alt") ? "127.0.0.1" : HOST;
                yield sub.isEmpty() ? base : sub + "." + base;
            }
            case "location" -> switch (first) {
                case "scheme" -> location.getScheme();
                case "host" -> location.getHost() + (location.getPort() < 0 ? "" : ":" + location.getPort());
                case "hostname" -> location.getHost();
                case "port" -> String.valueOf(location.getPort());
                case "path", "pathname" -> location.getRawPath();
                case "query" -> location.getRawQuery() == null ? "" : "?" + location.getRawQuery();
                case "server" -> location.getScheme() + "://" + location.getRawAuthority();
                default -> null;
            };
            case "GET" -> {
                String query = location.getRawQuery() == null ? "" : location.getRawQuery();
                for (String pair : query.split("&")) {
                    int equals = pair.indexOf('=');
                    String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                    if (key.equals(first)) {
                        yield equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                    }
                }
                yield "";
            }
            default -> null;
        };
    }
}
