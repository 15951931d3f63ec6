// An app that replaces, at module top level, every builtin method the runtime's prelude could
// call, with one that throws. The prelude must keep working on its captured primordials: each
// request kind below answers correctly. The app itself uses only what it saved first.
const apply = Reflect.apply;
const defineProperty = Object.defineProperty;
const patchedCalls = [];
const SAVED_PUSH = Array.prototype.push;

function patch(owner, ownerName, names) {
  for (const name of names) {
    const original = owner[name];
    if (typeof original !== "function") continue;
    const label = `${ownerName}.${typeof name === "symbol" ? name.description : name}`;
    defineProperty(owner, name, {
      configurable: true, writable: true, enumerable: false,
      value: function patched() {
        apply(SAVED_PUSH, patchedCalls, [label]);
        throw new Error(`the runtime called the app's patched ${label}`);
      },
    });
  }
}

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
patch(String.prototype, "String.prototype", ["split", "slice", "indexOf", "lastIndexOf", "toLowerCase",
  "toUpperCase", "replace", "replaceAll", "trim", "startsWith", "endsWith", "charCodeAt", "codePointAt", "includes",
  "substring", "padStart", "padEnd", "repeat", "match", "normalize", "toWellFormed", "at", "concat"]);
patch(Array.prototype, "Array.prototype", ["push", "pop", "join", "map", "forEach", "slice", "splice", "indexOf",
  "includes", "shift", "unshift", "concat", "filter", "sort", "some", "every", "find", "findIndex", "reduce", "fill",
  "reverse", "keys", "values", "entries"]);
patch(Promise.prototype, "Promise.prototype", ["then", "catch", "finally"]);
patch(Promise, "Promise", ["resolve", "reject", "all", "allSettled", "race", "withResolvers"]);
patch(Map.prototype, "Map.prototype", ["get", "set", "has", "delete", "clear", "forEach", "keys", "values", "entries"]);
patch(Set.prototype, "Set.prototype", ["add", "has", "delete", "clear", "forEach", "values", "keys", "entries"]);
patch(WeakMap.prototype, "WeakMap.prototype", ["get", "set", "has", "delete"]);
patch(JSON, "JSON", ["parse", "stringify"]);
patch(Object, "Object", ["keys", "values", "entries", "assign", "defineProperty", "defineProperties", "freeze",
  "create", "getPrototypeOf", "setPrototypeOf", "getOwnPropertyNames", "getOwnPropertyDescriptor", "fromEntries"]);
patch(Reflect, "Reflect", ["apply", "construct", "defineProperty", "getOwnPropertyDescriptor", "ownKeys", "get",
  "set", "has", "getPrototypeOf"]);
patch(Function.prototype, "Function.prototype", ["call", "apply", "bind"]);
patch(TypedArrayPrototype, "TypedArray.prototype", ["set", "subarray", "slice", "fill", "indexOf"]);
patch(ArrayBuffer.prototype, "ArrayBuffer.prototype", ["slice"]);
patch(Math, "Math", ["min", "max", "floor", "trunc"]);
patch(Number, "Number", ["isInteger", "isFinite", "isNaN", "isSafeInteger"]);
patch(String, "String", ["fromCharCode", "fromCodePoint"]);
patch(RegExp.prototype, "RegExp.prototype", ["exec", "test"]);
patch(Date, "Date", ["now"]);

function later(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/plain":
        return new Response("plain ok");
      case "/json": {
        const body = await request.json();
        return Response.json({ got: body, query: url.searchParams.get("q") });
      }
      case "/stream-response":
        return new Response(new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("one "));
            controller.enqueue(new TextEncoder().encode("two "));
            controller.enqueue(new TextEncoder().encode("three"));
            controller.close();
          },
        }));
      case "/stream-request": {
        const reader = request.body.getReader();
        let total = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
        }
        return new Response(`read ${total} bytes`);
      }
      case "/headers": {
        const headers = new Headers(request.headers);
        headers.set("X-Echo", request.headers.get("x-in") ?? "none");
        headers.append("x-list", "a");
        headers.append("x-list", "b");
        const names = [];
        for (const [name] of headers) names[names.length] = name;
        return new Response(`${names.length > 2}`, { headers });
      }
      case "/url": {
        const parsed = new URL("../b/c?x=1&y=2#frag", "https://Example.COM/a/d");
        parsed.searchParams.append("z", "3");
        return new Response(parsed.href);
      }
      case "/timers":
        await later(5);
        return new Response("timer fired");
      case "/text-body":
        return new Response(await request.text());
      case "/calls":
        return new Response(`${patchedCalls.length}`);
      default:
        return new Response("no such case", { status: 404 });
    }
  },
};
