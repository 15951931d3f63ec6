package dev.nano.web.fetch;

import dev.nano.config.NanoConfig;
import dev.nano.isolate.EventLoops;
import dev.nano.observe.NanoMetrics;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The outbound HTTP clients: per event loop, one for cleartext HTTP/1.1 and one for TLS (h2 where
 * the server offers it through ALPN, else HTTP/1.1), each made from that loop's own Vert.x
 * instance, so connections, pools and completions stay on the loop of the context that fetches.
 * The pools are shared by every app on the loop: a pooled connection goes to an address that
 * was checked against the policy of the app using it, before every request.
 */
@Singleton
public class FetchClients {

    /** Connections per upstream address and loop: the proxy benchmark keeps 50 requests in flight. */
    private static final int POOL_SIZE = 128;

    @Inject
    EventLoops eventLoops;
    @Inject
    NanoMetrics metrics;
    @Inject
    VertxHttpConfig http;

    private final Map<EventExecutor, HttpClient[]> clients = new ConcurrentHashMap<>();
    private volatile Set<InetAddress> ownAddresses;

    /**
     * One app's outbound side: its policy (validated here: a bad entry fails the app's load),
     * limits and meters.
     */
    public Outbound outbound(String app, NanoConfig.Outbound config) {
        OutboundPolicy policy = new OutboundPolicy(config.allow(), config.deny().orElse(List.of()), ownPorts(),
                ownAddresses());
        return new Outbound(app, policy, config, metrics.forFetch(app), this);
    }

    /** The loop's client: TLS or cleartext. */
    HttpClient client(EventExecutor loop, boolean tls) {
        return clients.computeIfAbsent(loop, this::create)[tls ? 1 : 0];
    }

    /** The Vert.x instance whose only loop is {@code loop}. */
    Vertx vertx(EventExecutor loop) {
        List<EventExecutor> loops = eventLoops.loops();
        int index = loops.indexOf(loop);
        if (index < 0) {
            throw new IllegalStateException("not one of NANO's event loops: " + loop);
        }
        return eventLoops.instances().get(index);
    }

    private HttpClient[] create(EventExecutor loop) {
        Vertx vertx = vertx(loop);
        HttpClientOptions plain = base().setProtocolVersion(HttpVersion.HTTP_1_1);
        HttpClientOptions tls = base().setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                // No trust options: the JDK's default trust store; host names are verified.
                .setVerifyHost(true);
        return new HttpClient[] {vertx.createHttpClient(plain), vertx.createHttpClient(tls)};
    }

    private static HttpClientOptions base() {
        return new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(POOL_SIZE)
                .setHttp2MaxPoolSize(4)
                // Bodies are handed to the app as the server sent them (no content decoding yet).
                .setDecompressionSupported(false)
                .setMaxRedirects(0)
                .setName("nano-fetch");
    }

    /** The apps' port and the management port: fetching them would loop back into NANO. */
    private Set<Integer> ownPorts() {
        Set<Integer> ports = new HashSet<>();
        LaunchMode mode = LaunchMode.current();
        ports.add(http.determinePort(mode));
        var config = ConfigProvider.getConfig();
        String key = mode == LaunchMode.TEST ? "quarkus.management.test-port" : "quarkus.management.port";
        ports.add(config.getOptionalValue(key, Integer.class).orElse(mode == LaunchMode.TEST ? 9001 : 9000));
        ports.add(config.getOptionalValue("quarkus.http.ssl-port", Integer.class).orElse(8443));
        ports.remove(0);
        return ports;
    }

    /** This host's own addresses, listed once: any of them with one of NANO's ports reaches NANO. */
    private Set<InetAddress> ownAddresses() {
        Set<InetAddress> addresses = ownAddresses;
        if (addresses == null) {
            addresses = new HashSet<>();
            try {
                for (NetworkInterface each : NetworkInterface.networkInterfaces().toList()) {
                    each.inetAddresses().forEach(addresses::add);
                }
            } catch (SocketException e) {
                Log.warnf(e, "cannot list this host's addresses; only loopback counts as NANO's own");
            }
            ownAddresses = addresses = Set.copyOf(addresses);
        }
        return addresses;
    }
}
