// Shows its env the ways the env tests need. Served as env.test, and as envtwin, envlive and
// envrotate (TestApps), and envbar in EnvIT: one module, each app with its own env.
function attempt(change) {
  try {
    change();
    return "no error";
  } catch (e) {
    return e.name;
  }
}

function snapshot(env) {
  const values = {};
  for (const key of Object.keys(env)) values[key] = env[key];
  return { keys: Object.keys(env), values };
}

export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === "/") {
      return Response.json(snapshot(env));
    }
    if (path === "/mix") {
      // Reads A, waits for the body (a task of its own on the event loop, so env changes can
      // land in between), then reads B: both must come from one env version.
      const a = env.A;
      const body = await request.text();
      return Response.json({ a, b: env.B, body });
    }
    if (path === "/freeze") {
      const before = JSON.stringify(snapshot(env));
      Object.prototype.polluted = "from the app";
      const results = {
        write: attempt(() => { env.GREETING = "changed"; }),
        add: attempt(() => { env.ADDED = "x"; }),
        delete: attempt(() => { delete env.GREETING; }),
        define: attempt(() => Object.defineProperty(env, "GREETING", { value: "changed" })),
        setPrototype: attempt(() => Object.setPrototypeOf(env, { injected: "yes" })),
        protoAssign: attempt(() => { env.__proto__ = { injected: "yes" }; }),
        assign: attempt(() => Object.assign(env, { GREETING: "changed" })),
        nestedWrite: attempt(() => { env.CONFIG.nested.on = false; }),
        nestedPush: attempt(() => env.CONFIG.list.push(3)),
        frozen: Object.isFrozen(env),
        nullPrototype: Object.getPrototypeOf(env) === null,
        pollutedVisible: "polluted" in env,
        injectedVisible: "injected" in env,
      };
      delete Object.prototype.polluted;
      results.unchanged = JSON.stringify(snapshot(env)) === before;
      return Response.json(results);
    }
    if (path === "/json") {
      return Response.json({
        config: env.CONFIG,
        type: typeof env.CONFIG,
        deepFrozen: Object.isFrozen(env.CONFIG) && Object.isFrozen(env.CONFIG.nested) && Object.isFrozen(env.CONFIG.list),
      });
    }
    if (path === "/process") {
      return Response.json({
        process: typeof process,
        globalProcess: typeof globalThis.process,
        processInEnv: "process" in env,
        hostVariables: ["PATH", "HOME", "USER", "JAVA_HOME"].filter((name) => name in env),
      });
    }
    if (path === "/throw-secret") {
      throw new Error(`cannot reach the database with ${env.DB_PASSWORD}`);
    }
    return new Response("not found", { status: 404 });
  },
};
