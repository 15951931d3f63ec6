// The NANO app that runs one web-platform-tests file (copied into target/wpt-apps/<id>/index.js by
// dev.nano.wpt.WptApps, next to a generated spec.js). The first request evaluates testharness.js,
// the META scripts and the test file as classic scripts in this context's global scope, calls
// done() as WPT's worker wrapper does, and answers with the results once the harness completes.
//
// The scripts run inside a request, not at module load, because timers and fetches belong to the
// request that started them (as in workerd, where the global scope may not start I/O).
//
// GET /        runs the file (once) and answers {status, message, stack, tests: [{name, status, message}]}
// GET /timeout the runner gave up waiting: times out what is still pending (testharness's
//              timeout(), which a shell-like global without a harness timeout allows) and
//              answers the same JSON, with TIMEOUT for the unfinished subtests.

const HARNESS_STATUS = ["OK", "ERROR", "TIMEOUT", "PRECONDITION_FAILED"];
const TEST_STATUS = ["PASS", "FAIL", "TIMEOUT", "NOTRUN", "PRECONDITION_FAILED"];

let results = null;
let loadError = null;

function text(value) {
  try {
    return value === undefined || value === null ? null : String(value);
  } catch {
    return "(an unprintable value)";
  }
}

function describe(error) {
  try {
    if (error !== null && typeof error === "object" && typeof error.stack === "string") {
      return { message: `${error.name}: ${error.message}`, stack: error.stack };
    }
  } catch {
    // fall through to the plain string
  }
  return { message: text(error), stack: null };
}

// A worker's WorkerLocation, for the test's URL on the loopback WPT server.
function workerLocation(href) {
  const url = new URL(href);
  const location = {};
  for (const key of ["href", "origin", "protocol", "host", "hostname", "port", "pathname", "search", "hash"]) {
    location[key] = url[key];
  }
  location.toString = () => url.href;
  return location;
}

async function run() {
  const spec = (await import("./spec.js")).default;
  const runtimeGlobals = new Set(Reflect.ownKeys(globalThis));
  // What wptserve's generated .any.worker.js sets up before importScripts()ing the files.
  globalThis.GLOBAL = { isWindow: () => false, isWorker: () => true, isShadowRealm: () => false };
  globalThis.location = workerLocation(spec.url);
  if (spec.title !== null) {
    globalThis.META_TITLE = spec.title;
  }
  const evaluate = eval; // indirect: global scope, like a classic script
  evaluate(spec.harness);

  const completed = new Promise((resolve) => {
    add_completion_callback((tests, status) => {
      // Null prototype: resolving must not find a `then` a test left on Object.prototype (the
      // harness runs this before the tests' own completion callbacks that remove it).
      resolve({
        __proto__: null,
        status: HARNESS_STATUS[status.status] ?? text(status.status),
        message: text(status.message),
        stack: text(status.stack),
        tests: tests.map((test) => ({
          __proto__: null,
          name: text(test.name),
          status: TEST_STATUS[test.status] ?? text(test.status),
          message: text(test.message),
        })),
      });
    });
  });

  try {
    // The META scripts and the test file as one script: top-level const/let/class of a helper are
    // seen by the test file, as in a window's shared global lexical scope.
    evaluate(spec.scripts);
  } catch (error) {
    // An uncaught exception of a classic script is reported at the global scope, where
    // testharness.js listens for it when the runtime has events; otherwise we report it.
    loadError = describe(error);
    if (typeof reportError === "function" && typeof addEventListener === "function") {
      try {
        reportError(error);
        loadError.reported = true;
      } catch {
        // keep our own report
      }
    }
  }
  done();

  const outcome = await completed;
  if (loadError !== null && !loadError.reported) {
    // What testharness.js's error listener records: the uncaught error is the harness's status.
    outcome.status = "ERROR";
    outcome.message = `uncaught ${loadError.message}`;
    outcome.stack = loadError.stack;
  }
  // The results are all this context still needs: let the harness and the tests' objects go,
  // so that hundreds of finished runs do not hold on to their heaps.
  for (const key of Reflect.ownKeys(globalThis)) {
    if (!runtimeGlobals.has(key)) {
      try {
        delete globalThis[key];
      } catch {
        // a non-configurable global stays
      }
    }
  }
  return outcome;
}

export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (results === null) {
      results = run();
    } else if (path === "/timeout" && typeof timeout === "function") {
      timeout();
    }
    let outcome;
    try {
      outcome = await results;
    } catch (error) {
      // testharness.js itself failed to load or to register its callbacks.
      const { message, stack } = describe(error);
      outcome = { __proto__: null, status: "CRASH", message: `the harness failed: ${message}`, stack, tests: [] };
    }
    return new Response(JSON.stringify(outcome), { headers: { "content-type": "application/json" } });
  },
};
