package dev.nano.observe;

import io.micrometer.core.instrument.Counter;
import org.jboss.logging.Logger;

/**
 * How much one app may write to the service's log through {@code console}: lines longer than
 * {@code maxLineChars} are cut, and a token bucket of {@code linesPerSecond} (burst: one second's
 * worth) drops what comes faster. Without it a tenant's loop of {@code console.log} fills the
 * operator's disk and log pipeline (every line is a JSON record) within its CPU limit. Dropped
 * lines are counted ({@code nano_app_log_dropped_total}) and reported once a second at most, so
 * the operator sees that the app's log has gaps. Shared by the app's contexts on every loop.
 */
public final class AppLogLimiter {

    private static final Logger LOG = Logger.getLogger("nano.app");

    private final String app;
    private final int maxLineChars;
    private final double linesPerSecond;
    private final Counter dropped;
    private double tokens;
    private long refilledAt = System.nanoTime();
    private long droppedSinceReport;
    private long reportedAt = System.nanoTime();

    public AppLogLimiter(String app, int maxLineChars, int linesPerSecond, Counter dropped) {
        this.app = app;
        this.maxLineChars = maxLineChars;
        this.linesPerSecond = linesPerSecond;
        this.dropped = dropped;
        this.tokens = linesPerSecond;
    }

    /** The line as it may be logged, or null when the app is over its rate and the line is dropped. */
    public String admit(String line) {
        long dropsToReport;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(linesPerSecond, tokens + (now - refilledAt) * linesPerSecond / 1e9);
            refilledAt = now;
            if (tokens < 1) {
                droppedSinceReport++;
                dropped.increment();
                return null;
            }
            tokens -= 1;
            dropsToReport = now - reportedAt >= 1_000_000_000L ? droppedSinceReport : 0;
            if (dropsToReport > 0) {
                droppedSinceReport = 0;
                reportedAt = now;
            }
        }
        if (dropsToReport > 0) {
            LogFields.withApp(app, null, () -> LOG.warnf(
                    "app %s: %d console lines dropped, over nano.app-log.max-lines-per-second (%d)", app,
                    dropsToReport, (long) linesPerSecond));
        }
        return cut(line);
    }

    /** The line cut to the longest a log line of this app may be (errors the runtime logs for it too). */
    public String cut(String line) {
        if (line.length() <= maxLineChars) {
            return line;
        }
        int cut = Character.isHighSurrogate(line.charAt(maxLineChars - 1)) ? maxLineChars - 1 : maxLineChars;
        return line.substring(0, cut) + "... (" + (line.length() - cut)
                + " more characters cut: nano.app-log.max-line-chars)";
    }
}
