package dev.nano.server;

import dev.nano.isolate.AppIsolate;
import dev.nano.isolate.AppRegistry;
import dev.nano.isolate.AppState;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * Routes every request on the apps' port ({@link AppServer}) to the app that serves its
 * {@code Host}, on the event loop that received it. Bodies stream to the app on demand.
 */
@Singleton // used on every request: no client proxy in the way
public class NanoRouter {

    @Inject
    AppRegistry registry;

    @Inject
    VertxHttpConfig http;

    private long maxBodyBytes;

    @PostConstruct
    void readLimits() {
        maxBodyBytes = http.limits().maxBodySize().map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    }

    void route(HttpServerRequest request) {
        // Vert.x's header names (AsciiString) keep their hash; a String's is computed on every lookup.
        String host = hostOf(request.getHeader(HttpHeaders.HOST));
        if (host == null) {
            ErrorResponses.send(request.response(), 400, "bad_request", "the request has no Host header");
            return;
        }
        AppIsolate app = registry.lookup(host);
        if (app == null) {
            ErrorResponses.send(request.response(), 404, "no_app", "no app serves host " + host);
            return;
        }
        // Pinned to the version this snapshot gave; if that version was retired meanwhile (it is
        // being replaced or removed), the request is routed once more, by the new snapshot.
        for (int attempt = 0; attempt < 3; attempt++) {
            switch (app.state()) {
                case ACTIVE -> {
                    if (dispatch(app, request, host)) {
                        return;
                    }
                }
                case LOADING -> {
                    ErrorResponses.send(request.response(), 503, "app_loading",
                            "app " + app.name() + " is still loading");
                    return;
                }
                case FAILED -> {
                    ErrorResponses.send(request.response(), 503, "app_failed",
                            "app " + app.name() + " failed to load: " + app.failure());
                    return;
                }
                default -> {
                    AppIsolate current = registry.lookup(host);
                    if (current == app || current == null || attempt == 2) {
                        unavailable(request, app, current == null && app.state() == AppState.STOPPED);
                        return;
                    }
                }
            }
            AppIsolate current = registry.lookup(host);
            if (current == null) {
                ErrorResponses.send(request.response(), 404, "no_app", "no app serves host " + host);
                return;
            }
            app = current;
        }
        unavailable(request, app, false);
    }

    /** A draining or stopped version: 503, with Retry-After so that clients come back. */
    private static void unavailable(HttpServerRequest request, AppIsolate app, boolean removed) {
        request.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
        String state = app.state().name().toLowerCase(Locale.ROOT);
        ErrorResponses.send(request.response(), 503, removed ? "app_removed" : "app_" + state,
                "app " + app.name() + " is " + state);
    }

    private boolean dispatch(AppIsolate app, HttpServerRequest request, String host) {
        String declaredLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declaredLength != null && isOver(declaredLength, maxBodyBytes)) {
            request.response().putHeader("connection", "close");
            ErrorResponses.send(request.response(), 413, "body_too_large",
                    "the request body is larger than " + maxBodyBytes + " bytes");
            return true;
        }
        return app.dispatch(new HttpExchange(request, host, declaredLength != null, maxBodyBytes));
    }

    private static boolean isOver(String declaredLength, long max) {
        try {
            return Long.parseLong(declaredLength.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The host name of a Host header, lower case, without port; IPv6 literals keep brackets. */
    static String hostOf(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String host = header.trim();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(0, end + 1);
        } else {
            int colon = host.lastIndexOf(':');
            host = colon < 0 ? host : host.substring(0, colon);
        }
        return host.toLowerCase(Locale.ROOT);
    }
}
