package dev.nano.web.fetch;

import dev.nano.config.NanoConfig;
import dev.nano.observe.FetchMeters;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/** One app's outbound network: its policy, its limits (config {@code nano.apps.<name>.outbound}) and meters. */
public final class Outbound {

    public final String app;
    public final OutboundPolicy policy;
    public final long connectTimeoutMillis;
    public final long timeoutMillis;
    public final long maxResponseBytes;
    public final int maxConcurrent;
    public final int maxRedirects;
    public final FetchMeters meters;
    private final FetchClients clients;

    Outbound(String app, OutboundPolicy policy, NanoConfig.Outbound config, FetchMeters meters, FetchClients clients) {
        this.app = app;
        this.policy = policy;
        this.connectTimeoutMillis = Math.max(1, config.connectTimeout().toMillis());
        this.timeoutMillis = Math.max(1, config.timeout().toMillis());
        this.maxResponseBytes = config.maxResponseSize().asLongValue();
        this.maxConcurrent = config.maxConcurrent();
        this.maxRedirects = config.maxRedirects();
        this.meters = meters;
        this.clients = clients;
    }

    public HttpClient client(EventExecutor loop, boolean tls) {
        return clients.client(loop, tls);
    }

    public Vertx vertx(EventExecutor loop) {
        return clients.vertx(loop);
    }
}
