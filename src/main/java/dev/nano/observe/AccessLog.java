package dev.nano.observe;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/** One record per answered request on logger {@code nano.access}, fields as MDC (JSON fields). */
public final class AccessLog {

    private static final Logger LOG = Logger.getLogger("nano.access");

    private AccessLog() {
    }

    public static void record(String app, String requestId, String method, String path, int status, long durationNanos) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        double millis = durationNanos / 1_000_000.0;
        MDC.put(LogFields.APP, app);
        MDC.put(LogFields.REQUEST_ID, requestId);
        MDC.put(LogFields.METHOD, method);
        MDC.put(LogFields.PATH, path);
        MDC.put(LogFields.STATUS, Integer.toString(status));
        MDC.put(LogFields.DURATION_MS, String.format("%.3f", millis));
        try {
            LOG.infof("%s %s %d %.3fms", method, path, status, millis);
        } finally {
            MDC.remove(LogFields.APP);
            MDC.remove(LogFields.REQUEST_ID);
            MDC.remove(LogFields.METHOD);
            MDC.remove(LogFields.PATH);
            MDC.remove(LogFields.STATUS);
            MDC.remove(LogFields.DURATION_MS);
        }
    }
}
