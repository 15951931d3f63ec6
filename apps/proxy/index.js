// A reverse proxy in a few lines: every request is sent on to env.UPSTREAM (same path, query,
// method, headers and body) with fetch(), and the upstream's response is returned as it came.
// NANO's default outbound policy only allows public addresses; application.yaml allows this app
// `local` as well, so that it can reach an upstream on 127.0.0.1.
const DEFAULT_UPSTREAM = "http://127.0.0.1:8000/";

export default {
  async fetch(request, env) {
    const upstream = typeof env?.UPSTREAM === "string" ? env.UPSTREAM : DEFAULT_UPSTREAM;
    const incoming = new URL(request.url);
    const target = new URL(`${incoming.pathname}${incoming.search}`, upstream);
    const init = { method: request.method, headers: request.headers, redirect: "manual" };
    if (request.method !== "GET" && request.method !== "HEAD") {
      init.body = await request.arrayBuffer();
    }
    try {
      return await fetch(target, init);
    } catch (error) {
      return Response.json({ error: "bad_gateway", message: error.message }, { status: 502 });
    }
  },
};
