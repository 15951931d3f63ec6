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
  URLPattern: internals.URLPattern,
  Blob: internals.Blob,
  File: internals.File,
  FormData: internals.FormData,
};
for (const name in interfaces) {
  if (interfaces[name] !== undefined) {
    ObjectDefineProperty(globalThis, name, { value: interfaces[name], writable: true, enumerable: false, configurable: true });
  }
}
ObjectDefineProperty(globalThis, "console", { value: internals.console, writable: true, enumerable: false, configurable: true });
// Workers name their global scope `self`.
ObjectDefineProperty(globalThis, "self", { value: globalThis, writable: true, enumerable: false, configurable: true });
