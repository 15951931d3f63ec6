// Seals the global scope and returns the runtime object the host uses to attach the app.
const {
  JSONParse,
  ObjectCreate,
  ObjectFreeze,
  PromisePrototypeThen,
  PromiseResolve,
  ReflectDeleteProperty,
  ReflectOwnKeys,
  String,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  TypeError,
} = internals.primordials;
const { webidl } = internals;
const { stateOf, setState } = webidl;
const { isResponse, deliver } = internals.response;
const { requestFromHost } = internals.request;

// Embedder and shell globals that must never reach tenant code. Most are switched off by
// context options already; deleting them here keeps that true if an option changes.
for (const name of ["Java", "Polyglot", "Graal", "load", "loadWithNewGlobal", "print", "printErr", "quit",
  "exit", "read", "readbuffer", "readline", "Packages", "java", "javax", "com", "org", "edu", "net"]) {
  ReflectDeleteProperty(globalThis, name);
}

const { describe } = internals.infra;

/** The first line of a description (its message), with the captured string methods. */
function firstLine(text) {
  const end = StringPrototypeIndexOf(text, "\n");
  return end < 0 ? text : StringPrototypeSlice(text, 0, end);
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
    setState(this, scope);
  }

  /** Keeps the promise's work alive after the response; the runtime waits for it on drain. */
  waitUntil(promise) {
    const scope = stateOf(this);
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
    scope.fail(`sending the Response failed: ${firstLine(describe(error))}`, describe(error));
  }
}

function deepFreeze(value) {
  if (typeof value === "object" && value !== null) {
    const keys = ReflectOwnKeys(value);
    for (let i = 0; i < keys.length; i++) deepFreeze(value[keys[i]]);
    ObjectFreeze(value);
  }
  return value;
}

/**
 * One env version as the app sees it: a frozen, null-prototype object. The host calls this once
 * per version and context, on the context's own loop, and passes the result to every dispatch
 * until the next version: a request keeps the object it was given, so it never sees a mix.
 * `envList` holds key, value, isJson in threes; JSON values were validated by the host.
 */
function buildEnv(envList) {
  const env = ObjectCreate(null);
  for (let i = 0; i + 2 < envList.length; i += 3) {
    const value = envList[i + 2] ? deepFreeze(JSONParse(envList[i + 1])) : envList[i + 1];
    env[envList[i]] = value;
  }
  return ObjectFreeze(env);
}

function attach(exports) {
  const app = exports?.default;
  if (app === null || typeof app !== "object" && typeof app !== "function" || typeof app.fetch !== "function") {
    throw new TypeError("the app module must `export default { async fetch(request, env, ctx) { ... } }`");
  }

  return function dispatch(scope, env) {
    let result;
    try {
      // A plain method call (this = the exported object): GraalJS inlines it, where
      // Reflect.apply allocated an argument array per request.
      result = app.fetch(requestFromHost(scope), env, new ExecutionContext(scope));
    } catch (error) {
      scope.fail(`the fetch handler threw: ${firstLine(describe(error))}`, describe(error));
      return;
    }
    if (isResponse(result)) {
      respondWith(scope, result);
      return;
    }
    PromisePrototypeThen(PromiseResolve(result),
      (response) => respondWith(scope, response),
      (error) => scope.fail(`the fetch handler rejected: ${firstLine(describe(error))}`, describe(error)));
  };
}

return ObjectFreeze({ attach, buildEnv });
