package dev.nano.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN from the moment shutdown begins, so that load balancers stop sending new requests. */
@Readiness
@ApplicationScoped
public class DrainReadinessCheck implements HealthCheck {

    @Inject
    Drainer drainer;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("nano-shutdown").status(!drainer.draining()).build();
    }
}
