// structuredClone (https://html.spec.whatwg.org/#safe-passing-of-structured-data): HTML's
// StructuredSerializeWithTransfer and StructuredDeserializeWithTransfer within one realm. A
// serialized record is a tree of plain objects that never leaves the Context; MessageChannel
// can use the same records through internals.structuredClone.
const {
  ArrayBuffer,
  ArrayBufferIsView,
  ArrayBufferPrototype,
  ArrayBufferPrototypeGetByteLength,
  ArrayBufferPrototypeGetDetached,
  ArrayBufferPrototypeGetMaxByteLength,
  ArrayBufferPrototypeGetResizable,
  ArrayBufferPrototypeSlice,
  ArrayBufferPrototypeTransfer,
  ArrayIsArray,
  ArrayPrototypePush,
  BigIntPrototype,
  BigIntPrototypeValueOf,
  BooleanPrototype,
  BooleanPrototypeValueOf,
  DataView,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  Date,
  DatePrototype,
  DatePrototypeGetTime,
  Error,
  ErrorPrototype,
  EvalError,
  FinalizationRegistryPrototype,
  MapPrototype,
  MapPrototypeForEach,
  MapPrototypeGetSize,
  MapPrototypeSet,
  Map,
  NumberPrototype,
  NumberPrototypeValueOf,
  Object,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  PromisePrototype,
  RangeError,
  ReferenceError,
  ReflectDefineProperty,
  RegExp,
  RegExpPrototype,
  RegExpPrototypeGetDotAll,
  RegExpPrototypeGetGlobal,
  RegExpPrototypeGetHasIndices,
  RegExpPrototypeGetIgnoreCase,
  RegExpPrototypeGetMultiline,
  RegExpPrototypeGetSource,
  RegExpPrototypeGetSticky,
  RegExpPrototypeGetUnicode,
  RegExpPrototypeGetUnicodeSets,
  SafeMap,
  SetPrototype,
  SetPrototypeAdd,
  SetPrototypeForEach,
  SetPrototypeGetSize,
  Set,
  SharedArrayBufferPrototype,
  String,
  StringPrototype,
  StringPrototypeValueOf,
  SymbolPrototype,
  SyntaxError,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet,
  URIError,
  WeakMapPrototype,
  WeakRefPrototype,
  WeakSetPrototype,
  globalThis: realm,
} = internals.primordials;
const { webidl, DOMException, domException } = internals;
const { stateOf, setState } = webidl;

function cloneError(message) {
  return new DOMException(message, "DataCloneError");
}

// The constructors a typed array record names; taken now, before app code can replace them.
const TYPED_ARRAYS = { __proto__: null };
for (const name of ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
  "Uint32Array", "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]) {
  if (typeof realm[name] === "function") TYPED_ARRAYS[name] = realm[name];
}

const ERROR_TYPES = { __proto__: null, Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };

/**
 * Which built-in an object probably is, from its prototype chain; the kind is then confirmed
 * with the built-in's own brand check (a getter or method that throws on other objects). This
 * keeps ordinary objects off the throwing checks: a throw per check per object would make a
 * large clone slow. A built-in whose prototype was set to something unrelated is cloned as an
 * ordinary object, and one whose prototype chain is a built-in's but has no internal slots
 * (Object.create(Map.prototype)) as well.
 */
const KIND_BY_PROTOTYPE = new SafeMap([
  [BooleanPrototype, "Boolean"], [NumberPrototype, "Number"], [StringPrototype, "String"],
  [BigIntPrototype, "BigInt"], [SymbolPrototype, "Symbol"], [DatePrototype, "Date"], [RegExpPrototype, "RegExp"],
  [ArrayBufferPrototype, "ArrayBuffer"], [MapPrototype, "Map"], [SetPrototype, "Set"], [ErrorPrototype, "Error"],
  [WeakMapPrototype, "uncloneable"], [WeakSetPrototype, "uncloneable"], [WeakRefPrototype, "uncloneable"],
  [FinalizationRegistryPrototype, "uncloneable"], [PromisePrototype, "uncloneable"],
]);
if (SharedArrayBufferPrototype !== undefined) KIND_BY_PROTOTYPE.set(SharedArrayBufferPrototype, "SharedArrayBuffer");

function kindOf(value) {
  let prototype = ObjectGetPrototypeOf(value);
  for (let depth = 0; prototype !== null && depth < 32; depth++) {
    const kind = KIND_BY_PROTOTYPE.get(prototype);
    if (kind !== undefined) return confirm(kind, value) ? kind : "Object";
    prototype = ObjectGetPrototypeOf(prototype);
  }
  return "Object";
}

function confirm(kind, value) {
  try {
    switch (kind) {
      case "Boolean": BooleanPrototypeValueOf(value); return true;
      case "Number": NumberPrototypeValueOf(value); return true;
      case "String": StringPrototypeValueOf(value); return true;
      case "BigInt": BigIntPrototypeValueOf(value); return true;
      case "Date": DatePrototypeGetTime(value); return true;
      case "RegExp": return RegExpPrototypeGetGlobal(value) !== undefined;
      case "ArrayBuffer": ArrayBufferPrototypeGetByteLength(value); return true;
      case "Map": MapPrototypeGetSize(value); return true;
      case "Set": SetPrototypeGetSize(value); return true;
      // No brand check exists for [[ErrorData]] (Error.isError is not in this engine) or the
      // others: their prototype chain decides.
      default: return true;
    }
  } catch {
    return false;
  }
}

/** Platform objects other families make serializable: { prototype, serialize, deserialize }. */
const serializables = [];

function regExpFlags(value) {
  let flags = "";
  if (RegExpPrototypeGetHasIndices(value)) flags += "d";
  if (RegExpPrototypeGetGlobal(value)) flags += "g";
  if (RegExpPrototypeGetIgnoreCase(value)) flags += "i";
  if (RegExpPrototypeGetMultiline(value)) flags += "m";
  if (RegExpPrototypeGetDotAll(value)) flags += "s";
  if (RegExpPrototypeGetUnicode(value)) flags += "u";
  if (RegExpPrototypeGetUnicodeSets?.(value)) flags += "v";
  if (RegExpPrototypeGetSticky(value)) flags += "y";
  return flags;
}

/** https://html.spec.whatwg.org/#structuredserializeinternal (forStorage false). */
function serializeInternal(value, memory) {
  const type = typeof value;
  if (value === null || type === "undefined" || type === "boolean" || type === "number" || type === "bigint" ||
      type === "string") {
    return { type: "primitive", value };
  }
  if (type === "symbol") throw cloneError("A symbol could not be cloned.");
  const remembered = memory.get(value);
  if (remembered !== undefined) return remembered;
  if (type === "function") throw cloneError(`${describeFunction(value)} could not be cloned.`);

  let serialized;
  if (ArrayIsArray(value)) {
    serialized = { type: "Array", length: value.length, properties: [] };
    memory.set(value, serialized);
    serializeProperties(value, serialized.properties, memory);
    return serialized;
  }
  if (ArrayBufferIsView(value)) return serializeView(value, memory);
  if (stateOf(value) !== undefined) return serializePlatformObject(value, memory);

  const kind = kindOf(value);
  switch (kind) {
    case "Boolean": serialized = { type: "Boolean", value: BooleanPrototypeValueOf(value) }; break;
    case "Number": serialized = { type: "Number", value: NumberPrototypeValueOf(value) }; break;
    case "String": serialized = { type: "String", value: StringPrototypeValueOf(value) }; break;
    case "BigInt": serialized = { type: "BigInt", value: BigIntPrototypeValueOf(value) }; break;
    case "Date": serialized = { type: "Date", value: DatePrototypeGetTime(value) }; break;
    // lastIndex is not part of a RegExp's serialization.
    case "RegExp":
      serialized = { type: "RegExp", source: RegExpPrototypeGetSource(value), flags: regExpFlags(value) };
      break;
    case "ArrayBuffer": serialized = serializeArrayBuffer(value); break;
    case "SharedArrayBuffer":
      // Sharing memory needs cross-origin isolation, which tenants of one process never have.
      throw cloneError("A SharedArrayBuffer could not be cloned.");
    case "Symbol":
    case "uncloneable":
      throw cloneError(`${describeObject(value)} could not be cloned.`);
    case "Map": {
      serialized = { type: "Map", entries: [] };
      memory.set(value, serialized);
      // The entries are listed first, then serialized (a getter may change the map meanwhile).
      const entries = [];
      MapPrototypeForEach(value, (v, k) => ArrayPrototypePush(entries, k, v));
      for (let i = 0; i < entries.length; i += 2) {
        ArrayPrototypePush(serialized.entries, serializeInternal(entries[i], memory),
          serializeInternal(entries[i + 1], memory));
      }
      return serialized;
    }
    case "Set": {
      serialized = { type: "Set", values: [] };
      memory.set(value, serialized);
      const values = [];
      SetPrototypeForEach(value, (v) => ArrayPrototypePush(values, v));
      for (let i = 0; i < values.length; i++) {
        ArrayPrototypePush(serialized.values, serializeInternal(values[i], memory));
      }
      return serialized;
    }
    case "Error": return serializeError(value, memory);
    default:
      serialized = { type: "Object", properties: [] };
      memory.set(value, serialized);
      serializeProperties(value, serialized.properties, memory);
      return serialized;
  }
  memory.set(value, serialized);
  return serialized;
}

/** Own enumerable string keys, each still present when its turn comes (getters may delete). */
function serializeProperties(value, properties, memory) {
  const keys = ObjectKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!ObjectPrototypeHasOwnProperty(value, key)) continue;
    ArrayPrototypePush(properties, key, serializeInternal(value[key], memory));
  }
}

function serializeArrayBuffer(value) {
  if (ArrayBufferPrototypeGetDetached(value)) throw cloneError("A detached ArrayBuffer could not be cloned.");
  const byteLength = ArrayBufferPrototypeGetByteLength(value);
  if (ArrayBufferPrototypeGetResizable(value)) {
    const maxByteLength = ArrayBufferPrototypeGetMaxByteLength(value);
    const copy = new ArrayBuffer(byteLength, { maxByteLength });
    TypedArrayPrototypeSet(new TYPED_ARRAYS.Uint8Array(copy), new TYPED_ARRAYS.Uint8Array(value));
    return { type: "ArrayBuffer", data: copy };
  }
  return { type: "ArrayBuffer", data: ArrayBufferPrototypeSlice(value, 0, byteLength) };
}

function serializeView(value, memory) {
  const name = TypedArrayPrototypeGetSymbolToStringTag(value);
  let serialized;
  if (name === undefined) {
    let buffer;
    let byteOffset;
    let byteLength;
    try {
      buffer = DataViewPrototypeGetBuffer(value);
      byteOffset = DataViewPrototypeGetByteOffset(value);
      byteLength = DataViewPrototypeGetByteLength(value);
    } catch {
      throw cloneError("A DataView out of its buffer's bounds could not be cloned.");
    }
    serialized = { type: "ArrayBufferView", constructor: "DataView", buffer: null, byteOffset, byteLength };
    memory.set(value, serialized);
    serialized.buffer = serializeInternal(buffer, memory);
  } else {
    const buffer = TypedArrayPrototypeGetBuffer(value);
    if (ArrayBufferPrototypeGetDetached(buffer)) {
      throw cloneError(`A ${name} on a detached buffer could not be cloned.`);
    }
    serialized = {
      type: "ArrayBufferView", constructor: name, buffer: null,
      byteOffset: TypedArrayPrototypeGetByteOffset(value), length: TypedArrayPrototypeGetLength(value),
    };
    memory.set(value, serialized);
    serialized.buffer = serializeInternal(buffer, memory);
  }
  return serialized;
}

/** https://html.spec.whatwg.org/#structuredserializeinternal, the [[ErrorData]] branch. */
function serializeError(value, memory) {
  let name = value.name;
  if (typeof name !== "string" || ERROR_TYPES[name] === undefined) name = "Error";
  const messageDescriptor = ObjectGetOwnPropertyDescriptor(value, "message");
  const message = messageDescriptor !== undefined && "value" in messageDescriptor
    ? String(messageDescriptor.value) : undefined;
  // Not in the spec's steps yet, but what browsers carry: the stack, and the cause when it is
  // an own data property.
  const stackDescriptor = ObjectGetOwnPropertyDescriptor(value, "stack");
  const stack = typeof stackDescriptor?.value === "string" ? stackDescriptor.value : undefined;
  const serialized = { type: "Error", name, message, stack, cause: undefined, hasCause: false };
  memory.set(value, serialized);
  const causeDescriptor = ObjectGetOwnPropertyDescriptor(value, "cause");
  if (causeDescriptor !== undefined && "value" in causeDescriptor) {
    serialized.hasCause = true;
    serialized.cause = serializeInternal(causeDescriptor.value, memory);
  }
  return serialized;
}

function serializePlatformObject(value, memory) {
  if (domException.isDOMException(value)) {
    const serialized = { type: "DOMException", data: domException.serialize(value) };
    memory.set(value, serialized);
    return serialized;
  }
  for (let i = 0; i < serializables.length; i++) {
    const entry = serializables[i];
    if (webidl.isBranded(value, entry.prototype)) {
      const serialized = { type: "Platform", entry, data: null };
      memory.set(value, serialized);
      serialized.data = entry.serialize(value, (inner) => serializeInternal(inner, memory));
      return serialized;
    }
  }
  throw cloneError(`${describeObject(value)} could not be cloned.`);
}

function describeFunction(value) {
  try {
    return value.name ? `function ${value.name}` : "A function";
  } catch {
    return "A function";
  }
}

function describeObject(value) {
  try {
    const name = ObjectGetPrototypeOf(value)?.constructor?.name;
    return typeof name === "string" && name !== "" ? `#<${name}>` : "An object";
  } catch {
    return "An object";
  }
}

/** https://html.spec.whatwg.org/#structureddeserialize */
function deserializeInternal(serialized, memory) {
  if (serialized.type === "primitive") return serialized.value;
  const remembered = memory.get(serialized);
  if (remembered !== undefined) return remembered;
  let value;
  switch (serialized.type) {
    case "Boolean": value = new Object(serialized.value); break;
    case "Number": value = new Object(serialized.value); break;
    case "String": value = new Object(serialized.value); break;
    case "BigInt": value = Object(serialized.value); break;
    case "Date": value = new Date(serialized.value); break;
    case "RegExp": value = new RegExp(serialized.source, serialized.flags); break;
    // The data was copied at serialization (or transferred), and a record is deserialized once.
    case "ArrayBuffer": value = serialized.data; break;
    case "ArrayBufferView": {
      const buffer = deserializeInternal(serialized.buffer, memory);
      value = serialized.constructor === "DataView"
        ? new DataView(buffer, serialized.byteOffset, serialized.byteLength)
        : new TYPED_ARRAYS[serialized.constructor](buffer, serialized.byteOffset, serialized.length);
      break;
    }
    case "Map": {
      value = new Map();
      memory.set(serialized, value);
      const entries = serialized.entries;
      for (let i = 0; i < entries.length; i += 2) {
        MapPrototypeSet(value, deserializeInternal(entries[i], memory), deserializeInternal(entries[i + 1], memory));
      }
      return value;
    }
    case "Set": {
      value = new Set();
      memory.set(serialized, value);
      const values = serialized.values;
      for (let i = 0; i < values.length; i++) SetPrototypeAdd(value, deserializeInternal(values[i], memory));
      return value;
    }
    case "Error": {
      value = new ERROR_TYPES[serialized.name]();
      memory.set(serialized, value);
      if (serialized.message !== undefined) defineHidden(value, "message", serialized.message);
      if (serialized.stack !== undefined) defineHidden(value, "stack", serialized.stack);
      if (serialized.hasCause) defineHidden(value, "cause", deserializeInternal(serialized.cause, memory));
      return value;
    }
    case "DOMException": value = domException.deserialize(serialized.data); break;
    // Received by deserializeWithTransfer before the walk; one that reaches here was not.
    case "Transferred": throw cloneError("A transferred object was not received.");
    case "Platform": {
      const entry = serialized.entry;
      value = entry.deserialize(serialized.data, (inner) => deserializeInternal(inner, memory));
      break;
    }
    case "Array": {
      value = [];
      value.length = serialized.length;
      memory.set(serialized, value);
      deserializeProperties(value, serialized.properties, memory);
      return value;
    }
    case "Object": {
      value = {};
      memory.set(serialized, value);
      deserializeProperties(value, serialized.properties, memory);
      return value;
    }
    default:
      throw cloneError(`Unknown serialized type ${serialized.type}.`);
  }
  memory.set(serialized, value);
  return value;
}

function defineHidden(object, key, value) {
  ReflectDefineProperty(object, key, { value, writable: true, enumerable: false, configurable: true });
}

// CreateDataProperty: a definition, so a setter an app put on Object.prototype (or a key named
// __proto__) does not fire.
function deserializeProperties(value, properties, memory) {
  for (let i = 0; i < properties.length; i += 2) {
    ReflectDefineProperty(value, properties[i], {
      value: deserializeInternal(properties[i + 1], memory), writable: true, enumerable: true, configurable: true,
    });
  }
}

/** Platform objects other families make transferable: { prototype, transfer, receive }. */
const transferables = [];

function transferableEntry(value) {
  for (let i = 0; i < transferables.length; i++) {
    if (webidl.isBranded(value, transferables[i].prototype)) return transferables[i];
  }
  return undefined;
}

/**
 * https://html.spec.whatwg.org/#structuredserializewithtransfer: ArrayBuffers in the transfer
 * list are moved (ArrayBuffer.prototype.transfer: the original is detached, the bytes are not
 * copied) instead of copied; a registered platform object (MessagePort) is handed to its
 * family's transfer steps. Returns the record and the transfer placeholders in list order.
 */
function serializeWithTransfer(value, transferList = []) {
  const memory = new SafeMap();
  const placeholders = [];
  for (let i = 0; i < transferList.length; i++) {
    const transferable = transferList[i];
    let isArrayBuffer = false;
    try {
      ArrayBufferPrototypeGetByteLength(transferable);
      isArrayBuffer = true;
    } catch {
      // Not an ArrayBuffer (a SharedArrayBuffer throws too): maybe a transferable platform object.
    }
    const entry = isArrayBuffer ? undefined : transferableEntry(transferable);
    if (!isArrayBuffer && entry === undefined) {
      throw cloneError("Value at index " + i + " of the transfer list is not transferable.");
    }
    if (memory.has(transferable)) throw cloneError("The transfer list names an object twice.");
    const placeholder = isArrayBuffer
      ? { type: "ArrayBuffer", data: null }
      : { type: "Transferred", entry, data: null };
    memory.set(transferable, placeholder);
    ArrayPrototypePush(placeholders, placeholder);
  }
  const serialized = serializeInternal(value, memory);
  for (let i = 0; i < transferList.length; i++) {
    const transferable = transferList[i];
    const entry = placeholders[i].entry;
    if (entry === undefined ? ArrayBufferPrototypeGetDetached(transferable) : entry.isDetached(transferable)) {
      throw cloneError("A detached object could not be transferred.");
    }
  }
  for (let i = 0; i < transferList.length; i++) {
    const placeholder = placeholders[i];
    placeholder.data = placeholder.entry === undefined
      ? ArrayBufferPrototypeTransfer(transferList[i])
      : placeholder.entry.transfer(transferList[i]);
  }
  return { serialized, placeholders };
}

function serialize(value, transferList = []) {
  return serializeWithTransfer(value, transferList).serialized;
}

function deserialize(serialized) {
  return deserializeInternal(serialized, new SafeMap());
}

/**
 * https://html.spec.whatwg.org/#structureddeserializewithtransfer: the transferred objects are
 * received first, in transfer-list order, and returned beside the value (MessageEvent's ports).
 */
function deserializeWithTransfer({ serialized, placeholders }) {
  const memory = new SafeMap();
  const transferred = [];
  for (let i = 0; i < placeholders.length; i++) {
    const placeholder = placeholders[i];
    const received = placeholder.entry === undefined ? placeholder.data : placeholder.entry.receive(placeholder.data);
    memory.set(placeholder, received);
    ArrayPrototypePush(transferred, received);
  }
  return { value: deserializeInternal(serialized, memory), transferred };
}

const StructuredSerializeOptions = webidl.createDictionaryConverter("StructuredSerializeOptions", [
  { key: "transfer", converter: webidl.createSequenceConverter(webidl.converters.object), defaultValue: [] },
]);

/** https://html.spec.whatwg.org/#dom-structuredclone */
function structuredClone(value, options = undefined) {
  const prefix = "Failed to execute 'structuredClone'";
  webidl.requiredArguments(arguments.length, 1, prefix);
  const { transfer } = StructuredSerializeOptions(options, prefix, "Argument 2");
  return deserializeWithTransfer(serializeWithTransfer(value, transfer)).value;
}

/**
 * For other families: serialize(value, transferList?) -> record and deserialize(record) -> a
 * fresh value (each record once); serializeWithTransfer / deserializeWithTransfer keep the
 * transferred objects apart (MessageEvent.ports); register({ prototype, serialize(value, serializeInner),
 * deserialize(data, deserializeInner) }) makes a platform interface (Blob, File...) cloneable.
 */
internals.structuredClone = {
  serialize,
  deserialize,
  clone: (value) => deserialize(serialize(value)),
  register(entry) {
    ArrayPrototypePush(serializables, entry);
  },
  serializeWithTransfer,
  deserializeWithTransfer,
  /**
   * registerTransferable({ prototype, isDetached(value), transfer(value) -> data,
   * receive(data) -> value }) makes a platform interface transferable (MessagePort).
   */
  registerTransferable(entry) {
    ArrayPrototypePush(transferables, entry);
  },
  structuredClone,
};
internals.globalFunctions = { ...internals.globalFunctions, structuredClone };
