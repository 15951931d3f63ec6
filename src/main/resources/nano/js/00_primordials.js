// Copies of the built-ins the runtime relies on, taken before any app code runs. An app may
// patch Array.prototype.push or Promise.prototype.then in its own realm; the runtime keeps
// behaving as the specs say because it only calls these copies.
//
// Naming: statics as `ObjectFreeze`, `SymbolIterator`; prototype methods uncurried as
// `ArrayPrototypePush(array, x)`; prototype getters as `ArrayBufferPrototypeGetByteLength(buf)`.

const primordials = Object.create(null);
const ReflectApplyOriginal = Reflect.apply;
// A plain closure rather than `call.bind(fn)`: GraalJS copies a bound function's arguments on
// every call, and the closure inlines into its caller (measured on the hello benchmark).
const uncurryThis = (fn) => function uncurried(thisArg, ...args) {
  return ReflectApplyOriginal(fn, thisArg, args);
};

function keyName(key) {
  if (typeof key === "symbol") {
    const description = key.description;
    const name = description.startsWith("Symbol.") ? description.slice(7) : description;
    return `Symbol${name[0].toUpperCase()}${name.slice(1)}`;
  }
  return `${key[0].toUpperCase()}${key.slice(1)}`;
}

function copyStatics(name, source) {
  for (const key of Reflect.ownKeys(source)) {
    if (typeof key === "string" && (key === "prototype" || key === "length" || key === "name")) {
      continue;
    }
    const descriptor = Reflect.getOwnPropertyDescriptor(source, key);
    if ("value" in descriptor) {
      primordials[`${name}${keyName(key)}`] = descriptor.value;
    }
  }
}

function copyPrototype(name, prototype) {
  for (const key of Reflect.ownKeys(prototype)) {
    if (key === "constructor") {
      continue;
    }
    const descriptor = Reflect.getOwnPropertyDescriptor(prototype, key);
    if (typeof descriptor.value === "function") {
      primordials[`${name}Prototype${keyName(key)}`] = uncurryThis(descriptor.value);
    } else if (typeof descriptor.get === "function") {
      primordials[`${name}PrototypeGet${keyName(key)}`] = uncurryThis(descriptor.get);
    }
  }
}

const constructors = {
  Array, ArrayBuffer, BigInt, Boolean, DataView, Date, Error, EvalError, Function, Map, Number,
  Object, Promise, RangeError, ReferenceError, RegExp, Set, String, Symbol, SyntaxError, TypeError,
  URIError, Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array,
  Float64Array, BigInt64Array, BigUint64Array, Uint8ClampedArray, WeakMap, WeakSet, WeakRef,
  FinalizationRegistry, SharedArrayBuffer,
};
for (const name of Object.keys(constructors)) {
  const constructor = constructors[name];
  if (typeof constructor !== "function") continue;
  primordials[name] = constructor;
  primordials[`${name}Prototype`] = constructor.prototype;
  copyStatics(name, constructor);
  copyPrototype(name, constructor.prototype);
}
for (const [name, namespace] of [["JSON", JSON], ["Math", Math], ["Reflect", Reflect], ["Atomics", Atomics]]) {
  primordials[name] = namespace;
  copyStatics(name, namespace);
}

const TypedArray = Reflect.getPrototypeOf(Uint8Array);
primordials.TypedArray = TypedArray;
copyPrototype("TypedArray", TypedArray.prototype);
primordials.TypedArrayPrototypeGetSymbolToStringTag = uncurryThis(
  Reflect.getOwnPropertyDescriptor(TypedArray.prototype, Symbol.toStringTag).get);

const ArrayIteratorPrototype = Reflect.getPrototypeOf([][Symbol.iterator]());
primordials.ArrayIteratorPrototype = ArrayIteratorPrototype;
primordials.ArrayIteratorPrototypeNext = uncurryThis(ArrayIteratorPrototype.next);
primordials.IteratorPrototype = Reflect.getPrototypeOf(ArrayIteratorPrototype);
primordials.AsyncIteratorPrototype = Reflect.getPrototypeOf(
  Reflect.getPrototypeOf(async function* () {}).prototype);
primordials.uncurryThis = uncurryThis;
primordials.globalThis = globalThis;

// Promise helpers that never look up `then`, `Promise.resolve` or `Reflect.apply` on a
// possibly patched global or prototype: all three are taken here, before app code runs.
const PromiseOriginal = Promise;
const promiseResolve = Promise.resolve;
const promiseReject = Promise.reject;
const promiseThen = Promise.prototype.then;
primordials.PromiseResolve = (value) => ReflectApplyOriginal(promiseResolve, PromiseOriginal, [value]);
primordials.PromiseReject = (reason) => ReflectApplyOriginal(promiseReject, PromiseOriginal, [reason]);
primordials.PromisePrototypeThen = (promise, onFulfilled, onRejected) =>
  ReflectApplyOriginal(promiseThen, promise, [onFulfilled, onRejected]);

// RegExp.prototype.test, and String.prototype.replace with a RegExp, look up `exec` (and
// `flags`, Symbol.replace) on the regexp, so an app's patch of RegExp.prototype would run
// inside the runtime. The runtime calls the builtin exec itself instead, which reads only the
// regexp's own lastIndex.
const regExpExec = RegExp.prototype.exec;
const RegExpPrototypeExec = (regexp, string) => ReflectApplyOriginal(regExpExec, regexp, [string]);
primordials.RegExpPrototypeExec = RegExpPrototypeExec;
primordials.RegExpPrototypeTest = (regexp, string) => RegExpPrototypeExec(regexp, string) !== null;
const stringSlice = String.prototype.slice;
/**
 * `string` with every match of the global `regexp` replaced by `replacer(match)`, where match is
 * exec's array (match[0] the text, match[1] the first group, ...).
 */
primordials.RegExpReplaceAll = (string, regexp, replacer) => {
  regexp.lastIndex = 0;
  let result = "";
  let copied = 0;
  let match;
  while ((match = RegExpPrototypeExec(regexp, string)) !== null) {
    result += ReflectApplyOriginal(stringSlice, string, [copied, match.index]) + replacer(match);
    copied = match.index + match[0].length;
    if (match[0].length === 0) regexp.lastIndex++;
  }
  return result + ReflectApplyOriginal(stringSlice, string, [copied]);
};

// A Map and Set that keep working when an app patches Map.prototype / Set.prototype.
class SafeMap extends Map {}
for (const key of Reflect.ownKeys(Map.prototype)) {
  if (key !== "constructor") Reflect.defineProperty(SafeMap.prototype, key, Reflect.getOwnPropertyDescriptor(Map.prototype, key));
}
Object.freeze(SafeMap.prototype);
primordials.SafeMap = SafeMap;

// The same for WeakMap: webidl's object states live in one (01_webidl.js).
class SafeWeakMap extends WeakMap {}
for (const key of Reflect.ownKeys(WeakMap.prototype)) {
  if (key !== "constructor") {
    Reflect.defineProperty(SafeWeakMap.prototype, key, Reflect.getOwnPropertyDescriptor(WeakMap.prototype, key));
  }
}
Object.freeze(SafeWeakMap.prototype);
primordials.SafeWeakMap = SafeWeakMap;

internals.primordials = Object.freeze(primordials);
