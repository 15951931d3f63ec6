package dev.nano.observe;

import dev.nano.isolate.AppIsolate;
import dev.nano.isolate.AppRegistry;
import dev.nano.isolate.JsEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * UP once every app has been loaded and warmed (an app that failed to load is reported, and
 * does not hold the others back). The data name the JavaScript engine and each app's state.
 */
@Readiness
@ApplicationScoped
public class AppsReadinessCheck implements HealthCheck {

    @Inject
    AppRegistry registry;
    @Inject
    JsEngine engine;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("nano-apps")
                .status(registry.allLoaded())
                .withData("engine", engine.implementationName())
                .withData("graaljs", engine.version());
        for (AppIsolate app : registry.apps()) {
            response.withData("app." + app.name(), app.state().name());
        }
        return response.build();
    }
}
