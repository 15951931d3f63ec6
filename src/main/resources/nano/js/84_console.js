// console (https://console.spec.whatwg.org/): each call becomes one log record of the host,
// tagged with the app and the request being handled.
const {
  ArrayIsArray,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  Error,
  ErrorPrototypeToString,
  JSONStringify,
  MapPrototypeGetSize,
  Map,
  NumberParseFloat,
  NumberParseInt,
  ObjectGetPrototypeOf,
  ObjectKeys,
  ObjectPrototypeToString,
  Set,
  String,
  StringPrototypeReplace,
  SymbolPrototypeToString,
} = internals.primordials;

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
  if (seen.includes(value)) return "[Circular]";
  if (value instanceof Error) return value.stack ?? ErrorPrototypeToString(value);
  if (depth >= MAX_DEPTH) return ArrayIsArray(value) ? "[Array]" : "[Object]";
  const inner = [...seen, value];
  if (ArrayIsArray(value)) {
    const items = [];
    for (let i = 0; i < value.length && i < MAX_ITEMS; i++) ArrayPrototypePush(items, inspect(value[i], depth + 1, inner));
    if (value.length > MAX_ITEMS) ArrayPrototypePush(items, `... ${value.length - MAX_ITEMS} more items`);
    return `[ ${ArrayPrototypeJoin(items, ", ")} ]`;
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
  const tag = ObjectPrototypeToString(value).slice(8, -1);
  const prototype = ObjectGetPrototypeOf(value);
  const name = prototype === null ? "[Object: null prototype]" : prototype.constructor?.name ?? tag;
  const keys = ObjectKeys(value);
  if (keys.length === 0 && name !== "Object") return `${name} {}`;
  const items = [];
  for (const key of keys) ArrayPrototypePush(items, `${key}: ${inspect(value[key], depth + 1, inner)}`);
  const body = items.length === 0 ? "{}" : `{ ${ArrayPrototypeJoin(items, ", ")} }`;
  return name === "Object" ? body : `${name} ${body}`;
}

/** https://console.spec.whatwg.org/#formatter: %s %d %i %f %o %O %j %c in a leading string. */
function format(args) {
  if (args.length === 0) return "";
  let rest = 1;
  let first = typeof args[0] === "string"
    ? StringPrototypeReplace(args[0], /%[sdifoOjc%]/g, (spec) => {
      if (spec === "%%") return "%";
      if (rest >= args.length) return spec;
      const arg = args[rest++];
      switch (spec) {
        case "%s": return typeof arg === "string" ? arg : inspect(arg, 1);
        case "%d":
        case "%i": return typeof arg === "symbol" ? "NaN" : String(NumberParseInt(arg));
        case "%f": return typeof arg === "symbol" ? "NaN" : String(NumberParseFloat(arg));
        case "%c": return "";
        default: return inspect(arg, 1);
      }
    })
    : inspect(args[0]);
  const parts = [first];
  for (let i = rest; i < args.length; i++) ArrayPrototypePush(parts, inspect(args[i]));
  return ArrayPrototypeJoin(parts, " ");
}

const write = (level, args) => binding.console.log(level, format(args));
const counts = new Map();
const timers = new Map();

const console = {
  log: (...args) => write("info", args),
  info: (...args) => write("info", args),
  debug: (...args) => write("debug", args),
  warn: (...args) => write("warn", args),
  error: (...args) => write("error", args),
  trace: (...args) => write("debug", [`Trace: ${format(args)}\n${new Error().stack.split("\n").slice(2).join("\n")}`]),
  dir: (value) => write("info", [inspect(value, 1)]),
  assert: (condition, ...args) => {
    if (!condition) write("error", args.length === 0 ? ["Assertion failed"] : [`Assertion failed: ${format(args)}`]);
  },
  count: (label = "default") => {
    const count = (counts.get(label) ?? 0) + 1;
    counts.set(label, count);
    write("info", [`${label}: ${count}`]);
  },
  countReset: (label = "default") => counts.delete(label),
  time: (label = "default") => timers.set(label, Date.now()),
  timeEnd: (label = "default") => {
    if (timers.has(label)) write("info", [`${label}: ${Date.now() - timers.get(label)}ms`]);
    timers.delete(label);
  },
  timeLog: (label = "default", ...args) => {
    if (timers.has(label)) write("info", [`${label}: ${Date.now() - timers.get(label)}ms`, ...args]);
  },
  table: (data) => write("info", [inspect(data, 1)]),
  group: (...args) => args.length > 0 && write("info", args),
  groupEnd: () => {},
};

internals.console = console;
internals.inspect = inspect;
