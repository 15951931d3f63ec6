// The Encoding Standard's streams (https://encoding.spec.whatwg.org/#interface-textdecoderstream):
// TextEncoderStream and TextDecoderStream, TransformStreams set up with the standard's
// algorithms over 20_encoding.js's encoder and streaming decoders.
const {
  ObjectFreeze,
  RangeError,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  TypedArrayPrototypeGetByteLength,
} = internals.primordials;
const { webidl, streams, encoding } = internals;
const { ops } = streams;
const { stateOf, setState } = webidl;

const textDecoderOptions = webidl.createDictionaryConverter("TextDecoderOptions", [
  { key: "fatal", converter: webidl.converters.boolean, defaultValue: false },
  { key: "ignoreBOM", converter: webidl.converters.boolean, defaultValue: false },
]);

/** https://encoding.spec.whatwg.org/#interface-textencoderstream */
class TextEncoderStream {
  constructor() {
    // A high surrogate that ended the previous chunk, waiting for its low half
    // (https://encoding.spec.whatwg.org/#textencoderstream-pending-high-surrogate).
    let pendingHighSurrogate = "";
    const transform = ops.setUpTransformStream(
      // https://encoding.spec.whatwg.org/#encode-and-enqueue-a-chunk
      (chunk) => {
        let input = pendingHighSurrogate + webidl.converters.DOMString(chunk, "", "");
        pendingHighSurrogate = "";
        const last = input.length > 0 ? StringPrototypeCharCodeAt(input, input.length - 1) : 0;
        if (last >= 0xD800 && last <= 0xDBFF) {
          pendingHighSurrogate = StringPrototypeSlice(input, -1);
          input = StringPrototypeSlice(input, 0, -1);
        }
        if (input.length === 0) return;
        // utf8Encode makes lone surrogates U+FFFD, as the standard's code point conversion does.
        const bytes = encoding.utf8Encode(input);
        if (TypedArrayPrototypeGetByteLength(bytes) > 0) ops.transformStreamEnqueue(transform, bytes);
      },
      // https://encoding.spec.whatwg.org/#encode-and-flush: a lone high surrogate at the end is U+FFFD.
      () => {
        if (pendingHighSurrogate !== "") {
          pendingHighSurrogate = "";
          ops.transformStreamEnqueue(transform, encoding.utf8Encode("\uFFFD"));
        }
      });
    setState(this, transform);
  }

  get encoding() {
    webidl.assertBranded(this, TextEncoderStreamPrototype);
    return "utf-8";
  }

  get readable() {
    webidl.assertBranded(this, TextEncoderStreamPrototype);
    return stateOf(this).readable.object;
  }

  get writable() {
    webidl.assertBranded(this, TextEncoderStreamPrototype);
    return stateOf(this).writable.object;
  }
}
const TextEncoderStreamPrototype = TextEncoderStream.prototype;
webidl.configureInterface(TextEncoderStream);

/** https://encoding.spec.whatwg.org/#interface-textdecoderstream */
class TextDecoderStream {
  constructor(label = "utf-8", options = undefined) {
    const prefix = "Failed to construct 'TextDecoderStream'";
    label = webidl.converters.DOMString(label, prefix, "Argument 1");
    options = textDecoderOptions(options, prefix, "Argument 2");
    const name = encoding.getEncoding(label);
    // Step 2: as TextDecoder, the replacement encoding cannot be asked for by label.
    if (name === null || name === "replacement") {
      throw new RangeError(`${prefix}: The encoding label provided ('${label}') is invalid.`);
    }
    const decoder = encoding.createDecoder(name, options.fatal, options.ignoreBOM);
    const transform = ops.setUpTransformStream(
      // https://encoding.spec.whatwg.org/#decode-and-enqueue-a-chunk: the chunk is an
      // AllowSharedBufferSource; a fatal decoder's malformed input throws TypeError.
      (chunk) => {
        const output = decoder.decode(chunk === undefined ? null : chunk, true);
        if (output !== "") ops.transformStreamEnqueue(transform, output);
      },
      // https://encoding.spec.whatwg.org/#flush-and-enqueue: an incomplete sequence at the end.
      () => {
        const output = decoder.decode(undefined, false);
        if (output !== "") ops.transformStreamEnqueue(transform, output);
      });
    setState(this, { transform, encoding: decoder.encoding, fatal: options.fatal, ignoreBOM: options.ignoreBOM });
  }

  get encoding() {
    webidl.assertBranded(this, TextDecoderStreamPrototype);
    return stateOf(this).encoding;
  }

  get fatal() {
    webidl.assertBranded(this, TextDecoderStreamPrototype);
    return stateOf(this).fatal;
  }

  get ignoreBOM() {
    webidl.assertBranded(this, TextDecoderStreamPrototype);
    return stateOf(this).ignoreBOM;
  }

  get readable() {
    webidl.assertBranded(this, TextDecoderStreamPrototype);
    return stateOf(this).transform.readable.object;
  }

  get writable() {
    webidl.assertBranded(this, TextDecoderStreamPrototype);
    return stateOf(this).transform.writable.object;
  }
}
const TextDecoderStreamPrototype = TextDecoderStream.prototype;
webidl.configureInterface(TextDecoderStream);

internals.encodingStreams = ObjectFreeze({ TextEncoderStream, TextDecoderStream });
