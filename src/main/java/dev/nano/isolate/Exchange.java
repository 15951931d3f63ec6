package dev.nano.isolate;

import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;

/**
 * One request and its response as the runtime sees them: an HTTP exchange on a socket, or a
 * synthetic warm-up request.
 */
public interface Exchange {

    String method();

    /** The absolute URL, as {@code request.url} shows it. */
    String url();

    /** The path and query, for logs. */
    String path();

    /** Header names (lower case) and values, alternating. */
    List<String> headerList();

    /**
     * Reads the whole body; exactly one of the callbacks runs, on the connection's event loop.
     * A body over the size limit fails with {@link BodyTooLargeException}.
     */
    void readBody(Consumer<Buffer> onBody, Consumer<Throwable> onError);

    /**
     * The request body as a stream of chunks, once: each {@code request(n)} of the subscriber
     * reads on from the socket, and none reads nothing (the socket is paused).
     */
    Multi<Buffer> body();

    /**
     * Sends the response head now and returns where its body goes, or null when the response
     * carries no body (a HEAD request, 204, 304): then the app's stream is cancelled unread.
     */
    BodySink respondStreaming(int status, String statusText, ResponseHeaders headers);

    /**
     * As {@link #respondStreaming(int, String, ResponseHeaders)}, framed with a
     * {@code Content-Length} of {@code contentLength} when it is not negative (a fetched body
     * passed through with its upstream's length) instead of chunked.
     */
    default BodySink respondStreaming(int status, String statusText, ResponseHeaders headers, long contentLength) {
        return respondStreaming(status, statusText, headers);
    }

    /** Sends the response; {@code body} is null for none. */
    void respond(int status, String statusText, ResponseHeaders headers, Buffer body);

    /** Sends a runtime error as JSON. */
    void respondError(int status, JsonObject body);

    /**
     * Ends an exchange whose response failed on its way out: {@code body} as a 500 if nothing
     * was sent yet (null: a bare 500), else the connection is closed (HTTP/2: the stream reset),
     * so the client never waits on an answer that will not come.
     */
    default void abort(JsonObject body) {
    }

    /** The client's address (forwarded behind a trusted proxy), for logs; empty when unknown. */
    default String clientAddress() {
        return "";
    }

    /** Whether the request may carry a body (a GET without one has none: {@code request.body} is null). */
    default boolean hasBody() {
        return false;
    }

    /** The most bytes of request body the app may read. */
    default long maxBodyBytes() {
        return Long.MAX_VALUE;
    }

    /** True for the runtime's own warm-up requests, which metrics and logs leave out. */
    /** Closes the connection at once, whatever was sent: the request is being cut. */
    default void abort() {
    }

    /** The connection the request came on (an identity key for shutdown), or null. */
    default Object connection() {
        return null;
    }

    default boolean isSynthetic() {
        return false;
    }
}
