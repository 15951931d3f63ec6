package dev.nano.admin;

import dev.nano.admin.AdminJson.Rejection;
import dev.nano.config.InvalidEnvException;
import dev.nano.config.NanoConfig;
import dev.nano.isolate.AppIsolate;
import dev.nano.isolate.AppRegistry;
import dev.nano.isolate.SecretKeyException;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The admin API, on the management interface (port 9000), behind {@link AdminAuth}; off when
 * {@code nano.admin.token} is not set. JSON in and out; every bad input gets a 4xx with an
 * {@code error} code and a message, and no answer ever holds an env value.
 *
 * <pre>
 * GET   /admin/apps                 every app: state, hostnames, in flight, env version and keys
 * GET   /admin/apps/{name}          one app
 * PUT   /admin/apps/{name}/env      replace the app's env with the body's object of strings
 * PATCH /admin/apps/{name}/env      set the body's keys; a null value removes the key
 * </pre>
 */
@Singleton
public class AdminRoutes {

    /** Well above the largest valid env (1 MiB of keys and values, plus JSON escapes). */
    static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
    private static final Pattern APPS = Pattern.compile("/admin/apps/?");
    private static final Pattern APP = Pattern.compile("/admin/apps/[^/]+/?");
    private static final Pattern ENV = Pattern.compile("/admin/apps/[^/]+/env/?");

    @Inject
    NanoConfig config;
    @Inject
    AppRegistry registry;

    void register(@Observes ManagementInterface management) {
        Optional<String> token = config.admin().token().filter(value -> !value.isBlank());
        if (token.isEmpty()) {
            Log.info("the admin API is off: set nano.admin.token to turn it on");
            return;
        }
        Router router = management.router();
        router.route("/admin/*").handler(new AdminAuth(token.get()));
        router.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.get("/admin/apps").handler(this::list);
        router.get("/admin/apps/:name").handler(this::get);
        router.put("/admin/apps/:name/env").handler(ctx -> changeEnv(ctx, false));
        router.patch("/admin/apps/:name/env").handler(ctx -> changeEnv(ctx, true));
        router.route("/admin/*").handler(AdminRoutes::unknown);
        router.route("/admin/*").failureHandler(AdminRoutes::failed);
        Log.info("the admin API is on, under /admin on the management interface");
    }

    private void list(RoutingContext ctx) {
        JsonArray apps = new JsonArray();
        registry.apps().forEach(app -> apps.add(AdminJson.app(app)));
        AdminJson.send(ctx, 200, new JsonObject().put("apps", apps));
    }

    private void get(RoutingContext ctx) {
        try {
            AdminJson.send(ctx, 200, AdminJson.app(app(ctx)));
        } catch (Rejection rejection) {
            AdminJson.reject(ctx, rejection);
        }
    }

    private void changeEnv(RoutingContext ctx, boolean merge) {
        String method = merge ? "PATCH" : "PUT";
        String appName = ctx.pathParam("name");
        CompletableFuture<?> applied;
        try {
            AppIsolate app = app(ctx);
            Map<String, String> entries = strings(AdminJson.object(ctx), merge);
            try {
                applied = merge ? app.patchEnv(entries, "admin PATCH") : app.replaceEnv(entries, "admin PUT");
            } catch (InvalidEnvException e) {
                throw new Rejection(400, "invalid_env", e.getMessage(), e.key());
            } catch (SecretKeyException e) {
                throw new Rejection(409, "secret_key", e.getMessage(), e.key());
            }
        } catch (Rejection rejection) {
            Log.infof("admin %s of app %s's env rejected: %s", method, appName, rejection.getMessage());
            AdminJson.reject(ctx, rejection);
            return;
        }
        // Answer once every context gives new requests the new version, on this request's context.
        Context context = Vertx.currentContext();
        applied.whenComplete((version, failure) -> context.runOnContext(ignored -> {
            AppIsolate app = registry.byName(appName);
            AdminJson.send(ctx, 200, AdminJson.app(app));
        }));
    }

    private AppIsolate app(RoutingContext ctx) throws Rejection {
        String name = ctx.pathParam("name");
        AppIsolate app = registry.byName(name);
        if (app == null) {
            throw new Rejection(404, "no_such_app", "there is no app named " + name, null);
        }
        return app;
    }

    /** The body's entries, each a string (or, when merging, null to remove the key). */
    private static Map<String, String> strings(JsonObject body, boolean merge) throws Rejection {
        Map<String, String> entries = new HashMap<>();
        for (Map.Entry<String, Object> entry : body) {
            Object value = entry.getValue();
            if (value instanceof String text) {
                entries.put(entry.getKey(), text);
            } else if (value == null && merge) {
                entries.put(entry.getKey(), null);
            } else {
                String what = value == null ? "null (only PATCH removes a key with null)" : describe(value);
                throw new Rejection(400, "invalid_value", "the value of key '" + entry.getKey()
                        + "' must be a string, not " + what + "; write JSON as a string starting with json:",
                        entry.getKey());
            }
        }
        return entries;
    }

    private static String describe(Object value) {
        if (value instanceof JsonObject) {
            return "an object";
        }
        if (value instanceof JsonArray) {
            return "an array";
        }
        return value instanceof Boolean ? "a boolean" : "a number";
    }

    private static void unknown(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String allowed = APPS.matcher(path).matches() || APP.matcher(path).matches() ? "GET"
                : ENV.matcher(path).matches() ? "PUT, PATCH" : null;
        if (allowed == null) {
            AdminJson.error(ctx, 404, "not_found", "no admin resource at " + path);
            return;
        }
        ctx.response().putHeader("Allow", allowed);
        AdminJson.error(ctx, 405, "method_not_allowed", ctx.request().method() + " is not allowed on " + path
                + "; allowed: " + allowed);
    }

    private static void failed(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        if (ctx.statusCode() == 413) {
            AdminJson.error(ctx, 413, "body_too_large", "the body is larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        Log.errorf(ctx.failure(), "admin API: %s %s failed", ctx.request().method(), ctx.normalizedPath());
        int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
        AdminJson.error(ctx, status, status == 500 ? "admin_error" : "bad_request", "the admin request failed");
    }
}
