package dev.nano.web;

import dev.nano.observe.AppLogLimiter;
import dev.nano.observe.LogFields;
import java.util.function.Supplier;
import org.graalvm.polyglot.HostAccess;
import org.jboss.logging.Logger;

/** Host side of {@code console}: each call becomes a log record tagged with the app, within its log limits. */
public final class ConsoleOps {

    private static final Logger LOG = Logger.getLogger("nano.app");

    private final String app;
    private final AppLogLimiter limiter;
    private final Supplier<String> currentRequestId;

    public ConsoleOps(String app, AppLogLimiter limiter, Supplier<String> currentRequestId) {
        this.app = app;
        this.limiter = limiter;
        this.currentRequestId = currentRequestId;
    }

    /** {@code level} is one of debug, info, warn, error; the prelude has formatted the message. */
    @HostAccess.Export
    public void log(String level, String message) {
        Logger.Level logLevel = switch (level) {
            case "debug" -> Logger.Level.DEBUG;
            case "warn" -> Logger.Level.WARN;
            case "error" -> Logger.Level.ERROR;
            default -> Logger.Level.INFO;
        };
        if (message == null || !LOG.isEnabled(logLevel)) {
            return;
        }
        String admitted = limiter.admit(message);
        if (admitted != null) {
            LogFields.withApp(app, currentRequestId.get(), () -> LOG.log(logLevel, admitted));
        }
    }
}
