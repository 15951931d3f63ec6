package dev.nano.server;

import dev.nano.isolate.BodySink;
import dev.nano.isolate.BodyTooLargeException;
import dev.nano.isolate.Exchange;
import dev.nano.isolate.ResponseHeaders;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.vertx.MultiHelper;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A request on a socket and its response. A request that may carry a body stays paused until
 * the app asks for it, so an app may read it after awaiting other work without losing bytes.
 */
final class HttpExchange implements Exchange {

    private final HttpServerRequest request;
    private final NanoRouter.Target target;
    private final String scheme;
    private final String clientAddress;
    private final long maxBodyBytes;
    /** Whether the request waits paused for the app to read (or the runtime to drop) its body. */
    private final boolean paused;
    private boolean bodyRequested;

    HttpExchange(HttpServerRequest request, NanoRouter.Target target, String scheme, String clientAddress,
            boolean declaresLength, long maxBodyBytes) {
        this.request = request;
        this.target = target;
        this.scheme = scheme;
        this.clientAddress = clientAddress;
        this.maxBodyBytes = maxBodyBytes;
        // Pausing costs Vert.x an inbound queue per request: a GET without a body skips it.
        this.paused = !request.isEnded() && (declaresLength || mayHaveUnsizedBody(request));
        if (paused) {
            request.pause();
        }
    }

    /** Without Content-Length, HTTP/1 frames a body only with Transfer-Encoding; HTTP/2 may always. */
    private static boolean mayHaveUnsizedBody(HttpServerRequest request) {
        HttpVersion version = request.version();
        return version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0
                || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String url() {
        return scheme + "://" + target.authority() + target.pathAndQuery();
    }

    /**
     * The client's address as apps read it, under the name Cloudflare Workers use, so Workers
     * code reads it unchanged: the peer, or the forwarded client behind a proxy.
     */
    static final String CLIENT_IP = "cf-connecting-ip";

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public String path() {
        return target.pathAndQuery();
    }

    @Override
    public List<String> headerList() {
        MultiMap headers = request.headers();
        List<String> list = new ArrayList<>(headers.size() * 2 + 2);
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!name.equals(CLIENT_IP)) {   // the runtime's to set: a client's own is a forgery
                list.add(name);
                list.add(header.getValue());
            }
        }
        if (!clientAddress.isEmpty()) {
            list.add(CLIENT_IP);
            list.add(clientAddress);
        }
        return list;
    }

    @Override
    public void readBody(Consumer<Buffer> onBody, Consumer<Throwable> onError) {
        if (bodyRequested) {
            onError.accept(new IllegalStateException("the request body was already read"));
            return;
        }
        bodyRequested = true;
        if (request.isEnded()) {
            onBody.accept(Buffer.buffer());
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] failed = {false};
        request.handler(chunk -> {
            if (failed[0]) {
                return;
            }
            if (body.length() + chunk.length() > maxBodyBytes) {
                failed[0] = true;
                onError.accept(new BodyTooLargeException(maxBodyBytes));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(error -> {
            if (!failed[0]) {
                failed[0] = true;
                onError.accept(error);
            }
        });
        request.endHandler(ended -> {
            if (!failed[0]) {
                onBody.accept(body);
            }
        });
        request.resume();
    }

    @Override
    public boolean hasBody() {
        return paused;
    }

    @Override
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public Multi<Buffer> body() {
        if (bodyRequested) {
            return Multi.createFrom().failure(new IllegalStateException("the request body was already read"));
        }
        bodyRequested = true;
        if (request.isEnded()) {
            return Multi.createFrom().empty();
        }
        // Vert.x's own bridge: each request(n) of the subscriber is a fetch(n) on the paused request.
        return MultiHelper.toMulti(request, Function.identity());
    }

    @Override
    public BodySink respondStreaming(int status, String statusText, ResponseHeaders headers) {
        return respondStreaming(status, statusText, headers, -1);
    }

    @Override
    public BodySink respondStreaming(int status, String statusText, ResponseHeaders headers, long contentLength) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return new ClosedSink();
        }
        writeHead(response, status, statusText, headers);
        if (request.method() == HttpMethod.HEAD || status == 204 || status == 304) {
            response.end((Handler<AsyncResult<Void>>) null);
            discardUnreadBody();
            return null;
        }
        if (contentLength >= 0) {
            // A body whose length is known (a fetched body passed through): framed by it, and a
            // body that ends short is cut (reset) rather than completed.
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(contentLength));
        } else if (request.version() != HttpVersion.HTTP_1_0) {
            response.setChunked(true);
        } else {
            // HTTP/1.0 has no chunked coding: the body ends when the connection closes.
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        // The head goes out now, not with the first chunk: a client sees the status at once
        // (server-sent events, long polls), and a stream failing before its first chunk still
        // shows as a cut body rather than a connection closed without an answer.
        response.writeHead();
        return new ResponseSink(response);
    }

    /** The response of an exchange whose client is gone already: writes go nowhere. */
    private static final class ClosedSink implements BodySink {
        @Override
        public void write(Buffer chunk) {
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public void onDrain(Runnable drained) {
        }

        @Override
        public void onClose(Runnable closed) {
            closed.run();
        }

        @Override
        public void end() {
        }

        @Override
        public void reset() {
        }
    }

    /** A streamed body on the response, with the connection's write queue as the credit. */
    private final class ResponseSink implements BodySink {
        private final HttpServerResponse response;

        ResponseSink(HttpServerResponse response) {
            this.response = response;
        }

        @Override
        public void write(Buffer chunk) {
            response.write(chunk, null);
        }

        @Override
        public boolean writeQueueFull() {
            return response.writeQueueFull();
        }

        @Override
        public void onDrain(Runnable drained) {
            // The writer may be on another loop than the connection (a request that hopped to its
            // app's context): the queue can drain between its writeQueueFull() and this call, and
            // that drain event would be lost. Check again once the handler is set; run once.
            AtomicBoolean fired = new AtomicBoolean();
            Runnable once = () -> {
                if (fired.compareAndSet(false, true)) {
                    drained.run();
                }
            };
            response.drainHandler(ignored -> once.run());
            if (!response.writeQueueFull()) {
                once.run();
            }
        }

        @Override
        public void onClose(Runnable closed) {
            response.closeHandler(ignored -> {
                if (!response.ended()) {
                    closed.run();
                }
            });
        }

        @Override
        public void end() {
            if (!response.ended() && !response.closed()) {
                response.end((Handler<AsyncResult<Void>>) null);
                discardUnreadBody();
            }
        }

        @Override
        public void reset() {
            if (response.closed()) {
                return;
            }
            if (request.version() == HttpVersion.HTTP_2) {
                response.reset(); // RST_STREAM: the other streams of the connection go on
            } else {
                // Close without the terminating chunk: what was sent still arrives, and the
                // client sees the body end early. (A TCP reset would also drop the bytes in flight.)
                request.connection().close();
            }
        }
    }

    @Override
    public Object connection() {
        return request.connection();
    }

    @Override
    public void abort() {
        if (request.version() == HttpVersion.HTTP_2) {
            request.response().reset();
        } else {
            request.connection().close();
        }
    }

    /**
     * Set while NANO shuts down: every response carries {@code Connection: close} and its
     * connection closes once it is sent (Vert.x keeps a keep-alive connection open whatever
     * header the response carries), so clients and load balancers reconnect elsewhere.
     */
    static volatile boolean closeAfterResponse;

    static void closeConnectionAfter(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        if (request.version() != HttpVersion.HTTP_2) {
            response.endHandler(ended -> request.connection().close());
        }
    }

    private void writeHead(HttpServerResponse response, int status, String statusText, ResponseHeaders headers) {
        if (closeAfterResponse) {
            closeConnectionAfter(request);
        }
        response.setStatusCode(status);
        if (statusText != null && !statusText.isEmpty()) {
            response.setStatusMessage(statusText);
        }
        headers.forEach(response.headers()::add);
        HttpDate.addIfAbsent(response.headers());
    }

    @Override
    public void respond(int status, String statusText, ResponseHeaders headers, Buffer body) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        writeHead(response, status, statusText, headers);
        // With a null handler Vert.x makes no Future for the write: nothing here waits on it.
        if (body == null) {
            response.end((Handler<AsyncResult<Void>>) null);
        } else {
            response.end(body, null);
        }
        discardUnreadBody();
    }

    @Override
    public void respondError(int status, JsonObject body) {
        if (status == 413) {
            // The rest of an oversized body is not worth reading: close after answering.
            request.response().putHeader("connection", "close");
        }
        if (closeAfterResponse) {
            closeConnectionAfter(request);
        }
        ErrorResponses.send(request.response(), status, body);
        discardUnreadBody();
    }

    @Override
    public void abort(JsonObject body) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            return;
        }
        if (!response.headWritten() && !response.ended()) {
            // What the failed write left in the head (the header that broke it) must not go out.
            response.headers().clear();
            response.setStatusMessage("Internal Server Error");
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            ErrorResponses.send(response, 500, body == null
                    ? ErrorResponses.body("runtime_error", "the runtime failed to send the response", null, null)
                    : body);
        } else if (request.version() == HttpVersion.HTTP_2) {
            response.reset();
        } else {
            request.connection().close();
        }
        discardUnreadBody();
    }

    /** An unread paused body would stall the keep-alive connection: let it flow and drop it. */
    private void discardUnreadBody() {
        if (paused && !bodyRequested && !request.isEnded()) {
            bodyRequested = true;
            request.handler(chunk -> { });
            request.resume();
        }
    }
}
