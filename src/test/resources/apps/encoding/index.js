// Cases for the Encoding Standard (https://encoding.spec.whatwg.org/) and atob/btoa
// (https://html.spec.whatwg.org/multipage/webappapis.html#atob); each records what the app
// observes, or { error: name } when it throws.
function capture(fn) {
  try {
    return fn();
  } catch (e) {
    return { error: e.name, code: e.code };
  }
}

const hex = (s) => Array.from(s, (c) => c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")).join(" ");
const decode = (label, bytes, options) => capture(() => hex(new TextDecoder(label, options).decode(new Uint8Array(bytes))));
const bytesOf = (view) => Array.from(view);

/** Decodes one byte per call with stream: true, then flushes. */
function streamed(label, bytes, chunk = 1) {
  const decoder = new TextDecoder(label);
  let out = "";
  for (let i = 0; i < bytes.length; i += chunk) {
    out += decoder.decode(new Uint8Array(bytes.slice(i, i + chunk)), { stream: true });
  }
  return hex(out + decoder.decode());
}

const cases = {
  encodeRoundTrip: () => {
    const text = "h\u00E9llo \u20AC \u{1D306} \u65E5\u672C";
    const bytes = new TextEncoder().encode(text);
    return [bytesOf(bytes).length, bytes instanceof Uint8Array, new TextDecoder().decode(bytes) === text];
  },
  encodeBytes: () => bytesOf(new TextEncoder().encode("A\u00A5\u20AC\u{1D306}")),
  encodeLoneSurrogates: () => bytesOf(new TextEncoder().encode("\uD800a\uDC00")),
  encodeDefault: () => [bytesOf(new TextEncoder().encode()).length, bytesOf(new TextEncoder().encode(undefined)).length,
    bytesOf(new TextEncoder().encode(null))],
  encodeInto: () => [
    ["Hi", 0], ["A", 10], ["\u{1D306}", 4], ["\u{1D306}A", 3], ["\uD834A\uDF06A\u00A5Hi", 10], ["A\uDF06", 4],
    ["\u00A5\u00A5", 4], ["\u00A5\u00A5", 3], ["\u20AC", 2],
  ].map(([input, size]) => {
    const destination = new Uint8Array(size + 2).fill(0x2A);
    const view = new Uint8Array(destination.buffer, 1, size);
    const { read, written } = new TextEncoder().encodeInto(input, view);
    return [read, written, bytesOf(destination)];
  }),
  encodeIntoShared: () => {
    const view = new Uint8Array(new SharedArrayBuffer(4));
    const result = new TextEncoder().encodeInto("\u00E9t\u00E9", view);
    return [result.read, result.written, bytesOf(view)];
  },
  encodeIntoNotUint8Array: () => capture(() => new TextEncoder().encodeInto("a", new Uint16Array(2))),
  getters: () => {
    const d = new TextDecoder("UTF-16", { fatal: true, ignoreBOM: true });
    return [new TextEncoder().encoding, new TextDecoder().encoding, new TextDecoder().fatal,
      new TextDecoder().ignoreBOM, d.encoding, d.fatal, d.ignoreBOM];
  },
  // Every encoding name of the standard, as a label, resolves to itself.
  allNames: () => ["UTF-8", "IBM866", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6",
    "ISO-8859-7", "ISO-8859-8", "ISO-8859-8-I", "ISO-8859-10", "ISO-8859-13", "ISO-8859-14", "ISO-8859-15",
    "ISO-8859-16", "KOI8-R", "KOI8-U", "macintosh", "windows-874", "windows-1250", "windows-1251", "windows-1252",
    "windows-1253", "windows-1254", "windows-1255", "windows-1256", "windows-1257", "windows-1258", "x-mac-cyrillic",
    "GBK", "gb18030", "Big5", "EUC-JP", "ISO-2022-JP", "Shift_JIS", "EUC-KR", "UTF-16BE", "UTF-16LE",
    "x-user-defined"].map((name) => capture(() => new TextDecoder(name).encoding)),
  labels: () => [" \t\n\f\rUTF8\r ", "unicode-1-1-utf-8", "latin1", "ascii", "us-ascii", "iso-8859-1", "ISO_8859-9",
    "x-sjis", "ms932", "windows-31j", "gb2312", "x-gbk", "big5-hkscs", "cn-big5", "csiso2022jp", "utf-16", "unicodefffe",
    "ucs-2", "ks_c_5601-1987", "windows-949", "koi8-ru", "koi8", "mac", "x-mac-ukrainian", "dos-874", "tis-620",
    "csisolatin9", "l10", "logical", "visual", "x-cp1250", "sun_eu_greek", "iso-ir-58", "x-euc-jp", "cseuckr"]
    .map((label) => capture(() => new TextDecoder(label).encoding)),
  invalidLabels: () => ["replacement", "iso-2022-kr", "hz-gb-2312", "csiso2022kr", "iso-2022-cn", "utf-32", "utf-7",
    "", "\u212Aoi8-r", "utf-8\0", "\u00A0utf-8", "latin 1"]
    .map((label) => capture(() => new TextDecoder(label)).error),
  fatalUtf8: () => [[0xFF], [0xC0], [0xE0], [0xC0, 0x00], [0xE0, 0x80, 0xC0], [0xF8, 0x80, 0x80, 0x80, 0x80],
    [0xC0, 0x80], [0xE0, 0x9F, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xED, 0xA0, 0x80],
    [0xED, 0xB0, 0x80], [0x61, 0xE2, 0x82]].map((bytes) => decode("utf-8", bytes, { fatal: true }).error),
  fatalOthers: () => [
    ["utf-16le", [0x00]], ["utf-16le", [0x00, 0xD8]], ["utf-16be", [0xDC, 0x00]], ["shift_jis", [0x85, 0x40]],
    ["windows-1253", [0xAA]], ["euc-kr", [0x81]], ["gb18030", [0xFF]], ["big5", [0x80]], ["iso-2022-jp", [0x0E]],
    ["euc-jp", [0xA1, 0x41]],
  ].map(([label, bytes]) => decode(label, bytes, { fatal: true }).error),
  fatalValid: () => decode("utf-8", [0xE2, 0x99, 0xA5, 0xEF, 0xBB, 0xBF], { fatal: true }),
  fatalDecoderRecovers: () => {
    const bytes = new Uint8Array([226, 153, 165]);
    const decoder = new TextDecoder("utf-8", { fatal: true });
    return [decoder.decode(new DataView(bytes.buffer, 0, 3)),
      capture(() => decoder.decode(new DataView(bytes.buffer, 0, 2))).error,
      decoder.decode(new DataView(bytes.buffer, 0, 3))];
  },
  replacementUtf8: () => [
    [0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64], [0xED, 0xA0, 0x80],
    [0xF0, 0x90, 0x80], [0xE0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xEF, 0xBF, 0xBD, 0xFF],
    [0xF0, 0x9F, 0x98, 0x80, 0xE2, 0x82, 0x41],
  ].map((bytes) => decode("utf-8", bytes)),
  replacementUtf16: () => [
    ["utf-16le", [0x00, 0xD8]], ["utf-16le", [0x00, 0xD8, 0x41, 0x00]], ["utf-16le", [0x00, 0xDC, 0x00, 0xD8]],
    ["utf-16le", [0x41, 0x00, 0x42]], ["utf-16be", [0xD8, 0x34, 0xDF, 0x06, 0x00, 0x41]],
    ["utf-16be", [0xD8, 0x00, 0xD8, 0x00, 0xDC, 0x00]],
  ].map(([label, bytes]) => decode(label, bytes)),
  streamUtf8: () => {
    const bytes = [...new TextEncoder().encode("a\u00E9\u20AC\u{1D306}z")];
    return [1, 2, 3, 5].map((chunk) => streamed("utf-8", bytes, chunk));
  },
  streamUtf16: () => [streamed("utf-16le", [0x41, 0x00, 0x34, 0xD8, 0x06, 0xDF, 0x42, 0x00]),
    streamed("utf-16be", [0x00, 0x41, 0xD8, 0x34, 0xDF, 0x06], 3)],
  streamShiftJis: () => [streamed("shift_jis", [0x93, 0xFA, 0x96, 0x7B, 0x41]),
    streamed("iso-2022-jp", [0x1B, 0x24, 0x42, 0x46, 0x7C, 0x1B, 0x28, 0x42, 0x61]),
    streamed("gb18030", [0x81, 0x30, 0x81, 0x30, 0x90, 0x30, 0x81, 0x30])],
  streamIncompleteAtEnd: () => {
    const decoder = new TextDecoder();
    return [decoder.decode(new Uint8Array([0x61, 0xE2, 0x82]), { stream: true }), hex(decoder.decode()),
      decoder.decode(new Uint8Array([0x62]))];
  },
  bom: () => [
    decode("utf-8", [0xEF, 0xBB, 0xBF, 0x41]),
    decode("utf-8", [0xEF, 0xBB, 0xBF, 0x41], { ignoreBOM: true }),
    decode("utf-8", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x41]),
    decode("utf-16le", [0xFF, 0xFE, 0x41, 0x00]),
    decode("utf-16be", [0xFE, 0xFF, 0x00, 0x41]),
    decode("utf-16le", [0xFE, 0xFF, 0x00, 0x41]),
    decode("utf-8", [0xFF, 0xFE, 0x41, 0x00]),
    decode("windows-1252", [0xEF, 0xBB, 0xBF]),
  ],
  bomStreamed: () => {
    const decoder = new TextDecoder();
    const first = decoder.decode(new Uint8Array([0xEF, 0xBB]), { stream: true });
    const second = decoder.decode(new Uint8Array([0xBF, 0x41]), { stream: true });
    const third = decoder.decode(new Uint8Array([0xEF, 0xBB, 0xBF]));
    // The next decode starts over, so its BOM is stripped again.
    const again = decoder.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x42]));
    return [first, second, hex(third), again];
  },
  singleByte: () => [
    decode("windows-1252", [0x80, 0x81, 0x9F, 0xFF]),
    decode("iso-8859-1", [0x80, 0x9F, 0xE9]),
    decode("windows-874", [0xDB, 0xA1]),
    decode("iso-8859-10", [0xA1, 0xFF]),
    decode("iso-8859-14", [0xA1, 0xFF]),
    decode("koi8-u", [0xAE, 0xBE]),
    decode("windows-1255", [0xCA, 0xD9]),
    decode("x-mac-cyrillic", [0xA2, 0xB6, 0xFF]),
    decode("x-user-defined", [0x41, 0x80, 0xFF]),
    decode("ibm866", [0x80, 0xFF]),
    decode("iso-8859-8-i", [0xE0]),
  ],
  japanese: () => [
    decode("shift_jis", [0x82, 0xA0, 0x5C, 0x80, 0xA1, 0xF0, 0x40, 0xFA, 0x40]),
    decode("shift_jis", [0x85, 0x40]),
    decode("shift_jis", [0x82]),
    decode("euc-jp", [0xA4, 0xA2, 0x8E, 0xB1, 0x8F, 0xB0, 0xA1]),
    decode("euc-jp", [0xA4, 0x41]),
    decode("iso-2022-jp", [0x1B, 0x24, 0x42, 0x30, 0x21, 0x1B, 0x28, 0x42, 0x61]),
    decode("iso-2022-jp", [0x1B, 0x28, 0x49, 0x31, 0x1B, 0x28, 0x4A, 0x5C, 0x7E]),
    decode("iso-2022-jp", [0x1B, 0x28, 0x42, 0x1B, 0x28, 0x42, 0x61]),
    decode("iso-2022-jp", [0x1B, 0x24, 0x41]),
  ],
  chinese: () => [
    decode("gb18030", [0x80, 0x81, 0x40, 0xA6, 0xD9, 0xFE, 0x59, 0xA1, 0xAD]),
    decode("gb18030", [0x81, 0x30, 0x81, 0x30, 0x81, 0x35, 0xF4, 0x37, 0x82, 0x35, 0x90, 0x37, 0x84, 0x31, 0x82, 0x36]),
    decode("gbk", [0x90, 0x30, 0x81, 0x30, 0xE3, 0x32, 0x9A, 0x35, 0xE3, 0x32, 0x9A, 0x36]),
    decode("gb18030", [0x81, 0x30, 0xFF]),
    decode("gb18030", [0x81, 0x7F]),
    decode("big5", [0xA4, 0x40, 0x87, 0x40, 0xA1, 0x45, 0xF9, 0xFE, 0xA3, 0xE1, 0x8E, 0x69]),
    decode("big5", [0x88, 0x62, 0x88, 0x64, 0x88, 0xA3, 0x88, 0xA5]),
    decode("big5", [0x87, 0x41, 0x88, 0x40]),
    decode("big5", [0xA4, 0x30]),
  ],
  korean: () => [decode("euc-kr", [0xB0, 0xA1, 0x81, 0x41, 0x41]), decode("euc-kr", [0x81, 0x30]),
    decode("euc-kr", [0xC9, 0xA1])],
  bufferSources: () => {
    const shared = new SharedArrayBuffer(4);
    new Uint8Array(shared).set([0x61, 0xC3, 0xA9, 0x62]);
    const plain = new Uint8Array([0x78, 0x61, 0xC3, 0xA9, 0x62]).buffer;
    const d = new TextDecoder();
    return [d.decode(shared), d.decode(new Uint8Array(shared, 1, 2)), d.decode(plain), d.decode(new DataView(plain, 1, 2)),
      d.decode(new Uint16Array(plain, 0, 2)), d.decode(), d.decode(undefined),
      capture(() => d.decode("abc")).error, capture(() => d.decode(null)).error, capture(() => d.decode({})).error];
  },
  webidlShape: () => {
    const global = Object.getOwnPropertyDescriptor(globalThis, "TextDecoder");
    const atobDescriptor = Object.getOwnPropertyDescriptor(globalThis, "atob");
    return [Object.prototype.toString.call(new TextEncoder()), Object.prototype.toString.call(new TextDecoder()),
      global.writable, global.enumerable, global.configurable,
      atobDescriptor.writable, atobDescriptor.enumerable, atobDescriptor.configurable, atob.length, btoa.name,
      capture(() => TextDecoder.prototype.decode.call({})).error,
      capture(() => Object.getOwnPropertyDescriptor(TextDecoder.prototype, "encoding").get.call(new TextEncoder())).error,
      capture(() => TextDecoder()).error, Object.keys(TextDecoder.prototype).sort().join(),
      Object.keys(new TextDecoder()).length];
  },
  btoa: () => [btoa(""), btoa("a"), btoa("ab"), btoa("abc"), btoa("\xFF\xFE"), btoa(undefined), btoa(null), btoa(12)],
  btoaErrors: () => [capture(() => btoa("\u0100")), capture(() => btoa("a\u20ACb")), capture(() => btoa())],
  atob: () => [atob(""), atob("YQ=="), atob("YQ"), atob(" Y\tQ\n=\f=\r"), atob("YWI="), atob("YWJj"), atob("YR"),
    hex(atob("//79")), hex(atob(null)), atob(new String("YWI"))],
  atobErrors: () => ["YQ=", "YQ===", "Y", "ab=c", "YQ==YQ==", "YQ\u00A0==", "a-b_", "\u00FF", undefined]
    .map((s) => capture(() => atob(s))).map((r) => typeof r === "object" ? `${r.error}/${r.code}` : r),
  atobErrorIsDOMException: () => {
    try {
      atob("*");
    } catch (e) {
      return [e instanceof DOMException, e.name, e.code, e instanceof Error];
    }
    return null;
  },
  base64RoundTrip: () => {
    let all = "";
    for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
    return atob(btoa(all)) === all;
  },
  bodyText: async () => [await new Response(new Uint8Array([0xEF, 0xBB, 0xBF, 0x61, 0xED, 0xA0, 0x80])).text()]
    .map(hex),
};

export default {
  async fetch() {
    const results = {};
    for (const [name, run] of Object.entries(cases)) {
      try {
        results[name] = await run();
      } catch (e) {
        results[name] = { threw: `${e.name}: ${e.message}` };
      }
    }
    return new Response(JSON.stringify(results), { headers: { "content-type": "application/json" } });
  },
};
