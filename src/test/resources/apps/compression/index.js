// Cases for the Compression Standard (https://compression.spec.whatwg.org/) and the Encoding
// Standard's streams (https://encoding.spec.whatwg.org/#interface-textdecoderstream).
// GET / runs the named cases and answers JSON; the other routes stream over real HTTP for the
// test to check with java.util.zip.

/** Reads a stream to its end: the chunks, or { error: name } when it errors. */
async function readAll(readable) {
  const chunks = [];
  try {
    for await (const chunk of readable) chunks.push(chunk);
    return chunks;
  } catch (e) {
    return { error: e.name };
  }
}

function concat(chunks) {
  const total = chunks.reduce((sum, c) => sum + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Writes the chunks into a transform and reads its output, concurrently (as a pipe would). */
async function through(transform, chunks) {
  const writer = transform.writable.getWriter();
  const writing = (async () => {
    for (const chunk of chunks) await writer.write(chunk);
    await writer.close();
  })().catch(() => {});
  const out = await readAll(transform.readable);
  await writing;
  return out;
}

const bytes = (text) => new TextEncoder().encode(text);
const text = (chunks) => new TextDecoder().decode(concat(chunks));
const sample = "The quick brown fox jumps over the lazy dog. ".repeat(4000);
const formats = ["gzip", "deflate", "deflate-raw"];

async function compress(format, data) {
  return concat(await through(new CompressionStream(format), [data]));
}

// A deflate-raw stream of `blocks` fixed-Huffman blocks, each of 1022 copies of "the last 258
// bytes" (distance 1) after one stored zero byte: 10 + 13 * 1022 bits make each block a whole
// 1662 bytes, so it can be repeated as is. 263,676 zeros per block, about 159 to 1.
function zeroBomb(blocks) {
  const block = [];
  let acc = 0;
  let count = 0;
  const bit = (b) => {
    acc |= b << count;
    if (++count === 8) {
      block.push(acc);
      acc = 0;
      count = 0;
    }
  };
  const huffman = (code, length) => {
    for (let i = length - 1; i >= 0; i--) bit((code >> i) & 1);
  };
  bit(0); // BFINAL
  bit(1); // BTYPE = 01 (fixed Huffman), least significant bit first
  bit(0);
  for (let i = 0; i < 1022; i++) {
    huffman(0b11000101, 8); // length code 285: 258 bytes
    huffman(0, 5); // distance code 0: 1 byte back
  }
  huffman(0, 7); // end of block
  const head = [0x00, 0x01, 0x00, 0xfe, 0xff, 0x00]; // stored block: one zero byte
  const tail = [0x01, 0x00, 0x00, 0xff, 0xff]; // final empty stored block
  const out = new Uint8Array(head.length + blocks * block.length + tail.length);
  out.set(head, 0);
  const one = Uint8Array.from(block);
  for (let i = 0; i < blocks; i++) out.set(one, head.length + i * one.length);
  out.set(tail, out.length - tail.length);
  return out;
}
const BOMB_BLOCK_OUTPUT = 258 * 1022;

const cases = {
  interfaces: () => ["CompressionStream", "DecompressionStream", "TextEncoderStream", "TextDecoderStream"]
    .map((name) => [typeof globalThis[name], Object.getOwnPropertyDescriptor(globalThis, name).enumerable,
      Object.prototype.toString.call(name.startsWith("Text") ? new globalThis[name]() : new globalThis[name]("gzip"))]),
  roundTrips: async () => {
    const result = {};
    for (const format of formats) {
      const compressed = await compress(format, bytes(sample));
      const chunks = await through(new DecompressionStream(format), [compressed]);
      result[format] = [compressed.length < sample.length / 10, text(chunks) === sample];
    }
    return result;
  },
  // Every output chunk is a Uint8Array of at most 64 KiB, also for 2 MiB out of one small chunk.
  boundedPieces: async () => {
    const compressed = await compress("deflate", new Uint8Array(2 << 20));
    const chunks = await through(new DecompressionStream("deflate"), [compressed]);
    return [chunks.length, chunks.every((c) => c instanceof Uint8Array && c.length <= 65536),
      chunks.reduce((sum, c) => sum + c.length, 0)];
  },
  headers: async () => formats.map(async (format) => Array.from((await compress(format, bytes("x"))).slice(0, 2))),
  // Split at every byte: the gzip header, the deflate data and the trailer may arrive in any pieces.
  splitInput: async () => {
    const result = {};
    for (const format of formats) {
      const compressed = await compress(format, bytes("split me, please"));
      const pieces = Array.from(compressed, (b) => Uint8Array.of(b));
      result[format] = text(await through(new DecompressionStream(format), pieces));
    }
    return result;
  },
  emptyInput: async () => {
    const result = {};
    for (const format of formats) {
      const compressed = await compress(format, new Uint8Array(0));
      const out = await through(new DecompressionStream(format), [compressed]);
      result[format] = [compressed.length > 0, out.length];
    }
    return result;
  },
  corrupt: async () => {
    const gzipped = await compress("gzip", bytes(sample));
    const badCrc = gzipped.slice();
    badCrc[badCrc.length - 8] ^= 0xff;
    const badSize = gzipped.slice();
    badSize[badSize.length - 1] ^= 0xff;
    const deflated = await compress("deflate", bytes(sample));
    const badAdler = deflated.slice();
    badAdler[badAdler.length - 1] ^= 0xff;
    const run = async (format, input) => {
      const out = await through(new DecompressionStream(format), [input]);
      return out.error ?? "no error";
    };
    return {
      garbage: await run("gzip", bytes("this is not gzip at all")),
      badCrc: await run("gzip", badCrc),
      badSize: await run("gzip", badSize),
      badAdler: await run("deflate", badAdler),
      truncated: await run("gzip", gzipped.slice(0, gzipped.length - 3)),
      trailingJunk: await run("deflate-raw", Uint8Array.of(...(await compress("deflate-raw", bytes("x"))), 0)),
      wrongFormat: await run("deflate", gzipped),
    };
  },
  badChunks: async () => {
    const out = [];
    for (const chunk of ["a string", 42, null, [1, 2], new SharedArrayBuffer(4)]) {
      const cs = new CompressionStream("gzip");
      const writer = cs.writable.getWriter();
      const reader = cs.readable.getReader();
      const write = writer.write(chunk).then(() => "written", (e) => e.name);
      const read = reader.read().then(() => "read", (e) => e.name);
      out.push([await write, await read]);
    }
    return out;
  },
  constructorErrors: () => [
    (() => { try { new CompressionStream("br"); return "made"; } catch (e) { return e.name; } })(),
    (() => { try { new DecompressionStream(); return "made"; } catch (e) { return e.name; } })(),
    (() => { try { Object.getOwnPropertyDescriptor(CompressionStream.prototype, "readable").get.call({}); return "read"; } catch (e) { return e.name; } })(),
  ],
  // A pending high surrogate waits for its low half in the next chunk; a lone one at the end is U+FFFD.
  encoderStream: async () => {
    const split = concat(await through(new TextEncoderStream(), ["a\uD83D", "\uDE00b"]));
    const lone = concat(await through(new TextEncoderStream(), ["x\uD83D"]));
    const loneMiddle = concat(await through(new TextEncoderStream(), ["\uD83D", "y"]));
    return [Array.from(split), Array.from(lone), Array.from(loneMiddle), new TextEncoderStream().encoding];
  },
  decoderStream: async () => {
    const euro = [0xe2, 0x82, 0xac];
    const join = async (stream, chunks) => {
      const out = await through(stream, chunks.map((c) => Uint8Array.from(c)));
      return out.error ?? out.join("|");
    };
    const d = new TextDecoderStream("utf-16le", { fatal: true, ignoreBOM: true });
    return {
      split: await join(new TextDecoderStream(), [[0x41, euro[0]], [euro[1]], [euro[2], 0x42]]),
      incomplete: await join(new TextDecoderStream(), [[0x41, euro[0], euro[1]]]),
      fatal: await join(new TextDecoderStream("utf-8", { fatal: true }), [[0x41], [0xff]]),
      fatalIncomplete: await join(new TextDecoderStream("utf-8", { fatal: true }), [[0x41, euro[0]]]),
      bom: await join(new TextDecoderStream(), [[0xef, 0xbb], [0xbf, 0x41]]),
      keepBom: await join(new TextDecoderStream("utf-8", { ignoreBOM: true }), [[0xef, 0xbb, 0xbf, 0x41]]),
      utf16: await join(new TextDecoderStream("utf-16le"), [[0x41], [0x00, 0x3d], [0xd8, 0x00, 0xde]]),
      attributes: [d.encoding, d.fatal, d.ignoreBOM],
      badChunk: await join(new TextDecoderStream(), []).then(async () => {
        const out = await through(new TextDecoderStream(), ["not bytes"]);
        return out.error;
      }),
      badLabel: (() => { try { new TextDecoderStream("nope"); return "made"; } catch (e) { return e.name; } })(),
    };
  },
  // Text through both encoding streams and both compression streams, as a pipe chain.
  pipeChain: async () => {
    const source = ReadableStream.from(["h\u00E9llo ", "w\u00F6rld ", "\u{1F600}"]);
    const out = source.pipeThrough(new TextEncoderStream()).pipeThrough(new CompressionStream("gzip"))
      .pipeThrough(new DecompressionStream("gzip")).pipeThrough(new TextDecoderStream());
    return (await readAll(out)).join("");
  },
};

/** Deterministic text of `kib` KiB in 16 KiB chunks, chunk i made of letter i mod 26. */
function letters(kib) {
  let i = 0;
  const chunks = kib / 16;
  return new ReadableStream({
    pull(controller) {
      if (i === chunks) {
        controller.close();
        return;
      }
      controller.enqueue(new Uint8Array(16384).fill(97 + (i % 26)));
      i++;
    },
  });
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const format = url.searchParams.get("format") ?? "gzip";
    switch (url.pathname) {
      case "/decompress":
        // An upload compressed by the test, inflated as it streams in.
        return new Response(request.body.pipeThrough(new DecompressionStream(format)));
      case "/compress":
        return new Response(letters(Number(url.searchParams.get("kib"))).pipeThrough(new CompressionStream(format)));
      case "/roundtrip":
        // The upload compressed and decompressed again on its way back.
        return new Response(request.body.pipeThrough(new CompressionStream(format))
          .pipeThrough(new DecompressionStream(format)));
      case "/bomb": {
        const blocks = Math.ceil((Number(url.searchParams.get("mib")) << 20) / BOMB_BLOCK_OUTPUT);
        // One write of the whole bomb: the decompressor must still give it out piece by piece.
        const bomb = zeroBomb(blocks);
        const source = new ReadableStream({
          start(controller) {
            controller.enqueue(bomb);
            controller.close();
          },
        });
        return new Response(source.pipeThrough(new DecompressionStream("deflate-raw")), {
          headers: { "x-expected-length": String(1 + blocks * BOMB_BLOCK_OUTPUT), "x-compressed-length": String(bomb.length) },
        });
      }
      default: {
        const results = {};
        for (const [name, run] of Object.entries(cases)) {
          try {
            let value = await run();
            if (Array.isArray(value) && value.some((v) => v instanceof Promise)) value = await Promise.all(value);
            results[name] = value;
          } catch (e) {
            results[name] = { threw: `${e.name}: ${e.message}` };
          }
        }
        return new Response(JSON.stringify(results), { headers: { "content-type": "application/json" } });
      }
    }
  },
};
