// Cases for Headers, Request and Response; each records what the app observes.
async function capture(fn) {
  try {
    return await fn();
  } catch (e) {
    return { error: e.name, message: e.message };
  }
}

const cases = {
  headersCaseInsensitive: () => new Headers({ "X-Foo": "a" }).get("x-FOO"),
  headersCombine: () => {
    const h = new Headers();
    h.append("Accept", "a");
    h.append("accept", "b");
    return h.get("accept");
  },
  headersSortedIteration: () => [...new Headers([["b", "2"], ["A", "1"], ["c", "3"]])].map(([k, v]) => `${k}=${v}`),
  headersSetCookieApart: () => {
    const h = new Headers();
    h.append("Set-Cookie", "a=1");
    h.append("Set-Cookie", "b=2");
    return { list: [...h].length, cookies: h.getSetCookie() };
  },
  headersValueTrimmed: () => new Headers({ x: "  padded \t" }).get("x"),
  // Inits seen before take the runtime's memo of valid names and values: the same answers.
  headersSeenTwice: () => [1, 2].map(() => [...new Headers({ "X-Seen": "v", y: " padded " })].join(";")),
  headersValidThenInvalidValue: () => {
    new Headers({ "x-seen": "ok" });
    return new Headers({ "x-seen": "a\rb" });
  },
  headersBadName: () => new Headers({ "bad name": "x" }),
  headersBadValue: () => new Headers({ x: "a\nb" }),
  headersNonByteString: () => new Headers({ x: "€" }),
  headersBrandCheck: () => Headers.prototype.get.call(Object.create(Headers.prototype), "x"),
  headersToStringTag: () => Object.prototype.toString.call(new Headers()),
  // Internal state must not show: the objects enumerate and serialize like a browser's.
  internalStateHidden: (request, ctx) => ({
    keys: [new Headers({ a: "1" }), new Response("x"), request, ctx].map((o) => Object.keys(o).length),
    names: [new Headers({ a: "1" }), new Response("x"), request, ctx].map((o) => Object.getOwnPropertyNames(o).length),
    json: JSON.stringify([new Headers({ a: "1" }), new Response("x")]),
    spread: Object.keys({ ...new Response("x") }).length,
  }),
  responseBrandCheck: () => Object.getOwnPropertyDescriptor(Response.prototype, "status").get
    .call(Object.create(Response.prototype)),
  headersMissingArgs: () => new Headers().append("x"),
  headersSetReplaces: () => {
    const h = new Headers([["x", "1"], ["x", "2"]]);
    h.set("X", "3");
    return [...h];
  },
  headersDelete: () => {
    const h = new Headers({ a: "1", b: "2" });
    h.delete("A");
    return [h.has("a"), h.has("b")];
  },
  headersForEach: () => {
    const seen = [];
    new Headers({ b: "2", a: "1" }).forEach((value, key) => seen.push(`${key}:${value}`));
    return seen;
  },
  responseDefaults: () => {
    const r = new Response();
    return { status: r.status, ok: r.ok, statusText: r.statusText, type: r.type, bodyUsed: r.bodyUsed, url: r.url };
  },
  responseTextBody: async () => {
    const r = new Response("héllo");
    return { type: r.headers.get("content-type"), text: await r.text(), used: r.bodyUsed };
  },
  responseBytesBody: async () => [...await new Response(new Uint8Array([1, 2, 255])).bytes()],
  responseArrayBuffer: async () => (await new Response("abc").arrayBuffer()).byteLength,
  responseUtf8Decode: async () => new Response(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0xc3, 0xa9, 0xff])).text(),
  responseJson: async () => {
    const r = Response.json({ a: [1, 2] }, { status: 201, headers: { "x-y": "z" } });
    return { status: r.status, type: r.headers.get("content-type"), xy: r.headers.get("x-y"), body: await r.json() };
  },
  responseJsonNotSerializable: () => Response.json(undefined),
  responseStatusRange: () => new Response(null, { status: 99 }),
  responseNullBodyStatus: () => new Response("x", { status: 204 }),
  responseBodyTwice: async () => {
    const r = new Response("x");
    await r.text();
    return r.text();
  },
  responseClone: async () => {
    const r = new Response("twice");
    const c = r.clone();
    return [await r.text(), await c.text()];
  },
  responseRedirect: () => {
    const r = Response.redirect("http://example.com/next", 307);
    return { status: r.status, location: r.headers.get("location") };
  },
  responseRedirectBadStatus: () => Response.redirect("http://example.com/", 200),
  responseError: () => {
    const r = Response.error();
    return { type: r.type, status: r.status };
  },
  responseErrorImmutableHeaders: () => Response.error().headers.set("x", "y"),
  requestConstructed: async () => {
    const r = new Request("http://example.com/a?b=1", { method: "post", body: "payload", headers: { "X-A": "1" } });
    return { method: r.method, url: r.url, a: r.headers.get("x-a"), type: r.headers.get("content-type"), body: await r.text() };
  },
  requestGetWithBody: () => new Request("http://example.com/", { method: "GET", body: "x" }),
  requestForbiddenMethod: () => new Request("http://example.com/", { method: "TRACE" }),
  requestCustomMethodKeepsCase: () => new Request("http://example.com/", { method: "Patch" }).method,
  requestFromRequest: () => {
    const base = new Request("http://example.com/x", { method: "PUT", headers: { a: "1" } });
    const copy = new Request(base, { headers: { b: "2" } });
    return { method: copy.method, url: copy.url, a: copy.headers.get("a"), b: copy.headers.get("b") };
  },
  incomingRequest: (request) => ({
    method: request.method,
    url: request.url,
    custom: request.headers.get("x-custom"),
    isRequest: request instanceof Request,
  }),
  // Runs after every other case: it consumes the (empty) body of the incoming GET.
  incomingGetBody: async (request) => ({ text: await request.text(), used: request.bodyUsed }),
};

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/wire") {
      // What reaches the client: every header in order, repeated set-cookie, an empty value, a
      // header added through response.headers after construction; framing stays the runtime's.
      const response = new Response("wire", {
        headers: [["Set-Cookie", "a=1"], ["x-empty", ""], ["set-cookie", "b=2"], ["content-length", "999"]],
      });
      response.headers.append("x-late", "yes");
      return response;
    }
    if (new URL(request.url).pathname === "/dated") {
      // An app's own Date header wins over the one the runtime adds.
      return new Response("dated", { headers: { date: "Tue, 01 Jan 2030 00:00:00 GMT" } });
    }
    if (request.method === "POST") {
      return Response.json({ text: await request.text(), again: await capture(() => request.text()) });
    }
    const results = {};
    for (const [name, run] of Object.entries(cases)) {
      results[name] = await capture(() => run(request, ctx));
    }
    return Response.json(results);
  },
};
