package dev.nano.server;

import dev.nano.config.NanoConfig;
import dev.nano.config.NanoConfig.ConnectionSteering;
import dev.nano.isolate.AppRegistry;
import dev.nano.isolate.EventLoops;
import dev.nano.observe.NanoMetrics;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.ServerLimitsConfig;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.quarkus.vertx.http.runtime.VertxHttpConfig.InsecureRequests;
import io.vertx.core.Vertx;
import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The apps' HTTP port: a Vert.x {@code HttpServer} on every one of NANO's {@link EventLoops},
 * each with its own listening socket, bound where {@code quarkus.http.host} and {@code
 * quarkus.http.port} (or {@code test-port}) say, with Quarkus's own listener switched off
 * ({@code quarkus.http.host-enabled: false}); {@link CpuSteering} tells the kernel which loop
 * gets a new connection. Each request goes straight to {@link NanoRouter}. Where Quarkus's
 * listener is on (dev mode, whose live reload and Dev UI hang off Quarkus's router), NanoRouter
 * is a route on that router instead.
 *
 * <p>Why not a Quarkus route: before a route sees a request, Quarkus's HTTP layer wraps it
 * ({@code QuarkusRequestWrapper}, {@code ResumingRequestWrapper} with a response end handler, a
 * {@code RoutingContext}), which cost 0.6-1.2 of the 10-13 us of CPU a hello request takes
 * (same process, both paths, interleaved 10 s windows, 2026-11-29). Health and metrics stay on
 * Quarkus's management interface.
 *
 * <p>Shutdown is driven by {@code dev.nano.lifecycle.Drainer}: {@link #closeAfterEachResponse},
 * {@link #stopAccepting}, {@link #closeIdle}, then {@link #closeAll} once requests drained.
 */
@Singleton
public class AppServer {

    /** Observers with a lower priority run first: the sockets drain before AppRegistry stops the apps. */
    public static final int BEFORE_APPS_STOP = 1000;

    @Inject
    EventLoops eventLoops;
    @Inject
    NanoRouter router;
    @Inject
    AppRegistry registry;
    @Inject
    VertxHttpConfig http;
    @Inject
    NanoConfig nanoConfig;
    @Inject
    NanoMetrics metrics;

    /** Set once the listening sockets closed: a request on an open connection gets 503. */
    private volatile boolean closing;
    private final OpenConnections connections = new OpenConnections();
    private volatile ConnectionSteering steering = ConnectionSteering.HASH;
    private final List<HttpServer> servers = new ArrayList<>();
    private volatile InsecureRequests insecure = InsecureRequests.ENABLED;
    private volatile int httpsPort = -1;

    void routeOnQuarkusListener(@Observes Router quarkusRouter) {
        if (http.hostEnabled()) {
            // After Quarkus's own routes: its live-reload check, and Dev UI under /q/dev-ui.
            quarkusRouter.route().order(RouteConstants.ROUTE_ORDER_AFTER_DEFAULT)
                    .handler(routing -> handle(routing.request()));
        }
    }

    void start(@Observes StartupEvent event) {
        HttpExchange.closeAfterResponse = false; // a JVM may boot NANO more than once (tests)
        if (http.hostEnabled()) {
            return;
        }
        List<String> unsupported = AppPortSettings.unsupported(http);
        if (!unsupported.isEmpty()) {
            throw new IllegalStateException("these settings do not apply to the apps' port, which NANO serves itself; "
                    + "remove them: " + String.join("; ", unsupported));
        }
        LaunchMode mode = LaunchMode.current();
        String host = mode == LaunchMode.TEST ? http.testHost().orElse(http.host()) : http.host();
        List<Vertx> instances = eventLoops.instances();
        boolean severalLoops = instances.size() > 1;
        boolean tls = AppPortSettings.tlsConfigured(http);
        insecure = tls ? AppPortSettings.insecureRequests(http) : InsecureRequests.ENABLED;
        int actualPort = -1;
        if (!tls || insecure != InsecureRequests.DISABLED) {
            int port = http.determinePort(mode);
            actualPort = listen(serverOptions(host, port), port, instances);
            steering = severalLoops ? steer(actualPort, instances.size()) : ConnectionSteering.HASH;
            Log.infof("NANO serves its apps on http://%s:%d (%d event loops, new connections to loops by %s)", host,
                    actualPort, instances.size(), steering.name().toLowerCase(Locale.ROOT));
        }
        if (tls) {
            int port = http.determineSslPort(mode);
            httpsPort = listen(AppPortSettings.https(serverOptions(host, port), http, host, port), port, instances);
            Log.infof("NANO serves its apps on https://%s:%d (%d event loops; plain HTTP %s)", host, httpsPort,
                    instances.size(), insecure.name().toLowerCase(Locale.ROOT));
        }
        Thread.ofPlatform().name("nano-meters").daemon().start(() -> metrics.connections(connections::size));
        long idleNanos = nanoConfig.connectionIdleTimeout().toNanos();
        instances.get(0).setPeriodic(1000, tick -> {
            int closed = connections.closeQuiet(System.nanoTime(), idleNanos);
            if (closed > 0) {
                Log.debugf("closed %d connections without a request for %s", closed, nanoConfig.connectionIdleTimeout());
            }
        });
    }

    /** A listening socket per loop on {@code port}; returns the port they got. */
    private int listen(HttpServerOptions options, int port, List<Vertx> instances) {
        if (!http.soReusePort()) {   // set, it means to share the port with other processes
            refuseTakenPort(port);
        }
        // A listening socket per loop (SO_REUSEPORT), opened one after another: the kernel numbers
        // them in that order, and CpuSteering's program picks a socket by that number.
        options.setReusePort(instances.size() > 1 || options.isReusePort());
        int first = servers.size();
        for (int loop = 0; loop < instances.size(); loop++) {
            HttpServer server = instances.get(loop).createHttpServer(options)
                    .requestHandler(this::handle)
                    .connectionHandler(this::track)
                    .listen()
                    .toCompletionStage().toCompletableFuture().join();
            servers.add(server);
            options.setPort(server.actualPort());   // port 0: the others join the port the first got
        }
        return servers.get(first).actualPort();
    }

    /** The port HTTPS is served on, or -1 without TLS. */
    public int httpsPort() {
        return httpsPort;
    }

    /**
     * With SO_REUSEPORT a port another process of the same user listens on is not "in use": our
     * sockets would join its group and share its connections. Fail as a plain bind would, and
     * with one message whatever the loop count.
     */
    private static void refuseTakenPort(int port) {
        try {
            if (port != 0 && !ListeningSockets.on(port).isEmpty()) {
                throw new IllegalStateException("port " + port + " is already in use by another listener");
            }
        } catch (IOException e) {
            Log.debugf(e, "cannot list the listening sockets; binding port %d regardless", port);
        }
    }

    private ConnectionSteering steer(int port, int loops) {
        if (nanoConfig.connectionSteering() != ConnectionSteering.CPU) {
            return ConnectionSteering.HASH;
        }
        try {
            Optional<CpuSteering> byCpu = CpuSteering.forLoops(loops);
            if (byCpu.isEmpty()) {
                Log.warnf("nano.connection-steering=cpu needs a CPU per event loop; %d loops: the kernel's hash "
                        + "spreads new connections instead", loops);
                return ConnectionSteering.HASH;
            }
            byCpu.get().attach(port);
            List<EventExecutor> threads = eventLoops.loops();
            for (int loop = 0; loop < threads.size(); loop++) {
                int index = loop;
                threads.get(loop).submit(() -> {
                    byCpu.get().pinCurrentThread(index);
                    return null;
                }).syncUninterruptibly();
            }
            return ConnectionSteering.CPU;
        } catch (Exception | LinkageError e) {
            // Not Linux, no native access (--enable-native-access), an image without FFM support...
            Log.warnf("nano.connection-steering=cpu is not possible here (%s); the kernel's hash spreads new "
                    + "connections instead", e.toString());
            return ConnectionSteering.HASH;
        }
    }

    /** How new connections on the apps' port find their loop; HASH before start and with one loop. */
    public ConnectionSteering steering() {
        return steering;
    }

    private HttpServerOptions serverOptions(String host, int port) {
        ServerLimitsConfig limits = http.limits();
        return new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setIdleTimeout((int) http.idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxHeaderSize((int) limits.maxHeaderSize().asLongValue())
                .setMaxInitialLineLength(limits.maxInitialLineLength())
                .setMaxChunkSize((int) limits.maxChunkSize().asLongValue())
                .setHttp2ClearTextEnabled(http.http2())
                .setAcceptBacklog(http.acceptBacklog())
                .setReusePort(http.soReusePort())
                .setTcpQuickAck(http.tcpQuickAck())
                .setTcpCork(http.tcpCork())
                .setTcpFastOpen(http.tcpFastOpen())
                .setUseProxyProtocol(http.proxy().useProxyProtocol())
                // Apps answer HTTP, not WebSockets: without these Vert.x adds no WebSocket
                // extension handler to every connection's pipeline (~0.6 % of a hello's CPU).
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false);
    }

    private void handle(HttpServerRequest request) {
        connections.requestStarted(request);
        if (closing) {
            HttpExchange.closeConnectionAfter(request);
            ErrorResponses.send(request.response(), 503, "shutting_down", "NANO is shutting down");
            return;
        }
        if (insecure != InsecureRequests.ENABLED && !request.isSSL() && "http".equals(router.scheme(request))) {
            refuseInsecure(request);
            return;
        }
        try {
            router.route(request);
        } catch (RuntimeException e) {
            Log.errorf(e, "routing %s %s failed", request.method(), request.uri());
            ErrorResponses.send(request.response(), 500, "internal_error", "NANO failed to route the request");
        }
    }

    /** quarkus.http.insecure-requests: redirect to HTTPS (same host, the HTTPS port), or 403. */
    private void refuseInsecure(HttpServerRequest request) {
        if (insecure == InsecureRequests.REDIRECT) {
            String host = NanoRouter.hostOf(request.getHeader(io.vertx.core.http.HttpHeaders.HOST));
            String uri = request.uri();
            if (host != null && NanoRouter.isAuthority(host) && uri.startsWith("/")) {
                request.response().setStatusCode(301)
                        .putHeader("location", "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + uri)
                        .putHeader("content-length", "0").end();
                return;
            }
        }
        ErrorResponses.send(request.response(), 403, "https_required", "this server answers over HTTPS only");
    }

    /** Per connection, not per request: a set insert when it opens, a removal when it closes. */
    private void track(HttpConnection connection) {
        connections.opened(connection);
    }

    /** Open connections on the apps' port. */
    public int openConnections() {
        return connections.size();
    }

    /** The shutdown delay began: every response from now on closes its connection after it. */
    public void closeAfterEachResponse() {
        HttpExchange.closeAfterResponse = true;
    }

    /**
     * Closes the listening sockets, and only them: new connections are refused while the open
     * ones finish their requests. Vert.x 4's {@code HttpServer.close()} would close those too,
     * so this reaches the server channel through Vert.x's internals; if that fails, new
     * connections are accepted and closed at once instead.
     */
    public void stopAccepting() {
        closing = true;
        for (HttpServer server : servers) {
            if (!closeListeningChannel(server)) {
                server.connectionHandler(HttpConnection::close);
            }
        }
    }

    private static boolean closeListeningChannel(HttpServer server) {
        try {
            Class<?> base = Class.forName("io.vertx.core.net.impl.TCPServerBase");
            Field actualField = base.getDeclaredField("actualServer");
            actualField.setAccessible(true);
            Object actual = actualField.get(server);
            Field bindField = base.getDeclaredField("bindFuture");
            bindField.setAccessible(true);
            Object bound = bindField.get(actual == null ? server : actual);
            if (bound instanceof io.vertx.core.Future<?> future && future.result() instanceof Channel channel) {
                channel.close().syncUninterruptibly();
                return true;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.warnf("cannot close the listening socket alone (%s); new connections are closed as they come", e);
        }
        return false;
    }

    /** Closes every connection that carries no open request ({@code busy} holds those that do). */
    public int closeIdle(Set<Object> busy) {
        int closed = 0;
        for (HttpConnection connection : connections.all()) {
            if (!busy.contains(connection)) {
                connection.close();
                closed++;
            }
        }
        return closed;
    }

    /** Closes what is left: every connection and the servers. */
    public void closeAll() {
        closing = true;
        for (HttpServer server : servers) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                Log.debugf(e, "closing a server failed");
            }
        }
    }
}
