package dev.nano.web.streams;

import dev.nano.isolate.Cancellable;
import dev.nano.isolate.RequestScope;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * A host body (a {@code Multi<Buffer>}) as the prelude's {@code ReadableStream} pulls it: each
 * JS pull is one {@code request(1)}, so nothing is read from the socket that no reader asked
 * for, and an upload nobody reads stays paused in the kernel's buffers.
 *
 * <p><b>Concurrency:</b> {@link #pull} and {@link #cancel} run on the request's slot loop; the
 * Multi's signals may arrive on the connection's loop and are posted to the slot's, as tasks
 * of the owning request (dropped once it has closed).
 */
public final class HostStream implements Flow.Subscriber<Buffer>, Cancellable {

    private final RequestScope owner;
    private final Multi<Buffer> source;
    private final long maxBytes;
    private Flow.Subscription subscription;
    private long received;
    private boolean finished;
    // The one outstanding pull's callbacks: ReadableStream never pulls again before it settles.
    private Value onChunk;
    private Value onEnd;
    private Value onError;

    public HostStream(RequestScope owner, Multi<Buffer> source, long maxBytes) {
        this.owner = owner;
        this.source = source;
        this.maxBytes = maxBytes;
    }

    /**
     * Asks for the next chunk: later, exactly one of {@code onChunk(ByteBuffer)} (wrapped as an
     * ArrayBuffer by the prelude without a copy), {@code onEnd()} or {@code onError(message)}.
     */
    @HostAccess.Export
    public void pull(Value chunk, Value end, Value error) {
        if (finished) {
            end.executeVoid();
            return;
        }
        onChunk = chunk;
        onEnd = end;
        onError = error;
        if (subscription == null) {
            source.subscribe().withSubscriber(this);
        }
        subscription.request(1);
    }

    /** The reader cancelled, or the request closed: stop reading the socket. */
    @HostAccess.Export
    @Override
    public void cancel() {
        finished = true;
        clearCallbacks();
        if (subscription != null) {
            subscription.cancel();
        }
        owner.disown(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
    }

    @Override
    public void onNext(Buffer chunk) {
        owner.slot().post(owner, () -> deliver(chunk));
    }

    @Override
    public void onError(Throwable failure) {
        owner.slot().post(owner, () -> fail("reading the request body failed: " + failure.getMessage()));
    }

    @Override
    public void onComplete() {
        owner.slot().post(owner, () -> {
            Value end = onEnd;
            finish();
            if (end != null) {
                end.executeVoid();
            }
        });
    }

    private void deliver(Buffer chunk) {
        if (finished || onChunk == null) {
            return;
        }
        received += chunk.length();
        if (received > maxBytes) {
            subscription.cancel();
            owner.bodyTooLarge(maxBytes);
            fail("the request body is larger than " + maxBytes + " bytes");
            return;
        }
        Value chunkCallback = onChunk;
        clearCallbacks();
        // One copy, out of Netty's pooled buffer into a heap array the ArrayBuffer wraps.
        chunkCallback.executeVoid(ByteBuffer.wrap(chunk.getBytes()));
    }

    private void fail(String message) {
        Value error = onError;
        finish();
        if (error != null) {
            error.executeVoid(message);
        }
    }

    private void finish() {
        finished = true;
        clearCallbacks();
        owner.disown(this);
    }

    private void clearCallbacks() {
        onChunk = null;
        onEnd = null;
        onError = null;
    }
}
