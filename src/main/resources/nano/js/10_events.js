// DOM events (https://dom.spec.whatwg.org/#events): Event, EventTarget, CustomEvent, and from
// HTML ErrorEvent, PromiseRejectionEvent, event handler attributes and the global scope's
// error reporting (https://html.spec.whatwg.org/#runtime-script-errors). NANO has no nodes, so
// every path has one item: the target itself (no capture or bubble through parents).
const {
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSplice,
  FunctionPrototypeCall,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectGetOwnPropertyDescriptor,
  ObjectSetPrototypeOf,
  RegExpPrototypeExec,
  SafeMap,
  String,
  TypeError,
} = internals.primordials;
const { webidl } = internals;
const { stateOf, setState } = webidl;

const NONE = 0;
const CAPTURING_PHASE = 1;
const AT_TARGET = 2;
const BUBBLING_PHASE = 3;

/** The event's timeStamp and performance.now() share this clock (ms since the time origin). */
const now = () => binding.performance.now();

const eventInit = [
  { key: "bubbles", converter: webidl.converters.boolean, defaultValue: false },
  { key: "cancelable", converter: webidl.converters.boolean, defaultValue: false },
  { key: "composed", converter: webidl.converters.boolean, defaultValue: false },
];
const EventInit = webidl.createDictionaryConverter("EventInit", eventInit);

// [LegacyUnforgeable] readonly attribute boolean isTrusted: an own, non-configurable accessor on
// every instance, with one getter function shared by all of them (as WPT checks).
const isTrustedGetter = {
  get isTrusted() {
    webidl.assertBranded(this, EventPrototype);
    return stateOf(this).isTrusted;
  },
};
const isTrustedDescriptor = {
  get: ObjectGetOwnPropertyDescriptor(isTrustedGetter, "isTrusted").get,
  enumerable: true,
  configurable: false,
};

class Event {
  constructor(type, eventInitDict = undefined) {
    const prefix = `Failed to construct '${new.target?.name ?? "Event"}'`;
    webidl.requiredArguments(arguments.length, 1, prefix);
    type = webidl.converters.DOMString(type, prefix, "Argument 1");
    const init = EventInit(eventInitDict, prefix, "Argument 2");
    // https://dom.spec.whatwg.org/#concept-event-constructor: the flags and the attributes.
    setState(this, {
      type,
      bubbles: init.bubbles,
      cancelable: init.cancelable,
      composed: init.composed,
      isTrusted: false,
      timeStamp: now(),
      target: null,
      currentTarget: null,
      eventPhase: NONE,
      stopPropagation: false,
      stopImmediatePropagation: false,
      canceled: false,
      inPassiveListener: false,
      initialized: true,
      dispatching: false,
      path: [],
    });
    ObjectDefineProperty(this, "isTrusted", isTrustedDescriptor);
  }

  get type() {
    webidl.assertBranded(this, EventPrototype);
    return stateOf(this).type;
  }

  get target() {
    webidl.assertBranded(this, EventPrototype);
    return stateOf(this).target;
  }

  /** Legacy alias of target. */
  get srcElement() {
    webidl.assertBranded(this, EventPrototype);
    return stateOf(this).target;
  }

  get currentTarget() {
    webidl.assertBranded(this, EventPrototype);
    return stateOf(this).currentTarget;
  }

  // https://dom.spec.whatwg.org/#dom-event-composedpath: with a one-item path this is the
  // current target while the event is dispatched, and empty otherwise.
  composedPath() {
    webidl.assertBranded(this, EventPrototype);
    const state = stateOf(this);
    return state.path.length === 0 || state.currentTarget === null ? [] : [state.currentTarget];
  }

  get eventPhase() {
    webidl.assertBranded(this, EventPrototype);
    return stateOf(this).eventPhase;
  }

  stopPropagation() {
    webidl.assertBranded(this, EventPrototype);
    stateOf(this).stopPropagation = true;
  }

  get cancelBubble() {
    webidl.assertBranded(this, EventPrototype);
    return stateOf(this).stopPropagation;
  }

  set cancelBubble(value) {
    webidl.assertBranded(this, EventPrototype);
    if (webidl.converters.boolean(value)) stateOf(this).stopPropagation = true;
  }

  stopImmediatePropagation() {
    webidl.assertBranded(this, EventPrototype);
    const state = stateOf(this);
    state.stopPropagation = true;
    state.stopImmediatePropagation = true;
  }

  get bubbles() {
    webidl.assertBranded(this, EventPrototype);
    return stateOf(this).bubbles;
  }

  get cancelable() {
    webidl.assertBranded(this, EventPrototype);
    return stateOf(this).cancelable;
  }

  get returnValue() {
    webidl.assertBranded(this, EventPrototype);
    return !stateOf(this).canceled;
  }

  set returnValue(value) {
    webidl.assertBranded(this, EventPrototype);
    if (!webidl.converters.boolean(value)) setCanceled(stateOf(this));
  }

  preventDefault() {
    webidl.assertBranded(this, EventPrototype);
    setCanceled(stateOf(this));
  }

  get defaultPrevented() {
    webidl.assertBranded(this, EventPrototype);
    return stateOf(this).canceled;
  }

  get composed() {
    webidl.assertBranded(this, EventPrototype);
    return stateOf(this).composed;
  }

  get timeStamp() {
    webidl.assertBranded(this, EventPrototype);
    return stateOf(this).timeStamp;
  }

  // https://dom.spec.whatwg.org/#dom-event-initevent
  initEvent(type, bubbles = false, cancelable = false) {
    webidl.assertBranded(this, EventPrototype);
    const prefix = "Failed to execute 'initEvent' on 'Event'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    type = webidl.converters.DOMString(type, prefix, "Argument 1");
    const state = stateOf(this);
    if (state.dispatching) return;
    initialize(state, type, webidl.converters.boolean(bubbles), webidl.converters.boolean(cancelable));
  }
}
const EventPrototype = Event.prototype;
webidl.configureInterface(Event);

/** https://dom.spec.whatwg.org/#set-the-canceled-flag */
function setCanceled(state) {
  if (state.cancelable && !state.inPassiveListener) state.canceled = true;
}

/** https://dom.spec.whatwg.org/#concept-event-initialize */
function initialize(state, type, bubbles, cancelable) {
  state.initialized = true;
  state.stopPropagation = false;
  state.stopImmediatePropagation = false;
  state.canceled = false;
  state.isTrusted = false;
  state.target = null;
  state.type = type;
  state.bubbles = bubbles;
  state.cancelable = cancelable;
}

for (const [name, value] of [["NONE", NONE], ["CAPTURING_PHASE", CAPTURING_PHASE], ["AT_TARGET", AT_TARGET],
  ["BUBBLING_PHASE", BUBBLING_PHASE]]) {
  const descriptor = { value, writable: false, enumerable: true, configurable: false };
  ObjectDefineProperty(Event, name, descriptor);
  ObjectDefineProperty(EventPrototype, name, descriptor);
}

// https://dom.spec.whatwg.org/#interface-customevent
const CustomEventInit = webidl.createDictionaryConverter("CustomEventInit", [
  ...eventInit, { key: "detail", converter: webidl.converters.any, defaultValue: null },
]);

class CustomEvent extends Event {
  constructor(type, eventInitDict = undefined) {
    const prefix = "Failed to construct 'CustomEvent'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    type = webidl.converters.DOMString(type, prefix, "Argument 1");
    const init = CustomEventInit(eventInitDict, prefix, "Argument 2");
    super(type, init);
    stateOf(this).detail = init.detail;
  }

  get detail() {
    webidl.assertBranded(this, CustomEventPrototype);
    return stateOf(this).detail;
  }

  initCustomEvent(type, bubbles = false, cancelable = false, detail = null) {
    webidl.assertBranded(this, CustomEventPrototype);
    const prefix = "Failed to execute 'initCustomEvent' on 'CustomEvent'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    type = webidl.converters.DOMString(type, prefix, "Argument 1");
    const state = stateOf(this);
    if (state.dispatching) return;
    initialize(state, type, webidl.converters.boolean(bubbles), webidl.converters.boolean(cancelable));
    state.detail = detail;
  }
}
const CustomEventPrototype = CustomEvent.prototype;
webidl.configureInterface(CustomEvent);

// https://html.spec.whatwg.org/#the-errorevent-interface
const ErrorEventInit = webidl.createDictionaryConverter("ErrorEventInit", [
  ...eventInit,
  { key: "message", converter: webidl.converters.DOMString, defaultValue: "" },
  { key: "filename", converter: webidl.converters.USVString, defaultValue: "" },
  { key: "lineno", converter: webidl.converters["unsigned long"], defaultValue: 0 },
  { key: "colno", converter: webidl.converters["unsigned long"], defaultValue: 0 },
  { key: "error", converter: webidl.converters.any },
]);

class ErrorEvent extends Event {
  constructor(type, eventInitDict = undefined) {
    const prefix = "Failed to construct 'ErrorEvent'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    type = webidl.converters.DOMString(type, prefix, "Argument 1");
    const init = ErrorEventInit(eventInitDict, prefix, "Argument 2");
    super(type, init);
    const state = stateOf(this);
    state.message = init.message;
    state.filename = init.filename;
    state.lineno = init.lineno;
    state.colno = init.colno;
    state.error = init.error;
  }

  get message() {
    webidl.assertBranded(this, ErrorEventPrototype);
    return stateOf(this).message;
  }

  get filename() {
    webidl.assertBranded(this, ErrorEventPrototype);
    return stateOf(this).filename;
  }

  get lineno() {
    webidl.assertBranded(this, ErrorEventPrototype);
    return stateOf(this).lineno;
  }

  get colno() {
    webidl.assertBranded(this, ErrorEventPrototype);
    return stateOf(this).colno;
  }

  get error() {
    webidl.assertBranded(this, ErrorEventPrototype);
    return stateOf(this).error;
  }
}
const ErrorEventPrototype = ErrorEvent.prototype;
webidl.configureInterface(ErrorEvent);

// https://html.spec.whatwg.org/#the-promiserejectionevent-interface
const PromiseRejectionEventInit = webidl.createDictionaryConverter("PromiseRejectionEventInit", [
  ...eventInit,
  { key: "promise", converter: webidl.converters.object, required: true },
  { key: "reason", converter: webidl.converters.any },
]);

class PromiseRejectionEvent extends Event {
  constructor(type, eventInitDict) {
    const prefix = "Failed to construct 'PromiseRejectionEvent'";
    webidl.requiredArguments(arguments.length, 2, prefix);
    type = webidl.converters.DOMString(type, prefix, "Argument 1");
    const init = PromiseRejectionEventInit(eventInitDict, prefix, "Argument 2");
    super(type, init);
    stateOf(this).promise = init.promise;
    stateOf(this).reason = init.reason;
  }

  get promise() {
    webidl.assertBranded(this, PromiseRejectionEventPrototype);
    return stateOf(this).promise;
  }

  get reason() {
    webidl.assertBranded(this, PromiseRejectionEventPrototype);
    return stateOf(this).reason;
  }
}
const PromiseRejectionEventPrototype = PromiseRejectionEvent.prototype;
webidl.configureInterface(PromiseRejectionEvent);

// --- EventTarget -----------------------------------------------------------------------------

/**
 * An event target's state: its event listener list, kept per type ({ type, callback, capture,
 * passive, once, signal, removed } records), and its event handlers (name -> { value, listener }).
 * The global object keeps its state here, in the prelude's closure, like every state (webidl.stateOf).
 */
const globalState = { listeners: new SafeMap(), handlers: new SafeMap() };

function targetState(self) {
  // WebIDL: an operation of the global's interfaces called with an undefined or null `this`
  // (a bare `addEventListener(...)` in a module) acts on the global object.
  if (self === undefined || self === null || self === globalThis) return globalState;
  webidl.assertBranded(self, EventTargetPrototype);
  return stateOf(self);
}

const EventListenerOptions = webidl.createDictionaryConverter("EventListenerOptions", [
  { key: "capture", converter: webidl.converters.boolean, defaultValue: false },
]);
const AddEventListenerOptions = webidl.createDictionaryConverter("AddEventListenerOptions", [
  { key: "capture", converter: webidl.converters.boolean, defaultValue: false },
  { key: "once", converter: webidl.converters.boolean, defaultValue: false },
  { key: "passive", converter: webidl.converters.boolean },
  { key: "signal", converter: (V, prefix, context) => {
    if (!internals.abort?.isSignal(V)) {
      throw webidl.makeException(TypeError, "is not of type 'AbortSignal'.", prefix, context);
    }
    return V;
  } },
]);

/** A callback interface value (https://webidl.spec.whatwg.org/#es-callback-interface). */
function convertListener(callback, prefix) {
  if (callback === undefined || callback === null) return null;
  if (typeof callback !== "object" && typeof callback !== "function") {
    throw webidl.makeException(TypeError, "is not of type 'EventListener'.", prefix, "parameter 2");
  }
  return callback;
}

function findListener(list, callback, capture) {
  for (let i = 0; i < list.length; i++) {
    const listener = list[i];
    if (listener.callback === callback && listener.capture === capture) return i;
  }
  return -1;
}

/** https://dom.spec.whatwg.org/#add-an-event-listener */
function addListener(state, target, listener) {
  const signal = listener.signal;
  if (signal !== null && internals.abort.isAborted(signal)) return;
  if (listener.callback === null) return;
  let list = state.listeners.get(listener.type);
  if (list === undefined) {
    list = [];
    state.listeners.set(listener.type, list);
  }
  if (findListener(list, listener.callback, listener.capture) !== -1) return;
  ArrayPrototypePush(list, listener);
  if (signal !== null) {
    // Kept on the listener so removing it first also drops the algorithm: a long-lived signal
    // must not hold every listener it was ever passed with.
    listener.abortAlgorithm = () => removeListener(state, listener);
    internals.abort.addAlgorithm(signal, listener.abortAlgorithm);
  }
}

/** https://dom.spec.whatwg.org/#remove-an-event-listener */
function removeListener(state, listener) {
  listener.removed = true;
  if (listener.signal !== null && listener.abortAlgorithm !== undefined) {
    internals.abort.removeAlgorithm(listener.signal, listener.abortAlgorithm);
  }
  const list = state.listeners.get(listener.type);
  if (list === undefined) return;
  const index = ArrayPrototypeIndexOf(list, listener);
  if (index !== -1) ArrayPrototypeSplice(list, index, 1);
}

class EventTarget {
  constructor() {
    setState(this, { listeners: new SafeMap(), handlers: null });
  }

  addEventListener(type, callback, options = undefined) {
    const state = targetState(this);
    const prefix = "Failed to execute 'addEventListener' on 'EventTarget'";
    webidl.requiredArguments(arguments.length, 2, prefix);
    type = webidl.converters.DOMString(type, prefix, "Argument 1");
    callback = convertListener(callback, prefix);
    // https://dom.spec.whatwg.org/#event-flatten-more
    let capture = false;
    let once = false;
    let passive = false;
    let signal = null;
    if (typeof options === "object" && options !== null || typeof options === "function") {
      const dict = AddEventListenerOptions(options, prefix, "Argument 3");
      capture = dict.capture;
      once = dict.once;
      // https://dom.spec.whatwg.org/#default-passive-value: false for any non-node target.
      passive = dict.passive ?? false;
      signal = dict.signal ?? null;
    } else {
      capture = webidl.converters.boolean(options);
    }
    addListener(state, this ?? globalThis, { type, callback, capture, passive, once, signal, removed: false });
  }

  removeEventListener(type, callback, options = undefined) {
    const state = targetState(this);
    const prefix = "Failed to execute 'removeEventListener' on 'EventTarget'";
    webidl.requiredArguments(arguments.length, 2, prefix);
    type = webidl.converters.DOMString(type, prefix, "Argument 1");
    callback = convertListener(callback, prefix);
    const capture = typeof options === "object" && options !== null || typeof options === "function"
      ? EventListenerOptions(options, prefix, "Argument 3").capture
      : webidl.converters.boolean(options);
    const list = state.listeners.get(type);
    if (list === undefined || callback === null) return;
    const index = findListener(list, callback, capture);
    if (index !== -1) removeListener(state, list[index]);
  }

  dispatchEvent(event) {
    const state = targetState(this);
    const prefix = "Failed to execute 'dispatchEvent' on 'EventTarget'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    if (!webidl.isBranded(event, EventPrototype)) {
      throw webidl.makeException(TypeError, "is not of type 'Event'.", prefix, "parameter 1");
    }
    const eventState = stateOf(event);
    if (eventState.dispatching || !eventState.initialized) {
      throw new internals.DOMException("The event is already being dispatched or was not initialized.",
        "InvalidStateError");
    }
    eventState.isTrusted = false;
    return dispatch(this ?? globalThis, state, event);
  }
}
const EventTargetPrototype = EventTarget.prototype;
webidl.configureInterface(EventTarget);

/**
 * https://dom.spec.whatwg.org/#concept-event-dispatch for a target with no parent: the path is
 * the target alone, so its capture listeners run, then its other listeners, both AT_TARGET.
 */
function dispatch(target, state, event) {
  const eventState = stateOf(event);
  eventState.dispatching = true;
  eventState.target = target;
  eventState.path = [target];
  eventState.eventPhase = AT_TARGET;
  invoke(target, state, event, eventState, true);
  invoke(target, state, event, eventState, false);
  eventState.eventPhase = NONE;
  eventState.currentTarget = null;
  eventState.path = [];
  eventState.dispatching = false;
  eventState.stopPropagation = false;
  eventState.stopImmediatePropagation = false;
  return !eventState.canceled;
}

/** https://dom.spec.whatwg.org/#concept-event-listener-invoke and #concept-event-listener-inner-invoke */
function invoke(target, state, event, eventState, capturing) {
  if (eventState.stopPropagation) return;
  eventState.currentTarget = target;
  const list = state.listeners.get(eventState.type);
  if (list === undefined || list.length === 0) return;
  // A clone: listeners added while dispatching do not run; removed ones are flagged.
  const listeners = ArrayPrototypeSlice(list);
  for (let i = 0; i < listeners.length; i++) {
    const listener = listeners[i];
    if (listener.removed || listener.capture !== capturing) continue;
    if (listener.once) removeListener(state, listener);
    if (listener.passive) eventState.inPassiveListener = true;
    callListener(listener.callback, target, event);
    eventState.inPassiveListener = false;
    if (eventState.stopImmediatePropagation) return;
  }
}

/** https://webidl.spec.whatwg.org/#call-a-user-objects-operation; a throw is reported, not rethrown. */
function callListener(callback, target, event) {
  try {
    if (typeof callback === "function") {
      FunctionPrototypeCall(callback, target, event);
    } else {
      const handleEvent = callback.handleEvent;
      if (typeof handleEvent !== "function") {
        throw new TypeError("The listener has no callable 'handleEvent' property.");
      }
      FunctionPrototypeCall(handleEvent, callback, event);
    }
  } catch (error) {
    reportError(error);
  }
}

// --- Event handler attributes (https://html.spec.whatwg.org/#event-handler-attributes) ----------

/**
 * Defines `on<type>` on `object` (a prototype, or the global object itself). `stateOf(self)`
 * returns the EventTarget state of `this` (or throws for a wrong receiver). The listener is
 * added when the handler is first set to a callable-or-object value, keeping that position;
 * setting null removes it. `special` marks onerror of the global scope, called with
 * (message, filename, lineno, colno, error) and cancelled by returning true.
 */
function defineEventHandler(object, type, stateOf, special = false) {
  const name = `on${type}`;
  const accessors = {
    get [name]() {
      const state = stateOf(this);
      return state.handlers?.get(type)?.value ?? null;
    },
    set [name](value) {
      const state = stateOf(this);
      // [LegacyTreatNonObjectAsNull]: a non-object is null; a non-callable object is kept
      // (the getter returns it) but calling the handler then does nothing.
      if (typeof value !== "object" && typeof value !== "function") value = null;
      state.handlers ??= new SafeMap();
      let handler = state.handlers.get(type);
      if (value === null) {
        if (handler !== undefined) {
          if (handler.listener !== null) removeListener(state, handler.listener);
          state.handlers.delete(type);
        }
        return;
      }
      if (handler === undefined) {
        handler = { value, listener: null };
        state.handlers.set(type, handler);
      }
      handler.value = value;
      if (handler.listener === null) {
        const target = this ?? globalThis;
        const callback = (event) => processHandler(handler, event, special, target);
        handler.listener = {
          type, callback, capture: false, passive: false, once: false, signal: null, removed: false,
        };
        addListener(state, target, handler.listener);
      }
    },
  };
  const descriptor = ObjectGetOwnPropertyDescriptor(accessors, name);
  descriptor.enumerable = true;
  descriptor.configurable = true;
  ObjectDefineProperty(object, name, descriptor);
}

/** https://html.spec.whatwg.org/#the-event-handler-processing-algorithm */
function processHandler(handler, event, special, target) {
  const callback = handler.value;
  if (typeof callback !== "function") return;
  const eventState = stateOf(event);
  let result;
  if (special && webidl.isBranded(event, ErrorEventPrototype) && eventState.type === "error") {
    result = FunctionPrototypeCall(callback, target, eventState.message, eventState.filename,
      eventState.lineno, eventState.colno, eventState.error);
    if (result === true) setCanceled(eventState);
  } else {
    result = FunctionPrototypeCall(callback, target, event);
    if (result === false) setCanceled(eventState);
  }
}

// --- The global scope as an EventTarget ---------------------------------------------------------

// As in a worker, the global object is an EventTarget: its prototype chain goes through
// EventTarget.prototype, so addEventListener & co. are found on it (also as bare calls).
ObjectSetPrototypeOf(globalThis, EventTargetPrototype);
const globalStateOf = (self) => {
  if (self === undefined || self === null || self === globalThis) return globalState;
  throw new TypeError("Illegal invocation");
};
defineEventHandler(globalThis, "error", globalStateOf, true);
defineEventHandler(globalThis, "unhandledrejection", globalStateOf);
defineEventHandler(globalThis, "rejectionhandled", globalStateOf);

// GraalJS frames read "    at fn (file:///app/index.js:3:9)" or "    at file:///app/index.js:3:9".
const FRAME_LOCATION = /\n\s+at (?:[^\n]*\()?([^\n()]+):(\d+):(\d+)\)?/;

/** Where an error was thrown, from its stack's first frame, for ErrorEvent's fields. */
function locationOf(error) {
  try {
    const stack = typeof error === "object" && error !== null ? error.stack : undefined;
    if (typeof stack !== "string") return { filename: "", lineno: 0, colno: 0 };
    const match = RegExpPrototypeExec(FRAME_LOCATION, stack);
    if (match === null) return { filename: "", lineno: 0, colno: 0 };
    return { filename: match[1], lineno: +match[2], colno: +match[3] };
  } catch {
    return { filename: "", lineno: 0, colno: 0 };
  }
}

function describe(error) {
  try {
    if (typeof error === "object" && error !== null) {
      const name = error.name;
      const message = error.message;
      if (message !== undefined) return `${name ?? "Error"}: ${message}`;
    }
    return String(error);
  } catch {
    return "(an unprintable value)";
  }
}

/** True while an error event is being dispatched: errors thrown then go to the log only. */
let reporting = false;

/**
 * https://html.spec.whatwg.org/#report-an-exception: fires a trusted, cancelable ErrorEvent
 * named error at the global scope. Returns true when a listener (or onerror) cancelled it,
 * meaning the error counts as handled. An exception thrown by an error listener is not fired
 * again (it would loop); the caller logs it.
 */
function reportException(error) {
  if (reporting) return false;
  const { filename, lineno, colno } = locationOf(error);
  const event = new ErrorEvent("error", {
    cancelable: true, message: `Uncaught ${describe(error)}`, filename, lineno, colno, error,
  });
  stateOf(event).isTrusted = true;
  reporting = true;
  try {
    return !dispatch(globalThis, globalState, event);
  } finally {
    reporting = false;
  }
}

/**
 * reportException, then the app's log when no listener handled it (HTML's "report the error").
 * The event loop (80_timers.js) owns the log line's form when it is loaded, so exceptions from
 * listeners, timers and reportError() read alike.
 */
function reportError(error) {
  if (internals.reportException !== undefined) {
    internals.reportException(error);
  } else if (!reportException(error)) {
    internals.console.error(error);
  }
}

internals.globalEvents = ObjectFreeze({
  reportException,
  reportError,
  /** https://html.spec.whatwg.org/#unhandled-promise-rejections; true when cancelled. */
  unhandledRejection(promise, reason) {
    const event = new PromiseRejectionEvent("unhandledrejection", { cancelable: true, promise, reason });
    stateOf(event).isTrusted = true;
    return !dispatch(globalThis, globalState, event);
  },
  rejectionHandled(promise, reason) {
    const event = new PromiseRejectionEvent("rejectionhandled", { promise, reason });
    stateOf(event).isTrusted = true;
    dispatch(globalThis, globalState, event);
  },
});

/** The reportError(e) global: https://html.spec.whatwg.org/#dom-reporterror */
function globalReportError(e) {
  webidl.requiredArguments(arguments.length, 1, "Failed to execute 'reportError' on 'WorkerGlobalScope'");
  reportError(e);
}

/**
 * For other families: `fire(target, event)` dispatches an event as the user agent does
 * (isTrusted true; https://dom.spec.whatwg.org/#concept-event-fire), and returns false when it
 * was cancelled; `setTrusted(event)` marks an event made with the constructors as trusted;
 * `defineEventHandler(prototype, type)` adds an `on<type>` attribute to an EventTarget interface.
 */
internals.events = ObjectFreeze({
  Event,
  EventTarget,
  CustomEvent,
  ErrorEvent,
  PromiseRejectionEvent,
  isEvent: (value) => webidl.isBranded(value, EventPrototype),
  isEventTarget: (value) => value === globalThis || webidl.isBranded(value, EventTargetPrototype),
  setTrusted(event) {
    stateOf(event).isTrusted = true;
    return event;
  },
  fire(target, event) {
    const eventState = stateOf(event);
    eventState.isTrusted = true;
    return dispatch(target, targetState(target), event);
  },
  defineEventHandler: (prototype, type) => defineEventHandler(prototype, type, (self) => {
    webidl.assertBranded(self, prototype);
    return stateOf(self);
  }),
});
internals.globalFunctions = { ...internals.globalFunctions, reportError: globalReportError };
