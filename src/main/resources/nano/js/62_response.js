// Response (https://fetch.spec.whatwg.org/#response-class).
const {
  JSONStringify,
  ObjectFreeze,
  RangeError,
  RegExpPrototypeTest,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
} = internals.primordials;
const { webidl, headers: headersInternals, body: bodyInternals } = internals;
const { stateOf, setState } = webidl;
const { extractBody, mixinBody, hostPayload, HostBody } = bodyInternals;

// Comparisons, not lookups in an object keyed by status: GraalJS reads a missing integer key
// through the generic path, prototype chain included (~50 ns on every `new Response`).
const isNullBodyStatus = (status) => status === 101 || status === 103 || status === 204 || status === 205 ||
  status === 304;
const isRedirectStatus = (status) => status === 301 || status === 302 || status === 303 || status === 307 ||
  status === 308;
// RFC 9112 reason-phrase: HTAB, SP, VCHAR, obs-text.
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Must match RequestScope.MAX_BYTES_BODY: larger byte bodies are streamed to the host. */
const MAX_BYTES_AT_ONCE = 1024 * 1024;
/** Below RequestScope.MAX_TEXT_BODY: longer strings are encoded and streamed slice by slice. */
const MAX_TEXT_AT_ONCE = 1024 * 1024;

const DEFAULT_INIT = ObjectFreeze({ status: 200, statusText: "", headers: undefined });

/**
 * The ResponseInit dictionary, written out: members read once each in lexicographic order
 * (headers, status, statusText), as WebIDL says. Every `new Response` runs this, so it avoids
 * the generic converter's dynamically keyed result object.
 */
function ResponseInit(init, prefix, context) {
  if (init === undefined || init === null) return DEFAULT_INIT;
  if (typeof init !== "object" && typeof init !== "function") {
    throw webidl.makeException(TypeError, "can not be converted to a dictionary (ResponseInit).", prefix, context);
  }
  const headers = init.headers;
  const status = init.status;
  const statusText = init.statusText;
  return {
    headers,
    status: status === undefined ? 200 : webidl.converters["unsigned short"](status, prefix, `${context}, member 'status'`),
    statusText: statusText === undefined ? "" : webidl.converters.ByteString(statusText, prefix,
      `${context}, member 'statusText'`),
  };
}

/** https://fetch.spec.whatwg.org/#initialize-a-response, on the response's inner state. */
function initializeResponse(inner, init, bodyWithType, prefix) {
  if (init.status < 200 || init.status > 599) {
    throw webidl.makeException(RangeError,
      `The status provided (${init.status}) is outside the range [200, 599].`, prefix);
  }
  if (init.statusText !== "" && !RegExpPrototypeTest(REASON_PHRASE, init.statusText)) {
    throw webidl.makeException(TypeError, "Invalid statusText.", prefix);
  }
  inner.status = init.status;
  inner.statusText = init.statusText;
  if (init.headers !== undefined) headersInternals.fillHeaderList(inner.headerList, init.headers, prefix);
  if (bodyWithType !== null) {
    if (isNullBodyStatus(inner.status)) {
      throw webidl.makeException(TypeError, `Response with null body status (${inner.status}) cannot have body.`,
        prefix);
    }
    inner.body = bodyWithType.body;
    if (bodyWithType.type !== null && headersInternals.getHeader(inner.headerList, "content-type") === null) {
      inner.headerList[inner.headerList.length] = ["content-type", bodyWithType.type];
    }
  }
}

class Response {
  constructor(body = null, init = undefined) {
    // The response (https://fetch.spec.whatwg.org/#concept-response), as state (see webidl.stateOf).
    // Its header list lives here; the Headers object over it is made only if the app asks for
    // `response.headers` (most responses are sent without), see headersOf.
    const inner = setState(this, {
      type: "default", status: 200, statusText: "", headerList: [], headerGuard: "response", headers: null,
      body: null, url: null, redirected: false,
    });
    const prefix = "Failed to construct 'Response'";
    init = ResponseInit(init, prefix, "Argument 2");
    initializeResponse(inner, init, body === null || body === undefined ? null : extractBody(body), prefix);
  }

  static error() {
    const response = new Response(null);
    const inner = stateOf(response);
    inner.type = "error";
    inner.status = 0;
    inner.headerGuard = "immutable";
    return response;
  }

  static redirect(url, status = 302) {
    const prefix = "Failed to execute 'redirect' on 'Response'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    url = webidl.converters.USVString(url, prefix, "Argument 1");
    status = webidl.converters["unsigned short"](status, prefix, "Argument 2");
    const parsed = internals.URL ? new internals.URL(url).href : url;
    if (!isRedirectStatus(status)) {
      throw webidl.makeException(RangeError, `Invalid status code ${status}.`, prefix);
    }
    const response = new Response(null, { status });
    const inner = stateOf(response);
    inner.headerList[0] = ["location", parsed];
    inner.headerGuard = "immutable";
    return response;
  }

  /** https://fetch.spec.whatwg.org/#dom-response-json */
  static json(data, init = undefined) {
    const prefix = "Failed to execute 'json' on 'Response'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    const text = JSONStringify(data);
    if (text === undefined) {
      throw webidl.makeException(TypeError, "The data is not JSON serializable.", prefix);
    }
    init = ResponseInit(init, prefix, "Argument 2");
    const response = new Response(null);
    initializeResponse(stateOf(response), init, { body: extractBody(text).body, type: "application/json" }, prefix);
    return response;
  }

  get type() {
    webidl.assertBranded(this, ResponsePrototype);
    return stateOf(this).type;
  }

  get url() {
    webidl.assertBranded(this, ResponsePrototype);
    return stateOf(this).url ?? "";
  }

  get redirected() {
    webidl.assertBranded(this, ResponsePrototype);
    return stateOf(this).redirected;
  }

  get status() {
    webidl.assertBranded(this, ResponsePrototype);
    return stateOf(this).status;
  }

  get ok() {
    webidl.assertBranded(this, ResponsePrototype);
    const status = stateOf(this).status;
    return status >= 200 && status <= 299;
  }

  get statusText() {
    webidl.assertBranded(this, ResponsePrototype);
    return stateOf(this).statusText;
  }

  get headers() {
    webidl.assertBranded(this, ResponsePrototype);
    return headersOf(stateOf(this));
  }

  clone() {
    webidl.assertBranded(this, ResponsePrototype);
    if (stateOf(this).body !== null && bodyInternals.isUnusable(stateOf(this).body)) {
      throw new TypeError("Failed to execute 'clone' on 'Response': Response body is already used");
    }
    const inner = stateOf(this);
    const copy = new Response(null);
    const copied = stateOf(copy);
    copied.type = inner.type;
    copied.status = inner.status;
    copied.statusText = inner.statusText;
    copied.url = inner.url;
    copied.redirected = inner.redirected;
    copied.headerList = headersInternals.copyList(inner.headerList);
    copied.headerGuard = inner.headerGuard;
    copied.body = inner.body === null ? null : inner.body.clone();
    return copy;
  }
}
const ResponsePrototype = Response.prototype;

/**
 * The response's Headers, made over its header list (shared, not copied) on first use. Its guard
 * is headerGuard, which is final once the constructor or static factory returns.
 */
function headersOf(inner) {
  if (inner.headers === null) {
    inner.headers = headersInternals.fromHeaderList(inner.headerList, inner.headerGuard);
  }
  return inner.headers;
}
mixinBody(ResponsePrototype, (response) => stateOf(response).body);

function isResponse(value) {
  return webidl.isBranded(value, ResponsePrototype);
}

/**
 * A response from the network (https://fetch.spec.whatwg.org/#concept-response): type "basic"
 * as Deno gives fetched responses, immutable headers, its URL list's last URL, and a body that
 * stays in the host until read (null for a null body status or HEAD).
 */
function fromNetwork(status, statusText, headerList, body, url, redirected) {
  const response = new Response(null);
  const inner = stateOf(response);
  inner.type = "basic";
  inner.status = status;
  inner.statusText = statusText;
  inner.headerList = headerList;
  inner.headerGuard = "immutable";
  inner.body = body;
  inner.url = url;
  inner.redirected = redirected;
  return response;
}

/** Hands the response to the host scope; the runtime's side of "respond". */
function deliver(response, scope) {
  const inner = stateOf(response);
  if (inner.type === "error") {
    scope.fail("the fetch handler returned Response.error()", "Response.error() is a network error");
    return;
  }
  const body = inner.body;
  if (body !== null && !body.used && body.source instanceof HostBody && body.source.respondWith !== null) {
    passThrough(inner, body, scope);
    return;
  }
  const payload = hostPayload(inner.body);
  const headerList = headersInternals.serializeHeaderList(inner.headerList);
  if (internals.streams.isReadableStream(payload)) {
    const sink = scope.respondStream(inner.status, inner.statusText, headerList);
    if (sink === null) {
      // No body goes out (HEAD, 204, 304): the stream is cancelled unread.
      internals.streams.readableStreamCancel(payload, undefined);
    } else {
      internals.hostStreams.writeToHost(payload, sink);
    }
  } else if (typeof payload === "string" && payload.length > MAX_TEXT_AT_ONCE) {
    const sink = scope.respondStream(inner.status, inner.statusText, headerList);
    if (sink !== null) internals.hostStreams.writeTextToHost(payload, sink);
  } else if (payload === null || typeof payload === "string") {
    scope.respondText(inner.status, inner.statusText, headerList, payload);
  } else if (TypedArrayPrototypeGetByteLength(payload) > MAX_BYTES_AT_ONCE) {
    // Large bodies go out in pieces, so the host never copies them in one go on the loop.
    const sink = scope.respondStream(inner.status, inner.statusText, headerList);
    if (sink !== null) internals.hostStreams.writeBytesToHost(payload, sink);
  } else {
    scope.respondBytes(inner.status, inner.statusText, headerList, TypedArrayPrototypeGetBuffer(payload),
      TypedArrayPrototypeGetByteOffset(payload), TypedArrayPrototypeGetByteLength(payload));
  }
}
/**
 * A body still in the host that can go out without entering JavaScript (a fetched response
 * returned as it is): the host streams it from the upstream to the client as it arrives, with
 * the client's write queue pausing the upstream read. onError runs only if it failed before
 * the head went out.
 */
function passThrough(inner, body, scope) {
  body.used = true;
  body.source.respondWith(scope, inner.status, inner.statusText, headersInternals.serializeHeaderList(inner.headerList),
    (error) => {
      const message = typeof error === "string" ? error : `${error?.name}: ${error?.message}`;
      scope.fail(`the response body could not be read: ${message}`, message);
    });
}
webidl.configureInterface(Response);

internals.Response = Response;
internals.response = {
  ResponsePrototype,
  isResponse,
  deliver,
  fromNetwork,
  isNullBodyStatus,
  isRedirectStatus,
};
