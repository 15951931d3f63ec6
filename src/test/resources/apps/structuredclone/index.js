// Cases for structuredClone (https://html.spec.whatwg.org/#dom-structuredclone); each records
// what the app observes, or { error: name, code } when it throws.
function capture(fn) {
  try {
    return fn();
  } catch (e) {
    return { error: e?.name ?? String(e), code: e?.code, isDOMException: e instanceof DOMException };
  }
}

const cases = {
  primitives: () => [structuredClone(1), structuredClone(-0) === 0 && 1 / structuredClone(-0), structuredClone("s"),
    structuredClone(true), structuredClone(null), structuredClone(undefined) === undefined, String(structuredClone(12n)),
    Number.isNaN(structuredClone(NaN))],
  wrappers: () => {
    const values = [new Boolean(false), new Number(7), new String("str"), Object(5n)];
    return structuredClone(values).map((v) => [typeof v, Object.prototype.toString.call(v), String(v.valueOf())]);
  },
  dateAndRegExp: () => {
    const date = new Date(Date.UTC(2020, 1, 29, 12));
    const regexp = /a+b/gimsuy;
    regexp.lastIndex = 3;
    const [d, r] = structuredClone([date, regexp]);
    return [d instanceof Date, d.toISOString(), d !== date, r instanceof RegExp, r.source, r.flags, r.lastIndex,
      structuredClone(/x/dv).flags];
  },
  mapsAndSets: () => {
    const key = { k: 1 };
    const map = new Map([[key, "object key"], ["s", new Set([1, key])]]);
    const clone = structuredClone(map);
    const [clonedKey] = clone.keys();
    return [clone instanceof Map, clone.size, clonedKey.k, clonedKey !== key, clone.get(clonedKey),
      clone.get("s").has(clonedKey), clone.get("s").size];
  },
  plainObjectsAndArrays: () => {
    const array = [1, , 3];
    array.extra = "kept";
    const source = { a: 1, nested: { b: [array] }, [Symbol("s")]: "dropped" };
    Object.defineProperty(source, "hidden", { value: 1, enumerable: false });
    Object.defineProperty(source, "getter", { get: () => "read", enumerable: true });
    const clone = structuredClone(source);
    const clonedArray = clone.nested.b[0];
    return [Object.keys(clone), clonedArray.length, 1 in clonedArray, clonedArray.extra,
      Object.getOwnPropertySymbols(clone).length, Object.getOwnPropertyDescriptor(clone, "getter").value,
      Object.getPrototypeOf(clone) === Object.prototype];
  },
  classInstanceLosesPrototype: () => {
    class Point {
      constructor() {
        this.x = 1;
      }

      norm() {
        return this.x;
      }
    }
    const clone = structuredClone(new Point());
    return [clone instanceof Point, Object.getPrototypeOf(clone) === Object.prototype, clone.x];
  },
  protoKeyIsData: () => {
    const source = JSON.parse('{"__proto__": {"polluted": true}}');
    const clone = structuredClone(source);
    return [Object.getPrototypeOf(clone) === Object.prototype, Object.hasOwn(clone, "__proto__"), ({}).polluted];
  },
  cyclesAndSharing: () => {
    const shared = { s: 1 };
    const root = { left: shared, right: shared, list: [] };
    root.self = root;
    root.list.push(root.list, root);
    const clone = structuredClone(root);
    return [clone.self === clone, clone.left === clone.right, clone.left !== shared, clone.list[0] === clone.list,
      clone.list[1] === clone];
  },
  buffersAndViews: () => {
    const buffer = new ArrayBuffer(16);
    const bytes = new Uint8Array(buffer, 4, 8);
    const view = new DataView(buffer, 2, 4);
    const floats = new Float64Array([1.5, -2]);
    bytes[0] = 200;
    const [b, v, f, big] = structuredClone([bytes, view, floats, new BigInt64Array([5n])]);
    return [b.constructor.name, b.byteOffset, b.length, b[0], b.buffer === v.buffer, b.buffer.byteLength,
      v.constructor.name, v.byteOffset, v.byteLength, f[1], String(big[0]), b.buffer !== buffer,
      buffer.byteLength];
  },
  allTypedArrays: () => ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
    "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]
    .map((name) => structuredClone(new globalThis[name](3)).constructor.name === name),
  resizableBuffer: () => {
    const buffer = new ArrayBuffer(4, { maxByteLength: 12 });
    const clone = structuredClone(buffer);
    return [clone.resizable, clone.maxByteLength, clone.byteLength];
  },
  errors: () => {
    const cause = new Error("inner");
    const error = new RangeError("outer", { cause });
    const clone = structuredClone(error);
    const custom = new (class MyError extends TypeError {})("mine");
    custom.name = "MyError";
    const customClone = structuredClone(custom);
    const typeClone = structuredClone(new TypeError("t"));
    return [clone instanceof RangeError, clone.name, clone.message, clone.cause instanceof Error, clone.cause.message,
      typeof clone.stack, Object.getOwnPropertyDescriptor(clone, "message").enumerable,
      customClone.constructor === Error, customClone.name, customClone.message, typeClone instanceof TypeError,
      Object.hasOwn(structuredClone(new Error()), "message")];
  },
  domException: () => {
    const clone = structuredClone(new DOMException("gone", "NotFoundError"));
    return [clone instanceof DOMException, clone.name, clone.message, clone.code, typeof clone.stack];
  },
  uncloneable: () => [
    capture(() => structuredClone(() => {})),
    capture(() => structuredClone(Symbol("s"))),
    capture(() => structuredClone({ f: function named() {} })),
    capture(() => structuredClone(new WeakMap())),
    capture(() => structuredClone(new WeakSet())),
    capture(() => structuredClone(Promise.resolve())),
    capture(() => structuredClone(Object(Symbol("boxed")))),
    capture(() => structuredClone(new Headers())),
    capture(() => structuredClone(new AbortController().signal)),
    capture(() => structuredClone(new Event("x"))),
  ].map((r) => `${r.error}:${r.code}:${r.isDOMException}`),
  getterThrowsPropagates: () => capture(() => structuredClone({ get boom() { throw new URIError("from getter"); } })),
  transfer: () => {
    const buffer = new ArrayBuffer(8);
    const bytes = new Uint8Array(buffer);
    bytes[1] = 42;
    const clone = structuredClone({ bytes }, { transfer: [buffer] });
    return [buffer.byteLength, buffer.detached, bytes.length, clone.bytes[1], clone.bytes.buffer.byteLength];
  },
  transferErrors: () => {
    const buffer = new ArrayBuffer(1);
    const detached = new ArrayBuffer(1);
    const viewOfDetached = new Uint8Array(detached);
    structuredClone(undefined, { transfer: [detached] });
    return [
      capture(() => structuredClone(1, { transfer: [buffer, buffer] })),
      capture(() => structuredClone(1, { transfer: [{}] })),
      capture(() => structuredClone(1, { transfer: [detached] })),
      capture(() => structuredClone(viewOfDetached)),
      capture(() => structuredClone(1, { transfer: 5 })),
      buffer.byteLength,
    ].map((r) => (typeof r === "object" ? `${r.error}:${r.code}` : r));
  },
  missingArgument: () => capture(() => structuredClone()).error,
  globalShape: () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, "structuredClone");
    return [descriptor.writable, descriptor.enumerable, descriptor.configurable, structuredClone.length];
  },
};

export default {
  // ?cases=a,b runs only those: each test asks for its own, so no request runs all of them cold.
  fetch(request) {
    const wanted = new URL(request.url).searchParams.get("cases");
    const results = {};
    for (const name of wanted === null ? Object.keys(cases) : wanted.split(",")) {
      try {
        results[name] = cases[name]();
      } catch (e) {
        results[name] = { uncaught: String(e), stack: e?.stack };
      }
    }
    return Response.json(results);
  },
};
