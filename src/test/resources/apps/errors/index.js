// Handlers that fail in each way an app can, plus ctx.waitUntil and console.
export default {
  async fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    switch (path) {
      case "/throw-sync":
        throw new Error("kaboom sync");
      case "/reject":
        await null;
        throw new TypeError("kaboom async");
      case "/not-response":
        return { hello: "world" };
      case "/undefined":
        return undefined;
      case "/throw-string":
        throw "a plain string";
      case "/wait-until": {
        let release;
        const pending = new Promise((resolve) => { release = resolve; });
        ctx.waitUntil(pending);
        ctx.waitUntil(Promise.reject(new Error("background failure")));
        Promise.resolve().then(() => release());
        return new Response("responded");
      }
      case "/console":
        console.log("console from app", { answer: 42 }, [1, "two"]);
        console.warn("careful %s=%d", "x", 7);
        console.error(new Error("logged error"));
        return new Response("logged");
      default:
        return new Response("ok");
    }
  },
};
