// An attacker's app: it forges responses through whatever runtime internals it can reach, and
// sends values the Fetch API allows but the wire cannot carry. Every case must end in a sound
// answer on the wire.
const STATE = Symbol.for("nano.state");

/** The runtime's request scope, if tenant code can reach it (null once it cannot). */
function scopeOf(ctx) {
  try {
    const scope = ctx[STATE];
    return scope && typeof scope.respondText === "function" ? scope : null;
  } catch {
    return null;
  }
}

const SMUGGLED = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nX-Smuggled: yes\r\n\r\nsmuggled";

const BINDING_MEMBERS = ["respondText", "respondBytes", "respondStream", "fail", "readBody", "waitUntilStarted",
  "headerList", "bodyStream"];

/** Whether a value is, or holds within a few steps, the runtime's request scope. */
function holdsScope(value, depth = 0, seen = new Set()) {
  if (value === null || (typeof value !== "object" && typeof value !== "function") || seen.has(value) || depth > 3) {
    return false;
  }
  seen.add(value);
  try {
    if (BINDING_MEMBERS.some((member) => typeof value[member] === "function" && member !== "fail")) return true;
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (descriptor && "value" in descriptor && holdsScope(descriptor.value, depth + 1, seen)) return true;
    }
  } catch {
    // a getter or a host object refusing: nothing reached through it
  }
  return false;
}

/** Every way an app might reach runtime internals; returns what it reached. */
async function probeInternals(request, ctx) {
  const reached = [];
  const response = new Response("x", { headers: { a: "b" } });
  const objects = { ctx, request, response, headers: request.headers, url: new URL(request.url),
    stream: new ReadableStream(), signal: new AbortController().signal };
  for (const [name, object] of Object.entries(objects)) {
    if (holdsScope(object[STATE])) reached.push(`${name}[Symbol.for("nano.state")]`);
    for (const key of Object.getOwnPropertySymbols(object)) {
      if (holdsScope(object[key]) || key === STATE) reached.push(`${name}[${String(key)}]`);
    }
    if (holdsScope({ ...object })) reached.push(`{...${name}}`);
  }
  // A proxy standing in for a runtime object sees every key the prelude looks up on it.
  const keysSeen = new Set();
  const spy = new Proxy({}, { get(target, key) { keysSeen.add(key); return undefined; },
    has(target, key) { keysSeen.add(key); return false; } });
  for (const [name, proto] of [["Response", Response.prototype], ["Request", Request.prototype],
    ["Headers", Headers.prototype], ["URL", URL.prototype]]) {
    for (const key of Reflect.ownKeys(proto)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(proto, key);
      try {
        if (descriptor.get) Reflect.apply(descriptor.get, spy, []);
      } catch {
        // brand check refused it, as it should
      }
    }
    for (const key of keysSeen) {
      if (typeof key === "symbol") reached.push(`${name} getter looked up ${String(key)} on a proxy`);
    }
  }
  // Setters on Object.prototype and Array.prototype catch every plain assignment of a new key.
  // A Set, not an array: pushing onto an array would itself hit the index setters below.
  const caught = new Set();
  const names = ["scope", "used", "source", "body", "state", "stream", "sink", "reader", "controller", "inner",
    "headers", "headerList", "url", "method", "list", "value", "done", "0", "1", "2"];
  const installed = [];
  for (const name of names) {
    for (const target of [Object.prototype, Array.prototype]) {
      if (Object.getOwnPropertyDescriptor(target, name)) continue;
      // Null-prototype descriptors: the setters installed so far (value, ...) must not read as theirs.
      Object.defineProperty(target, name, { __proto__: null, configurable: true, set(v) {
        caught.add(this);
        caught.add(v);
        Object.defineProperty(this, name, { __proto__: null, value: v, writable: true, enumerable: true, configurable: true });
      } });
      installed.push([target, name]);
    }
  }
  try {
    const echo = new Request("http://x.test/", { method: "POST", body: "hello" });
    await echo.text();
    const streamed = new Response(new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.close(); } }));
    await streamed.arrayBuffer();
    new Headers({ a: "1" }).append("b", "2");
    await request.text();
    ctx.waitUntil(Promise.resolve());
  } finally {
    for (const [target, name] of installed) delete target[name];
  }
  if ([...caught].some((value) => holdsScope(value))) reached.push("a setter on Object.prototype caught the scope");
  return reached;
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const path = url.pathname;
    const scope = scopeOf(ctx);
    switch (path) {
      case "/plain":
        return new Response("plain");
      case "/probe-internals":
        return Response.json({ reached: await probeInternals(request, ctx) });
      case "/url":
        return Response.json({ url: request.url, host: request.headers.get("host"), client: request.headers.get("cf-connecting-ip") });
      case "/forge-content-length":
        // A second, complete response hidden in the body behind a Content-Length of 0.
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondText(200, "", "Content-Length\n0\nX-Forged\nyes", SMUGGLED);
        return new Response("not sent");
      case "/forge-transfer-encoding":
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondText(200, "", "Transfer-Encoding\nchunked", "0\r\n\r\n" + SMUGGLED);
        return new Response("not sent");
      case "/forge-status": {
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondText(Number(url.searchParams.get("code")), "", "", "forged");
        return new Response("not sent");
      }
      case "/forge-status-text":
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondText(200, "OK\r\nX-Injected: 1", "", "forged");
        return new Response("not sent");
      case "/forge-header-name":
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondText(200, "", url.searchParams.get("name") + "\nv", "forged");
        return new Response("not sent");
      case "/forge-header-value":
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondText(200, "", "x-a\nok\r\nX-Injected: 1", "forged");
        return new Response("not sent");
      case "/forge-range":
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondBytes(200, "", "", new ArrayBuffer(8), 4, 2147483000);
        return new Response("not sent");
      case "/forge-big-bytes":
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondBytes(200, "", "", new ArrayBuffer(2 * 1024 * 1024), 0, 2 * 1024 * 1024);
        return new Response("not sent");
      case "/control-in-value":
        // The Fetch standard allows this value (no NUL, CR or LF); HTTP/1.1 cannot carry it.
        return new Response("x", { headers: { "x-a": url.searchParams.get("v") === "del" ? "\x7f" : "a\x01b" } });
      case "/big-bytes": {
        const size = Number(url.searchParams.get("mib")) * 1024 * 1024;
        const bytes = new Uint8Array(size);
        bytes[size - 1] = 0x2a;
        return new Response(bytes);
      }
      case "/big-text":
        return new Response("é".repeat(Number(url.searchParams.get("chars"))));
      case "/import-missing":
        try {
          await import("./no-such-module.js");
          return new Response("imported?");
        } catch (e) {
          return Response.json({ message: String(e?.message ?? e) });
        }
      case "/import-outside":
        try {
          await import("../url/index.js");
          return new Response("imported?");
        } catch (e) {
          return Response.json({ message: String(e?.message ?? e) });
        }
      case "/stack":
        return Response.json({ stack: new Error("where").stack });
      case "/throw":
        throw new Error("thrown here");
      default:
        return new Response("no such case", { status: 404 });
    }
  },
};
