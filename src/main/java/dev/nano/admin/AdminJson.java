package dev.nano.admin;

import dev.nano.config.AppEnv;
import dev.nano.isolate.AppIsolate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * JSON in and out of the admin API. What it shows of an app's env is its version and keys:
 * values may be secrets, and no answer, error included, ever holds one.
 */
final class AdminJson {

    private AdminJson() {
    }

    /** A request the API refuses, answered with its status and a JSON error. */
    static final class Rejection extends Exception {
        final int status;
        final String code;
        final String key;

        Rejection(int status, String code, String message, String key) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.key = key;
        }
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body.encode());
    }

    static void error(RoutingContext ctx, int status, String code, String message) {
        send(ctx, status, new JsonObject().put("error", code).put("message", message));
    }

    static void reject(RoutingContext ctx, Rejection rejection) {
        JsonObject body = new JsonObject().put("error", rejection.code).put("message", rejection.getMessage());
        if (rejection.key != null) {
            body.put("key", rejection.key);
        }
        send(ctx, rejection.status, body);
    }

    /**
     * The body as a JSON object. The parser's own message is not passed on: it quotes the
     * body, which may hold secrets.
     */
    static JsonObject object(RoutingContext ctx) throws Rejection {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw new Rejection(400, "malformed_json", "the body must be a JSON object; it is empty", null);
        }
        // Checked here too: a body handler the management router installed before ours reads
        // the body without our limit, and ours then leaves it alone.
        if (body.length() > AdminRoutes.MAX_BODY_BYTES) {
            throw new Rejection(413, "body_too_large", "the body is larger than " + AdminRoutes.MAX_BODY_BYTES
                    + " bytes", null);
        }
        Object parsed;
        try {
            parsed = io.vertx.core.json.Json.decodeValue(body);
        } catch (DecodeException e) {
            throw new Rejection(400, "malformed_json", "the body is not valid JSON", null);
        }
        if (!(parsed instanceof JsonObject object)) {
            throw new Rejection(400, "not_an_object", "the body must be a JSON object, not "
                    + (parsed == null ? "null" : parsed instanceof JsonArray ? "an array" : "a "
                            + parsed.getClass().getSimpleName().toLowerCase(Locale.ROOT)), null);
        }
        return object;
    }

    static JsonObject app(AppIsolate app) {
        AppEnv env = app.env();
        JsonObject json = new JsonObject()
                .put("name", app.name())
                .put("state", app.state().name())
                .put("hostnames", new JsonArray(app.hostnames()))
                .put("inFlight", app.inFlight())
                .put("contexts", app.contexts())
                .put("env", new JsonObject()
                        .put("version", env.version())
                        .put("keys", new JsonArray(env.keys().stream().toList()))
                        .put("secretKeys", new JsonArray(env.secretKeys().stream().toList())));
        if (app.failure() != null) {
            json.put("failure", app.failure());
        }
        return json;
    }
}
