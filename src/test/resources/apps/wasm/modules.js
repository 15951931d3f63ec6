// WebAssembly modules written out byte by byte (https://webassembly.github.io/spec/core/binary/),
// so the tests need no toolchain.
const u32 = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const vec = (items) => [...u32(items.length), ...items.flat()];
const name = (s) => vec([...new TextEncoder().encode(s)].map((b) => [b]));
const section = (id, content) => [id, ...u32(content.length), ...content];
const I32 = 0x7f;
const func = (params, results) => [0x60, ...vec(params.map((p) => [p])), ...vec(results.map((r) => [r]))];
const body = (code) => vec([0, ...code].map((b) => [b])); // no locals
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/**
 * The main module. Imports env.log (i32) -> (); exports add(a, b), loop() (never returns),
 * twice(x) (calls env.log(x), returns x + x), trap() (unreachable), and mem (1 page, max 4, "hi"
 * at offset 0).
 */
export const main = new Uint8Array([
  ...HEADER,
  ...section(1, vec([func([I32, I32], [I32]), func([], []), func([I32], []), func([I32], [I32])])),
  ...section(2, vec([[...name("env"), ...name("log"), 0x00, 2]])),
  ...section(3, vec([[0], [1], [3], [1]])),
  ...section(5, vec([[0x01, 1, 4]])),
  ...section(7, vec([
    [...name("add"), 0x00, 1], [...name("loop"), 0x00, 2], [...name("twice"), 0x00, 3],
    [...name("trap"), 0x00, 4], [...name("mem"), 0x02, 0],
  ])),
  ...section(10, vec([
    body([0x20, 0, 0x20, 1, 0x6a, 0x0b]),
    body([0x03, 0x40, 0x0c, 0, 0x0b, 0x0b]),
    body([0x20, 0, 0x10, 0, 0x20, 0, 0x20, 0, 0x6a, 0x0b]),
    body([0x00, 0x0b]),
  ])),
  ...section(11, vec([[0x00, 0x41, 0, 0x0b, ...name("hi")]])),
]);

/** Only add(a, b): no imports. */
export const add = new Uint8Array([
  ...HEADER,
  ...section(1, vec([func([I32, I32], [I32])])),
  ...section(3, vec([[0]])),
  ...section(7, vec([[...name("add"), 0x00, 0]])),
  ...section(10, vec([body([0x20, 0, 0x20, 1, 0x6a, 0x0b])])),
]);

/** Exports grow(pages) -> previous size (memory.grow from inside wasm) on a 1-page memory with no maximum. */
export const grower = new Uint8Array([
  ...HEADER,
  ...section(1, vec([func([I32], [I32])])),
  ...section(3, vec([[0]])),
  ...section(5, vec([[0x00, 1]])),
  ...section(7, vec([[...name("grow"), 0x00, 0], [...name("mem"), 0x02, 0]])),
  ...section(10, vec([body([0x20, 0, 0x40, 0x00, 0x0b])])),
]);

/** A wrong version field: a CompileError. */
export const badVersion = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]);
