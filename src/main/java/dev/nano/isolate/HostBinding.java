package dev.nano.isolate;

import dev.nano.web.ConsoleOps;
import dev.nano.web.EncodingOps;
import dev.nano.web.FetchOps;
import dev.nano.web.TimerOps;
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

    @HostAccess.Export
    public final TimerOps timers;

    @HostAccess.Export
    public final FetchOps fetch;

    HostBinding(AppIsolate app, IsolateSlot slot) {
        this.console = new ConsoleOps(app.name(), () -> {
            RequestScope scope = slot.current();
            return scope == null ? null : scope.requestId();
        });
        this.timers = new TimerOps(slot);
        this.fetch = new FetchOps(slot, app.outbound());
    }
}
