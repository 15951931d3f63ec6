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

const RequestInit = webidl.createDictionaryConverter("RequestInit", [
  { key: "method", converter: webidl.converters.ByteString },
  { key: "headers", converter: webidl.converters.any },
  { key: "body", converter: webidl.converters.any },
  { key: "redirect", converter: webidl.createEnumConverter("RequestRedirect", ["follow", "error", "manual"]) },
  { key: "signal", converter: webidl.converters.any },
]);

class Request {
  constructor(input, init = undefined) {
    // The request (https://fetch.spec.whatwg.org/#concept-request), as state (see webidl.stateOf).
    // `scope` is the host scope a request from the host came from; its method, url and headers
    // are read from there the first time they are asked for.
    const inner = setState(this, { scope: null, method: null, url: null, headers: null, body: null, redirect: "follow" });
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
    } else {
      inner.method = "GET";
      inner.url = parseUrl(webidl.converters.USVString(input, prefix, "Argument 1"), prefix);
    }
    if (init.redirect !== undefined) inner.redirect = init.redirect;
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

  clone() {
    webidl.assertBranded(this, RequestPrototype);
    const body = innerBodyOfRequest(this);
    if (body !== null && bodyInternals.isUnusable(body)) {
      throw new TypeError("Failed to execute 'clone' on 'Request': Request body is already used");
    }
    const inner = stateOf(this);
    const copy = new Request(this.url, { method: this.method, headers: this.headers, redirect: inner.redirect });
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
internals.request = { requestFromHost, RequestPrototype, normalizeMethod };
