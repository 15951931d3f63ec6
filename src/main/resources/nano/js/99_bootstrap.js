// Seals the global scope and returns the runtime object the host uses to attach the app.
const {
  ObjectCreate,
  ObjectFreeze,
  PromisePrototypeThen,
  PromiseResolve,
  ReflectDeleteProperty,
  String,
  TypeError,
} = internals.primordials;
const { webidl } = internals;
const { kState } = webidl;
const { isResponse, deliver } = internals.response;
const { requestFromHost } = internals.request;

// Embedder and shell globals that must never reach tenant code. Most are switched off by
// context options already; deleting them here keeps that true if an option changes.
for (const name of ["Java", "Polyglot", "Graal", "load", "loadWithNewGlobal", "print", "printErr", "quit",
  "exit", "read", "readbuffer", "readline", "Packages", "java", "javax", "com", "org", "edu", "net"]) {
  ReflectDeleteProperty(globalThis, name);
}

function describe(value) {
  try {
    if (typeof value === "object" && value !== null && typeof value.stack === "string") return value.stack;
    return String(value);
  } catch {
    return "(an unprintable value)";
  }
}

function typeName(value) {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  try {
    return value.constructor?.name ?? "object";
  } catch {
    return "object";
  }
}

/** The `ctx` argument of fetch: https://developers.cloudflare.com/workers/runtime-apis/context/ */
class ExecutionContext {
  constructor(scope) {
    this[kState] = scope;
  }

  /** Keeps the promise's work alive after the response; the runtime waits for it on drain. */
  waitUntil(promise) {
    const scope = this[kState];
    scope.waitUntilStarted();
    PromisePrototypeThen(PromiseResolve(promise),
      () => scope.waitUntilSettled(null),
      (error) => scope.waitUntilSettled(describe(error)));
  }

  /** There is no origin behind a NANO app to fall back to, so this changes nothing. */
  passThroughOnException() {}
}
webidl.configureInterface(ExecutionContext);

function respondWith(scope, value) {
  if (!isResponse(value)) {
    const got = typeName(value);
    scope.fail(`the fetch handler returned ${got}, not a Response`, `fetch returned ${got}, not a Response`);
    return;
  }
  try {
    deliver(value, scope);
  } catch (error) {
    scope.fail(`sending the Response failed: ${describe(error).split("\n")[0]}`, describe(error));
  }
}

function attach(exports, envList) {
  const app = exports?.default;
  if (app === null || typeof app !== "object" && typeof app !== "function" || typeof app.fetch !== "function") {
    throw new TypeError("the app module must `export default { async fetch(request, env, ctx) { ... } }`");
  }
  const env = ObjectCreate(null);
  for (let i = 0; i + 1 < envList.length; i += 2) {
    env[envList[i]] = envList[i + 1];
  }
  ObjectFreeze(env);

  return function dispatch(scope) {
    let result;
    try {
      // A plain method call (this = the exported object): GraalJS inlines it, where
      // Reflect.apply allocated an argument array per request.
      result = app.fetch(requestFromHost(scope), env, new ExecutionContext(scope));
    } catch (error) {
      scope.fail(`the fetch handler threw: ${describe(error).split("\n")[0]}`, describe(error));
      return;
    }
    if (isResponse(result)) {
      respondWith(scope, result);
      return;
    }
    PromisePrototypeThen(PromiseResolve(result),
      (response) => respondWith(scope, response),
      (error) => scope.fail(`the fetch handler rejected: ${describe(error).split("\n")[0]}`, describe(error)));
  };
}

return ObjectFreeze({ attach });
