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
  ByteLengthQueuingStrategy: internals.streams?.ByteLengthQueuingStrategy,
  CountQueuingStrategy: internals.streams?.CountQueuingStrategy,
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
ObjectDefineProperty(globalThis, "console", { value: internals.console, writable: true, enumerable: false, configurable: true });
// Workers name their global scope `self`.
ObjectDefineProperty(globalThis, "self", { value: globalThis, writable: true, enumerable: false, configurable: true });
