package dev.nano.lifecycle;

import dev.nano.config.NanoConfig;
import dev.nano.isolate.AppIsolate;
import dev.nano.isolate.AppRegistry;
import dev.nano.server.AppServer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import sun.misc.Signal;

/**
 * Process shutdown (SIGTERM, SIGINT), in the order load balancers need:
 * <ol>
 * <li>at once ({@code ShutdownDelayInitiatedEvent}): the config watcher stops, app changes are
 *     refused, readiness goes DOWN ({@link DrainReadinessCheck}), and every response closes its
 *     connection ({@code Connection: close});</li>
 * <li>for {@code quarkus.shutdown.delay} NANO still serves, so that the load balancer notices;</li>
 * <li>then ({@code ShutdownEvent}, before the apps stop): the listening sockets close (new
 *     connections are refused), idle keep-alive connections close, and open requests (responses
 *     still streaming and {@code ctx.waitUntil} work included) run up to {@code nano.drain-timeout};</li>
 * <li>what is left is cut: its JavaScript interrupted, its connection closed, each request
 *     logged; the contexts are closed after that, when the apps stop; one summary line.</li>
 * </ol>
 */
@Singleton
public class Drainer {

    @Inject
    AppServer server;
    @Inject
    AppRegistry registry;
    @Inject
    NanoConfig config;
    @Inject
    Reloader reloader;

    private volatile boolean draining;
    private long startedNanos;
    private long closedAtStart;

    /**
     * SIGTERM and SIGINT stop NANO as {@code Quarkus.asyncExit(0)}: the same graceful stop, and
     * exit code 0 for a drain that went as planned. The JVM's own handling would run the same
     * shutdown from its hooks but exit with 128 + the signal (143), which orchestrators and
     * process managers report as a failure. Only in a normal run: tests own their JVM's signals.
     */
    void handleSignals(@Observes StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    begin(); // readiness DOWN now, not once Quarkus's stop reaches its pre-shutdown step
                    Quarkus.asyncExit(0);
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                Log.debugf(e, "cannot handle SIG%s; the JVM's default applies", name);
            }
        }
    }

    void delayStarts(@Observes ShutdownDelayInitiatedEvent event) {
        begin();
    }

    private synchronized void begin() {
        if (draining) {
            return;
        }
        draining = true;
        startedNanos = System.nanoTime();
        reloader.stop();
        registry.freeze();
        closedAtStart = closed(registry.versions());
        server.closeAfterEachResponse();
        Log.infof("shutdown: readiness is DOWN, %d requests open; still serving (Connection: close) until the "
                + "shutdown delay ends", open(registry.versions()));
    }

    void drain(@Observes @Priority(AppServer.BEFORE_APPS_STOP) ShutdownEvent event) {
        begin(); // without a shutdown delay, nothing came before
        server.stopAccepting();
        List<AppIsolate> versions = registry.versions();
        Set<Object> busy = ConcurrentHashMap.newKeySet();
        versions.forEach(version -> version.busyConnections(busy));
        int idle = server.closeIdle(busy);
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        Log.infof("shutdown: not accepting connections; closed %d idle ones; waiting up to %s for %d open requests",
                idle, config.drainTimeout(), open(versions));
        while (open(versions) > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int cut = 0;
        for (AppIsolate version : versions) {
            cut += version.cut("shutdown: the drain timeout of " + config.drainTimeout() + " passed");
        }
        server.closeAll();
        long drained = closed(versions) - closedAtStart - cut;
        Log.infof("shutdown: drained %d requests, cut %d, took %d ms", drained, cut,
                (System.nanoTime() - startedNanos) / 1_000_000);
    }

    private static int open(List<AppIsolate> versions) {
        return versions.stream().mapToInt(AppIsolate::openRequests).sum();
    }

    private static long closed(List<AppIsolate> versions) {
        return versions.stream().mapToLong(AppIsolate::closedRequests).sum();
    }

    /** True from the moment shutdown began. */
    public boolean draining() {
        return draining;
    }
}
