package dev.nano.isolate;

import dev.nano.config.AppsSource;
import dev.nano.config.InvalidEnvException;
import dev.nano.config.NanoConfig;
import dev.nano.config.SecretFiles;
import dev.nano.observe.LogFields;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The configured apps and the Host index that routes to them. Apps load on a background thread
 * after start-up so that liveness is UP at once; readiness waits for {@link #allLoaded()}.
 */
@Singleton // used on every request: no client proxy in the way
public class AppRegistry {

    @Inject
    NanoConfig config;
    @Inject
    Instance<AppIsolate> isolates;

    private final Map<String, AppIsolate> apps = new TreeMap<>();
    private final Map<String, AppIsolate> exactHosts = new HashMap<>();
    /** Wildcard suffixes (".example.com"), longest first, so the most specific one wins. */
    private final List<Map.Entry<String, AppIsolate>> wildcardHosts = new ArrayList<>();
    private volatile boolean loaded;
    private ScheduledExecutorService secretsPoller;
    /** The last secrets-dir failure logged per app, so that a lasting one is logged once. Poller thread only. */
    private final Map<String, String> secretsFailures = new HashMap<>();

    void onStart(@Observes StartupEvent event) {
        config.apps().forEach((name, appConfig) -> {
            AppIsolate app = isolates.get();
            try {
                Map<String, String> secrets = appConfig.secretsDir().isPresent()
                        ? SecretFiles.read(Path.of(appConfig.secretsDir().get()))
                        : Map.of();
                app.init(name, appConfig, AppsSource.configuredEnv(name, appConfig), secrets);
            } catch (InvalidEnvException e) {
                throw new IllegalStateException("app " + name + " has an invalid env: " + e.getMessage());
            }
            apps.put(name, app);
            for (String hostname : appConfig.hostnames()) {
                index(hostname.toLowerCase(Locale.ROOT), app);
            }
        });
        wildcardHosts.sort((a, b) -> b.getKey().length() - a.getKey().length());
        Thread.ofPlatform().name("nano-app-loader").daemon().start(() -> {
            apps.values().forEach(AppIsolate::load);
            loaded = true;
            Log.infof("all %d apps loaded", apps.size());
        });
        if (apps.values().stream().anyMatch(app -> app.secretsDir().isPresent())) {
            long every = config.secretsPollInterval().toMillis();
            secretsPoller = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("nano-secrets").daemon().factory());
            secretsPoller.scheduleWithFixedDelay(this::pollSecrets, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Reads every secrets-dir again; a change makes a new env version. A folder that cannot be
     * read or holds a bad file keeps the previous env, logged (file names only) once per problem.
     */
    private void pollSecrets() {
        for (AppIsolate app : apps.values()) {
            if (app.secretsDir().isEmpty()) {
                continue;
            }
            try {
                Map<String, String> secrets = SecretFiles.read(app.secretsDir().get());
                if (!secrets.equals(app.secrets())) {
                    app.secretsChanged(secrets);
                }
                secretsFailures.remove(app.name());
            } catch (InvalidEnvException e) {
                if (!e.getMessage().equals(secretsFailures.put(app.name(), e.getMessage()))) {
                    LogFields.withApp(app.name(), null, () -> Log.errorf(
                            "app %s: secrets-dir rejected, the previous env stays: %s", app.name(), e.getMessage()));
                }
            } catch (RuntimeException e) {
                Log.errorf("app %s: reading secrets-dir failed: %s", app.name(), e.getClass().getSimpleName());
            }
        }
    }

    private void index(String hostname, AppIsolate app) {
        if (hostname.startsWith("*.")) {
            wildcardHosts.add(Map.entry(hostname.substring(1), app));
            return;
        }
        AppIsolate previous = exactHosts.put(hostname, app);
        if (previous != null) {
            throw new IllegalStateException("host " + hostname + " is claimed by both apps "
                    + previous.name() + " and " + app.name());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (secretsPoller != null) {
            secretsPoller.shutdownNow();
        }
        apps.values().forEach(app -> {
            app.stop();
            isolates.destroy(app);
        });
    }

    /** The app serving this host (lower case, without port), or null. */
    public AppIsolate lookup(String host) {
        AppIsolate app = exactHosts.get(host);
        if (app != null) {
            return app;
        }
        for (Map.Entry<String, AppIsolate> wildcard : wildcardHosts) {
            if (host.endsWith(wildcard.getKey())) {
                return wildcard.getValue();
            }
        }
        return null;
    }

    /** The app of this name, or null. */
    public AppIsolate byName(String name) {
        return apps.get(name);
    }

    public Collection<AppIsolate> apps() {
        return apps.values();
    }

    /** True once every app has left LOADING (ACTIVE or FAILED). */
    public boolean allLoaded() {
        return loaded;
    }
}
