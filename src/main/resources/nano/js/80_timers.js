// The event loop as an app sees it: timers (https://html.spec.whatwg.org/#timers),
// queueMicrotask (https://html.spec.whatwg.org/#microtask-queuing), and the reporting of
// exceptions and unhandled rejections (https://html.spec.whatwg.org/#runtime-script-errors,
// https://html.spec.whatwg.org/#unhandled-promise-rejections).
//
// The host (web/TimerOps.java) runs every timer callback as a task of its own on the context's
// event loop, for the request that set it, and cancels what a request still owns when it ends.
const {
  FunctionPrototypeCall,
  PromisePrototypeThen,
  PromiseResolve,
  ReflectApply,
  TypeError,
  globalThis: global,
} = internals.primordials;
const { webidl } = internals;

// Captured before 99_bootstrap removes the `Graal` global (js.graal-builtin exists for this one
// function; js.unhandled-rejections=handler makes GraalJS call it once the microtasks of a task
// have drained and a rejected promise still has no handler).
const setRejectionHandler = global.Graal?.setUnhandledPromiseRejectionHandler;

const indirectEval = global.eval;

const { describe } = internals.infra;

/**
 * https://html.spec.whatwg.org/#report-the-exception: an `error` event at the global scope; if no
 * listener cancels it, the exception goes to the app's log with the request it happened in.
 */
function reportException(error) {
  let handled = false;
  try {
    handled = internals.globalEvents?.reportException(error) === true;
  } catch (listenerError) {
    binding.console.log("error", `Uncaught exception in an error listener: ${describe(listenerError)}`);
  }
  if (!handled) {
    binding.console.log("error", `Uncaught ${describe(error)}`);
  }
}

function reportUnhandledRejection(reason, promise) {
  let handled = false;
  try {
    handled = internals.globalEvents?.unhandledRejection(promise, reason) === true;
  } catch (listenerError) {
    binding.console.log("error", `Uncaught exception in an unhandledrejection listener: ${describe(listenerError)}`);
  }
  if (!handled) {
    binding.console.log("error", `Unhandled promise rejection: ${describe(reason)}`);
  }
}

if (typeof setRejectionHandler === "function") {
  FunctionPrototypeCall(setRejectionHandler, global.Graal, reportUnhandledRejection);
}

/** The task a timer or queued callback runs: its exceptions are reported, never thrown to the host. */
function taskFor(callback, args) {
  return () => {
    try {
      ReflectApply(callback, global, args);
    } catch (error) {
      reportException(error);
    }
  };
}

const timerPrefix = (name) => `Failed to execute '${name}' on 'WorkerGlobalScope'`;

/** https://html.spec.whatwg.org/#timer-initialisation-steps (the host clamps nested timers). */
function initializeTimer(name, handler, timeout, args, repeat) {
  const prefix = timerPrefix(name);
  let callback;
  if (typeof handler === "function") {
    callback = handler;
  } else {
    // A string handler is compiled as a classic script in the global scope when the timer fires.
    const source = webidl.converters.DOMString(handler, prefix, "Argument 1");
    callback = () => indirectEval(source);
    args = [];
  }
  const delay = webidl.converters.long(timeout, prefix, "Argument 2");
  return binding.timers.set(delay < 0 ? 0 : delay, repeat, taskFor(callback, args));
}

function setTimeout(handler, timeout = 0, ...args) {
  return initializeTimer("setTimeout", handler, timeout, args, false);
}

function setInterval(handler, timeout = 0, ...args) {
  return initializeTimer("setInterval", handler, timeout, args, true);
}

function clearTimeout(id = 0) {
  binding.timers.clear(webidl.converters.long(id, timerPrefix("clearTimeout"), "Argument 1"));
}

function clearInterval(id = 0) {
  binding.timers.clear(webidl.converters.long(id, timerPrefix("clearInterval"), "Argument 1"));
}

const resolved = PromiseResolve(undefined);

/** https://html.spec.whatwg.org/#dom-queuemicrotask: an exception is reported, not a rejection. */
function queueMicrotask(callback) {
  const prefix = "Failed to execute 'queueMicrotask' on 'WorkerGlobalScope'";
  webidl.requiredArguments(arguments.length, 1, prefix);
  if (typeof callback !== "function") {
    throw webidl.makeException(TypeError, "The callback provided as parameter 1 is not a function.", prefix);
  }
  PromisePrototypeThen(resolved, taskFor(callback, []));
}

internals.timers = {
  setTimeout: (callback, ms) => binding.timers.set(ms < 0 ? 0 : ms, false, taskFor(callback, [])),
  clearTimeout: (id) => binding.timers.clear(id),
};
internals.tasks = {
  post: (callback) => binding.timers.post(taskFor(callback, [])),
};
internals.reportException = reportException;
internals.globalFunctions = { ...internals.globalFunctions, setTimeout, setInterval, clearTimeout, clearInterval, queueMicrotask };
