package dev.nano.isolate;

import dev.nano.config.AppsSource;
import dev.nano.config.InvalidEnvException;
import dev.nano.config.NanoConfig;
import dev.nano.config.NanoConfig.AppConfig;
import dev.nano.config.SecretFiles;
import dev.nano.observe.LogFields;
import dev.nano.observe.NanoMetrics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The hosted apps, as versions behind an immutable routing snapshot (ARCHITECTURE.md decision
 * 4). The router reads the snapshot once per request and pins the request to the version it
 * found; adding, replacing and removing an app build a new snapshot and swap it in atomically,
 * and a version taken out of routing drains on its own thread ({@link AppIsolate#drainAndStop}).
 * Changes are serialized. Apps configured at start load on a background thread so that liveness
 * is UP at once; readiness waits for {@link #allLoaded()}.
 */
@Singleton // used on every request: no client proxy in the way
public class AppRegistry {

    @Inject
    NanoConfig config;
    @Inject
    Instance<AppIsolate> isolates;
    @Inject
    NanoMetrics metrics;

    /** What the router reads: never mutated once published. */
    private volatile Routing routing = Routing.EMPTY;
    /** Versions out of routing that still drain. */
    private final Set<AppIsolate> draining = ConcurrentHashMap.newKeySet();
    /** Serializes every change of routing. */
    private final Object changes = new Object();
    /** App names whose gauges are registered. */
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private volatile boolean loaded;
    private volatile boolean stopping;
    private volatile ScheduledExecutorService secretsPoller;
    /** The last secrets-dir failure logged per app, so that a lasting one is logged once. Poller thread only. */
    private final Map<String, String> secretsFailures = new HashMap<>();

    /** A request refused by a change of apps: an HTTP status, an error code and a message. */
    public static final class ChangeRejected extends Exception {
        public final int status;
        public final String code;

        public ChangeRejected(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** The immutable routing snapshot: apps by name and by host. */
    private record Routing(Map<String, AppIsolate> byName, Map<String, AppIsolate> exact,
                           List<Map.Entry<String, AppIsolate>> wildcards) {

        static final Routing EMPTY = new Routing(Map.of(), Map.of(), List.of());

        /** Throws ChangeRejected when two apps claim a host. */
        static Routing of(Map<String, AppIsolate> apps) throws ChangeRejected {
            Map<String, AppIsolate> exact = new HashMap<>();
            List<Map.Entry<String, AppIsolate>> wildcards = new ArrayList<>();
            for (AppIsolate app : apps.values()) {
                for (String raw : app.hostnames()) {
                    String hostname = raw.toLowerCase(Locale.ROOT);
                    if (hostname.startsWith("*.")) {
                        for (Map.Entry<String, AppIsolate> other : wildcards) {
                            if (other.getKey().equals(hostname.substring(1))) {
                                throw duplicate(hostname, other.getValue(), app);
                            }
                        }
                        wildcards.add(Map.entry(hostname.substring(1), app));
                        continue;
                    }
                    AppIsolate previous = exact.put(hostname, app);
                    if (previous != null) {
                        throw duplicate(hostname, previous, app);
                    }
                }
            }
            // Longest suffix first, so the most specific wildcard wins.
            wildcards.sort((a, b) -> b.getKey().length() - a.getKey().length());
            return new Routing(Collections.unmodifiableMap(new TreeMap<>(apps)), Map.copyOf(exact), List.copyOf(wildcards));
        }

        private static ChangeRejected duplicate(String hostname, AppIsolate one, AppIsolate other) {
            return new ChangeRejected(409, "duplicate_hostname", "host " + hostname + " is claimed by both apps "
                    + one.name() + " and " + other.name());
        }

        Routing with(AppIsolate app) throws ChangeRejected {
            Map<String, AppIsolate> apps = new HashMap<>(byName);
            apps.put(app.name(), app);
            return of(apps);
        }

        Routing without(String name) throws ChangeRejected {
            Map<String, AppIsolate> apps = new HashMap<>(byName);
            apps.remove(name);
            return of(apps);
        }

        AppIsolate lookup(String host) {
            AppIsolate app = exact.get(host);
            if (app != null) {
                return app;
            }
            for (Map.Entry<String, AppIsolate> wildcard : wildcards) {
                if (host.endsWith(wildcard.getKey())) {
                    return wildcard.getValue();
                }
            }
            return null;
        }
    }

    void onStart(@Observes StartupEvent event) {
        Map<String, AppIsolate> apps = new HashMap<>();
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
        });
        try {
            routing = Routing.of(apps);
        } catch (ChangeRejected e) {
            throw new IllegalStateException(e.getMessage());
        }
        Thread.ofPlatform().name("nano-app-loader").daemon().start(() -> {
            routing.byName().values().forEach(app -> {
                gauges(app.name());
                app.load();
            });
            loaded = true;
            Log.infof("all %d apps loaded", routing.byName().size());
        });
        if (apps.values().stream().anyMatch(app -> app.secretsDir().isPresent())) {
            pollSecretsFromNowOn();
        }
    }

    /** Starts the secrets poller, once: at start, or when a config reload brings the first secrets-dir. */
    private synchronized void pollSecretsFromNowOn() {
        if (secretsPoller != null) {
            return;
        }
        long every = config.secretsPollInterval().toMillis();
        secretsPoller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("nano-secrets").daemon().factory());
        secretsPoller.scheduleWithFixedDelay(this::pollSecrets, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Reads every secrets-dir again; a change makes a new env version. A folder that cannot be
     * read or holds a bad file keeps the previous env, logged (file names only) once per problem.
     */
    private void pollSecrets() {
        for (AppIsolate app : apps()) {
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

    /** Per-app gauges, once per name: the routed version's state, summed counts over its live versions. */
    private void gauges(String name) {
        if (!gauged.add(name)) {
            return;
        }
        metrics.appGauges(name, new NanoMetrics.AppGauges() {
            @Override
            public int inFlight() {
                return sum(name, AppIsolate::inFlight);
            }

            @Override
            public int openRequests() {
                return sum(name, AppIsolate::openRequests);
            }

            @Override
            public int openBodies() {
                return sum(name, AppIsolate::openBodies);
            }

            @Override
            public int waitUntilPending() {
                return sum(name, AppIsolate::waitUntilPending);
            }

            @Override
            public long envVersion() {
                AppIsolate app = byName(name);
                return app == null ? 0 : app.env().version();
            }

            @Override
            public int version() {
                AppIsolate app = byName(name);
                return app == null ? 0 : app.version();
            }

            @Override
            public int state() {
                AppIsolate app = byName(name);
                return app == null ? AppState.STOPPED.ordinal() : app.state().ordinal();
            }
        });
    }

    private int sum(String name, ToIntFunction<AppIsolate> count) {
        int total = 0;
        for (AppIsolate app : versions()) {
            if (app.name().equals(name)) {
                total += count.applyAsInt(app);
            }
        }
        return total;
    }

    /**
     * Adds a new app: it loads and warms before its hosts route to it. Rejected (nothing
     * changes) when the name or a host is taken, or when it does not load.
     */
    public AppIsolate add(String name, AppConfig spec, Map<String, String> env, String origin) throws ChangeRejected {
        return add(name, spec, env, Map.of(), origin);
    }

    /** The same, with the values of the app's secrets-dir (read by the caller). */
    public AppIsolate add(String name, AppConfig spec, Map<String, String> env, Map<String, String> secrets,
            String origin) throws ChangeRejected {
        synchronized (changes) {
            refuseWhileStopping();
            if (routing.byName().containsKey(name)) {
                throw new ChangeRejected(409, "app_exists", "there is already an app named " + name);
            }
            AppIsolate app = newVersion(name, spec, env, secrets, 1, origin);
            refuseTakenHosts(app);
            load(app, "add");
            routing = routing.with(app);
            if (spec.secretsDir().isPresent()) {
                pollSecretsFromNowOn();
            }
            Log.infof("app %s version 1 added (%s): hosts %s", name, origin, spec.hostnames());
            return app;
        }
    }

    /**
     * Replaces an app with a new version (new code, config or env): the new one loads and warms
     * next to the old one, routing swaps atomically, and the old one drains. When the new
     * version does not load, the running one stays and the change is rejected. A null
     * {@code env} keeps the configured env of the running version.
     */
    public AppIsolate replace(String name, AppConfig spec, Map<String, String> env, String cause)
            throws ChangeRejected {
        return replace(name, spec, env, null, cause);
    }

    /** The same, with the values of the new version's secrets-dir; null keeps the running version's. */
    public AppIsolate replace(String name, AppConfig spec, Map<String, String> env, Map<String, String> secrets,
            String cause) throws ChangeRejected {
        synchronized (changes) {
            refuseWhileStopping();
            AppIsolate old = existing(name);
            Map<String, String> kept = env == null ? old.configuredEnv() : env;
            Map<String, String> keptSecrets = secrets == null ? old.secrets() : secrets;
            AppIsolate next = newVersion(name, spec, kept, keptSecrets, old.version() + 1, old.origin());
            refuseTakenHosts(next);
            load(next, cause);
            routing = routing.with(next);
            if (spec.secretsDir().isPresent()) {
                pollSecretsFromNowOn();
            }
            Log.infof("app %s version %d replaced version %d (%s); the old version drains", name, next.version(),
                    old.version(), cause);
            drainInBackground(old, "replaced by version " + next.version() + " (" + cause + ")");
            return next;
        }
    }

    /** Loads the app's module again from disk, same config and env: what a change of its files does. */
    public AppIsolate reload(String name, String cause) throws ChangeRejected {
        AppIsolate current = existing(name);
        return replace(name, current.config(), current.configuredEnv(), cause);
    }

    /** Takes the app's hosts out of routing at once (404), and drains it. */
    public AppIsolate remove(String name) throws ChangeRejected {
        synchronized (changes) {
            refuseWhileStopping();
            AppIsolate old = existing(name);
            routing = routing.without(name);
            Log.infof("app %s removed: its hosts %s route nowhere; version %d drains", name, old.hostnames(),
                    old.version());
            drainInBackground(old, "removed");
            return old;
        }
    }

    /** Drains the app where it is: its hosts answer 503 with Retry-After, then it is STOPPED. */
    public AppIsolate drain(String name) throws ChangeRejected {
        synchronized (changes) {
            AppIsolate app = existing(name);
            if (app.state() != AppState.ACTIVE) {
                throw new ChangeRejected(409, "not_active", "app " + name + " is " + app.state() + ", not ACTIVE");
            }
            draining.add(app);
            Thread.ofPlatform().name("nano-drain-" + name).daemon().start(() -> {
                app.drainAndStop(config.drainTimeout(), "drained on request");
                draining.remove(app);
            });
            return app;
        }
    }

    private AppIsolate existing(String name) throws ChangeRejected {
        AppIsolate app = routing.byName().get(name);
        if (app == null) {
            throw new ChangeRejected(404, "no_such_app", "there is no app named " + name);
        }
        return app;
    }

    private void refuseWhileStopping() throws ChangeRejected {
        if (stopping) {
            throw new ChangeRejected(503, "shutting_down", "NANO is shutting down");
        }
    }

    private AppIsolate newVersion(String name, AppConfig spec, Map<String, String> env, Map<String, String> secrets,
            int version, String origin) throws ChangeRejected {
        AppIsolate app = isolates.get();
        try {
            app.init(name, spec, env, secrets);
        } catch (InvalidEnvException e) {
            isolates.destroy(app);
            throw new ChangeRejected(400, "invalid_env", "app " + name + " has an invalid env: " + e.getMessage());
        }
        app.version(version);
        app.origin(origin);
        return app;
    }

    /** Rejects (and discards) a new version whose hosts another app serves. */
    private void refuseTakenHosts(AppIsolate app) throws ChangeRejected {
        try {
            routing.with(app);
        } catch (ChangeRejected e) {
            isolates.destroy(app);
            throw e;
        }
    }

    private void load(AppIsolate app, String cause) throws ChangeRejected {
        gauges(app.name());
        app.load();
        if (app.state() != AppState.ACTIVE) {
            String why = app.failure();
            app.stop();
            isolates.destroy(app);
            LogFields.withApp(app.name(), null, () -> Log.errorf(
                    "app %s: version %d rejected (%s), the running version (if any) stays: %s", app.name(),
                    app.version(), cause, why));
            throw new ChangeRejected(422, "load_failed", "app " + app.name() + " did not load: " + why);
        }
    }

    private void drainInBackground(AppIsolate old, String why) {
        draining.add(old);
        Duration timeout = config.drainTimeout();
        Thread.ofPlatform().name("nano-drain-" + old.name()).daemon().start(() -> {
            try {
                old.drainAndStop(timeout, why);
            } finally {
                draining.remove(old);
                isolates.destroy(old);
            }
        });
    }

    /** No change of apps from now on: the process is shutting down. */
    public void freeze() {
        stopping = true;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (secretsPoller != null) {
            secretsPoller.shutdownNow();
        }
        // Closing a context takes a while (cancelling, freeing its heap): all at once, not in turn.
        List<Thread> stoppers = new ArrayList<>();
        for (AppIsolate app : versions()) {
            stoppers.add(Thread.ofPlatform().name("nano-stop-" + app.name()).start(app::stop));
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The app version serving this host (lower case, without port), or null. */
    public AppIsolate lookup(String host) {
        return routing.lookup(host);
    }

    /** The routed version of the app of this name, or null. */
    public AppIsolate byName(String name) {
        return routing.byName().get(name);
    }

    /** The routed versions, by name. */
    public Collection<AppIsolate> apps() {
        return routing.byName().values();
    }

    /** Every live version: the routed ones and those still draining. */
    public List<AppIsolate> versions() {
        List<AppIsolate> all = new ArrayList<>(routing.byName().values());
        Set<AppIsolate> seen = new HashSet<>(all);
        for (AppIsolate old : draining) {
            if (seen.add(old)) {
                all.add(old);
            }
        }
        return all;
    }

    /** True once every app configured at start has left LOADING (ACTIVE or FAILED). */
    public boolean allLoaded() {
        return loaded;
    }
}
