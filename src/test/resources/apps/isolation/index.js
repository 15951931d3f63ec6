// Tries to reach the host from tenant code; every attempt should fail.
async function outcome(fn) {
  try {
    const value = await fn();
    return { ok: true, value: typeof value === "object" && value !== null ? Object.keys(value) : String(value) };
  } catch (e) {
    return { ok: false, error: e?.name ?? String(e) };
  }
}

const hostGlobals = ["Java", "Polyglot", "Graal", "load", "loadWithNewGlobal", "print", "printErr", "quit", "exit",
  "read", "readbuffer", "readline", "Packages", "java", "javax", "process", "require", "Deno", "Bun", "binding",
  "internals", "primordials", "__nano"];

export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === "/env") {
      "use strict";
      let writeError = null;
      try {
        env.SECRET = "changed";
      } catch (e) {
        writeError = e.name;
      }
      return Response.json({
        keys: Object.keys(env).sort(),
        secret: env.SECRET,
        frozen: Object.isFrozen(env),
        nullPrototype: Object.getPrototypeOf(env) === null,
        writeError,
        hasPath: "PATH" in env || "HOME" in env,
      });
    }
    if (path === "/pollute") {
      globalThis.leaked = "from isolation";
      Object.prototype.polluted = "from isolation";
      return new Response("polluted");
    }
    if (path === "/patched-builtins") {
      const saved = { push: Array.prototype.push, stringify: JSON.stringify, then: Promise.prototype.then };
      Array.prototype.push = () => { throw new Error("patched push"); };
      JSON.stringify = () => "patched";
      try {
        const headers = new Headers({ b: "2", a: "1" });
        headers.append("c", "3");
        return Response.json({ entries: [...headers].length });
      } finally {
        Array.prototype.push = saved.push;
        JSON.stringify = saved.stringify;
      }
    }
    if (path === "/patched-promise") {
      // Patched while the runtime takes the returned promise; a job queued first restores them.
      const saved = { resolve: Promise.resolve, apply: Reflect.apply };
      const response = saved.resolve.call(Promise, new Response("delivered anyway"));
      response.then(() => {
        Promise.resolve = saved.resolve;
        Reflect.apply = saved.apply;
      });
      Promise.resolve = () => { throw new Error("patched Promise.resolve"); };
      Reflect.apply = () => { throw new Error("patched Reflect.apply"); };
      return response;
    }
    const globals = {};
    for (const name of hostGlobals) {
      globals[name] = typeof globalThis[name];
    }
    const callerProbe = new Function("return typeof arguments.callee.caller");
    let callerSeen;
    try {
      new Headers({ a: "1" }).forEach(() => {
        callerSeen = callerProbe();
      });
    } catch (e) {
      callerSeen = e.name;
    }
    return Response.json({
      globals,
      javaTypeViaEval: await outcome(() => eval("Java.type('java.lang.System')")),
      polyglotEval: await outcome(() => Polyglot.eval("python", "1")),
      siblingImport: await outcome(async () => (await import("./sibling.js")).sibling),
      parentImport: await outcome(() => import("../fetchapi/index.js")),
      absoluteImport: await outcome(() => import("/etc/passwd")),
      fileUrlImport: await outcome(() => import("file:///etc/hostname")),
      nodeBuiltinImport: await outcome(() => import("node:fs")),
      bareImport: await outcome(() => import("fs")),
      symlinkImport: await outcome(() => import("./escape-link.js")),
      callerSeen,
      globalNames: Object.getOwnPropertyNames(globalThis).filter((n) => /java|polyglot|graal|nano|binding/i.test(n)),
    });
  },
};
