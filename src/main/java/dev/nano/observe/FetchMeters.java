package dev.nano.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * One app's outbound {@code fetch()} meters: {@code nano_fetch_requests_total{app,status_class}}
 * (responses by 1xx..5xx), {@code nano_fetch_errors_total{app,reason}} and
 * {@code nano_fetch_duration_seconds{app}} (from the start of a hop to its response head).
 */
public final class FetchMeters {

    private static final Duration[] BUCKETS = LongStream.of(1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000,
                    500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000)
            .mapToObj(micros -> Duration.of(micros, ChronoUnit.MICROS))
            .toArray(Duration[]::new);

    private final String app;
    private final MeterRegistry registry;
    private final Counter[] byStatusClass = new Counter[6];
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Timer duration;

    FetchMeters(String app, MeterRegistry registry) {
        this.app = app;
        this.registry = registry;
        this.duration = Timer.builder(NanoMetrics.FETCH_DURATION)
                .description("Time from the start of an outbound fetch (one hop) to its response head, by app")
                .tag("app", app)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /** A response head arrived. */
    public void response(int status, long durationNanos) {
        int statusClass = Math.clamp(status / 100, 1, 5);
        Counter counter = byStatusClass[statusClass];
        if (counter == null) {
            counter = Counter.builder(NanoMetrics.FETCH_REQUESTS)
                    .description("Outbound fetch responses, by app and status class")
                    .tags("app", app, "status_class", statusClass + "xx")
                    .register(registry);
            byStatusClass[statusClass] = counter;
        }
        counter.increment();
        duration.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A fetch failed; {@code reason} is one of refused_by_policy, dns, connect, tls, timeout,
     * aborted, too_large, concurrency_limit, reset, protocol, cancelled (the owner closed, the body
     * was cancelled, or the client of a passed-through body went away), request_body (a streamed
     * request body errored).
     */
    public void error(String reason) {
        errors.computeIfAbsent(reason, name -> Counter.builder(NanoMetrics.FETCH_ERRORS)
                .description("Outbound fetches that failed, by app and reason")
                .tags("app", app, "reason", name)
                .register(registry)).increment();
    }
}
