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
  String,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSlice,
  Uint8Array,
} = internals.primordials;
const { stateOf, setState } = internals.webidl;
const streams = internals.streams;
const { ops } = streams;

/** Must match HostSink.MAX_WRITE: the most bytes the host copies in one write. */
const MAX_WRITE = 64 * 1024;
const resolved = PromiseResolve(undefined);

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

/** Bytes a response body may write in one task before the pump yields to the event loop. */
const YIELD_BYTES = 256 * 1024;

/**
 * Writes chunks (Uint8Arrays) to a host sink in pieces of at most MAX_WRITE bytes, waiting for
 * the sink's drain when its write queue is full. A client that keeps up never fills the queue,
 * and microtasks would then pump the whole body in one slice: every YIELD_BYTES, within a chunk
 * or between chunks, the rest goes on in a new task, handing the loop back (other requests,
 * other apps, the CPU limit's slices). `next` is called once a chunk is written.
 */
function chunkWriter(sink, isFinished, next) {
  let sinceYield = 0;
  const yieldThen = (continuation) => {
    sinceYield = 0;
    internals.tasks.post(() => {
      if (!isFinished()) continuation();
    });
  };
  function writeChunk(chunk, offset) {
    const buffer = TypedArrayPrototypeGetBuffer(chunk);
    const start = TypedArrayPrototypeGetByteOffset(chunk);
    const length = TypedArrayPrototypeGetByteLength(chunk);
    while (offset < length) {
      if (sinceYield >= YIELD_BYTES) {
        const at = offset;
        yieldThen(() => writeChunk(chunk, at));
        return;
      }
      const piece = MathMin(MAX_WRITE, length - offset);
      const writable = sink.write(buffer, start + offset, piece);
      offset += piece;
      sinceYield += piece;
      if (isFinished()) return;
      if (!writable) {
        const at = offset;
        sink.onDrain(() => {
          sinceYield = 0; // the drain arrives as a task of its own
          if (isFinished()) return;
          if (at < length) writeChunk(chunk, at);
          else next();
        });
        return;
      }
    }
    if (sinceYield >= YIELD_BYTES) {
      yieldThen(next);
    } else {
      // The next read in a fresh microtask: a queue of ready chunks must not deepen the stack.
      PromisePrototypeThen(resolved, next);
    }
  }
  return writeChunk;
}

/**
 * Writes an app's ReadableStream to a host sink (HostSink, or a fetch's upload) and ends it; the stream is locked
 * from here on. A chunk that is not a Uint8Array, or the stream erroring, cuts the response;
 * the client going away cancels the stream with a TypeError naming why.
 */
function writeToHost(streamObject, sink, what = "response") {
  const stream = stateOf(streamObject);
  const reader = ops.acquireReadableStreamDefaultReader(stream);
  let finished = false;
  sink.onCancel((reason) => {
    finished = true;
    ops.readableStreamCancel(stream, new TypeError(reason));
  });
  const fail = (reason) => {
    finished = true;
    sink.abort(reason);
  };
  const writeChunk = chunkWriter(sink, () => finished, readNext);

  function readNext() {
    if (finished) return;
    ops.readableStreamDefaultReaderRead(reader, {
      chunkSteps(chunk) {
        if (finished) return;
        if (typeof chunk !== "object" || chunk === null || TypedArrayPrototypeGetSymbolToStringTag(chunk) !== "Uint8Array") {
          const error = new TypeError(`The ${what} stream gave a chunk that is not a Uint8Array.`);
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

/**
 * Writes a whole body held in memory (a Uint8Array) to a host sink the same way, in pieces:
 * the host never copies a large body at once (RequestScope.MAX_BYTES_BODY).
 */
function writeBytesToHost(bytes, sink) {
  let finished = false;
  sink.onCancel(() => {
    finished = true;
  });
  const writeChunk = chunkWriter(sink, () => finished, () => {
    if (!finished) {
      finished = true;
      sink.end();
    }
  });
  writeChunk(bytes, 0);
}

/** UTF-16 code units encoded per piece of a large string body. */
const TEXT_SLICE = 64 * 1024;

/**
 * Writes a large string body to a host sink slice by slice, each encoded to UTF-8 on its own
 * (a slice never ends between the halves of a surrogate pair), so neither the encoding nor the
 * copy of the whole string happens in one go on the loop.
 */
function writeTextToHost(text, sink) {
  let finished = false;
  let at = 0;
  sink.onCancel(() => {
    finished = true;
  });
  const nextSlice = () => {
    if (finished) return;
    if (at >= text.length) {
      finished = true;
      sink.end();
      return;
    }
    let end = MathMin(text.length, at + TEXT_SLICE);
    const last = StringPrototypeCharCodeAt(text, end - 1);
    if (end < text.length && last >= 0xD800 && last <= 0xDBFF) end--;
    const slice = StringPrototypeSlice(text, at, end);
    at = end;
    writeChunk(internals.encoding.utf8Encode(slice), 0);
  };
  const writeChunk = chunkWriter(sink, () => finished, nextSlice);
  nextSlice();
}

internals.hostStreams = { readableFromHost, writeToHost, writeBytesToHost, writeTextToHost };
