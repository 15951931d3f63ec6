// The body bridge's JS side (decision 3 of ARCHITECTURE.md): host bodies as ReadableStreams and
// app ReadableStreams written to the host, with the host's credit as the only backpressure.
//
// - A request body (web/streams/HostStream.java) becomes a byte stream whose every pull is one
//   request(1) on the socket's Multi: with a high-water mark of 0 nothing is read ahead of a
//   reader, so an upload nobody reads stays paused.
// - A response stream is read one chunk at a time and written to web/streams/HostSink.java in
//   pieces of at most 64 KiB; when the sink reports its write queue full, the next read waits
//   for its drain, so a stalled client stops the app's stream after one chunk.
const {
  ArrayBuffer,
  MathMin,
  Promise,
  PromisePrototypeThen,
  PromiseResolve,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSlice,
  Uint8Array,
} = internals.primordials;
const { kState } = internals.webidl;
const streams = internals.streams;
const { ops } = streams;

/** Must match HostSink.MAX_WRITE: the most bytes the host copies in one write. */
const MAX_WRITE = 64 * 1024;
const resolved = PromiseResolve(undefined);
/** Bytes a response stream may write in one task before the pump yields to the event loop. */
const YIELD_BYTES = 256 * 1024;

/** A byte ReadableStream over a host body source (HostStream). */
function readableFromHost(hostStream) {
  return streams.readableStreamFromPull({
    pull() {
      return new Promise((resolve, reject) => {
        hostStream.pull(
          // A JS-owned copy: a stream may transfer its chunks' buffers, which a buffer wrapped
          // around host memory cannot be.
          (buffer) => resolve(TypedArrayPrototypeSlice(new Uint8Array(new ArrayBuffer(buffer)))),
          () => resolve(null),
          (message) => reject(new TypeError(message)));
      });
    },
    cancel() {
      hostStream.cancel();
    },
  }, 0);
}

const { describe } = internals.infra;

/**
 * Writes an app's ReadableStream to a host sink (HostSink) and ends it; the stream is locked
 * from here on. A chunk that is not a Uint8Array, or the stream erroring, cuts the response;
 * the client going away cancels the stream with a TypeError naming why.
 */
function writeToHost(streamObject, sink) {
  const stream = streamObject[kState];
  const reader = ops.acquireReadableStreamDefaultReader(stream);
  let finished = false;
  let sinceYield = 0;
  sink.onCancel((reason) => {
    finished = true;
    ops.readableStreamCancel(stream, new TypeError(reason));
  });
  const fail = (reason) => {
    finished = true;
    sink.abort(reason);
  };

  function writeChunk(chunk, offset) {
    const buffer = TypedArrayPrototypeGetBuffer(chunk);
    const start = TypedArrayPrototypeGetByteOffset(chunk);
    const length = TypedArrayPrototypeGetByteLength(chunk);
    while (offset < length) {
      const piece = MathMin(MAX_WRITE, length - offset);
      const writable = sink.write(buffer, start + offset, piece);
      offset += piece;
      if (finished) return;
      if (!writable) {
        sink.onDrain(() => {
          sinceYield = 0; // the drain arrives as a task of its own
          return offset < length ? writeChunk(chunk, offset) : readNext();
        });
        return;
      }
    }
    sinceYield += length;
    if (sinceYield >= YIELD_BYTES) {
      // A client that keeps up never fills the write queue, and microtasks would then pump the
      // whole body in one slice: hand the loop back (other requests, the CPU limit's slices).
      sinceYield = 0;
      internals.tasks.post(readNext);
    } else {
      // The next read in a fresh microtask: a queue of ready chunks must not deepen the stack.
      PromisePrototypeThen(resolved, readNext);
    }
  }

  function readNext() {
    if (finished) return;
    ops.readableStreamDefaultReaderRead(reader, {
      chunkSteps(chunk) {
        if (finished) return;
        if (typeof chunk !== "object" || chunk === null || TypedArrayPrototypeGetSymbolToStringTag(chunk) !== "Uint8Array") {
          const error = new TypeError("The response stream gave a chunk that is not a Uint8Array.");
          fail(error.message);
          ops.readableStreamCancel(stream, error);
          return;
        }
        writeChunk(chunk, 0);
      },
      closeSteps() {
        if (!finished) {
          finished = true;
          sink.end();
        }
      },
      errorSteps(error) {
        if (!finished) fail(describe(error));
      },
    });
  }
  readNext();
}

internals.hostStreams = { readableFromHost, writeToHost };
