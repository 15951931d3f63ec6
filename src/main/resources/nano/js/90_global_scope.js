// The app's global scope: the Web APIs defined by the families above, installed with WebIDL's
// attributes (writable, configurable, not enumerable), as browsers and workerd do.
const { ObjectDefineProperty } = internals.primordials;

const interfaces = {
  DOMException: internals.DOMException,
  Headers: internals.Headers,
  Request: internals.Request,
  Response: internals.Response,
  URL: internals.URL,
  URLSearchParams: internals.URLSearchParams,
  Crypto: internals.Crypto,
  SubtleCrypto: internals.SubtleCrypto,
  CryptoKey: internals.CryptoKey,
};
for (const name in interfaces) {
  if (interfaces[name] !== undefined) {
    ObjectDefineProperty(globalThis, name, { value: interfaces[name], writable: true, enumerable: false, configurable: true });
  }
}
// https://w3c.github.io/webcrypto/#crypto-interface: a readonly attribute of the global scope.
const crypto = internals.crypto;
ObjectDefineProperty(globalThis, "crypto", { get: function crypto$get() { return crypto; }, enumerable: true, configurable: true });
ObjectDefineProperty(globalThis, "console", { value: internals.console, writable: true, enumerable: false, configurable: true });
// Workers name their global scope `self`.
ObjectDefineProperty(globalThis, "self", { value: globalThis, writable: true, enumerable: false, configurable: true });
