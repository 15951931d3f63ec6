// console (https://console.spec.whatwg.org/): each call becomes one log record of the host,
// tagged with the app and the request being handled.
const {
  ArrayBufferIsView,
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeJoin,
  ArrayPrototypeMap,
  ArrayPrototypePush,
  ArrayPrototypeUnshift,
  Error,
  ErrorPrototypeToString,
  JSONStringify,
  Map,
  MapPrototypeGet,
  MapPrototypeGetSize,
  MapPrototypeSet,
  MathMax,
  NumberParseFloat,
  NumberParseInt,
  NumberPrototypeToFixed,
  ObjectCreate,
  ObjectDefineProperty,
  ObjectGetPrototypeOf,
  ObjectKeys,
  ObjectPrototype,
  ObjectPrototypeToString,
  RegExpReplaceAll,
  SafeMap,
  Set,
  String,
  StringPrototypeIncludes,
  StringPrototypePadEnd,
  StringPrototypeRepeat,
  StringPrototypeSlice,
  StringPrototypeSplit,
  Symbol,
  SymbolPrototypeToString,
  SymbolToStringTag,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
} = internals.primordials;
const { webidl } = internals;

const MAX_DEPTH = 4;
const MAX_ITEMS = 100;

/** A readable one-line rendering of any value, in the spirit of Node's util.inspect. */
function inspect(value, depth = 0, seen = []) {
  switch (typeof value) {
    case "string":
      return depth === 0 ? value : JSONStringify(value);
    case "number":
    case "boolean":
    case "undefined":
      return String(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return SymbolPrototypeToString(value);
    case "function":
      return `[Function: ${value.name || "(anonymous)"}]`;
  }
  if (value === null) return "null";
  if (ArrayPrototypeIncludes(seen, value)) return "[Circular]";
  if (value instanceof Error) return value.stack ?? ErrorPrototypeToString(value);
  if (depth >= MAX_DEPTH) return ArrayIsArray(value) ? "[Array]" : "[Object]";
  const inner = [...seen, value];
  if (ArrayIsArray(value)) {
    const items = [];
    for (let i = 0; i < value.length && i < MAX_ITEMS; i++) ArrayPrototypePush(items, inspect(value[i], depth + 1, inner));
    if (value.length > MAX_ITEMS) ArrayPrototypePush(items, `... ${value.length - MAX_ITEMS} more items`);
    return `[ ${ArrayPrototypeJoin(items, ", ")} ]`;
  }
  if (ArrayBufferIsView(value)) {
    const name = TypedArrayPrototypeGetSymbolToStringTag(value);
    if (name === undefined) return `DataView { byteLength: ${value.byteLength}, byteOffset: ${value.byteOffset} }`;
    const length = TypedArrayPrototypeGetLength(value);
    const items = [];
    for (let i = 0; i < length && i < MAX_ITEMS; i++) ArrayPrototypePush(items, inspect(value[i], depth + 1, inner));
    if (length > MAX_ITEMS) ArrayPrototypePush(items, `... ${length - MAX_ITEMS} more items`);
    return `${name}(${length}) [ ${ArrayPrototypeJoin(items, ", ")} ]`;
  }
  if (value instanceof Map) {
    const items = [];
    for (const [k, v] of value) ArrayPrototypePush(items, `${inspect(k, depth + 1, inner)} => ${inspect(v, depth + 1, inner)}`);
    return `Map(${MapPrototypeGetSize(value)}) { ${ArrayPrototypeJoin(items, ", ")} }`;
  }
  if (value instanceof Set) {
    const items = [];
    for (const v of value) ArrayPrototypePush(items, inspect(v, depth + 1, inner));
    return `Set(${items.length}) { ${ArrayPrototypeJoin(items, ", ")} }`;
  }
  const tag = StringPrototypeSlice(ObjectPrototypeToString(value), 8, -1);
  const prototype = ObjectGetPrototypeOf(value);
  const name = prototype === null ? "[Object: null prototype]" : prototype.constructor?.name ?? tag;
  const keys = ObjectKeys(value);
  if (keys.length === 0 && name !== "Object") return `${name} {}`;
  const items = [];
  for (let i = 0; i < keys.length && i < MAX_ITEMS; i++) {
    ArrayPrototypePush(items, `${keys[i]}: ${inspect(value[keys[i]], depth + 1, inner)}`);
  }
  if (keys.length > MAX_ITEMS) ArrayPrototypePush(items, `... ${keys.length - MAX_ITEMS} more properties`);
  const body = items.length === 0 ? "{}" : `{ ${ArrayPrototypeJoin(items, ", ")} }`;
  return name === "Object" ? body : `${name} ${body}`;
}

/** `%j`: JSON, or `[Circular]` for a value JSON cannot hold (as Node prints it). */
function json(value) {
  try {
    return String(JSONStringify(value));
  } catch {
    return "[Circular]";
  }
}

// https://console.spec.whatwg.org/#formatter, scanning once from left to right (a substituted
// text is not scanned again, as in browsers and Node). %s renders objects as %o does, not as
// String(object) ("[object Object]"): browsers and Node do so too. %j (Node's JSON) and %% are
// extensions.
const SPECIFIER = /%[sdifoOjc%]/g;

function substitute(args) {
  let next = 1;
  const text = RegExpReplaceAll(args[0], SPECIFIER, (match) => {
    const specifier = match[0];
    if (specifier === "%%") return "%";
    if (next >= args.length) return specifier;
    const current = args[next++];
    switch (specifier) {
      case "%s":
        return typeof current === "object" && current !== null || typeof current === "function"
          ? inspect(current, 1) : typeof current === "symbol" ? SymbolPrototypeToString(current) : String(current);
      case "%d":
      case "%i":
        return typeof current === "symbol" ? "NaN" : String(NumberParseInt(current, 10));
      case "%f":
        return typeof current === "symbol" ? "NaN" : String(NumberParseFloat(current));
      case "%j":
        return json(current);
      case "%c":
        // CSS has no place in a log record.
        return "";
      default:
        return inspect(current, 1);
    }
  });
  return { text, next };
}

/** https://console.spec.whatwg.org/#logger: the formatted first argument, then the rest. */
function format(args) {
  if (args.length === 0) return "";
  let parts;
  let rest;
  if (typeof args[0] === "string" && args.length > 1) {
    const { text, next } = substitute(args);
    parts = [text];
    rest = next;
  } else {
    parts = [inspect(args[0])];
    rest = 1;
  }
  for (let i = rest; i < args.length; i++) ArrayPrototypePush(parts, inspect(args[i]));
  return ArrayPrototypeJoin(parts, " ");
}

/** https://console.spec.whatwg.org/#grouping: each open group indents the lines by two spaces. */
let groupDepth = 0;

function print(level, message) {
  if (groupDepth > 0) {
    const indent = StringPrototypeRepeat("  ", groupDepth);
    message = indent + ArrayPrototypeJoin(StringPrototypeSplit(message, "\n"), `\n${indent}`);
  }
  binding.console.log(level, message);
}

function logger(level, args) {
  if (args.length === 0) return;
  print(level, format(args));
}

const now = () => binding.performance.now();
const label = (value) => webidl.converters.DOMString(value, "Failed to execute on 'console'", "label");
const counts = new SafeMap();
const timers = new SafeMap();

function elapsed(start) {
  return `${NumberPrototypeToFixed(now() - start, 3)}ms`;
}

/** console.table's text form: a box with an (index) column, then the columns the rows have. */
function table(data, properties) {
  const rowKeys = ObjectKeys(data);
  const columns = [];
  let hasValues = false;
  const rows = [];
  for (let r = 0; r < rowKeys.length; r++) {
    const row = data[rowKeys[r]];
    const cells = new Map();
    if (typeof row === "object" && row !== null || typeof row === "function") {
      const names = properties ?? ObjectKeys(row);
      for (let c = 0; c < names.length; c++) {
        const column = names[c];
        if (!ArrayPrototypeIncludes(columns, column)) ArrayPrototypePush(columns, column);
        if (column in row) MapPrototypeSet(cells, column, inspect(row[column], 1));
      }
    } else {
      hasValues = true;
      MapPrototypeSet(cells, VALUES, inspect(row, 1));
    }
    ArrayPrototypePush(rows, [rowKeys[r], cells]);
  }
  const header = ["(index)", ...columns];
  const keys = [INDEX, ...columns];
  if (hasValues) {
    ArrayPrototypePush(header, "Values");
    ArrayPrototypePush(keys, VALUES);
  }
  const lines = ArrayPrototypeMap(rows, ([key, cells]) =>
    ArrayPrototypeMap(keys, (k) => (k === INDEX ? key : MapPrototypeGet(cells, k) ?? "")));
  const widths = ArrayPrototypeMap(header, (title, i) => {
    let width = title.length;
    for (let l = 0; l < lines.length; l++) width = MathMax(width, lines[l][i].length);
    return width + 2;
  });
  const rule = (left, middle, right) =>
    left + ArrayPrototypeJoin(ArrayPrototypeMap(widths, (w) => StringPrototypeRepeat("─", w)), middle) + right;
  const cell = (text, i) => ` ${StringPrototypePadEnd(text, widths[i] - 1)}`;
  const line = (cells) => `│${ArrayPrototypeJoin(ArrayPrototypeMap(cells, cell), "│")}│`;
  return ArrayPrototypeJoin([rule("┌", "┬", "┐"), line(header), rule("├", "┼", "┤"),
    ...ArrayPrototypeMap(lines, line), rule("└", "┴", "┘")], "\n");
}
// Keys of the (index) and Values columns that no property name can equal.
const INDEX = Symbol("index");
const VALUES = Symbol("values");

/** The stack of the caller of a console method, without the runtime's own frames. */
function callerStack() {
  const lines = StringPrototypeSplit(new Error().stack ?? "", "\n");
  const kept = [];
  for (let i = 1; i < lines.length; i++) {
    if (!StringPrototypeIncludes(lines[i], "nano:")) ArrayPrototypePush(kept, lines[i]);
  }
  return ArrayPrototypeJoin(kept, "\n");
}

// https://console.spec.whatwg.org/#console-namespace: a namespace object, whose [[Prototype]]
// is an empty object inheriting from Object.prototype, with the class string "console".
const console = ObjectCreate(ObjectCreate(ObjectPrototype));
const methods = {
  // https://console.spec.whatwg.org/#assert
  assert: (condition = false, ...data) => {
    if (condition) return;
    const message = "Assertion failed";
    if (data.length === 0) ArrayPrototypePush(data, message);
    else if (typeof data[0] !== "string") ArrayPrototypeUnshift(data, message);
    else data[0] = `${message}: ${data[0]}`;
    logger("error", data);
  },
  clear: () => {},
  debug: (...data) => logger("debug", data),
  error: (...data) => logger("error", data),
  info: (...data) => logger("info", data),
  log: (...data) => logger("info", data),
  table: (tabularData = undefined, properties = undefined) => {
    if (typeof tabularData !== "object" || tabularData === null) {
      logger("info", [tabularData]);
      return;
    }
    const columns = properties === undefined ? undefined : webidl.createSequenceConverter(webidl.converters.DOMString)(
      properties, "Failed to execute 'table' on 'console'", "Argument 2");
    print("info", table(tabularData, columns));
  },
  trace: (...data) => {
    const header = data.length === 0 ? "Trace" : `Trace: ${format(data)}`;
    print("info", `${header}\n${callerStack()}`);
  },
  warn: (...data) => logger("warn", data),
  dir: (item = undefined, options = undefined) => print("info", inspect(item, 1)),
  dirxml: (...data) => logger("info", data),
  // https://console.spec.whatwg.org/#counting
  count: (countLabel = "default") => {
    countLabel = label(countLabel);
    const count = (counts.get(countLabel) ?? 0) + 1;
    counts.set(countLabel, count);
    print("info", `${countLabel}: ${count}`);
  },
  countReset: (countLabel = "default") => {
    countLabel = label(countLabel);
    if (counts.has(countLabel)) counts.set(countLabel, 0);
    else print("warn", `Count for '${countLabel}' does not exist`);
  },
  // https://console.spec.whatwg.org/#grouping
  group: (...data) => {
    if (data.length > 0) logger("info", data);
    groupDepth++;
  },
  groupCollapsed: (...data) => {
    if (data.length > 0) logger("info", data);
    groupDepth++;
  },
  groupEnd: () => {
    if (groupDepth > 0) groupDepth--;
  },
  // https://console.spec.whatwg.org/#timing
  time: (timerLabel = "default") => {
    timerLabel = label(timerLabel);
    if (timers.has(timerLabel)) print("warn", `Timer '${timerLabel}' already exists`);
    else timers.set(timerLabel, now());
  },
  timeLog: (timerLabel = "default", ...data) => {
    timerLabel = label(timerLabel);
    if (!timers.has(timerLabel)) {
      print("warn", `Timer '${timerLabel}' does not exist`);
      return;
    }
    const line = `${timerLabel}: ${elapsed(timers.get(timerLabel))}`;
    print("info", data.length === 0 ? line : `${line} ${format(data)}`);
  },
  timeEnd: (timerLabel = "default") => {
    timerLabel = label(timerLabel);
    if (!timers.has(timerLabel)) {
      print("warn", `Timer '${timerLabel}' does not exist`);
      return;
    }
    print("info", `${timerLabel}: ${elapsed(timers.get(timerLabel))}`);
    timers.delete(timerLabel);
  },
};
for (const name of ObjectKeys(methods)) {
  ObjectDefineProperty(console, name, { value: methods[name], writable: true, enumerable: true, configurable: true });
}
ObjectDefineProperty(console, SymbolToStringTag,
  { value: "console", writable: false, enumerable: false, configurable: true });

internals.console = console;
internals.inspect = inspect;
