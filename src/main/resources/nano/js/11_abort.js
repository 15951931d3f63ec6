// AbortController and AbortSignal (https://dom.spec.whatwg.org/#aborting-ongoing-activities).
const {
  ArrayPrototypePush,
  ObjectFreeze,
  SetPrototypeAdd,
  SetPrototypeDelete,
  SetPrototypeForEach,
  Set,
  TypeError,
} = internals.primordials;
const { webidl, DOMException } = internals;
const { stateOf, setState } = webidl;
const { EventTarget, Event, fire, defineEventHandler } = internals.events;

/**
 * The signal's state extends its EventTarget state: aborted, reason, the abort algorithms (a Set
 * in insertion order, so one can be removed), and for `any()` the dependent flag, its source
 * signals and the dependent signals of a source.
 */
function initSignal(state) {
  state.aborted = false;
  state.reason = undefined;
  state.algorithms = new Set();
  state.dependent = false;
  state.sources = null;
  state.dependents = null;
}

let creating = false;

class AbortSignal extends EventTarget {
  constructor() {
    if (!creating) webidl.illegalConstructor();
    super();
    initSignal(stateOf(this));
  }

  // https://dom.spec.whatwg.org/#dom-abortsignal-abort
  static abort(reason = undefined) {
    const signal = createSignal();
    const state = stateOf(signal);
    state.aborted = true;
    state.reason = reason === undefined ? abortError() : reason;
    return signal;
  }

  // https://dom.spec.whatwg.org/#dom-abortsignal-timeout: the timer belongs to the request that
  // made the signal, like any timer (it is cleared when that request ends).
  static timeout(milliseconds) {
    const prefix = "Failed to execute 'timeout' on 'AbortSignal'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    milliseconds = webidl.converters["unsigned long long"](milliseconds, prefix, "Argument 1", { enforceRange: true });
    const timers = internals.timers;
    if (timers === undefined) {
      // The event loop's timers (80_timers.js) are not in this build.
      throw new DOMException("AbortSignal.timeout() needs timers, which this runtime lacks.", "NotSupportedError");
    }
    const signal = createSignal();
    timers.setTimeout(() => {
      signalAbort(signal, new DOMException("The operation timed out.", "TimeoutError"));
    }, milliseconds);
    return signal;
  }

  // https://dom.spec.whatwg.org/#dom-abortsignal-any
  static any(signals) {
    const prefix = "Failed to execute 'any' on 'AbortSignal'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    signals = sequenceOfSignals(signals, prefix, "Argument 1");
    return createDependentSignal(signals);
  }

  get aborted() {
    webidl.assertBranded(this, AbortSignalPrototype);
    return stateOf(this).aborted;
  }

  get reason() {
    webidl.assertBranded(this, AbortSignalPrototype);
    return stateOf(this).reason;
  }

  throwIfAborted() {
    webidl.assertBranded(this, AbortSignalPrototype);
    const state = stateOf(this);
    if (state.aborted) throw state.reason;
  }
}
const AbortSignalPrototype = AbortSignal.prototype;
defineEventHandler(AbortSignalPrototype, "abort");
webidl.configureInterface(AbortSignal);

const isSignal = (value) => webidl.isBranded(value, AbortSignalPrototype);

const sequenceOfSignals = webidl.createSequenceConverter((V, prefix, context) => {
  if (!isSignal(V)) throw webidl.makeException(TypeError, "is not of type 'AbortSignal'.", prefix, context);
  return V;
});

function abortError() {
  return new DOMException("This operation was aborted", "AbortError");
}

function createSignal() {
  creating = true;
  try {
    return new AbortSignal();
  } finally {
    creating = false;
  }
}

/** https://dom.spec.whatwg.org/#abortsignal-add */
function addAlgorithm(signal, algorithm) {
  const state = stateOf(signal);
  if (state.aborted) return;
  SetPrototypeAdd(state.algorithms, algorithm);
}

/** https://dom.spec.whatwg.org/#abortsignal-remove */
function removeAlgorithm(signal, algorithm) {
  SetPrototypeDelete(stateOf(signal).algorithms, algorithm);
}

/** https://dom.spec.whatwg.org/#abortsignal-signal-abort */
function signalAbort(signal, reason = undefined) {
  const state = stateOf(signal);
  if (state.aborted) return;
  state.aborted = true;
  state.reason = reason === undefined ? abortError() : reason;
  const dependentsToAbort = [];
  if (state.dependents !== null) {
    SetPrototypeForEach(state.dependents, (dependent) => {
      const dependentState = stateOf(dependent);
      if (dependentState.aborted) return;
      dependentState.aborted = true;
      dependentState.reason = state.reason;
      ArrayPrototypePush(dependentsToAbort, dependent);
    });
  }
  runAbortSteps(signal);
  for (let i = 0; i < dependentsToAbort.length; i++) runAbortSteps(dependentsToAbort[i]);
}

/** https://dom.spec.whatwg.org/#run-the-abort-steps */
function runAbortSteps(signal) {
  const state = stateOf(signal);
  const algorithms = state.algorithms;
  state.algorithms = new Set();
  // Set's own forEach, not its iterator, which an app could patch.
  SetPrototypeForEach(algorithms, (algorithm) => {
    try {
      algorithm(state.reason);
    } catch (error) {
      internals.globalEvents.reportError(error);
    }
  });
  forgetSources(signal);
  fire(signal, new Event("abort"));
}

/**
 * An aborted dependent can never be aborted again, so its sources drop it: a long-lived source
 * (a module-level signal) does not keep every aborted `any()` result alive.
 */
function forgetSources(signal) {
  const state = stateOf(signal);
  if (state.sources === null) return;
  SetPrototypeForEach(state.sources, (source) => SetPrototypeDelete(stateOf(source).dependents, signal));
  state.sources = null;
}

/** https://dom.spec.whatwg.org/#create-a-dependent-abort-signal */
function createDependentSignal(signals) {
  const result = createSignal();
  const resultState = stateOf(result);
  for (let i = 0; i < signals.length; i++) {
    const state = stateOf(signals[i]);
    if (state.aborted) {
      resultState.aborted = true;
      resultState.reason = state.reason;
      return result;
    }
  }
  resultState.dependent = true;
  resultState.sources = new Set();
  const link = (source) => {
    const sourceState = stateOf(source);
    SetPrototypeAdd(resultState.sources, source);
    sourceState.dependents ??= new Set();
    SetPrototypeAdd(sourceState.dependents, result);
  };
  for (let i = 0; i < signals.length; i++) {
    const state = stateOf(signals[i]);
    if (!state.dependent) {
      link(signals[i]);
    } else {
      if (state.sources !== null) SetPrototypeForEach(state.sources, link);
    }
  }
  return result;
}

class AbortController {
  constructor() {
    setState(this, { signal: createSignal() });
  }

  get signal() {
    webidl.assertBranded(this, AbortControllerPrototype);
    return stateOf(this).signal;
  }

  abort(reason = undefined) {
    webidl.assertBranded(this, AbortControllerPrototype);
    signalAbort(stateOf(this).signal, reason);
  }
}
const AbortControllerPrototype = AbortController.prototype;
webidl.configureInterface(AbortController);

/**
 * For other families (fetch, pipeTo, event listeners):
 * - isSignal(value), isAborted(signal), reasonOf(signal);
 * - addAlgorithm(signal, fn) runs fn(reason) once when the signal aborts (never if it already
 *   has: check isAborted first); removeAlgorithm(signal, fn) forgets it (call it when the
 *   operation finishes, so a long-lived signal does not hold the operation);
 * - createSignal() a new signal only the runtime can abort, signalAbort(signal, reason?)
 *   (reason defaults to an AbortError DOMException), createDependentSignal([signals]) as any().
 */
internals.abort = ObjectFreeze({
  AbortSignal,
  AbortController,
  isSignal,
  isAborted: (signal) => stateOf(signal).aborted,
  reasonOf: (signal) => stateOf(signal).reason,
  addAlgorithm,
  removeAlgorithm,
  createSignal,
  signalAbort,
  createDependentSignal,
});
