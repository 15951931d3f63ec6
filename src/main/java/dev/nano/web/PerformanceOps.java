package dev.nano.web;

import java.time.Instant;
import org.graalvm.polyglot.HostAccess;

/**
 * Host side of {@code performance} and of events' {@code timeStamp}: a monotonic clock per
 * Context, read as milliseconds since the Context's time origin
 * (https://w3c.github.io/hr-time/#dfn-time-origin).
 *
 * <p>Times are coarsened to {@link #RESOLUTION_NANOS} (100 microseconds), as HR-Time asks of a
 * context without cross-origin isolation (https://w3c.github.io/hr-time/#dfn-coarsen-time).
 * Tenants share the process, its CPUs and caches: a fine clock is what cache-timing and
 * Spectre-style attacks on a neighbour's data need, and 100 us is too coarse for them while
 * still finer than {@code Date.now()}.
 */
public final class PerformanceOps {

    static final long RESOLUTION_NANOS = 100_000;

    private final long originNanos = System.nanoTime();
    private final double timeOrigin;

    public PerformanceOps() {
        Instant now = Instant.now();
        long epochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        this.timeOrigin = coarsen(epochNanos) / 1e6;
    }

    /** Milliseconds since the time origin, coarsened; never decreasing. */
    @HostAccess.Export
    public double now() {
        return coarsen(System.nanoTime() - originNanos) / 1e6;
    }

    /** The time origin as milliseconds since the Unix epoch, coarsened. */
    @HostAccess.Export
    public double timeOrigin() {
        return timeOrigin;
    }

    private static long coarsen(long nanos) {
        return nanos - Math.floorMod(nanos, RESOLUTION_NANOS);
    }
}
