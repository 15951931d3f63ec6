// The Body mixin (https://fetch.spec.whatwg.org/#body-mixin) shared by Request and Response,
// and "extract a body" for BodyInit.
//
// A body's source stays in its cheapest form until read: a string is encoded only if bytes
// are asked for, and a request body stays in the host until the app reads it.
// Not yet here (their own issue): the `body` ReadableStream, blob() and formData().
const {
  ArrayBuffer,
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  JSONParse,
  ObjectDefineProperty,
  ObjectPrototypeIsPrototypeOf,
  PromiseReject,
  PromiseResolve,
  PromisePrototypeThen,
  Promise,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeSet,
  Uint8Array,
} = internals.primordials;
const { webidl } = internals;

/**
 * A body whose bytes are still in the host: the request body of a scope, or the response body
 * of an outbound fetch. This is the one place that knows where a body's bytes come from: its
 * reader has `readBody(asText, onValue, onError)`, which calls onValue once with the whole body
 * (a string, or a Java buffer to wrap) or onError with a message (a TypeError) or an error.
 * The streams bridge turns the same readers into ReadableStream sources.
 */
class HostBody {
  constructor(reader, respondWith = null) {
    this.reader = reader;
    /**
     * Optional: `respondWith(scope, status, statusText, headerList, onError)` sends the body as
     * the scope's response without bringing it into JavaScript (a fetched body passed through).
     */
    this.respondWith = respondWith;
    /** Set once a clone shares this source: its bytes are then read once and kept for both. */
    this.shared = false;
    this.bytes = null;
  }
}

/** https://fetch.spec.whatwg.org/#concept-body: a source, and whether it was read. */
class InnerBody {
  constructor(source) {
    /** A string, a Uint8Array, or a HostBody. */
    this.source = source;
    this.used = false;
  }

  /** Both clones read the same bytes; a host body must be read once, then shared. */
  clone() {
    if (this.source instanceof HostBody) this.source.shared = true;
    return new InnerBody(this.source);
  }
}

function copyBytes(view, offset, length) {
  const copy = new Uint8Array(length);
  TypedArrayPrototypeSet(copy, new Uint8Array(view, offset, length));
  return copy;
}

/** A copy of a Java buffer (from binding) as a JS-owned Uint8Array. */
function bytesFromHost(hostBuffer) {
  const wrapped = new ArrayBuffer(hostBuffer);
  return copyBytes(wrapped, 0, ArrayBufferPrototypeGetByteLength(wrapped));
}

/**
 * https://fetch.spec.whatwg.org/#concept-bodyinit-extract for the BodyInit types this runtime
 * has; anything else converts to a string, as the WebIDL union does.
 */
function extractBody(object) {
  if (typeof object === "string") {
    return { body: new InnerBody(object), type: "text/plain;charset=UTF-8" };
  }
  if (object instanceof ArrayBuffer) {
    return { body: new InnerBody(copyBytes(object, 0, ArrayBufferPrototypeGetByteLength(object))), type: null };
  }
  if (ArrayBufferIsView(object)) {
    const buffer = object.buffer;
    return { body: new InnerBody(copyBytes(buffer, object.byteOffset, object.byteLength)), type: null };
  }
  if (internals.URLSearchParams && object instanceof internals.URLSearchParams) {
    return { body: new InnerBody(object.toString()), type: "application/x-www-form-urlencoded;charset=UTF-8" };
  }
  for (let i = 0; i < bodyExtractors.length; i++) {
    const extracted = bodyExtractors[i](object);
    if (extracted !== undefined) return extracted;
  }
  return { body: new InnerBody(webidl.converters.USVString(object)), type: null };
}

/**
 * BodyInit types of later families (Blob, FormData, ReadableStream): each registers a function
 * that returns `{ body: InnerBody, type }` for its objects and undefined for anything else.
 */
const bodyExtractors = [];
function addBodyExtractor(extract) {
  bodyExtractors[bodyExtractors.length] = extract;
}

/** Reads all of a body as "text" (UTF-8 decoded) or "bytes" (Uint8Array). */
function consumeBody(inner, as) {
  if (inner === null) {
    return PromiseResolve(as === "text" ? "" : new Uint8Array(0));
  }
  if (inner.used) {
    return PromiseReject(new TypeError("Body has already been consumed."));
  }
  inner.used = true;
  const source = inner.source;
  if (typeof source === "string") {
    return PromiseResolve(as === "text" ? source : bytesFromHost(binding.encoding.encodeUtf8(source)));
  }
  if (source instanceof HostBody && source.shared) {
    // Read as bytes once for every clone; each gets its own copy (or text decoded from it).
    if (source.bytes === null) {
      source.bytes = new Promise((resolve, reject) => {
        source.reader.readBody(false, (value) => resolve(bytesFromHost(value)),
          (error) => reject(typeof error === "string" ? new TypeError(error) : error));
      });
    }
    return PromisePrototypeThen(source.bytes, (bytes) => {
      inner.source = bytes;
      return as === "text"
        ? binding.encoding.decodeUtf8(TypedArrayPrototypeGetBuffer(bytes), 0, TypedArrayPrototypeGetByteLength(bytes))
        : copyBytes(TypedArrayPrototypeGetBuffer(bytes), 0, TypedArrayPrototypeGetByteLength(bytes));
    });
  }
  if (source instanceof HostBody) {
    return new Promise((resolve, reject) => {
      source.reader.readBody(
        as === "text",
        (value) => {
          inner.source = as === "text" ? value : bytesFromHost(value);
          resolve(inner.source);
        },
        (error) => reject(typeof error === "string" ? new TypeError(error) : error));
    });
  }
  if (as === "bytes") {
    return PromiseResolve(copyBytes(TypedArrayPrototypeGetBuffer(source), TypedArrayPrototypeGetByteOffset(source),
      TypedArrayPrototypeGetByteLength(source)));
  }
  return PromiseResolve(binding.encoding.decodeUtf8(TypedArrayPrototypeGetBuffer(source),
    TypedArrayPrototypeGetByteOffset(source), TypedArrayPrototypeGetByteLength(source)));
}

/**
 * Adds text(), json(), arrayBuffer(), bytes() and bodyUsed to an interface whose instances
 * keep their InnerBody (or null) where innerBodyOf finds it.
 */
function mixinBody(prototype, innerBodyOf) {
  // Every read rejects (never throws) on a bad receiver, as promise-returning operations must.
  const read = (self, as, transform) => {
    try {
      webidl.assertBranded(self, prototype);
    } catch (error) {
      return PromiseReject(error);
    }
    const result = consumeBody(innerBodyOf(self), as);
    return transform === undefined ? result : PromisePrototypeThen(result, transform);
  };
  const methods = {
    text() {
      return read(this, "text");
    },
    json() {
      return read(this, "text", (text) => JSONParse(text));
    },
    arrayBuffer() {
      return read(this, "bytes", (bytes) => TypedArrayPrototypeGetBuffer(bytes));
    },
    bytes() {
      return read(this, "bytes");
    },
  };
  for (const key of ["arrayBuffer", "bytes", "json", "text"]) {
    ObjectDefineProperty(prototype, key, { value: methods[key], writable: true, enumerable: true, configurable: true });
  }
  ObjectDefineProperty(prototype, "bodyUsed", {
    get() {
      webidl.assertBranded(this, prototype);
      const inner = innerBodyOf(this);
      return inner !== null && inner.used;
    },
    enumerable: true,
    configurable: true,
  });
}

/** What the host sends for a body: the string or bytes (buffer, offset, length), or null. */
function hostPayload(inner) {
  if (inner === null) return null;
  if (inner.used) throw new TypeError("Response body has already been consumed.");
  if (inner.source instanceof HostBody) {
    throw new TypeError("A request body cannot be sent as a response body before it is read.");
  }
  inner.used = true;
  return inner.source;
}

internals.body = { InnerBody, HostBody, extractBody, addBodyExtractor, consumeBody, mixinBody, hostPayload };
