package dev.nano.web.streams;

import dev.nano.isolate.ByteRanges;
import dev.nano.isolate.BodySink;
import dev.nano.isolate.Cancellable;
import dev.nano.isolate.RequestScope;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * A streamed response body as the prelude writes it from the app's {@code ReadableStream}: the
 * prelude reads a chunk only while {@link #write} says the connection can take more, and waits
 * for {@link #onDrain} otherwise, so a stalled client stops the app's stream within one write
 * queue (Netty's high-water mark) and one chunk.
 *
 * <p><b>Concurrency:</b> exported methods run on the request's slot loop; the sink's own
 * callbacks arrive on the connection's loop and are posted to the slot's.
 */
public final class HostSink implements Cancellable {

    /** The most bytes one write copies, so a huge chunk never holds a loop in one copy. */
    public static final int MAX_WRITE = 64 * 1024;

    private final RequestScope owner;
    private final BodySink sink;
    private boolean finished;
    private Value onCancel;
    /** The host writer's hook when the client goes away (a fetched body passed through). */
    private Runnable onHostCancel;

    public HostSink(RequestScope owner, BodySink sink) {
        this.owner = owner;
        this.sink = sink;
        sink.onClose(() -> owner.slot().execute(this::clientGone));
    }

    /**
     * Writes {@code length} bytes of an ArrayBuffer from {@code offset} (at most
     * {@link #MAX_WRITE}); returns whether more may be written now.
     */
    @HostAccess.Export
    public boolean write(Value buffer, long offset, long length) {
        if (finished) {
            return false;
        }
        byte[] bytes = ByteRanges.copy(buffer, offset, length, MAX_WRITE);
        sink.write(Buffer.buffer(bytes));
        return !sink.writeQueueFull();
    }

    /**
     * Calls {@code callback} once, when the connection can take more. Once: the server keeps a
     * drain handler until it is replaced and calls it on every later drain, and a stale callback
     * would write its piece of the body again.
     */
    @HostAccess.Export
    public void onDrain(Value callback) {
        AtomicBoolean fired = new AtomicBoolean();
        sink.onDrain(() -> {
            if (fired.compareAndSet(false, true)) {
                owner.slot().post(owner, callback::executeVoid);
            }
        });
    }

    /**
     * Writes a host buffer as it is (a fetched body passed through, never in JavaScript);
     * returns whether more may be written now. Not exported.
     */
    public boolean writeBuffer(Buffer chunk) {
        if (finished) {
            return false;
        }
        sink.write(chunk);
        return !sink.writeQueueFull();
    }

    /** Runs {@code drained} once on the slot's loop, when the connection can take more. Not exported. */
    public void onDrainHost(Runnable drained) {
        AtomicBoolean fired = new AtomicBoolean();
        sink.onDrain(() -> {
            if (fired.compareAndSet(false, true)) {
                owner.slot().execute(drained);
            }
        });
    }

    /** Runs {@code cancelled} on the slot's loop if the client goes away first. Not exported. */
    public void onCancelHost(Runnable cancelled) {
        onHostCancel = cancelled;
    }

    /** Whether the body has ended, failed or lost its client. */
    public boolean isFinished() {
        return finished;
    }

    /** Calls {@code callback(reason)} if the client goes away before the body ends. */
    @HostAccess.Export
    public void onCancel(Value callback) {
        onCancel = callback;
    }

    /** The app's stream closed: the body is complete. */
    @HostAccess.Export
    public void end() {
        if (!finished) {
            finished = true;
            sink.end();
            owner.bodyFinished(this);
        }
    }

    /** The app's stream errored: cut the response so the client cannot take it as complete. */
    @HostAccess.Export
    public void abort(String reason) {
        if (!finished) {
            finished = true;
            owner.logBodyFailure(reason);
            sink.reset();
            owner.bodyFinished(this);
        }
    }

    /** The request closed with the body unfinished (a limit, a drain): cut it. */
    @Override
    public void cancel() {
        if (!finished) {
            finished = true;
            sink.reset();
        }
    }

    private void clientGone() {
        if (finished) {
            return;
        }
        finished = true;
        if (onHostCancel != null) {
            onHostCancel.run();
        }
        Value callback = onCancel;
        if (callback != null) {
            owner.slot().runTask(owner, () -> callback.executeVoid("the client closed the connection"));
        }
        owner.bodyFinished(this);
    }
}
