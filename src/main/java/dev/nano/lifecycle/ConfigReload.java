package dev.nano.lifecycle;

import dev.nano.config.AppDefinitions;
import dev.nano.config.AppDefinitions.Definition;
import dev.nano.config.AppsSource;
import dev.nano.config.InvalidEnvException;
import dev.nano.config.NanoConfig;
import dev.nano.config.SecretFiles;
import dev.nano.isolate.AppIsolate;
import dev.nano.isolate.AppRegistry;
import dev.nano.isolate.AppRegistry.ChangeRejected;
import dev.nano.isolate.SecretKeyException;
import dev.nano.observe.LogFields;
import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.SmallRyeConfig;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Applies the config files' app definitions to the running apps: what the files add is added,
 * what they no longer define is removed (drained, as {@code DELETE /admin/apps/{name}}), and an
 * app whose definition changed is replaced (the new version loads next to the old, routing
 * swaps, the old drains); when only its env changed, it gets a new env version instead, without
 * loading its code again.
 *
 * <p>"Changed" is against the definition last applied from the files (at start, the one NANO
 * started with), not against the running version: an app the admin API replaced or whose env it
 * changed keeps those changes until the files change that app. Apps added through the admin API
 * are left alone. Each app is applied on its own: one whose definition does not map (a bad
 * value, a missing key, an invalid env), does not load, or claims a taken host is rejected with
 * a log line naming the app and the problem, its running version stays, and the next change of
 * the files tries it again; the other apps' changes still apply. A file that cannot be read
 * rejects the whole change.
 */
@Singleton
public class ConfigReload {

    /** What a reload did to one app. */
    public enum Result {
        ADDED("added"), REPLACED("replaced"), REMOVED("removed"), ENV_UPDATED("env-updated"), UNCHANGED("unchanged"),
        REJECTED("rejected");

        public final String label;

        Result(String label) {
            this.label = label;
        }
    }

    /** One app's outcome: the version serving after it (0 when none), and why it was rejected. */
    public record Outcome(Result result, int version, String reason) {
    }

    /** The outcome per app the files define or defined; {@code error} when the files were not read at all. */
    public record Report(String error, Map<String, Outcome> apps) {
    }

    /** One applied definition, as compared: every setting but the env, and the configured env. */
    private record Applied(Map<String, Object> settings, Map<String, String> env) {
    }

    @Inject
    AppRegistry registry;
    @Inject
    NanoConfig config;

    private SmallRyeConfig running;
    /** The definitions last applied from the files, by app. Guarded by this. */
    private final Map<String, Applied> applied = new HashMap<>();

    @PostConstruct
    void startingPoint() {
        running = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
        config.apps().forEach((name, app) -> {
            try {
                applied.put(name, applied(app, AppsSource.configuredEnv(name, app)));
            } catch (InvalidEnvException e) {
                // NANO does not start with it (AppRegistry): never reached.
            }
        });
    }

    /** The config files to watch: those on disk the running config was read from. */
    public List<Path> watchedFiles() {
        return AppDefinitions.watchedFiles(running);
    }

    /** Reads the files again and applies what changed; {@code cause} goes into the log. */
    public synchronized Report apply(String cause) {
        Log.infof("%s: reading the apps' definitions from the config files again", cause);
        AppDefinitions.Read read;
        try {
            read = AppDefinitions.read(running);
        } catch (AppDefinitions.Unreadable e) {
            Log.errorf("config change rejected (%s), every app keeps its running version: %s", cause, e.getMessage());
            return new Report(e.getMessage(), Map.of());
        }
        Map<String, Outcome> outcomes = new TreeMap<>();
        read.rejected().forEach((name, why) -> outcomes.put(name, rejected(name, why)));
        for (String name : List.copyOf(applied.keySet())) {
            if (!read.apps().containsKey(name) && !read.rejected().containsKey(name)) {
                outcomes.put(name, remove(name));
            }
        }
        List<String> retry = new ArrayList<>();
        read.apps().forEach((name, definition) -> {
            Outcome outcome = change(name, definition, retry);
            if (outcome != null) {
                outcomes.put(name, outcome);
            }
        });
        // Two apps trading hosts: the second change frees what the first one wanted.
        for (String name : retry) {
            Outcome outcome = change(name, read.apps().get(name), null);
            outcomes.put(name, outcome);
        }
        outcomes.forEach((name, outcome) -> {
            if (outcome.result() == Result.REMOVED) {
                LogFields.withApp(name, null, () -> Log.infof("app %s: config reload (%s): removed", name, cause));
            } else if (outcome.result() != Result.UNCHANGED && outcome.result() != Result.REJECTED) {
                LogFields.withApp(name, null, () -> Log.infof("app %s: config reload (%s): %s, version %d serves",
                        name, cause, outcome.result().label, outcome.version()));
            }
        });
        return new Report(null, Collections.unmodifiableMap(outcomes));
    }

    private Outcome remove(String name) {
        AppIsolate app = registry.byName(name);
        applied.remove(name);
        if (app == null || !"config".equals(app.origin())) {
            return new Outcome(Result.REMOVED, 0, null);
        }
        try {
            registry.remove(name);
            return new Outcome(Result.REMOVED, 0, null);
        } catch (ChangeRejected e) {
            return rejected(name, e.getMessage());
        }
    }

    /**
     * Applies one app's definition if it changed; null, when the change met a taken host and is
     * queued in {@code retry} (null on the second pass) to be tried after the others.
     */
    private Outcome change(String name, Definition definition, List<String> retry) {
        Applied next = applied(definition.config(), definition.env());
        Applied before = applied.get(name);
        AppIsolate app = registry.byName(name);
        if (next.equals(before)) {
            // Also when the admin API removed it: the files did not change it, so it stays removed.
            return new Outcome(Result.UNCHANGED, app == null ? 0 : app.version(), null);
        }
        if (app != null && !"config".equals(app.origin())) {
            return rejected(name, "an app added through the admin API has this name; remove it first");
        }
        try {
            Outcome outcome;
            if (app != null && before != null && before.settings().equals(next.settings())) {
                outcome = updateEnv(app, definition);
            } else {
                Map<String, String> secrets = secrets(definition.config());
                AppIsolate serving = app == null
                        ? registry.add(name, definition.config(), definition.env(), secrets, "config")
                        : registry.replace(name, definition.config(), definition.env(), secrets, "config files changed");
                outcome = new Outcome(app == null ? Result.ADDED : Result.REPLACED, serving.version(), null);
            }
            applied.put(name, next);
            return outcome;
        } catch (ChangeRejected e) {
            if (retry != null && "duplicate_hostname".equals(e.code)) {
                retry.add(name);
                return null;
            }
            return rejected(name, e.getMessage());
        } catch (InvalidEnvException e) {
            return rejected(name, "invalid env: " + e.getMessage());
        }
    }

    /** Only the env changed: a new env version, the code stays loaded. */
    private Outcome updateEnv(AppIsolate app, Definition definition) throws ChangeRejected, InvalidEnvException {
        try {
            app.replaceEnv(definition.env(), "config files changed").get(30, TimeUnit.SECONDS);
            return new Outcome(Result.ENV_UPDATED, app.version(), null);
        } catch (SecretKeyException e) {
            // The files name a key the secrets-dir also has (its file wins): a new version sorts that out.
            AppIsolate serving = registry.replace(app.name(), definition.config(), definition.env(),
                    "config files changed");
            return new Outcome(Result.REPLACED, serving.version(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Result.ENV_UPDATED, app.version(), null);
        } catch (ExecutionException | TimeoutException e) {
            // Published: new requests get it as each context takes it.
            return new Outcome(Result.ENV_UPDATED, app.version(), null);
        }
    }

    private static Map<String, String> secrets(NanoConfig.AppConfig app) throws InvalidEnvException {
        return app.secretsDir().isPresent() ? SecretFiles.read(Path.of(app.secretsDir().get())) : Map.of();
    }

    private Outcome rejected(String name, String why) {
        LogFields.withApp(name, null, () -> Log.errorf(
                "app %s: config change rejected, the running version (if any) stays: %s", name, why));
        AppIsolate app = registry.byName(name);
        return new Outcome(Result.REJECTED, app == null ? 0 : app.version(), why);
    }

    private static Applied applied(NanoConfig.AppConfig app, Map<String, String> env) {
        Map<String, Object> settings = settings(app, NanoConfig.AppConfig.class);
        settings.remove("env");
        settings.remove("extraEnv"); // part of the configured env
        return new Applied(settings, Map.copyOf(env));
    }

    /**
     * Every setting of a config interface by method name, nested interfaces ({@code outbound})
     * as maps of their own: so a setting added to {@link NanoConfig.AppConfig} later is compared
     * too. Sizes compare by their bytes.
     */
    private static Map<String, Object> settings(Object config, Class<?> type) {
        Map<String, Object> settings = new TreeMap<>();
        for (Method method : type.getMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Object value;
            try {
                value = method.invoke(config);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + method.getName(), e);
            }
            Class<?> returned = method.getReturnType();
            if (value instanceof MemorySize size) {
                value = size.asBigInteger();
            } else if (value != null && returned.isInterface() && returned.getEnclosingClass() == NanoConfig.class) {
                value = settings(value, returned);
            }
            settings.put(method.getName(), value);
        }
        return settings;
    }
}
