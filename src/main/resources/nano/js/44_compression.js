// The Compression Standard (https://compression.spec.whatwg.org/): CompressionStream and
// DecompressionStream for "gzip", "deflate" and "deflate-raw", as TransformStreams set up with
// the standard's algorithms over a zlib codec in Java (binding.compression, CompressionOps).
//
// Departure, on purpose: the standard enqueues all output of one chunk at once. Here the codec
// gives its output in pieces of at most 64 KiB and the transform waits for the reader between
// pieces, so a small chunk that inflates to gigabytes (a decompression bomb) holds at most one
// piece in memory beyond what the reader has asked for. A reader sees the same bytes in the same
// order; a writer's write() settles once the reader has taken all but the last piece.
const {
  ArrayBuffer,
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  ObjectFreeze,
  Promise,
  PromisePrototypeThen,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag,
  Uint8Array,
} = internals.primordials;
const { webidl, streams } = internals;
const { ops } = streams;
const { stateOf, setState } = webidl;
const host = binding.compression;
/** 16 pieces of at most 64 KiB: at most 1 MiB of output per task. */
const PIECES_PER_TASK = 16;

const compressionFormat = webidl.createEnumConverter("CompressionFormat", ["deflate", "deflate-raw", "gzip"]);

/**
 * The ArrayBuffer and byte range of a BufferSource chunk
 * (https://webidl.spec.whatwg.org/#BufferSource: no SharedArrayBuffer), or a TypeError.
 */
function chunkRange(chunk) {
  let buffer;
  let offset = 0;
  let length;
  if (ArrayBufferIsView(chunk)) {
    if (TypedArrayPrototypeGetSymbolToStringTag(chunk) !== undefined) {
      buffer = TypedArrayPrototypeGetBuffer(chunk);
      offset = TypedArrayPrototypeGetByteOffset(chunk);
      length = TypedArrayPrototypeGetByteLength(chunk);
    } else {
      buffer = DataViewPrototypeGetBuffer(chunk);
      offset = DataViewPrototypeGetByteOffset(chunk);
      length = DataViewPrototypeGetByteLength(chunk);
    }
  } else {
    buffer = chunk;
  }
  try {
    const bufferLength = ArrayBufferPrototypeGetByteLength(buffer);
    if (length === undefined) length = bufferLength;
  } catch {
    throw new TypeError("The chunk is not a BufferSource (an ArrayBuffer or a view on one, not shared).");
  }
  return [buffer, offset, length];
}

/**
 * The transform's three algorithms over one Java codec: "compress and enqueue a chunk" and
 * "compress flush and enqueue" (https://compression.spec.whatwg.org/#compress-and-enqueue-a-chunk),
 * or their decompression twins. The codec's native memory is freed when the stream finishes,
 * errors or is cancelled (and by the host when the owning request closes).
 */
function setUpCodecStream(format, compress) {
  const codec = host.create(format, compress);
  if (codec === null) throw new TypeError("The request that creates this stream has finished.");
  let stream;
  let piecesThisTask = 0;

  const fail = (message) => {
    codec.close();
    throw new TypeError(message);
  };

  // Enqueues every piece the codec has for the input so far. Between pieces it waits for the
  // reader, and every PIECES_PER_TASK pieces for a task of its own: inflating is Java work the
  // watchdog cannot see, and a fast reader would otherwise keep one slice (and the event loop)
  // busy, and count its allocations, for the whole output.
  function drain() {
    let piece = codec.read();
    while (piece !== null) {
      if (typeof piece === "string") fail(piece);
      // The host buffer is the codec's fresh copy, wrapped without copying again.
      ops.transformStreamEnqueue(stream, new Uint8Array(new ArrayBuffer(piece)));
      piecesThisTask++;
      piece = codec.read();
      if (piece === null) break;
      const next = piece;
      const resume = () => guardedDrainFrom(next);
      if (piecesThisTask >= PIECES_PER_TASK) {
        piecesThisTask = 0;
        return PromisePrototypeThen(new Promise((resolve) => internals.tasks.post(resolve)),
          () => PromisePrototypeThen(ops.transformStreamWhenReadableWants(stream), resume));
      }
      if (stream.backpressure) return PromisePrototypeThen(ops.transformStreamWhenReadableWants(stream), resume);
    }
    return undefined;
  }

  // Continues with a piece read before waiting; the readable side may have gone meanwhile.
  function drainFrom(piece) {
    if (typeof piece === "string") fail(piece);
    if (stream.readable.state !== "readable") {
      codec.close();
      return undefined;
    }
    ops.transformStreamEnqueue(stream, new Uint8Array(new ArrayBuffer(piece)));
    return drain();
  }

  const guarded = (step) => (argument) => {
    try {
      return step(argument);
    } catch (error) {
      codec.close();
      throw error;
    }
  };

  const guardedDrainFrom = guarded(drainFrom);

  stream = ops.setUpTransformStream(
    guarded((chunk) => {
      const range = chunkRange(chunk);
      const refused = codec.write(range[0], range[1], range[2]);
      if (refused !== null) fail(refused);
      return drain();
    }),
    guarded(() => {
      const refused = codec.finish();
      if (refused !== null) fail(refused);
      const more = drain();
      if (more === undefined) {
        codec.close();
        return undefined;
      }
      return PromisePrototypeThen(more, () => codec.close());
    }),
    () => {
      codec.close();
    });
  return stream;
}

/** https://compression.spec.whatwg.org/#compressionstream */
class CompressionStream {
  constructor(format) {
    const prefix = "Failed to construct 'CompressionStream'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    format = compressionFormat(format, prefix, "Argument 1");
    setState(this, setUpCodecStream(format, true));
  }

  get readable() {
    webidl.assertBranded(this, CompressionStreamPrototype);
    return stateOf(this).readable.object;
  }

  get writable() {
    webidl.assertBranded(this, CompressionStreamPrototype);
    return stateOf(this).writable.object;
  }
}
const CompressionStreamPrototype = CompressionStream.prototype;
webidl.configureInterface(CompressionStream);

/** https://compression.spec.whatwg.org/#decompressionstream */
class DecompressionStream {
  constructor(format) {
    const prefix = "Failed to construct 'DecompressionStream'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    format = compressionFormat(format, prefix, "Argument 1");
    setState(this, setUpCodecStream(format, false));
  }

  get readable() {
    webidl.assertBranded(this, DecompressionStreamPrototype);
    return stateOf(this).readable.object;
  }

  get writable() {
    webidl.assertBranded(this, DecompressionStreamPrototype);
    return stateOf(this).writable.object;
  }
}
const DecompressionStreamPrototype = DecompressionStream.prototype;
webidl.configureInterface(DecompressionStream);

internals.compression = ObjectFreeze({ CompressionStream, DecompressionStream });
