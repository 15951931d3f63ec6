// WebAssembly as an app sees it (GraalWasm under GraalJS), with modules from ./modules.js.
// Runs with the default cpu-limit (5s) and memory-limit 64M (see TestApps).
import { main, add, grower, badVersion } from "./modules.js";

const errorOf = (fn) => {
  try {
    fn();
    return "no error";
  } catch (e) {
    return e.constructor.name;
  }
};
const rejectionOf = (promise) => promise.then(() => "no error", (e) => e.constructor.name);
const wasmResponse = (bytes, type = "application/wasm") => new Response(bytes, { headers: { "content-type": type } });

const logged = [];
const imports = { env: { log: (x) => logged.push(x) } };
let instanceForLoop;

const cases = {
  namespace() {
    return {
      tag: Object.prototype.toString.call(WebAssembly),
      names: ["Module", "Instance", "Memory", "Table", "Global", "CompileError", "LinkError", "RuntimeError",
        "validate", "compile", "instantiate", "compileStreaming", "instantiateStreaming", "Tag", "Exception", "JSTag"]
        .filter((n) => n in WebAssembly),
      polyglot: typeof Polyglot,
      java: typeof Java,
    };
  },

  validate() {
    return { good: WebAssembly.validate(main), bad: WebAssembly.validate(badVersion),
      noBytes: errorOf(() => WebAssembly.validate("nope")) };
  },

  moduleAndInstance() {
    const module = new WebAssembly.Module(add);
    const instance = new WebAssembly.Instance(module);
    return {
      sum: instance.exports.add(2, 40),
      exports: WebAssembly.Module.exports(module),
      imports: WebAssembly.Module.imports(new WebAssembly.Module(main)),
      isModule: module instanceof WebAssembly.Module,
    };
  },

  async instantiate() {
    logged.length = 0;
    const { module, instance } = await WebAssembly.instantiate(main, imports);
    const again = await WebAssembly.instantiate(module, imports);
    return {
      twice: instance.exports.twice(21), logged: [...logged], fromModule: again instanceof WebAssembly.Instance,
      compiled: (await WebAssembly.compile(add)) instanceof WebAssembly.Module,
    };
  },

  async memory() {
    const { instance } = await WebAssembly.instantiate(main, imports);
    const mem = instance.exports.mem;
    const before = mem.buffer;
    const text = new TextDecoder().decode(new Uint8Array(mem.buffer, 0, 2));
    const old = mem.grow(1);
    const own = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    return {
      isMemory: mem instanceof WebAssembly.Memory, text, old, size: mem.buffer.byteLength,
      oldBufferDetached: before.byteLength, beyondMax: errorOf(() => mem.grow(10)),
      own: own.buffer.byteLength, ownBeyondMax: errorOf(() => own.grow(2)),
    };
  },

  tableAndGlobal() {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(add));
    const table = new WebAssembly.Table({ initial: 2, element: "anyfunc" });
    table.set(0, exports.add);
    const global = new WebAssembly.Global({ value: "i32", mutable: true }, 7);
    global.value = 8;
    const constant = new WebAssembly.Global({ value: "i64" }, 5n);
    return {
      length: table.length, viaTable: table.get(0)(3, 4), empty: table.get(1),
      grown: table.grow(1), global: global.value, constant: String(constant.value),
      immutable: errorOf(() => { constant.value = 6n; }),
    };
  },

  async errors() {
    const compileError = errorOf(() => new WebAssembly.Module(badVersion));
    let linkError;
    try {
      new WebAssembly.Instance(new WebAssembly.Module(main), { env: { log: 5 } });
      linkError = "no error";
    } catch (e) {
      linkError = [e.constructor.name, e instanceof WebAssembly.LinkError, e instanceof Error];
    }
    const { instance } = await WebAssembly.instantiate(main, imports);
    let runtimeError;
    try {
      instance.exports.trap();
      runtimeError = "no error";
    } catch (e) {
      runtimeError = [e.constructor.name, e instanceof WebAssembly.RuntimeError];
    }
    return {
      compileError, linkError, runtimeError,
      compileRejects: await rejectionOf(WebAssembly.compile(badVersion)),
      missingImports: await rejectionOf(WebAssembly.instantiate(main)),
      isCompileErrorSubclass: Object.getPrototypeOf(WebAssembly.CompileError) === Error,
    };
  },

  async streaming() {
    const module = await WebAssembly.compileStreaming(wasmResponse(add));
    const { instance } = await WebAssembly.instantiateStreaming(Promise.resolve(wasmResponse(main)), imports);
    const used = wasmResponse(add);
    await used.arrayBuffer();
    return {
      isModule: module instanceof WebAssembly.Module, sum: instance.exports.add(1, 2),
      spacedType: await rejectionOf(WebAssembly.compileStreaming(wasmResponse(add, " application/wasm\t"))),
      wrongType: await rejectionOf(WebAssembly.compileStreaming(wasmResponse(add, "application/octet-stream"))),
      withParams: await rejectionOf(WebAssembly.compileStreaming(wasmResponse(add, "application/wasm; x=y"))),
      noType: await rejectionOf(WebAssembly.compileStreaming(new Response(add))),
      notOk: await rejectionOf(WebAssembly.compileStreaming(new Response(add, {
        status: 404, headers: { "content-type": "application/wasm" } }))),
      notResponse: await rejectionOf(WebAssembly.compileStreaming(add)),
      bodyUsed: await rejectionOf(WebAssembly.compileStreaming(used)),
      badBytes: await rejectionOf(WebAssembly.instantiateStreaming(wasmResponse(badVersion))),
    };
  },
};

const routes = {
  // Never returns: the watchdog interrupts the context at the cpu-limit.
  "/loop"() {
    instanceForLoop ??= new WebAssembly.Instance(new WebAssembly.Module(main), imports);
    instanceForLoop.exports.loop();
    return Response.json({ returned: true });
  },
  // The context is still usable after the interrupt.
  "/after-loop"() {
    return Response.json({ sum: new WebAssembly.Instance(new WebAssembly.Module(add)).exports.add(20, 22) });
  },
  // memory.grow from inside wasm by ?pages= (64 KiB each).
  "/grow"(url) {
    const pages = Number(url.searchParams.get("pages"));
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(grower));
    const previous = exports.grow(pages);
    return Response.json({ previous, bytes: exports.mem.buffer.byteLength });
  },
  // Memory.grow from JS.
  "/grow-js"(url) {
    const pages = Number(url.searchParams.get("pages"));
    const memory = new WebAssembly.Memory({ initial: 1 });
    try {
      memory.grow(pages);
    } catch (e) {
      return Response.json({ error: e.constructor.name, message: e.message });
    }
    return Response.json({ bytes: memory.buffer.byteLength });
  },
};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (routes[url.pathname]) return routes[url.pathname](url);
    const out = {};
    for (const key of Object.keys(cases)) {
      try {
        out[key] = await cases[key]();
      } catch (e) {
        out[key] = { threw: `${e.name}: ${e.message}` };
      }
    }
    return Response.json(out);
  },
};
