// File API (https://w3c.github.io/FileAPI/): Blob and File.
//
// A blob's bytes are a list of Uint8Array parts that no one ever writes to: strings are encoded
// and buffer sources copied once, at construction, as the spec says; a Blob part, a slice or a
// File made from blobs shares the parts (or subarrays of them) instead of copying bytes.
// Reads (text, arrayBuffer, bytes, stream) hand out fresh copies, so the parts stay immutable.
const {
  ArrayBuffer,
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  ArrayPrototypePush,
  DateNow,
  MathMax,
  MathMin,
  MathRound,
  NumberIsNaN,
  ObjectDefineProperty,
  PromiseReject,
  PromiseResolve,
  RangeError,
  RegExpPrototypeTest,
  RegExpReplaceAll,
  StringPrototypeToLowerCase,
  Symbol,
  SymbolIterator,
  SymbolToStringTag,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
  Uint8Array,
} = internals.primordials;
const { webidl } = internals;
const { stateOf, setState } = webidl;

// Chunks of stream(): big enough to amortize a read, small enough not to hold a large blob twice.
const STREAM_CHUNK = 65536;
const EMPTY = new Uint8Array(0);

/** Fresh bytes of a string, UTF-8 (lone surrogates were already replaced by USVString). */
function encodeUtf8(string) {
  if (string === "") return EMPTY;
  // A new Java byte array each call: wrapping it (no copy) is safe, no one else holds it.
  return new Uint8Array(new ArrayBuffer(binding.encoding.encodeUtf8(string)));
}

function isArrayBuffer(value) {
  try {
    ArrayBufferPrototypeGetByteLength(value);
    return true;
  } catch {
    return false;
  }
}

function copyOfBufferSource(value) {
  let buffer;
  let offset;
  let length;
  if (ArrayBufferIsView(value)) {
    buffer = value.buffer;
    offset = value.byteOffset;
    length = value.byteLength;
  } else {
    buffer = value;
    offset = 0;
    length = ArrayBufferPrototypeGetByteLength(value);
  }
  const copy = new Uint8Array(length);
  TypedArrayPrototypeSet(copy, new Uint8Array(buffer, offset, length));
  return copy;
}

// https://w3c.github.io/FileAPI/#convert-line-endings-to-native: "\n" on this platform (Linux).
const LINE_BREAKS = /\r\n?/g;

/**
 * The sequence<BlobPart> conversion: each element becomes a string (USVString), a copy of its
 * bytes (BufferSource) or the Blob's state, in order, before the options are converted.
 */
function convertBlobParts(blobParts, prefix) {
  const items = [];
  if (blobParts === undefined) return items;
  if (blobParts === null || typeof blobParts !== "object" && typeof blobParts !== "function" ||
      typeof blobParts[SymbolIterator] !== "function") {
    throw webidl.makeException(TypeError, "The provided value cannot be converted to a sequence.", prefix,
      "Argument 1");
  }
  let index = 0;
  for (const element of blobParts) {
    if (webidl.isBranded(element, BlobPrototype)) {
      ArrayPrototypePush(items, stateOf(element));
    } else if (typeof element === "object" && element !== null &&
        (ArrayBufferIsView(element) || isArrayBuffer(element))) {
      ArrayPrototypePush(items, copyOfBufferSource(element));
    } else {
      ArrayPrototypePush(items, webidl.converters.USVString(element, prefix, `Argument 1, index ${index}`));
    }
    index++;
  }
  return items;
}

/**
 * https://w3c.github.io/FileAPI/#process-blob-parts over converted items: the list of parts
 * (a Blob's parts shared) and their total size.
 */
function processBlobParts(items, endings) {
  const parts = [];
  let size = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item === "string") {
      const bytes = encodeUtf8(endings === "native" ? RegExpReplaceAll(item, LINE_BREAKS, () => "\n") : item);
      const length = TypedArrayPrototypeGetByteLength(bytes);
      if (length !== 0) ArrayPrototypePush(parts, bytes);
      size += length;
    } else if (item instanceof Uint8Array) {
      const length = TypedArrayPrototypeGetByteLength(item);
      if (length !== 0) ArrayPrototypePush(parts, item);
      size += length;
    } else {
      for (let j = 0; j < item.parts.length; j++) ArrayPrototypePush(parts, item.parts[j]);
      size += item.size;
    }
  }
  return { parts, size };
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** The type attribute's rule: lower case, or "" if it has anything but printable ASCII. */
function normalizeType(type) {
  return RegExpPrototypeTest(PRINTABLE_ASCII, type) ? StringPrototypeToLowerCase(type) : "";
}

const EndingType = webidl.createEnumConverter("EndingType", ["transparent", "native"]);
const BlobPropertyBag = webidl.createDictionaryConverter("BlobPropertyBag", [
  { key: "type", converter: webidl.converters.DOMString, defaultValue: "" },
  { key: "endings", converter: EndingType, defaultValue: "transparent" },
]);
const FilePropertyBag = webidl.createDictionaryConverter("FilePropertyBag", [
  { key: "type", converter: webidl.converters.DOMString, defaultValue: "" },
  { key: "endings", converter: EndingType, defaultValue: "transparent" },
  { key: "lastModified", converter: webidl.converters["long long"] },
]);

/** All of a blob's bytes in one fresh Uint8Array (the caller may keep and change it). */
function copyBytes(inner) {
  const result = new Uint8Array(inner.size);
  let offset = 0;
  for (let i = 0; i < inner.parts.length; i++) {
    TypedArrayPrototypeSet(result, inner.parts[i], offset);
    offset += TypedArrayPrototypeGetByteLength(inner.parts[i]);
  }
  return result;
}

/**
 * The blob's bytes in one Uint8Array for reading only (never handed to app code): its only
 * part when it has one, so the common single-part blob is read without a copy.
 */
function readOnlyBytes(inner) {
  if (inner.parts.length === 0) return EMPTY;
  if (inner.parts.length === 1) return inner.parts[0];
  return copyBytes(inner);
}

function decodeUtf8(bytes) {
  if (TypedArrayPrototypeGetByteLength(bytes) === 0) return "";
  return binding.encoding.decodeUtf8(TypedArrayPrototypeGetBuffer(bytes), TypedArrayPrototypeGetByteOffset(bytes),
    TypedArrayPrototypeGetByteLength(bytes));
}

/** The parts covering [start, end) of a blob's parts, as subarrays (no copy). */
function sliceParts(parts, start, end) {
  const result = [];
  let position = 0;
  for (let i = 0; i < parts.length && position < end; i++) {
    const part = parts[i];
    const length = TypedArrayPrototypeGetByteLength(part);
    const partEnd = position + length;
    if (partEnd > start) {
      const from = MathMax(start - position, 0);
      const to = MathMin(end - position, length);
      ArrayPrototypePush(result, from === 0 && to === length ? part : TypedArrayPrototypeSubarray(part, from, to));
    }
    position = partEnd;
  }
  return result;
}

/** WebIDL [Clamp] long long (https://webidl.spec.whatwg.org/#abstract-opdef-converttoint). */
function clampLongLong(value) {
  const x = +value;
  if (NumberIsNaN(x)) return 0;
  const clamped = MathMin(MathMax(x, -(2 ** 53) + 1), 2 ** 53 - 1);
  const rounded = MathRound(clamped);
  // Ties go to even, as [Clamp] says.
  return rounded - clamped === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded + 0;
}

const CREATE = Symbol("create");

class Blob {
  constructor(blobParts = undefined, options = undefined) {
    if (blobParts === CREATE) {
      // Internal: options is the ready state { parts, size, type }.
      setState(this, options);
      return;
    }
    const prefix = "Failed to construct 'Blob'";
    const items = convertBlobParts(blobParts, prefix);
    options = BlobPropertyBag(options, prefix, "Argument 2");
    const { parts, size } = processBlobParts(items, options.endings);
    setState(this, { parts, size, type: normalizeType(options.type) });
  }

  get size() {
    webidl.assertBranded(this, BlobPrototype);
    return stateOf(this).size;
  }

  get type() {
    webidl.assertBranded(this, BlobPrototype);
    return stateOf(this).type;
  }

  /** https://w3c.github.io/FileAPI/#dfn-slice */
  slice(start = undefined, end = undefined, contentType = undefined) {
    webidl.assertBranded(this, BlobPrototype);
    const prefix = "Failed to execute 'slice' on 'Blob'";
    const inner = stateOf(this);
    const size = inner.size;
    let relativeStart = 0;
    if (start !== undefined) {
      start = clampLongLong(start);
      relativeStart = start < 0 ? MathMax(size + start, 0) : MathMin(start, size);
    }
    let relativeEnd = size;
    if (end !== undefined) {
      end = clampLongLong(end);
      relativeEnd = end < 0 ? MathMax(size + end, 0) : MathMin(end, size);
    }
    const type = contentType === undefined ? "" :
      normalizeType(webidl.converters.DOMString(contentType, prefix, "Argument 3"));
    const span = MathMax(relativeEnd - relativeStart, 0);
    const parts = span === 0 ? [] : sliceParts(inner.parts, relativeStart, relativeStart + span);
    return new Blob(CREATE, { parts, size: span, type });
  }

  /** https://w3c.github.io/FileAPI/#dom-blob-stream */
  stream() {
    webidl.assertBranded(this, BlobPrototype);
    return streamOf(stateOf(this));
  }

  text() {
    try {
      webidl.assertBranded(this, BlobPrototype);
      return PromiseResolve(decodeUtf8(readOnlyBytes(stateOf(this))));
    } catch (error) {
      return PromiseReject(error);
    }
  }

  arrayBuffer() {
    try {
      webidl.assertBranded(this, BlobPrototype);
      return PromiseResolve(TypedArrayPrototypeGetBuffer(copyBytes(stateOf(this))));
    } catch (error) {
      return PromiseReject(error);
    }
  }

  bytes() {
    try {
      webidl.assertBranded(this, BlobPrototype);
      return PromiseResolve(copyBytes(stateOf(this)));
    } catch (error) {
      return PromiseReject(error);
    }
  }
}
const BlobPrototype = Blob.prototype;
webidl.configureInterface(Blob);

/**
 * A ReadableStream of the blob's bytes (a byte stream where the streams family supports
 * one). The streams family is its own file (40_readable_stream.js); without it there is no
 * ReadableStream to return, and stream() says so instead of returning something else.
 */
function streamOf(inner) {
  const streams = internals.streams;
  const ReadableStream = streams?.ReadableStream ?? internals.ReadableStream;
  if (typeof streams?.readableStreamFromPull !== "function" && typeof ReadableStream !== "function") {
    throw new TypeError("Blob.stream() needs ReadableStream, which this runtime does not provide yet.");
  }
  const parts = inner.parts;
  let partIndex = 0;
  let offset = 0;
  const nextChunk = () => {
    while (partIndex < parts.length) {
      const part = parts[partIndex];
      const length = TypedArrayPrototypeGetByteLength(part);
      if (offset < length) {
        const end = MathMin(offset + STREAM_CHUNK, length);
        // A copy of its own: a byte stream transfers (detaches) what it is given, and parts are shared.
        const chunk = new Uint8Array(end - offset);
        TypedArrayPrototypeSet(chunk, TypedArrayPrototypeSubarray(part, offset, end));
        offset = end;
        return chunk;
      }
      partIndex++;
      offset = 0;
    }
    return null;
  };
  // The streams family's internal constructor of a byte stream from a pull source (not the
  // app-patchable public one), where it is there.
  if (typeof streams?.readableStreamFromPull === "function") {
    return streams.readableStreamFromPull({ pull: nextChunk });
  }
  const pull = (controller) => {
    const chunk = nextChunk();
    if (chunk === null) {
      controller.close();
      controller.byobRequest?.respond(0);
    } else {
      controller.enqueue(chunk);
    }
  };
  try {
    return new ReadableStream({ type: "bytes", pull });
  } catch (error) {
    if (!(error instanceof RangeError) && !(error instanceof TypeError)) throw error;
    // A streams implementation without byte streams: a default stream of the same chunks.
    return new ReadableStream({ pull });
  }
}

class File extends Blob {
  constructor(fileBits, fileName, options = undefined) {
    if (fileBits === CREATE) {
      // Internal: fileName is the ready state { parts, size, type, name, lastModified }.
      super(CREATE, fileName);
      return;
    }
    const prefix = "Failed to construct 'File'";
    webidl.requiredArguments(arguments.length, 2, prefix);
    // Converted in IDL order (fileBits, fileName, options) before anything is made.
    const items = convertBlobParts(fileBits === undefined ? null : fileBits, prefix);
    const name = webidl.converters.USVString(fileName, prefix, "Argument 2");
    options = FilePropertyBag(options, prefix, "Argument 3");
    const { parts, size } = processBlobParts(items, options.endings);
    super(CREATE, {
      parts, size, type: normalizeType(options.type), name,
      lastModified: options.lastModified === undefined ? DateNow() : options.lastModified,
    });
  }

  get name() {
    webidl.assertBranded(this, FilePrototype);
    return stateOf(this).name;
  }

  get lastModified() {
    webidl.assertBranded(this, FilePrototype);
    return stateOf(this).lastModified;
  }
}
const FilePrototype = File.prototype;
webidl.configureInterface(File);

function isBlob(value) {
  return webidl.isBranded(value, BlobPrototype);
}

function isFile(value) {
  return webidl.isBranded(value, FilePrototype);
}

/** A Blob over parts (Uint8Arrays nobody writes to again); parts are kept, not copied. */
function blobFromParts(parts, type) {
  let size = 0;
  for (let i = 0; i < parts.length; i++) size += TypedArrayPrototypeGetByteLength(parts[i]);
  return new Blob(CREATE, { parts, size, type: normalizeType(type) });
}

/** A File with the blob's bytes (shared), name, type and lastModified. */
function fileFromBlob(blob, name, type = stateOf(blob).type, lastModified = DateNow()) {
  const inner = stateOf(blob);
  return new File(CREATE, { parts: inner.parts, size: inner.size, type: normalizeType(type), name, lastModified });
}

internals.Blob = Blob;
internals.File = File;
internals.file = {
  BlobPrototype,
  FilePrototype,
  isBlob,
  isFile,
  blobFromParts,
  fileFromBlob,
  encodeUtf8,
  decodeUtf8,
  /** Parts of a blob (shared, never to be written) and its bytes for reading only. */
  partsOf: (blob) => stateOf(blob).parts,
  typeOf: (blob) => stateOf(blob).type,
  readOnlyBytes: (blob) => readOnlyBytes(stateOf(blob)),
};
