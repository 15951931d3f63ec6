// The Encoding Standard (https://encoding.spec.whatwg.org/): TextEncoder, TextDecoder with every
// encoding of the standard, and the hooks other families decode with.
//
// The decoders themselves are Java (binding.encoding, EncodingOps/StreamDecoder/Decoder): the
// standard's handlers over indexes taken from the JDK's charsets and corrected to the
// standard's index tables (see EncodingIndexes). This file resolves labels, converts
// arguments, and keeps the WebIDL shape.
//
// internals.encoding, for TextEncoderStream/TextDecoderStream, fetch and friends:
//   getEncoding(label)          -> the encoding's name ("UTF-8", "Shift_JIS", "replacement"...)
//                                  or null (https://encoding.spec.whatwg.org/#concept-encoding-get)
//   createDecoder(name, fatal, ignoreBOM)
//                               -> { encoding, decode(bytes, stream) }: a streaming decoder as
//                                  TextDecoder's; `encoding` is the lower-cased name, `bytes` an
//                                  ArrayBuffer, SharedArrayBuffer or view (or undefined), and
//                                  decode throws TypeError on malformed input when `fatal`
//   decode(bytes, fallbackName) -> https://encoding.spec.whatwg.org/#decode (BOM sniffing)
//   utf8Decode(bytes)           -> https://encoding.spec.whatwg.org/#utf-8-decode
//   utf8Encode(string)          -> a Uint8Array of the UTF-8 bytes (lone surrogates as U+FFFD)
//   TextEncoder, TextDecoder
const {
  ArrayBuffer,
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  ObjectFreeze,
  RangeError,
  RegExpReplaceAll,
  SafeMap,
  SharedArrayBufferPrototypeGetByteLength,
  StringPrototypeToLowerCase,
  StringPrototypeToWellFormed,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet,
  Uint8Array,
} = internals.primordials;
const { webidl } = internals;
const { stateOf, setState } = webidl;
const ops = binding.encoding;

// https://encoding.spec.whatwg.org/#names-and-labels (encodings.json of the standard).
const ENCODINGS = [
  // The Encoding
  ["UTF-8", ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"]],
  // Legacy single-byte encodings
  ["IBM866", ["866", "cp866", "csibm866", "ibm866"]],
  ["ISO-8859-2", ["csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2",
    "iso_8859-2:1987", "l2", "latin2"]],
  ["ISO-8859-3", ["csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3",
    "iso_8859-3:1988", "l3", "latin3"]],
  ["ISO-8859-4", ["csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4",
    "iso_8859-4:1988", "l4", "latin4"]],
  ["ISO-8859-5", ["csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595",
    "iso_8859-5", "iso_8859-5:1988"]],
  ["ISO-8859-6", ["arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114",
    "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596", "iso_8859-6",
    "iso_8859-6:1987"]],
  ["ISO-8859-7", ["csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126",
    "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek"]],
  ["ISO-8859-8", ["csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138",
    "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual"]],
  ["ISO-8859-8-I", ["csiso88598i", "iso-8859-8-i", "logical"]],
  ["ISO-8859-10", ["csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6"]],
  ["ISO-8859-13", ["iso-8859-13", "iso8859-13", "iso885913"]],
  ["ISO-8859-14", ["iso-8859-14", "iso8859-14", "iso885914"]],
  ["ISO-8859-15", ["csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"]],
  ["ISO-8859-16", ["iso-8859-16"]],
  ["KOI8-R", ["cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"]],
  ["KOI8-U", ["koi8-ru", "koi8-u"]],
  ["macintosh", ["csmacintosh", "mac", "macintosh", "x-mac-roman"]],
  ["windows-874", ["dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"]],
  ["windows-1250", ["cp1250", "windows-1250", "x-cp1250"]],
  ["windows-1251", ["cp1251", "windows-1251", "x-cp1251"]],
  ["windows-1252", ["ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
    "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii",
    "windows-1252", "x-cp1252"]],
  ["windows-1253", ["cp1253", "windows-1253", "x-cp1253"]],
  ["windows-1254", ["cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599",
    "iso_8859-9", "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"]],
  ["windows-1255", ["cp1255", "windows-1255", "x-cp1255"]],
  ["windows-1256", ["cp1256", "windows-1256", "x-cp1256"]],
  ["windows-1257", ["cp1257", "windows-1257", "x-cp1257"]],
  ["windows-1258", ["cp1258", "windows-1258", "x-cp1258"]],
  ["x-mac-cyrillic", ["x-mac-cyrillic", "x-mac-ukrainian"]],
  // Legacy multi-byte Chinese (simplified) encodings
  ["GBK", ["chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58",
    "x-gbk"]],
  ["gb18030", ["gb18030"]],
  // Legacy multi-byte Chinese (traditional) encodings
  ["Big5", ["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"]],
  // Legacy multi-byte Japanese encodings
  ["EUC-JP", ["cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"]],
  ["ISO-2022-JP", ["csiso2022jp", "iso-2022-jp"]],
  ["Shift_JIS", ["csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j",
    "x-sjis"]],
  // Legacy multi-byte Korean encodings
  ["EUC-KR", ["cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
    "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"]],
  // Legacy miscellaneous encodings
  ["replacement", ["csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext", "iso-2022-kr",
    "replacement"]],
  ["UTF-16BE", ["unicodefffe", "utf-16be"]],
  ["UTF-16LE", ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"]],
  ["x-user-defined", ["x-user-defined"]],
];
const LABELS = new SafeMap();
for (const [name, labels] of ENCODINGS) {
  for (const label of labels) LABELS.set(label, name);
}

// https://infra.spec.whatwg.org/#ascii-whitespace at either end.
const ASCII_WHITESPACE_EDGES = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;
const ASCII_UPPER = /[A-Z]+/g;

/** https://encoding.spec.whatwg.org/#concept-encoding-get: a name, or null for failure. */
function getEncoding(label) {
  let name = LABELS.get(label);
  if (name !== undefined) return name;
  // ASCII lower case only: toLowerCase would also fold e.g. U+212A KELVIN SIGN into "k".
  const trimmed = RegExpReplaceAll(RegExpReplaceAll(label, ASCII_WHITESPACE_EDGES, () => ""), ASCII_UPPER,
    (match) => StringPrototypeToLowerCase(match[0]));
  name = LABELS.get(trimmed);
  return name === undefined ? null : name;
}

/**
 * The ArrayBuffer or SharedArrayBuffer and the byte range of an AllowSharedBufferSource, or
 * undefined when the value is none. A detached buffer reads as empty.
 */
function bufferRange(V) {
  if (ArrayBufferIsView(V)) {
    if (TypedArrayPrototypeGetSymbolToStringTag(V) !== undefined) {
      return [TypedArrayPrototypeGetBuffer(V), TypedArrayPrototypeGetByteOffset(V), TypedArrayPrototypeGetByteLength(V)];
    }
    return [DataViewPrototypeGetBuffer(V), DataViewPrototypeGetByteOffset(V), DataViewPrototypeGetByteLength(V)];
  }
  if (typeof V !== "object" || V === null) return undefined;
  try {
    return [V, 0, ArrayBufferPrototypeGetByteLength(V)];
  } catch {
    // Not an ArrayBuffer: maybe a SharedArrayBuffer.
  }
  try {
    return [V, 0, SharedArrayBufferPrototypeGetByteLength(V)];
  } catch {
    return undefined;
  }
}

function bufferSourceRange(V, prefix, context) {
  const range = bufferRange(V);
  if (range === undefined) {
    throw webidl.makeException(TypeError, "is not an ArrayBuffer, a SharedArrayBuffer or a view on one.",
      prefix, context);
  }
  return range;
}

const textDecoderOptions = webidl.createDictionaryConverter("TextDecoderOptions", [
  { key: "fatal", converter: webidl.converters.boolean, defaultValue: false },
  { key: "ignoreBOM", converter: webidl.converters.boolean, defaultValue: false },
]);
const textDecodeOptions = webidl.createDictionaryConverter("TextDecodeOptions", [
  { key: "stream", converter: webidl.converters.boolean, defaultValue: false },
]);

function utf8Encode(input) {
  const wrapped = new ArrayBuffer(ops.encodeUtf8(StringPrototypeToWellFormed(input)));
  const length = ArrayBufferPrototypeGetByteLength(wrapped);
  const bytes = new Uint8Array(length);
  if (length > 0) TypedArrayPrototypeSet(bytes, new Uint8Array(wrapped));
  return bytes;
}

/** https://encoding.spec.whatwg.org/#interface-textencoder */
class TextEncoder {
  constructor() {
    setState(this, null);
  }

  get encoding() {
    webidl.assertBranded(this, TextEncoderPrototype);
    return "utf-8";
  }

  encode(input = "") {
    webidl.assertBranded(this, TextEncoderPrototype);
    return utf8Encode(webidl.converters.USVString(input, "Failed to execute 'encode' on 'TextEncoder'",
      "Argument 1"));
  }

  encodeInto(source, destination) {
    webidl.assertBranded(this, TextEncoderPrototype);
    const prefix = "Failed to execute 'encodeInto' on 'TextEncoder'";
    webidl.requiredArguments(arguments.length, 2, prefix);
    source = webidl.converters.USVString(source, prefix, "Argument 1");
    if (!ArrayBufferIsView(destination) || TypedArrayPrototypeGetSymbolToStringTag(destination) !== "Uint8Array") {
      throw webidl.makeException(TypeError, "is not of type 'Uint8Array'.", prefix, "Argument 2");
    }
    const capacity = TypedArrayPrototypeGetByteLength(destination);
    const wrapped = new ArrayBuffer(ops.encodeUtf8Into(source, capacity));
    const written = ArrayBufferPrototypeGetByteLength(wrapped);
    if (written > 0) TypedArrayPrototypeSet(destination, new Uint8Array(wrapped));
    return { read: ops.lastRead(), written };
  }
}
const TextEncoderPrototype = TextEncoder.prototype;
webidl.configureInterface(TextEncoder);

/**
 * Decodes a bufferRange (or undefined: no input) with binding's StreamDecoder; throws the
 * standard's TypeError where a fatal decoder met malformed input.
 */
function decodeWith(decoder, range, stream, prefix) {
  const result = range === undefined ? decoder.decode(null, 0, 0, stream)
    : decoder.decode(range[0], range[1], range[2], stream);
  if (result === null) {
    throw new TypeError(`${prefix ? `${prefix}: ` : ""}The encoded data was not valid.`);
  }
  return result;
}

/** https://encoding.spec.whatwg.org/#interface-textdecoder */
class TextDecoder {
  #name;
  #fatal;
  #ignoreBOM;
  #decoder;

  constructor(label = "utf-8", options = undefined) {
    const prefix = "Failed to construct 'TextDecoder'";
    label = webidl.converters.DOMString(label, prefix, "Argument 1");
    options = textDecoderOptions(options, prefix, "Argument 2");
    const name = getEncoding(label);
    // Step 2: the replacement encoding is reachable only through decode(), not by label here.
    if (name === null || name === "replacement") {
      throw new RangeError(`${prefix}: The encoding label provided ('${label}') is invalid.`);
    }
    this.#name = name;
    this.#fatal = options.fatal;
    this.#ignoreBOM = options.ignoreBOM;
    this.#decoder = ops.createDecoder(name, options.fatal, options.ignoreBOM);
    setState(this, null);
  }

  get encoding() {
    webidl.assertBranded(this, TextDecoderPrototype);
    return StringPrototypeToLowerCase(this.#name);
  }

  get fatal() {
    webidl.assertBranded(this, TextDecoderPrototype);
    return this.#fatal;
  }

  get ignoreBOM() {
    webidl.assertBranded(this, TextDecoderPrototype);
    return this.#ignoreBOM;
  }

  decode(input = undefined, options = undefined) {
    webidl.assertBranded(this, TextDecoderPrototype);
    const prefix = "Failed to execute 'decode' on 'TextDecoder'";
    const range = input === undefined ? undefined : bufferSourceRange(input, prefix, "Argument 1");
    const { stream } = textDecodeOptions(options, prefix, "Argument 2");
    return decodeWith(this.#decoder, range, stream, prefix);
  }
}
const TextDecoderPrototype = TextDecoder.prototype;
webidl.configureInterface(TextDecoder);

function createDecoder(name, fatal, ignoreBOM) {
  const decoder = ops.createDecoder(name, !!fatal, !!ignoreBOM);
  return ObjectFreeze({
    encoding: StringPrototypeToLowerCase(name),
    decode: (bytes, stream) =>
      decodeWith(decoder, bytes === undefined ? undefined : bufferSourceRange(bytes, "", ""), !!stream, ""),
  });
}

/** https://encoding.spec.whatwg.org/#decode: a BOM overrides the fallback encoding. */
function decode(bytes, fallbackName) {
  const range = bufferSourceRange(bytes, "", "");
  const buffer = range[0];
  const offset = range[1];
  const length = range[2];
  const head = new Uint8Array(buffer, offset, length < 3 ? length : 3);
  let name = fallbackName;
  let skip = 0;
  if (length >= 3 && head[0] === 0xEF && head[1] === 0xBB && head[2] === 0xBF) {
    name = "UTF-8";
    skip = 3;
  } else if (length >= 2 && head[0] === 0xFE && head[1] === 0xFF) {
    name = "UTF-16BE";
    skip = 2;
  } else if (length >= 2 && head[0] === 0xFF && head[1] === 0xFE) {
    name = "UTF-16LE";
    skip = 2;
  }
  return ops.createDecoder(name, false, true).decode(buffer, offset + skip, length - skip, false);
}

function utf8Decode(bytes) {
  const range = bufferSourceRange(bytes, "", "");
  return ops.decodeUtf8(range[0], range[1], range[2]);
}

internals.encoding = ObjectFreeze({
  TextEncoder, TextDecoder, getEncoding, createDecoder, decode, utf8Decode, utf8Encode,
});
internals.TextEncoder = TextEncoder;
internals.TextDecoder = TextDecoder;
