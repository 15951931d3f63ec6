package dev.nano.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** The runtime's own answers, always small JSON bodies: {@code {"error": code, "message": ...}}. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static void send(HttpServerResponse response, int status, String code, String message) {
        send(response, status, new JsonObject().put("error", code).put("message", message));
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
}
