package dev.nano.observe;

import org.jboss.logging.MDC;

/**
 * The fields NANO adds to log records (MDC keys, printed as top-level JSON fields). Records are
 * written on the event loop that handles the request, so the fields are set around one call.
 */
public final class LogFields {

    public static final String APP = "app";
    public static final String REQUEST_ID = "request_id";
    public static final String METHOD = "method";
    public static final String PATH = "path";
    public static final String STATUS = "status";
    public static final String DURATION_MS = "duration_ms";
    /** The client's address: the peer, or the forwarded one behind a proxy (quarkus.http.proxy.*). */
    public static final String CLIENT = "client";

    private LogFields() {
    }

    /** Runs {@code log} with the app and request id fields set. */
    public static void withApp(String app, String requestId, Runnable log) {
        MDC.put(APP, app);
        if (requestId != null) {
            MDC.put(REQUEST_ID, requestId);
        }
        try {
            log.run();
        } finally {
            MDC.remove(APP);
            MDC.remove(REQUEST_ID);
        }
    }
}
