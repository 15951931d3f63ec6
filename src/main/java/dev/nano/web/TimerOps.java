package dev.nano.web;

import dev.nano.isolate.Cancellable;
import dev.nano.isolate.IsolateSlot;
import dev.nano.isolate.RequestScope;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * Host side of the HTML timers (https://html.spec.whatwg.org/#timers) and of queued tasks:
 * each fires as a task of its own on the slot's event loop, for the request that set it.
 *
 * <p><b>Concurrency:</b> every method runs on the slot's loop, or on the loader thread while the
 * app's module loads, when timers are held until the slot is ready.
 */
public final class TimerOps {

    /** https://html.spec.whatwg.org/#timer-initialisation-steps step 10: nesting past 5 clamps to 4 ms. */
    private static final int NESTING_CLAMP_LEVEL = 5;
    private static final long NESTED_MINIMUM_MILLIS = 4;

    private final IsolateSlot slot;
    /** The map of active timers, by id: ids are per global, starting at 1. */
    private final Map<Integer, Timer> active = new HashMap<>();
    private int lastId;
    /** The nesting level of the timer task running now; 0 outside timer tasks. */
    private int nestingLevel;

    public TimerOps(IsolateSlot slot) {
        this.slot = slot;
    }

    /**
     * Starts a timer that calls {@code callback} after {@code delayMillis} (once, or every
     * {@code delayMillis} when {@code repeat}); returns its id. The prelude has already
     * converted the delay (a WebIDL long, negative as 0) and wrapped the handler.
     */
    @HostAccess.Export
    public int set(int delayMillis, boolean repeat, Value callback) {
        int id = ++lastId;
        int level = nestingLevel + 1;
        long delay = Math.max(0, delayMillis);
        if (level > NESTING_CLAMP_LEVEL && delay < NESTED_MINIMUM_MILLIS) {
            delay = NESTED_MINIMUM_MILLIS;
        }
        Timer timer = new Timer(id, slot.current(), delay, repeat, level, callback);
        if (slot.own(timer.owner, timer)) {
            active.put(id, timer);
            slot.startOnLoop(timer::schedule);
        }
        return id;
    }

    /** clearTimeout and clearInterval: either clears either kind, as HTML says. */
    @HostAccess.Export
    public void clear(int id) {
        Timer timer = active.get(id);
        if (timer != null) {
            timer.cancel();
        }
    }

    /** Queues {@code callback} as a task of its own now, for the request running now. */
    @HostAccess.Export
    public void post(Value callback) {
        RequestScope owner = slot.current();
        slot.startOnLoop(() -> slot.post(owner, callback::executeVoid));
    }

    /** The slot is closing: no timer may fire again. */
    public void cancelAll() {
        for (Timer timer : active.values().toArray(Timer[]::new)) {
            timer.cancel();
        }
    }

    private final class Timer implements Cancellable {
        final int id;
        final RequestScope owner;
        final long delayMillis;
        final boolean repeat;
        final int level;
        final Value callback;
        ScheduledFuture<?> scheduled;
        boolean cancelled;

        Timer(int id, RequestScope owner, long delayMillis, boolean repeat, int level, Value callback) {
            this.id = id;
            this.owner = owner;
            this.delayMillis = delayMillis;
            this.repeat = repeat;
            this.level = level;
            this.callback = callback;
        }

        void schedule() {
            if (!cancelled) {
                scheduled = slot.loop().schedule(this::fire, delayMillis, TimeUnit.MILLISECONDS);
            }
        }

        private void fire() {
            if (cancelled) {
                return;
            }
            if (!repeat) {
                forget();
            }
            int outer = nestingLevel;
            nestingLevel = level;
            try {
                slot.runTask(owner, callback::executeVoid);
            } finally {
                nestingLevel = outer;
            }
            if (repeat && !cancelled && (owner == null || owner.isOpen())) {
                schedule();
            }
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                if (scheduled != null) {
                    scheduled.cancel(false);
                }
                forget();
            }
        }

        private void forget() {
            cancelled = true;
            active.remove(id);
            slot.disown(owner, this);
        }
    }
}
