package dev.nano.isolate;

import dev.nano.config.AppEnv;
import dev.nano.config.InvalidEnvException;
import dev.nano.config.NanoConfig;
import dev.nano.config.NanoConfig.AppConfig;
import dev.nano.observe.AccessLog;
import dev.nano.observe.AppLogLimiter;
import dev.nano.observe.AppMeters;
import dev.nano.observe.LogFields;
import dev.nano.observe.NanoMetrics;
import dev.nano.web.fetch.FetchClients;
import dev.nano.web.fetch.Outbound;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.graalvm.polyglot.PolyglotException;

/**
 * One hosted app: its slots (one Context per event loop), its lifecycle state and its
 * counters. Requests run on the event loop that received them, in that loop's slot.
 */
@Dependent
public class AppIsolate {

    @Inject
    JsEngine engine;
    @Inject
    Watchdog watchdog;
    @Inject
    NanoMetrics metrics;
    @Inject
    NanoConfig nanoConfig;
    @Inject
    EventLoops eventLoops;
    @Inject
    FetchClients fetchClients;

    private String name;
    private AppConfig config;
    /** Registered by load(), before any slot opens; requests see it through the volatile state. */
    private AppMeters meters;
    /** Console lines of every context of this version go through it; set by load(). */
    private AppLogLimiter logLimiter;
    /** The app's outbound network (fetch policy, limits, meters); set by load() before any slot opens. */
    private Outbound outbound;
    private volatile AppState state = AppState.LOADING;
    private volatile String failure;
    /** Published once, when the app turns ACTIVE; never changed after. */
    private volatile IsolateSlot[] slots = new IsolateSlot[0];
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger waitUntilPending = new AtomicInteger();
    private final AtomicInteger hops = new AtomicInteger();
    /** Requests dispatched and not closed: before their head, streaming a body, or with waitUntil work. */
    private final AtomicInteger openScopes = new AtomicInteger();
    private final AtomicInteger openBodies = new AtomicInteger();
    private final AtomicLong closedScopes = new AtomicLong();
    /** This version's number: 1 for an app's first, one more for each replacement. */
    private int version = 1;
    /** Set once this version lets no new request in (see {@link #dispatch}); before it drains its last. */
    private volatile boolean retired;
    /** When a drain must end, in System.nanoTime(); 0 when not draining. */
    private volatile long drainDeadlineNanos;
    /** Where the app came from: "config", "admin". */
    private String origin = "config";

    /**
     * Guards the env's layers and every version change, so versions reach the slots in order.
     * The env is two layers: the configured one ({@code env.<KEY>} and {@code extra-env}, which
     * the admin API replaces or patches) and the secret files, whose keys win.
     */
    private final Object envLock = new Object();
    private Map<String, String> configuredEnv;
    private Map<String, String> secretEnv;
    private volatile AppEnv env;

    AppLogLimiter logLimiter() {
        return logLimiter;
    }

    /** Throws, naming the app and key, when the configured env is invalid. */
    void init(String appName, AppConfig appConfig, Map<String, String> configured, Map<String, String> secrets)
            throws InvalidEnvException {
        this.name = appName;
        this.config = appConfig;
        this.configuredEnv = Map.copyOf(configured);
        this.secretEnv = Map.copyOf(secrets);
        this.env = AppEnv.first(merge(configuredEnv, secretEnv), secretEnv.keySet());
    }

    private static Map<String, String> merge(Map<String, String> configured, Map<String, String> secrets) {
        Map<String, String> merged = new HashMap<>(configured);
        merged.putAll(secrets);
        return merged;
    }

    /**
     * Loads the module into a slot per event loop and warms it up, then turns ACTIVE; on any
     * failure the app is FAILED and answers 503 with the reason. Runs on a loader thread.
     */
    void load() {
        meters = metrics.forApp(name);
        logLimiter = new AppLogLimiter(name, nanoConfig.appLog().maxLineChars(),
                nanoConfig.appLog().maxLinesPerSecond(), meters.logDropped());
        List<IsolateSlot> opened = new ArrayList<>();
        long start = System.nanoTime();
        try {
            outbound = fetchClients.outbound(name, config.outbound());
            AppModule module = AppModule.load(config.module());
            List<EventExecutor> loops = eventLoops.loops();
            int count = Math.max(1, Math.min(loops.size(), config.maxContexts().orElse(loops.size())));
            for (int i = 0; i < count; i++) {
                IsolateSlot slot = new IsolateSlot(this, loops.get(i), watchdog,
                        config.cpuLimit().toNanos(), config.memoryLimit().asLongValue(),
                        config.responseTimeout().toNanos());
                opened.add(slot);
                slot.open(engine, module, env);
            }
            for (IsolateSlot slot : opened) {
                slot.ready();
            }
            warmUp(opened);
            synchronized (envLock) {
                slots = opened.toArray(IsolateSlot[]::new);
                // A version made while the slots opened reaches them now; later ones go to all slots.
                for (IsolateSlot slot : slots) {
                    if (slot.envVersion() != env.version()) {
                        slot.applyEnv(env);
                    }
                }
            }
            state = AppState.ACTIVE;
            Log.infof("app %s is ACTIVE: %d contexts, hosts %s, loaded in %d ms", name, count, config.hostnames(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            LimitBreach limit = opened.isEmpty() ? null : opened.get(opened.size() - 1).takeBreach();
            opened.forEach(IsolateSlot::close);
            failure = describeLoadFailure(e, limit);
            state = AppState.FAILED;
            LogFields.withApp(name, null, () -> Log.errorf("app %s FAILED to load: %s", name, failure));
        }
    }

    /** Synthetic requests spread over the slots; the JIT's work is shared by all of them. */
    private void warmUp(List<IsolateSlot> opened) throws Exception {
        int total = config.warmupRequests();
        if (total <= 0) {
            return;
        }
        String host = config.hostnames().get(0).replace("*", "warmup");
        int batch = 100;
        AtomicInteger failed = new AtomicInteger();
        for (int sent = 0; sent < total; sent += batch) {
            IsolateSlot slot = opened.get((sent / batch) % opened.size());
            int count = Math.min(batch, total - sent);
            // On the slot's own loop, in batches, so other apps' requests on it are not starved.
            slot.loop().submit(() -> {
                for (int i = 0; i < count; i++) {
                    WarmupExchange exchange = new WarmupExchange(host, config.warmupPath());
                    slot.dispatch(new RequestScope(this, slot, exchange));
                    if (exchange.lastStatus() >= 500) {
                        failed.incrementAndGet();
                    }
                }
            }).get();
        }
        if (failed.get() > 0) {
            Log.warnf("app %s: %d of %d warm-up requests to %s failed with a 5xx", name, failed.get(), total,
                    config.warmupPath());
        }
    }

    private String describeLoadFailure(Exception e, LimitBreach limit) {
        if (limit != null) {
            return "loading the module was interrupted: " + limit.message;
        }
        if (e instanceof PolyglotException guest) {
            String where = guest.getSourceLocation() == null ? "" : " (" + guest.getSourceLocation() + ")";
            return guest.getMessage() + where;
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * Runs one request in the slot of the calling event loop, or hops to a slot's loop. False,
     * and nothing done, when this version has been retired meanwhile (the router read an older
     * routing snapshot): the caller routes the request again.
     */
    public boolean dispatch(Exchange exchange) {
        // Counted before the check, as the drain sets the flag before its last count (a Dekker
        // pair of volatiles): either this request sees the flag or the drain sees the request.
        openScopes.incrementAndGet();
        if (retired) {
            openScopes.decrementAndGet();
            return false;
        }
        IsolateSlot slot = slotForCurrentThread();
        RequestScope scope = new RequestScope(this, slot, exchange);
        inFlight.incrementAndGet();
        slot.execute(() -> slot.dispatch(scope));
        return true;
    }

    void scopeClosed() {
        closedScopes.incrementAndGet();
        openScopes.decrementAndGet();
    }

    void bodyOpened() {
        openBodies.incrementAndGet();
    }

    void bodyClosed() {
        openBodies.decrementAndGet();
    }

    /**
     * Drains this version: new requests get 503 with Retry-After (the router checks the
     * state), open ones run until none is left or the deadline passes, then what is left is cut
     * and the contexts are interrupted and closed. Blocks the calling (non-loop) thread.
     *
     * @return how many requests were cut
     */
    int drainAndStop(Duration timeout, String why) {
        if (state == AppState.ACTIVE || state == AppState.LOADING) {
            state = AppState.DRAINING;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        drainDeadlineNanos = deadline;
        LogFields.withApp(name, null, () -> Log.infof("app %s version %d is DRAINING (%s): %d open requests, up to %s",
                name, version, why, openScopes.get(), timeout));
        awaitOpen(deadline);
        retired = true;
        awaitOpen(deadline);
        int cut = cut(why + ": the drain timeout of " + timeout + " passed");
        stop();
        drainDeadlineNanos = 0;
        LogFields.withApp(name, null, () -> Log.infof("app %s version %d is STOPPED: %s, %d requests cut", name,
                version, why, cut));
        return cut;
    }

    private void awaitOpen(long deadline) {
        while (openScopes.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Cuts the requests still open: each slot's JavaScript is interrupted first, then on its
     * loop each open request is logged, its connection closed and its work cancelled.
     */
    public int cut(String why) {
        retired = true;
        if (openScopes.get() <= 0) {
            return 0;
        }
        IsolateSlot[] all = slots;
        for (IsolateSlot slot : all) {
            slot.interruptForCut();
        }
        int cut = 0;
        for (IsolateSlot slot : all) {
            try {
                cut += slot.loop().submit(() -> slot.cutOpen(why)).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                Log.warnf("app %s: cutting the requests of a context failed: %s", name, e.toString());
            }
        }
        return cut;
    }

    /** Adds the connections that carry this version's open requests (for closing the idle ones). */
    public void busyConnections(java.util.Set<Object> into) {
        for (IsolateSlot slot : slots) {
            try {
                slot.loop().submit(() -> slot.collectConnections(into)).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                Log.debugf(e, "app %s: listing a context's connections failed", name);
            }
        }
    }

    public int version() {
        return version;
    }

    void version(int number) {
        this.version = number;
    }

    public String origin() {
        return origin;
    }

    void origin(String from) {
        this.origin = from;
    }

    public AppConfig config() {
        return config;
    }

    public int openRequests() {
        return Math.max(0, openScopes.get());
    }

    public int openBodies() {
        return Math.max(0, openBodies.get());
    }

    public int waitUntilPending() {
        return Math.max(0, waitUntilPending.get());
    }

    public long closedRequests() {
        return closedScopes.get();
    }

    /** When the drain of this version ends (epoch ms), or 0 when it is not draining. */
    public long drainDeadlineEpochMillis() {
        long deadline = drainDeadlineNanos;
        return deadline == 0 ? 0 : System.currentTimeMillis() + (deadline - System.nanoTime()) / 1_000_000;
    }

    private IsolateSlot slotForCurrentThread() {
        IsolateSlot[] all = slots;
        for (IsolateSlot slot : all) {
            if (slot.isOnCurrentThread()) {
                return slot;
            }
        }
        return all[Math.floorMod(hops.getAndIncrement(), all.length)];
    }

    void requestFinished(RequestScope scope, int status) {
        if (scope.isSynthetic()) {
            return;
        }
        inFlight.decrementAndGet();
        long duration = System.nanoTime() - scope.startNanos();
        meters.requestFinished(status, duration);
        if (nanoConfig.accessLog()) {
            AccessLog.record(name, scope.requestId(), scope.httpMethod(), scope.path(), status, duration,
                    scope.clientAddress());
        }
    }

    void limitBreached(LimitBreach limit) {
        meters.limitKill(limit.tag);
    }

    /** The app's own top-level work (a timer its module started) failed or broke a limit. */
    void appWorkFailed(LimitBreach limit, PolyglotException e) {
        if (limit != null) {
            limitBreached(limit);
        }
        String why = limit != null ? "interrupted: " + limit.message : "threw: " + e.getMessage();
        LogFields.withApp(name, null, () -> Log.errorf("app %s: its top-level work %s", name, why));
    }

    void waitUntilStarted() {
        waitUntilPending.incrementAndGet();
    }

    void waitUntilSettled() {
        waitUntilPending.decrementAndGet();
    }

    /** The env version new requests get now. */
    public AppEnv env() {
        return env;
    }

    /**
     * Replaces the configured layer of the env (what {@code env.<KEY>} and {@code extra-env}
     * gave) and makes a new version. Keys of the secret files cannot be set here.
     *
     * @return completes once every context hands the new version to new requests
     */
    public CompletableFuture<AppEnv> replaceEnv(Map<String, String> configured, String cause)
            throws InvalidEnvException {
        return changeEnv(configured.keySet(), layer -> {
            layer.clear();
            layer.putAll(configured);
        }, cause);
    }

    /** Sets keys of the configured layer, and removes those mapped to null; see {@link #replaceEnv}. */
    public CompletableFuture<AppEnv> patchEnv(Map<String, String> changes, String cause) throws InvalidEnvException {
        return changeEnv(changes.keySet(), layer -> changes.forEach((key, value) -> {
            if (value == null) {
                layer.remove(key);
            } else {
                layer.put(key, value);
            }
        }), cause);
    }

    private CompletableFuture<AppEnv> changeEnv(Set<String> touched, Consumer<Map<String, String>> change,
            String cause) throws InvalidEnvException {
        synchronized (envLock) {
            for (String key : touched) {
                if (secretEnv.containsKey(key)) {
                    throw new SecretKeyException(key);
                }
            }
            Map<String, String> layer = new HashMap<>(configuredEnv);
            change.accept(layer);
            AppEnv next = publish(layer, secretEnv, cause);
            return next == null ? CompletableFuture.completedFuture(env) : applied(next);
        }
    }

    /** Secret files changed: a new version with their keys, the configured layer unchanged. */
    void secretsChanged(Map<String, String> secrets) throws InvalidEnvException {
        synchronized (envLock) {
            AppEnv next = publish(configuredEnv, secrets, "secrets-dir changed");
            if (next != null) {
                applied(next);
            }
        }
    }

    /** The configured layer of the env (without the secret files), carried over to a replacement. */
    Map<String, String> configuredEnv() {
        synchronized (envLock) {
            return configuredEnv;
        }
    }

    Map<String, String> secrets() {
        synchronized (envLock) {
            return secretEnv;
        }
    }

    Optional<Path> secretsDir() {
        return config.secretsDir().map(Path::of);
    }

    /** Makes and publishes the next version; null when nothing changed. Under envLock. */
    private AppEnv publish(Map<String, String> configured, Map<String, String> secrets, String cause)
            throws InvalidEnvException {
        Map<String, String> values = merge(configured, secrets);
        if (env.sameValues(values) && env.secretKeys().equals(secrets.keySet())) {
            return null;
        }
        AppEnv previous = env;
        AppEnv next = previous.next(values, Set.copyOf(secrets.keySet()));
        configuredEnv = Map.copyOf(configured);
        secretEnv = Map.copyOf(secrets);
        env = next;
        LogFields.withApp(name, null, () -> Log.infof("app %s: env version %d (%s): %s", name, next.version(), cause,
                next.describeChangeFrom(previous)));
        return next;
    }

    private CompletableFuture<AppEnv> applied(AppEnv next) {
        IsolateSlot[] all = slots;
        CompletableFuture<?>[] each = new CompletableFuture<?>[all.length];
        for (int i = 0; i < all.length; i++) {
            each[i] = all[i].applyEnv(next);
        }
        return CompletableFuture.allOf(each).thenApply(done -> next);
    }

    /**
     * The text with the values of the app's secret files replaced, for what the runtime writes
     * about a request (error bodies and log records): an app that throws or rejects with a
     * secret in its message does not publish it. Values under 4 characters are left alone.
     */
    String redact(String text) {
        AppEnv current = env;
        if (text == null || current.secretKeys().isEmpty()) {
            return text;
        }
        for (String key : current.secretKeys()) {
            String value = current.values().get(key);
            if (value != null && value.length() >= 4) {
                text = text.replace(value, "[redacted]");
            }
        }
        return text;
    }

    /** Closes every context at once, interrupting any JavaScript still running. */
    void stop() {
        retired = true;
        state = AppState.STOPPED;
        for (IsolateSlot slot : slots) {
            slot.close();
        }
    }

    public String name() {
        return name;
    }

    Outbound outbound() {
        return outbound;
    }

    public AppState state() {
        return state;
    }

    public boolean isActive() {
        return state == AppState.ACTIVE;
    }

    /** Why the app is FAILED, or null. */
    public String failure() {
        return failure;
    }

    public List<String> hostnames() {
        return config.hostnames();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int contexts() {
        return slots.length;
    }
}
