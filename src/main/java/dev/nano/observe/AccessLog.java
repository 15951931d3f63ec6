package dev.nano.observe;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/** One record per answered request on logger {@code nano.access}, fields as MDC (JSON fields). */
public final class AccessLog {

    private static final Logger LOG = Logger.getLogger("nano.access");

    private AccessLog() {
    }

    public static void record(String app, String requestId, String method, String path, int status, long durationNanos,
            String client) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String millis = millis(durationNanos);
        String statusText = Integer.toString(status);
        MDC.put(LogFields.APP, app);
        MDC.put(LogFields.REQUEST_ID, requestId);
        MDC.put(LogFields.METHOD, method);
        MDC.put(LogFields.PATH, path);
        MDC.put(LogFields.STATUS, statusText);
        MDC.put(LogFields.DURATION_MS, millis);
        if (client != null && !client.isEmpty()) {
            MDC.put(LogFields.CLIENT, client);
        }
        try {
            LOG.info(method + " " + path + " " + statusText + " " + millis + "ms");
        } finally {
            MDC.remove(LogFields.APP);
            MDC.remove(LogFields.REQUEST_ID);
            MDC.remove(LogFields.METHOD);
            MDC.remove(LogFields.PATH);
            MDC.remove(LogFields.STATUS);
            MDC.remove(LogFields.DURATION_MS);
            MDC.remove(LogFields.CLIENT);
        }
    }

    /** Milliseconds with three decimals, without String.format's cost on every request. */
    static String millis(long nanos) {
        long micros = nanos / 1_000;
        long fraction = micros % 1_000;
        return (micros / 1_000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
