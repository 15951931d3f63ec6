// The Body mixin (https://fetch.spec.whatwg.org/#body-mixin) shared by Request and Response,
// and "extract a body" for BodyInit.
//
// A body's source stays in its cheapest form until read: a string is encoded only if bytes
// are asked for, and a request body stays in the host until the app reads it. Only when the app
// asks for `body` does a source become a ReadableStream (43_host_streams.js for host bodies).
const {
  ArrayBuffer,
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  JSONParse,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectPrototypeIsPrototypeOf,
  ReflectApply,
  RegExpPrototypeTest,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  StringPrototypeTrim,
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
 * As a ReadableStream (`body`, clone) it is `openStream()`, by default the reader's host stream
 * (a request body's HostStream, pulled chunk by chunk).
 */
// Fields declared on the classes below: a declared field is defined on the instance (not set),
// so a setter an app puts on Object.prototype never sees these objects or what they hold.
class HostBody {
  reader = null;
  /**
   * Optional: `respondWith(scope, status, statusText, headerList, onError)` sends the body as
   * the scope's response without bringing it into JavaScript (a fetched body passed through).
   */
  respondWith = null;
  openStream = null;

  constructor(reader, respondWith = null, openStream = null) {
    this.reader = reader;
    this.respondWith = respondWith;
    this.openStream = openStream;
  }
}

const isStream = (value) => internals.streams.isReadableStream(value);

/** https://fetch.spec.whatwg.org/#concept-body: a source, and whether it was read. */
class InnerBody {
  source = null;
  used = false;

  constructor(source) {
    /** A string, a Uint8Array, a HostBody, or a ReadableStream. */
    this.source = source;
    this.used = false;
  }

  /**
   * https://fetch.spec.whatwg.org/#concept-body-clone: a stream is teed, this body keeping one
   * branch; other sources are immutable and shared (a host body is made a stream first, since
   * its bytes can be read from the socket only once).
   */
  clone() {
    if (this.source instanceof HostBody) streamOf(this);
    if (isStream(this.source)) {
      const [mine, theirs] = internals.streams.readableStreamTee(this.source);
      this.source = mine;
      return new InnerBody(theirs);
    }
    return new InnerBody(this.source);
  }
}

/** The body as a ReadableStream, made from its source the first time it is asked for. */
function streamOf(inner) {
  const source = inner.source;
  if (isStream(source)) return source;
  let stream;
  if (source instanceof HostBody) {
    stream = source.openStream !== null ? source.openStream()
      : internals.hostStreams.readableFromHost(source.reader.bodyStream());
  } else if (typeof source === "string") {
    stream = internals.streams.readableStreamFromBytes(bytesFromHost(binding.encoding.encodeUtf8(source)));
  } else {
    stream = internals.streams.readableStreamFromBytes(copyBytes(TypedArrayPrototypeGetBuffer(source),
      TypedArrayPrototypeGetByteOffset(source), TypedArrayPrototypeGetByteLength(source)));
  }
  inner.source = stream;
  return stream;
}

/** https://fetch.spec.whatwg.org/#body-unusable: read once, or its stream disturbed or locked. */
function isUnusable(inner) {
  if (inner.used) return true;
  const source = inner.source;
  return isStream(source) &&
    (internals.streams.isReadableStreamDisturbed(source) || internals.streams.isReadableStreamLocked(source));
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
  if (isStream(object)) {
    if (internals.streams.isReadableStreamDisturbed(object) || internals.streams.isReadableStreamLocked(object)) {
      throw new TypeError("The ReadableStream is locked or has been read from.");
    }
    return { body: new InnerBody(object), type: null };
  }
  if (internals.URLSearchParams && object instanceof internals.URLSearchParams) {
    return { body: new InnerBody(object.toString()), type: "application/x-www-form-urlencoded;charset=UTF-8" };
  }
  if (internals.file?.isBlob(object)) {
    // The blob's bytes as they are when it has one part: blob parts are never written, and
    // neither is a body source (reads copy it, the host only reads it).
    const type = internals.file.typeOf(object);
    return { body: new InnerBody(internals.file.readOnlyBytes(object)), type: type === "" ? null : type };
  }
  if (internals.formData?.isFormData(object)) {
    const { blob, type } = internals.formData.serializeMultipart(object);
    return { body: new InnerBody(internals.file.readOnlyBytes(blob)), type };
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
  if (isUnusable(inner)) {
    return PromiseReject(new TypeError("Body has already been consumed."));
  }
  inner.used = true;
  const source = inner.source;
  if (isStream(source)) {
    const bytes = internals.streams.readAllBytes(source);
    return as === "bytes" ? bytes : PromisePrototypeThen(bytes, (all) => binding.encoding.decodeUtf8(
      TypedArrayPrototypeGetBuffer(all), TypedArrayPrototypeGetByteOffset(all), TypedArrayPrototypeGetByteLength(all)));
  }
  if (typeof source === "string") {
    return PromiseResolve(as === "text" ? source : bytesFromHost(binding.encoding.encodeUtf8(source)));
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

// https://mimesniff.spec.whatwg.org/#mime-type-essence: "type/subtype", lower case.
const MIME_ESSENCE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The body's MIME type as blob() gives it (https://fetch.spec.whatwg.org/#concept-body-mime-type):
 * the Content-Type with its essence lower-cased, or "" when there is none or it is not a MIME
 * type. Departure: parameters are kept as sent rather than re-serialized.
 */
function blobTypeOf(contentType) {
  if (contentType === null) return "";
  const semicolon = StringPrototypeIndexOf(contentType, ";");
  const essence = StringPrototypeTrim(semicolon < 0 ? contentType : StringPrototypeSlice(contentType, 0, semicolon));
  if (!RegExpPrototypeTest(MIME_ESSENCE, essence)) return "";
  return StringPrototypeToLowerCase(essence) + (semicolon < 0 ? "" : StringPrototypeSlice(contentType, semicolon));
}

/**
 * Adds text(), json(), arrayBuffer(), bytes(), blob(), formData() and bodyUsed to an interface
 * whose instances keep their InnerBody (or null) where innerBodyOf finds it. The interface's
 * `headers` getter, already defined, gives the Content-Type that blob() and formData() need.
 */
function mixinBody(prototype, innerBodyOf) {
  const headersGetter = ObjectGetOwnPropertyDescriptor(prototype, "headers")?.get;
  const headersGet = internals.Headers.prototype.get;
  const contentTypeOf = (self) => (headersGetter === undefined ? null :
    ReflectApply(headersGet, ReflectApply(headersGetter, self, []), ["content-type"]));
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
    blob() {
      // Read before the body, which the read marks used.
      let type = "";
      try {
        if (webidl.isBranded(this, prototype)) type = blobTypeOf(contentTypeOf(this));
      } catch (error) {
        return PromiseReject(error);
      }
      return read(this, "bytes", (bytes) => internals.file.blobFromParts(TypedArrayPrototypeGetByteLength(bytes) === 0 ? [] : [bytes], type));
    },
    formData() {
      let contentType = null;
      try {
        if (webidl.isBranded(this, prototype)) contentType = contentTypeOf(this);
      } catch (error) {
        return PromiseReject(error);
      }
      return read(this, "bytes", (bytes) => internals.formData.formDataFromBody(bytes, contentType));
    },
  };
  for (const key of ["arrayBuffer", "blob", "bytes", "formData", "json", "text"]) {
    ObjectDefineProperty(prototype, key, { value: methods[key], writable: true, enumerable: true, configurable: true });
  }
  ObjectDefineProperty(prototype, "body", {
    get() {
      webidl.assertBranded(this, prototype);
      const inner = innerBodyOf(this);
      return inner === null ? null : streamOf(inner);
    },
    enumerable: true,
    configurable: true,
  });
  ObjectDefineProperty(prototype, "bodyUsed", {
    get() {
      webidl.assertBranded(this, prototype);
      const inner = innerBodyOf(this);
      return inner !== null && (inner.used ||
        isStream(inner.source) && internals.streams.isReadableStreamDisturbed(inner.source));
    },
    enumerable: true,
    configurable: true,
  });
}

/**
 * What the host sends for a body: a string, bytes (a Uint8Array), a ReadableStream to stream
 * (a request body forwarded as it is becomes one), or null.
 */
function hostPayload(inner) {
  if (inner === null) return null;
  if (isUnusable(inner)) throw new TypeError("Response body has already been consumed.");
  if (inner.source instanceof HostBody) streamOf(inner);
  inner.used = true;
  return inner.source;
}

internals.body = {
  InnerBody, HostBody, extractBody, addBodyExtractor, consumeBody, mixinBody, hostPayload, isUnusable, streamOf,
};
