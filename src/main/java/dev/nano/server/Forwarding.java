package dev.nano.server;

import io.quarkus.vertx.http.runtime.ProxyConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Locale;

/**
 * Who a request comes from, and over which scheme, behind a proxy: with
 * {@code quarkus.http.proxy.proxy-address-forwarding} on, the first {@code for=} and
 * {@code proto=} of {@code Forwarded} (RFC 7239, if {@code allow-forwarded}) or the first
 * {@code X-Forwarded-For} and {@code X-Forwarded-Proto} (if {@code allow-x-forwarded}), the
 * precedence as {@code forwarded-precedence} says; off, the peer's address and the socket's
 * scheme. (Quarkus's own semantics; its {@code trusted-proxies} is refused at start-up.)
 */
final class Forwarding {

    private final boolean on;
    private final boolean forwarded;
    private final boolean xForwarded;
    private final boolean forwardedFirst;

    Forwarding(ProxyConfig proxy) {
        this.on = proxy.proxyAddressForwarding();
        this.forwarded = proxy.allowForwarded();
        // Quarkus: unset means allowed unless Forwarded is.
        this.xForwarded = proxy.allowXForwarded().orElse(!proxy.allowForwarded());
        this.forwardedFirst = proxy.forwardedPrecedence() == ProxyConfig.ForwardedPrecedence.FORWARDED;
    }

    /** The client's address (no port), as logs and the app's {@code cf-connecting-ip} show it. */
    String clientAddress(HttpServerRequest request) {
        if (on) {
            String fromForwarded = forwarded ? forwardedParameter(request.getHeader("forwarded"), "for") : null;
            String fromX = xForwarded ? firstOf(request.getHeader("x-forwarded-for")) : null;
            String chosen = forwardedFirst ? (fromForwarded != null ? fromForwarded : fromX)
                    : (fromX != null ? fromX : fromForwarded);
            if (chosen != null && isAddress(chosen)) {
                return chosen;
            }
        }
        SocketAddress remote = request.remoteAddress();
        return remote == null ? "" : remote.hostAddress();
    }

    /** {@code http} or {@code https}, for request.url and insecure-requests. */
    String scheme(HttpServerRequest request) {
        if (on) {
            String fromForwarded = forwarded ? forwardedParameter(request.getHeader("forwarded"), "proto") : null;
            String fromX = xForwarded ? firstOf(request.getHeader("x-forwarded-proto")) : null;
            String chosen = forwardedFirst ? (fromForwarded != null ? fromForwarded : fromX)
                    : (fromX != null ? fromX : fromForwarded);
            if (chosen != null) {
                chosen = chosen.toLowerCase(Locale.ROOT);
                if (chosen.equals("http") || chosen.equals("https")) {
                    return chosen;
                }
            }
        }
        return request.isSSL() ? "https" : "http";
    }

    private static String firstOf(String list) {
        if (list == null) {
            return null;
        }
        int comma = list.indexOf(',');
        String first = (comma < 0 ? list : list.substring(0, comma)).trim();
        return first.isEmpty() ? null : first;
    }

    /** The parameter of the first element of a Forwarded header, quotes, brackets and port removed. */
    static String forwardedParameter(String header, String name) {
        String first = firstOf(header);
        if (first == null) {
            return null;
        }
        for (String pair : first.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String value = pair.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (name.equals("for")) {
                    if (value.startsWith("[")) {
                        int end = value.indexOf(']');
                        return end < 0 ? null : value.substring(1, end);
                    }
                    int colon = value.indexOf(':');
                    return colon < 0 ? value : value.substring(0, colon);
                }
                return value;
            }
        }
        return null;
    }

    /** An IPv4 or IPv6 literal only: the value becomes a request header and a log field. */
    private static boolean isAddress(String value) {
        if (value.isEmpty() || value.length() > 45) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                return false;
            }
        }
        return true;
    }
}
