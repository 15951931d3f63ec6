package dev.nano.server;

import dev.nano.isolate.AppIsolate;
import dev.nano.isolate.AppRegistry;
import dev.nano.isolate.AppState;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
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
    private Forwarding forwarding;

    @PostConstruct
    void readLimits() {
        forwarding = new Forwarding(http.proxy());
        maxBodyBytes = http.limits().maxBodySize().map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    }

    /** The scheme a request came over, the proxy's word for it included (quarkus.http.proxy.*). */
    String scheme(HttpServerRequest request) {
        return forwarding.scheme(request);
    }

    void route(HttpServerRequest request) {
        String problem = framingProblem(request);
        if (problem != null) {
            // The body's end is unknown: the rest of the connection cannot be trusted (RFC 9112 6.1).
            request.response().putHeader("connection", "close");
            ErrorResponses.send(request.response(), problem.startsWith("501") ? 501 : 400,
                    problem.startsWith("501") ? "not_implemented" : "bad_request", problem.substring(4));
            // Bytes already read past this head (a pipelined "request") must not be served.
            request.connection().close();
            return;
        }
        Target target = Target.of(request);
        if (target.problem() != null) {
            request.response().putHeader("connection", "close");
            ErrorResponses.send(request.response(), 400, "bad_request", target.problem());
            return;
        }
        String host = target.host();
        AppIsolate app = registry.lookup(host);
        if (app == null) {
            ErrorResponses.send(request.response(), 404, "no_app", "no app serves host " + ErrorResponses.quote(host));
            return;
        }
        // Pinned to the version this snapshot gave; if that version was retired meanwhile (it is
        // being replaced or removed), the request is routed once more, by the new snapshot.
        for (int attempt = 0; attempt < 3; attempt++) {
            switch (app.state()) {
                case ACTIVE -> {
                    if (dispatch(app, request, target)) {
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
                ErrorResponses.send(request.response(), 404, "no_app", "no app serves host " + ErrorResponses.quote(host));
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

    /**
     * RFC 9112 6.1 and 6.3: a request whose Transfer-Encoding does not end in {@code chunked}
     * has no knowable length (400, and the connection closes); codings before {@code chunked}
     * NANO does not decode (501). Null when the framing is sound. Netty frames only
     * {@code chunked}, so anything else would otherwise be read as a body-less request whose
     * "body" is the next request on the connection.
     */
    static String framingProblem(HttpServerRequest request) {
        List<String> codings = request.headers().getAll(HttpHeaders.TRANSFER_ENCODING);
        if (codings.isEmpty()) {
            return null;
        }
        if (request.version() == HttpVersion.HTTP_1_0) {
            return "400 Transfer-Encoding in an HTTP/1.0 request";
        }
        List<String> all = new ArrayList<>();
        for (String value : codings) {
            for (String coding : value.split(",", -1)) {
                all.add(coding.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (!all.get(all.size() - 1).equals("chunked")) {
            return "400 the request's Transfer-Encoding does not end in chunked";
        }
        if (all.size() > 1) {
            return "501 the request's Transfer-Encoding has codings NANO does not decode";
        }
        return null;
    }

    /**
     * Who a request is for: RFC 9112 3.2.2, the authority of an absolute-form target wins over
     * Host; otherwise exactly one Host field line with a valid value (RFC 9112 3.2, else 400).
     */
    record Target(String host, String authority, String pathAndQuery, String problem) {

        static Target of(HttpServerRequest request) {
            String uri = request.uri();
            if (isAbsoluteForm(uri)) {
                int authorityStart = uri.indexOf("://") + 3;
                int end = authorityStart;
                while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
                    end++;
                }
                String authority = uri.substring(authorityStart, end);
                String rest = end < uri.length() ? uri.substring(end) : "/";
                if (rest.startsWith("?")) {
                    rest = "/" + rest;
                }
                return checked(authority, rest);
            }
            List<String> hosts = request.headers().getAll(HttpHeaders.HOST);
            if (hosts.size() > 1) {
                return new Target(null, null, null, "the request has more than one Host header");
            }
            if (hosts.isEmpty() || hosts.get(0).isBlank()) {
                return new Target(null, null, null, "the request has no Host header");
            }
            return checked(hosts.get(0).trim(), uri);
        }

        private static Target checked(String authority, String pathAndQuery) {
            if (!isAuthority(authority)) {
                return new Target(null, null, null, "the request's host is not a valid authority");
            }
            return new Target(hostOf(authority), authority.toLowerCase(Locale.ROOT), pathAndQuery, null);
        }
    }

    private static boolean isAbsoluteForm(String uri) {
        return uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8);
    }

    /**
     * RFC 3986 host and optional port, without userinfo: reg-name characters (no percent
     * encodings), or a bracketed IP literal. Strict, since the value becomes part of request.url.
     */
    static boolean isAuthority(String authority) {
        if (authority.isEmpty() || authority.length() > 255) {
            return false;
        }
        int i = 0;
        if (authority.charAt(0) == '[') {
            int close = authority.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (i = 1; i < close; i++) {
                char c = authority.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < authority.length() && authority.charAt(i) != ':') {
                char c = authority.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                        || c == '_' || c == '~')) {
                    return false;
                }
                i++;
            }
            if (i == 0) {
                return false;
            }
        }
        if (i == authority.length()) {
            return true;
        }
        if (authority.charAt(i) != ':' || authority.length() - i > 6) {
            return false;
        }
        for (int j = i + 1; j < authority.length(); j++) {
            if (authority.charAt(j) < '0' || authority.charAt(j) > '9') {
                return false;
            }
        }
        return true;
    }

    private boolean dispatch(AppIsolate app, HttpServerRequest request, Target target) {
        String declaredLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declaredLength != null && isOver(declaredLength, maxBodyBytes)) {
            request.response().putHeader("connection", "close");
            ErrorResponses.send(request.response(), 413, "body_too_large",
                    "the request body is larger than " + maxBodyBytes + " bytes");
            return true;
        }
        return app.dispatch(new HttpExchange(request, target, forwarding.scheme(request),
                forwarding.clientAddress(request), declaredLength != null, maxBodyBytes));
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
