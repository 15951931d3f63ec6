package dev.nano.isolate;

import io.netty.util.concurrent.EventExecutor;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The event loops that serve the apps: as many as Quarkus's own ({@code
 * quarkus.vertx.event-loops-pool-size}), each the single loop of a Vert.x instance of its own.
 * An app has one Context per loop; AppServer gives every loop its own listening socket.
 *
 * <p>Why not Quarkus's Vert.x: within one Vert.x instance all servers on a port share one
 * listening socket and get its connections in turn, with no say in which loop takes which. A
 * socket per loop ({@code SO_REUSEPORT}) lets the kernel hand a connection to the loop that
 * matches the CPU its packets arrive on (see {@code dev.nano.server.CpuSteering}). Quarkus's
 * Vert.x keeps the management interface (health, metrics) and, in dev mode, the apps' port.
 */
@Singleton
public class EventLoops {

    @Inject
    Vertx quarkusVertx;
    @ConfigProperty(name = "quarkus.vertx.prefer-native-transport", defaultValue = "false")
    boolean preferNativeTransport;

    private final List<Vertx> instances = new ArrayList<>();
    private final List<EventExecutor> loops = new ArrayList<>();

    @PostConstruct
    void start() {
        int count = 0;
        for (EventExecutor ignored : quarkusVertx.nettyEventLoopGroup()) {
            count++;
        }
        for (int i = 0; i < count; i++) {
            Vertx instance = Vertx.vertx(new VertxOptions()
                    .setEventLoopPoolSize(1)
                    .setPreferNativeTransport(preferNativeTransport)
                    // NANO runs nothing blocking on these instances; their pools stay small.
                    .setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1));
            EventExecutor loop = instance.nettyEventLoopGroup().next();
            String name = "nano-loop-" + i;
            // Vert.x names every instance's loop alike; thread dumps and profiles need them apart.
            loop.submit(() -> Thread.currentThread().setName(name)).syncUninterruptibly();
            instances.add(instance);
            loops.add(loop);
        }
    }

    /** One Vert.x instance per loop, in loop order. */
    public List<Vertx> instances() {
        return List.copyOf(instances);
    }

    /** The loops, in the same order as {@link #instances()}. */
    public List<EventExecutor> loops() {
        return List.copyOf(loops);
    }

    /** After the apps have stopped: the container destroys this bean after the ShutdownEvent observers. */
    @PreDestroy
    void stop() {
        for (Vertx instance : instances) {
            try {
                instance.close().toCompletionStage().toCompletableFuture().join();
            } catch (RuntimeException e) {
                Log.warnf(e, "closing an event loop failed");
            }
        }
    }
}
