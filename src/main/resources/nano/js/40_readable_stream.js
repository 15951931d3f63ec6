// Streams Standard (https://streams.spec.whatwg.org/), part 1: what every stream shares (promise
// helpers, queues with sizes, queuing strategies) and ReadableStream with its readers,
// controllers, tee, async iteration, ReadableStream.from and pipeTo.
// 41_writable_stream.js and 42_transform_stream.js add theirs to `internals.streams`.
//
// Every interface keeps its internal slots in a plain record at `stateOf(this)`, named as the
// standard names them (`stream.state`, `reader.readRequests`); the abstract operations below take
// and return those records, so they read step by step like the standard. A record's `object`
// is the interface object app code sees. Promises the standard keeps in slots are "deferreds":
// { promise, resolve, reject, state }, because some steps ask whether a promise is still pending.
//
// Deliberate departures: structured cloning in tee (cloneForBranch2) is not offered (nothing in
// the platform here asks for it); transferring buffers uses ArrayBuffer.prototype.transfer.
const {
  ArrayBuffer,
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  ArrayPrototypePush,
  DataView,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  MathMin,
  NumberIsNaN,
  NumberIsInteger,
  ObjectCreate,
  ObjectDefineProperty,
  ObjectGetPrototypeOf,
  ObjectPrototypeIsPrototypeOf,
  ObjectSetPrototypeOf,
  Promise,
  PromisePrototypeThen,
  PromiseReject,
  PromiseResolve,
  RangeError,
  ReflectApply,
  SymbolAsyncIterator,
  SymbolIterator,
  SymbolToStringTag,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet,
  Uint8Array,
  AsyncIteratorPrototype,
} = internals.primordials;
const ArrayBufferPrototypeTransfer = internals.primordials.ArrayBufferPrototypeTransfer;
const ArrayBufferPrototypeGetDetached = internals.primordials.ArrayBufferPrototypeGetDetached;
const ArrayBufferPrototypeGetResizable = internals.primordials.ArrayBufferPrototypeGetResizable;
const { webidl } = internals;
const { stateOf, setState } = webidl;

// --- Promises (https://webidl.spec.whatwg.org/#es-promise-manipulation) ----------------------

const noop = () => {};

function newDeferred() {
  const deferred = { promise: undefined, resolve: undefined, reject: undefined, state: "pending" };
  deferred.promise = new Promise((resolve, reject) => {
    deferred.resolve = (value) => {
      if (deferred.state !== "pending") return;
      deferred.state = "fulfilled";
      resolve(value);
    };
    deferred.reject = (reason) => {
      if (deferred.state !== "pending") return;
      deferred.state = "rejected";
      reject(reason);
    };
  });
  return deferred;
}

function resolvedDeferred(value) {
  const deferred = newDeferred();
  deferred.resolve(value);
  return deferred;
}

function rejectedDeferred(reason) {
  const deferred = newDeferred();
  deferred.reject(reason);
  return deferred;
}

/** https://webidl.spec.whatwg.org/#mark-a-promise-as-handled */
function markHandled(promise) {
  PromisePrototypeThen(promise, undefined, noop);
}

/**
 * https://webidl.spec.whatwg.org/#dfn-perform-steps-once-promise-is-settled. A missing rejection
 * step still handles the rejection: the standard's reactions never leave a derived promise
 * rejected where an app would see an unhandled rejection it did not cause.
 */
function uponPromise(promise, onFulfilled, onRejected = noop) {
  return PromisePrototypeThen(promise, onFulfilled, onRejected);
}

/** https://webidl.spec.whatwg.org/#dfn-perform-steps-once-promise-is-settled (transforming). */
function transformPromise(promise, onFulfilled, onRejected) {
  return PromisePrototypeThen(promise, onFulfilled, onRejected);
}

/** https://html.spec.whatwg.org/#queue-a-microtask, without the global that apps can replace. */
function queueMicrotask(callback) {
  PromisePrototypeThen(PromiseResolve(undefined), callback);
}

/** Settles when all settle, rejects with the first rejection (https://webidl.spec.whatwg.org/#wait-for-all). */
function waitForAll(promises) {
  return new Promise((resolve, reject) => {
    let remaining = promises.length;
    if (remaining === 0) {
      resolve(undefined);
      return;
    }
    for (let i = 0; i < promises.length; i++) {
      PromisePrototypeThen(promises[i], () => {
        if (--remaining === 0) resolve(undefined);
      }, reject);
    }
  });
}

// --- Buffers (https://streams.spec.whatwg.org/#misc-abstract-ops) -----------------------------

function isDetachedBuffer(buffer) {
  if (ArrayBufferPrototypeGetDetached !== undefined) return ArrayBufferPrototypeGetDetached(buffer);
  // Engines before ES2024: a detached buffer reads as empty and cannot be viewed.
  if (ArrayBufferPrototypeGetByteLength(buffer) !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** https://streams.spec.whatwg.org/#transfer-array-buffer */
function transferArrayBuffer(buffer) {
  if (isDetachedBuffer(buffer)) throw new TypeError("The ArrayBuffer is detached.");
  return ArrayBufferPrototypeTransfer(buffer);
}

/** https://streams.spec.whatwg.org/#can-transfer-array-buffer */
function canTransferArrayBuffer(buffer) {
  return !isDetachedBuffer(buffer);
}

/** CloneArrayBuffer(src, offset, length, %ArrayBuffer%) without ArrayBuffer[Symbol.species]. */
function cloneArrayBuffer(buffer, byteOffset, byteLength) {
  const clone = new ArrayBuffer(byteLength);
  TypedArrayPrototypeSet(new Uint8Array(clone), new Uint8Array(buffer, byteOffset, byteLength));
  return clone;
}

/** https://tc39.es/ecma262/#sec-copydatablockbytes on ArrayBuffers. */
function copyDataBlockBytes(toBuffer, toIndex, fromBuffer, fromIndex, count) {
  TypedArrayPrototypeSet(new Uint8Array(toBuffer, toIndex, count), new Uint8Array(fromBuffer, fromIndex, count));
}

const TYPED_ARRAYS = ObjectCreate(null);
for (const name of ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
  "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "Float16Array"]) {
  const constructor = internals.primordials[name] ?? internals.primordials.globalThis[name];
  if (typeof constructor === "function") {
    TYPED_ARRAYS[name] = { constructor, elementSize: constructor.BYTES_PER_ELEMENT };
  }
}

/**
 * The slots of an ArrayBufferView read through the original getters:
 * { buffer, byteOffset, byteLength, length, typed: {constructor, elementSize} | undefined }.
 */
function viewInfo(view) {
  const name = TypedArrayPrototypeGetSymbolToStringTag(view);
  if (name !== undefined) {
    return {
      buffer: TypedArrayPrototypeGetBuffer(view),
      byteOffset: TypedArrayPrototypeGetByteOffset(view),
      byteLength: TypedArrayPrototypeGetByteLength(view),
      length: TypedArrayPrototypeGetLength(view),
      typed: TYPED_ARRAYS[name],
    };
  }
  return {
    buffer: DataViewPrototypeGetBuffer(view),
    byteOffset: DataViewPrototypeGetByteOffset(view),
    byteLength: DataViewPrototypeGetByteLength(view),
    length: undefined,
    typed: undefined,
  };
}

/** https://streams.spec.whatwg.org/#abstract-opdef-cloneasuint8array */
function cloneAsUint8Array(view) {
  const { buffer, byteOffset, byteLength } = viewInfo(view);
  return new Uint8Array(cloneArrayBuffer(buffer, byteOffset, byteLength));
}

// --- Queues ----------------------------------------------------------------------------------

/** A FIFO list with O(1) amortized shift: a growing array read from a moving head. */
class Queue {
  // Declared fields are defined, not set: no Object.prototype setter sees the queue.
  items = [];
  head = 0;

  get size() {
    return this.items.length - this.head;
  }

  push(value) {
    ArrayPrototypePush(this.items, value);
  }

  shift() {
    const value = this.items[this.head];
    this.items[this.head++] = undefined;
    // Drop the consumed prefix once it is most of the array, so memory stays bounded.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      const rest = [];
      for (let i = this.head; i < this.items.length; i++) ArrayPrototypePush(rest, this.items[i]);
      this.items = rest;
      this.head = 0;
    } else if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    }
    return value;
  }

  peek() {
    return this.items[this.head];
  }

  at(index) {
    return this.items[this.head + index];
  }
}

/** https://streams.spec.whatwg.org/#is-non-negative-number */
function isNonNegativeNumber(v) {
  return typeof v === "number" && !NumberIsNaN(v) && v >= 0;
}

// https://streams.spec.whatwg.org/#queue-with-sizes on a container with `queue` and `queueTotalSize`.
function dequeueValue(container) {
  const pair = container.queue.shift();
  container.queueTotalSize -= pair.size;
  // Rounding errors can leave the total slightly negative.
  if (container.queueTotalSize < 0) container.queueTotalSize = 0;
  return pair.value;
}

function enqueueValueWithSize(container, value, size) {
  if (!isNonNegativeNumber(size)) throw new RangeError("The chunk size must be a non-negative number.");
  if (size === Infinity) throw new RangeError("The chunk size must be finite.");
  container.queue.push({ value, size });
  container.queueTotalSize += size;
}

function peekQueueValue(container) {
  return container.queue.peek().value;
}

function resetQueue(container) {
  container.queue = new Queue();
  container.queueTotalSize = 0;
}

// --- WebIDL conversions shared by the stream constructors ------------------------------------

const converters = webidl.converters;

function callbackConverter(V, prefix, context) {
  if (typeof V !== "function") throw webidl.makeException(TypeError, "is not a function.", prefix, context);
  return V;
}
/** https://webidl.spec.whatwg.org/#es-unrestricted-double */
const unrestrictedDouble = (V) => +V;

converters.QueuingStrategy = webidl.createDictionaryConverter("QueuingStrategy", [
  { key: "highWaterMark", converter: unrestrictedDouble },
  { key: "size", converter: callbackConverter },
]);
converters.QueuingStrategyInit = webidl.createDictionaryConverter("QueuingStrategyInit", [
  { key: "highWaterMark", converter: unrestrictedDouble, required: true },
]);
converters.UnderlyingSource = webidl.createDictionaryConverter("UnderlyingSource", [
  { key: "start", converter: callbackConverter },
  { key: "pull", converter: callbackConverter },
  { key: "cancel", converter: callbackConverter },
  { key: "type", converter: webidl.createEnumConverter("ReadableStreamType", ["bytes"]) },
  {
    key: "autoAllocateChunkSize",
    converter: (V, prefix, context) => converters["unsigned long long"](V, prefix, context, { enforceRange: true }),
  },
]);
converters.ReadableStreamGetReaderOptions = webidl.createDictionaryConverter("ReadableStreamGetReaderOptions", [
  { key: "mode", converter: webidl.createEnumConverter("ReadableStreamReaderMode", ["byob"]) },
]);
converters.ReadableStreamIteratorOptions = webidl.createDictionaryConverter("ReadableStreamIteratorOptions", [
  { key: "preventCancel", converter: converters.boolean, defaultValue: false },
]);
converters.ReadableStreamBYOBReaderReadOptions = webidl.createDictionaryConverter(
  "ReadableStreamBYOBReaderReadOptions", [
    {
      key: "min",
      converter: (V, prefix, context) => converters["unsigned long long"](V, prefix, context, { enforceRange: true }),
      defaultValue: 1,
    },
  ]);
/** ArrayBufferView without [AllowShared] or [AllowResizable]: https://webidl.spec.whatwg.org/#ArrayBufferView */
function arrayBufferView(V, prefix, context) {
  if (!ArrayBufferIsView(V)) throw webidl.makeException(TypeError, "is not an ArrayBufferView.", prefix, context);
  const buffer = viewInfo(V).buffer;
  if (!isArrayBuffer(buffer)) {
    throw webidl.makeException(TypeError, "is a view on a SharedArrayBuffer.", prefix, context);
  }
  if (ArrayBufferPrototypeGetResizable !== undefined && ArrayBufferPrototypeGetResizable(buffer)) {
    throw webidl.makeException(TypeError, "is a view on a resizable ArrayBuffer.", prefix, context);
  }
  return V;
}

/** Whether the value is an ArrayBuffer (not a SharedArrayBuffer), read through the original getter. */
function isArrayBuffer(value) {
  try {
    ArrayBufferPrototypeGetByteLength(value);
    return true;
  } catch {
    return false;
  }
}

/** https://streams.spec.whatwg.org/#validate-and-normalize-high-water-mark */
function extractHighWaterMark(strategy, defaultHWM) {
  if (strategy.highWaterMark === undefined) return defaultHWM;
  const highWaterMark = strategy.highWaterMark;
  if (NumberIsNaN(highWaterMark) || highWaterMark < 0) {
    throw new RangeError("The highWaterMark must be a non-negative number.");
  }
  return highWaterMark;
}

const sizeOne = () => 1;

/** https://streams.spec.whatwg.org/#make-size-algorithm-from-size-function */
function extractSizeAlgorithm(strategy) {
  const size = strategy.size;
  if (size === undefined) return sizeOne;
  return (chunk) => +ReflectApply(size, undefined, [chunk]);
}

/**
 * https://webidl.spec.whatwg.org/#a-promise-resolved-with: always a new promise, so a promise
 * given takes the two extra microtasks of adopting it, as the standard's order of events assumes
 * (PromiseResolve would hand the same promise back).
 */
function promiseResolvedWith(value) {
  return new Promise((resolve) => resolve(value));
}

/**
 * "Invoke" a callback whose IDL return type is Promise<undefined>: the result converts to a new
 * promise, a throw becomes a rejection.
 */
function invokePromiseCallback(callback, thisArg, args) {
  return new Promise((resolve) => resolve(ReflectApply(callback, thisArg, args)));
}

const resolvedUndefined = () => PromiseResolve(undefined);

/** Runs a promise-returning operation's conversions: a throw becomes a rejected promise. */
function promiseCall(fn) {
  try {
    return fn();
  } catch (error) {
    return PromiseReject(error);
  }
}

/** Defines a static operation with WebIDL's attributes (writable, enumerable, configurable). */
function defineStatic(constructor, name, value) {
  ObjectDefineProperty(constructor, name, { value, writable: true, enumerable: true, configurable: true });
}

// --- Queuing strategies (https://streams.spec.whatwg.org/#qs) ---------------------------------

// One size function per global, as the standard asks (method shorthand: named, not a constructor).
const byteLengthSize = { size(chunk) { return chunk.byteLength; } }.size;
const countSize = { size() { return 1; } }.size;

class ByteLengthQueuingStrategy {
  constructor(init) {
    const prefix = "Failed to construct 'ByteLengthQueuingStrategy'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    init = converters.QueuingStrategyInit(init, prefix, "Argument 1");
    setState(this, { highWaterMark: init.highWaterMark });
  }

  get highWaterMark() {
    webidl.assertBranded(this, ByteLengthQueuingStrategy.prototype);
    return stateOf(this).highWaterMark;
  }

  get size() {
    webidl.assertBranded(this, ByteLengthQueuingStrategy.prototype);
    return byteLengthSize;
  }
}
webidl.configureInterface(ByteLengthQueuingStrategy);

class CountQueuingStrategy {
  constructor(init) {
    const prefix = "Failed to construct 'CountQueuingStrategy'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    init = converters.QueuingStrategyInit(init, prefix, "Argument 1");
    setState(this, { highWaterMark: init.highWaterMark });
  }

  get highWaterMark() {
    webidl.assertBranded(this, CountQueuingStrategy.prototype);
    return stateOf(this).highWaterMark;
  }

  get size() {
    webidl.assertBranded(this, CountQueuingStrategy.prototype);
    return countSize;
  }
}
webidl.configureInterface(CountQueuingStrategy);

// --- AbortSignal hook -------------------------------------------------------------------------
// pipeTo and WritableStreamDefaultController.signal use AbortSignal through 11_abort.js's
// internal operations, never through members an app could patch.
const abortInternals = internals.abort;
const abortHooks = {
  isAbortSignal: abortInternals.isSignal,
  aborted: abortInternals.isAborted,
  reason: abortInternals.reasonOf,
  add: abortInternals.addAlgorithm,
  remove: abortInternals.removeAlgorithm,
  newController() {
    const signal = abortInternals.createSignal();
    return { signal, abort: (reason) => abortInternals.signalAbort(signal, reason) };
  },
};

// --- ReadableStream (https://streams.spec.whatwg.org/#rs-class) -------------------------------

const streams = ObjectCreate(null);
internals.streams = streams;
/** The standard's abstract operations on records, for the other stream files (not app objects). */
const ops = ObjectCreate(null);
streams.ops = ops;

class ReadableStream {
  constructor(underlyingSource = undefined, strategy = undefined) {
    const prefix = "Failed to construct 'ReadableStream'";
    if (underlyingSource !== undefined) underlyingSource = converters.object(underlyingSource, prefix, "Argument 1");
    strategy = converters.QueuingStrategy(strategy, prefix, "Argument 2");
    if (underlyingSource === undefined) underlyingSource = null;
    const underlyingSourceDict = converters.UnderlyingSource(underlyingSource, prefix, "Argument 1");
    const stream = newReadableStreamRecord(this);
    if (underlyingSourceDict.type === "bytes") {
      if (strategy.size !== undefined) throw new RangeError(`${prefix}: a byte stream's strategy has no size.`);
      const highWaterMark = extractHighWaterMark(strategy, 0);
      setUpReadableByteStreamControllerFromUnderlyingSource(stream, underlyingSource, underlyingSourceDict,
        highWaterMark);
    } else {
      const sizeAlgorithm = extractSizeAlgorithm(strategy);
      const highWaterMark = extractHighWaterMark(strategy, 1);
      setUpReadableStreamDefaultControllerFromUnderlyingSource(stream, underlyingSource, underlyingSourceDict,
        highWaterMark, sizeAlgorithm);
    }
  }

  static from(asyncIterable) {
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'from' on 'ReadableStream'");
    return readableStreamFromIterable(asyncIterable).object;
  }

  get locked() {
    webidl.assertBranded(this, ReadableStreamPrototype);
    return isReadableStreamLocked(stateOf(this));
  }

  cancel(reason = undefined) {
    return promiseCall(() => {
      webidl.assertBranded(this, ReadableStreamPrototype);
      const stream = stateOf(this);
      if (isReadableStreamLocked(stream)) return PromiseReject(new TypeError("The stream is locked."));
      return readableStreamCancel(stream, reason);
    });
  }

  getReader(options = undefined) {
    webidl.assertBranded(this, ReadableStreamPrototype);
    options = converters.ReadableStreamGetReaderOptions(options, "Failed to execute 'getReader' on 'ReadableStream'",
      "Argument 1");
    const stream = stateOf(this);
    if (options.mode === undefined) return acquireReadableStreamDefaultReader(stream).object;
    return acquireReadableStreamBYOBReader(stream).object;
  }

  pipeThrough(transform, options = undefined) {
    webidl.assertBranded(this, ReadableStreamPrototype);
    const prefix = "Failed to execute 'pipeThrough' on 'ReadableStream'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    transform = converters.ReadableWritablePair(transform, prefix, "Argument 1");
    options = converters.StreamPipeOptions(options, prefix, "Argument 2");
    const stream = stateOf(this);
    if (isReadableStreamLocked(stream)) throw new TypeError(`${prefix}: the stream is locked.`);
    const writable = stateOf(transform.writable);
    if (ops.isWritableStreamLocked(writable)) throw new TypeError(`${prefix}: the writable side is locked.`);
    const promise = readableStreamPipeTo(stream, writable, options.preventClose, options.preventAbort,
      options.preventCancel, options.signal);
    markHandled(promise);
    return transform.readable;
  }

  pipeTo(destination, options = undefined) {
    return promiseCall(() => {
      webidl.assertBranded(this, ReadableStreamPrototype);
      const prefix = "Failed to execute 'pipeTo' on 'ReadableStream'";
      webidl.requiredArguments(arguments.length, 1, prefix);
      destination = converters.WritableStream(destination, prefix, "Argument 1");
      options = converters.StreamPipeOptions(options, prefix, "Argument 2");
      const stream = stateOf(this);
      if (isReadableStreamLocked(stream)) return PromiseReject(new TypeError(`${prefix}: the stream is locked.`));
      const dest = stateOf(destination);
      if (ops.isWritableStreamLocked(dest)) {
        return PromiseReject(new TypeError(`${prefix}: the destination is locked.`));
      }
      return readableStreamPipeTo(stream, dest, options.preventClose, options.preventAbort, options.preventCancel,
        options.signal);
    });
  }

  tee() {
    webidl.assertBranded(this, ReadableStreamPrototype);
    const [branch1, branch2] = readableStreamTee(stateOf(this), false);
    return [branch1.object, branch2.object];
  }

  values(options = undefined) {
    webidl.assertBranded(this, ReadableStreamPrototype);
    options = converters.ReadableStreamIteratorOptions(options, "Failed to execute 'values' on 'ReadableStream'",
      "Argument 1");
    const reader = acquireReadableStreamDefaultReader(stateOf(this));
    const iterator = ObjectCreate(ReadableStreamAsyncIteratorPrototype);
    setState(iterator, { reader, preventCancel: options.preventCancel, ongoingPromise: null, isFinished: false });
    return iterator;
  }
}
const ReadableStreamPrototype = ReadableStream.prototype;
webidl.configureInterface(ReadableStream);
defineStatic(ReadableStream, "from", ReadableStream.from);
ObjectDefineProperty(ReadableStreamPrototype, SymbolAsyncIterator, {
  value: ReadableStreamPrototype.values, writable: true, enumerable: false, configurable: true,
});

converters.ReadableStream = (V, prefix, context) => {
  if (!webidl.isBranded(V, ReadableStreamPrototype)) {
    throw webidl.makeException(TypeError, "is not of type 'ReadableStream'.", prefix, context);
  }
  return V;
};
converters.WritableStream = (V, prefix, context) => {
  if (!streams.isWritableStream(V)) {
    throw webidl.makeException(TypeError, "is not of type 'WritableStream'.", prefix, context);
  }
  return V;
};
// Local, so it never replaces the converter 11_abort.js may define; it asks that file's hook.
const abortSignalConverter = (V, prefix, context) => {
  if (!abortHooks.isAbortSignal(V)) {
    throw webidl.makeException(TypeError, "is not of type 'AbortSignal'.", prefix, context);
  }
  return V;
};
converters.ReadableWritablePair = webidl.createDictionaryConverter("ReadableWritablePair", [
  { key: "readable", converter: converters.ReadableStream, required: true },
  { key: "writable", converter: converters.WritableStream, required: true },
]);
converters.StreamPipeOptions = webidl.createDictionaryConverter("StreamPipeOptions", [
  { key: "preventAbort", converter: converters.boolean, defaultValue: false },
  { key: "preventCancel", converter: converters.boolean, defaultValue: false },
  { key: "preventClose", converter: converters.boolean, defaultValue: false },
  { key: "signal", converter: abortSignalConverter },
]);

// https://webidl.spec.whatwg.org/#es-asynchronous-iterator-prototype-object
const END_OF_ITERATION = { endOfIteration: true };
const ReadableStreamAsyncIteratorPrototype = ObjectCreate(AsyncIteratorPrototype);

function asyncIteratorState(self, method) {
  if (typeof self !== "object" || self === null || stateOf(self) === undefined ||
      ObjectGetPrototypeOf(self) !== ReadableStreamAsyncIteratorPrototype) {
    throw new TypeError(`${method}() called on an object that is not a ReadableStream async iterator.`);
  }
  return stateOf(self);
}

const asyncIteratorMethods = {
  next() {
    let iterator;
    try {
      iterator = asyncIteratorState(this, "next");
    } catch (error) {
      return PromiseReject(error);
    }
    const nextSteps = () => {
      if (iterator.isFinished) return PromiseResolve({ value: undefined, done: true });
      const nextPromise = readableStreamAsyncIteratorGetNext(iterator);
      return transformPromise(nextPromise, (next) => {
        iterator.ongoingPromise = null;
        if (next === END_OF_ITERATION) {
          iterator.isFinished = true;
          return { value: undefined, done: true };
        }
        return { value: next, done: false };
      }, (reason) => {
        iterator.ongoingPromise = null;
        iterator.isFinished = true;
        throw reason;
      });
    };
    iterator.ongoingPromise = iterator.ongoingPromise !== null
      ? transformPromise(iterator.ongoingPromise, nextSteps, nextSteps)
      : nextSteps();
    return iterator.ongoingPromise;
  },

  return(value) {
    let iterator;
    try {
      iterator = asyncIteratorState(this, "return");
    } catch (error) {
      return PromiseReject(error);
    }
    const returnSteps = () => {
      if (iterator.isFinished) return PromiseResolve({ value, done: true });
      iterator.isFinished = true;
      return readableStreamAsyncIteratorReturn(iterator, value);
    };
    iterator.ongoingPromise = iterator.ongoingPromise !== null
      ? transformPromise(iterator.ongoingPromise, returnSteps, returnSteps)
      : returnSteps();
    return transformPromise(iterator.ongoingPromise, () => ({ value, done: true }));
  },
};
for (const name of ["next", "return"]) {
  ObjectDefineProperty(ReadableStreamAsyncIteratorPrototype, name, {
    value: asyncIteratorMethods[name], writable: true, enumerable: true, configurable: true,
  });
}
ObjectDefineProperty(ReadableStreamAsyncIteratorPrototype, SymbolToStringTag, {
  value: "ReadableStream AsyncIterator", configurable: true,
});

/** https://streams.spec.whatwg.org/#ref-for-dfn-get-the-next-iteration-result */
function readableStreamAsyncIteratorGetNext(iterator) {
  const reader = iterator.reader;
  const deferred = newDeferred();
  readableStreamDefaultReaderRead(reader, {
    chunkSteps: (chunk) => deferred.resolve(chunk),
    closeSteps: () => {
      readableStreamDefaultReaderRelease(reader);
      deferred.resolve(END_OF_ITERATION);
    },
    errorSteps: (e) => {
      readableStreamDefaultReaderRelease(reader);
      deferred.reject(e);
    },
  });
  return deferred.promise;
}

/** https://streams.spec.whatwg.org/#ref-for-asynchronous-iterator-return */
function readableStreamAsyncIteratorReturn(iterator, arg) {
  const reader = iterator.reader;
  if (!iterator.preventCancel) {
    const result = readableStreamReaderGenericCancel(reader, arg);
    readableStreamDefaultReaderRelease(reader);
    return result;
  }
  readableStreamDefaultReaderRelease(reader);
  return PromiseResolve(undefined);
}

// --- Readers ----------------------------------------------------------------------------------

class ReadableStreamDefaultReader {
  constructor(stream) {
    const prefix = "Failed to construct 'ReadableStreamDefaultReader'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    stream = converters.ReadableStream(stream, prefix, "Argument 1");
    const reader = newReaderRecord(this, "default");
    setUpReadableStreamDefaultReader(reader, stateOf(stream));
  }

  get closed() {
    if (!webidl.isBranded(this, ReadableStreamDefaultReaderPrototype)) {
      return PromiseReject(new TypeError("Illegal invocation"));
    }
    return stateOf(this).closedPromise.promise;
  }

  cancel(reason = undefined) {
    return promiseCall(() => {
      webidl.assertBranded(this, ReadableStreamDefaultReaderPrototype);
      const reader = stateOf(this);
      if (reader.stream === undefined) return PromiseReject(new TypeError("The reader has been released."));
      return readableStreamReaderGenericCancel(reader, reason);
    });
  }

  read() {
    return promiseCall(() => {
      webidl.assertBranded(this, ReadableStreamDefaultReaderPrototype);
      const reader = stateOf(this);
      if (reader.stream === undefined) return PromiseReject(new TypeError("The reader has been released."));
      const deferred = newDeferred();
      readableStreamDefaultReaderRead(reader, {
        chunkSteps: (chunk) => deferred.resolve({ value: chunk, done: false }),
        closeSteps: () => deferred.resolve({ value: undefined, done: true }),
        errorSteps: (e) => deferred.reject(e),
      });
      return deferred.promise;
    });
  }

  releaseLock() {
    webidl.assertBranded(this, ReadableStreamDefaultReaderPrototype);
    const reader = stateOf(this);
    if (reader.stream === undefined) return;
    readableStreamDefaultReaderRelease(reader);
  }
}
const ReadableStreamDefaultReaderPrototype = ReadableStreamDefaultReader.prototype;
webidl.configureInterface(ReadableStreamDefaultReader);

class ReadableStreamBYOBReader {
  constructor(stream) {
    const prefix = "Failed to construct 'ReadableStreamBYOBReader'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    stream = converters.ReadableStream(stream, prefix, "Argument 1");
    const reader = newReaderRecord(this, "byob");
    setUpReadableStreamBYOBReader(reader, stateOf(stream));
  }

  get closed() {
    if (!webidl.isBranded(this, ReadableStreamBYOBReaderPrototype)) {
      return PromiseReject(new TypeError("Illegal invocation"));
    }
    return stateOf(this).closedPromise.promise;
  }

  cancel(reason = undefined) {
    return promiseCall(() => {
      webidl.assertBranded(this, ReadableStreamBYOBReaderPrototype);
      const reader = stateOf(this);
      if (reader.stream === undefined) return PromiseReject(new TypeError("The reader has been released."));
      return readableStreamReaderGenericCancel(reader, reason);
    });
  }

  read(view, options = undefined) {
    return promiseCall(() => {
      webidl.assertBranded(this, ReadableStreamBYOBReaderPrototype);
      const prefix = "Failed to execute 'read' on 'ReadableStreamBYOBReader'";
      webidl.requiredArguments(arguments.length, 1, prefix);
      view = arrayBufferView(view, prefix, "Argument 1");
      options = converters.ReadableStreamBYOBReaderReadOptions(options, prefix, "Argument 2");
      const info = viewInfo(view);
      if (info.byteLength === 0) return PromiseReject(new TypeError(`${prefix}: the view is empty.`));
      if (ArrayBufferPrototypeGetByteLength(info.buffer) === 0) {
        return PromiseReject(new TypeError(`${prefix}: the view's buffer is empty.`));
      }
      if (isDetachedBuffer(info.buffer)) {
        return PromiseReject(new TypeError(`${prefix}: the view's buffer is detached.`));
      }
      if (options.min === 0) return PromiseReject(new TypeError(`${prefix}: options.min must be positive.`));
      if (info.typed !== undefined) {
        if (options.min > info.length) return PromiseReject(new RangeError(`${prefix}: options.min is past the view.`));
      } else if (options.min > info.byteLength) {
        return PromiseReject(new RangeError(`${prefix}: options.min is past the view.`));
      }
      const reader = stateOf(this);
      if (reader.stream === undefined) return PromiseReject(new TypeError("The reader has been released."));
      const deferred = newDeferred();
      readableStreamBYOBReaderRead(reader, view, options.min, {
        chunkSteps: (chunk) => deferred.resolve({ value: chunk, done: false }),
        closeSteps: (chunk) => deferred.resolve({ value: chunk, done: true }),
        errorSteps: (e) => deferred.reject(e),
      });
      return deferred.promise;
    });
  }

  releaseLock() {
    webidl.assertBranded(this, ReadableStreamBYOBReaderPrototype);
    const reader = stateOf(this);
    if (reader.stream === undefined) return;
    readableStreamBYOBReaderRelease(reader);
  }
}
const ReadableStreamBYOBReaderPrototype = ReadableStreamBYOBReader.prototype;
webidl.configureInterface(ReadableStreamBYOBReader);

// --- Controllers ------------------------------------------------------------------------------

class ReadableStreamDefaultController {
  constructor() {
    webidl.illegalConstructor();
  }

  get desiredSize() {
    webidl.assertBranded(this, ReadableStreamDefaultControllerPrototype);
    return readableStreamDefaultControllerGetDesiredSize(stateOf(this));
  }

  close() {
    webidl.assertBranded(this, ReadableStreamDefaultControllerPrototype);
    const controller = stateOf(this);
    if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) {
      throw new TypeError("The stream is not in a state that permits close.");
    }
    readableStreamDefaultControllerClose(controller);
  }

  enqueue(chunk = undefined) {
    webidl.assertBranded(this, ReadableStreamDefaultControllerPrototype);
    const controller = stateOf(this);
    if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) {
      throw new TypeError("The stream is not in a state that permits enqueue.");
    }
    readableStreamDefaultControllerEnqueue(controller, chunk);
  }

  error(e = undefined) {
    webidl.assertBranded(this, ReadableStreamDefaultControllerPrototype);
    readableStreamDefaultControllerError(stateOf(this), e);
  }
}
const ReadableStreamDefaultControllerPrototype = ReadableStreamDefaultController.prototype;
webidl.configureInterface(ReadableStreamDefaultController);

class ReadableByteStreamController {
  constructor() {
    webidl.illegalConstructor();
  }

  get byobRequest() {
    webidl.assertBranded(this, ReadableByteStreamControllerPrototype);
    return readableByteStreamControllerGetBYOBRequest(stateOf(this));
  }

  get desiredSize() {
    webidl.assertBranded(this, ReadableByteStreamControllerPrototype);
    return readableByteStreamControllerGetDesiredSize(stateOf(this));
  }

  close() {
    webidl.assertBranded(this, ReadableByteStreamControllerPrototype);
    const controller = stateOf(this);
    if (controller.closeRequested) throw new TypeError("The stream is already closing.");
    if (controller.stream.state !== "readable") throw new TypeError("The stream is not readable.");
    readableByteStreamControllerClose(controller);
  }

  enqueue(chunk) {
    webidl.assertBranded(this, ReadableByteStreamControllerPrototype);
    const prefix = "Failed to execute 'enqueue' on 'ReadableByteStreamController'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    chunk = arrayBufferView(chunk, prefix, "Argument 1");
    const info = viewInfo(chunk);
    if (info.byteLength === 0) throw new TypeError(`${prefix}: the chunk is empty.`);
    if (ArrayBufferPrototypeGetByteLength(info.buffer) === 0) {
      throw new TypeError(`${prefix}: the chunk's buffer is empty.`);
    }
    const controller = stateOf(this);
    if (controller.closeRequested) throw new TypeError(`${prefix}: the stream is closing.`);
    if (controller.stream.state !== "readable") throw new TypeError(`${prefix}: the stream is not readable.`);
    readableByteStreamControllerEnqueue(controller, chunk);
  }

  error(e = undefined) {
    webidl.assertBranded(this, ReadableByteStreamControllerPrototype);
    readableByteStreamControllerError(stateOf(this), e);
  }
}
const ReadableByteStreamControllerPrototype = ReadableByteStreamController.prototype;
webidl.configureInterface(ReadableByteStreamController);

class ReadableStreamBYOBRequest {
  constructor() {
    webidl.illegalConstructor();
  }

  get view() {
    webidl.assertBranded(this, ReadableStreamBYOBRequestPrototype);
    return stateOf(this).view;
  }

  respond(bytesWritten) {
    webidl.assertBranded(this, ReadableStreamBYOBRequestPrototype);
    const prefix = "Failed to execute 'respond' on 'ReadableStreamBYOBRequest'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    bytesWritten = converters["unsigned long long"](bytesWritten, prefix, "Argument 1", { enforceRange: true });
    const request = stateOf(this);
    if (request.controller === undefined) throw new TypeError(`${prefix}: the request was already answered.`);
    if (isDetachedBuffer(viewInfo(request.view).buffer)) {
      throw new TypeError(`${prefix}: the view's buffer is detached.`);
    }
    readableByteStreamControllerRespond(request.controller, bytesWritten);
  }

  respondWithNewView(view) {
    webidl.assertBranded(this, ReadableStreamBYOBRequestPrototype);
    const prefix = "Failed to execute 'respondWithNewView' on 'ReadableStreamBYOBRequest'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    view = arrayBufferView(view, prefix, "Argument 1");
    const request = stateOf(this);
    if (request.controller === undefined) throw new TypeError(`${prefix}: the request was already answered.`);
    if (isDetachedBuffer(viewInfo(view).buffer)) throw new TypeError(`${prefix}: the view's buffer is detached.`);
    readableByteStreamControllerRespondWithNewView(request.controller, view);
  }
}
const ReadableStreamBYOBRequestPrototype = ReadableStreamBYOBRequest.prototype;
webidl.configureInterface(ReadableStreamBYOBRequest);

// --- Records ----------------------------------------------------------------------------------

function newReadableStreamRecord(object = ObjectCreate(ReadableStreamPrototype)) {
  const stream = {
    object, state: "readable", reader: undefined, storedError: undefined, disturbed: false, controller: undefined,
  };
  setState(object, stream);
  return stream;
}

function newReaderRecord(object, kind) {
  const reader = {
    object, kind, stream: undefined, closedPromise: undefined, readRequests: undefined, readIntoRequests: undefined,
  };
  setState(object, reader);
  return reader;
}

function newDefaultControllerRecord() {
  const object = ObjectCreate(ReadableStreamDefaultControllerPrototype);
  const controller = {
    object, kind: "default", stream: undefined, queue: undefined, queueTotalSize: 0, started: false,
    closeRequested: false, pullAgain: false, pulling: false, strategySizeAlgorithm: undefined, strategyHWM: 0,
    pullAlgorithm: undefined, cancelAlgorithm: undefined,
  };
  setState(object, controller);
  return controller;
}

function newByteControllerRecord() {
  const object = ObjectCreate(ReadableByteStreamControllerPrototype);
  const controller = {
    object, kind: "byte", stream: undefined, queue: undefined, queueTotalSize: 0, started: false,
    closeRequested: false, pullAgain: false, pulling: false, strategyHWM: 0, pullAlgorithm: undefined,
    cancelAlgorithm: undefined, autoAllocateChunkSize: undefined, byobRequest: null, pendingPullIntos: undefined,
  };
  setState(object, controller);
  return controller;
}

// --- ReadableStream abstract operations (https://streams.spec.whatwg.org/#rs-abstract-ops) ----

function acquireReadableStreamBYOBReader(stream) {
  const reader = newReaderRecord(ObjectCreate(ReadableStreamBYOBReaderPrototype), "byob");
  setUpReadableStreamBYOBReader(reader, stream);
  return reader;
}

function acquireReadableStreamDefaultReader(stream) {
  const reader = newReaderRecord(ObjectCreate(ReadableStreamDefaultReaderPrototype), "default");
  setUpReadableStreamDefaultReader(reader, stream);
  return reader;
}

function createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, highWaterMark = 1,
  sizeAlgorithm = sizeOne) {
  const stream = newReadableStreamRecord();
  const controller = newDefaultControllerRecord();
  setUpReadableStreamDefaultController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
    highWaterMark, sizeAlgorithm);
  return stream;
}

function createReadableByteStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, highWaterMark = 0) {
  const stream = newReadableStreamRecord();
  const controller = newByteControllerRecord();
  setUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
    highWaterMark, undefined);
  return stream;
}

function isReadableStreamLocked(stream) {
  return stream.reader !== undefined;
}

/** https://tc39.es/ecma262/#sec-getiterator with kind async, and CreateAsyncFromSyncIterator. */
function getAsyncIterator(obj) {
  const method = obj === null || obj === undefined ? undefined : obj[SymbolAsyncIterator];
  if (method === undefined || method === null) {
    const syncMethod = obj === null || obj === undefined ? undefined : obj[SymbolIterator];
    if (syncMethod === undefined || syncMethod === null) throw new TypeError("The value is not iterable.");
    return createAsyncFromSyncIterator(getIteratorFromMethod(obj, syncMethod));
  }
  return getIteratorFromMethod(obj, method);
}

function getIteratorFromMethod(obj, method) {
  if (typeof method !== "function") throw new TypeError("The iterator method is not callable.");
  const iterator = ReflectApply(method, obj, []);
  if (typeof iterator !== "object" && typeof iterator !== "function" || iterator === null) {
    throw new TypeError("The iterator is not an object.");
  }
  return { iterator, nextMethod: iterator.next, done: false };
}

/** https://tc39.es/ecma262/#sec-createasyncfromsynciterator */
function createAsyncFromSyncIterator(syncRecord) {
  const isObject = (v) => (typeof v === "object" || typeof v === "function") && v !== null;
  const closeSync = () => {
    try {
      const returnMethod = syncRecord.iterator.return;
      if (returnMethod !== undefined && returnMethod !== null) ReflectApply(returnMethod, syncRecord.iterator, []);
    } catch {
      // IteratorClose with a throw completion keeps the original error.
    }
  };
  // https://tc39.es/ecma262/#sec-asyncfromsynciteratorcontinuation
  const continuation = (result, closeOnRejection) => {
    const done = !!result.done;
    let valueWrapper;
    try {
      valueWrapper = PromiseResolve(result.value);
    } catch (error) {
      if (!done && closeOnRejection) closeSync();
      return PromiseReject(error);
    }
    return PromisePrototypeThen(valueWrapper, (value) => ({ value, done }), (error) => {
      if (!done && closeOnRejection) closeSync();
      throw error;
    });
  };
  const iterator = {
    next(value) {
      try {
        const result = ReflectApply(syncRecord.nextMethod, syncRecord.iterator, arguments.length > 0 ? [value] : []);
        if (!isObject(result)) throw new TypeError("The iterator result is not an object.");
        return continuation(result, true);
      } catch (error) {
        return PromiseReject(error);
      }
    },
    return(value) {
      try {
        const returnMethod = syncRecord.iterator.return;
        if (returnMethod === undefined || returnMethod === null) return PromiseResolve({ value, done: true });
        const result = ReflectApply(returnMethod, syncRecord.iterator, arguments.length > 0 ? [value] : []);
        if (!isObject(result)) throw new TypeError("The iterator result is not an object.");
        return continuation(result, false);
      } catch (error) {
        return PromiseReject(error);
      }
    },
  };
  return { iterator, nextMethod: iterator.next, done: false };
}

/** https://streams.spec.whatwg.org/#readable-stream-from-iterable */
function readableStreamFromIterable(asyncIterable) {
  let stream;
  const iteratorRecord = getAsyncIterator(asyncIterable);
  const startAlgorithm = () => undefined;
  const pullAlgorithm = () => {
    let nextResult;
    try {
      nextResult = ReflectApply(iteratorRecord.nextMethod, iteratorRecord.iterator, []);
    } catch (error) {
      return PromiseReject(error);
    }
    const nextPromise = promiseResolvedWith(nextResult);
    return transformPromise(nextPromise, (iterResult) => {
      if (typeof iterResult !== "object" && typeof iterResult !== "function" || iterResult === null) {
        throw new TypeError("The iterator's next() did not return an object.");
      }
      if (iterResult.done) {
        readableStreamDefaultControllerClose(stream.controller);
      } else {
        readableStreamDefaultControllerEnqueue(stream.controller, iterResult.value);
      }
    });
  };
  const cancelAlgorithm = (reason) => {
    const iterator = iteratorRecord.iterator;
    let returnMethod;
    try {
      returnMethod = iterator.return;
    } catch (error) {
      return PromiseReject(error);
    }
    if (returnMethod === undefined || returnMethod === null) return PromiseResolve(undefined);
    let returnResult;
    try {
      if (typeof returnMethod !== "function") throw new TypeError("The iterator's return is not callable.");
      returnResult = ReflectApply(returnMethod, iterator, [reason]);
    } catch (error) {
      return PromiseReject(error);
    }
    return transformPromise(promiseResolvedWith(returnResult), (iterResult) => {
      if (typeof iterResult !== "object" && typeof iterResult !== "function" || iterResult === null) {
        throw new TypeError("The iterator's return() did not return an object.");
      }
      return undefined;
    });
  };
  stream = createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, 0);
  return stream;
}

/** https://streams.spec.whatwg.org/#readable-stream-pipe-to */
function readableStreamPipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
  const reader = acquireReadableStreamDefaultReader(source);
  const writer = ops.acquireWritableStreamDefaultWriter(dest);
  source.disturbed = true;
  let shuttingDown = false;
  const deferred = newDeferred();
  // The promise of the last write started; shutdown waits for it (step 14's "pending writes").
  let currentWrite = PromiseResolve(undefined);
  let abortAlgorithm;

  const finalize = (isError, error) => {
    ops.writableStreamDefaultWriterRelease(writer);
    readableStreamDefaultReaderRelease(reader);
    if (signal !== undefined) abortHooks.remove(signal, abortAlgorithm);
    if (isError) deferred.reject(error);
    else deferred.resolve(undefined);
  };

  const waitForWritesToFinish = () => {
    const oldCurrentWrite = currentWrite;
    return transformPromise(currentWrite,
      () => (oldCurrentWrite !== currentWrite ? waitForWritesToFinish() : undefined));
  };

  const shutdownWithAnAction = (action, isError, originalError) => {
    if (shuttingDown) return;
    shuttingDown = true;
    const doTheRest = () => {
      let p;
      try {
        p = action();
      } catch (error) {
        p = PromiseReject(error);
      }
      uponPromise(p, () => finalize(isError, originalError), (newError) => finalize(true, newError));
    };
    if (dest.state === "writable" && !ops.writableStreamCloseQueuedOrInFlight(dest)) {
      uponPromise(waitForWritesToFinish(), doTheRest);
    } else {
      doTheRest();
    }
  };

  const shutdown = (isError, error) => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (dest.state === "writable" && !ops.writableStreamCloseQueuedOrInFlight(dest)) {
      uponPromise(waitForWritesToFinish(), () => finalize(isError, error));
    } else {
      finalize(isError, error);
    }
  };

  if (signal !== undefined) {
    abortAlgorithm = () => {
      const error = abortHooks.reason(signal);
      const actions = [];
      if (!preventAbort) {
        ArrayPrototypePush(actions, () => (dest.state === "writable"
          ? ops.writableStreamAbort(dest, error) : PromiseResolve(undefined)));
      }
      if (!preventCancel) {
        ArrayPrototypePush(actions, () => (source.state === "readable"
          ? readableStreamCancel(source, error) : PromiseResolve(undefined)));
      }
      shutdownWithAnAction(() => {
        const promises = [];
        for (let i = 0; i < actions.length; i++) ArrayPrototypePush(promises, actions[i]());
        return waitForAll(promises);
      }, true, error);
    };
    if (abortHooks.aborted(signal)) {
      abortAlgorithm();
      return deferred.promise;
    }
    abortHooks.add(signal, abortAlgorithm);
  }

  // Step 15: one read-then-write at a time, never reading while the destination wants no more.
  const pipeStep = () => {
    if (shuttingDown) return PromiseResolve(true);
    return transformPromise(writer.readyPromise.promise, () => {
      const step = newDeferred();
      readableStreamDefaultReaderRead(reader, {
        // The write starts a microtask later: an enqueue() must never run the sink's write
        // synchronously. Until then, currentWrite stands for it, so shutdown still waits.
        chunkSteps: (chunk) => {
          const writeStarted = newDeferred();
          currentWrite = writeStarted.promise;
          queueMicrotask(() => {
            if (writer.stream !== undefined) {
              writeStarted.resolve(transformPromise(ops.writableStreamDefaultWriterWrite(writer, chunk), undefined,
                noop));
            } else {
              writeStarted.resolve(undefined);
            }
            step.resolve(false);
          });
        },
        closeSteps: () => step.resolve(true),
        errorSteps: step.reject,
      });
      return step.promise;
    });
  };
  const pipeLoop = () => {
    const next = (done) => {
      if (done) return;
      uponPromise(pipeStep(), next, noop);
    };
    next(false);
  };

  // Errors must be propagated forward.
  const sourceErrored = (storedError) => {
    if (!preventAbort) shutdownWithAnAction(() => ops.writableStreamAbort(dest, storedError), true, storedError);
    else shutdown(true, storedError);
  };
  // Errors must be propagated backward.
  const destErrored = (storedError) => {
    if (!preventCancel) shutdownWithAnAction(() => readableStreamCancel(source, storedError), true, storedError);
    else shutdown(true, storedError);
  };
  // Closing must be propagated forward.
  const sourceClosed = () => {
    if (!preventClose) {
      shutdownWithAnAction(() => ops.writableStreamDefaultWriterCloseWithErrorPropagation(writer), false);
    } else {
      shutdown(false);
    }
  };

  if (source.state === "errored") {
    sourceErrored(source.storedError);
  } else {
    uponPromise(reader.closedPromise.promise, undefined, sourceErrored);
  }
  if (dest.state === "errored") {
    destErrored(dest.storedError);
  } else {
    uponPromise(writer.closedPromise.promise, undefined, destErrored);
  }
  if (source.state === "closed") {
    sourceClosed();
  } else {
    uponPromise(reader.closedPromise.promise, sourceClosed);
  }
  // Closing must be propagated backward.
  if (ops.writableStreamCloseQueuedOrInFlight(dest) || dest.state === "closed") {
    const destClosed = new TypeError("The destination stream is closed or closing.");
    if (!preventCancel) shutdownWithAnAction(() => readableStreamCancel(source, destClosed), true, destClosed);
    else shutdown(true, destClosed);
  }
  pipeLoop();
  return deferred.promise;
}

/** https://streams.spec.whatwg.org/#readable-stream-tee */
function readableStreamTee(stream, cloneForBranch2) {
  if (stream.controller.kind === "byte") return readableByteStreamTee(stream);
  return readableStreamDefaultTee(stream, cloneForBranch2);
}

/** https://streams.spec.whatwg.org/#abstract-opdef-readablestreamdefaulttee */
function readableStreamDefaultTee(stream) {
  const reader = acquireReadableStreamDefaultReader(stream);
  let reading = false;
  let readAgain = false;
  let canceled1 = false;
  let canceled2 = false;
  let reason1;
  let reason2;
  let branch1;
  let branch2;
  const cancelPromise = newDeferred();

  const pullAlgorithm = () => {
    if (reading) {
      readAgain = true;
      return PromiseResolve(undefined);
    }
    reading = true;
    readableStreamDefaultReaderRead(reader, {
      // A microtask first, so the read's promise settles before branches see the chunk.
      chunkSteps: (chunk) => queueMicrotask(() => {
        readAgain = false;
        if (!canceled1) readableStreamDefaultControllerEnqueue(branch1.controller, chunk);
        if (!canceled2) readableStreamDefaultControllerEnqueue(branch2.controller, chunk);
        reading = false;
        if (readAgain) pullAlgorithm();
      }),
      closeSteps: () => {
        reading = false;
        if (!canceled1) readableStreamDefaultControllerClose(branch1.controller);
        if (!canceled2) readableStreamDefaultControllerClose(branch2.controller);
        if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
      },
      errorSteps: () => {
        reading = false;
      },
    });
    return PromiseResolve(undefined);
  };
  const cancel1Algorithm = (reason) => {
    canceled1 = true;
    reason1 = reason;
    if (canceled2) cancelPromise.resolve(readableStreamCancel(stream, [reason1, reason2]));
    return cancelPromise.promise;
  };
  const cancel2Algorithm = (reason) => {
    canceled2 = true;
    reason2 = reason;
    if (canceled1) cancelPromise.resolve(readableStreamCancel(stream, [reason1, reason2]));
    return cancelPromise.promise;
  };
  const startAlgorithm = () => undefined;
  branch1 = createReadableStream(startAlgorithm, pullAlgorithm, cancel1Algorithm);
  branch2 = createReadableStream(startAlgorithm, pullAlgorithm, cancel2Algorithm);
  uponPromise(reader.closedPromise.promise, undefined, (r) => {
    readableStreamDefaultControllerError(branch1.controller, r);
    readableStreamDefaultControllerError(branch2.controller, r);
    if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
  });
  return [branch1, branch2];
}

/** https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamtee */
function readableByteStreamTee(stream) {
  let reader = acquireReadableStreamDefaultReader(stream);
  let reading = false;
  let readAgainForBranch1 = false;
  let readAgainForBranch2 = false;
  let canceled1 = false;
  let canceled2 = false;
  let reason1;
  let reason2;
  let branch1;
  let branch2;
  const cancelPromise = newDeferred();

  const forwardReaderError = (thisReader) => {
    uponPromise(thisReader.closedPromise.promise, undefined, (r) => {
      if (thisReader !== reader) return;
      readableByteStreamControllerError(branch1.controller, r);
      readableByteStreamControllerError(branch2.controller, r);
      if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
    });
  };

  const pullWithDefaultReader = () => {
    if (reader.kind === "byob") {
      readableStreamBYOBReaderRelease(reader);
      reader = acquireReadableStreamDefaultReader(stream);
      forwardReaderError(reader);
    }
    readableStreamDefaultReaderRead(reader, {
      chunkSteps: (chunk) => queueMicrotask(() => {
        readAgainForBranch1 = false;
        readAgainForBranch2 = false;
        const chunk1 = chunk;
        let chunk2 = chunk;
        if (!canceled1 && !canceled2) {
          try {
            chunk2 = cloneAsUint8Array(chunk);
          } catch (error) {
            readableByteStreamControllerError(branch1.controller, error);
            readableByteStreamControllerError(branch2.controller, error);
            cancelPromise.resolve(readableStreamCancel(stream, error));
            return;
          }
        }
        if (!canceled1) readableByteStreamControllerEnqueue(branch1.controller, chunk1);
        if (!canceled2) readableByteStreamControllerEnqueue(branch2.controller, chunk2);
        reading = false;
        if (readAgainForBranch1) pull1Algorithm();
        else if (readAgainForBranch2) pull2Algorithm();
      }),
      closeSteps: () => {
        reading = false;
        if (!canceled1) readableByteStreamControllerClose(branch1.controller);
        if (!canceled2) readableByteStreamControllerClose(branch2.controller);
        if (branch1.controller.pendingPullIntos.size > 0) readableByteStreamControllerRespond(branch1.controller, 0);
        if (branch2.controller.pendingPullIntos.size > 0) readableByteStreamControllerRespond(branch2.controller, 0);
        if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
      },
      errorSteps: () => {
        reading = false;
      },
    });
  };

  const pullWithBYOBReader = (view, forBranch2) => {
    if (reader.kind === "default") {
      readableStreamDefaultReaderRelease(reader);
      reader = acquireReadableStreamBYOBReader(stream);
      forwardReaderError(reader);
    }
    const byobBranch = forBranch2 ? branch2 : branch1;
    const otherBranch = forBranch2 ? branch1 : branch2;
    readableStreamBYOBReaderRead(reader, view, 1, {
      chunkSteps: (chunk) => queueMicrotask(() => {
        readAgainForBranch1 = false;
        readAgainForBranch2 = false;
        const byobCanceled = forBranch2 ? canceled2 : canceled1;
        const otherCanceled = forBranch2 ? canceled1 : canceled2;
        if (!otherCanceled) {
          let clonedChunk;
          try {
            clonedChunk = cloneAsUint8Array(chunk);
          } catch (error) {
            readableByteStreamControllerError(byobBranch.controller, error);
            readableByteStreamControllerError(otherBranch.controller, error);
            cancelPromise.resolve(readableStreamCancel(stream, error));
            return;
          }
          if (!byobCanceled) readableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
          readableByteStreamControllerEnqueue(otherBranch.controller, clonedChunk);
        } else if (!byobCanceled) {
          readableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
        }
        reading = false;
        if (readAgainForBranch1) pull1Algorithm();
        else if (readAgainForBranch2) pull2Algorithm();
      }),
      closeSteps: (chunk) => {
        reading = false;
        const byobCanceled = forBranch2 ? canceled2 : canceled1;
        const otherCanceled = forBranch2 ? canceled1 : canceled2;
        if (!byobCanceled) readableByteStreamControllerClose(byobBranch.controller);
        if (!otherCanceled) readableByteStreamControllerClose(otherBranch.controller);
        if (chunk !== undefined) {
          if (!byobCanceled) readableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
          if (!otherCanceled && otherBranch.controller.pendingPullIntos.size > 0) {
            readableByteStreamControllerRespond(otherBranch.controller, 0);
          }
        }
        if (!byobCanceled || !otherCanceled) cancelPromise.resolve(undefined);
      },
      errorSteps: () => {
        reading = false;
      },
    });
  };

  const pull1Algorithm = () => {
    if (reading) {
      readAgainForBranch1 = true;
      return PromiseResolve(undefined);
    }
    reading = true;
    const byobRequest = readableByteStreamControllerGetBYOBRequest(branch1.controller);
    if (byobRequest === null) pullWithDefaultReader();
    else pullWithBYOBReader(stateOf(byobRequest).view, false);
    return PromiseResolve(undefined);
  };
  const pull2Algorithm = () => {
    if (reading) {
      readAgainForBranch2 = true;
      return PromiseResolve(undefined);
    }
    reading = true;
    const byobRequest = readableByteStreamControllerGetBYOBRequest(branch2.controller);
    if (byobRequest === null) pullWithDefaultReader();
    else pullWithBYOBReader(stateOf(byobRequest).view, true);
    return PromiseResolve(undefined);
  };
  const cancel1Algorithm = (reason) => {
    canceled1 = true;
    reason1 = reason;
    if (canceled2) cancelPromise.resolve(readableStreamCancel(stream, [reason1, reason2]));
    return cancelPromise.promise;
  };
  const cancel2Algorithm = (reason) => {
    canceled2 = true;
    reason2 = reason;
    if (canceled1) cancelPromise.resolve(readableStreamCancel(stream, [reason1, reason2]));
    return cancelPromise.promise;
  };
  const startAlgorithm = () => undefined;
  branch1 = createReadableByteStream(startAlgorithm, pull1Algorithm, cancel1Algorithm);
  branch2 = createReadableByteStream(startAlgorithm, pull2Algorithm, cancel2Algorithm);
  forwardReaderError(reader);
  return [branch1, branch2];
}

// https://streams.spec.whatwg.org/#rs-abstract-ops-used-by-controllers

function readableStreamAddReadIntoRequest(stream, readRequest) {
  stream.reader.readIntoRequests.push(readRequest);
}

function readableStreamAddReadRequest(stream, readRequest) {
  stream.reader.readRequests.push(readRequest);
}

function readableStreamCancel(stream, reason) {
  stream.disturbed = true;
  if (stream.state === "closed") return PromiseResolve(undefined);
  if (stream.state === "errored") return PromiseReject(stream.storedError);
  readableStreamClose(stream);
  const reader = stream.reader;
  if (reader !== undefined && reader.kind === "byob") {
    const readIntoRequests = reader.readIntoRequests;
    reader.readIntoRequests = new Queue();
    while (readIntoRequests.size > 0) readIntoRequests.shift().closeSteps(undefined);
  }
  const sourceCancelPromise = stream.controller.kind === "byte"
    ? readableByteStreamControllerCancelSteps(stream.controller, reason)
    : readableStreamDefaultControllerCancelSteps(stream.controller, reason);
  return transformPromise(sourceCancelPromise, () => undefined);
}

function readableStreamClose(stream) {
  stream.state = "closed";
  const reader = stream.reader;
  if (reader === undefined) return;
  reader.closedPromise.resolve(undefined);
  if (reader.kind === "default") {
    const readRequests = reader.readRequests;
    reader.readRequests = new Queue();
    while (readRequests.size > 0) readRequests.shift().closeSteps();
  }
}

function readableStreamError(stream, e) {
  stream.state = "errored";
  stream.storedError = e;
  const reader = stream.reader;
  if (reader === undefined) return;
  reader.closedPromise.reject(e);
  markHandled(reader.closedPromise.promise);
  if (reader.kind === "default") readableStreamDefaultReaderErrorReadRequests(reader, e);
  else readableStreamBYOBReaderErrorReadIntoRequests(reader, e);
}

function readableStreamFulfillReadIntoRequest(stream, chunk, done) {
  const readIntoRequest = stream.reader.readIntoRequests.shift();
  if (done) readIntoRequest.closeSteps(chunk);
  else readIntoRequest.chunkSteps(chunk);
}

function readableStreamFulfillReadRequest(stream, chunk, done) {
  const readRequest = stream.reader.readRequests.shift();
  if (done) readRequest.closeSteps();
  else readRequest.chunkSteps(chunk);
}

function readableStreamGetNumReadIntoRequests(stream) {
  return stream.reader.readIntoRequests.size;
}

function readableStreamGetNumReadRequests(stream) {
  return stream.reader.readRequests.size;
}

function readableStreamHasBYOBReader(stream) {
  return stream.reader !== undefined && stream.reader.kind === "byob";
}

function readableStreamHasDefaultReader(stream) {
  return stream.reader !== undefined && stream.reader.kind === "default";
}

// https://streams.spec.whatwg.org/#rs-reader-abstract-ops

function readableStreamReaderGenericCancel(reader, reason) {
  return readableStreamCancel(reader.stream, reason);
}

function readableStreamReaderGenericInitialize(reader, stream) {
  reader.stream = stream;
  stream.reader = reader;
  if (stream.state === "readable") {
    reader.closedPromise = newDeferred();
  } else if (stream.state === "closed") {
    reader.closedPromise = resolvedDeferred(undefined);
  } else {
    reader.closedPromise = rejectedDeferred(stream.storedError);
    markHandled(reader.closedPromise.promise);
  }
}

function readableStreamReaderGenericRelease(reader) {
  const stream = reader.stream;
  const error = new TypeError("The reader was released.");
  if (stream.state === "readable") reader.closedPromise.reject(error);
  else reader.closedPromise = rejectedDeferred(error);
  markHandled(reader.closedPromise.promise);
  if (stream.controller.kind === "byte") readableByteStreamControllerReleaseSteps(stream.controller);
  stream.reader = undefined;
  reader.stream = undefined;
}

function readableStreamBYOBReaderErrorReadIntoRequests(reader, e) {
  const readIntoRequests = reader.readIntoRequests;
  reader.readIntoRequests = new Queue();
  while (readIntoRequests.size > 0) readIntoRequests.shift().errorSteps(e);
}

function readableStreamBYOBReaderRead(reader, view, min, readIntoRequest) {
  const stream = reader.stream;
  stream.disturbed = true;
  if (stream.state === "errored") readIntoRequest.errorSteps(stream.storedError);
  else readableByteStreamControllerPullInto(stream.controller, view, min, readIntoRequest);
}

function readableStreamBYOBReaderRelease(reader) {
  readableStreamReaderGenericRelease(reader);
  readableStreamBYOBReaderErrorReadIntoRequests(reader, new TypeError("The reader was released."));
}

function readableStreamDefaultReaderErrorReadRequests(reader, e) {
  const readRequests = reader.readRequests;
  reader.readRequests = new Queue();
  while (readRequests.size > 0) readRequests.shift().errorSteps(e);
}

function readableStreamDefaultReaderRead(reader, readRequest) {
  const stream = reader.stream;
  stream.disturbed = true;
  if (stream.state === "closed") {
    readRequest.closeSteps();
  } else if (stream.state === "errored") {
    readRequest.errorSteps(stream.storedError);
  } else if (stream.controller.kind === "byte") {
    readableByteStreamControllerPullSteps(stream.controller, readRequest);
  } else {
    readableStreamDefaultControllerPullSteps(stream.controller, readRequest);
  }
}

function readableStreamDefaultReaderRelease(reader) {
  readableStreamReaderGenericRelease(reader);
  readableStreamDefaultReaderErrorReadRequests(reader, new TypeError("The reader was released."));
}

function setUpReadableStreamBYOBReader(reader, stream) {
  if (isReadableStreamLocked(stream)) throw new TypeError("The stream is locked.");
  if (stream.controller.kind !== "byte") throw new TypeError("A BYOB reader needs a byte stream.");
  readableStreamReaderGenericInitialize(reader, stream);
  reader.readIntoRequests = new Queue();
}

function setUpReadableStreamDefaultReader(reader, stream) {
  if (isReadableStreamLocked(stream)) throw new TypeError("The stream is locked.");
  readableStreamReaderGenericInitialize(reader, stream);
  reader.readRequests = new Queue();
}

// --- Default controllers (https://streams.spec.whatwg.org/#rs-default-controller-abstract-ops) -

function readableStreamDefaultControllerCancelSteps(controller, reason) {
  resetQueue(controller);
  const result = controller.cancelAlgorithm(reason);
  readableStreamDefaultControllerClearAlgorithms(controller);
  return result;
}

function readableStreamDefaultControllerPullSteps(controller, readRequest) {
  const stream = controller.stream;
  if (controller.queue.size > 0) {
    const chunk = dequeueValue(controller);
    if (controller.closeRequested && controller.queue.size === 0) {
      readableStreamDefaultControllerClearAlgorithms(controller);
      readableStreamClose(stream);
    } else {
      readableStreamDefaultControllerCallPullIfNeeded(controller);
    }
    readRequest.chunkSteps(chunk);
  } else {
    readableStreamAddReadRequest(stream, readRequest);
    readableStreamDefaultControllerCallPullIfNeeded(controller);
  }
}

function readableStreamDefaultControllerCallPullIfNeeded(controller) {
  if (!readableStreamDefaultControllerShouldCallPull(controller)) return;
  if (controller.pulling) {
    controller.pullAgain = true;
    return;
  }
  controller.pulling = true;
  uponPromise(controller.pullAlgorithm(), () => {
    controller.pulling = false;
    if (controller.pullAgain) {
      controller.pullAgain = false;
      readableStreamDefaultControllerCallPullIfNeeded(controller);
    }
  }, (e) => readableStreamDefaultControllerError(controller, e));
}

function readableStreamDefaultControllerShouldCallPull(controller) {
  const stream = controller.stream;
  if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) return false;
  if (!controller.started) return false;
  if (isReadableStreamLocked(stream) && readableStreamGetNumReadRequests(stream) > 0) return true;
  return readableStreamDefaultControllerGetDesiredSize(controller) > 0;
}

function readableStreamDefaultControllerClearAlgorithms(controller) {
  controller.pullAlgorithm = undefined;
  controller.cancelAlgorithm = undefined;
  controller.strategySizeAlgorithm = undefined;
}

function readableStreamDefaultControllerClose(controller) {
  if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) return;
  controller.closeRequested = true;
  if (controller.queue.size === 0) {
    readableStreamDefaultControllerClearAlgorithms(controller);
    readableStreamClose(controller.stream);
  }
}

function readableStreamDefaultControllerEnqueue(controller, chunk) {
  if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) return;
  const stream = controller.stream;
  if (isReadableStreamLocked(stream) && readableStreamGetNumReadRequests(stream) > 0) {
    readableStreamFulfillReadRequest(stream, chunk, false);
  } else {
    let chunkSize;
    try {
      chunkSize = controller.strategySizeAlgorithm(chunk);
    } catch (error) {
      readableStreamDefaultControllerError(controller, error);
      throw error;
    }
    try {
      enqueueValueWithSize(controller, chunk, chunkSize);
    } catch (error) {
      readableStreamDefaultControllerError(controller, error);
      throw error;
    }
  }
  readableStreamDefaultControllerCallPullIfNeeded(controller);
}

function readableStreamDefaultControllerError(controller, e) {
  const stream = controller.stream;
  if (stream.state !== "readable") return;
  resetQueue(controller);
  readableStreamDefaultControllerClearAlgorithms(controller);
  readableStreamError(stream, e);
}

function readableStreamDefaultControllerGetDesiredSize(controller) {
  const state = controller.stream.state;
  if (state === "errored") return null;
  if (state === "closed") return 0;
  return controller.strategyHWM - controller.queueTotalSize;
}

function readableStreamDefaultControllerHasBackpressure(controller) {
  return !readableStreamDefaultControllerShouldCallPull(controller);
}

function readableStreamDefaultControllerCanCloseOrEnqueue(controller) {
  return !controller.closeRequested && controller.stream.state === "readable";
}

function setUpReadableStreamDefaultController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
  highWaterMark, sizeAlgorithm) {
  controller.stream = stream;
  resetQueue(controller);
  controller.started = false;
  controller.closeRequested = false;
  controller.pullAgain = false;
  controller.pulling = false;
  controller.strategySizeAlgorithm = sizeAlgorithm;
  controller.strategyHWM = highWaterMark;
  controller.pullAlgorithm = pullAlgorithm;
  controller.cancelAlgorithm = cancelAlgorithm;
  stream.controller = controller;
  const startResult = startAlgorithm();
  uponPromise(promiseResolvedWith(startResult), () => {
    controller.started = true;
    readableStreamDefaultControllerCallPullIfNeeded(controller);
  }, (r) => readableStreamDefaultControllerError(controller, r));
}

function setUpReadableStreamDefaultControllerFromUnderlyingSource(stream, underlyingSource, underlyingSourceDict,
  highWaterMark, sizeAlgorithm) {
  const controller = newDefaultControllerRecord();
  let startAlgorithm = () => undefined;
  let pullAlgorithm = resolvedUndefined;
  let cancelAlgorithm = resolvedUndefined;
  const { start, pull, cancel } = underlyingSourceDict;
  if (start !== undefined) startAlgorithm = () => ReflectApply(start, underlyingSource, [controller.object]);
  if (pull !== undefined) pullAlgorithm = () => invokePromiseCallback(pull, underlyingSource, [controller.object]);
  if (cancel !== undefined) cancelAlgorithm = (reason) => invokePromiseCallback(cancel, underlyingSource, [reason]);
  setUpReadableStreamDefaultController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
    highWaterMark, sizeAlgorithm);
}

// --- Byte stream controllers (https://streams.spec.whatwg.org/#rbs-controller-abstract-ops) ----

function readableByteStreamControllerCancelSteps(controller, reason) {
  readableByteStreamControllerClearPendingPullIntos(controller);
  resetQueue(controller);
  const result = controller.cancelAlgorithm(reason);
  readableByteStreamControllerClearAlgorithms(controller);
  return result;
}

function readableByteStreamControllerPullSteps(controller, readRequest) {
  const stream = controller.stream;
  if (controller.queueTotalSize > 0) {
    readableByteStreamControllerFillReadRequestFromQueue(controller, readRequest);
    return;
  }
  const autoAllocateChunkSize = controller.autoAllocateChunkSize;
  if (autoAllocateChunkSize !== undefined) {
    let buffer;
    try {
      buffer = new ArrayBuffer(autoAllocateChunkSize);
    } catch (error) {
      readRequest.errorSteps(error);
      return;
    }
    controller.pendingPullIntos.push({
      buffer, bufferByteLength: autoAllocateChunkSize, byteOffset: 0, byteLength: autoAllocateChunkSize,
      bytesFilled: 0, minimumFill: 1, elementSize: 1, viewConstructor: Uint8Array, readerType: "default",
    });
  }
  readableStreamAddReadRequest(stream, readRequest);
  readableByteStreamControllerCallPullIfNeeded(controller);
}

function readableByteStreamControllerReleaseSteps(controller) {
  if (controller.pendingPullIntos.size > 0) {
    const firstPendingPullInto = controller.pendingPullIntos.peek();
    firstPendingPullInto.readerType = "none";
    controller.pendingPullIntos = new Queue();
    controller.pendingPullIntos.push(firstPendingPullInto);
  }
}

function readableByteStreamControllerCallPullIfNeeded(controller) {
  if (!readableByteStreamControllerShouldCallPull(controller)) return;
  if (controller.pulling) {
    controller.pullAgain = true;
    return;
  }
  controller.pulling = true;
  uponPromise(controller.pullAlgorithm(), () => {
    controller.pulling = false;
    if (controller.pullAgain) {
      controller.pullAgain = false;
      readableByteStreamControllerCallPullIfNeeded(controller);
    }
  }, (e) => readableByteStreamControllerError(controller, e));
}

function readableByteStreamControllerClearAlgorithms(controller) {
  controller.pullAlgorithm = undefined;
  controller.cancelAlgorithm = undefined;
}

function readableByteStreamControllerClearPendingPullIntos(controller) {
  readableByteStreamControllerInvalidateBYOBRequest(controller);
  controller.pendingPullIntos = new Queue();
}

function readableByteStreamControllerClose(controller) {
  const stream = controller.stream;
  if (controller.closeRequested || stream.state !== "readable") return;
  if (controller.queueTotalSize > 0) {
    controller.closeRequested = true;
    return;
  }
  if (controller.pendingPullIntos.size > 0) {
    const firstPendingPullInto = controller.pendingPullIntos.peek();
    if (firstPendingPullInto.bytesFilled % firstPendingPullInto.elementSize !== 0) {
      const e = new TypeError("Insufficient bytes to fill elements in the given buffer.");
      readableByteStreamControllerError(controller, e);
      throw e;
    }
  }
  readableByteStreamControllerClearAlgorithms(controller);
  readableStreamClose(stream);
}

function readableByteStreamControllerCommitPullIntoDescriptor(stream, pullIntoDescriptor) {
  let done = false;
  if (stream.state === "closed") done = true;
  const filledView = readableByteStreamControllerConvertPullIntoDescriptor(pullIntoDescriptor);
  if (pullIntoDescriptor.readerType === "default") readableStreamFulfillReadRequest(stream, filledView, done);
  else readableStreamFulfillReadIntoRequest(stream, filledView, done);
}

function readableByteStreamControllerConvertPullIntoDescriptor(pullIntoDescriptor) {
  const { bytesFilled, elementSize } = pullIntoDescriptor;
  const buffer = transferArrayBuffer(pullIntoDescriptor.buffer);
  return new pullIntoDescriptor.viewConstructor(buffer, pullIntoDescriptor.byteOffset, bytesFilled / elementSize);
}

function readableByteStreamControllerEnqueue(controller, chunk) {
  const stream = controller.stream;
  if (controller.closeRequested || stream.state !== "readable") return;
  const { buffer, byteOffset, byteLength } = viewInfo(chunk);
  if (isDetachedBuffer(buffer)) throw new TypeError("The chunk's buffer is detached.");
  const transferredBuffer = transferArrayBuffer(buffer);
  if (controller.pendingPullIntos.size > 0) {
    const firstPendingPullInto = controller.pendingPullIntos.peek();
    if (isDetachedBuffer(firstPendingPullInto.buffer)) {
      throw new TypeError("The BYOB request's buffer has been detached.");
    }
    readableByteStreamControllerInvalidateBYOBRequest(controller);
    firstPendingPullInto.buffer = transferArrayBuffer(firstPendingPullInto.buffer);
    if (firstPendingPullInto.readerType === "none") {
      readableByteStreamControllerEnqueueDetachedPullIntoToQueue(controller, firstPendingPullInto);
    }
  }
  if (readableStreamHasDefaultReader(stream)) {
    readableByteStreamControllerProcessReadRequestsUsingQueue(controller);
    if (readableStreamGetNumReadRequests(stream) === 0) {
      readableByteStreamControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset, byteLength);
    } else {
      if (controller.pendingPullIntos.size > 0) readableByteStreamControllerShiftPendingPullInto(controller);
      const transferredView = new Uint8Array(transferredBuffer, byteOffset, byteLength);
      readableStreamFulfillReadRequest(stream, transferredView, false);
    }
  } else if (readableStreamHasBYOBReader(stream)) {
    readableByteStreamControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset, byteLength);
    const filledPullIntos = readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(controller);
    for (let i = 0; i < filledPullIntos.length; i++) {
      readableByteStreamControllerCommitPullIntoDescriptor(stream, filledPullIntos[i]);
    }
  } else {
    readableByteStreamControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset, byteLength);
  }
  readableByteStreamControllerCallPullIfNeeded(controller);
}

function readableByteStreamControllerEnqueueChunkToQueue(controller, buffer, byteOffset, byteLength) {
  controller.queue.push({ buffer, byteOffset, byteLength });
  controller.queueTotalSize += byteLength;
}

function readableByteStreamControllerEnqueueClonedChunkToQueue(controller, buffer, byteOffset, byteLength) {
  let cloneResult;
  try {
    cloneResult = cloneArrayBuffer(buffer, byteOffset, byteLength);
  } catch (error) {
    readableByteStreamControllerError(controller, error);
    throw error;
  }
  readableByteStreamControllerEnqueueChunkToQueue(controller, cloneResult, 0, byteLength);
}

function readableByteStreamControllerEnqueueDetachedPullIntoToQueue(controller, pullIntoDescriptor) {
  if (pullIntoDescriptor.bytesFilled > 0) {
    readableByteStreamControllerEnqueueClonedChunkToQueue(controller, pullIntoDescriptor.buffer,
      pullIntoDescriptor.byteOffset, pullIntoDescriptor.bytesFilled);
  }
  readableByteStreamControllerShiftPendingPullInto(controller);
}

function readableByteStreamControllerFillPullIntoDescriptorFromQueue(controller, pullIntoDescriptor) {
  const maxBytesToCopy = MathMin(controller.queueTotalSize,
    pullIntoDescriptor.byteLength - pullIntoDescriptor.bytesFilled);
  const maxBytesFilled = pullIntoDescriptor.bytesFilled + maxBytesToCopy;
  let totalBytesToCopyRemaining = maxBytesToCopy;
  let ready = false;
  const remainderBytes = maxBytesFilled % pullIntoDescriptor.elementSize;
  const maxAlignedBytes = maxBytesFilled - remainderBytes;
  if (maxAlignedBytes >= pullIntoDescriptor.minimumFill) {
    totalBytesToCopyRemaining = maxAlignedBytes - pullIntoDescriptor.bytesFilled;
    ready = true;
  }
  const queue = controller.queue;
  while (totalBytesToCopyRemaining > 0) {
    const headOfQueue = queue.peek();
    const bytesToCopy = MathMin(totalBytesToCopyRemaining, headOfQueue.byteLength);
    const destStart = pullIntoDescriptor.byteOffset + pullIntoDescriptor.bytesFilled;
    copyDataBlockBytes(pullIntoDescriptor.buffer, destStart, headOfQueue.buffer, headOfQueue.byteOffset, bytesToCopy);
    if (headOfQueue.byteLength === bytesToCopy) {
      queue.shift();
    } else {
      headOfQueue.byteOffset += bytesToCopy;
      headOfQueue.byteLength -= bytesToCopy;
    }
    controller.queueTotalSize -= bytesToCopy;
    readableByteStreamControllerFillHeadPullIntoDescriptor(controller, bytesToCopy, pullIntoDescriptor);
    totalBytesToCopyRemaining -= bytesToCopy;
  }
  return ready;
}

function readableByteStreamControllerFillReadRequestFromQueue(controller, readRequest) {
  const entry = controller.queue.shift();
  controller.queueTotalSize -= entry.byteLength;
  readableByteStreamControllerHandleQueueDrain(controller);
  const view = new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength);
  readRequest.chunkSteps(view);
}

function readableByteStreamControllerGetBYOBRequest(controller) {
  if (controller.byobRequest === null && controller.pendingPullIntos.size > 0) {
    const firstDescriptor = controller.pendingPullIntos.peek();
    const view = new Uint8Array(firstDescriptor.buffer, firstDescriptor.byteOffset + firstDescriptor.bytesFilled,
      firstDescriptor.byteLength - firstDescriptor.bytesFilled);
    const byobRequest = ObjectCreate(ReadableStreamBYOBRequestPrototype);
    setState(byobRequest, { controller, view });
    controller.byobRequest = byobRequest;
  }
  return controller.byobRequest;
}

function readableByteStreamControllerGetDesiredSize(controller) {
  const state = controller.stream.state;
  if (state === "errored") return null;
  if (state === "closed") return 0;
  return controller.strategyHWM - controller.queueTotalSize;
}

function readableByteStreamControllerHandleQueueDrain(controller) {
  if (controller.queueTotalSize === 0 && controller.closeRequested) {
    readableByteStreamControllerClearAlgorithms(controller);
    readableStreamClose(controller.stream);
  } else {
    readableByteStreamControllerCallPullIfNeeded(controller);
  }
}

function readableByteStreamControllerInvalidateBYOBRequest(controller) {
  if (controller.byobRequest === null) return;
  const request = stateOf(controller.byobRequest);
  request.controller = undefined;
  request.view = null;
  controller.byobRequest = null;
}

function readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(controller) {
  const filledPullIntos = [];
  while (controller.pendingPullIntos.size > 0) {
    if (controller.queueTotalSize === 0) break;
    const pullIntoDescriptor = controller.pendingPullIntos.peek();
    if (readableByteStreamControllerFillPullIntoDescriptorFromQueue(controller, pullIntoDescriptor)) {
      readableByteStreamControllerShiftPendingPullInto(controller);
      ArrayPrototypePush(filledPullIntos, pullIntoDescriptor);
    }
  }
  return filledPullIntos;
}

function readableByteStreamControllerProcessReadRequestsUsingQueue(controller) {
  const reader = controller.stream.reader;
  while (reader.readRequests.size > 0) {
    if (controller.queueTotalSize === 0) return;
    const readRequest = reader.readRequests.shift();
    readableByteStreamControllerFillReadRequestFromQueue(controller, readRequest);
  }
}

function readableByteStreamControllerPullInto(controller, view, min, readIntoRequest) {
  const stream = controller.stream;
  const info = viewInfo(view);
  let elementSize = 1;
  let ctor = DataView;
  if (info.typed !== undefined) {
    elementSize = info.typed.elementSize;
    ctor = info.typed.constructor;
  }
  const minimumFill = min * elementSize;
  const { byteOffset, byteLength } = info;
  let buffer;
  try {
    buffer = transferArrayBuffer(info.buffer);
  } catch (error) {
    readIntoRequest.errorSteps(error);
    return;
  }
  const pullIntoDescriptor = {
    buffer, bufferByteLength: ArrayBufferPrototypeGetByteLength(buffer), byteOffset, byteLength, bytesFilled: 0,
    minimumFill, elementSize, viewConstructor: ctor, readerType: "byob",
  };
  if (controller.pendingPullIntos.size > 0) {
    controller.pendingPullIntos.push(pullIntoDescriptor);
    readableStreamAddReadIntoRequest(stream, readIntoRequest);
    return;
  }
  if (stream.state === "closed") {
    const emptyView = new ctor(pullIntoDescriptor.buffer, pullIntoDescriptor.byteOffset, 0);
    readIntoRequest.closeSteps(emptyView);
    return;
  }
  if (controller.queueTotalSize > 0) {
    if (readableByteStreamControllerFillPullIntoDescriptorFromQueue(controller, pullIntoDescriptor)) {
      const filledView = readableByteStreamControllerConvertPullIntoDescriptor(pullIntoDescriptor);
      readableByteStreamControllerHandleQueueDrain(controller);
      readIntoRequest.chunkSteps(filledView);
      return;
    }
    if (controller.closeRequested) {
      const e = new TypeError("Insufficient bytes to fill elements in the given buffer.");
      readableByteStreamControllerError(controller, e);
      readIntoRequest.errorSteps(e);
      return;
    }
  }
  controller.pendingPullIntos.push(pullIntoDescriptor);
  readableStreamAddReadIntoRequest(stream, readIntoRequest);
  readableByteStreamControllerCallPullIfNeeded(controller);
}

function readableByteStreamControllerRespond(controller, bytesWritten) {
  const firstDescriptor = controller.pendingPullIntos.peek();
  const state = controller.stream.state;
  if (state === "closed") {
    if (bytesWritten !== 0) throw new TypeError("bytesWritten must be 0 once the stream is closed.");
  } else {
    if (bytesWritten === 0) throw new TypeError("bytesWritten must be positive while the stream is readable.");
    if (firstDescriptor.bytesFilled + bytesWritten > firstDescriptor.byteLength) {
      throw new RangeError("bytesWritten is past the end of the view.");
    }
  }
  firstDescriptor.buffer = transferArrayBuffer(firstDescriptor.buffer);
  readableByteStreamControllerRespondInternal(controller, bytesWritten);
}

function readableByteStreamControllerRespondInClosedState(controller, firstDescriptor) {
  if (firstDescriptor.readerType === "none") readableByteStreamControllerShiftPendingPullInto(controller);
  const stream = controller.stream;
  if (readableStreamHasBYOBReader(stream)) {
    const filledPullIntos = [];
    while (filledPullIntos.length < readableStreamGetNumReadIntoRequests(stream)) {
      ArrayPrototypePush(filledPullIntos, readableByteStreamControllerShiftPendingPullInto(controller));
    }
    for (let i = 0; i < filledPullIntos.length; i++) {
      readableByteStreamControllerCommitPullIntoDescriptor(stream, filledPullIntos[i]);
    }
  }
}

function readableByteStreamControllerRespondInReadableState(controller, bytesWritten, pullIntoDescriptor) {
  readableByteStreamControllerFillHeadPullIntoDescriptor(controller, bytesWritten, pullIntoDescriptor);
  if (pullIntoDescriptor.readerType === "none") {
    readableByteStreamControllerEnqueueDetachedPullIntoToQueue(controller, pullIntoDescriptor);
    const filledPullIntos = readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(controller);
    for (let i = 0; i < filledPullIntos.length; i++) {
      readableByteStreamControllerCommitPullIntoDescriptor(controller.stream, filledPullIntos[i]);
    }
    return;
  }
  if (pullIntoDescriptor.bytesFilled < pullIntoDescriptor.minimumFill) return;
  readableByteStreamControllerShiftPendingPullInto(controller);
  const remainderSize = pullIntoDescriptor.bytesFilled % pullIntoDescriptor.elementSize;
  if (remainderSize > 0) {
    const end = pullIntoDescriptor.byteOffset + pullIntoDescriptor.bytesFilled;
    readableByteStreamControllerEnqueueClonedChunkToQueue(controller, pullIntoDescriptor.buffer, end - remainderSize,
      remainderSize);
  }
  pullIntoDescriptor.bytesFilled -= remainderSize;
  const filledPullIntos = readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(controller);
  readableByteStreamControllerCommitPullIntoDescriptor(controller.stream, pullIntoDescriptor);
  for (let i = 0; i < filledPullIntos.length; i++) {
    readableByteStreamControllerCommitPullIntoDescriptor(controller.stream, filledPullIntos[i]);
  }
}

function readableByteStreamControllerRespondInternal(controller, bytesWritten) {
  const firstDescriptor = controller.pendingPullIntos.peek();
  readableByteStreamControllerInvalidateBYOBRequest(controller);
  if (controller.stream.state === "closed") {
    readableByteStreamControllerRespondInClosedState(controller, firstDescriptor);
  } else {
    readableByteStreamControllerRespondInReadableState(controller, bytesWritten, firstDescriptor);
  }
  readableByteStreamControllerCallPullIfNeeded(controller);
}

function readableByteStreamControllerRespondWithNewView(controller, view) {
  const firstDescriptor = controller.pendingPullIntos.peek();
  const state = controller.stream.state;
  const info = viewInfo(view);
  if (state === "closed") {
    if (info.byteLength !== 0) throw new TypeError("The view must be empty once the stream is closed.");
  } else if (info.byteLength === 0) {
    throw new TypeError("The view must not be empty while the stream is readable.");
  }
  if (firstDescriptor.byteOffset + firstDescriptor.bytesFilled !== info.byteOffset) {
    throw new RangeError("The view does not start where the BYOB request's view starts.");
  }
  if (firstDescriptor.bufferByteLength !== ArrayBufferPrototypeGetByteLength(info.buffer)) {
    throw new RangeError("The view's buffer is not the BYOB request's buffer size.");
  }
  if (firstDescriptor.bytesFilled + info.byteLength > firstDescriptor.byteLength) {
    throw new RangeError("The view is longer than the BYOB request's view.");
  }
  const viewByteLength = info.byteLength;
  firstDescriptor.buffer = transferArrayBuffer(info.buffer);
  readableByteStreamControllerRespondInternal(controller, viewByteLength);
}

function readableByteStreamControllerShiftPendingPullInto(controller) {
  return controller.pendingPullIntos.shift();
}

function readableByteStreamControllerShouldCallPull(controller) {
  const stream = controller.stream;
  if (stream.state !== "readable") return false;
  if (controller.closeRequested) return false;
  if (!controller.started) return false;
  if (readableStreamHasDefaultReader(stream) && readableStreamGetNumReadRequests(stream) > 0) return true;
  if (readableStreamHasBYOBReader(stream) && readableStreamGetNumReadIntoRequests(stream) > 0) return true;
  return readableByteStreamControllerGetDesiredSize(controller) > 0;
}

function readableByteStreamControllerFillHeadPullIntoDescriptor(controller, size, pullIntoDescriptor) {
  pullIntoDescriptor.bytesFilled += size;
}

function readableByteStreamControllerError(controller, e) {
  const stream = controller.stream;
  if (stream.state !== "readable") return;
  readableByteStreamControllerClearPendingPullIntos(controller);
  resetQueue(controller);
  readableByteStreamControllerClearAlgorithms(controller);
  readableStreamError(stream, e);
}

function setUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
  highWaterMark, autoAllocateChunkSize) {
  controller.stream = stream;
  controller.pullAgain = false;
  controller.pulling = false;
  controller.byobRequest = null;
  resetQueue(controller);
  controller.closeRequested = false;
  controller.started = false;
  controller.strategyHWM = highWaterMark;
  controller.pullAlgorithm = pullAlgorithm;
  controller.cancelAlgorithm = cancelAlgorithm;
  controller.autoAllocateChunkSize = autoAllocateChunkSize;
  controller.pendingPullIntos = new Queue();
  stream.controller = controller;
  const startResult = startAlgorithm();
  uponPromise(promiseResolvedWith(startResult), () => {
    controller.started = true;
    readableByteStreamControllerCallPullIfNeeded(controller);
  }, (r) => readableByteStreamControllerError(controller, r));
}

function setUpReadableByteStreamControllerFromUnderlyingSource(stream, underlyingSource, underlyingSourceDict,
  highWaterMark) {
  const controller = newByteControllerRecord();
  let startAlgorithm = () => undefined;
  let pullAlgorithm = resolvedUndefined;
  let cancelAlgorithm = resolvedUndefined;
  const { start, pull, cancel } = underlyingSourceDict;
  if (start !== undefined) startAlgorithm = () => ReflectApply(start, underlyingSource, [controller.object]);
  if (pull !== undefined) pullAlgorithm = () => invokePromiseCallback(pull, underlyingSource, [controller.object]);
  if (cancel !== undefined) cancelAlgorithm = (reason) => invokePromiseCallback(cancel, underlyingSource, [reason]);
  const autoAllocateChunkSize = underlyingSourceDict.autoAllocateChunkSize;
  if (autoAllocateChunkSize === 0) throw new TypeError("autoAllocateChunkSize must be positive.");
  setUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
    highWaterMark, autoAllocateChunkSize);
}

// --- The internal API other families build on -------------------------------------------------

/**
 * A byte ReadableStream fed by a host source (the body bridge, 43_host_streams.js).
 * `pull()` returns the next chunk as a Uint8Array (or a promise of one), or null at the end; it
 * is called only when a reader waits or the queue is under `highWaterMark` bytes, and never
 * again before its promise settles. The chunk's whole ArrayBuffer is transferred (detached from
 * the caller), as enqueue on a byte stream does: hand over a JS-owned buffer of its own, not a
 * view into a shared slab or a wrapped Java ByteBuffer. `cancel(reason)` (optional) is called
 * once when the consumer cancels. A rejection or throw from either errors the stream. Returns
 * the app-facing ReadableStream.
 */
function readableStreamFromPull(source, highWaterMark = 0) {
  let stream;
  // The records hang under a key apps can compute, so an app could call these algorithms
  // itself: the closures keep the host's contract (one pull at a time, one cancel) on their own.
  let pending = null;
  let canceled = false;
  const pullAlgorithm = () => {
    if (pending !== null) return pending;
    if (canceled) return PromiseResolve(undefined);
    let result;
    try {
      result = source.pull();
    } catch (error) {
      return PromiseReject(error);
    }
    pending = transformPromise(PromiseResolve(result), (chunk) => {
      pending = null;
      const controller = stream.controller;
      // Canceled (or errored) while the host was busy: the chunk has nowhere to go.
      if (stream.state !== "readable" || controller.closeRequested) return;
      if (chunk === null || chunk === undefined) {
        readableByteStreamControllerClose(controller);
        // A BYOB read waiting at the end is answered with an empty view, as a byte source must.
        if (stream.state === "closed" && controller.pendingPullIntos.size > 0) {
          readableByteStreamControllerRespond(controller, 0);
        }
        return;
      }
      if (TypedArrayPrototypeGetByteLength(chunk) === 0) {
        // An empty chunk cannot be enqueued; pull again (after this pull settles) if still needed.
        controller.pullAgain = true;
        return;
      }
      readableByteStreamControllerEnqueue(controller, chunk);
    }, (error) => {
      pending = null;
      throw error;
    });
    return pending;
  };
  const cancelAlgorithm = (reason) => {
    if (canceled) return PromiseResolve(undefined);
    canceled = true;
    if (typeof source.cancel !== "function") return PromiseResolve(undefined);
    return invokePromiseCallback(source.cancel, source, [reason]);
  };
  stream = createReadableByteStream(() => undefined, pullAlgorithm, cancelAlgorithm, highWaterMark);
  return stream.object;
}

/** A closed-after-one-chunk byte ReadableStream over a copy-free Uint8Array the caller gives up. */
function readableStreamFromBytes(bytes) {
  let sent = false;
  return readableStreamFromPull({
    pull() {
      if (sent || TypedArrayPrototypeGetByteLength(bytes) === 0) return null;
      sent = true;
      return bytes;
    },
  });
}

/**
 * https://fetch.spec.whatwg.org/#body-fully-read for a stream of Uint8Array chunks: locks the
 * stream and resolves with all its bytes in one Uint8Array; rejects with a TypeError on a chunk
 * that is not a Uint8Array, or with the stream's error.
 */
function readAllBytes(streamObject) {
  return promiseCall(() => {
    const reader = acquireReadableStreamDefaultReader(stateOf(streamObject));
    const chunks = [];
    let total = 0;
    const deferred = newDeferred();
    const readLoop = () => {
      readableStreamDefaultReaderRead(reader, {
        chunkSteps: (chunk) => {
          if (TypedArrayPrototypeGetSymbolToStringTag(chunk) !== "Uint8Array") {
            const error = new TypeError("The stream gave a chunk that is not a Uint8Array.");
            deferred.reject(error);
            markHandled(readableStreamReaderGenericCancel(reader, error));
            return;
          }
          ArrayPrototypePush(chunks, chunk);
          total += TypedArrayPrototypeGetByteLength(chunk);
          // Each read settles in a later microtask; recursion depth stays flat.
          queueMicrotask(readLoop);
        },
        closeSteps: () => {
          const bytes = new Uint8Array(total);
          let offset = 0;
          for (let i = 0; i < chunks.length; i++) {
            TypedArrayPrototypeSet(bytes, chunks[i], offset);
            offset += TypedArrayPrototypeGetByteLength(chunks[i]);
          }
          readableStreamDefaultReaderRelease(reader);
          deferred.resolve(bytes);
        },
        errorSteps: (e) => deferred.reject(e),
      });
    };
    readLoop();
    return deferred.promise;
  });
}

const isReadableStream = (value) => webidl.isBranded(value, ReadableStreamPrototype);

streams.ReadableStream = ReadableStream;
streams.ReadableStreamDefaultReader = ReadableStreamDefaultReader;
streams.ReadableStreamBYOBReader = ReadableStreamBYOBReader;
streams.ReadableStreamBYOBRequest = ReadableStreamBYOBRequest;
streams.ReadableStreamDefaultController = ReadableStreamDefaultController;
streams.ReadableByteStreamController = ReadableByteStreamController;
streams.ByteLengthQueuingStrategy = ByteLengthQueuingStrategy;
streams.CountQueuingStrategy = CountQueuingStrategy;
// Shared with 41_ and 42_ (records, not app objects).
ops.newDeferred = newDeferred;
ops.resolvedDeferred = resolvedDeferred;
ops.rejectedDeferred = rejectedDeferred;
ops.markHandled = markHandled;
ops.uponPromise = uponPromise;
ops.transformPromise = transformPromise;
ops.promiseCall = promiseCall;
ops.invokePromiseCallback = invokePromiseCallback;
ops.promiseResolvedWith = promiseResolvedWith;
ops.resolvedUndefined = resolvedUndefined;
ops.Queue = Queue;
ops.dequeueValue = dequeueValue;
ops.enqueueValueWithSize = enqueueValueWithSize;
ops.peekQueueValue = peekQueueValue;
ops.resetQueue = resetQueue;
ops.extractHighWaterMark = extractHighWaterMark;
ops.extractSizeAlgorithm = extractSizeAlgorithm;
ops.abortHooks = abortHooks;
ops.callbackConverter = callbackConverter;
ops.createReadableStream = createReadableStream;
ops.createReadableByteStream = createReadableByteStream;
ops.readableStreamCancel = readableStreamCancel;
ops.readableStreamTee = readableStreamTee;
ops.readableStreamPipeTo = readableStreamPipeTo;
ops.acquireReadableStreamDefaultReader = acquireReadableStreamDefaultReader;
ops.readableStreamDefaultReaderRead = readableStreamDefaultReaderRead;
ops.readableStreamDefaultReaderRelease = readableStreamDefaultReaderRelease;
ops.readableStreamDefaultControllerClose = readableStreamDefaultControllerClose;
ops.readableStreamDefaultControllerEnqueue = readableStreamDefaultControllerEnqueue;
ops.readableStreamDefaultControllerError = readableStreamDefaultControllerError;
ops.readableStreamDefaultControllerGetDesiredSize = readableStreamDefaultControllerGetDesiredSize;
ops.readableStreamDefaultControllerHasBackpressure = readableStreamDefaultControllerHasBackpressure;
ops.readableStreamDefaultControllerCanCloseOrEnqueue = readableStreamDefaultControllerCanCloseOrEnqueue;
// The internal API other families use (the body bridge in 43_host_streams.js, fetch, compression).
// Every function here takes and returns app-facing objects, never records:
//   isReadableStream(value), isReadableStreamLocked(stream), isReadableStreamDisturbed(stream),
//   isReadableStreamErrored(stream)                      checks, e.g. for "body is unusable"
//   readableStreamCancel(stream, reason) -> Promise      https://streams.spec.whatwg.org/#readable-stream-cancel
//   readableStreamTee(stream) -> [branch1, branch2]     Request/Response clone()
//   readableStreamFromPull({ pull, cancel }, highWaterMark) -> ReadableStream   host source, see above
//   readableStreamFromBytes(uint8Array) -> ReadableStream                      a body held in memory
//   readableStreamFromIterable(iterable) -> ReadableStream                     ReadableStream.from
//   readAllBytes(stream) -> Promise<Uint8Array>                                "fully read" a body
//   writableStreamFromSink({ write, close, abort }, highWaterMark, size) -> WritableStream (41_)
//   isWritableStream(value), isWritableStreamLocked(stream)                    (41_)
streams.isReadableStream = isReadableStream;
streams.isReadableStreamLocked = (object) => isReadableStreamLocked(stateOf(object));
streams.isReadableStreamDisturbed = (object) => stateOf(object).disturbed;
streams.isReadableStreamErrored = (object) => stateOf(object).state === "errored";
streams.readableStreamCancel = (object, reason) => readableStreamCancel(stateOf(object), reason);
streams.readableStreamTee = (object) => {
  const [branch1, branch2] = readableStreamTee(stateOf(object), false);
  return [branch1.object, branch2.object];
};
streams.readableStreamFromPull = readableStreamFromPull;
streams.readableStreamFromBytes = readableStreamFromBytes;
streams.readableStreamFromIterable = (iterable) => readableStreamFromIterable(iterable).object;
streams.readAllBytes = readAllBytes;
