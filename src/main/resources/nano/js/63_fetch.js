// fetch() (https://fetch.spec.whatwg.org/#fetch-method) for a server runtime, as Deno and workerd
// do it: no CORS mode enforcement, no cookies, no HTTP cache, no referrer sent; the request's
// cache, credentials, mode, integrity, keepalive and referrer attributes are kept but not acted on.
//
// The redirect steps (https://fetch.spec.whatwg.org/#http-redirect-fetch) run here, one host
// exchange per hop (web/FetchOps.java), so the app's outbound policy is checked for every hop.
// A response body stays in the host (a HostBody, its response paused) until it is used: read
// whole, pulled as a ReadableStream from the socket, or passed through host to host as the app's
// own response. A ReadableStream request body (duplex "half") is streamed as the upstream takes it.
//
// Deliberate departures: `redirect: "manual"` gives the redirect response itself (status,
// headers, Location), not an opaque-redirect filtered response, as Deno and workerd do; only
// http: and https: URLs are fetched (no data:, blob: or file:).
const {
  ArrayPrototypeFilter,
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  Promise,
  PromisePrototypeThen,
  PromiseReject,
  StringPrototypeSlice,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeSlice,
  ArrayBuffer,
  Uint8Array,
} = internals.primordials;
const abortInternals = internals.abort;
const { webidl, DOMException, headers: headersInternals, body: bodyInternals } = internals;
const { InnerBody, HostBody, consumeBody } = bodyInternals;
const { innerRequest } = internals.request;
const { fromNetwork, isNullBodyStatus, isRedirectStatus } = internals.response;

// https://fetch.spec.whatwg.org/#request-body-header-name: dropped when a redirect drops the body.
const REQUEST_BODY_HEADER_NAMES = ["content-encoding", "content-language", "content-location", "content-type"];

/** The error the host's failure kind stands for: a TimeoutError DOMException, else a TypeError. */
function fetchError(kind, message) {
  return kind === "timeout" ? new DOMException(message, "TimeoutError") : new TypeError(message);
}

/**
 * The one place fetch reads an AbortSignal: calls onAbort(reason) once when it aborts, and
 * returns a function that stops following it. Through the abort family's internal hooks
 * (11_abort.js), which an app cannot patch.
 */
function followSignal(signal, onAbort) {
  const algorithm = () => onAbort(abortInternals.reasonOf(signal));
  abortInternals.addAlgorithm(signal, algorithm);
  return () => abortInternals.removeAlgorithm(signal, algorithm);
}

const signalAborted = (signal) => abortInternals.isAborted(signal);
const signalReason = (signal) => abortInternals.reasonOf(signal);

/** Reads a fetched body from the host, once; an abort after the head rejects its reads with the reason. */
class FetchBodyReader {
  id = 0;
  abortReason = undefined;
  pendingReject = null;

  constructor(id) {
    this.id = id;
    this.abortReason = undefined;
    this.pendingReject = null;
  }

  readBody(asText, onValue, onError) {
    if (this.abortReason !== undefined) {
      onError(this.abortReason);
      return;
    }
    this.pendingReject = onError;
    binding.fetch.readBody(this.id, asText,
      (value) => {
        this.pendingReject = null;
        onValue(value);
      },
      (kind, message) => {
        this.pendingReject = null;
        onError(fetchError(kind, message));
      });
  }

  respondWith(scope, status, statusText, headerList, onError) {
    if (this.abortReason !== undefined) {
      onError(this.abortReason);
      return;
    }
    binding.fetch.respondWith(this.id, scope, status, statusText, headerList,
      (kind, message) => onError(fetchError(kind, message)));
  }

  /**
   * The body as a ReadableStream (`body`, clone), read from the socket as it is pulled: each
   * pull is one chunk the host reads for it (high-water mark 0, nothing read ahead), and
   * cancelling the stream resets the exchange.
   */
  openStream() {
    return internals.streams.readableStreamFromPull({
      pull: () => new Promise((resolve, reject) => {
        if (this.abortReason !== undefined) {
          reject(this.abortReason);
          return;
        }
        this.pendingReject = reject;
        binding.fetch.pull(this.id,
          (buffer) => {
            this.pendingReject = null;
            // A JS-owned copy: a stream may transfer its chunks' buffers, which host memory cannot be.
            resolve(TypedArrayPrototypeSlice(new Uint8Array(new ArrayBuffer(buffer))));
          },
          () => {
            this.pendingReject = null;
            resolve(null);
          },
          (kind, message) => {
            this.pendingReject = null;
            reject(fetchError(kind, message));
          });
      }),
      cancel: () => {
        binding.fetch.cancelBody(this.id);
      },
    }, 0);
  }

  abort(reason) {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    binding.fetch.abort(this.id);
    const reject = this.pendingReject;
    this.pendingReject = null;
    if (reject !== null) reject(reason);
  }
}

/**
 * The request body for the host: null, a string, a Uint8Array (a host body is read first), or a
 * ReadableStream, streamed as the upstream takes it (the Request constructor required duplex
 * "half" for it).
 */
function takeBody(inner) {
  if (inner === null) return null;
  if (bodyInternals.isUnusable(inner)) throw new TypeError("fetch failed: the request body has already been used");
  const source = inner.source;
  if (typeof source === "string" || source instanceof Uint8Array) {
    inner.used = true;
    return source;
  }
  if (isStream(source)) {
    inner.used = true;
    return source;
  }
  return consumeBody(inner, "bytes");
}

const isStream = (value) => internals.streams.isReadableStream(value);

/** One HTTP exchange through the host; resolves with the head, or rejects with the host's error. */
function exchange(method, url, headerList, body, control) {
  return new Promise((resolve, reject) => {
    const parsed = new internals.URL(url);
    const protocol = parsed.protocol;
    const port = parsed.port === "" ? (protocol === "https:" ? 443 : 80) : +parsed.port;
    let buffer = null;
    let offset = 0;
    let length = 0;
    const streamed = isStream(body);
    if (streamed) {
      // Sent by the upload below, as the connection takes it.
    } else if (typeof body === "string") {
      buffer = body;
    } else if (body !== null) {
      buffer = TypedArrayPrototypeGetBuffer(body);
      offset = TypedArrayPrototypeGetByteOffset(body);
      length = TypedArrayPrototypeGetByteLength(body);
    }
    // 0: the request has ended; nothing will ever be called and the promise stays pending.
    control.id = binding.fetch.start(method, protocol, parsed.hostname, port, `${parsed.pathname}${parsed.search}`,
      headersInternals.serializeHeaderList(headerList), buffer, offset, length,
      (status, statusText, hostList, id) => {
        const list = [];
        for (let i = 0; i + 1 < hostList.length; i += 2) {
          list[list.length] = [hostList[i], hostList[i + 1]];
        }
        resolve({ status, statusText, headerList: list, id });
      },
      (kind, message) => reject(fetchError(kind, message)));
    if (streamed) {
      const upload = binding.fetch.upload(control.id);
      if (control.id === 0) {
        internals.streams.readableStreamCancel(body, new TypeError("fetch failed: the request has ended"));
      } else {
        internals.hostStreams.writeToHost(body, upload, "request body");
      }
    }
  });
}

function isHttpScheme(protocol) {
  return protocol === "http:" || protocol === "https:";
}

/** https://fetch.spec.whatwg.org/#concept-main-fetch with the redirect steps, one hop per exchange. */
async function run(request, control) {
  let { method, url, headerList } = request;
  let body = takeBody(request.body);
  if (body !== null && typeof body !== "string" && !(body instanceof Uint8Array) && !isStream(body)) body = await body;
  const urlList = [url];
  const maxRedirects = binding.fetch.maxRedirects();
  for (;;) {
    const protocol = new internals.URL(url).protocol;
    if (!isHttpScheme(protocol)) {
      throw new TypeError(`fetch failed: URL scheme '${StringPrototypeSlice(protocol, 0, -1)}' is not supported`);
    }
    const head = await exchange(method, url, headerList, body, control);
    const { status, id } = head;
    const location = isRedirectStatus(status) ? headersInternals.getHeader(head.headerList, "location") : null;
    if (location !== null && request.redirect !== "manual") {
      binding.fetch.discardBody(id);
      if (request.redirect === "error") {
        throw new TypeError(`fetch failed: ${url} redirects (${status}) and the request's redirect mode is 'error'`);
      }
      // https://fetch.spec.whatwg.org/#http-redirect-fetch
      let next;
      try {
        next = new internals.URL(location, url);
      } catch {
        throw new TypeError(`fetch failed: ${url} redirects to an invalid URL '${location}'`);
      }
      if (next.hash === "") next.hash = new internals.URL(url).hash;
      if (!isHttpScheme(next.protocol)) {
        throw new TypeError(`fetch failed: ${url} redirects to a '${StringPrototypeSlice(next.protocol, 0, -1)}' URL`);
      }
      if (urlList.length > maxRedirects) {
        throw new TypeError(`fetch failed: more than ${maxRedirects} redirects, the last to ${next.href}`);
      }
      // Step 12: 301/302 turn POST into GET, 303 turns everything but GET and HEAD into GET.
      if ((status === 301 || status === 302) && method === "POST" ||
          status === 303 && method !== "GET" && method !== "HEAD") {
        method = "GET";
        body = null;
        headerList = ArrayPrototypeFilter(headerList, (pair) => !ArrayPrototypeIncludes(REQUEST_BODY_HEADER_NAMES, pair[0]));
      }
      // Step 11: a streamed body cannot be sent again.
      if (isStream(body)) {
        throw new TypeError(`fetch failed: ${url} redirects (${status}) and a streamed request body cannot be sent again`);
      }
      // Step 13: credentials do not follow a redirect to another origin.
      if (next.origin !== new internals.URL(url).origin) {
        headerList = ArrayPrototypeFilter(headerList, (pair) => pair[0] !== "authorization");
      }
      url = next.href;
      ArrayPrototypePush(urlList, url);
      continue;
    }
    let inner = null;
    if (isNullBodyStatus(status) || method === "HEAD") {
      binding.fetch.discardBody(id);
    } else {
      const reader = new FetchBodyReader(id);
      control.reader = reader;
      inner = new InnerBody(new HostBody(reader,
        (scope, status, statusText, headers, onError) => reader.respondWith(scope, status, statusText, headers, onError),
        () => reader.openStream()));
    }
    return fromNetwork(status, head.statusText, head.headerList, inner, url, urlList.length > 1);
  }
}

/** https://fetch.spec.whatwg.org/#dom-global-fetch */
function fetch(input, init = undefined) {
  let request;
  let state;
  try {
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'fetch' on 'WorkerGlobalScope'");
    request = new internals.Request(input, init);
    state = innerRequest(request);
  } catch (error) {
    return PromiseReject(error);
  }
  return new Promise((resolve, reject) => {
    const signal = state.signal;
    if (signal !== null && signal !== undefined && signalAborted(signal)) {
      reject(signalReason(signal));
      return;
    }
    const control = { id: 0, reader: null, settled: false };
    let unfollow = null;
    if (signal !== null && signal !== undefined) {
      unfollow = followSignal(signal, (reason) => {
        if (control.reader !== null) {
          control.reader.abort(reason);
        } else if (control.id !== 0) {
          binding.fetch.abort(control.id);
        }
        if (!control.settled) {
          control.settled = true;
          reject(reason);
        }
      });
    }
    PromisePrototypeThen(run(state, control),
      (response) => {
        if (!control.settled) {
          control.settled = true;
          resolve(response);
        }
      },
      (error) => {
        if (unfollow !== null) unfollow();
        if (!control.settled) {
          control.settled = true;
          reject(error);
        }
      });
  });
}

internals.fetch = { fetch, fetchError };
internals.globalFunctions = { ...internals.globalFunctions, fetch };
