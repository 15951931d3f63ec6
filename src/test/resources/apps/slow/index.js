// Requests that take a while, for draining tests: /sleep?ms=N answers after N ms; /stream?ms=N
// streams ten chunks spread over N ms; /waituntil?ms=N answers at once and logs when its
// ctx.waitUntil work, N ms long, is done.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const ms = Number(url.searchParams.get("ms") ?? 2000);
    const tag = url.searchParams.get("tag") ?? "";
    if (url.pathname === "/stream") {
      let sent = 0;
      return new Response(new ReadableStream({
        async pull(controller) {
          if (sent === 10) {
            controller.close();
            return;
          }
          await sleep(ms / 10);
          controller.enqueue(Uint8Array.from(`chunk ${sent++}\n`, (c) => c.charCodeAt(0)));
        },
      }, { highWaterMark: 0 }));
    }
    if (url.pathname === "/waituntil") {
      ctx.waitUntil(sleep(ms).then(() => console.log(`waitUntil work done ${tag}`)));
      return new Response("accepted");
    }
    if (url.pathname === "/sleep") {
      await sleep(ms);
      return new Response(`slept ${ms}`);
    }
    return new Response("slow app");
  },
};
