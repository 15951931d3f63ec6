// The event loop as an app sees it: timers, microtasks, what a request owns, and failures in
// callbacks. Runs with cpu-limit 1s and response-timeout 2s (see TestApps).
let topLevelFired = false;
setTimeout(() => { topLevelFired = true; }, 0);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const routes = {
  async "/order"() {
    const log = [];
    setTimeout(() => log.push("t10"), 10);
    setTimeout((a, b) => log.push(`t0:${a}${b}`), 0, "x", "y");
    queueMicrotask(() => log.push("micro"));
    Promise.resolve().then(() => log.push("promise"));
    const cleared = setTimeout(() => log.push("cleared"), 5);
    clearTimeout(cleared);
    let n = 0;
    let interval;
    const intervalDone = new Promise((resolve) => {
      interval = setInterval(() => {
        log.push(`iv${n}`);
        if (++n === 3) {
          clearInterval(interval);
          resolve();
        }
      }, 1);
    });
    log.push("sync");
    await intervalDone;
    // Long enough for t10, and for a fourth interval run if clearInterval had not stopped it.
    await sleep(30);
    return Response.json({ log, idsPositive: cleared > 0 && interval > cleared });
  },

  async "/string-handler"() {
    setTimeout("globalThis.fromString = 6 * 7", 0);
    await sleep(20);
    return Response.json({ value: globalThis.fromString });
  },

  async "/nesting"() {
    // Past the fifth nested level, 0 ms timers are clamped to 4 ms (HTML timer steps 10).
    const start = Date.now();
    await new Promise((resolve) => {
      let level = 0;
      const step = () => (++level === 15 ? resolve() : setTimeout(step, 0));
      setTimeout(step, 0);
    });
    return Response.json({ elapsed: Date.now() - start });
  },

  "/late-timer"(url) {
    const id = url.searchParams.get("id");
    setTimeout(() => console.log(`late timer ${id} fired`), 300);
    setInterval(() => console.log(`late interval ${id} fired`), 100);
    return new Response("answered");
  },

  "/wait-until-timer"(url, ctx) {
    const id = url.searchParams.get("id");
    ctx.waitUntil(sleep(200).then(() => console.log(`waitUntil timer ${id} fired`)));
    return new Response("answered");
  },

  "/wait-until-forever"(url, ctx) {
    const id = url.searchParams.get("id");
    ctx.waitUntil(new Promise(() => {}));
    setTimeout(() => console.log(`forever timer ${id} fired`), 3000);
    return new Response("answered");
  },

  async "/thread"(url) {
    const id = url.searchParams.get("id");
    await sleep(1);
    console.log(`thread probe ${id}`);
    return new Response("ok");
  },

  async "/cpu-slices"() {
    // Five slices of ~300 ms: 1.5 s of CPU in all, but no slice over the 1 s limit.
    for (let i = 0; i < 5; i++) {
      await sleep(0);
      const until = Date.now() + 300;
      while (Date.now() < until) {}
    }
    return new Response("five slices");
  },

  "/cpu-in-timer"() {
    return new Promise(() => {
      setTimeout(() => { for (;;) {} }, 0);
    });
  },

  "/never"(url) {
    const id = url.searchParams.get("id");
    setTimeout(() => console.log(`never timer ${id} fired`), 2500);
    return new Promise(() => {});
  },

  async "/throw-in-timer"(url) {
    const id = url.searchParams.get("id");
    setTimeout(() => { throw new Error(`boom in timer ${id}`); }, 0);
    await sleep(20);
    return new Response("still answered");
  },

  async "/unhandled"(url) {
    const id = url.searchParams.get("id");
    Promise.reject(new Error(`nobody handles ${id}`));
    await sleep(20);
    return new Response("still answered");
  },

  "/top-level"() {
    return Response.json({ topLevelFired });
  },

  "/webidl"() {
    const result = {};
    for (const name of ["setTimeout", "setInterval", "clearTimeout", "clearInterval", "queueMicrotask"]) {
      const d = Object.getOwnPropertyDescriptor(globalThis, name);
      result[name] = [typeof d.value, d.writable, d.enumerable, d.configurable];
    }
    try {
      queueMicrotask("not a function");
    } catch (e) {
      result.queueMicrotaskError = e.constructor.name;
    }
    result.clearUnknown = clearTimeout(123456) === undefined && clearInterval() === undefined;
    return Response.json(result);
  },
};

export default {
  fetch(request, env, ctx) {
    const url = new URL(request.url);
    const route = routes[url.pathname];
    return route ? route(url, ctx) : new Response("no such case", { status: 404 });
  },
};
