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
    public static final String ENV_VERSION = "nano.env.version";

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

    /** Registers one app's meters, once Quarkus has configured its registries. Not on Quarkus's main thread. */
    public AppMeters forApp(String app, Supplier<Number> inFlight, Supplier<Number> waitUntilPending) {
        awaitRegistriesConfigured();
        Gauge.builder(IN_FLIGHT, inFlight).description("Requests being handled, by app").tag("app", app)
                .register(registry);
        Gauge.builder(WAIT_UNTIL, waitUntilPending).description("ctx.waitUntil promises not yet settled, by app")
                .tag("app", app).register(registry);
        return new AppMeters(app, registry);
    }

    /** The version of the app's env that new requests get (never its keys or values). After {@link #forApp}. */
    public void envVersion(String app, Supplier<Number> version) {
        Gauge.builder(ENV_VERSION, version).description("Version of the app's env that new requests get, by app")
                .tag("app", app).register(registry);
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
