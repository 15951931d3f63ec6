// Cases for FormData (https://xhr.spec.whatwg.org/#interface-formdata) and the Body mixin's
// formData(); POST /parse answers with what request.formData() made of the body.
async function capture(fn) {
  try {
    return await fn();
  } catch (e) {
    return { error: e.name, message: e.message };
  }
}

/** What a FormData holds, as JSON: strings as they are, files described. */
async function describe(formData) {
  const entries = [];
  for (const [name, value] of formData) {
    if (typeof value === "string") {
      entries.push([name, value]);
    } else {
      entries.push([name, { file: value instanceof File, name: value.name, type: value.type, size: value.size,
        text: await value.text() }]);
    }
  }
  return entries;
}

const cases = {
  appendGetAll: () => {
    const fd = new FormData();
    fd.append("a", "1");
    fd.append("b", "2");
    fd.append("a", "3");
    return [fd.get("a"), fd.getAll("a"), fd.has("b"), fd.has("c"), fd.get("c"), fd.getAll("c")];
  },
  setAndDelete: () => {
    const fd = new FormData();
    fd.append("a", "1");
    fd.append("b", "2");
    fd.append("a", "3");
    fd.set("a", "4");
    const afterSet = [...fd];
    fd.delete("a");
    return [afterSet, [...fd]];
  },
  iteration: () => {
    const fd = new FormData();
    fd.append("x", "1");
    fd.append("y", "2");
    const seen = [];
    fd.forEach((value, key, self) => seen.push([key, value, self === fd]));
    return [[...fd.keys()], [...fd.values()], [...fd.entries()], seen, Object.prototype.toString.call(fd.entries())];
  },
  conversions: () => {
    const fd = new FormData();
    fd.append(1, 2);
    fd.append("lone\ud800", { toString: () => "obj" });
    fd.append("n", null);
    return [...fd];
  },
  blobBecomesFile: () => {
    const fd = new FormData();
    fd.append("b", new Blob(["abc"], { type: "text/plain" }));
    fd.append("named", new Blob(["x"]), "x.bin");
    const f = new File(["f"], "orig.txt", { lastModified: 7 });
    fd.append("file", f);
    fd.set("renamed", f, "new.txt");
    const b = fd.get("b");
    return [b instanceof File, b.name, b.type, b.size, fd.get("named").name, fd.get("file") === f,
      fd.get("renamed").name, fd.get("renamed").lastModified, fd.get("renamed") === f];
  },
  thirdArgumentNeedsBlob: () => new FormData().append("a", "b", "c.txt"),
  needsArguments: () => new FormData().append("a"),
  noFormElement: () => new FormData({}),
  brand: () => FormData.prototype.get.call({}, "a"),
  roundTrip: async () => {
    const fd = new FormData();
    fd.append("text", "line1\nline2\rline3");
    fd.append("quote\"d\nname", "v");
    fd.append("file", new File(["file body\r\n--not-a-boundary"], "r\u00e9sum\u00e9 \"1\".txt", { type: "text/plain" }));
    fd.append("blob", new Blob([new Uint8Array([0, 1, 2, 255])]));
    const response = new Response(fd);
    const type = response.headers.get("content-type");
    const parsed = await response.formData();
    return [/^multipart\/form-data; boundary=.+$/.test(type), await describe(parsed)];
  },
  requestFromFormData: async () => {
    const fd = new FormData();
    fd.append("k", "v");
    const request = new Request("http://x/", { method: "POST", body: fd });
    return [request.headers.get("content-type").startsWith("multipart/form-data; boundary="),
      await describe(await request.formData())];
  },
  urlencoded: async () => {
    const response = new Response("a=1&b=%C3%A9+x&a=2&&c", {
      headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
    });
    return describe(await response.formData());
  },
  fromURLSearchParams: async () => describe(await new Response(new URLSearchParams("q=1&r=2")).formData()),
  wrongContentType: async () => new Response("a=1", { headers: { "content-type": "text/plain" } }).formData(),
  noBoundary: async () => new Response("x", { headers: { "content-type": "multipart/form-data" } }).formData(),
  quotedBoundary: async () => {
    const body = "--a b\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv\r\n--a b--\r\n";
    return describe(await new Response(body, {
      headers: { "content-type": "multipart/form-data; boundary=\"a b\"" },
    }).formData());
  },
  preambleAndEpilogue: async () => {
    const body = "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\n\r\n--b\r\n" +
      "content-disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\nno type\r\n--b--\r\nepilogue";
    return describe(await new Response(body, {
      headers: { "content-type": "multipart/form-data; boundary=b" },
    }).formData());
  },
  missingClose: async () => new Response("--b\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv", {
    headers: { "content-type": "multipart/form-data; boundary=b" },
  }).formData(),
  missingDisposition: async () => new Response("--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--", {
    headers: { "content-type": "multipart/form-data; boundary=b" },
  }).formData(),
  tooManyParts: async () => {
    let body = "";
    for (let i = 0; i < 1001; i++) body += `--b\r\nContent-Disposition: form-data; name="k${i}"\r\n\r\n${i}\r\n`;
    return new Response(`${body}--b--\r\n`, { headers: { "content-type": "multipart/form-data; boundary=b" } })
      .formData();
  },
  usedBody: async () => {
    const response = new Response(new FormData());
    await response.text();
    return response.formData();
  },
  globals: () => {
    const d = Object.getOwnPropertyDescriptor(globalThis, "FormData");
    return [typeof d.value, d.enumerable, typeof FormData.prototype[Symbol.iterator],
      FormData.prototype[Symbol.iterator] === FormData.prototype.entries];
  },
};

export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === "/parse") {
      try {
        return Response.json({ entries: await describe(await request.formData()) });
      } catch (e) {
        return Response.json({ error: e.name, message: e.message }, { status: 400 });
      }
    }
    if (path === "/respond") {
      const fd = new FormData();
      fd.append("greeting", "hello\nworld");
      fd.append("upload", new File(["file contents"], "notes.txt", { type: "text/plain" }));
      return new Response(fd);
    }
    const results = {};
    for (const [name, fn] of Object.entries(cases)) results[name] = await capture(fn);
    return Response.json(results);
  },
};
