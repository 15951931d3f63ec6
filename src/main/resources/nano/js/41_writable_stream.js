// Streams Standard, part 2: WritableStream, WritableStreamDefaultWriter and
// WritableStreamDefaultController (https://streams.spec.whatwg.org/#ws). Same record layout as
// 40_readable_stream.js: internal slots in a record at `stateOf(this)`, its `object` the app's.
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
  newDeferred, resolvedDeferred, rejectedDeferred, markHandled, uponPromise, promiseCall, invokePromiseCallback,
  resolvedUndefined, dequeueValue, enqueueValueWithSize, peekQueueValue, resetQueue, extractHighWaterMark,
  extractSizeAlgorithm, abortHooks,
} = ops;

converters.UnderlyingSink = webidl.createDictionaryConverter("UnderlyingSink", [
  { key: "start", converter: ops.callbackConverter },
  { key: "write", converter: ops.callbackConverter },
  { key: "close", converter: ops.callbackConverter },
  { key: "abort", converter: ops.callbackConverter },
  { key: "type", converter: (V) => V },
]);

/** The queue's marker for close(), https://streams.spec.whatwg.org/#close-sentinel */
const CLOSE_SENTINEL = { closeSentinel: true };

class WritableStream {
  constructor(underlyingSink = undefined, strategy = undefined) {
    const prefix = "Failed to construct 'WritableStream'";
    if (underlyingSink !== undefined) underlyingSink = converters.object(underlyingSink, prefix, "Argument 1");
    strategy = converters.QueuingStrategy(strategy, prefix, "Argument 2");
    if (underlyingSink === undefined) underlyingSink = null;
    const underlyingSinkDict = converters.UnderlyingSink(underlyingSink, prefix, "Argument 1");
    if (underlyingSinkDict.type !== undefined) throw new RangeError(`${prefix}: invalid type is specified.`);
    const stream = newWritableStreamRecord(this);
    const sizeAlgorithm = extractSizeAlgorithm(strategy);
    const highWaterMark = extractHighWaterMark(strategy, 1);
    setUpWritableStreamDefaultControllerFromUnderlyingSink(stream, underlyingSink, underlyingSinkDict, highWaterMark,
      sizeAlgorithm);
  }

  get locked() {
    webidl.assertBranded(this, WritableStreamPrototype);
    return isWritableStreamLocked(stateOf(this));
  }

  abort(reason = undefined) {
    return promiseCall(() => {
      webidl.assertBranded(this, WritableStreamPrototype);
      const stream = stateOf(this);
      if (isWritableStreamLocked(stream)) return PromiseReject(new TypeError("The stream is locked."));
      return writableStreamAbort(stream, reason);
    });
  }

  close() {
    return promiseCall(() => {
      webidl.assertBranded(this, WritableStreamPrototype);
      const stream = stateOf(this);
      if (isWritableStreamLocked(stream)) return PromiseReject(new TypeError("The stream is locked."));
      if (writableStreamCloseQueuedOrInFlight(stream)) {
        return PromiseReject(new TypeError("The stream is closed or closing."));
      }
      return writableStreamClose(stream);
    });
  }

  getWriter() {
    webidl.assertBranded(this, WritableStreamPrototype);
    return acquireWritableStreamDefaultWriter(stateOf(this)).object;
  }
}
const WritableStreamPrototype = WritableStream.prototype;
webidl.configureInterface(WritableStream);

class WritableStreamDefaultWriter {
  constructor(stream) {
    const prefix = "Failed to construct 'WritableStreamDefaultWriter'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    stream = converters.WritableStream(stream, prefix, "Argument 1");
    const writer = newWriterRecord(this);
    setUpWritableStreamDefaultWriter(writer, stateOf(stream));
  }

  get closed() {
    if (!webidl.isBranded(this, WritableStreamDefaultWriterPrototype)) {
      return PromiseReject(new TypeError("Illegal invocation"));
    }
    return stateOf(this).closedPromise.promise;
  }

  get desiredSize() {
    webidl.assertBranded(this, WritableStreamDefaultWriterPrototype);
    const writer = stateOf(this);
    if (writer.stream === undefined) throw new TypeError("The writer has been released.");
    return writableStreamDefaultWriterGetDesiredSize(writer);
  }

  get ready() {
    if (!webidl.isBranded(this, WritableStreamDefaultWriterPrototype)) {
      return PromiseReject(new TypeError("Illegal invocation"));
    }
    return stateOf(this).readyPromise.promise;
  }

  abort(reason = undefined) {
    return promiseCall(() => {
      webidl.assertBranded(this, WritableStreamDefaultWriterPrototype);
      const writer = stateOf(this);
      if (writer.stream === undefined) return PromiseReject(new TypeError("The writer has been released."));
      return writableStreamAbort(writer.stream, reason);
    });
  }

  close() {
    return promiseCall(() => {
      webidl.assertBranded(this, WritableStreamDefaultWriterPrototype);
      const writer = stateOf(this);
      const stream = writer.stream;
      if (stream === undefined) return PromiseReject(new TypeError("The writer has been released."));
      if (writableStreamCloseQueuedOrInFlight(stream)) {
        return PromiseReject(new TypeError("The stream is closed or closing."));
      }
      return writableStreamClose(stream);
    });
  }

  releaseLock() {
    webidl.assertBranded(this, WritableStreamDefaultWriterPrototype);
    const writer = stateOf(this);
    if (writer.stream === undefined) return;
    writableStreamDefaultWriterRelease(writer);
  }

  write(chunk = undefined) {
    return promiseCall(() => {
      webidl.assertBranded(this, WritableStreamDefaultWriterPrototype);
      const writer = stateOf(this);
      if (writer.stream === undefined) return PromiseReject(new TypeError("The writer has been released."));
      return writableStreamDefaultWriterWrite(writer, chunk);
    });
  }
}
const WritableStreamDefaultWriterPrototype = WritableStreamDefaultWriter.prototype;
webidl.configureInterface(WritableStreamDefaultWriter);

class WritableStreamDefaultController {
  constructor() {
    webidl.illegalConstructor();
  }

  get signal() {
    webidl.assertBranded(this, WritableStreamDefaultControllerPrototype);
    return stateOf(this).abortController?.signal;
  }

  error(e = undefined) {
    webidl.assertBranded(this, WritableStreamDefaultControllerPrototype);
    const controller = stateOf(this);
    if (controller.stream.state !== "writable") return;
    writableStreamDefaultControllerError(controller, e);
  }
}
const WritableStreamDefaultControllerPrototype = WritableStreamDefaultController.prototype;
webidl.configureInterface(WritableStreamDefaultController);

// --- Records ----------------------------------------------------------------------------------

function newWritableStreamRecord(object = ObjectCreate(WritableStreamPrototype)) {
  const stream = {
    object, state: "writable", storedError: undefined, writer: undefined, controller: undefined,
    inFlightWriteRequest: undefined, closeRequest: undefined, inFlightCloseRequest: undefined,
    pendingAbortRequest: undefined, writeRequests: new ops.Queue(), backpressure: false,
  };
  setState(object, stream);
  return stream;
}

function newWriterRecord(object) {
  const writer = { object, stream: undefined, closedPromise: undefined, readyPromise: undefined };
  setState(object, writer);
  return writer;
}

function newControllerRecord() {
  const object = ObjectCreate(WritableStreamDefaultControllerPrototype);
  const controller = {
    object, stream: undefined, queue: undefined, queueTotalSize: 0, abortController: undefined, started: false,
    strategySizeAlgorithm: undefined, strategyHWM: 1, writeAlgorithm: undefined, closeAlgorithm: undefined,
    abortAlgorithm: undefined,
  };
  setState(object, controller);
  return controller;
}

// --- WritableStream abstract operations (https://streams.spec.whatwg.org/#ws-abstract-ops) ----

function acquireWritableStreamDefaultWriter(stream) {
  const writer = newWriterRecord(ObjectCreate(WritableStreamDefaultWriterPrototype));
  setUpWritableStreamDefaultWriter(writer, stream);
  return writer;
}

function createWritableStream(startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm, highWaterMark = 1,
  sizeAlgorithm = () => 1) {
  const stream = newWritableStreamRecord();
  const controller = newControllerRecord();
  setUpWritableStreamDefaultController(stream, controller, startAlgorithm, writeAlgorithm, closeAlgorithm,
    abortAlgorithm, highWaterMark, sizeAlgorithm);
  return stream;
}

function isWritableStreamLocked(stream) {
  return stream.writer !== undefined;
}

function setUpWritableStreamDefaultWriter(writer, stream) {
  if (isWritableStreamLocked(stream)) throw new TypeError("The stream is locked.");
  writer.stream = stream;
  stream.writer = writer;
  const state = stream.state;
  if (state === "writable") {
    if (!writableStreamCloseQueuedOrInFlight(stream) && stream.backpressure) writer.readyPromise = newDeferred();
    else writer.readyPromise = resolvedDeferred(undefined);
    writer.closedPromise = newDeferred();
  } else if (state === "erroring") {
    writer.readyPromise = rejectedDeferred(stream.storedError);
    markHandled(writer.readyPromise.promise);
    writer.closedPromise = newDeferred();
  } else if (state === "closed") {
    writer.readyPromise = resolvedDeferred(undefined);
    writer.closedPromise = resolvedDeferred(undefined);
  } else {
    const storedError = stream.storedError;
    writer.readyPromise = rejectedDeferred(storedError);
    markHandled(writer.readyPromise.promise);
    writer.closedPromise = rejectedDeferred(storedError);
    markHandled(writer.closedPromise.promise);
  }
}

function writableStreamAbort(stream, reason) {
  if (stream.state === "closed" || stream.state === "errored") return PromiseResolve(undefined);
  stream.controller.abortController?.abort(reason);
  const state = stream.state;
  // Signalling abort ran app code, which may have closed or errored the stream.
  if (state === "closed" || state === "errored") return PromiseResolve(undefined);
  if (stream.pendingAbortRequest !== undefined) return stream.pendingAbortRequest.promise.promise;
  let wasAlreadyErroring = false;
  if (state === "erroring") {
    wasAlreadyErroring = true;
    reason = undefined;
  }
  const promise = newDeferred();
  stream.pendingAbortRequest = { promise, reason, wasAlreadyErroring };
  if (!wasAlreadyErroring) writableStreamStartErroring(stream, reason);
  return promise.promise;
}

function writableStreamClose(stream) {
  const state = stream.state;
  if (state === "closed" || state === "errored") {
    return PromiseReject(new TypeError("The stream is closed or errored."));
  }
  const promise = newDeferred();
  stream.closeRequest = promise;
  const writer = stream.writer;
  if (writer !== undefined && stream.backpressure && state === "writable") writer.readyPromise.resolve(undefined);
  writableStreamDefaultControllerClose(stream.controller);
  return promise.promise;
}

// https://streams.spec.whatwg.org/#ws-abstract-ops-used-by-controllers

function writableStreamAddWriteRequest(stream) {
  const promise = newDeferred();
  stream.writeRequests.push(promise);
  return promise.promise;
}

function writableStreamCloseQueuedOrInFlight(stream) {
  return stream.closeRequest !== undefined || stream.inFlightCloseRequest !== undefined;
}

function writableStreamDealWithRejection(stream, error) {
  if (stream.state === "writable") {
    writableStreamStartErroring(stream, error);
    return;
  }
  writableStreamFinishErroring(stream);
}

function writableStreamFinishErroring(stream) {
  stream.state = "errored";
  resetQueue(stream.controller);
  const storedError = stream.storedError;
  const writeRequests = stream.writeRequests;
  stream.writeRequests = new ops.Queue();
  while (writeRequests.size > 0) writeRequests.shift().reject(storedError);
  if (stream.pendingAbortRequest === undefined) {
    writableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
    return;
  }
  const abortRequest = stream.pendingAbortRequest;
  stream.pendingAbortRequest = undefined;
  if (abortRequest.wasAlreadyErroring) {
    abortRequest.promise.reject(storedError);
    writableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
    return;
  }
  const promise = writableStreamDefaultControllerAbortSteps(stream.controller, abortRequest.reason);
  uponPromise(promise, () => {
    abortRequest.promise.resolve(undefined);
    writableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
  }, (reason) => {
    abortRequest.promise.reject(reason);
    writableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
  });
}

function writableStreamFinishInFlightClose(stream) {
  stream.inFlightCloseRequest.resolve(undefined);
  stream.inFlightCloseRequest = undefined;
  if (stream.state === "erroring") {
    stream.storedError = undefined;
    if (stream.pendingAbortRequest !== undefined) {
      stream.pendingAbortRequest.promise.resolve(undefined);
      stream.pendingAbortRequest = undefined;
    }
  }
  stream.state = "closed";
  const writer = stream.writer;
  if (writer !== undefined) writer.closedPromise.resolve(undefined);
}

function writableStreamFinishInFlightCloseWithError(stream, error) {
  stream.inFlightCloseRequest.reject(error);
  stream.inFlightCloseRequest = undefined;
  if (stream.pendingAbortRequest !== undefined) {
    stream.pendingAbortRequest.promise.reject(error);
    stream.pendingAbortRequest = undefined;
  }
  writableStreamDealWithRejection(stream, error);
}

function writableStreamFinishInFlightWrite(stream) {
  stream.inFlightWriteRequest.resolve(undefined);
  stream.inFlightWriteRequest = undefined;
}

function writableStreamFinishInFlightWriteWithError(stream, error) {
  stream.inFlightWriteRequest.reject(error);
  stream.inFlightWriteRequest = undefined;
  writableStreamDealWithRejection(stream, error);
}

function writableStreamHasOperationMarkedInFlight(stream) {
  return stream.inFlightWriteRequest !== undefined || stream.inFlightCloseRequest !== undefined;
}

function writableStreamMarkCloseRequestInFlight(stream) {
  stream.inFlightCloseRequest = stream.closeRequest;
  stream.closeRequest = undefined;
}

function writableStreamMarkFirstWriteRequestInFlight(stream) {
  stream.inFlightWriteRequest = stream.writeRequests.shift();
}

function writableStreamRejectCloseAndClosedPromiseIfNeeded(stream) {
  if (stream.closeRequest !== undefined) {
    stream.closeRequest.reject(stream.storedError);
    stream.closeRequest = undefined;
  }
  const writer = stream.writer;
  if (writer !== undefined) {
    writer.closedPromise.reject(stream.storedError);
    markHandled(writer.closedPromise.promise);
  }
}

function writableStreamStartErroring(stream, reason) {
  const controller = stream.controller;
  stream.state = "erroring";
  stream.storedError = reason;
  const writer = stream.writer;
  if (writer !== undefined) writableStreamDefaultWriterEnsureReadyPromiseRejected(writer, reason);
  if (!writableStreamHasOperationMarkedInFlight(stream) && controller.started) writableStreamFinishErroring(stream);
}

function writableStreamUpdateBackpressure(stream, backpressure) {
  const writer = stream.writer;
  if (writer !== undefined && backpressure !== stream.backpressure) {
    if (backpressure) writer.readyPromise = newDeferred();
    else writer.readyPromise.resolve(undefined);
  }
  stream.backpressure = backpressure;
}

// --- Writers (https://streams.spec.whatwg.org/#ws-writer-abstract-ops) ------------------------

function writableStreamDefaultWriterCloseWithErrorPropagation(writer) {
  const stream = writer.stream;
  const state = stream.state;
  if (writableStreamCloseQueuedOrInFlight(stream) || state === "closed") return PromiseResolve(undefined);
  if (state === "errored") return PromiseReject(stream.storedError);
  return writableStreamClose(stream);
}

function writableStreamDefaultWriterEnsureClosedPromiseRejected(writer, error) {
  if (writer.closedPromise.state === "pending") writer.closedPromise.reject(error);
  else writer.closedPromise = rejectedDeferred(error);
  markHandled(writer.closedPromise.promise);
}

function writableStreamDefaultWriterEnsureReadyPromiseRejected(writer, error) {
  if (writer.readyPromise.state === "pending") writer.readyPromise.reject(error);
  else writer.readyPromise = rejectedDeferred(error);
  markHandled(writer.readyPromise.promise);
}

function writableStreamDefaultWriterGetDesiredSize(writer) {
  const stream = writer.stream;
  const state = stream.state;
  if (state === "errored" || state === "erroring") return null;
  if (state === "closed") return 0;
  return writableStreamDefaultControllerGetDesiredSize(stream.controller);
}

function writableStreamDefaultWriterRelease(writer) {
  const stream = writer.stream;
  const releasedError = new TypeError("The writer was released.");
  writableStreamDefaultWriterEnsureReadyPromiseRejected(writer, releasedError);
  writableStreamDefaultWriterEnsureClosedPromiseRejected(writer, releasedError);
  stream.writer = undefined;
  writer.stream = undefined;
}

function writableStreamDefaultWriterWrite(writer, chunk) {
  const stream = writer.stream;
  const controller = stream.controller;
  const chunkSize = writableStreamDefaultControllerGetChunkSize(controller, chunk);
  if (stream !== writer.stream) return PromiseReject(new TypeError("The writer was released."));
  const state = stream.state;
  if (state === "errored") return PromiseReject(stream.storedError);
  if (writableStreamCloseQueuedOrInFlight(stream) || state === "closed") {
    return PromiseReject(new TypeError("The stream is closing or closed."));
  }
  if (state === "erroring") return PromiseReject(stream.storedError);
  const promise = writableStreamAddWriteRequest(stream);
  writableStreamDefaultControllerWrite(controller, chunk, chunkSize);
  return promise;
}

// --- Controllers (https://streams.spec.whatwg.org/#ws-default-controller-abstract-ops) --------

function writableStreamDefaultControllerAbortSteps(controller, reason) {
  const result = controller.abortAlgorithm(reason);
  writableStreamDefaultControllerClearAlgorithms(controller);
  return result;
}

function setUpWritableStreamDefaultController(stream, controller, startAlgorithm, writeAlgorithm, closeAlgorithm,
  abortAlgorithm, highWaterMark, sizeAlgorithm) {
  controller.stream = stream;
  stream.controller = controller;
  resetQueue(controller);
  controller.abortController = abortHooks.newController();
  controller.started = false;
  controller.strategySizeAlgorithm = sizeAlgorithm;
  controller.strategyHWM = highWaterMark;
  controller.writeAlgorithm = writeAlgorithm;
  controller.closeAlgorithm = closeAlgorithm;
  controller.abortAlgorithm = abortAlgorithm;
  writableStreamUpdateBackpressure(stream, writableStreamDefaultControllerGetBackpressure(controller));
  const startResult = startAlgorithm();
  uponPromise(ops.promiseResolvedWith(startResult), () => {
    controller.started = true;
    writableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
  }, (r) => {
    controller.started = true;
    writableStreamDealWithRejection(stream, r);
  });
}

function setUpWritableStreamDefaultControllerFromUnderlyingSink(stream, underlyingSink, underlyingSinkDict,
  highWaterMark, sizeAlgorithm) {
  const controller = newControllerRecord();
  let startAlgorithm = () => undefined;
  let writeAlgorithm = resolvedUndefined;
  let closeAlgorithm = resolvedUndefined;
  let abortAlgorithm = resolvedUndefined;
  const { start, write, close, abort } = underlyingSinkDict;
  if (start !== undefined) startAlgorithm = () => ReflectApply(start, underlyingSink, [controller.object]);
  if (write !== undefined) {
    writeAlgorithm = (chunk) => invokePromiseCallback(write, underlyingSink, [chunk, controller.object]);
  }
  if (close !== undefined) closeAlgorithm = () => invokePromiseCallback(close, underlyingSink, []);
  if (abort !== undefined) abortAlgorithm = (reason) => invokePromiseCallback(abort, underlyingSink, [reason]);
  setUpWritableStreamDefaultController(stream, controller, startAlgorithm, writeAlgorithm, closeAlgorithm,
    abortAlgorithm, highWaterMark, sizeAlgorithm);
}

function writableStreamDefaultControllerAdvanceQueueIfNeeded(controller) {
  const stream = controller.stream;
  if (!controller.started) return;
  if (stream.inFlightWriteRequest !== undefined) return;
  if (stream.state === "erroring") {
    writableStreamFinishErroring(stream);
    return;
  }
  if (controller.queue.size === 0) return;
  const value = peekQueueValue(controller);
  if (value === CLOSE_SENTINEL) writableStreamDefaultControllerProcessClose(controller);
  else writableStreamDefaultControllerProcessWrite(controller, value);
}

function writableStreamDefaultControllerClearAlgorithms(controller) {
  controller.writeAlgorithm = undefined;
  controller.closeAlgorithm = undefined;
  controller.abortAlgorithm = undefined;
  controller.strategySizeAlgorithm = undefined;
}

function writableStreamDefaultControllerClose(controller) {
  enqueueValueWithSize(controller, CLOSE_SENTINEL, 0);
  writableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
}

function writableStreamDefaultControllerError(controller, error) {
  writableStreamDefaultControllerClearAlgorithms(controller);
  writableStreamStartErroring(controller.stream, error);
}

function writableStreamDefaultControllerErrorIfNeeded(controller, error) {
  if (controller.stream.state === "writable") writableStreamDefaultControllerError(controller, error);
}

function writableStreamDefaultControllerGetBackpressure(controller) {
  return writableStreamDefaultControllerGetDesiredSize(controller) <= 0;
}

function writableStreamDefaultControllerGetChunkSize(controller, chunk) {
  if (controller.strategySizeAlgorithm === undefined) return 1;
  try {
    return controller.strategySizeAlgorithm(chunk);
  } catch (error) {
    writableStreamDefaultControllerErrorIfNeeded(controller, error);
    return 1;
  }
}

function writableStreamDefaultControllerGetDesiredSize(controller) {
  return controller.strategyHWM - controller.queueTotalSize;
}

function writableStreamDefaultControllerProcessClose(controller) {
  const stream = controller.stream;
  writableStreamMarkCloseRequestInFlight(stream);
  dequeueValue(controller);
  const sinkClosePromise = controller.closeAlgorithm();
  writableStreamDefaultControllerClearAlgorithms(controller);
  uponPromise(sinkClosePromise, () => writableStreamFinishInFlightClose(stream),
    (reason) => writableStreamFinishInFlightCloseWithError(stream, reason));
}

function writableStreamDefaultControllerProcessWrite(controller, chunk) {
  const stream = controller.stream;
  writableStreamMarkFirstWriteRequestInFlight(stream);
  const sinkWritePromise = controller.writeAlgorithm(chunk);
  uponPromise(sinkWritePromise, () => {
    writableStreamFinishInFlightWrite(stream);
    const state = stream.state;
    dequeueValue(controller);
    if (!writableStreamCloseQueuedOrInFlight(stream) && state === "writable") {
      writableStreamUpdateBackpressure(stream, writableStreamDefaultControllerGetBackpressure(controller));
    }
    writableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
  }, (reason) => {
    if (stream.state === "writable") writableStreamDefaultControllerClearAlgorithms(controller);
    writableStreamFinishInFlightWriteWithError(stream, reason);
  });
}

function writableStreamDefaultControllerWrite(controller, chunk, chunkSize) {
  try {
    enqueueValueWithSize(controller, chunk, chunkSize);
  } catch (error) {
    writableStreamDefaultControllerErrorIfNeeded(controller, error);
    return;
  }
  const stream = controller.stream;
  if (!writableStreamCloseQueuedOrInFlight(stream) && stream.state === "writable") {
    writableStreamUpdateBackpressure(stream, writableStreamDefaultControllerGetBackpressure(controller));
  }
  writableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
}

// --- The internal API other families build on -------------------------------------------------

/**
 * A WritableStream driven by a host sink (the body bridge, 43_host_streams.js). `sink.write(chunk)`
 * is called for one chunk at a time and returns a promise (or nothing) that settles when the
 * sink can take the next; `sink.close()` once after the last write; `sink.abort(reason)` if the
 * producer aborts or errors the stream. All three are optional; a rejection errors the stream.
 * `highWaterMark` counts chunks unless `size(chunk)` is given. Returns the app-facing WritableStream.
 */
function writableStreamFromSink(sink, highWaterMark = 1, size = undefined) {
  // The records hang under a key apps can compute, so an app could call these algorithms
  // itself: the closures keep the host's contract (one write at a time, then one close or
  // abort) on their own.
  let busy = false;
  let finished = false;
  const call = (name, args, finishing) => {
    if (busy || finished) return PromiseReject(new TypeError("The sink is busy or finished."));
    if (finishing) finished = true;
    if (typeof sink[name] !== "function") return PromiseResolve(undefined);
    busy = !finishing;
    return uponPromise(invokePromiseCallback(sink[name], sink, args), () => {
      busy = false;
    }, (error) => {
      busy = false;
      throw error;
    });
  };
  const sizeAlgorithm = size === undefined ? () => 1 : (chunk) => size(chunk);
  const stream = createWritableStream(() => undefined, (chunk) => call("write", [chunk], false),
    () => call("close", [], true), (reason) => call("abort", [reason], true), highWaterMark, sizeAlgorithm);
  return stream.object;
}

streams.WritableStream = WritableStream;
streams.WritableStreamDefaultWriter = WritableStreamDefaultWriter;
streams.WritableStreamDefaultController = WritableStreamDefaultController;
streams.isWritableStream = (value) => webidl.isBranded(value, WritableStreamPrototype);
streams.isWritableStreamLocked = (object) => isWritableStreamLocked(stateOf(object));
ops.isWritableStreamLocked = isWritableStreamLocked;
ops.acquireWritableStreamDefaultWriter = acquireWritableStreamDefaultWriter;
ops.createWritableStream = createWritableStream;
ops.writableStreamAbort = writableStreamAbort;
ops.writableStreamCloseQueuedOrInFlight = writableStreamCloseQueuedOrInFlight;
ops.writableStreamDefaultWriterCloseWithErrorPropagation = writableStreamDefaultWriterCloseWithErrorPropagation;
ops.writableStreamDefaultWriterRelease = writableStreamDefaultWriterRelease;
ops.writableStreamDefaultWriterWrite = writableStreamDefaultWriterWrite;
ops.writableStreamDefaultControllerErrorIfNeeded = writableStreamDefaultControllerErrorIfNeeded;
streams.writableStreamFromSink = writableStreamFromSink;
