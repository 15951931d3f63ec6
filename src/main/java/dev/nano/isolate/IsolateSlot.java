package dev.nano.isolate;

import dev.nano.config.AppEnv;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * One GraalJS Context of an app, bound to one Vert.x event loop: the prelude, the app's module
 * and its module state live here.
 *
 * <p>The one way into JavaScript for host work is {@link #post}: a task queued on the slot's
 * loop, run as its own slice under the watchdog, with the microtasks it queued drained when it
 * returns (GraalJS drains them as the outermost host-to-guest call returns), and dropped if its
 * request closed or the slot is closing. Timers, fetch completions and body reads all use it.
 *
 * <p><b>Concurrency:</b> once the app is ACTIVE, the Context is entered only on {@link #loop}'s
 * thread: requests, body callbacks and promise resolutions for this slot are run through
 * {@link #execute} or {@link #post}. While the app is LOADING no request can reach the slot and
 * the loader thread enters it; work the module starts then (a top-level timer) is held until
 * {@link #ready} hands the slot to its loop. The watchdog reads the slice sequence from its own
 * thread and may interrupt the Context, which GraalJS allows from any thread. A new env version
 * is handed over as a task on {@link #loop} ({@link #applyEnv}), so a request dispatched before
 * it runs keeps the old {@code env} object and every later one gets the new one.
 */
public final class IsolateSlot {

    private final AppIsolate app;
    private final EventExecutor loop;
    private final Watchdog watchdog;
    private final long cpuLimitNanos;
    private final long memoryLimitBytes;
    private final ResponseDeadlines deadlines;
    private Context context;
    private Value runtime;
    private Value dispatch;
    private HostBinding binding;
    /** Set when closing starts, from any thread: from then on nothing enters the Context. */
    private volatile boolean closed;
    /** Loop-owned once ready; before that, the loader's: whether work may start on the loop. */
    private boolean ready;
    /** Work started while loading, started by {@link #ready}. */
    private List<Runnable> heldUntilReady = new ArrayList<>();
    /** Work the app's top-level code started: it belongs to the app and lives until the slot closes. */
    private final Set<Cancellable> appWork = new LinkedHashSet<>();
    /** The frozen {@code env} object of {@link #envVersion}: built once per version, passed to every request. */
    private Value env;
    private volatile long envVersion;

    /** Nesting depth of host-to-guest calls on the owning thread; only the outermost is a slice. */
    private int depth;
    /** The request whose JavaScript runs now, for log records; null outside a slice. */
    private RequestScope current;
    /**
     * Bumped when a slice starts and when it ends, so odd while JavaScript runs. The request path
     * only bumps it (a release store, no fence, no clock or allocation-counter read); the watchdog
     * times a slice from the tick that first sees it, at most one idle tick (50 ms) late.
     */
    private final AtomicLong sliceSequence = new AtomicLong();
    /** Written before the sequence's release store, so the watchdog reads it after an acquire. */
    private long sliceThreadId;
    // The watchdog's own view, touched only on its thread: since when it has seen this slice run.
    private long watchedSequence;
    private long watchedSinceNanos;
    private long watchedAllocatedBytes;
    private volatile LimitBreach breach;

    IsolateSlot(AppIsolate app, EventExecutor loop, Watchdog watchdog, long cpuLimitNanos, long memoryLimitBytes,
                long responseTimeoutNanos) {
        this.app = app;
        this.loop = loop;
        this.watchdog = watchdog;
        this.cpuLimitNanos = cpuLimitNanos;
        this.memoryLimitBytes = memoryLimitBytes;
        this.deadlines = new ResponseDeadlines(loop, responseTimeoutNanos);
    }

    /**
     * Creates the Context, runs the prelude and then the app's module in it. Only the module
     * runs under the watchdog, so that a module looping at top level fails to load instead of
     * hanging; the prelude is the runtime's own code and may be slow on a cold engine.
     */
    void open(JsEngine engine, AppModule module, AppEnv firstEnv) throws Exception {
        context = engine.newContext(module.folder());
        watchdog.watch(this);
        binding = new HostBinding(app, this);
        runtime = engine.prelude().install(context, binding);
        runGuarded(() -> {
            Value exports = context.eval(module.source());
            dispatch = runtime.invokeMember("attach", exports);
            env = buildEnv(firstEnv);
        });
        envVersion = firstEnv.version();
    }

    /** Runs the app's fetch handler for this request. On this slot's loop only. */
    void dispatch(RequestScope scope) {
        scope.started();
        enter(scope, () -> dispatch.executeVoid(scope, env));
    }

    /**
     * Hands a newer env version to this context: always queued on the slot's loop (never run
     * inline, so never inside another slice), completed once requests dispatched from then on get
     * it. An older version than the one applied is ignored. A failure is logged by key count
     * only, and the slot keeps its previous env.
     */
    CompletableFuture<Void> applyEnv(AppEnv next) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    if (next.version() > envVersion && context != null) {
                        runGuarded(() -> env = buildEnv(next));
                        envVersion = next.version();
                    }
                } catch (RuntimeException e) {
                    Log.warnf("app %s: a context could not take env version %d: %s", app.name(), next.version(),
                            e.getClass().getSimpleName());
                } finally {
                    applied.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            applied.complete(null); // the loop is shutting down: no request will run here again
        }
        return applied;
    }

    private Value buildEnv(AppEnv version) {
        return runtime.invokeMember("buildEnv", ProxyArray.fromList(version.hostList()));
    }

    long envVersion() {
        return envVersion;
    }

    /**
     * Hands the loaded slot to its loop: from here on only the loop enters the Context, and the
     * work the module started while loading (top-level timers) may begin. Waits until done.
     */
    void ready() throws Exception {
        loop.submit(() -> {
            ready = true;
            List<Runnable> held = heldUntilReady;
            heldUntilReady = null;
            held.forEach(Runnable::run);
        }).get();
    }

    /**
     * Queues host work into JavaScript for {@code owner} (null: the app's own top-level work).
     * Safe from any thread. The task runs later on this slot's loop, as its own slice, and is
     * dropped if the owner has closed or the slot is closing by then.
     */
    public void post(RequestScope owner, Runnable guestCall) {
        loop.execute(() -> runTask(owner, guestCall));
    }

    /**
     * Runs a task for {@code owner} now, as its own slice, unless the owner has closed or the
     * slot is closing. On this slot's loop only, with no JavaScript on the stack (a scheduled
     * timer firing, a queued completion).
     */
    public void runTask(RequestScope owner, Runnable guestCall) {
        if (closed || owner != null && !owner.isOpen()) {
            return;
        }
        enter(owner, guestCall);
    }

    /**
     * Starts loop work for the JavaScript running now (a timer): now if the slot is ready, else
     * once it is. On the thread that is running the slot's JavaScript.
     */
    public void startOnLoop(Runnable start) {
        if (ready) {
            start.run();
        } else {
            heldUntilReady.add(start);
        }
    }

    /**
     * Records work started on behalf of {@code owner} (null: the app's top level), cancelled when
     * the owner closes. False, and nothing recorded, when the owner is closed already.
     */
    public boolean own(RequestScope owner, Cancellable work) {
        if (owner != null) {
            return owner.own(work);
        }
        if (closed) {
            return false;
        }
        appWork.add(work);
        return true;
    }

    /** The work finished by itself. */
    public void disown(RequestScope owner, Cancellable work) {
        if (owner != null) {
            owner.disown(work);
        } else {
            appWork.remove(work);
        }
    }

    ResponseDeadlines deadlines() {
        return deadlines;
    }

    /** The app's name, for log records of host families. */
    public String appName() {
        return app.name();
    }

    /** Runs host work (no JavaScript) on this slot's event loop: now if already there, else queued. */
    public void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    boolean isOnCurrentThread() {
        return loop.inEventLoop();
    }

    public EventExecutor loop() {
        return loop;
    }

    /** The app's cpu-limit: host work that loops in Java (PBKDF2) gives up past it. */
    long cpuLimitNanos() {
        return cpuLimitNanos;
    }

    /** The request whose JavaScript is running now; null for the app's own top-level work. */
    public RequestScope current() {
        return current;
    }

    /**
     * Enters the Context for one call on behalf of a request (null: the app's own top-level
     * work). A guest failure (a throw that escaped the prelude's own handling, or an interrupt by
     * the watchdog) fails that request, or is logged for the app's own work.
     */
    void enter(RequestScope scope, Runnable guestCall) {
        RequestScope outer = current;
        current = scope;
        try {
            runGuarded(guestCall);
        } catch (PolyglotException e) {
            if (closed) {
                return; // cancelled by close(): nothing is left to fail
            }
            LimitBreach limit = takeBreach();
            if (limit == null && (e.isInterrupted() || e.isCancelled())) {
                limit = LimitBreach.CPU;
            }
            if (scope == null) {
                app.appWorkFailed(limit, e);
            } else if (limit != null) {
                scope.failLimit(limit);
            } else {
                scope.failGuest(e);
            }
        } catch (RuntimeException e) {
            if (scope == null) {
                Log.errorf(e, "app %s: runtime failure in the app's own work", app.name());
            } else {
                scope.failHost(e);
            }
        } finally {
            current = outer;
        }
    }

    private void runGuarded(Runnable guestCall) {
        if (depth++ == 0) {
            sliceThreadId = Thread.currentThread().threadId();
            sliceSequence.setRelease(sliceSequence.getPlain() + 1);
        }
        try {
            guestCall.run();
        } finally {
            if (--depth == 0) {
                sliceSequence.setRelease(sliceSequence.getPlain() + 1);
            }
        }
    }

    /** Clears and returns the breach recorded by the watchdog; loaders use it for their message. */
    LimitBreach takeBreach() {
        LimitBreach taken = breach;
        breach = null;
        return taken;
    }

    /** Called by the watchdog thread every tick; says whether JavaScript was running. */
    boolean checkLimits(long now, com.sun.management.ThreadMXBean threads) {
        long sequence = sliceSequence.getAcquire();
        if ((sequence & 1) == 0) {
            return false;
        }
        long allocated = threads.getThreadAllocatedBytes(sliceThreadId);
        if (sequence != watchedSequence) {
            watchedSequence = sequence;
            watchedSinceNanos = now;
            watchedAllocatedBytes = allocated;
            return true;
        }
        // Memory first: an allocation bomb also runs long (GC copies its growing live set), and
        // "allocated too much" is the cause worth reporting.
        LimitBreach found = null;
        if (allocated - watchedAllocatedBytes > memoryLimitBytes) {
            found = LimitBreach.MEMORY;
        } else if (now - watchedSinceNanos > cpuLimitNanos) {
            found = LimitBreach.CPU;
        }
        // A slice that ended since the read above must not be blamed, nor its successor hit.
        if (found == null || sliceSequence.getAcquire() != sequence) {
            return true;
        }
        breach = found;
        try {
            context.interrupt(Duration.ofSeconds(1));
        } catch (TimeoutException e) {
            Log.warnf("app %s: JavaScript did not stop within 1 s of its %s limit", app.name(), found.tag);
        } catch (IllegalStateException e) {
            // The context closed meanwhile: nothing left to stop.
        }
        return true;
    }

    /**
     * Cancels any running JavaScript and frees the Context for good. From any thread: the flag
     * stops every queued task at once, and the slot's own work is cancelled on its loop.
     */
    void close() {
        closed = true;
        watchdog.forget(this);
        if (!loop.isShuttingDown()) {
            loop.execute(() -> {
                deadlines.close();
                Cancellable[] work = appWork.toArray(Cancellable[]::new);
                appWork.clear();
                for (Cancellable each : work) {
                    each.cancel();
                }
                if (binding != null) {
                    binding.timers.cancelAll();
                }
            });
        }
        if (context != null) {
            try {
                context.close(true);
            } catch (RuntimeException e) {
                Log.debugf(e, "app %s: closing a context failed", app.name());
            }
        }
    }
}
