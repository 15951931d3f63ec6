package dev.nano.web;

import dev.nano.isolate.Cancellable;
import dev.nano.isolate.IsolateSlot;
import dev.nano.isolate.RequestScope;
import dev.nano.web.fetch.Outbound;
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
 * <p>The promise's head is delivered when the response head arrives; the body is buffered here
 * (up to {@code max-response-size}) and handed over when the prelude reads it. Each fetch is
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
     * {@code resolve(ArrayBuffer-able Java buffer)}, or {@code reject(kind, message)}. Now if the
     * body is complete already (the prelude calls this from a promise's executor), else as a task
     * of its own when it completes. A body is handed over once.
     */
    @HostAccess.Export
    public void readBody(int id, boolean asText, Value resolve, Value reject) {
        OutboundFetch fetch = fetches.get(id);
        if (fetch == null) {
            reject.executeVoid("network", "the response body is no longer available");
            return;
        }
        // Now (inside the prelude's call) when the body is complete; else as a task of its own.
        fetch.take(true,
                bytes -> resolve.executeVoid(asText ? bytes.toString(StandardCharsets.UTF_8) : ByteBuffer.wrap(bytes.getBytes())),
                (kind, message) -> reject.executeVoid(kind, message));
    }

    /**
     * Sends the fetched response as {@code scope}'s response once its body is complete: the body
     * goes from the upstream's buffer to the client without entering JavaScript (the proxy case,
     * {@code return fetch(url)}). {@code onError(kind, message)} runs if the body fails.
     */
    @HostAccess.Export
    public void respondWith(int id, RequestScope scope, int status, String statusText, String headers, Value onError) {
        OutboundFetch fetch = fetches.get(id);
        if (fetch == null) {
            onError.executeVoid("network", "the response body is no longer available");
            return;
        }
        fetch.take(false,
                bytes -> scope.respondBuffer(status, statusText, headers, bytes),
                (kind, message) -> slot.post(scope, () -> onError.executeVoid(kind, message)));
    }

    /** The body of a redirect the prelude follows: not kept, and the connection returns to its pool. */
    @HostAccess.Export
    public void discardBody(int id) {
        OutboundFetch fetch = fetches.get(id);
        if (fetch != null) {
            fetch.discard();
        }
    }

    /** One exchange: resolve, check, connect, send, receive. Lives until its body is taken or its owner closes. */
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

        boolean counted;
        /** Set once the exchange is over on the network (ended, failed, stopped). */
        boolean networkDone;
        /** Set once the fetch is forgotten: cancelled, aborted, or its body taken. */
        boolean gone;
        boolean headDelivered;
        boolean discarded;
        ScheduledFuture<?> timer;
        HttpClientRequest request;
        Buffer received;
        boolean ended;
        String failKind;
        String failMessage;
        /** Who takes the body when it completes (then, on the loop with no JavaScript on the stack). */
        Consumer<Buffer> pendingDone;
        BiConsumer<String, String> pendingFailed;
        /** Whether the pending taker enters JavaScript (and so must be posted as a task). */
        boolean toGuest;

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
                (body == null ? request.send() : request.send(body))
                        .onComplete(sent -> onLoop(() -> {
                            if (sent.failed()) {
                                failExchange(sent.cause());
                            } else {
                                head(sent.result());
                            }
                        }));
            }));
        }

        private void head(HttpClientResponse response) {
            // First: a reset below (limit, cancel) reports here, not as an unhandled error in the log.
            response.exceptionHandler(error -> onLoop(() -> failExchange(error)));
            if (networkDone) {
                response.request().reset();
                return;
            }
            int status = response.statusCode();
            outbound.meters.response(status, System.nanoTime() - startNanos);
            String declared = response.getHeader("content-length");
            if (declared != null) {
                try {
                    if (Long.parseLong(declared.trim()) > outbound.maxResponseBytes) {
                        tooLarge();
                        return;
                    }
                } catch (NumberFormatException e) {
                    // The body's own length decides.
                }
            }
            received = Buffer.buffer();
            response.handler(chunk -> {
                if (networkDone) {
                    return;
                }
                if (discarded) {
                    return;
                }
                if ((long) received.length() + chunk.length() > outbound.maxResponseBytes) {
                    tooLarge();
                    return;
                }
                received.appendBuffer(chunk);
            });
            response.endHandler(ignored -> onLoop(this::ended));
            List<Object> list = new ArrayList<>(response.headers().size() * 2);
            for (Map.Entry<String, String> header : response.headers()) {
                list.add(header.getKey().toLowerCase(Locale.ROOT));
                list.add(header.getValue());
            }
            String statusText = response.statusMessage() == null ? "" : response.statusMessage();
            headDelivered = true;
            slot.post(owner, () -> onResponse.executeVoid(status, statusText, ProxyArray.fromList(list), id));
        }

        private void ended() {
            if (networkDone) {
                return;
            }
            ended = true;
            finishNetwork();
            if (discarded) {
                forget();
            } else if (pendingDone != null) {
                Consumer<Buffer> done = pendingDone;
                clearPending();
                forget();
                Buffer bytes = takeReceived();
                if (toGuest) {
                    slot.post(owner, () -> done.accept(bytes));
                } else {
                    done.accept(bytes);
                }
            }
        }

        /**
         * Hands the whole body to {@code done} (or the failure to {@code failed}) once: now if the
         * body is complete, else when it completes. {@code guest}: done enters JavaScript.
         */
        void take(boolean guest, Consumer<Buffer> done, BiConsumer<String, String> failed) {
            if (failKind != null) {
                forget();
                failed.accept(failKind, failMessage);
            } else if (ended) {
                forget();
                done.accept(takeReceived());
            } else if (pendingDone != null || discarded) {
                failed.accept("network", "the response body is already being read");
            } else {
                toGuest = guest;
                pendingDone = done;
                pendingFailed = failed;
            }
        }

        void discard() {
            discarded = true;
            received = null;
            clearPending();
            if (ended || networkDone) {
                forget();
            }
        }

        private Buffer takeReceived() {
            Buffer bytes = received == null ? Buffer.buffer() : received;
            received = null;
            return bytes;
        }

        private void tooLarge() {
            fail("too_large", "network", "fetch failed: response too large: the body of " + where + target
                    + " is over " + outbound.maxResponseBytes + " bytes (nano.apps." + outbound.app
                    + ".outbound.max-response-size)");
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
         * The exchange failed: before its head the fetch rejects, after it the body read does. The
         * request, if any, is reset.
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
            if (!headDelivered) {
                forget();
                slot.post(owner, () -> onError.executeVoid(kind, message));
                return;
            }
            failKind = kind;
            failMessage = message;
            if (discarded) {
                forget();
            } else if (pendingFailed != null) {
                BiConsumer<String, String> failed = pendingFailed;
                clearPending();
                forget();
                if (toGuest) {
                    slot.post(owner, () -> failed.accept(kind, message));
                } else {
                    failed.accept(kind, message);
                }
            }
        }

        /** Aborted by its signal: reset, counted, and nothing more delivered. */
        void stop(String reason) {
            if (!networkDone) {
                outbound.meters.error(reason);
                finishNetwork();
                if (request != null) {
                    request.reset();
                }
            }
            clearPending();
            received = null;
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
            clearPending();
            received = null;
            gone = true;
            fetches.remove(id);
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

        private void clearPending() {
            pendingDone = null;
            pendingFailed = null;
        }

        private void onLoop(Runnable task) {
            if (slot.loop().inEventLoop()) {
                task.run();
            } else {
                slot.loop().execute(task);
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
