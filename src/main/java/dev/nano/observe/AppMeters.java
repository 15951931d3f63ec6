package dev.nano.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One app's meters, looked up once so the request path does no registry lookups. */
public final class AppMeters {

    private final String app;
    private final MeterRegistry registry;
    private final Map<Integer, Counter> requestsByStatus = new ConcurrentHashMap<>();
    private final Map<String, Counter> limitKills = new ConcurrentHashMap<>();
    private final Timer duration;

    AppMeters(String app, MeterRegistry registry) {
        this.app = app;
        this.registry = registry;
        this.duration = Timer.builder(NanoMetrics.REQUEST_DURATION)
                .description("Time from request to response head, by app")
                .tag("app", app)
                .publishPercentileHistogram()
                .register(registry);
    }

    public void requestFinished(int status, long durationNanos) {
        requestsByStatus.computeIfAbsent(status, code -> Counter.builder(NanoMetrics.REQUESTS)
                .description("Requests answered, by app and status")
                .tags("app", app, "status", Integer.toString(code))
                .register(registry)).increment();
        duration.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /** {@code limit} is {@code cpu} or {@code memory}. */
    public void limitKill(String limit) {
        limitKills.computeIfAbsent(limit, name -> Counter.builder(NanoMetrics.LIMIT_KILLS)
                .description("JavaScript slices interrupted for going over a limit, by app and limit")
                .tags("app", app, "limit", name)
                .register(registry)).increment();
    }
}
