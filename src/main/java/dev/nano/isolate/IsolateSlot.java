package dev.nano.isolate;

import io.netty.util.concurrent.EventExecutor;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * One GraalJS Context of an app, bound to one Vert.x event loop: the prelude, the app's module
 * and its module state live here.
 *
 * <p><b>Concurrency:</b> once the app is ACTIVE, the Context is entered only on {@link #loop}'s
 * thread: requests, body callbacks and promise resolutions for this slot are run through
 * {@link #execute}. While the app is LOADING no request can reach the slot and the loader
 * thread enters it. The watchdog reads the slice sequence from its own thread and may interrupt
 * the Context, which GraalJS allows from any thread.
 */
public final class IsolateSlot {

    private final AppIsolate app;
    private final EventExecutor loop;
    private final Watchdog watchdog;
    private final long cpuLimitNanos;
    private final long memoryLimitBytes;
    private Context context;
    private Value dispatch;

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

    IsolateSlot(AppIsolate app, EventExecutor loop, Watchdog watchdog, long cpuLimitNanos, long memoryLimitBytes) {
        this.app = app;
        this.loop = loop;
        this.watchdog = watchdog;
        this.cpuLimitNanos = cpuLimitNanos;
        this.memoryLimitBytes = memoryLimitBytes;
    }

    /**
     * Creates the Context, runs the prelude and then the app's module in it. Only the module
     * runs under the watchdog, so that a module looping at top level fails to load instead of
     * hanging; the prelude is the runtime's own code and may be slow on a cold engine.
     */
    void open(JsEngine engine, AppModule module) throws Exception {
        context = engine.newContext(module.folder());
        watchdog.watch(this);
        Value runtime = engine.prelude().install(context, new HostBinding(app, this));
        Value[] attached = new Value[1];
        runGuarded(() -> {
            Value exports = context.eval(module.source());
            attached[0] = runtime.invokeMember("attach", exports, module.envList());
        });
        dispatch = attached[0];
    }

    /** Runs the app's fetch handler for this request. On this slot's loop only. */
    void dispatch(RequestScope scope) {
        enter(scope, () -> dispatch.executeVoid(scope));
    }

    /** Runs the task on this slot's event loop: now if already there, else queued. */
    void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    boolean isOnCurrentThread() {
        return loop.inEventLoop();
    }

    EventExecutor loop() {
        return loop;
    }

    /** The app's cpu-limit: host work that loops in Java (PBKDF2) gives up past it. */
    long cpuLimitNanos() {
        return cpuLimitNanos;
    }

    /** The request whose JavaScript is running now, if any. */
    RequestScope current() {
        return current;
    }

    /**
     * Enters the Context for one call on behalf of a request. A guest failure (a throw that
     * escaped the prelude's own handling, or an interrupt by the watchdog) fails that request.
     */
    void enter(RequestScope scope, Runnable guestCall) {
        RequestScope outer = current;
        current = scope;
        try {
            runGuarded(guestCall);
        } catch (PolyglotException e) {
            LimitBreach limit = takeBreach();
            if (limit != null || e.isInterrupted() || e.isCancelled()) {
                scope.failLimit(limit == null ? LimitBreach.CPU : limit);
            } else {
                scope.failGuest(e);
            }
        } catch (RuntimeException e) {
            scope.failHost(e);
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

    /** Cancels any running JavaScript and frees the Context for good. */
    void close() {
        watchdog.forget(this);
        if (context != null) {
            try {
                context.close(true);
            } catch (RuntimeException e) {
                Log.debugf(e, "app %s: closing a context failed", app.name());
            }
        }
    }
}
