package dev.nano.server;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections open on the apps' port, and how long each has been without a request in
 * progress. A connection that stays so for longer than the idle timeout is closed: an idle
 * keep-alive connection, and one that dribbles a request head that never completes (slowloris:
 * Vert.x's own idle timeout restarts at every byte, so one byte a minute would hold a connection,
 * and its memory and file descriptor, for ever). A request in progress (its response not ended:
 * the app working, a body streaming) keeps its connection whatever it takes; its own limits
 * (response-timeout, drain) bound that.
 *
 * <p>The request path pays one map lookup and a field write per request; a sweep once a second
 * does the rest.
 */
final class OpenConnections {

    /** Written on the connection's loop, read by the sweep (a second late at worst). */
    private static final class State {
        volatile HttpServerRequest lastRequest;
        volatile long quietSince = System.nanoTime();
        volatile boolean lastEnded = true;
        /** HTTP/2 multiplexes requests: the last one ending says nothing of the others. */
        volatile boolean multiplexed;
    }

    private final Map<HttpConnection, State> open = new ConcurrentHashMap<>();

    void opened(HttpConnection connection) {
        open.put(connection, new State());
        connection.closeHandler(closed -> open.remove(connection));
    }

    void requestStarted(HttpServerRequest request) {
        State state = open.get(request.connection());
        if (state != null) {
            state.lastRequest = request;
            state.lastEnded = false;
            if (request.version() == HttpVersion.HTTP_2) {
                state.multiplexed = true;
            }
        }
    }

    int size() {
        return open.size();
    }

    Set<HttpConnection> all() {
        return open.keySet();
    }

    /** Closes the connections quiet for longer than {@code timeoutNanos}; returns how many. */
    int closeQuiet(long now, long timeoutNanos) {
        int closed = 0;
        for (Map.Entry<HttpConnection, State> entry : open.entrySet()) {
            State state = entry.getValue();
            if (state.multiplexed) {
                continue;   // Vert.x's idle timeout (quarkus.http.idle-timeout) governs HTTP/2
            }
            if (!state.lastEnded) {
                HttpServerRequest request = state.lastRequest;
                if (request == null || !request.response().ended()) {
                    continue;
                }
                state.lastEnded = true;
                state.lastRequest = null;
                state.quietSince = now;   // ended since the last sweep: quiet from about now
                continue;
            }
            if (now - state.quietSince > timeoutNanos) {
                entry.getKey().close();
                closed++;
            }
        }
        return closed;
    }
}
