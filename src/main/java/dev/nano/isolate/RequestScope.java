package dev.nano.isolate;

import dev.nano.observe.LogFields;
import io.quarkus.logging.Log;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * One request's life inside an app: what the prelude's {@code Request} reads, where its
 * {@code Response} goes, and the failure paths. Its exported methods are the only way the
 * prelude reaches the exchange; app code never holds this object.
 *
 * <p><b>Concurrency:</b> every method runs on the owning slot's event loop.
 */
public final class RequestScope {

    private static final String ID_PREFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    private static final AtomicLong ID_COUNTER = new AtomicLong();

    private final AppIsolate app;
    private final IsolateSlot slot;
    private final Exchange exchange;
    /** Made on first use: most requests never need theirs (no error, no access log). */
    private String requestId;
    private final long startNanos = System.nanoTime();
    private boolean responded;

    RequestScope(AppIsolate app, IsolateSlot slot, Exchange exchange) {
        this.app = app;
        this.slot = slot;
        this.exchange = exchange;
    }

    @HostAccess.Export
    public String requestId() {
        if (requestId == null) {
            requestId = ID_PREFIX + "-" + Long.toHexString(ID_COUNTER.incrementAndGet());
        }
        return requestId;
    }

    @HostAccess.Export
    public String method() {
        return exchange.method();
    }

    @HostAccess.Export
    public String url() {
        return exchange.url();
    }

    /** Header names (lower case) and values, alternating. */
    @HostAccess.Export
    public ProxyArray headerList() {
        return ProxyArray.fromList(new ArrayList<>(exchange.headerList()));
    }

    /**
     * Reads the whole request body and settles a promise with it: a string when {@code asText},
     * else a Java buffer that the prelude wraps as an {@code ArrayBuffer} without copying.
     */
    @HostAccess.Export
    public void readBody(boolean asText, Value resolve, Value reject) {
        exchange.readBody(
                body -> slot.execute(() -> slot.enter(this, () -> resolve.executeVoid(asText
                        ? body.toString(StandardCharsets.UTF_8)
                        : ByteBuffer.wrap(body.getBytes())))),
                error -> slot.execute(() -> {
                    if (error instanceof BodyTooLargeException) {
                        respondError(413, "body_too_large", error.getMessage());
                    }
                    slot.enter(this, () -> reject.executeVoid("reading the request body failed: " + error.getMessage()));
                }));
    }

    /**
     * Sends the app's response with a string body, or none when {@code body} is null.
     * {@code headers} is the header list as "name\nvalue\nname\nvalue" (no name or value holds
     * a LF). Plain strings rather than {@code Value}s or arrays: the guest converts them inside
     * its compiled call, where an array would cost a conversion per element.
     */
    @HostAccess.Export
    public void respondText(int status, String statusText, String headers, String body) {
        if (!responded) {
            respond(status, statusText, headers, body == null ? null : Buffer.buffer(body));
        }
    }

    /** Sends the app's response with {@code length} bytes of an {@code ArrayBuffer} from {@code offset}. */
    @HostAccess.Export
    public void respondBytes(int status, String statusText, String headers, Value buffer, int offset, int length) {
        if (!responded) {
            byte[] bytes = new byte[length];
            buffer.readBuffer(offset, bytes, 0, length);
            respond(status, statusText, headers, Buffer.buffer(bytes));
        }
    }

    private void respond(int status, String statusText, String headers, Buffer payload) {
        responded = true;
        exchange.respond(status, statusText, new ResponseHeaders(headers), payload);
        app.requestFinished(this, status);
    }

    /** The handler threw, rejected, or gave something that is not a Response. */
    @HostAccess.Export
    public void fail(String reason, String stack) {
        logError("app " + app.name() + " failed request " + requestId() + ": " + app.redact(stack), null);
        respondError(500, "app_error", app.redact(reason));
    }

    /** A {@code ctx.waitUntil} promise started; the app stays busy until it settles. */
    @HostAccess.Export
    public void waitUntilStarted() {
        app.waitUntilStarted();
    }

    /** A {@code ctx.waitUntil} promise settled; {@code stack} is its rejection, or null. */
    @HostAccess.Export
    public void waitUntilSettled(String stack) {
        if (stack != null) {
            logError("app " + app.name() + ": ctx.waitUntil promise of request "
                    + requestId() + " rejected: " + app.redact(stack), null);
        }
        app.waitUntilSettled();
    }

    void failLimit(LimitBreach limit) {
        app.limitBreached(limit);
        logError("app " + app.name() + " request " + requestId()
                + " interrupted: " + limit.message, null);
        respondError(503, limit.tag + "_limit_exceeded", limit.message);
    }

    void failGuest(PolyglotException e) {
        String stack = app.redact(e.getMessage() + "\n" + guestStack(e));
        logError("app " + app.name() + " failed request " + requestId() + ": " + stack, null);
        respondError(500, "app_error", "the app threw: " + app.redact(e.getMessage()));
    }

    void failHost(RuntimeException e) {
        logError("runtime failure in request " + requestId() + " of app " + app.name(), e);
        respondError(500, "runtime_error", "the runtime failed to handle the request");
    }

    private void respondError(int status, String code, String message) {
        if (responded) {
            return;
        }
        responded = true;
        exchange.respondError(status, new JsonObject()
                .put("error", code)
                .put("message", message)
                .put("app", app.name())
                .put("requestId", requestId()));
        app.requestFinished(this, status);
    }

    boolean isSynthetic() {
        return exchange.isSynthetic();
    }

    String path() {
        return exchange.path();
    }

    String httpMethod() {
        return exchange.method();
    }

    long startNanos() {
        return startNanos;
    }

    private void logError(String message, Throwable cause) {
        if (exchange.isSynthetic()) {
            return; // warm-up failures are summed up once by AppIsolate
        }
        LogFields.withApp(app.name(), requestId(), () -> Log.error(message, cause));
    }

    private static String guestStack(PolyglotException e) {
        StringBuilder stack = new StringBuilder();
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            if (frame.isGuestFrame()) {
                stack.append("    at ").append(frame).append('\n');
            }
        }
        return stack.toString();
    }
}
