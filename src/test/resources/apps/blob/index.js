// Cases for Blob and File (https://w3c.github.io/FileAPI/); each records what the app observes,
// or { error: name, message } when it throws or rejects.
async function capture(fn) {
  try {
    return await fn();
  } catch (e) {
    return { error: e.name, message: e.message };
  }
}

const bytesOf = (u8) => Array.from(u8);

const cases = {
  emptyBlob: () => {
    const b = new Blob();
    return [b.size, b.type, Object.prototype.toString.call(b)];
  },
  mixedParts: async () => {
    const buffer = new Uint8Array([65, 66, 67]).buffer;
    const view = new Uint8Array([0, 68, 69, 0]).subarray(1, 3);
    const inner = new Blob(["F"]);
    const b = new Blob(["é", buffer, view, inner, new DataView(new Uint8Array([71]).buffer)]);
    return [b.size, await b.text()];
  },
  partsAreCopied: async () => {
    const source = new Uint8Array([1, 2, 3]);
    const b = new Blob([source]);
    source[0] = 9;
    const got = await b.bytes();
    got[1] = 9;
    return [bytesOf(await b.bytes()), bytesOf(got)];
  },
  typeNormalized: () => [new Blob([], { type: "Text/HTML" }).type, new Blob([], { type: "a\u00e9" }).type,
    new Blob([], { type: "x\ty" }).type],
  stringsAreUSV: async () => bytesOf(await new Blob(["\ud800"]).bytes()),
  endingsNative: async () => [await new Blob(["a\r\nb\rc\n"], { endings: "native" }).text(),
    await new Blob(["a\r\nb"], { endings: "transparent" }).text()],
  endingsInvalid: () => new Blob([], { endings: "dos" }),
  notASequence: () => new Blob("abc"),
  // WebIDL converts the arguments in order: every part, then the options.
  conversionOrder: () => {
    const log = [];
    const part = (name) => ({ toString: () => (log.push(name), name) });
    new Blob([part("p1"), part("p2")], { get type() { log.push("type"); return ""; } });
    new File([part("f1")], part("name"), { get lastModified() { log.push("lastModified"); return 1; } });
    return log;
  },
  slices: async () => {
    const b = new Blob(["abc", "def", "ghi"], { type: "text/plain" });
    return [
      await b.slice(2, 7).text(), await b.slice(-4).text(), await b.slice(-4, -2).text(), await b.slice(5, 2).text(),
      b.slice(0, 100).size, b.slice().type, b.slice(0, 1, "Text/CSV").type, await b.slice(1, 8).slice(2, -1).text(),
      b.slice(-100, 2).size,
    ];
  },
  arrayBufferAndBytes: async () => {
    const b = new Blob(["hi", new Uint8Array([0, 255])]);
    const ab = await b.arrayBuffer();
    const bytes = await b.bytes();
    return [ab instanceof ArrayBuffer, ab.byteLength, bytesOf(new Uint8Array(ab)), bytes instanceof Uint8Array,
      bytesOf(bytes)];
  },
  brandChecks: async () => [
    await capture(() => Blob.prototype.text.call({})),
    await capture(() => Object.getOwnPropertyDescriptor(Blob.prototype, "size").get.call({})),
  ],
  file: () => {
    const f = new File(["abc"], "a\ud800.txt", { type: "TEXT/plain", lastModified: 42 });
    return [f.name, f.size, f.type, f.lastModified, f instanceof Blob, Object.prototype.toString.call(f),
      Object.getPrototypeOf(File) === Blob];
  },
  fileDefaults: () => {
    const before = Date.now();
    const f = new File([], "x");
    return [f.type, f.size, f.lastModified >= before && f.lastModified <= Date.now()];
  },
  fileNeedsTwoArguments: () => new File(["a"]),
  fileFromBlobs: async () => {
    const f = new File([new Blob(["ab"]), new File(["cd"], "inner")], "outer");
    return [await f.text(), await f.slice(1, 3).text(), f.slice(1, 3) instanceof File];
  },
  blobBody: async () => {
    const r = new Response(new Blob(["<b>hi</b>"], { type: "text/html" }));
    const noType = new Response(new Blob(["x"]));
    return [r.headers.get("content-type"), await r.text(), noType.headers.get("content-type")];
  },
  responseBlob: async () => {
    const r = new Response("hello", { headers: { "content-type": "Text/Plain;charset=UTF-8" } });
    const b = await r.blob();
    return [b instanceof Blob, b.size, b.type, await b.text(), r.bodyUsed];
  },
  requestBlob: async () => {
    const b = await new Request("http://x/", { method: "POST", body: new Uint8Array([1, 2]) }).blob();
    return [b.size, b.type];
  },
  stream: async () => {
    const b = new Blob(["abc"]);
    if (typeof ReadableStream !== "function") {
      return capture(() => b.stream());
    }
    const reader = b.stream().getReader();
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += String.fromCharCode(...value);
    }
    return text;
  },
  globals: () => ["Blob", "File"].map((name) => {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    return [typeof d.value, d.enumerable, d.writable];
  }),
};

export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/echo") {
      // The request body as a Blob, sent back as the response body.
      const blob = await request.blob();
      return new Response(blob.slice(1), { headers: { "x-type": blob.type, "x-size": `${blob.size}` } });
    }
    // GET /?cases=a,b runs only those cases (each request stays well inside the cpu-limit).
    const only = new URL(request.url).searchParams.get("cases");
    const names = only === null ? Object.keys(cases) : only.split(",");
    const results = {};
    for (const name of names) results[name] = await capture(cases[name]);
    return Response.json(results);
  },
};
