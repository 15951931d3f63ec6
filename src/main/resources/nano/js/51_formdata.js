// FormData (https://xhr.spec.whatwg.org/#interface-formdata), and the two body formats it is
// read from and written to: multipart/form-data (RFC 7578; the parts are found in Java,
// binding.multipart) and application/x-www-form-urlencoded (the URL family's parser).
const {
  ArrayPrototypeFilter,
  ArrayPrototypePush,
  MathFloor,
  MathRandom,
  RegExpPrototypeExec,
  RegExpReplaceAll,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  StringPrototypeTrim,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeSubarray,
} = internals.primordials;
const { webidl, file: fileInternals } = internals;
const { stateOf, setState } = webidl;
const { isBlob, isFile, fileFromBlob, blobFromParts, encodeUtf8, decodeUtf8 } = fileInternals;

const prefixOf = (method) => `Failed to execute '${method}' on 'FormData'`;

/**
 * https://xhr.spec.whatwg.org/#create-an-entry: a Blob value becomes a File named "blob" (or
 * filename); a File keeps its own name unless filename is given.
 */
function createEntry(name, value, filename) {
  if (typeof value === "string") return [name, value];
  if (!isFile(value) || filename !== undefined) {
    const inner = stateOf(value);
    value = fileFromBlob(value, filename === undefined ? "blob" : filename, inner.type,
      isFile(value) ? inner.lastModified : undefined);
  }
  return [name, value];
}

/** The (name, value, filename) arguments of append and set, converted as their overloads say. */
function entryArguments(args, method) {
  const prefix = prefixOf(method);
  webidl.requiredArguments(args.length, 2, prefix);
  const name = webidl.converters.USVString(args[0], prefix, "Argument 1");
  if (isBlob(args[1])) {
    const filename = args.length > 2 && args[2] !== undefined ?
      webidl.converters.USVString(args[2], prefix, "Argument 3") : undefined;
    return createEntry(name, args[1], filename);
  }
  if (args.length > 2) {
    throw webidl.makeException(TypeError, "parameter 2 is not of type 'Blob'.", prefix);
  }
  return createEntry(name, webidl.converters.USVString(args[1], prefix, "Argument 2"), undefined);
}

class FormData {
  constructor(form = undefined, submitter = undefined) {
    // There is no HTMLFormElement here: only `new FormData()` is possible.
    if (form !== undefined) {
      throw webidl.makeException(TypeError, "parameter 1 is not of type 'HTMLFormElement'.",
        "Failed to construct 'FormData'");
    }
    setState(this, { list: [] });
  }

  append(name, value) {
    webidl.assertBranded(this, FormDataPrototype);
    ArrayPrototypePush(stateOf(this).list, entryArguments(arguments, "append"));
  }

  delete(name) {
    webidl.assertBranded(this, FormDataPrototype);
    const prefix = prefixOf("delete");
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = webidl.converters.USVString(name, prefix, "Argument 1");
    const inner = stateOf(this);
    inner.list = ArrayPrototypeFilter(inner.list, (entry) => entry[0] !== name);
  }

  get(name) {
    webidl.assertBranded(this, FormDataPrototype);
    const prefix = prefixOf("get");
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = webidl.converters.USVString(name, prefix, "Argument 1");
    const list = stateOf(this).list;
    for (let i = 0; i < list.length; i++) {
      if (list[i][0] === name) return list[i][1];
    }
    return null;
  }

  getAll(name) {
    webidl.assertBranded(this, FormDataPrototype);
    const prefix = prefixOf("getAll");
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = webidl.converters.USVString(name, prefix, "Argument 1");
    const list = stateOf(this).list;
    const values = [];
    for (let i = 0; i < list.length; i++) {
      if (list[i][0] === name) ArrayPrototypePush(values, list[i][1]);
    }
    return values;
  }

  has(name) {
    webidl.assertBranded(this, FormDataPrototype);
    const prefix = prefixOf("has");
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = webidl.converters.USVString(name, prefix, "Argument 1");
    const list = stateOf(this).list;
    for (let i = 0; i < list.length; i++) {
      if (list[i][0] === name) return true;
    }
    return false;
  }

  set(name, value) {
    webidl.assertBranded(this, FormDataPrototype);
    const entry = entryArguments(arguments, "set");
    internals.infra.setPair(stateOf(this).list, entry[0], entry[1]);
  }
}
const FormDataPrototype = FormData.prototype;
webidl.mixinPairIterable("FormData", FormDataPrototype, (formData) => stateOf(formData).list);
webidl.configureInterface(FormData);

// --- multipart/form-data ---------------------------------------------------------------------

/** A lone CR or LF, for https://html.spec.whatwg.org/#multipart/form-data-encoding-algorithm. */
const LONE_NEWLINE = /\r(?!\n)|(?<!\r)\n/g;
const toCrlf = (string) => RegExpReplaceAll(string, LONE_NEWLINE, () => "\r\n");
// Names and filenames: LF, CR and '"' percent-encoded, as browsers send them.
const HEADER_ESCAPES = /[\n\r"]/g;
const escapeHeader = (string) =>
  RegExpReplaceAll(string, HEADER_ESCAPES, (match) => (match[0] === "\n" ? "%0A" : match[0] === "\r" ? "%0D" : "%22"));

function randomBoundary() {
  let boundary = "----NanoFormBoundary";
  for (let i = 0; i < 24; i++) boundary += "0123456789abcdefghijklmnopqrstuvwxyz"[MathFloor(MathRandom() * 36)];
  return boundary;
}

/**
 * https://html.spec.whatwg.org/#multipart/form-data-encoding-algorithm over a FormData: returns
 * the body as a Blob (file contents shared, not copied) and its Content-Type.
 */
function serializeMultipart(formData) {
  const boundary = randomBoundary();
  const parts = [];
  const list = stateOf(formData).list;
  for (let i = 0; i < list.length; i++) {
    const [name, value] = list[i];
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeHeader(toCrlf(name))}"`;
    if (typeof value === "string") {
      ArrayPrototypePush(parts, encodeUtf8(`${head}\r\n\r\n${toCrlf(value)}\r\n`));
      continue;
    }
    const file = stateOf(value);
    head += `; filename="${escapeHeader(file.name)}"\r\nContent-Type: ${file.type || "application/octet-stream"}` +
      "\r\n\r\n";
    ArrayPrototypePush(parts, encodeUtf8(head));
    const fileParts = fileInternals.partsOf(value);
    for (let j = 0; j < fileParts.length; j++) ArrayPrototypePush(parts, fileParts[j]);
    ArrayPrototypePush(parts, encodeUtf8("\r\n"));
  }
  ArrayPrototypePush(parts, encodeUtf8(`--${boundary}--\r\n`));
  return { blob: blobFromParts(parts, ""), type: `multipart/form-data; boundary=${boundary}` };
}

// A parameter of a MIME type (https://mimesniff.spec.whatwg.org/#parse-a-mime-type), quoted or not.
const BOUNDARY_PARAMETER = /;\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/i;

const QUOTED_PAIR = /\\(.)/g;

/** The boundary parameter of a multipart/form-data Content-Type, or null. */
function boundaryOf(contentType) {
  const match = RegExpPrototypeExec(BOUNDARY_PARAMETER, contentType);
  if (match === null) return null;
  const value = match[1] !== undefined ? RegExpReplaceAll(match[1], QUOTED_PAIR, (pair) => pair[1]) : match[2];
  return value === "" ? null : value;
}

/**
 * Parses bytes (a Uint8Array the caller hands over: entries keep views on it) as
 * multipart/form-data with the boundary of contentType; throws a TypeError if it is not.
 */
function parseMultipart(bytes, contentType) {
  const boundary = boundaryOf(contentType);
  if (boundary === null) {
    throw new TypeError("Could not parse content as FormData: the multipart/form-data Content-Type has no boundary.");
  }
  const buffer = TypedArrayPrototypeGetBuffer(bytes);
  const base = TypedArrayPrototypeGetByteOffset(bytes);
  const parts = binding.multipart.parse(buffer, base, TypedArrayPrototypeGetByteLength(bytes), boundary);
  if (typeof parts === "string") throw new TypeError(`Could not parse content as FormData: ${parts}.`);
  const formData = new FormData();
  const list = stateOf(formData).list;
  for (let i = 0; i + 4 < parts.length; i += 5) {
    const name = parts[i];
    const filename = parts[i + 1];
    const type = parts[i + 2];
    const content = TypedArrayPrototypeSubarray(bytes, parts[i + 3], parts[i + 4]);
    if (filename === null) {
      ArrayPrototypePush(list, [name, decodeUtf8(content)]);
    } else {
      // RFC 7578 section 4.4: a part without Content-Type is text/plain.
      const file = fileFromBlob(blobFromParts(TypedArrayPrototypeGetByteLength(content) === 0 ? [] : [content], ""), filename,
        type === null ? "text/plain" : type);
      ArrayPrototypePush(list, [name, file]);
    }
  }
  return formData;
}

/** https://url.spec.whatwg.org/#concept-urlencoded-parser into a new FormData. */
function parseUrlencodedFormData(text) {
  const formData = new FormData();
  stateOf(formData).list = internals.url.parseUrlencoded(text);
  return formData;
}

/**
 * The body's FormData as the Body mixin's formData() reads it
 * (https://fetch.spec.whatwg.org/#dom-body-formdata): bytes is a Uint8Array of the body,
 * contentType its Content-Type header value or null.
 */
function formDataFromBody(bytes, contentType) {
  let essence = "";
  if (contentType !== null) {
    const semicolon = StringPrototypeIndexOf(contentType, ";");
    essence = StringPrototypeToLowerCase(StringPrototypeTrim(
      semicolon < 0 ? contentType : StringPrototypeSlice(contentType, 0, semicolon)));
  }
  if (essence === "multipart/form-data") return parseMultipart(bytes, contentType);
  if (essence === "application/x-www-form-urlencoded") return parseUrlencodedFormData(decodeUtf8(bytes));
  const got = contentType === null ? "missing" : `'${contentType}'`;
  throw new TypeError(`Could not parse content as FormData: the Content-Type is ${got}, ` +
    "not multipart/form-data or application/x-www-form-urlencoded.");
}

internals.FormData = FormData;
internals.formData = {
  FormDataPrototype,
  isFormData: (value) => webidl.isBranded(value, FormDataPrototype),
  serializeMultipart,
  formDataFromBody,
};
