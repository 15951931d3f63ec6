package dev.nano.server;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Date;

/**
 * The {@code Date} header every response carries (RFC 9110 section 6.6.1: an origin server with
 * a clock must send one), unless the app set its own. Formatted once a second, not per response.
 */
final class HttpDate {

    /** Immutable, so a racy read sees either the old second or the new one, whole. */
    private record Formatted(long epochSecond, AsciiString value) {
    }

    private static volatile Formatted current = format(System.currentTimeMillis() / 1000);

    private HttpDate() {
    }

    /** Adds the current date to {@code headers} if they have none. */
    static void addIfAbsent(MultiMap headers) {
        if (!headers.contains(HttpHeaders.DATE)) {
            headers.add(HttpHeaders.DATE, now());
        }
    }

    private static AsciiString now() {
        long second = System.currentTimeMillis() / 1000;
        Formatted formatted = current;
        if (formatted.epochSecond() != second) {
            formatted = format(second);
            current = formatted;
        }
        return formatted.value();
    }

    private static Formatted format(long epochSecond) {
        return new Formatted(epochSecond, AsciiString.cached(DateFormatter.format(new Date(epochSecond * 1000))));
    }
}
