// WebAssembly's Web API (https://webassembly.github.io/spec/web-api/): the streaming functions,
// which GraalWasm does not provide, over a Response's arrayBuffer(). The rest of the JS API
// (Module, Instance, Memory, Table, Global, validate, compile, instantiate, the error classes)
// is GraalJS's own (js.webassembly) on GraalWasm.
const {
  FunctionPrototypeCall,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  PromisePrototypeThen,
  PromiseReject,
  PromiseResolve,
  RegExpPrototypeExec,
  StringPrototypeToLowerCase,
  TypeError,
  globalThis: realm,
} = internals.primordials;
const { response: responseInternals, Response } = internals;

const WebAssembly = realm.WebAssembly;
if (typeof WebAssembly === "object" && WebAssembly !== null && typeof WebAssembly.compile === "function") {
  const compile = WebAssembly.compile;
  const instantiate = WebAssembly.instantiate;
  const getHeaders = ObjectGetOwnPropertyDescriptor(Response.prototype, "headers").get;
  const getOk = ObjectGetOwnPropertyDescriptor(Response.prototype, "ok").get;
  const getBodyUsed = ObjectGetOwnPropertyDescriptor(Response.prototype, "bodyUsed").get;
  const arrayBuffer = Response.prototype.arrayBuffer;
  const headersGet = internals.Headers.prototype.get;
  // HTTP tab or space at either end (https://fetch.spec.whatwg.org/#http-tab-or-space).
  const TRIMMED = /^[\t ]*(.*?)[\t ]*$/s;

  /**
   * https://webassembly.github.io/spec/web-api/#compile-a-potential-webassembly-response, steps
   * 1-6 (the CORS step does not apply: every Response an app holds is its own or came from
   * fetch, and NANO has no opaque responses to refuse). Resolves with the bytes.
   */
  const responseBytes = (source, name) => PromisePrototypeThen(PromiseResolve(source), (response) => {
    const prefix = `Failed to execute '${name}' on 'WebAssembly'`;
    if (!responseInternals.isResponse(response)) {
      throw new TypeError(`${prefix}: Argument 1 must be a Response or a Promise of one.`);
    }
    const headers = FunctionPrototypeCall(getHeaders, response);
    const mimeType = FunctionPrototypeCall(headersGet, headers, "Content-Type");
    if (mimeType === null) {
      throw new TypeError(`${prefix}: the Response has no Content-Type; 'application/wasm' is required.`);
    }
    const trimmed = RegExpPrototypeExec(TRIMMED, mimeType)[1];
    // A byte-case-insensitive match of the whole value: parameters are not allowed either.
    if (StringPrototypeToLowerCase(trimmed) !== "application/wasm") {
      throw new TypeError(`${prefix}: incorrect response MIME type '${mimeType}'; expected 'application/wasm'.`);
    }
    if (!FunctionPrototypeCall(getOk, response)) {
      throw new TypeError(`${prefix}: the Response's status is not ok.`);
    }
    if (FunctionPrototypeCall(getBodyUsed, response)) {
      throw new TypeError(`${prefix}: the Response's body was already used.`);
    }
    return FunctionPrototypeCall(arrayBuffer, response);
  });

  /** https://webassembly.github.io/spec/web-api/#dom-webassembly-compilestreaming */
  const compileStreaming = {
    compileStreaming(source) {
      if (arguments.length < 1) {
        return PromiseReject(new TypeError("Failed to execute 'compileStreaming' on 'WebAssembly': 1 argument required, but only 0 present."));
      }
      return PromisePrototypeThen(responseBytes(source, "compileStreaming"),
        (bytes) => FunctionPrototypeCall(compile, WebAssembly, bytes));
    },
  }.compileStreaming;

  /** https://webassembly.github.io/spec/web-api/#dom-webassembly-instantiatestreaming */
  const instantiateStreaming = {
    instantiateStreaming(source, importObject = undefined) {
      if (arguments.length < 1) {
        return PromiseReject(new TypeError("Failed to execute 'instantiateStreaming' on 'WebAssembly': 1 argument required, but only 0 present."));
      }
      return PromisePrototypeThen(responseBytes(source, "instantiateStreaming"),
        (bytes) => FunctionPrototypeCall(instantiate, WebAssembly, bytes, importObject));
    },
  }.instantiateStreaming;

  // Namespace operations (WebIDL): writable, enumerable, configurable.
  for (const [name, value] of [["compileStreaming", compileStreaming], ["instantiateStreaming", instantiateStreaming]]) {
    if (WebAssembly[name] === undefined) {
      ObjectDefineProperty(WebAssembly, name, { value, writable: true, enumerable: true, configurable: true });
    }
  }
}
