// Request (https://fetch.spec.whatwg.org/#request-class).
//
// A request from the host is created without running the constructor's steps: its method,
// URL and headers are read from the host the first time the app asks for them, so a handler
// that never looks at its request pays nothing for it.
const {
  ObjectFreeze,
  StringPrototypeToUpperCase,
  Symbol,
  TypeError,
} = internals.primordials;
const { webidl, infra, headers: headersInternals, body: bodyInternals } = internals;
const { stateOf, setState } = webidl;
const { InnerBody, HostBody, extractBody, mixinBody } = bodyInternals;

const FROM_HOST = Symbol("fromHost");
// The body of a request from the host until the app first touches it: most handlers never do,
// and then never pay for its state.
const HOST_BODY_UNTOUCHED = Symbol("hostBodyUntouched");
const NORMALIZED_METHODS = ObjectFreeze({
  delete: "DELETE", get: "GET", head: "HEAD", options: "OPTIONS", post: "POST", put: "PUT",
});
const FORBIDDEN_METHODS = ObjectFreeze({ CONNECT: true, TRACE: true, TRACK: true });

/** https://fetch.spec.whatwg.org/#concept-method-normalize, after validating the token. */
function normalizeMethod(method, prefix) {
  if (!infra.isHttpToken(method)) {
    throw webidl.makeException(TypeError, `'${method}' is not a valid HTTP method.`, prefix);
  }
  const upper = StringPrototypeToUpperCase(method);
  if (FORBIDDEN_METHODS[upper]) {
    throw webidl.makeException(TypeError, `'${method}' HTTP method is unsupported.`, prefix);
  }
  return NORMALIZED_METHODS[method.toLowerCase()] ?? method;
}

function parseUrl(input, prefix) {
  const URL = internals.URL;
  if (URL) {
    try {
      return new URL(input).href;
    } catch {
      throw webidl.makeException(TypeError, `Invalid URL: '${input}'`, prefix);
    }
  }
  return input;
}

const { createEnumConverter } = webidl;
const RequestInit = webidl.createDictionaryConverter("RequestInit", [
  { key: "method", converter: webidl.converters.ByteString },
  { key: "headers", converter: webidl.converters.any },
  { key: "body", converter: webidl.converters.any },
  { key: "referrer", converter: webidl.converters.USVString },
  { key: "referrerPolicy", converter: createEnumConverter("ReferrerPolicy", ["", "no-referrer",
    "no-referrer-when-downgrade", "same-origin", "origin", "strict-origin", "origin-when-cross-origin",
    "strict-origin-when-cross-origin", "unsafe-url"]) },
  { key: "mode", converter: createEnumConverter("RequestMode", ["navigate", "same-origin", "no-cors", "cors"]) },
  { key: "credentials", converter: createEnumConverter("RequestCredentials", ["omit", "same-origin", "include"]) },
  { key: "cache", converter: createEnumConverter("RequestCache", ["default", "no-store", "reload", "no-cache",
    "force-cache", "only-if-cached"]) },
  { key: "redirect", converter: createEnumConverter("RequestRedirect", ["follow", "error", "manual"]) },
  { key: "integrity", converter: webidl.converters.DOMString },
  { key: "keepalive", converter: webidl.converters.boolean },
  { key: "signal", converter: webidl.converters.any },
  { key: "duplex", converter: createEnumConverter("RequestDuplex", ["half"]) },
  { key: "priority", converter: createEnumConverter("RequestPriority", ["high", "low", "auto"]) },
  { key: "window", converter: webidl.converters.any },
]);

/**
 * The request attributes a server runtime keeps but does not act on (no cache, no cookies, no
 * CORS, as in Deno and workerd), with the standard's defaults
 * (https://fetch.spec.whatwg.org/#concept-request). A request from the host, and one made
 * without any of them, shares this object instead of carrying its own.
 */
const DEFAULT_OPTIONS = ObjectFreeze({
  cache: "default", credentials: "same-origin", mode: "cors", integrity: "", keepalive: false,
  referrer: "about:client", referrerPolicy: "", duplex: "half", signal: null,
});

const isSignal = (value) => internals.abort.isSignal(value);

/** https://fetch.spec.whatwg.org/#dom-request steps 15-30 for the attributes above. */
function requestOptions(init, inputOptions, prefix) {
  if (init.window !== undefined && init.window !== null) {
    throw webidl.makeException(TypeError, "'window' must be null.", prefix);
  }
  if (init.referrer === undefined && init.referrerPolicy === undefined && init.mode === undefined &&
      init.credentials === undefined && init.cache === undefined && init.integrity === undefined &&
      init.keepalive === undefined && init.signal === undefined && init.duplex === undefined) {
    return inputOptions;
  }
  const options = { ...inputOptions };
  if (init.referrer !== undefined) {
    // Step 15.3: "" is no referrer; a URL about:client is the client; else the parsed URL
    // (there is no client origin to compare it with in a server runtime).
    if (init.referrer === "") {
      options.referrer = "";
    } else {
      const href = parseUrl(init.referrer, prefix);
      options.referrer = href === "about:client" ? "about:client" : href;
    }
  }
  if (init.referrerPolicy !== undefined) options.referrerPolicy = init.referrerPolicy;
  if (init.mode === "navigate") {
    throw webidl.makeException(TypeError, "Cannot construct a Request with a RequestInit whose mode member is set as 'navigate'.", prefix);
  }
  if (init.mode !== undefined) options.mode = init.mode;
  if (init.credentials !== undefined) options.credentials = init.credentials;
  if (init.cache !== undefined) options.cache = init.cache;
  if (options.cache === "only-if-cached" && options.mode !== "same-origin") {
    throw webidl.makeException(TypeError, "'only-if-cached' can be set only with 'same-origin' mode.", prefix);
  }
  if (init.integrity !== undefined) options.integrity = init.integrity;
  if (init.keepalive !== undefined) options.keepalive = init.keepalive;
  if (init.duplex !== undefined) options.duplex = init.duplex;
  if (init.signal !== undefined) {
    if (init.signal !== null && !isSignal(init.signal)) {
      throw webidl.makeException(TypeError, "member 'signal' is not of type 'AbortSignal'.", prefix, "Argument 2");
    }
    options.signal = init.signal;
  }
  return options;
}

class Request {
  constructor(input, init = undefined) {
    // The request (https://fetch.spec.whatwg.org/#concept-request), as state (see webidl.stateOf).
    // `scope` is the host scope a request from the host came from; its method, url and headers
    // are read from there the first time they are asked for.
    const inner = setState(this,
      { scope: null, method: null, url: null, headers: null, body: null, redirect: "follow", options: DEFAULT_OPTIONS });
    if (input === FROM_HOST) {
      inner.scope = init;
      inner.body = HOST_BODY_UNTOUCHED;
      return;
    }
    const prefix = "Failed to construct 'Request'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    init = RequestInit(init, prefix, "Argument 2");

    let inputRequest = null;
    if (webidl.isBranded(input, RequestPrototype)) {
      inputRequest = input;
      inner.method = input.method;
      inner.url = input.url;
      inner.redirect = input.redirect;
      inner.options = stateOf(input).options;
    } else {
      inner.method = "GET";
      inner.url = parseUrl(webidl.converters.USVString(input, prefix, "Argument 1"), prefix);
    }
    if (init.redirect !== undefined) inner.redirect = init.redirect;
    inner.options = requestOptions(init, inner.options, prefix);
    if (init.method !== undefined) inner.method = normalizeMethod(init.method, prefix);

    const headersInit = init.headers !== undefined ? init.headers : inputRequest?.headers;
    const headerList = [];
    if (headersInit !== undefined) headersInternals.fillHeaderList(headerList, headersInit, prefix);
    inner.headers = headersInternals.fromHeaderList(headerList, "request");

    let inputBody = inputRequest === null ? null : innerBodyOfRequest(inputRequest);
    if ((init.body !== undefined && init.body !== null || inputBody !== null) &&
        (inner.method === "GET" || inner.method === "HEAD")) {
      if (init.body !== undefined && init.body !== null) {
        throw webidl.makeException(TypeError, "Request with GET/HEAD method cannot have body.", prefix);
      }
      inputBody = null;
    }
    if (init.body !== undefined && init.body !== null) {
      const { body, type } = extractBody(init.body);
      // https://fetch.spec.whatwg.org/#dom-request step 36: a stream body needs duplex "half".
      if (internals.streams.isReadableStream(body.source) && init.duplex === undefined) {
        throw webidl.makeException(TypeError, "A ReadableStream body requires the 'duplex' member to be 'half'.", prefix);
      }
      inner.body = body;
      if (type !== null && !inner.headers.has("content-type")) inner.headers.append("content-type", type);
    } else if (inputBody !== null) {
      if (bodyInternals.isUnusable(inputBody)) {
        throw webidl.makeException(TypeError, "Request body has already been used.", prefix);
      }
      // https://fetch.spec.whatwg.org/#dom-request step 41: the input's body moves here.
      inner.body = inputBody.clone();
      inputBody.used = true;
    }
  }

  get method() {
    webidl.assertBranded(this, RequestPrototype);
    const inner = stateOf(this);
    if (inner.method === null) inner.method = inner.scope.method();
    return inner.method;
  }

  get url() {
    webidl.assertBranded(this, RequestPrototype);
    const inner = stateOf(this);
    if (inner.url === null) inner.url = inner.scope.url();
    return inner.url;
  }

  get headers() {
    webidl.assertBranded(this, RequestPrototype);
    const inner = stateOf(this);
    if (inner.headers === null) {
      inner.headers = headersInternals.headersFromHostList(inner.scope.headerList(), "request");
    }
    return inner.headers;
  }

  get redirect() {
    webidl.assertBranded(this, RequestPrototype);
    return stateOf(this).redirect;
  }

  get cache() {
    webidl.assertBranded(this, RequestPrototype);
    return stateOf(this).options.cache;
  }

  get credentials() {
    webidl.assertBranded(this, RequestPrototype);
    return stateOf(this).options.credentials;
  }

  get destination() {
    webidl.assertBranded(this, RequestPrototype);
    return "";
  }

  get integrity() {
    webidl.assertBranded(this, RequestPrototype);
    return stateOf(this).options.integrity;
  }

  get isHistoryNavigation() {
    webidl.assertBranded(this, RequestPrototype);
    return false;
  }

  get isReloadNavigation() {
    webidl.assertBranded(this, RequestPrototype);
    return false;
  }

  get keepalive() {
    webidl.assertBranded(this, RequestPrototype);
    return stateOf(this).options.keepalive;
  }

  get mode() {
    webidl.assertBranded(this, RequestPrototype);
    return stateOf(this).options.mode;
  }

  get referrer() {
    webidl.assertBranded(this, RequestPrototype);
    return stateOf(this).options.referrer;
  }

  get referrerPolicy() {
    webidl.assertBranded(this, RequestPrototype);
    return stateOf(this).options.referrerPolicy;
  }

  get duplex() {
    webidl.assertBranded(this, RequestPrototype);
    return stateOf(this).options.duplex;
  }

  /**
   * https://fetch.spec.whatwg.org/#dom-request-signal: a signal that follows the one given in
   * RequestInit (or the input request's), made on first use; one that never aborts otherwise.
   */
  get signal() {
    webidl.assertBranded(this, RequestPrototype);
    const inner = stateOf(this);
    if (inner.signal === undefined) {
      const given = inner.options.signal;
      const abort = internals.abort;
      if (abort === undefined) {
        inner.signal = given; // no AbortSignal in this runtime yet: the given one, or null
      } else {
        inner.signal = given === null ? abort.createSignal() : abort.createDependentSignal([given]);
      }
    }
    return inner.signal;
  }

  clone() {
    webidl.assertBranded(this, RequestPrototype);
    const body = innerBodyOfRequest(this);
    if (body !== null && bodyInternals.isUnusable(body)) {
      throw new TypeError("Failed to execute 'clone' on 'Request': Request body is already used");
    }
    const inner = stateOf(this);
    const copy = new Request(this.url, { method: this.method, headers: this.headers, redirect: inner.redirect });
    stateOf(copy).options = inner.options;
    if (body !== null) {
      stateOf(copy).body = body.clone();
    }
    return copy;
  }
}
const RequestPrototype = Request.prototype;

function innerBodyOfRequest(request) {
  const inner = stateOf(request);
  if (inner.body === HOST_BODY_UNTOUCHED) {
    inner.body = inner.scope.hasBody() ? new InnerBody(new HostBody(inner.scope)) : null;
  }
  return inner.body;
}

function requestFromHost(scope) {
  return new Request(FROM_HOST, scope);
}
mixinBody(RequestPrototype, innerBodyOfRequest);
webidl.configureInterface(Request);

internals.Request = Request;
/** The request's state, for fetch: the Request object's own fields are the standard's request. */
function innerRequest(request) {
  const inner = stateOf(request);
  return {
    method: request.method,
    url: request.url,
    headerList: headersInternals.copyList(stateOf(request.headers).headerList),
    body: innerBodyOfRequest(request),
    redirect: inner.redirect,
    signal: inner.options.signal,
  };
}

internals.request = { requestFromHost, RequestPrototype, normalizeMethod, innerRequest, innerBodyOfRequest };
