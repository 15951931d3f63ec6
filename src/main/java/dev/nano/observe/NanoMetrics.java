package dev.nano.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.logging.Log;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Every meter NANO publishes; Prometheus shows {@code nano.requests} as {@code nano_requests_total}. */
@Singleton // used on every request: no client proxy in the way
public class NanoMetrics implements MeterBinder {

    public static final String REQUESTS = "nano.requests";
    public static final String REQUEST_DURATION = "nano.request.duration";
    public static final String IN_FLIGHT = "nano.requests.inflight";
    public static final String WAIT_UNTIL = "nano.waituntil.pending";
    public static final String LIMIT_KILLS = "nano.limit.kills";
    public static final String APP_LOG_DROPPED = "nano.app.log.dropped";
    public static final String FETCH_REQUESTS = "nano.fetch.requests";
    public static final String FETCH_ERRORS = "nano.fetch.errors";
    public static final String FETCH_DURATION = "nano.fetch.duration";
    public static final String ENV_VERSION = "nano.env.version";
    public static final String OPEN_REQUESTS = "nano.requests.open";
    public static final String OPEN_BODIES = "nano.bodies.open";
    public static final String APP_VERSION = "nano.app.version";
    public static final String APP_STATE = "nano.app.state";
    public static final String CONNECTIONS = "nano.connections.open";

    /**
     * The Prometheus registry itself, not Quarkus's composite MeterRegistry: /q/metrics scrapes
     * this one either way, and the composite's per-child dispatch on every counter increment and
     * timer record was ~0.5% of a hello request's CPU.
     */
    @Inject
    PrometheusMeterRegistry registry;

    private final CountDownLatch registriesConfigured = new CountDownLatch(1);

    /**
     * Quarkus binds MeterBinder beans once it has given its registries their MeterFilters, which
     * happens after StartupEvent: a meter registered earlier misses the filters (and Micrometer
     * warns at every start). So app meters wait for this call.
     */
    @Override
    public void bindTo(MeterRegistry quarkusRegistry) {
        registriesConfigured.countDown();
    }

    /** One app's meters (shared by its versions), once Quarkus has configured its registries. Not on Quarkus's main thread. */
    public AppMeters forApp(String app) {
        awaitRegistriesConfigured();
        return new AppMeters(app, registry);
    }

    /** One app's outbound fetch meters; call after {@link #forApp}, which waits for the registries. */
    public FetchMeters forFetch(String app) {
        return new FetchMeters(app, registry);
    }

    /** What the per-app gauges read: the sum over the app's live versions (the routed one and any draining). */
    public interface AppGauges {
        int inFlight();

        int openRequests();

        int openBodies();

        int waitUntilPending();

        long envVersion();

        int version();

        /** The routed version's state, as the ordinal of LOADING, ACTIVE, DRAINING, STOPPED, FAILED. */
        int state();
    }

    /** Registers an app's gauges, once per app name whatever its versions. Not on Quarkus's main thread. */
    public void appGauges(String app, AppGauges gauges) {
        awaitRegistriesConfigured();
        gauge(IN_FLIGHT, "Requests being handled (before their response head), by app", app, gauges::inFlight);
        gauge(WAIT_UNTIL, "ctx.waitUntil promises not yet settled, by app", app, gauges::waitUntilPending);
        gauge(ENV_VERSION, "Version of the app's env that new requests get, by app", app, gauges::envVersion);
        gauge(OPEN_REQUESTS, "Requests not yet closed (head not sent, body streaming, or waitUntil work), by app",
                app, gauges::openRequests);
        gauge(OPEN_BODIES, "Streamed response bodies still being written, by app", app, gauges::openBodies);
        gauge(APP_VERSION, "Version number of the app's routed version (1 + replacements), by app", app,
                gauges::version);
        gauge(APP_STATE, "State of the app's routed version: 0 LOADING, 1 ACTIVE, 2 DRAINING, 3 STOPPED, 4 FAILED",
                app, gauges::state);
    }

    private void gauge(String name, String description, String app, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tag("app", app).register(registry);
    }

    /** Open connections on the apps' port; registered once by the server. */
    public void connections(Supplier<Number> open) {
        awaitRegistriesConfigured();
        Gauge.builder(CONNECTIONS, open).description("Open connections on the apps' port").register(registry);
    }

    private void awaitRegistriesConfigured() {
        try {
            if (!registriesConfigured.await(60, TimeUnit.SECONDS)) {
                Log.warn("Quarkus did not bind its meter binders within 60 s; registering NANO's meters anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
