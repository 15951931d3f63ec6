package dev.nano.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The runtime's own answers, always small JSON bodies, all of one shape built here:
 * {@code {"error": code, "message": ..., "app": ..., "requestId": ...}}, the last two when the
 * request reached an app. Messages never carry what a client sent unescaped and unbounded, nor
 * the host's paths.
 */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    /** The one error body: {@code app} and {@code requestId} may be null (the router's answers). */
    public static JsonObject body(String code, String message, String app, String requestId) {
        JsonObject body = new JsonObject().put("error", code).put("message", message);
        if (app != null) {
            body.put("app", app);
        }
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        return body;
    }

    public static void send(HttpServerResponse response, int status, String code, String message) {
        send(response, status, body(code, message, null, null));
    }

    public static void send(HttpServerResponse response, int status, JsonObject body) {
        if (response.ended() || response.closed()) {
            return;
        }
        HttpDate.addIfAbsent(response.headers());
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.encode());
    }

    /**
     * Text a client sent, fit to quote in an error body: at most 64 characters, printable ASCII
     * only (anything else as {@code ?}), so a body never reflects markup-sized or binary input.
     */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 64) + 3);
        for (int i = 0; i < text.length() && i < 64; i++) {
            char c = text.charAt(i);
            boolean safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
            out.append(safe ? c : '?');
        }
        if (text.length() > 64) {
            out.append("...");
        }
        return out.toString();
    }
}
