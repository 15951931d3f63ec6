// fetch() to the network, against the upstream server OutboundFetchTest starts on a loopback
// port (?port=). This app may reach loopback (outbound.allow: local, public) but not 10.0.0.0/8
// (outbound.deny); its fetch timeout is 3 s, its buffered bodies 64 KiB, 4 fetches at once.
// Each path is one case; it answers with JSON of what the app observed ({ error, message } for
// a rejection).
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function outcome(promise) {
  try {
    return { value: await promise };
  } catch (e) {
    return { error: e?.name, message: String(e?.message), isTypeError: e instanceof TypeError,
      isDOMException: typeof DOMException === "function" && e instanceof DOMException };
  }
}

const routes = {
  async "/get"(up) {
    const response = await fetch(`${up}/text`, { headers: { "x-test": "sent" } });
    return {
      status: response.status, statusText: response.statusText, ok: response.ok, type: response.type,
      url: response.url, redirected: response.redirected, upstreamHeader: response.headers.get("x-upstream"),
      contentType: response.headers.get("content-type"), text: await response.text(),
      immutable: (await outcome((async () => response.headers.set("x", "y"))())).isTypeError,
    };
  },

  async "/headers"(up) {
    const response = await fetch(`${up}/echo`, { headers: [["X-One", "1"], ["x-two", "2"]] });
    const echo = await response.json();
    return { one: echo.headers["x-one"], two: echo.headers["x-two"], host: echo.headers.host,
      accept: echo.headers.accept, userAgent: echo.headers["user-agent"] };
  },

  async "/bodies"(up) {
    const bytes = new Uint8Array([104, 105, 0, 255]);
    const bodies = {
      string: "héllo",
      arrayBuffer: bytes.buffer.slice(0),
      uint8Array: bytes,
      int16Array: new Int16Array([1, -1]),
      dataView: new DataView(bytes.buffer, 1, 2),
      subarray: bytes.subarray(2),
      urlSearchParams: new URLSearchParams({ a: "1", b: "x y" }),
    };
    const result = {};
    for (const [name, body] of Object.entries(bodies)) {
      const response = await fetch(`${up}/echo`, { method: "POST", body });
      const echo = await response.json();
      result[name] = { method: echo.method, contentType: echo.headers["content-type"] ?? null, hex: echo.hex };
    }
    const put = await (await fetch(new Request(`${up}/echo`, { method: "PUT", body: "via Request" }))).json();
    result.requestObject = { method: put.method, text: put.text };
    return result;
  },

  async "/response-bodies"(up) {
    const asBytes = await (await fetch(`${up}/text`)).bytes();
    const asBuffer = await (await fetch(`${up}/text`)).arrayBuffer();
    const asJson = await (await fetch(`${up}/json`)).json();
    const original = await fetch(`${up}/text`);
    const copy = original.clone();
    const head = await fetch(`${up}/text`, { method: "HEAD" });
    const noContent = await fetch(`${up}/status?code=204`);
    const notFound = await fetch(`${up}/status?code=404`);
    const streamed = await fetch(`${up}/text`);
    let streamedText = "";
    for await (const chunk of streamed.body) streamedText += String.fromCharCode(...chunk);
    const rewrapped = await new Response((await fetch(`${up}/text`)).body).text();
    const used = await fetch(`${up}/text`);
    await used.text();
    return {
      bytes: asBytes.length, arrayBuffer: asBuffer.byteLength, json: asJson, streamed: [streamedText, streamed.bodyUsed],
      rewrapped,
      clones: [await original.text(), await copy.text()],
      head: [head.status, await head.text()], noContent: [noContent.status, noContent.body === null || await noContent.text() === ""],
      notFound: [notFound.status, notFound.ok, notFound.statusText],
      usedTwice: (await outcome(used.text())).isTypeError, bodyUsed: used.bodyUsed,
    };
  },

  async "/redirects"(up) {
    const see = await fetch(`${up}/redirect?status=303&to=/echo`, { method: "POST", body: "gone", headers: { "content-type": "text/plain" } });
    const seeEcho = await see.json();
    const temp = await fetch(`${up}/redirect?status=307&to=/echo`, { method: "POST", body: "kept" });
    const tempEcho = await temp.json();
    const moved = await (await fetch(`${up}/redirect?status=301&to=/echo`, { method: "POST", body: "x" })).json();
    const putMoved = await (await fetch(`${up}/redirect?status=301&to=/echo`, { method: "PUT", body: "y" })).json();
    const manual = await fetch(`${up}/redirect?status=302&to=/text`, { redirect: "manual" });
    return {
      see: { status: see.status, redirected: see.redirected, url: see.url, method: seeEcho.method, text: seeEcho.text,
        contentType: seeEcho.headers["content-type"] ?? null },
      temp: { method: tempEcho.method, text: tempEcho.text, redirected: temp.redirected },
      moved: moved.method, putMoved: [putMoved.method, putMoved.text],
      manual: { status: manual.status, location: manual.headers.get("location"), redirected: manual.redirected,
        type: manual.type },
      error: await outcome(fetch(`${up}/redirect?status=302&to=/text`, { redirect: "error" })),
      twenty: (await (await fetch(`${up}/loop?n=20`)).text()),
      twentyOne: await outcome(fetch(`${up}/loop?n=21`)),
      toDenied: await outcome(fetch(`${up}/redirect?status=302&to=http://10.1.2.3/`)),
      toMetadata: await outcome(fetch(`${up}/redirect?status=302&to=http://169.254.169.254/latest/meta-data`)),
    };
  },

  async "/abort-before"(up) {
    if (typeof AbortController !== "function") return { skipped: true };
    const controller = new AbortController();
    controller.abort();
    const plain = await outcome(fetch(`${up}/text`, { signal: controller.signal }));
    const custom = new AbortController();
    custom.abort(new Error("my reason"));
    const withReason = await outcome(fetch(`${up}/text`, { signal: custom.signal }));
    return { plain, withReason };
  },

  async "/abort-during"(up, params) {
    if (typeof AbortController !== "function") return { skipped: true };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const result = await outcome(fetch(`${up}/hold?id=${params.get("id")}`, { signal: controller.signal }));
    return { ...result, tookMs: Date.now() - started };
  },

  async "/timeout"(up) {
    const started = Date.now();
    const result = await outcome(fetch(`${up}/stall`));
    return { ...result, tookMs: Date.now() - started };
  },

  async "/reset"(up) {
    const response = await fetch(`${up}/reset`);
    return { status: response.status, body: await outcome(response.text()) };
  },

  async "/garbage"(up, params) {
    return outcome(fetch(`http://127.0.0.1:${params.get("garbage")}/`));
  },

  async "/refused"(up, params) {
    return outcome(fetch(`http://127.0.0.1:${params.get("closed")}/`));
  },

  async "/tls"(up, params) {
    return outcome(fetch(`https://localhost:${params.get("tls")}/text`));
  },

  async "/dns"() {
    return outcome(fetch("http://no-such-host.invalid/"));
  },

  async "/schemes"() {
    return {
      data: await outcome(fetch("data:text/plain,hi")),
      badUrl: await outcome(fetch("http://")),
      getWithBody: await outcome(fetch("http://example.com/", { body: "x" })),
    };
  },

  async "/too-large"(up) {
    // The limit bounds a body read whole: the fetch resolves with the head, the read fails.
    const declared = await outcome(fetch(`${up}/big?size=100000`).then((r) => r.text()));
    const chunked = await fetch(`${up}/bigchunked?size=100000`);
    return { declared, chunked: { status: chunked.status, body: await outcome(chunked.text()) },
      justUnder: (await (await fetch(`${up}/big?size=60000`)).bytes()).length };
  },

  async "/concurrency"(up) {
    const fetches = [];
    for (let i = 0; i < 5; i++) fetches.push(outcome(fetch(`${up}/slow?ms=300`).then((r) => r.text())));
    const results = await Promise.all(fetches);
    const afterwards = await (await fetch(`${up}/text`)).text();
    return { ok: results.filter((r) => r.value === "slow").length, refused: results.filter((r) => r.error).map((r) => r.message),
      afterwards };
  },

  async "/policy"(up, params) {
    return {
      metadata: await outcome(fetch("http://169.254.169.254/latest/meta-data/")),
      ownPort: await outcome(fetch(`http://127.0.0.1:${params.get("nano")}/`)),
      ownManagementPort: await outcome(fetch(`http://localhost:${params.get("management")}/q/metrics`)),
      denied: await outcome(fetch("http://10.1.2.3/")),
      localAllowed: (await fetch(`${up}/text`)).status,
      localhostName: (await fetch(`http://localhost:${params.get("port")}/text`)).status,
    };
  },

  async "/thread"(up, params) {
    const response = await fetch(`${up}/text`);
    console.log(`fetch probe ${params.get("id")} status ${response.status}`);
    const text = await response.text();
    console.log(`fetch body probe ${params.get("id")} ${text.length}`);
    return { ok: true };
  },

  async "/left-in-flight"(up, params) {
    const pending = fetch(`${up}/hold?id=${params.get("id")}`);
    pending.then(() => console.log(`left fetch ${params.get("id")} settled`),
      () => console.log(`left fetch ${params.get("id")} settled`));
    // Long enough for the request to reach the upstream on a new connection (an unread body now
    // resets its connection, so fewer are pooled): a fetch cancelled before it was sent reaches
    // no upstream at all.
    await sleep(300);
    return "answered";
  },

  async "/passthrough"(up) {
    return fetch(`${up}/text`);
  },

  async "/request-attributes"() {
    const plain = new Request("http://example.com/");
    const custom = new Request("http://example.com/", {
      cache: "no-store", credentials: "include", mode: "no-cors", integrity: "sha256-x", keepalive: true,
      referrer: "", referrerPolicy: "no-referrer", redirect: "manual", duplex: "half",
    });
    const copied = new Request(custom);
    const attributes = (r) => [r.cache, r.credentials, r.mode, r.integrity, r.keepalive, r.referrer, r.referrerPolicy,
      r.redirect, r.duplex, r.destination];
    return {
      plain: attributes(plain), custom: attributes(custom), copied: attributes(copied), clone: attributes(custom.clone()),
      navigate: (await outcome((async () => new Request("http://a/", { mode: "navigate" }))())).isTypeError,
      onlyIfCached: (await outcome((async () => new Request("http://a/", { cache: "only-if-cached" }))())).isTypeError,
      badEnum: (await outcome((async () => new Request("http://a/", { redirect: "nope" }))())).isTypeError,
      badSignal: (await outcome((async () => new Request("http://a/", { signal: {} }))())).isTypeError,
      signal: typeof AbortSignal === "function" ? plain.signal instanceof AbortSignal : "no AbortSignal",
    };
  },
};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const route = routes[url.pathname];
    if (!route) return new Response("no such case", { status: 404 });
    const up = `http://127.0.0.1:${url.searchParams.get("port")}`;
    const result = await route(up, url.searchParams);
    return result instanceof Response ? result : typeof result === "string" ? new Response(result) : Response.json(result);
  },
};
