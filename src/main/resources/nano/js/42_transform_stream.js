// Streams Standard, part 3: TransformStream and TransformStreamDefaultController
// (https://streams.spec.whatwg.org/#ts). Same record layout as 40_readable_stream.js.
const {
  ObjectCreate,
  PromiseReject,
  PromiseResolve,
  RangeError,
  ReflectApply,
  TypeError,
} = internals.primordials;
const { webidl, streams } = internals;
const { ops } = streams;
const { stateOf, setState } = webidl;
const converters = webidl.converters;
const {
  newDeferred, uponPromise, transformPromise, invokePromiseCallback, resolvedUndefined, extractHighWaterMark,
  extractSizeAlgorithm,
} = ops;

converters.Transformer = webidl.createDictionaryConverter("Transformer", [
  { key: "start", converter: ops.callbackConverter },
  { key: "transform", converter: ops.callbackConverter },
  { key: "flush", converter: ops.callbackConverter },
  { key: "cancel", converter: ops.callbackConverter },
  { key: "readableType", converter: (V) => V },
  { key: "writableType", converter: (V) => V },
]);

class TransformStream {
  constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
    const prefix = "Failed to construct 'TransformStream'";
    if (transformer !== undefined) transformer = converters.object(transformer, prefix, "Argument 1");
    writableStrategy = converters.QueuingStrategy(writableStrategy, prefix, "Argument 2");
    readableStrategy = converters.QueuingStrategy(readableStrategy, prefix, "Argument 3");
    if (transformer === undefined) transformer = null;
    const transformerDict = converters.Transformer(transformer, prefix, "Argument 1");
    if (transformerDict.readableType !== undefined) throw new RangeError(`${prefix}: invalid readableType.`);
    if (transformerDict.writableType !== undefined) throw new RangeError(`${prefix}: invalid writableType.`);
    const readableHighWaterMark = extractHighWaterMark(readableStrategy, 0);
    const readableSizeAlgorithm = extractSizeAlgorithm(readableStrategy);
    const writableHighWaterMark = extractHighWaterMark(writableStrategy, 1);
    const writableSizeAlgorithm = extractSizeAlgorithm(writableStrategy);
    const startPromise = newDeferred();
    const stream = { object: this };
    setState(this, stream);
    initializeTransformStream(stream, startPromise, writableHighWaterMark, writableSizeAlgorithm,
      readableHighWaterMark, readableSizeAlgorithm);
    setUpTransformStreamDefaultControllerFromTransformer(stream, transformer, transformerDict);
    if (transformerDict.start !== undefined) {
      startPromise.resolve(ReflectApply(transformerDict.start, transformer, [stream.controller.object]));
    } else {
      startPromise.resolve(undefined);
    }
  }

  get readable() {
    webidl.assertBranded(this, TransformStreamPrototype);
    return stateOf(this).readable.object;
  }

  get writable() {
    webidl.assertBranded(this, TransformStreamPrototype);
    return stateOf(this).writable.object;
  }
}
const TransformStreamPrototype = TransformStream.prototype;
webidl.configureInterface(TransformStream);

class TransformStreamDefaultController {
  constructor() {
    webidl.illegalConstructor();
  }

  get desiredSize() {
    webidl.assertBranded(this, TransformStreamDefaultControllerPrototype);
    const readableController = stateOf(this).stream.readable.controller;
    return ops.readableStreamDefaultControllerGetDesiredSize(readableController);
  }

  enqueue(chunk = undefined) {
    webidl.assertBranded(this, TransformStreamDefaultControllerPrototype);
    transformStreamDefaultControllerEnqueue(stateOf(this), chunk);
  }

  error(reason = undefined) {
    webidl.assertBranded(this, TransformStreamDefaultControllerPrototype);
    transformStreamError(stateOf(this).stream, reason);
  }

  terminate() {
    webidl.assertBranded(this, TransformStreamDefaultControllerPrototype);
    transformStreamDefaultControllerTerminate(stateOf(this));
  }
}
const TransformStreamDefaultControllerPrototype = TransformStreamDefaultController.prototype;
webidl.configureInterface(TransformStreamDefaultController);

// --- TransformStream abstract operations (https://streams.spec.whatwg.org/#ts-abstract-ops) ---

function initializeTransformStream(stream, startPromise, writableHighWaterMark, writableSizeAlgorithm,
  readableHighWaterMark, readableSizeAlgorithm) {
  const startAlgorithm = () => startPromise.promise;
  stream.writable = ops.createWritableStream(startAlgorithm,
    (chunk) => transformStreamDefaultSinkWriteAlgorithm(stream, chunk),
    () => transformStreamDefaultSinkCloseAlgorithm(stream),
    (reason) => transformStreamDefaultSinkAbortAlgorithm(stream, reason),
    writableHighWaterMark, writableSizeAlgorithm);
  stream.readable = ops.createReadableStream(startAlgorithm,
    () => transformStreamDefaultSourcePullAlgorithm(stream),
    (reason) => transformStreamDefaultSourceCancelAlgorithm(stream, reason),
    readableHighWaterMark, readableSizeAlgorithm);
  stream.backpressure = undefined;
  stream.backpressureChangePromise = undefined;
  transformStreamSetBackpressure(stream, true);
  stream.controller = undefined;
}

function transformStreamError(stream, e) {
  ops.readableStreamDefaultControllerError(stream.readable.controller, e);
  transformStreamErrorWritableAndUnblockWrite(stream, e);
}

function transformStreamErrorWritableAndUnblockWrite(stream, e) {
  transformStreamDefaultControllerClearAlgorithms(stream.controller);
  ops.writableStreamDefaultControllerErrorIfNeeded(stream.writable.controller, e);
  transformStreamUnblockWrite(stream);
}

function transformStreamSetBackpressure(stream, backpressure) {
  if (stream.backpressureChangePromise !== undefined) stream.backpressureChangePromise.resolve(undefined);
  stream.backpressureChangePromise = newDeferred();
  stream.backpressure = backpressure;
}

function transformStreamUnblockWrite(stream) {
  if (stream.backpressure) transformStreamSetBackpressure(stream, false);
}

// https://streams.spec.whatwg.org/#ts-default-controller-abstract-ops

function setUpTransformStreamDefaultController(stream, controller, transformAlgorithm, flushAlgorithm,
  cancelAlgorithm) {
  controller.stream = stream;
  stream.controller = controller;
  controller.transformAlgorithm = transformAlgorithm;
  controller.flushAlgorithm = flushAlgorithm;
  controller.cancelAlgorithm = cancelAlgorithm;
}

function setUpTransformStreamDefaultControllerFromTransformer(stream, transformer, transformerDict) {
  const object = ObjectCreate(TransformStreamDefaultControllerPrototype);
  const controller = {
    object, stream: undefined, transformAlgorithm: undefined, flushAlgorithm: undefined, cancelAlgorithm: undefined,
    finishPromise: undefined,
  };
  setState(object, controller);
  let transformAlgorithm = (chunk) => {
    try {
      transformStreamDefaultControllerEnqueue(controller, chunk);
    } catch (error) {
      return PromiseReject(error);
    }
    return PromiseResolve(undefined);
  };
  let flushAlgorithm = resolvedUndefined;
  let cancelAlgorithm = resolvedUndefined;
  const { transform, flush, cancel } = transformerDict;
  if (transform !== undefined) {
    transformAlgorithm = (chunk) => invokePromiseCallback(transform, transformer, [chunk, object]);
  }
  if (flush !== undefined) flushAlgorithm = () => invokePromiseCallback(flush, transformer, [object]);
  if (cancel !== undefined) cancelAlgorithm = (reason) => invokePromiseCallback(cancel, transformer, [reason]);
  setUpTransformStreamDefaultController(stream, controller, transformAlgorithm, flushAlgorithm, cancelAlgorithm);
}

function transformStreamDefaultControllerClearAlgorithms(controller) {
  controller.transformAlgorithm = undefined;
  controller.flushAlgorithm = undefined;
  controller.cancelAlgorithm = undefined;
}

function transformStreamDefaultControllerEnqueue(controller, chunk) {
  const stream = controller.stream;
  const readableController = stream.readable.controller;
  if (!ops.readableStreamDefaultControllerCanCloseOrEnqueue(readableController)) {
    throw new TypeError("The readable side is not in a state that permits enqueue.");
  }
  try {
    ops.readableStreamDefaultControllerEnqueue(readableController, chunk);
  } catch (error) {
    transformStreamErrorWritableAndUnblockWrite(stream, error);
    throw stream.readable.storedError;
  }
  const backpressure = ops.readableStreamDefaultControllerHasBackpressure(readableController);
  if (backpressure !== stream.backpressure) transformStreamSetBackpressure(stream, true);
}

function transformStreamDefaultControllerPerformTransform(controller, chunk) {
  const transformResult = controller.transformAlgorithm(chunk);
  return transformPromise(transformResult, undefined, (r) => {
    transformStreamError(controller.stream, r);
    throw r;
  });
}

function transformStreamDefaultControllerTerminate(controller) {
  const stream = controller.stream;
  ops.readableStreamDefaultControllerClose(stream.readable.controller);
  transformStreamErrorWritableAndUnblockWrite(stream, new TypeError("The transform stream was terminated."));
}

// https://streams.spec.whatwg.org/#ts-default-sink-abstract-ops

function transformStreamDefaultSinkWriteAlgorithm(stream, chunk) {
  const controller = stream.controller;
  if (stream.backpressure) {
    return transformPromise(stream.backpressureChangePromise.promise, () => {
      const writable = stream.writable;
      if (writable.state === "erroring") throw writable.storedError;
      return transformStreamDefaultControllerPerformTransform(controller, chunk);
    });
  }
  return transformStreamDefaultControllerPerformTransform(controller, chunk);
}

function transformStreamDefaultSinkAbortAlgorithm(stream, reason) {
  const controller = stream.controller;
  if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
  const readable = stream.readable;
  controller.finishPromise = newDeferred();
  const cancelPromise = controller.cancelAlgorithm(reason);
  transformStreamDefaultControllerClearAlgorithms(controller);
  uponPromise(cancelPromise, () => {
    if (readable.state === "errored") {
      controller.finishPromise.reject(readable.storedError);
    } else {
      ops.readableStreamDefaultControllerError(readable.controller, reason);
      controller.finishPromise.resolve(undefined);
    }
  }, (r) => {
    ops.readableStreamDefaultControllerError(readable.controller, r);
    controller.finishPromise.reject(r);
  });
  return controller.finishPromise.promise;
}

function transformStreamDefaultSinkCloseAlgorithm(stream) {
  const controller = stream.controller;
  if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
  const readable = stream.readable;
  controller.finishPromise = newDeferred();
  const flushPromise = controller.flushAlgorithm();
  transformStreamDefaultControllerClearAlgorithms(controller);
  uponPromise(flushPromise, () => {
    if (readable.state === "errored") {
      controller.finishPromise.reject(readable.storedError);
    } else {
      ops.readableStreamDefaultControllerClose(readable.controller);
      controller.finishPromise.resolve(undefined);
    }
  }, (r) => {
    ops.readableStreamDefaultControllerError(readable.controller, r);
    controller.finishPromise.reject(r);
  });
  return controller.finishPromise.promise;
}

// https://streams.spec.whatwg.org/#ts-default-source-abstract-ops

function transformStreamDefaultSourceCancelAlgorithm(stream, reason) {
  const controller = stream.controller;
  if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
  const writable = stream.writable;
  controller.finishPromise = newDeferred();
  const cancelPromise = controller.cancelAlgorithm(reason);
  transformStreamDefaultControllerClearAlgorithms(controller);
  uponPromise(cancelPromise, () => {
    if (writable.state === "errored") {
      controller.finishPromise.reject(writable.storedError);
    } else {
      ops.writableStreamDefaultControllerErrorIfNeeded(writable.controller, reason);
      transformStreamUnblockWrite(stream);
      controller.finishPromise.resolve(undefined);
    }
  }, (r) => {
    ops.writableStreamDefaultControllerErrorIfNeeded(writable.controller, r);
    transformStreamUnblockWrite(stream);
    controller.finishPromise.reject(r);
  });
  return controller.finishPromise.promise;
}

function transformStreamDefaultSourcePullAlgorithm(stream) {
  transformStreamSetBackpressure(stream, false);
  return stream.backpressureChangePromise.promise;
}

streams.TransformStream = TransformStream;
streams.TransformStreamDefaultController = TransformStreamDefaultController;
streams.isTransformStream = (value) => webidl.isBranded(value, TransformStreamPrototype);

// --- For other specs (https://streams.spec.whatwg.org/#ts-for-other-specs) ---------------------

/**
 * https://streams.spec.whatwg.org/#transformstream-set-up: a TransformStream (its record) whose
 * algorithms are another spec's, with the standard's default strategies (1 on the writable side,
 * 0 on the readable side). The algorithms may return a promise or throw.
 */
function setUpTransformStream(transformAlgorithm, flushAlgorithm = undefined, cancelAlgorithm = undefined) {
  const object = ObjectCreate(TransformStreamPrototype);
  const stream = { object };
  setState(object, stream);
  const startPromise = newDeferred();
  startPromise.resolve(undefined);
  initializeTransformStream(stream, startPromise, 1, () => 1, 0, () => 1);
  const controllerObject = ObjectCreate(TransformStreamDefaultControllerPrototype);
  const controller = {
    object: controllerObject, stream: undefined, transformAlgorithm: undefined, flushAlgorithm: undefined,
    cancelAlgorithm: undefined, finishPromise: undefined,
  };
  setState(controllerObject, controller);
  const wrap = (algorithm) => (argument) => {
    if (algorithm === undefined) return PromiseResolve(undefined);
    try {
      return PromiseResolve(algorithm(argument));
    } catch (error) {
      return PromiseReject(error);
    }
  };
  setUpTransformStreamDefaultController(stream, controller, wrap(transformAlgorithm), wrap(flushAlgorithm),
    wrap(cancelAlgorithm));
  return stream;
}

/**
 * Resolves once the readable side wants more (https://streams.spec.whatwg.org/#ts-default-source-pull),
 * or the stream is finished: a spec producing much output for one chunk waits here between pieces.
 */
function transformStreamWhenReadableWants(stream) {
  if (!stream.backpressure) return PromiseResolve(undefined);
  return transformPromise(stream.backpressureChangePromise.promise, () => transformStreamWhenReadableWants(stream));
}

ops.setUpTransformStream = setUpTransformStream;
/** https://streams.spec.whatwg.org/#transformstream-enqueue */
ops.transformStreamEnqueue = (stream, chunk) => transformStreamDefaultControllerEnqueue(stream.controller, chunk);
ops.transformStreamWhenReadableWants = transformStreamWhenReadableWants;
