// The app's global scope: the Web APIs defined by the families above, installed with WebIDL's
// attributes (writable, configurable, not enumerable), as browsers and workerd do.
const { ObjectDefineProperty } = internals.primordials;
const { webidl } = internals;

// https://html.spec.whatwg.org/#workernavigator, the parts a server-side worker has.
let constructingNavigator = true;
class Navigator {
  constructor() {
    if (!constructingNavigator) webidl.illegalConstructor();
    webidl.setState(this, null);
  }

  /** `NANO/<version>`, from the build's version (the Java side passes it). */
  get userAgent() {
    webidl.assertBranded(this, Navigator.prototype);
    return binding.userAgent;
  }

  get hardwareConcurrency() {
    webidl.assertBranded(this, Navigator.prototype);
    return binding.hardwareConcurrency;
  }
}
webidl.configureInterface(Navigator);
const navigator = new Navigator();
constructingNavigator = false;

const interfaces = {
  DOMException: internals.DOMException,
  Headers: internals.Headers,
  Request: internals.Request,
  Response: internals.Response,
  TextDecoder: internals.TextDecoder,
  TextEncoder: internals.TextEncoder,
  URL: internals.URL,
  URLSearchParams: internals.URLSearchParams,
  Event: internals.events.Event,
  EventTarget: internals.events.EventTarget,
  CustomEvent: internals.events.CustomEvent,
  ErrorEvent: internals.events.ErrorEvent,
  PromiseRejectionEvent: internals.events.PromiseRejectionEvent,
  AbortController: internals.abort.AbortController,
  AbortSignal: internals.abort.AbortSignal,
  Performance: internals.performance.Performance,
  PerformanceEntry: internals.performance.PerformanceEntry,
  PerformanceMark: internals.performance.PerformanceMark,
  PerformanceMeasure: internals.performance.PerformanceMeasure,
  Navigator,
  ReadableStream: internals.streams?.ReadableStream,
  ReadableStreamDefaultReader: internals.streams?.ReadableStreamDefaultReader,
  ReadableStreamBYOBReader: internals.streams?.ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest: internals.streams?.ReadableStreamBYOBRequest,
  ReadableStreamDefaultController: internals.streams?.ReadableStreamDefaultController,
  ReadableByteStreamController: internals.streams?.ReadableByteStreamController,
  WritableStream: internals.streams?.WritableStream,
  WritableStreamDefaultWriter: internals.streams?.WritableStreamDefaultWriter,
  WritableStreamDefaultController: internals.streams?.WritableStreamDefaultController,
  TransformStream: internals.streams?.TransformStream,
  TransformStreamDefaultController: internals.streams?.TransformStreamDefaultController,
  CompressionStream: internals.compression?.CompressionStream,
  DecompressionStream: internals.compression?.DecompressionStream,
  TextEncoderStream: internals.encodingStreams?.TextEncoderStream,
  TextDecoderStream: internals.encodingStreams?.TextDecoderStream,
  ByteLengthQueuingStrategy: internals.streams?.ByteLengthQueuingStrategy,
  CountQueuingStrategy: internals.streams?.CountQueuingStrategy,
  Crypto: internals.Crypto,
  SubtleCrypto: internals.SubtleCrypto,
  CryptoKey: internals.CryptoKey,
  URLPattern: internals.URLPattern,
  Blob: internals.Blob,
  File: internals.File,
  FormData: internals.FormData,
  MessageChannel: internals.messaging?.MessageChannel,
  MessagePort: internals.messaging?.MessagePort,
  MessageEvent: internals.messaging?.MessageEvent,
};
for (const name in interfaces) {
  if (interfaces[name] !== undefined) {
    ObjectDefineProperty(globalThis, name, { value: interfaces[name], writable: true, enumerable: false, configurable: true });
  }
}
// Operations of the global scope (WebIDL: writable, enumerable, configurable).
const functions = internals.globalFunctions ?? {};
for (const name in functions) {
  ObjectDefineProperty(globalThis, name, { value: functions[name], writable: true, enumerable: true, configurable: true });
}
// https://w3c.github.io/webcrypto/#crypto-interface: a readonly attribute of the global scope.
const crypto = internals.crypto;
ObjectDefineProperty(globalThis, "crypto", { get: function crypto$get() { return crypto; }, enumerable: true, configurable: true });
ObjectDefineProperty(globalThis, "console", { value: internals.console, writable: true, enumerable: false, configurable: true });
// Workers name their global scope `self`.
ObjectDefineProperty(globalThis, "self", { value: globalThis, writable: true, enumerable: false, configurable: true });
// Attributes of the global scope (WebIDL: enumerable; performance is [Replaceable], so a data
// property an app may overwrite serves as well as the accessor pair).
const attributes = {
  performance: internals.performance.performance,
  navigator,
};
for (const name in attributes) {
  ObjectDefineProperty(globalThis, name, { value: attributes[name], writable: true, enumerable: true, configurable: true });
}
