package dev.nano.web;

import dev.nano.isolate.ByteRanges;
import dev.nano.isolate.Cancellable;
import dev.nano.isolate.IsolateSlot;
import dev.nano.isolate.RequestScope;
import dev.nano.web.fetch.Outbound;
import dev.nano.web.streams.HostSink;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * Host side of {@code fetch()} (https://fetch.spec.whatwg.org/#http-network-fetch): one HTTP
 * exchange per call, one redirect hop each (the prelude follows redirects, as the standard's
 * HTTP-redirect fetch says, and calls again per hop). The host name is resolved without
 * blocking, every address it resolves to is checked against the app's outbound policy, and the
 * connection goes to the checked address (no second lookup between check and connect) with the
 * original host in the Host header and for TLS (SNI, certificate host name).
 *
 * <p>The promise's head is delivered when the response head arrives; the response is then paused,
 * and its body is read from the socket only as the prelude uses it: pulled chunk by chunk for a
 * ReadableStream, gathered here for a read of the whole body (up to {@code max-response-size}),
 * or piped host to host to the client. A request body is sent whole, or streamed from a JS
 * ReadableStream through an {@link Upload}. The body bridge's HostStream is not reused for the
 * pull: a fetch may belong to the app's top level (no RequestScope), and its failures, timeout
 * and meters belong to the exchange; the mechanism is the same (one {@code fetch(1)} per pull
 * on the paused response, which is what Vert.x's MultiHelper does). Each fetch is
 * owned by the request that started it: when that request closes, a fetch still in flight is
 * reset and nothing of it reaches JavaScript again.
 *
 * <p><b>Concurrency:</b> every method, and every Vert.x callback (the clients belong to the
 * slot's own Vert.x instance), runs on the slot's loop; callbacks into JavaScript are posted
 * with {@link IsolateSlot#post}, never run inline.
 */
public final class FetchOps {

    /** Hop-by-hop and framing headers: the client writes its own (RFC 9110 7.6.1, RFC 9112 6). */
    private static final Set<String> DROPPED_HEADERS = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "upgrade", "host", "content-length", "http2-settings");

    private final IsolateSlot slot;
    private final Outbound outbound;
    /** Fetches whose body has not been taken yet, by id. */
    private final Map<Integer, OutboundFetch> fetches = new HashMap<>();
    /** Exchanges on the network per owner (null: the app's top-level code). */
    private final Map<RequestScope, Integer> inFlight = new IdentityHashMap<>();
    private int lastId;

    public FetchOps(IsolateSlot slot, Outbound outbound) {
        this.slot = slot;
        this.outbound = outbound;
    }

    /** The most redirects a fetch follows. */
    @HostAccess.Export
    public int maxRedirects() {
        return outbound.maxRedirects;
    }

    /**
     * Starts one HTTP exchange for the request whose JavaScript runs now and returns its id (0
     * when its request has closed: nothing starts and nothing is ever called). Later, once,
     * either {@code onResponse(status, statusText, headerList, id)} (names lower case and values
     * alternating) or {@code onError(kind, message)} is called as a task of its own; {@code kind}
     * is "timeout" for a timeout, else "network". The prelude has parsed the URL into its parts
     * and normalized the method; {@code body} is null, a string (sent as UTF-8) or an
     * ArrayBuffer with {@code offset} and {@code length}.
     */
    @HostAccess.Export
    public int start(String method, String scheme, String host, int port, String target, String headers,
                     Value body, int offset, int length, Value onResponse, Value onError) {
        RequestScope owner = slot.current();
        int id = ++lastId;
        OutboundFetch fetch = new OutboundFetch(id, owner, onResponse, onError);
        if (!slot.own(owner, fetch)) {
            return 0;
        }
        int running = inFlight.getOrDefault(owner, 0);
        if (running >= outbound.maxConcurrent) {
            // Through startOnLoop: while the module loads, the loader thread owns the context.
            slot.startOnLoop(() -> fetch.fail("concurrency_limit", "network", "fetch failed: more than "
                    + outbound.maxConcurrent + " fetches in flight at once in one request (nano.apps." + outbound.app
                    + ".outbound.max-concurrent)"));
            return id;
        }
        inFlight.put(owner, running + 1);
        fetch.counted = true;
        fetches.put(id, fetch);
        try {
            fetch.prepare(method, scheme, host, port, target, headers, body, offset, length);
        } catch (IllegalArgumentException e) {
            slot.startOnLoop(() -> fetch.fail("invalid", "network", "fetch failed: " + e.getMessage()));
            return id;
        }
        slot.startOnLoop(fetch::begin);
        return id;
    }

    /**
     * The request's signal aborted: the exchange is reset and nothing more is delivered (the
     * prelude rejects with the signal's reason itself).
     */
    @HostAccess.Export
    public void abort(int id) {
        OutboundFetch fetch = fetches.get(id);
        if (fetch != null) {
            fetch.stop("aborted");
        }
    }

    /**
     * Hands over the whole response body once it is complete: {@code resolve(text)} or
     * {@code resolve(ArrayBuffer-able Java buffer)}, or {@code reject(kind, message)}. The body
     * is gathered here, up to {@code max-response-size} (the one limit on a body read whole;
     * a streamed body has none). Now if it is complete already (the prelude calls this from a
     * promise's executor), else as a task of its own when it completes. Once.
     */
    @HostAccess.Export
    public void readBody(int id, boolean asText, Value resolve, Value reject) {
        OutboundFetch fetch = fetches.get(id);
        if (fetch == null) {
            reject.executeVoid("network", "the response body is no longer available");
            return;
        }
        fetch.gatherWhole(
                bytes -> resolve.executeVoid(asText ? bytes.toString(StandardCharsets.UTF_8) : ByteBuffer.wrap(bytes.getBytes())),
                (kind, message) -> reject.executeVoid(kind, message));
    }

    /**
     * Reads the next chunk of the response body from the socket (one {@code fetch(1)} on the
     * paused response: nothing is read that no reader asked for). Later, or now when the answer
     * is known already, exactly one of {@code onChunk(ByteBuffer)}, {@code onEnd()} or
     * {@code onError(kind, message)}. One pull at a time, as a ReadableStream pulls.
     */
    @HostAccess.Export
    public void pull(int id, Value onChunk, Value onEnd, Value onError) {
        OutboundFetch fetch = fetches.get(id);
        if (fetch == null) {
            onError.executeVoid("network", "the response body is no longer available");
            return;
        }
        fetch.pull(onChunk, onEnd, onError);
    }

    /** The body's stream was cancelled: the exchange is reset (the connection is not reused). */
    @HostAccess.Export
    public void cancelBody(int id) {
        OutboundFetch fetch = fetches.get(id);
        if (fetch != null) {
            fetch.stop("cancelled");
        }
    }

    /**
     * A request body the prelude streams from a ReadableStream (duplex "half"): returns the sink
     * it writes to, with the same contract as the server's HostSink (write, onDrain, onCancel,
     * end, abort). Call right after {@link #start}; the request goes out chunked.
     */
    @HostAccess.Export
    public Upload upload(int id) {
        OutboundFetch fetch = fetches.get(id);
        Upload upload = new Upload(fetch);
        if (fetch == null) {
            upload.finished = true;
        } else {
            fetch.upload = upload;
        }
        return upload;
    }

    /**
     * Sends the fetched response as {@code scope}'s response, its body streamed from the
     * upstream's socket to the client as it arrives, host to host (the proxy case,
     * {@code return fetch(url)}): the head goes out now, with the upstream's Content-Length when
     * it has one, else chunked; a client that stops reading pauses the upstream read, and the
     * client going away resets the upstream. {@code onError(kind, message)} runs if the body
     * failed before the head could be sent.
     */
    @HostAccess.Export
    public void respondWith(int id, RequestScope scope, int status, String statusText, String headers, Value onError) {
        OutboundFetch fetch = fetches.get(id);
        if (fetch == null) {
            onError.executeVoid("network", "the response body is no longer available");
            return;
        }
        fetch.pipe(scope, status, statusText, headers, onError);
    }

    /** The body of a redirect the prelude follows, a HEAD's, or a null body status's: read and dropped, so the connection returns to its pool. */
    @HostAccess.Export
    public void discardBody(int id) {
        OutboundFetch fetch = fetches.get(id);
        if (fetch != null) {
            fetch.discard();
        }
    }

    /** What the body of a fetched response is being used for, once its head has arrived. */
    private enum BodyUse { NONE, WHOLE, PULL, PIPE, DISCARD }

    /**
     * One exchange: resolve, check, connect, send, receive. Lives until its body is consumed,
     * cancelled or failed, or its owner closes. The response is paused when its head arrives:
     * its body is read from the socket only as it is used (gathered whole, pulled chunk by
     * chunk, piped to the client, or discarded), so a reader that stops reading stops the
     * socket within Vert.x's small inbound queue.
     */
    private final class OutboundFetch implements Cancellable {
        final int id;
        final RequestScope owner;
        final Value onResponse;
        final Value onError;
        final long startNanos = System.nanoTime();
        HttpMethod method;
        boolean tls;
        String host;
        int port;
        String target;
        MultiMap headers;
        Buffer body;
        String where;
        /** The request body streamed from JavaScript, if any. */
        Upload upload;

        boolean counted;
        /** Set once the exchange is over on the network (ended, failed, stopped). */
        boolean networkDone;
        /** Set once the fetch is forgotten: cancelled, aborted, or its body consumed. */
        boolean gone;
        boolean headDelivered;
        ScheduledFuture<?> timer;
        HttpClientRequest request;
        HttpClientResponse response;
        long declaredLength = -1;
        BodyUse use = BodyUse.NONE;
        boolean ended;
        String failKind;
        String failMessage;
        // WHOLE: the body so far, and who takes it when it completes (posted: it enters JavaScript).
        Buffer received;
        Consumer<Buffer> wholeDone;
        BiConsumer<String, String> wholeFailed;
        // PULL: the one outstanding pull's callbacks, and a chunk that came with no pull waiting.
        Value pullChunk;
        Value pullEnd;
        Value pullError;
        final ArrayDeque<Buffer> unread = new ArrayDeque<>(2);
        // PIPE: the client's response body.
        HostSink sink;

        OutboundFetch(int id, RequestScope owner, Value onResponse, Value onError) {
            this.id = id;
            this.owner = owner;
            this.onResponse = onResponse;
            this.onError = onError;
        }

        /** Validates what crosses the binding: the prelude's values, as if an attacker wrote them. */
        void prepare(String methodName, String scheme, String hostName, int portNumber, String requestTarget,
                     String headerList, Value payload, int offset, int length) {
            if (!"http:".equals(scheme) && !"https:".equals(scheme)) {
                throw new IllegalArgumentException("unsupported URL scheme '" + scheme + "'");
            }
            if (methodName == null || methodName.isEmpty() || !isToken(methodName)) {
                throw new IllegalArgumentException("invalid method");
            }
            if (hostName == null || hostName.isEmpty() || portNumber < 1 || portNumber > 65535) {
                throw new IllegalArgumentException("invalid host or port");
            }
            if (requestTarget == null || !requestTarget.startsWith("/") || hasControl(requestTarget)) {
                throw new IllegalArgumentException("invalid request target");
            }
            method = HttpMethod.valueOf(methodName);
            tls = "https:".equals(scheme);
            host = hostName.startsWith("[") && hostName.endsWith("]") ? hostName.substring(1, hostName.length() - 1)
                    : hostName;
            port = portNumber;
            target = requestTarget;
            where = (tls ? "https://" : "http://") + hostName + ":" + port;
            headers = HttpHeaders.headers();
            if (headerList != null && !headerList.isEmpty()) {
                String[] parts = headerList.split("\n", -1);
                if (parts.length % 2 != 0) {
                    throw new IllegalArgumentException("malformed header list");
                }
                for (int i = 0; i < parts.length; i += 2) {
                    String name = parts[i].toLowerCase(Locale.ROOT);
                    String value = parts[i + 1];
                    if (!isToken(name) || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
                        throw new IllegalArgumentException("invalid header '" + name + "'");
                    }
                    if (!DROPPED_HEADERS.contains(name)) {
                        headers.add(name, value);
                    }
                }
            }
            // What user agents send when the request has none (https://fetch.spec.whatwg.org/#fetching step 12).
            if (!headers.contains("accept")) {
                headers.add("accept", "*/*");
            }
            if (!headers.contains("user-agent")) {
                headers.add("user-agent", "NANO");
            }
            if (payload == null || payload.isNull()) {
                body = null;
            } else if (payload.isString()) {
                body = Buffer.buffer(payload.asString().getBytes(StandardCharsets.UTF_8));
            } else if (payload.hasBufferElements() && offset >= 0 && length >= 0
                    && (long) offset + length <= payload.getBufferSize()) {
                byte[] bytes = new byte[length];
                payload.readBuffer(offset, bytes, 0, length);
                body = Buffer.buffer(bytes);
            } else {
                throw new IllegalArgumentException("invalid body");
            }
        }

        void begin() {
            if (gone) {
                return;
            }
            timer = slot.loop().schedule(this::timedOut, outbound.timeoutMillis, TimeUnit.MILLISECONDS);
            byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
            if (literal != null) {
                try {
                    checked(List.of(InetAddress.getByAddress(literal)));
                } catch (UnknownHostException e) {
                    fail("dns", "network", "fetch failed: invalid address " + host);
                }
                return;
            }
            String name = host.toLowerCase(Locale.ROOT);
            if (name.equals("invalid") || name.endsWith(".invalid") || name.endsWith(".invalid.")) {
                // RFC 6761 6.4: resolvers answer "invalid" names negatively at once, without asking DNS.
                fail("dns", "network", "fetch failed: could not resolve host " + host + " (.invalid never resolves)");
                return;
            }
            // Vert.x's own resolver (Netty's asynchronous DNS client and the hosts file): never blocks the loop.
            ((VertxInternal) outbound.vertx(slot.loop())).addressResolver().resolveHostnameAll(host,
                    result -> onLoop(() -> resolved(result)));
        }

        private void resolved(AsyncResult<List<InetSocketAddress>> result) {
            if (networkDone) {
                return;
            }
            if (result.failed() || result.result().isEmpty()) {
                String why = result.failed() && result.cause() != null && result.cause().getMessage() != null
                        ? ": " + result.cause().getMessage() : "";
                fail("dns", "network", "fetch failed: could not resolve host " + host + why);
                return;
            }
            List<InetAddress> addresses = new ArrayList<>();
            for (InetSocketAddress each : result.result()) {
                addresses.add(each.getAddress());
            }
            checked(addresses);
        }

        /** Every address must pass (a name that also resolves to a private address is refused). */
        private void checked(List<InetAddress> addresses) {
            for (InetAddress address : addresses) {
                String refusal = outbound.policy.refusal(address, port);
                if (refusal != null) {
                    fail("refused_by_policy", "network", "fetch failed: the outbound policy of app '" + outbound.app
                            + "' refuses " + where + ": " + refusal);
                    return;
                }
            }
            connect(addresses.get(0));
        }

        private void connect(InetAddress address) {
            RequestOptions options = new RequestOptions()
                    .setMethod(method)
                    .setHost(host)
                    .setPort(port)
                    .setSsl(tls)
                    .setURI(target)
                    .setHeaders(headers)
                    .setFollowRedirects(false)
                    .setConnectTimeout(outbound.connectTimeoutMillis)
                    // The checked address, with no name to resolve again; host stays the Host header and TLS name.
                    .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()));
            outbound.client(slot.loop(), tls).request(options).onComplete(result -> onLoop(() -> {
                if (result.failed()) {
                    failConnect(result.cause());
                    return;
                }
                request = result.result();
                // Connection-level errors (an answer that is not HTTP) fail the request's own future;
                // without a handler Vert.x would also log each one as an error.
                request.connection().exceptionHandler(ignored -> { });
                if (networkDone) {
                    request.reset();
                    return;
                }
                if (upload != null) {
                    // Streamed (duplex "half"): the head goes now, the body as the app's stream gives
                    // it; the response may arrive before the body has ended.
                    request.setChunked(true);
                    request.response().onComplete(this::answered);
                    request.sendHead();
                    upload.connected(request);
                } else {
                    (body == null ? request.send() : request.send(body)).onComplete(this::answered);
                }
            }));
        }

        private void answered(AsyncResult<HttpClientResponse> sent) {
            onLoop(() -> {
                if (sent.failed()) {
                    failExchange(sent.cause());
                } else {
                    head(sent.result());
                }
            });
        }

        private void head(HttpClientResponse answer) {
            // First: a reset below (limit, cancel) reports here, not as an unhandled error in the log.
            answer.exceptionHandler(error -> onLoop(() -> failExchange(error)));
            if (networkDone) {
                answer.request().reset();
                return;
            }
            response = answer;
            // Nothing of the body is read until it is used (pull, read whole, pipe or discard).
            answer.pause();
            answer.handler(this::chunk);
            answer.endHandler(ignored -> onLoop(this::ended));
            int status = answer.statusCode();
            outbound.meters.response(status, System.nanoTime() - startNanos);
            String declared = answer.getHeader("content-length");
            if (declared != null && answer.getHeader("transfer-encoding") == null) {
                try {
                    declaredLength = Long.parseLong(declared.trim());
                } catch (NumberFormatException e) {
                    declaredLength = -1; // the body's own end decides
                }
            }
            List<Object> list = new ArrayList<>(answer.headers().size() * 2);
            for (Map.Entry<String, String> header : answer.headers()) {
                list.add(header.getKey().toLowerCase(Locale.ROOT));
                list.add(header.getValue());
            }
            String statusText = answer.statusMessage() == null ? "" : answer.statusMessage();
            headDelivered = true;
            slot.post(owner, () -> onResponse.executeVoid(status, statusText, ProxyArray.fromList(list), id));
        }

        /** A chunk of the body, read because its use asked for it. */
        private void chunk(Buffer chunk) {
            if (networkDone) {
                return;
            }
            switch (use) {
                case WHOLE -> {
                    if ((long) received.length() + chunk.length() > outbound.maxResponseBytes) {
                        tooLarge();
                        return;
                    }
                    received.appendBuffer(chunk);
                }
                case PULL -> {
                    if (pullChunk != null) {
                        Value deliver = pullChunk;
                        clearPull();
                        // One copy, out of Netty's pooled buffer into a heap array the ArrayBuffer wraps.
                        ByteBuffer bytes = ByteBuffer.wrap(chunk.getBytes());
                        slot.post(owner, () -> deliver.executeVoid(bytes));
                    } else {
                        unread.add(chunk);
                    }
                }
                case PIPE -> {
                    if (!sink.writeBuffer(chunk)) {
                        if (sink.isFinished()) {
                            return;
                        }
                        // The client's write queue is full: read no more until it drains.
                        response.pause();
                        sink.onDrainHost(() -> {
                            if (!networkDone && use == BodyUse.PIPE) {
                                response.resume();
                            }
                        });
                    }
                }
                default -> { } // DISCARD: read to the end so the connection returns to its pool
            }
        }

        private void ended() {
            if (networkDone) {
                return;
            }
            ended = true;
            finishNetwork();
            switch (use) {
                case WHOLE -> {
                    Consumer<Buffer> done = wholeDone;
                    Buffer bytes = received;
                    received = null;
                    wholeDone = null;
                    wholeFailed = null;
                    forget();
                    slot.post(owner, () -> done.accept(bytes));
                }
                case PULL -> {
                    if (pullEnd != null && unread.isEmpty()) {
                        Value end = pullEnd;
                        clearPull();
                        forget();
                        slot.post(owner, end::executeVoid);
                    }
                }
                case PIPE -> {
                    sink.end();
                    forget();
                }
                case DISCARD -> forget();
                default -> { } // NONE: cannot happen (nothing is read before a use)
            }
        }

        /** The body, gathered whole (text(), json(), ...), to {@code done}, or the failure to {@code failed}. */
        void gatherWhole(Consumer<Buffer> done, BiConsumer<String, String> failed) {
            if (use != BodyUse.NONE) {
                failed.accept("network", "the response body is already being read");
                return;
            }
            if (failKind != null) {
                forget();
                failed.accept(failKind, failMessage);
                return;
            }
            use = BodyUse.WHOLE;
            wholeDone = done;
            wholeFailed = failed;
            if (declaredLength > outbound.maxResponseBytes) {
                tooLarge();
                return;
            }
            received = Buffer.buffer();
            response.resume();
        }

        void pull(Value chunkCallback, Value endCallback, Value errorCallback) {
            if (use != BodyUse.NONE && use != BodyUse.PULL || pullChunk != null) {
                errorCallback.executeVoid("network", "the response body is already being read");
                return;
            }
            use = BodyUse.PULL;
            if (!unread.isEmpty()) {
                chunkCallback.executeVoid(ByteBuffer.wrap(unread.poll().getBytes()));
                return;
            }
            if (failKind != null) {
                forget();
                errorCallback.executeVoid(failKind, failMessage);
                return;
            }
            if (ended) {
                forget();
                endCallback.executeVoid();
                return;
            }
            pullChunk = chunkCallback;
            pullEnd = endCallback;
            pullError = errorCallback;
            response.fetch(1);
        }

        void pipe(RequestScope scope, int status, String statusText, String headerList, Value onFailure) {
            if (use != BodyUse.NONE) {
                onFailure.executeVoid("network", "the response body is already being read");
                return;
            }
            if (failKind != null) {
                forget();
                onFailure.executeVoid(failKind, failMessage);
                return;
            }
            use = BodyUse.PIPE;
            HostSink target = scope.respondStream(status, statusText, headerList, declaredLength);
            if (target == null) {
                // No body goes out (HEAD, 204, 304, or a head the runtime refused).
                stop("cancelled");
                return;
            }
            sink = target;
            target.onCancelHost(() -> stop("cancelled"));
            response.resume();
        }

        void discard() {
            if (use != BodyUse.NONE) {
                return;
            }
            use = BodyUse.DISCARD;
            if (ended || networkDone) {
                forget();
            } else {
                response.resume();
            }
        }

        private void tooLarge() {
            fail("too_large", "network", "fetch failed: response too large: the body of " + where + target
                    + " is over " + outbound.maxResponseBytes + " bytes (nano.apps." + outbound.app
                    + ".outbound.max-response-size), the most a body read whole may have");
        }

        private void timedOut() {
            if (!networkDone) {
                fail("timeout", "timeout", "fetch timed out: no complete response from " + where + " within "
                        + outbound.timeoutMillis + " ms (nano.apps." + outbound.app + ".outbound.timeout)");
            }
        }

        private void failConnect(Throwable cause) {
            if (isTimeout(cause)) {
                fail("timeout", "timeout", "fetch timed out: could not connect to " + where + " within "
                        + outbound.connectTimeoutMillis + " ms (nano.apps." + outbound.app + ".outbound.connect-timeout)");
            } else if (cause instanceof ConnectException) {
                fail("connect", "network", "fetch failed: connection refused to " + where);
            } else if (hasCause(cause, SSLException.class)) {
                fail("tls", "network", "fetch failed: TLS handshake with " + where + " failed: " + describe(cause));
            } else {
                fail("connect", "network", "fetch failed: could not connect to " + where + ": " + describe(cause));
            }
        }

        private void failExchange(Throwable cause) {
            if (networkDone) {
                return;
            }
            if (hasCause(cause, SSLException.class)) {
                fail("tls", "network", "fetch failed: TLS with " + where + " failed: " + describe(cause));
            } else if (cause instanceof io.vertx.core.http.HttpClosedException
                    || String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("closed")
                    || String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("reset")) {
                fail("reset", "network", "fetch failed: the connection to " + where + " was closed before the "
                        + (headDelivered ? "response body ended" : "response arrived"));
            } else {
                fail("protocol", "network", "fetch failed: " + where + " did not answer with valid HTTP: "
                        + describe(cause));
            }
        }

        /**
         * The exchange failed: before its head the fetch rejects, after it the body's use fails
         * (a read rejects, a stream errors, a piped response is cut). The request is reset.
         */
        void fail(String reason, String kind, String message) {
            if (networkDone) {
                return;
            }
            outbound.meters.error(reason);
            finishNetwork();
            if (request != null) {
                request.reset();
            }
            received = null;
            unread.clear();
            if (upload != null) {
                upload.upstreamGone(message);
            }
            if (!headDelivered) {
                forget();
                slot.post(owner, () -> onError.executeVoid(kind, message));
                return;
            }
            failKind = kind;
            failMessage = message;
            switch (use) {
                case WHOLE -> {
                    BiConsumer<String, String> failed = wholeFailed;
                    wholeDone = null;
                    wholeFailed = null;
                    forget();
                    slot.post(owner, () -> failed.accept(kind, message));
                }
                case PULL -> {
                    if (pullError != null) {
                        Value error = pullError;
                        clearPull();
                        forget();
                        slot.post(owner, () -> error.executeVoid(kind, message));
                    }
                }
                case PIPE -> {
                    sink.abort(message);
                    forget();
                }
                case DISCARD -> forget();
                default -> { } // NONE: the next use reports it
            }
        }

        /** Aborted by its signal, its body cancelled, or its client gone: reset, counted, nothing more delivered. */
        void stop(String reason) {
            if (!networkDone) {
                outbound.meters.error(reason);
                finishNetwork();
                if (request != null) {
                    request.reset();
                }
            }
            if (upload != null) {
                upload.upstreamGone("fetch failed: the request was aborted");
            }
            if (use == BodyUse.PIPE && sink != null) {
                sink.abort("the upstream body was " + reason.replace('_', ' '));
            }
            clearAll();
            forget();
        }

        /** Its owner closed: whatever is in flight is reset; nothing reaches JavaScript again. */
        @Override
        public void cancel() {
            if (!networkDone) {
                outbound.meters.error("cancelled");
                finishNetwork();
                if (request != null) {
                    request.reset();
                }
            }
            if (use == BodyUse.PIPE && sink != null) {
                sink.cancel();
            }
            if (upload != null) {
                upload.finished = true;
            }
            clearAll();
            gone = true;
            fetches.remove(id);
        }

        private void clearPull() {
            pullChunk = null;
            pullEnd = null;
            pullError = null;
        }

        private void clearAll() {
            clearPull();
            unread.clear();
            received = null;
            wholeDone = null;
            wholeFailed = null;
        }

        private void finishNetwork() {
            if (networkDone) {
                return;
            }
            networkDone = true;
            if (timer != null) {
                timer.cancel(false);
            }
            if (counted) {
                counted = false;
                int left = inFlight.getOrDefault(owner, 1) - 1;
                if (left <= 0) {
                    inFlight.remove(owner);
                } else {
                    inFlight.put(owner, left);
                }
            }
        }

        private void forget() {
            if (!gone) {
                gone = true;
                fetches.remove(id);
                slot.disown(owner, this);
            }
        }

        private void onLoop(Runnable task) {
            if (slot.loop().inEventLoop()) {
                task.run();
            } else {
                slot.loop().execute(task);
            }
        }
    }

    /**
     * A request body streamed from the app's ReadableStream (duplex "half") to the upstream
     * connection, with the prelude's HostSink contract: {@link #write} says whether more may be
     * written now, and the prelude waits for {@link #onDrain} otherwise, so the JS stream is read
     * only as fast as the upstream takes it. Before the connection is made, one piece waits here.
     *
     * <p><b>Concurrency:</b> everything runs on the slot's loop (the client is the loop's own).
     */
    public final class Upload {
        private final OutboundFetch fetch;
        private HttpClientRequest request;
        /** Pieces written before the connection was made (the prelude writes one, then waits). */
        private final ArrayDeque<Buffer> early = new ArrayDeque<>(2);
        private Value drained;
        private Value cancelled;
        boolean finished;
        private boolean endRequested;

        Upload(OutboundFetch fetch) {
            this.fetch = fetch;
        }

        /** Writes {@code length} bytes of an ArrayBuffer from {@code offset}; whether more may be written now. */
        @HostAccess.Export
        public boolean write(Value buffer, long offset, long length) {
            if (finished) {
                return false;
            }
            byte[] bytes = ByteRanges.copy(buffer, offset, length, HostSink.MAX_WRITE);
            if (request == null) {
                early.add(Buffer.buffer(bytes));
                return false;
            }
            request.write(Buffer.buffer(bytes));
            return !request.writeQueueFull();
        }

        /** Calls {@code callback} once, as a task, when the connection can take more. */
        @HostAccess.Export
        public void onDrain(Value callback) {
            drained = callback;
            if (request != null) {
                request.drainHandler(ignored -> fireDrain());
                if (!request.writeQueueFull()) {
                    fireDrain();
                }
            }
        }

        /** Calls {@code callback(reason)} if the upstream exchange ends before the body was sent. */
        @HostAccess.Export
        public void onCancel(Value callback) {
            cancelled = callback;
        }

        /** The app's stream closed: the request body is complete. */
        @HostAccess.Export
        public void end() {
            if (finished) {
                return;
            }
            finished = true;
            if (request == null) {
                endRequested = true;
            } else {
                request.end();
            }
        }

        /** The app's stream errored (or gave a chunk that is not bytes): the exchange fails. */
        @HostAccess.Export
        public void abort(String reason) {
            if (finished) {
                return;
            }
            finished = true;
            fetch.fail("request_body", "network", "fetch failed: the request body stream failed: " + reason);
        }

        void connected(HttpClientRequest connection) {
            request = connection;
            while (!early.isEmpty()) {
                connection.write(early.poll());
            }
            if (endRequested) {
                connection.end();
            } else if (drained != null) {
                onDrain(drained);
            }
        }

        private void fireDrain() {
            Value callback = drained;
            drained = null;
            if (callback != null && !finished) {
                slot.post(fetch.owner, callback::executeVoid);
            }
        }

        /** The exchange failed or was stopped while the body was still being sent: cancel the app's stream. */
        void upstreamGone(String reason) {
            if (finished) {
                return;
            }
            finished = true;
            early.clear();
            Value callback = cancelled;
            if (callback != null) {
                slot.post(fetch.owner, () -> callback.executeVoid(reason));
            }
        }
    }

    private static boolean isTimeout(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof io.netty.channel.ConnectTimeoutException || t instanceof java.util.concurrent.TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable cause, Class<? extends Throwable> type) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
