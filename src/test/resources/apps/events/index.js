// Cases for DOM events, the global scope's error events, AbortController/AbortSignal,
// DOMException, performance and navigator; each records what the app observes, or
// { error: name } when it throws.
function capture(fn) {
  try {
    return fn();
  } catch (e) {
    return { error: e?.name ?? String(e) };
  }
}

/** Listens at the global scope for the duration of fn only (the context serves other requests). */
function withGlobalListener(type, listener, fn) {
  addEventListener(type, listener);
  try {
    return fn();
  } finally {
    removeEventListener(type, listener);
  }
}

const cases = {
  eventDefaults: () => {
    const e = new Event("x");
    return [e.type, e.bubbles, e.cancelable, e.composed, e.eventPhase, e.defaultPrevented, e.returnValue,
      e.isTrusted, e.timeStamp > 0, e.target, e.srcElement, e.currentTarget, e.composedPath().length, e.cancelBubble];
  },
  eventInit: () => {
    const read = [];
    const e = new Event("y", {
      get cancelable() { read.push("cancelable"); return 1; },
      get bubbles() { read.push("bubbles"); return ""; },
      get other() { read.push("other"); return true; },
    });
    return [read, e.bubbles, e.cancelable];
  },
  eventNeedsType: () => capture(() => new Event()),
  eventWithoutNew: () => capture(() => Event("x")),
  isTrustedUnforgeable: () => {
    const a = Object.getOwnPropertyDescriptor(new Event("a"), "isTrusted");
    const b = Object.getOwnPropertyDescriptor(new Event("b"), "isTrusted");
    const e = new Event("c");
    const redefine = capture(() => Object.defineProperty(e, "isTrusted", { value: true }));
    return [typeof a.get, a.get === b.get, a.configurable, a.enumerable, redefine.error, e.isTrusted];
  },
  eventConstants: () => [Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE,
    new Event("x").AT_TARGET],
  brandChecks: () => [
    capture(() => Object.getOwnPropertyDescriptor(Event.prototype, "type").get.call({})).error,
    capture(() => EventTarget.prototype.dispatchEvent.call({}, new Event("x"))).error,
    capture(() => new EventTarget().dispatchEvent({ type: "x" })).error,
    Object.prototype.toString.call(new Event("x")),
    Object.prototype.toString.call(new EventTarget()),
  ],
  dispatchOrder: () => {
    const target = new EventTarget();
    const log = [];
    target.addEventListener("go", (e) => log.push(`bubble ${e.eventPhase}`));
    target.addEventListener("go", (e) => log.push(`capture ${e.eventPhase} ${e.composedPath()[0] === target}`), true);
    target.addEventListener("go", function (e) { log.push(`this ${this === target} ${e.currentTarget === target}`); });
    const event = new Event("go");
    target.dispatchEvent(event);
    log.push(`after ${event.eventPhase} ${event.currentTarget} ${event.target === target} ${event.composedPath().length}`);
    return log;
  },
  duplicatesAndOptions: () => {
    const target = new EventTarget();
    let count = 0;
    const listener = () => count++;
    target.addEventListener("x", listener);
    target.addEventListener("x", listener, { passive: true, once: true });
    target.addEventListener("x", listener, true);
    target.dispatchEvent(new Event("x"));
    target.removeEventListener("x", listener, { capture: true });
    target.dispatchEvent(new Event("x"));
    target.removeEventListener("x", listener);
    target.dispatchEvent(new Event("x"));
    return count;
  },
  onceListener: () => {
    const target = new EventTarget();
    let count = 0;
    target.addEventListener("x", () => {
      count++;
      target.dispatchEvent(new Event("x"));
    }, { once: true });
    target.dispatchEvent(new Event("x"));
    target.dispatchEvent(new Event("x"));
    return count;
  },
  stopImmediatePropagation: () => {
    const target = new EventTarget();
    const log = [];
    target.addEventListener("x", (e) => { log.push(1); e.stopImmediatePropagation(); });
    target.addEventListener("x", () => log.push(2));
    const event = new Event("x");
    target.dispatchEvent(event);
    // The flags are cleared when the dispatch ends, so the event can be dispatched again.
    log.push(event.cancelBubble);
    return log;
  },
  stopPropagationBeforeDispatch: () => {
    const target = new EventTarget();
    let called = false;
    target.addEventListener("x", () => { called = true; });
    const event = new Event("x");
    event.cancelBubble = true;
    const result = target.dispatchEvent(event);
    return [called, result, event.cancelBubble];
  },
  preventDefault: () => {
    const target = new EventTarget();
    target.addEventListener("c", (e) => e.preventDefault());
    const cancelable = new Event("c", { cancelable: true });
    const notCancelable = new Event("c");
    return [target.dispatchEvent(cancelable), cancelable.defaultPrevented, cancelable.returnValue,
      target.dispatchEvent(notCancelable), notCancelable.defaultPrevented];
  },
  passiveIgnoresPreventDefault: () => {
    const target = new EventTarget();
    let inside;
    target.addEventListener("p", (e) => { e.preventDefault(); e.returnValue = false; inside = e.defaultPrevented; },
      { passive: true });
    const event = new Event("p", { cancelable: true });
    return [target.dispatchEvent(event), inside, event.defaultPrevented];
  },
  returnValueLegacy: () => {
    const event = new Event("r", { cancelable: true });
    event.returnValue = true;
    const before = event.defaultPrevented;
    event.returnValue = false;
    return [before, event.defaultPrevented, event.returnValue];
  },
  handleEventObject: () => {
    const target = new EventTarget();
    const log = [];
    const listener = { handleEvent(e) { log.push(this === listener, e.type); } };
    target.addEventListener("h", listener);
    target.dispatchEvent(new Event("h"));
    return log;
  },
  listenersChangedDuringDispatch: () => {
    const target = new EventTarget();
    const log = [];
    const second = () => log.push("second");
    target.addEventListener("x", () => {
      log.push("first");
      target.removeEventListener("x", second);
      target.addEventListener("x", () => log.push("added"));
    });
    target.addEventListener("x", second);
    target.dispatchEvent(new Event("x"));
    return log;
  },
  redispatchWhileDispatching: () => {
    const target = new EventTarget();
    let inner;
    let typeAfterInit;
    target.addEventListener("x", (e) => {
      inner = capture(() => target.dispatchEvent(e));
      e.initEvent("changed");
      typeAfterInit = e.type;
    });
    target.dispatchEvent(new Event("x"));
    return [inner.error, typeAfterInit];
  },
  initEventResets: () => {
    const event = new Event("a", { cancelable: true });
    event.preventDefault();
    event.initEvent("b", true, false);
    return [event.type, event.bubbles, event.cancelable, event.defaultPrevented];
  },
  signalRemovesListener: () => {
    const target = new EventTarget();
    const controller = new AbortController();
    let count = 0;
    target.addEventListener("x", () => count++, { signal: controller.signal });
    target.dispatchEvent(new Event("x"));
    controller.abort();
    target.dispatchEvent(new Event("x"));
    target.addEventListener("x", () => count++, { signal: controller.signal });
    target.dispatchEvent(new Event("x"));
    return [count, capture(() => target.addEventListener("x", () => {}, { signal: null })).error];
  },
  listenerThrowsIsReported: () => {
    const target = new EventTarget();
    const seen = [];
    let after = false;
    target.addEventListener("x", () => { throw new RangeError("listener broke"); });
    target.addEventListener("x", () => { after = true; });
    const onError = (e) => {
      seen.push(e.constructor.name, e.type, e.message, e.error instanceof RangeError, e.isTrusted, e.cancelable,
        e.filename.endsWith("index.js"), e.lineno > 0, e.colno > 0);
      e.preventDefault();
    };
    const result = withGlobalListener("error", onError, () => target.dispatchEvent(new Event("x")));
    return [result, after, seen];
  },
  onerrorSpecialArguments: () => {
    const seen = [];
    onerror = function (message, filename, lineno, colno, error) {
      seen.push(this === globalThis, message, typeof filename, typeof lineno, error?.message, arguments.length);
      return true;
    };
    try {
      reportError(new TypeError("reported"));
    } finally {
      onerror = null;
    }
    return [seen, onerror];
  },
  eventHandlerAttributes: () => {
    const controller = new AbortController();
    const signal = controller.signal;
    const log = [];
    signal.onabort = () => log.push("handler, first set");
    signal.addEventListener("abort", () => log.push("listener"));
    // Re-setting keeps the handler's place before the listener.
    signal.onabort = (e) => log.push(`handler ${e.type} ${e.isTrusted}`);
    const objectHandler = { handleEvent() { log.push("never"); } };
    const asNull = [];
    const other = new AbortController().signal;
    other.onabort = 5;
    asNull.push(other.onabort);
    other.onabort = objectHandler;
    asNull.push(other.onabort === objectHandler);
    controller.abort();
    return [log, asNull, signal.onabort !== null];
  },
  handlerReturnFalseCancels: () => {
    const event = new Event("unhandledrejection", { cancelable: true });
    onunhandledrejection = () => false;
    try {
      return [dispatchEvent(event), event.defaultPrevented];
    } finally {
      onunhandledrejection = null;
    }
  },
  globalScope: () => {
    const log = [];
    const listener = (e) => log.push(e.type, e.detail, e.target === globalThis, e.currentTarget === self);
    addEventListener("custom", listener);
    self.dispatchEvent(new CustomEvent("custom", { detail: { n: 1 } }));
    removeEventListener("custom", listener);
    dispatchEvent(new CustomEvent("custom"));
    return [log.length, log[0], log[1].n, log[2], log[3], globalThis instanceof EventTarget,
      typeof globalThis.addEventListener, Object.getOwnPropertyDescriptor(globalThis, "onerror")?.enumerable,
      "onunhandledrejection" in globalThis, "onrejectionhandled" in globalThis];
  },
  eventSubclasses: () => {
    const custom = new CustomEvent("c", { detail: 42 });
    const error = new ErrorEvent("error", { message: "m", filename: "f.js", lineno: 3, colno: 4, error: "e" });
    const rejection = new PromiseRejectionEvent("unhandledrejection", { promise: Promise.resolve(), reason: 9 });
    return [custom.detail, new CustomEvent("d").detail, error.message, error.filename, error.lineno, error.colno,
      error.error, new ErrorEvent("x").error, rejection.reason, rejection.promise instanceof Promise,
      capture(() => new PromiseRejectionEvent("x", {})).error, custom instanceof Event,
      Object.prototype.toString.call(rejection)];
  },
  subclassedEventTarget: () => {
    class Emitter extends EventTarget {
      emit(type, detail) {
        return this.dispatchEvent(new CustomEvent(type, { detail }));
      }
    }
    const emitter = new Emitter();
    let got;
    emitter.addEventListener("data", (e) => { got = e.detail; });
    emitter.emit("data", "payload");
    return got;
  },
  reportErrorUnhandled: () => {
    reportError(new Error("reportError reached the log"));
    return true;
  },

  abortController: () => {
    const controller = new AbortController();
    const signal = controller.signal;
    const log = [signal.aborted, signal.reason, controller.signal === signal];
    let events = 0;
    signal.addEventListener("abort", (e) => {
      events++;
      log.push(e.isTrusted, e.bubbles, e.target === signal);
    });
    controller.abort();
    controller.abort("again");
    log.push(events, signal.aborted, signal.reason instanceof DOMException, signal.reason.name, signal.reason.code);
    return log;
  },
  abortReasons: () => {
    const custom = new AbortController();
    custom.abort("why");
    const nullReason = new AbortController();
    nullReason.abort(null);
    const error = new Error("x");
    return [custom.signal.reason, nullReason.signal.reason, AbortSignal.abort().reason.name,
      AbortSignal.abort(error).reason === error, AbortSignal.abort().aborted,
      capture(() => custom.signal.throwIfAborted()), capture(() => AbortSignal.abort().throwIfAborted()).error,
      new AbortController().signal.throwIfAborted()];
  },
  abortSignalIllegalConstructor: () => capture(() => new AbortSignal()).error,
  abortAny: () => {
    const a = new AbortController();
    const b = new AbortController();
    const any = AbortSignal.any([a.signal, b.signal]);
    let fired = 0;
    any.onabort = (e) => { fired++; };
    b.abort("b's reason");
    a.abort("a's reason");
    const pre = AbortSignal.any([new AbortController().signal, AbortSignal.abort("already")]);
    return [any.aborted, any.reason, fired, pre.aborted, pre.reason, AbortSignal.any([]).aborted,
      capture(() => AbortSignal.any([{}])).error];
  },
  abortAnyOrder: () => {
    const controller = new AbortController();
    const signals = [controller.signal];
    signals.push(AbortSignal.any([controller.signal]));
    signals.push(AbortSignal.any([controller.signal]));
    signals.push(AbortSignal.any([signals[0]]));
    signals.push(AbortSignal.any([signals[1]]));
    let order = "";
    let sawAborted;
    signals.forEach((signal, i) => signal.addEventListener("abort", () => {
      order += i;
      // When the first event fires, every dependent is already aborted.
      if (i === 0) sawAborted = signals.every((s) => s.aborted) && AbortSignal.any([signals[4]]).aborted;
    }));
    controller.abort();
    return [order, sawAborted];
  },
  abortListenerThrows: () => {
    const controller = new AbortController();
    const seen = [];
    controller.signal.addEventListener("abort", () => { throw new Error("abort listener"); });
    controller.signal.addEventListener("abort", () => seen.push("second ran"));
    const onError = (e) => { seen.push(e.error.message); e.preventDefault(); };
    withGlobalListener("error", onError, () => controller.abort());
    return seen;
  },

  domExceptionBasics: () => {
    const e = new DOMException("msg", "NotFoundError");
    return [e.name, e.message, e.code, e instanceof Error, Object.getPrototypeOf(DOMException.prototype) === Error.prototype,
      Object.getPrototypeOf(DOMException) === Function.prototype, String(e), Object.prototype.toString.call(e),
      e.hasOwnProperty("name"), e.hasOwnProperty("message"), typeof e.stack, e.stack.split("\n")[0],
      new DOMException().name, new DOMException().message, new DOMException(null).message,
      new DOMException("m", "Custom").code];
  },
  domExceptionCodes: () => ["IndexSizeError", "HierarchyRequestError", "WrongDocumentError", "InvalidCharacterError",
    "NoModificationAllowedError", "NotFoundError", "NotSupportedError", "InUseAttributeError", "InvalidStateError",
    "SyntaxError", "InvalidModificationError", "NamespaceError", "InvalidAccessError", "TypeMismatchError",
    "SecurityError", "NetworkError", "AbortError", "URLMismatchError", "QuotaExceededError", "TimeoutError",
    "InvalidNodeTypeError", "DataCloneError", "EncodingError", "NotReadableError", "OperationError",
    "NotAllowedError", "ValidationError"].map((name) => new DOMException("", name).code),
  domExceptionConstants: () => {
    const descriptor = Object.getOwnPropertyDescriptor(DOMException, "DATA_CLONE_ERR");
    return [DOMException.INDEX_SIZE_ERR, DOMException.DOMSTRING_SIZE_ERR, DOMException.INUSE_ATTRIBUTE_ERR,
      DOMException.VALIDATION_ERR, DOMException.prototype.TIMEOUT_ERR, DOMException.DATA_CLONE_ERR,
      descriptor.writable, descriptor.enumerable, descriptor.configurable];
  },
  domExceptionBrandChecks: () => {
    const getter = (name) => Object.getOwnPropertyDescriptor(DOMException.prototype, name).get;
    const e = new DOMException("m", "InvalidCharacterError");
    Object.defineProperty(e, "name", { value: "WrongDocumentError" });
    return [capture(() => getter("name").call({})).error, capture(() => getter("code").call({})).error,
      capture(() => DOMException.prototype.toString()).error, e.code,
      capture(() => DOMException("x")).error, new DOMException("m", { name: "AbortError", cause: 1 }).cause];
  },

  performance: () => {
    const a = performance.now();
    const b = performance.now();
    const json = performance.toJSON();
    return [typeof a, b >= a, Math.abs(a * 10 - Math.round(a * 10)) < 1e-6,
      Math.abs(performance.timeOrigin + a - Date.now()) < 1000, json.timeOrigin === performance.timeOrigin,
      performance instanceof Performance, performance instanceof EventTarget, capture(() => new Performance()).error,
      Object.prototype.toString.call(performance)];
  },
  userTiming: () => {
    performance.clearMarks();
    performance.clearMeasures();
    const start = performance.mark("start", { detail: { step: 1 } });
    const end = performance.mark("end", { startTime: start.startTime + 5 });
    const measure = performance.measure("span", "start", "end");
    const byOptions = performance.measure("opts", { start: 0.5, duration: 2.5, detail: [1] });
    const entries = performance.getEntries().map((e) => `${e.entryType}:${e.name}`);
    const result = [start.entryType, start.detail.step, start.duration, Math.round(measure.duration * 1000) / 1000,
      byOptions.startTime,
      byOptions.duration, byOptions.detail[0], entries, performance.getEntriesByName("end").length,
      performance.getEntriesByType("measure").length, capture(() => performance.measure("x", "no such mark")).error,
      capture(() => performance.measure("x", { start: 1, end: 2, duration: 1 })).error,
      new PerformanceMark("free").entryType, Object.keys(end.toJSON()).join()];
    performance.clearMarks("start");
    result.push(performance.getEntriesByType("mark").length);
    performance.clearMarks();
    performance.clearMeasures();
    result.push(performance.getEntries().length);
    return result;
  },
  eventTimeStamp: () => {
    const before = performance.now();
    const event = new Event("t");
    return [event.timeStamp >= before, event.timeStamp <= performance.now()];
  },
  navigator: () => [navigator.userAgent, typeof navigator.hardwareConcurrency, navigator instanceof Navigator,
    capture(() => new Navigator()).error, Object.prototype.toString.call(navigator)],
  globals: () => ["Event", "EventTarget", "CustomEvent", "ErrorEvent", "PromiseRejectionEvent", "AbortController",
    "AbortSignal", "Performance", "performance", "structuredClone", "reportError", "navigator", "DOMException"]
    .map((name) => {
      const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
      return `${name}:${typeof descriptor?.value}:${descriptor?.enumerable}`;
    }),
};

// Cases that wait: the abort timeout needs the event loop's timers.
const asyncCases = {
  abortTimeout: async () => {
    let signal;
    try {
      signal = AbortSignal.timeout(10);
    } catch (e) {
      return { error: e.name };
    }
    const early = signal.aborted;
    const reason = await new Promise((resolve) => signal.addEventListener("abort", () => resolve(signal.reason)));
    return [early, reason.name, reason instanceof DOMException, reason.code];
  },
  unhandledRejectionEvent: async () => {
    const seen = [];
    const listener = (e) => {
      seen.push(e.constructor.name, e.reason.message, e.promise instanceof Promise, e.cancelable, e.isTrusted);
      e.preventDefault();
    };
    addEventListener("unhandledrejection", listener);
    onunhandledrejection = (e) => { seen.push(`handler ${e.type}`); };
    try {
      Promise.reject(new Error("nobody handles this one"));
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      removeEventListener("unhandledrejection", listener);
      onunhandledrejection = null;
    }
    return seen;
  },
  abortAnyTimeout: async () => {
    let signal;
    try {
      signal = AbortSignal.any([new AbortController().signal, AbortSignal.timeout(5)]);
    } catch (e) {
      return { error: e.name };
    }
    await new Promise((resolve) => { signal.onabort = resolve; });
    return signal.reason.name;
  },
};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/report") return Response.json(cases.reportErrorUnhandled());
    if (url.pathname === "/async") {
      const results = {};
      for (const name of Object.keys(asyncCases)) results[name] = await asyncCases[name]();
      return Response.json(results);
    }
    const results = {};
    for (const name of Object.keys(cases)) {
      if (name === "reportErrorUnhandled") continue;
      try {
        results[name] = cases[name]();
      } catch (e) {
        results[name] = { uncaught: String(e), stack: e?.stack };
      }
    }
    return Response.json(results);
  },
};
