package dev.nano.isolate;

import dev.nano.web.CompressionOps;
import dev.nano.web.ConsoleOps;
import dev.nano.web.EncodingOps;
import dev.nano.web.FetchOps;
import dev.nano.web.PerformanceOps;
import dev.nano.web.TimerOps;
import dev.nano.web.crypto.SubtleOps;
import org.eclipse.microprofile.config.ConfigProvider;
import dev.nano.web.MultipartOps;
import org.graalvm.polyglot.HostAccess;

/**
 * The one host object the prelude receives: each Web API family reaches Java through its own
 * field. The prelude captures it in closures; app code never sees it.
 */
public final class HostBinding {

    @HostAccess.Export
    public final ConsoleOps console;

    @HostAccess.Export
    public final EncodingOps encoding = new EncodingOps();

    /** This Context's clock: its time origin is when the Context was made. */
    @HostAccess.Export
    public final PerformanceOps performance = new PerformanceOps();

    /** {@code navigator.userAgent}: {@code NANO/<version of the build>}. */
    @HostAccess.Export
    public final String userAgent = USER_AGENT;

    /** {@code navigator.hardwareConcurrency}: the CPUs the process may use. */
    @HostAccess.Export
    public final int hardwareConcurrency = Runtime.getRuntime().availableProcessors();

    private static final String USER_AGENT = "NANO/" + ConfigProvider.getConfig()
            .getOptionalValue("quarkus.application.version", String.class).orElse("0");

    @HostAccess.Export
    public final TimerOps timers;

    @HostAccess.Export
    public final SubtleOps crypto;
    @HostAccess.Export
    public final MultipartOps multipart = new MultipartOps();
    @HostAccess.Export
    public final FetchOps fetch;

    /** CompressionStream and DecompressionStream: one zlib codec per stream, owned by its request. */
    @HostAccess.Export
    public final CompressionOps compression;

    HostBinding(AppIsolate app, IsolateSlot slot) {
        this.console = new ConsoleOps(app.name(), app.logLimiter(), () -> {
            RequestScope scope = slot.current();
            return scope == null ? null : scope.requestId();
        });
        this.timers = new TimerOps(slot);
        this.crypto = new SubtleOps(slot, slot.cpuLimitNanos());
        this.fetch = new FetchOps(slot, app.outbound());
        this.compression = new CompressionOps(slot);
    }
}
