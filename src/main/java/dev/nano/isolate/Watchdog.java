package dev.nano.isolate;

import io.quarkus.logging.Log;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Samples the slice of JavaScript each slot is running and interrupts it once it is over its
 * app's cpu-limit (wall time of one uninterrupted slice on an event loop, where JS never
 * blocks) or memory-limit (bytes the thread allocated during the slice), both counted from the
 * first tick that sees the slice, so up to one idle tick (50 ms) late. The slot's Context stays
 * usable; the request that was running fails.
 */
@Singleton // used on every request: no client proxy in the way
public class Watchdog {

    /** The pace while some slot was running JavaScript at the last tick. */
    private static final long BUSY_TICK_MILLIS = 10;
    /**
     * The pace while none was: an idle NANO wakes 20 times a second instead of 100 (0.6 % of a
     * CPU per idle process at 100, measured), and a slice that starts then is first seen up to
     * 50 ms late, its limits counted from there.
     */
    private static final long IDLE_TICK_MILLIS = 50;

    private final List<IsolateSlot> slots = new CopyOnWriteArrayList<>();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private Thread thread;
    private volatile boolean running = true;

    @PostConstruct
    void start() {
        thread = Thread.ofPlatform().name("nano-watchdog").daemon().start(this::loop);
    }

    @PreDestroy
    void stop() {
        running = false;
        thread.interrupt();
    }

    void watch(IsolateSlot slot) {
        slots.add(slot);
    }

    void forget(IsolateSlot slot) {
        slots.remove(slot);
    }

    private void loop() {
        boolean busy = false;
        while (running) {
            try {
                Thread.sleep(busy ? BUSY_TICK_MILLIS : IDLE_TICK_MILLIS);
                long now = System.nanoTime();
                busy = false;
                for (IsolateSlot slot : slots) {
                    busy |= slot.checkLimits(now, threads);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                Log.error("watchdog tick failed", e);
            }
        }
    }
}
