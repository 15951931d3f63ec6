// Console calls whose log records ConsoleTest reads (https://console.spec.whatwg.org/). Each
// request runs the calls of one path, so the test knows which records belong to it.
const calls = {
  "/format": () => {
    console.log("%s is %d years, %i%% sure, pi is %f", "Ada", "36.9", 99.5, "3.14abc");
    console.log("object %o and %O and json %j", { a: [1, 2] }, { b: "x" }, { c: null });
    console.log("%cstyled%c text", "color: red", "font-weight: bold");
    console.log("not enough %s %s", "one");
    console.log("more args", 1, "two", [3]);
    console.log("100%%");
    console.log("%d %f from a symbol", Symbol("s"), Symbol("t"));
    console.log("%s", 12n, "%s");
    console.log({ first: "not a format string %s" }, "x");
    console.info("info %s", "level");
    console.warn("warn %s", "level");
    console.error("error %s", "level");
    console.log();
  },
  "/groups": () => {
    console.group("outer");
    console.log("in outer");
    console.group();
    console.warn("two deep\nsecond line");
    console.groupEnd();
    console.groupCollapsed("collapsed");
    console.log("in collapsed");
    console.groupEnd();
    console.groupEnd();
    console.groupEnd();
    console.log("back at the left");
  },
  "/counters": () => {
    const label = `c${Math.random()}`;
    console.count(label);
    console.count(label);
    console.countReset(label);
    console.count(label);
    console.countReset("never counted");
    console.count({ toString: () => "converted label" });
    console.assert(true, "never shown");
    console.assert(false, "assertion %s", "message");
    console.assert(false, { not: "a string" });
    console.assert(false);
  },
  "/timers": () => {
    const label = `t${Math.random()}`.slice(0, 8);
    console.time(label);
    console.time(label);
    console.timeLog(label, "with", "data");
    console.timeEnd(label);
    console.timeEnd(label);
    console.timeLog("no such timer");
    return label;
  },
  "/table": () => {
    console.table([{ name: "a", n: 1 }, { name: "b", extra: true }]);
    console.table({ x: 1, y: "two" });
    console.table([{ a: 1, b: 2 }], ["b"]);
    console.table("not tabular");
  },
  "/trace": () => {
    function whereAmI() {
      console.trace("traced %d", 7);
    }
    whereAmI();
  },
  "/shape": () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, "console");
    const proto = Object.getPrototypeOf(console);
    return [Object.prototype.toString.call(console), descriptor.enumerable, Object.getOwnPropertyNames(proto).length,
      Object.getPrototypeOf(proto) === Object.prototype, typeof console.log, console.log.name,
      Object.getOwnPropertyDescriptor(console, "log").enumerable, "Console" in globalThis];
  },
  // An app flooding the log: 20,000 lines in one slice, over the 1,000 a second it may write.
  "/flood": () => {
    for (let i = 0; i < 20_000; i++) console.log(`flood ${i}`);
  },
  "/long-line": () => {
    console.log("y".repeat(100_000));
  },
  "/one-line": () => {
    console.log("after the flood");
  },
  "/large": () => {
    console.log(new Uint8Array(200_000));
    console.log(new Array(200_000).fill(0));
  },
};

export default {
  fetch(request) {
    const path = new URL(request.url).pathname;
    const call = calls[path];
    if (call === undefined) return new Response("no such case", { status: 404 });
    return Response.json(call() ?? null);
  },
};
