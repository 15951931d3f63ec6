package dev.nano.isolate;

import io.vertx.core.buffer.Buffer;

/**
 * Where a streamed response body goes: the socket of an HTTP exchange. Writes are credit-based:
 * a writer that finds the queue full waits for {@link #onDrain} before writing more, so a client
 * that stops reading stops the producer within a bounded number of chunks.
 *
 * <p><b>Concurrency:</b> called on the exchange's event loop; its callbacks run there too.
 */
public interface BodySink {

    void write(Buffer chunk);

    /** Whether the connection's write queue is over its high-water mark. */
    boolean writeQueueFull();

    /** Runs {@code drained} once, when the write queue has room again. */
    void onDrain(Runnable drained);

    /** Runs {@code closed} once if the client goes away before the body has ended. */
    void onClose(Runnable closed);

    /** The body is complete. */
    void end();

    /** The body failed midway: the client must see it cut, never a complete-looking body. */
    void reset();
}
