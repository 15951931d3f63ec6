// performance (https://w3c.github.io/hr-time/#the-performance-interface) with User Timing's
// marks and measures (https://w3c.github.io/user-timing/) and Performance Timeline's getters
// (https://w3c.github.io/performance-timeline/#extensions-to-the-performance-interface).
const {
  ArrayPrototypeFilter,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSort,
  ArrayPrototypeSplice,
  NumberIsFinite,
  ObjectFreeze,
  TypeError,
} = internals.primordials;
const { webidl, DOMException } = internals;
const { stateOf, setState } = webidl;
const { EventTarget } = internals.events;

const now = () => binding.performance.now();
const timeOrigin = binding.performance.timeOrigin();

/**
 * The performance entry buffer of this Context. It outlives requests (one Context serves many),
 * so it keeps the latest MAX_ENTRIES marks and measures: a tenant marking on every request must
 * not grow the heap without bound. User Timing sets no limit; this is a deliberate departure.
 */
const MAX_ENTRIES = 10000;
const entries = [];

function queueEntry(entry) {
  ArrayPrototypePush(entries, entry);
  if (entries.length > MAX_ENTRIES) ArrayPrototypeSplice(entries, 0, entries.length - MAX_ENTRIES);
}

/** Entries in chronological order of startTime, as the timeline's getters return them. */
function sorted(list) {
  return ArrayPrototypeSort(ArrayPrototypeSlice(list), (a, b) => stateOf(a).startTime - stateOf(b).startTime);
}

let constructing = false;

class PerformanceEntry {
  constructor() {
    if (!constructing) webidl.illegalConstructor();
  }

  get name() {
    webidl.assertBranded(this, PerformanceEntryPrototype);
    return stateOf(this).name;
  }

  get entryType() {
    webidl.assertBranded(this, PerformanceEntryPrototype);
    return stateOf(this).entryType;
  }

  get startTime() {
    webidl.assertBranded(this, PerformanceEntryPrototype);
    return stateOf(this).startTime;
  }

  get duration() {
    webidl.assertBranded(this, PerformanceEntryPrototype);
    return stateOf(this).duration;
  }

  toJSON() {
    webidl.assertBranded(this, PerformanceEntryPrototype);
    const { name, entryType, startTime, duration } = stateOf(this);
    return { name, entryType, startTime, duration };
  }
}
const PerformanceEntryPrototype = PerformanceEntry.prototype;
webidl.configureInterface(PerformanceEntry);

const DOMHighResTimeStamp = (V, prefix, context) => {
  const x = +V;
  if (!NumberIsFinite(x)) throw webidl.makeException(TypeError, "is not a finite number.", prefix, context);
  return x;
};

const PerformanceMarkOptions = webidl.createDictionaryConverter("PerformanceMarkOptions", [
  { key: "detail", converter: webidl.converters.any },
  { key: "startTime", converter: DOMHighResTimeStamp },
]);

class PerformanceMark extends PerformanceEntry {
  // https://w3c.github.io/user-timing/#the-performancemark-constructor
  constructor(markName, markOptions = undefined) {
    const prefix = "Failed to construct 'PerformanceMark'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    markName = webidl.converters.DOMString(markName, prefix, "Argument 1");
    const options = PerformanceMarkOptions(markOptions, prefix, "Argument 2");
    if (options.startTime !== undefined && options.startTime < 0) {
      throw new TypeError(`${prefix}: '${markName}' cannot have a negative start time.`);
    }
    const startTime = options.startTime ?? now();
    const detail = options.detail === undefined || options.detail === null
      ? null : internals.structuredClone.clone(options.detail);
    constructing = true;
    try {
      super();
    } finally {
      constructing = false;
    }
    setState(this, { name: markName, entryType: "mark", startTime, duration: 0, detail });
  }

  get detail() {
    webidl.assertBranded(this, PerformanceMarkPrototype);
    return stateOf(this).detail;
  }
}
const PerformanceMarkPrototype = PerformanceMark.prototype;
webidl.configureInterface(PerformanceMark);

class PerformanceMeasure extends PerformanceEntry {
  constructor() {
    super();
  }

  get detail() {
    webidl.assertBranded(this, PerformanceMeasurePrototype);
    return stateOf(this).detail;
  }
}
const PerformanceMeasurePrototype = PerformanceMeasure.prototype;
webidl.configureInterface(PerformanceMeasure);

// The PerformanceTiming attributes: names a mark may not be looked up by outside a Window.
const TIMING_ATTRIBUTES = new Set(["navigationStart", "unloadEventStart", "unloadEventEnd", "redirectStart",
  "redirectEnd", "fetchStart", "domainLookupStart", "domainLookupEnd", "connectStart", "connectEnd",
  "secureConnectionStart", "requestStart", "responseStart", "responseEnd", "domLoading", "domInteractive",
  "domContentLoadedEventStart", "domContentLoadedEventEnd", "domComplete", "loadEventStart", "loadEventEnd"]);

/** https://w3c.github.io/user-timing/#convert-a-mark-to-a-timestamp */
function markToTimestamp(mark, prefix) {
  if (typeof mark === "string") {
    if (TIMING_ATTRIBUTES.has(mark)) {
      throw new TypeError(`${prefix}: '${mark}' is a PerformanceTiming attribute, which workers do not have.`);
    }
    for (let i = entries.length - 1; i >= 0; i--) {
      const state = stateOf(entries[i]);
      if (state.entryType === "mark" && state.name === mark) return state.startTime;
    }
    throw new DOMException(`${prefix}: The mark '${mark}' does not exist.`, "SyntaxError");
  }
  if (mark < 0) throw new TypeError(`${prefix}: '${mark}' is a negative timestamp.`);
  return mark;
}

/** StringOrDouble of PerformanceMeasureOptions: a number stays one, anything else is a DOMString. */
const markOrTimestamp = (V, prefix, context) =>
  typeof V === "number" ? DOMHighResTimeStamp(V, prefix, context) : webidl.converters.DOMString(V, prefix, context);

const PerformanceMeasureOptions = webidl.createDictionaryConverter("PerformanceMeasureOptions", [
  { key: "detail", converter: webidl.converters.any },
  { key: "start", converter: markOrTimestamp },
  { key: "duration", converter: DOMHighResTimeStamp },
  { key: "end", converter: markOrTimestamp },
]);

class Performance extends EventTarget {
  constructor() {
    if (!constructing) webidl.illegalConstructor();
    super();
  }

  now() {
    webidl.assertBranded(this, PerformancePrototype);
    return now();
  }

  get timeOrigin() {
    webidl.assertBranded(this, PerformancePrototype);
    return timeOrigin;
  }

  toJSON() {
    webidl.assertBranded(this, PerformancePrototype);
    return { timeOrigin };
  }

  // https://w3c.github.io/user-timing/#mark-method
  mark(markName, markOptions = undefined) {
    webidl.assertBranded(this, PerformancePrototype);
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'mark' on 'Performance'");
    const entry = new PerformanceMark(markName, markOptions);
    queueEntry(entry);
    return entry;
  }

  clearMarks(markName = undefined) {
    webidl.assertBranded(this, PerformancePrototype);
    clearEntries("mark", markName === undefined ? undefined : webidl.converters.DOMString(markName));
  }

  // https://w3c.github.io/user-timing/#measure-method
  measure(measureName, startOrMeasureOptions = undefined, endMark = undefined) {
    webidl.assertBranded(this, PerformancePrototype);
    const prefix = "Failed to execute 'measure' on 'Performance'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    measureName = webidl.converters.DOMString(measureName, prefix, "Argument 1");
    let options = null;
    let startMark;
    if (typeof startOrMeasureOptions === "object" && startOrMeasureOptions !== null) {
      options = PerformanceMeasureOptions(startOrMeasureOptions, prefix, "Argument 2");
      if (options.start === undefined && options.end === undefined && options.duration === undefined &&
          options.detail === undefined) {
        options = null;
      }
    } else if (startOrMeasureOptions !== undefined) {
      startMark = webidl.converters.DOMString(startOrMeasureOptions, prefix, "Argument 2");
    }
    if (endMark !== undefined) endMark = webidl.converters.DOMString(endMark, prefix, "Argument 3");
    if (options !== null) {
      if (endMark !== undefined) throw new TypeError(`${prefix}: an end mark cannot come with measure options.`);
      if (options.start === undefined && options.end === undefined) {
        throw new TypeError(`${prefix}: measure options need a start or an end.`);
      }
      if (options.start !== undefined && options.duration !== undefined && options.end !== undefined) {
        throw new TypeError(`${prefix}: measure options cannot have start, duration and end together.`);
      }
    }
    let end;
    if (endMark !== undefined) {
      end = markToTimestamp(endMark, prefix);
    } else if (options !== null && options.end !== undefined) {
      end = markToTimestamp(options.end, prefix);
    } else if (options !== null && options.start !== undefined && options.duration !== undefined) {
      end = markToTimestamp(options.start, prefix) + markToTimestamp(options.duration, prefix);
    } else {
      end = now();
    }
    let start;
    if (options !== null && options.start !== undefined) {
      start = markToTimestamp(options.start, prefix);
    } else if (options !== null && options.duration !== undefined && options.end !== undefined) {
      start = end - markToTimestamp(options.duration, prefix);
    } else if (startMark !== undefined) {
      start = markToTimestamp(startMark, prefix);
    } else {
      start = 0;
    }
    const detail = options === null || options.detail === undefined || options.detail === null
      ? null : internals.structuredClone.clone(options.detail);
    constructing = true;
    let entry;
    try {
      entry = new PerformanceMeasure();
    } finally {
      constructing = false;
    }
    setState(entry, { name: measureName, entryType: "measure", startTime: start, duration: end - start, detail });
    queueEntry(entry);
    return entry;
  }

  clearMeasures(measureName = undefined) {
    webidl.assertBranded(this, PerformancePrototype);
    clearEntries("measure", measureName === undefined ? undefined : webidl.converters.DOMString(measureName));
  }

  getEntries() {
    webidl.assertBranded(this, PerformancePrototype);
    return sorted(entries);
  }

  getEntriesByType(type) {
    webidl.assertBranded(this, PerformancePrototype);
    const prefix = "Failed to execute 'getEntriesByType' on 'Performance'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    type = webidl.converters.DOMString(type, prefix, "Argument 1");
    return sorted(ArrayPrototypeFilter(entries, (entry) => stateOf(entry).entryType === type));
  }

  getEntriesByName(name, type = undefined) {
    webidl.assertBranded(this, PerformancePrototype);
    const prefix = "Failed to execute 'getEntriesByName' on 'Performance'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = webidl.converters.DOMString(name, prefix, "Argument 1");
    if (type !== undefined) type = webidl.converters.DOMString(type, prefix, "Argument 2");
    return sorted(ArrayPrototypeFilter(entries, (entry) =>
      stateOf(entry).name === name && (type === undefined || stateOf(entry).entryType === type)));
  }
}
const PerformancePrototype = Performance.prototype;
webidl.configureInterface(Performance);

function clearEntries(entryType, name) {
  for (let i = entries.length - 1; i >= 0; i--) {
    const state = stateOf(entries[i]);
    if (state.entryType === entryType && (name === undefined || state.name === name)) {
      ArrayPrototypeSplice(entries, i, 1);
    }
  }
}

constructing = true;
const performance = new Performance();
constructing = false;

internals.performance = ObjectFreeze({
  Performance,
  PerformanceEntry,
  PerformanceMark,
  PerformanceMeasure,
  performance,
  now,
  timeOrigin,
});
