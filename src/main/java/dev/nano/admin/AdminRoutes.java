package dev.nano.admin;

import dev.nano.admin.AdminJson.Rejection;
import dev.nano.config.InvalidEnvException;
import dev.nano.config.NanoConfig;
import dev.nano.isolate.AppIsolate;
import dev.nano.isolate.AppRegistry;
import dev.nano.isolate.SecretKeyException;
import dev.nano.lifecycle.ConfigReload;
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
import dev.nano.server.AppServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
 * POST  /admin/apps                 add an app: {name, module, hostnames, env?, cpuLimit?, ...}
 * PUT   /admin/apps/{name}          replace it with a new version (same fields; omitted ones kept)
 * DELETE /admin/apps/{name}         remove it: its hosts answer 404 at once, open requests drain
 * POST  /admin/apps/{name}/drain    drain it in place: 503 with Retry-After, then STOPPED
 * POST  /admin/apps/{name}/reload   load its module again from disk, as a new version
 * POST  /admin/reload               apply the config files' changes, then reload every app's module
 * GET   /admin/connections          open connections, and open requests per app
 * </pre>
 *
 * <p>Apps added here live in memory: they survive a reload, and not a restart.
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
    @Inject
    AppServer server;
    @Inject
    ConfigReload configReload;

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
        router.post("/admin/apps").handler(this::add);
        router.put("/admin/apps/:name").handler(this::replace);
        router.delete("/admin/apps/:name").handler(ctx -> change(ctx, "remove", () -> registry.remove(ctx.pathParam("name")), 202));
        router.post("/admin/apps/:name/drain").handler(ctx -> change(ctx, "drain", () -> registry.drain(ctx.pathParam("name")), 202));
        router.post("/admin/apps/:name/reload").handler(ctx -> change(ctx, "reload",
                () -> registry.reload(ctx.pathParam("name"), "admin reload"), 200));
        router.post("/admin/reload").handler(this::reloadAll);
        router.get("/admin/connections").handler(this::connections);
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

    /** A change of apps; it may load a module, so it runs off the event loop and answers when done. */
    private interface Change {
        AppIsolate run() throws AppRegistry.ChangeRejected, Rejection;
    }

    private void change(RoutingContext ctx, String what, Change change, int status) {
        Context context = Vertx.currentContext();
        String target = ctx.pathParam("name") == null ? "" : " of app " + ctx.pathParam("name");
        Thread.ofPlatform().name("nano-admin-" + what).daemon().start(() -> {
            JsonObject answer;
            int code;
            try {
                AppIsolate app = change.run();
                answer = AdminJson.app(app);
                code = status;
                Log.infof("admin %s%s: done (version %d, %s)", what, target, app.version(), app.state());
            } catch (AppRegistry.ChangeRejected e) {
                code = e.status;
                answer = new JsonObject().put("error", e.code).put("message", e.getMessage());
                Log.infof("admin %s%s rejected: %s", what, target, e.getMessage());
            } catch (Rejection e) {
                code = e.status;
                answer = new JsonObject().put("error", e.code).put("message", e.getMessage());
                if (e.key != null) {
                    answer.put("key", e.key);
                }
                Log.infof("admin %s%s rejected: %s", what, target, e.getMessage());
            } catch (RuntimeException e) {
                Log.errorf(e, "admin %s%s failed", what, target);
                code = 500;
                answer = new JsonObject().put("error", "admin_error").put("message", "the change failed");
            }
            int finalCode = code;
            JsonObject finalAnswer = answer;
            context.runOnContext(ignored -> AdminJson.send(ctx, finalCode, finalAnswer));
        });
    }

    private void add(RoutingContext ctx) {
        JsonObject body;
        try {
            body = AdminJson.object(ctx);
        } catch (Rejection rejection) {
            Log.infof("admin add rejected: %s", rejection.getMessage());
            AdminJson.reject(ctx, rejection);
            return;
        }
        change(ctx, "add", () -> {
            Object name = body.getValue("name");
            if (!(name instanceof String text) || !AppSpec.NAME.matcher(text).matches()) {
                throw new Rejection(400, "invalid_name", "'name' must be lower-case letters, digits and dashes "
                        + "(up to 63)", "name");
            }
            AppSpec spec = AppSpec.from(body, appsRoot(), null);
            return registry.add(text, spec, AppSpec.env(body, Map.of()), "admin");
        }, 201);
    }

    private void replace(RoutingContext ctx) {
        JsonObject body;
        try {
            body = AdminJson.object(ctx);
        } catch (Rejection rejection) {
            Log.infof("admin replace rejected: %s", rejection.getMessage());
            AdminJson.reject(ctx, rejection);
            return;
        }
        change(ctx, "replace", () -> {
            AppIsolate current = app(ctx);
            if (body.containsKey("name") && !ctx.pathParam("name").equals(body.getValue("name"))) {
                throw new Rejection(400, "invalid_name", "the body's name differs from the path's", "name");
            }
            AppSpec spec = AppSpec.from(body, appsRoot(), current.config());
            return registry.replace(current.name(), spec, AppSpec.env(body, null), "admin replace");
        }, 200);
    }

    /**
     * Applies the config files first ({@link ConfigReload}), then loads the code of every app
     * that change did not just load. Each app's entry says what the files did to it
     * ({@code config}: added, replaced, removed, env-updated, unchanged or rejected, with a
     * {@code reason}) and then its code reload ({@code version}, or {@code error} and
     * {@code message}); {@code configError} says why the files were not read at all.
     */
    private void reloadAll(RoutingContext ctx) {
        Context context = Vertx.currentContext();
        Thread.ofPlatform().name("nano-admin-reload").daemon().start(() -> {
            JsonObject answer = new JsonObject();
            Map<String, JsonObject> byName = new TreeMap<>();
            ConfigReload.Report report;
            try {
                report = configReload.apply("admin reload");
            } catch (RuntimeException e) {
                Log.errorf(e, "admin reload: applying the config files failed");
                report = new ConfigReload.Report("applying the config files failed", Map.of());
            }
            if (report.error() != null) {
                answer.put("configError", report.error());
            }
            report.apps().forEach((name, outcome) -> {
                JsonObject entry = new JsonObject().put("name", name).put("config", outcome.result().label);
                if (outcome.reason() != null) {
                    entry.put("reason", outcome.reason());
                }
                if (outcome.version() > 0) {
                    entry.put("version", outcome.version());
                }
                byName.put(name, entry);
            });
            for (AppIsolate app : registry.apps()) {
                JsonObject entry = byName.computeIfAbsent(app.name(), name -> new JsonObject().put("name", name)
                        .put("config", ConfigReload.Result.UNCHANGED.label));
                entry.put("origin", app.origin());
                String done = entry.getString("config");
                if (done.equals(ConfigReload.Result.ADDED.label) || done.equals(ConfigReload.Result.REPLACED.label)) {
                    continue; // just loaded from disk
                }
                try {
                    entry.put("version", registry.reload(app.name(), "admin reload").version());
                } catch (AppRegistry.ChangeRejected e) {
                    entry.put("version", app.version()).put("error", e.code).put("message", e.getMessage());
                }
            }
            JsonArray results = new JsonArray();
            byName.values().forEach(results::add);
            answer.put("apps", results);
            Log.infof("admin reload of the config files and every app: %s", answer.encode());
            context.runOnContext(ignored -> AdminJson.send(ctx, 200, answer));
        });
    }

    private void connections(RoutingContext ctx) {
        JsonObject apps = new JsonObject();
        for (AppIsolate app : registry.versions()) {
            JsonObject counts = apps.getJsonObject(app.name(), new JsonObject().put("openRequests", 0)
                    .put("openBodies", 0).put("waitUntilPending", 0));
            counts.put("openRequests", counts.getInteger("openRequests") + app.openRequests())
                    .put("openBodies", counts.getInteger("openBodies") + app.openBodies())
                    .put("waitUntilPending", counts.getInteger("waitUntilPending") + app.waitUntilPending());
            apps.put(app.name(), counts);
        }
        AdminJson.send(ctx, 200, new JsonObject().put("open", server.openConnections()).put("apps", apps));
    }

    private Path appsRoot() {
        return Path.of(config.admin().appsRoot());
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
        String allowed = APPS.matcher(path).matches() ? "GET, POST" : APP.matcher(path).matches() ? "GET, PUT, DELETE"
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
