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

/** One app's meters, looked up once so the request path does no registry lookups. */
public final class AppMeters {

    /**
     * Fixed latency buckets, Prometheus's defaults plus 1 and 2.5 ms for fast handlers. Not
     * Micrometer's percentile histogram: its ~70 buckets per app cost a binary search on every
     * request (~2.5 % of the Java samples of a hello request) and as many series per app.
     */
    private static final Duration[] DURATION_BUCKETS = LongStream.of(1_000, 2_500, 5_000, 10_000, 25_000, 50_000,
                    100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000)
            .mapToObj(micros -> Duration.of(micros, ChronoUnit.MICROS))
            .toArray(Duration[]::new);

    private final String app;
    private final MeterRegistry registry;
    /** By status code; filled lazily, and a lost race only registers the same counter twice. */
    private final Counter[] requestsByStatus = new Counter[600];
    private final Map<String, Counter> limitKills = new ConcurrentHashMap<>();
    private final Timer duration;

    AppMeters(String app, MeterRegistry registry) {
        this.app = app;
        this.registry = registry;
        this.duration = Timer.builder(NanoMetrics.REQUEST_DURATION)
                .description("Time from request to response head, by app")
                .tag("app", app)
                .serviceLevelObjectives(DURATION_BUCKETS)
                .register(registry);
    }

    public void requestFinished(int status, long durationNanos) {
        boolean cacheable = status >= 0 && status < requestsByStatus.length;
        Counter requests = cacheable ? requestsByStatus[status] : null;
        if (requests == null) {
            requests = Counter.builder(NanoMetrics.REQUESTS)
                    .description("Requests answered, by app and status")
                    .tags("app", app, "status", Integer.toString(status))
                    .register(registry);
            if (cacheable) {
                requestsByStatus[status] = requests;
            }
        }
        requests.increment();
        duration.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /** {@code limit} is {@code cpu} or {@code memory}. */
    public void limitKill(String limit) {
        limitKills.computeIfAbsent(limit, name -> Counter.builder(NanoMetrics.LIMIT_KILLS)
                .description("JavaScript slices interrupted for going over a limit, by app and limit")
                .tags("app", app, "limit", name)
                .register(registry)).increment();
    }

    /** Console lines of this app dropped for going over its log rate. */
    public Counter logDropped() {
        return Counter.builder(NanoMetrics.APP_LOG_DROPPED)
                .description("Console lines dropped for going over nano.app-log.max-lines-per-second, by app")
                .tag("app", app)
                .register(registry);
    }
}
