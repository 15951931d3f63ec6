package dev.nano.isolate;

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

    /** Sends the response; {@code body} is null for none. */
    void respond(int status, String statusText, ResponseHeaders headers, Buffer body);

    /** Sends a runtime error as JSON. */
    void respondError(int status, JsonObject body);

    /** True for the runtime's own warm-up requests, which metrics and logs leave out. */
    default boolean isSynthetic() {
        return false;
    }
}
