package dev.nano.isolate;

import dev.nano.observe.LogFields;
import dev.nano.server.ErrorResponses;
import dev.nano.web.streams.HostSink;
import dev.nano.web.streams.HostStream;
import io.quarkus.logging.Log;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * One request's life inside an app (workerd's IoContext): what the prelude's {@code Request}
 * reads, where its {@code Response} goes, the failure paths, and the work the request started.
 * Its exported methods are the only way the prelude reaches the exchange; app code never holds
 * this object.
 *
 * <p>Life: RUNNING until the response head is sent (or the request fails), RESPONDED while
 * {@code ctx.waitUntil} work is pending, then CLOSED: what it still owns (timers, fetches) is
 * cancelled, and tasks posted for it are dropped. The head must come within the app's
 * {@code response-timeout} (else 504), and waitUntil work must settle within as long again.
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
    private Phase phase = Phase.RUNNING;
    private int waitUntilPending;
    /** Streamed response bodies still being written (0 or 1). */
    private int openBodies;
    /** What the request started and still owns; made on first use (most requests own nothing). */
    private Set<Cancellable> owned;

    // Links of the slot's ResponseDeadlines list (see there): intrusive, so tracking allocates nothing.
    long deadlineNanos;
    boolean deadlineLinked;
    RequestScope deadlinePrevious;
    RequestScope deadlineNext;
    // Links of the slot's list of open requests (see IsolateSlot#cutOpen), intrusive for the same reason.
    boolean openLinked;
    RequestScope openPrevious;
    RequestScope openNext;

    private enum Phase { RUNNING, RESPONDED, CLOSED }

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
                body -> slot.post(this, () -> resolve.executeVoid(asText
                        ? body.toString(StandardCharsets.UTF_8)
                        : ByteBuffer.wrap(body.getBytes()))),
                error -> slot.execute(() -> {
                    if (error instanceof BodyTooLargeException) {
                        respondError(413, "body_too_large", error.getMessage());
                    }
                    slot.runTask(this, () -> reject.executeVoid("reading the request body failed: " + error.getMessage()));
                }));
    }

    /**
     * Sends the app's response with a string body, or none when {@code body} is null.
     * {@code headers} is the header list as "name\nvalue\nname\nvalue" (no name or value holds
     * a LF). Plain strings rather than {@code Value}s or arrays: the guest converts them inside
     * its compiled call, where an array would cost a conversion per element. Everything here
     * crosses from tenant code: {@link #checkResponse} checks it before anything is sent.
     */
    @HostAccess.Export
    public void respondText(int status, String statusText, String headers, String body) {
        if (phase != Phase.RUNNING) {
            return;
        }
        ResponseHeaders list = new ResponseHeaders(headers);
        if (!checkResponse(status, statusText, list)) {
            return;
        }
        if (body != null && body.length() > MAX_TEXT_BODY) {
            refuse("a string response body of " + body.length() + " characters is longer than the "
                    + MAX_TEXT_BODY + " the runtime sends in one piece (use a ReadableStream)");
            return;
        }
        respond(status, statusText, list, body == null ? null : Buffer.buffer(body));
    }

    /**
     * Sends the app's response with {@code length} bytes of an {@code ArrayBuffer} from
     * {@code offset}: at most {@link #MAX_BYTES_BODY}, copied at once (the prelude streams larger
     * bodies through {@link #respondStream} in 64 KiB pieces, so no copy holds the loop long).
     * The range is checked against the buffer before anything is allocated.
     */
    @HostAccess.Export
    public void respondBytes(int status, String statusText, String headers, Value buffer, long offset, long length) {
        if (phase != Phase.RUNNING) {
            return;
        }
        ResponseHeaders list = new ResponseHeaders(headers);
        if (!checkResponse(status, statusText, list)) {
            return;
        }
        long size = ByteRanges.sizeOf(buffer);
        if (!ByteRanges.fits(size, offset, length)) {
            refuse("the response body's byte range (" + offset + ", " + length + ") is outside its buffer of "
                    + size + " bytes");
            return;
        }
        if (length > MAX_BYTES_BODY) {
            refuse("a response body of " + length + " bytes is larger than the " + MAX_BYTES_BODY
                    + " the runtime copies in one piece");
            return;
        }
        byte[] bytes = new byte[(int) length];
        buffer.readBuffer(offset, bytes, 0, (int) length);
        respond(status, statusText, list, Buffer.buffer(bytes));
    }

    /** The most bytes {@link #respondBytes} copies at once; the prelude streams larger ones. */
    public static final int MAX_BYTES_BODY = 1024 * 1024;
    /** The longest string body sent in one piece (its UTF-8 is at most three times as long). */
    public static final int MAX_TEXT_BODY = 4 * 1024 * 1024;
    /** The longest status text; RFC 9112 sets none, but nothing needs more. */
    static final int MAX_STATUS_TEXT = 512;

    /**
     * Whether the app's status, status text and headers may go on the wire; if not, the request
     * fails with a 500 naming why (nothing has been sent) and this returns false. The prelude
     * checks the same on {@code new Response}; this is the line the runtime holds whatever
     * reaches it.
     */
    private boolean checkResponse(int status, String statusText, ResponseHeaders headers) {
        String problem;
        if (status < 200 || status > 599) {
            // 1xx are the server's (101 would hand the connection to the app unframed).
            problem = "the response status " + status + " is outside the range [200, 599]";
        } else if (statusText != null && (statusText.length() > MAX_STATUS_TEXT
                || !ResponseHeaders.isReasonPhrase(statusText))) {
            problem = "the response status text " + ResponseHeaders.printable(statusText)
                    + " is not an RFC 9112 reason-phrase of at most " + MAX_STATUS_TEXT + " characters";
        } else {
            problem = headers.check();
        }
        if (problem == null) {
            return true;
        }
        refuse(problem);
        return false;
    }

    private void refuse(String problem) {
        logError("app " + app.name() + " request " + requestId() + ": the response cannot be sent: " + problem, null);
        respondError(500, "invalid_response", "the response cannot be sent: " + problem);
    }

    private void respond(int status, String statusText, ResponseHeaders headers, Buffer payload) {
        phase = Phase.RESPONDED;
        try {
            exchange.respond(status, statusText, headers, payload);
        } catch (RuntimeException e) {
            failedAfterDispatch(e);
        } finally {
            app.requestFinished(this, status);
        }
        responded();
    }

    /**
     * Writing the response threw (a value the checks let through but the server refused, a
     * closed channel): the exchange still ends, a 500 if no byte was sent, else the connection
     * closes, so the client never waits on an answer that will not come.
     */
    private void failedAfterDispatch(RuntimeException e) {
        logError("runtime failure sending the response of request " + requestId() + " of app " + app.name(), e);
        try {
            exchange.abort(ErrorResponses.body("runtime_error", "the runtime failed to send the response",
                    app.name(), requestId()));
        } catch (RuntimeException again) {
            Log.debugf(again, "aborting request %s of app %s failed", requestId(), app.name());
        }
    }

    /** Whether the request carries a body at all. */
    @HostAccess.Export
    public boolean hasBody() {
        return exchange.hasBody();
    }

    /** The request body as a stream the prelude pulls from, chunk by chunk. */
    @HostAccess.Export
    public HostStream bodyStream() {
        HostStream stream = new HostStream(this, exchange.body(), exchange.maxBodyBytes());
        if (!own(stream)) {
            throw new IllegalStateException("the request has ended");
        }
        return stream;
    }

    /**
     * Sends the response head and returns the sink its streamed body is written to, or null
     * when the response has no body (HEAD, 204, 304) and the app's stream must be cancelled.
     */
    @HostAccess.Export
    public HostSink respondStream(int status, String statusText, String headers) {
        return respondStream(status, statusText, headers, -1);
    }

    /**
     * As {@link #respondStream(int, String, String)} for a body the host writes itself (a
     * fetched body passed through, FetchOps), with its length when known ({@code -1}: chunked).
     * Not exported.
     */
    public HostSink respondStream(int status, String statusText, String headers, long contentLength) {
        if (phase != Phase.RUNNING) {
            return null;
        }
        ResponseHeaders list = new ResponseHeaders(headers);
        if (!checkResponse(status, statusText, list)) {
            return null;
        }
        phase = Phase.RESPONDED;
        BodySink sink;
        try {
            sink = exchange.respondStreaming(status, statusText, list, contentLength);
        } catch (RuntimeException e) {
            failedAfterDispatch(e);
            sink = null;
        } finally {
            app.requestFinished(this, status);
        }
        HostSink body = null;
        if (sink != null) {
            body = new HostSink(this, sink);
            openBodies++;
            app.bodyOpened();
            own(body);
        }
        responded();
        return body;
    }

    /** A streamed response body ended, failed, or lost its client. */
    public void bodyFinished(HostSink body) {
        disown(body);
        if (openBodies > 0) {
            app.bodyClosed();
            if (--openBodies == 0) {
                responded();
            }
        }
    }

    /** A streamed request body went over the size limit: 413, if nothing was sent yet. */
    public void bodyTooLarge(long maxBytes) {
        respondError(413, "body_too_large", "the request body is larger than " + maxBytes + " bytes");
    }

    /** The app's response stream errored after the head was sent; the client sees the body cut. */
    public void logBodyFailure(String reason) {
        logError("app " + app.name() + " request " + requestId() + ": the response body stream failed: " + reason, null);
    }

    /** The handler threw, rejected, or gave something that is not a Response. */
    @HostAccess.Export
    public void fail(String reason, String stack) {
        logError("app " + app.name() + " failed request " + requestId() + ": " + app.redact(stack), null);
        respondError(500, "app_error", app.redact(reason));
    }

    /** A {@code ctx.waitUntil} promise started; the request stays open until it settles. */
    @HostAccess.Export
    public void waitUntilStarted() {
        if (phase == Phase.CLOSED) {
            throw new IllegalStateException("ctx.waitUntil() was called after the request ended");
        }
        waitUntilPending++;
        app.waitUntilStarted();
    }

    /** A {@code ctx.waitUntil} promise settled; {@code stack} is its rejection, or null. */
    @HostAccess.Export
    public void waitUntilSettled(String stack) {
        if (stack != null) {
            logError("app " + app.name() + ": ctx.waitUntil promise of request "
                    + requestId() + " rejected: " + app.redact(stack), null);
        }
        if (waitUntilPending > 0) {
            waitUntilPending--;
            app.waitUntilSettled();
            closeIfDone();
        }
    }

    /** Whether work for this request may still run: false once it is closed. */
    public boolean isOpen() {
        return phase != Phase.CLOSED;
    }

    /**
     * Records work the request started, to be cancelled when it closes. Returns false (and
     * owns nothing) if the request is closed already: the caller must not start the work.
     */
    public boolean own(Cancellable work) {
        if (phase == Phase.CLOSED) {
            return false;
        }
        if (owned == null) {
            owned = new LinkedHashSet<>();
        }
        owned.add(work);
        return true;
    }

    /** The work finished by itself: nothing to cancel any more. */
    public void disown(Cancellable work) {
        if (owned != null) {
            owned.remove(work);
        }
    }

    /** The slot whose event loop this request runs on. */
    public IsolateSlot slot() {
        return slot;
    }

    /** Starts the response deadline; called once, as the request is dispatched. */
    void started() {
        if (!exchange.isSynthetic()) {
            slot.deadlines().track(this);
            slot.linkOpen(this);
        }
    }

    private void responded() {
        slot.deadlines().untrack(this);
        if (openBodies > 0) {
            return; // a body still flowing is legitimate work: no deadline while it does
        }
        if (waitUntilPending > 0 && !exchange.isSynthetic()) {
            // The same span again for waitUntil work, as Workers allow it 30 s after the response.
            slot.deadlines().track(this);
        }
        closeIfDone();
    }

    private void closeIfDone() {
        if (phase == Phase.RESPONDED && waitUntilPending == 0 && openBodies == 0) {
            close();
        }
    }

    /** Ends the request for good and cancels everything it still owns. */
    void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        slot.deadlines().untrack(this);
        if (!exchange.isSynthetic()) {
            slot.unlinkOpen(this);
            for (; openBodies > 0; openBodies--) {
                app.bodyClosed();
            }
            app.scopeClosed();
        }
        if (waitUntilPending > 0) {
            for (int i = 0; i < waitUntilPending; i++) {
                app.waitUntilSettled();
            }
            waitUntilPending = 0;
        }
        if (owned != null) {
            Cancellable[] work = owned.toArray(Cancellable[]::new);
            owned = null;
            for (Cancellable each : work) {
                try {
                    each.cancel();
                } catch (RuntimeException e) {
                    Log.debugf(e, "app %s: cancelling work of request %s failed", app.name(), requestId());
                }
            }
        }
    }

    /**
     * Shutdown or an app's drain ran out of time: the request is logged, its connection closed
     * and everything it owns cancelled. On the slot's loop, its JavaScript already interrupted.
     */
    void cut(String why) {
        String state = phase == Phase.RUNNING ? "before its response"
                : openBodies > 0 ? "while its response body streamed"
                : "with " + waitUntilPending + " ctx.waitUntil promise(s) pending";
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        LogFields.withApp(app.name(), requestId(), () -> Log.warnf("app %s request %s %s %s cut %s after %d ms: %s",
                app.name(), requestId(), exchange.method(), exchange.path(), state, ms, why));
        exchange.abort();
        close();
    }

    Object connection() {
        return exchange.connection();
    }

    /** Called by ResponseDeadlines when this request's current deadline passed. */
    void deadlinePassed() {
        long seconds = slot.deadlines().timeoutNanos() / 1_000_000_000L;
        if (phase == Phase.RUNNING) {
            logError("app " + app.name() + " request " + requestId()
                    + " did not answer within its response timeout of " + seconds + " s", null);
            respondError(504, "response_timeout",
                    "the app did not send a response within " + seconds + " s");
            close();
        } else if (phase == Phase.RESPONDED) {
            logError("app " + app.name() + ": " + waitUntilPending + " ctx.waitUntil promise(s) of request "
                    + requestId() + " did not settle within " + seconds + " s after the response; cancelled", null);
            close();
        }
    }

    /** A slice of this request's JavaScript broke a limit: it fails, and its work is cancelled. */
    void failLimit(LimitBreach limit) {
        app.limitBreached(limit);
        logError("app " + app.name() + " request " + requestId()
                + " interrupted: " + limit.message, null);
        respondError(503, limit.tag + "_limit_exceeded", limit.message);
        close();
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
        if (phase != Phase.RUNNING) {
            return;
        }
        phase = Phase.RESPONDED;
        try {
            exchange.respondError(status, ErrorResponses.body(code, message, app.name(), requestId()));
        } catch (RuntimeException e) {
            Log.debugf(e, "sending error %d of request %s of app %s failed", status, requestId(), app.name());
            try {
                exchange.abort(null);
            } catch (RuntimeException again) {
                Log.debugf(again, "aborting request %s failed", requestId());
            }
        } finally {
            app.requestFinished(this, status);
        }
        responded();
    }

    boolean isSynthetic() {
        return exchange.isSynthetic();
    }

    String path() {
        return exchange.path();
    }

    String clientAddress() {
        return exchange.clientAddress();
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
        // Messages carry the app's own error text: cut like its console lines.
        String line = app.logLimiter().cut(message);
        LogFields.withApp(app.name(), requestId(), () -> Log.error(line, cause));
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
