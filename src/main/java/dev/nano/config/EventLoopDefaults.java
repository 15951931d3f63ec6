package dev.nano.config;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Defaults Vert.x to one event loop per CPU instead of Quarkus's two. Every app keeps one
 * Context per event loop, so the second loop per CPU doubled each app's memory without adding
 * throughput: on 2 CPUs with wrk beside it, hello ran at 70-85k req/s with 4 loops and 72-98k
 * with 2 (2026-11-29, G1 and ParallelGC runs, after 80 s of load). The lowest ordinal, so
 * {@code quarkus.vertx.event-loops-size} set anywhere else wins.
 */
public final class EventLoopDefaults implements ConfigSource {

    private static final String EVENT_LOOPS = "quarkus.vertx.event-loops-size";

    @Override
    public Map<String, String> getProperties() {
        return Map.of(EVENT_LOOPS, getValue(EVENT_LOOPS));
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(EVENT_LOOPS);
    }

    @Override
    public String getValue(String propertyName) {
        return EVENT_LOOPS.equals(propertyName) ? Integer.toString(Runtime.getRuntime().availableProcessors()) : null;
    }

    @Override
    public String getName() {
        return "nano-event-loop-defaults";
    }

    @Override
    public int getOrdinal() {
        return 1;
    }
}
