// An attacker's app: it forges responses through whatever runtime internals it can reach, and
// sends values the Fetch API allows but the wire cannot carry. Every case must end in a sound
// answer on the wire.
const STATE = Symbol.for("nano.state");

/** The runtime's request scope, if tenant code can reach it (null once it cannot). */
function scopeOf(ctx) {
  try {
    const scope = ctx[STATE];
    return scope && typeof scope.respondText === "function" ? scope : null;
  } catch {
    return null;
  }
}

const SMUGGLED = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nX-Smuggled: yes\r\n\r\nsmuggled";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const path = url.pathname;
    const scope = scopeOf(ctx);
    switch (path) {
      case "/plain":
        return new Response("plain");
      case "/url":
        return Response.json({ url: request.url, host: request.headers.get("host"), client: request.headers.get("cf-connecting-ip") });
      case "/forge-content-length":
        // A second, complete response hidden in the body behind a Content-Length of 0.
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondText(200, "", "Content-Length\n0\nX-Forged\nyes", SMUGGLED);
        return new Response("not sent");
      case "/forge-transfer-encoding":
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondText(200, "", "Transfer-Encoding\nchunked", "0\r\n\r\n" + SMUGGLED);
        return new Response("not sent");
      case "/forge-status": {
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondText(Number(url.searchParams.get("code")), "", "", "forged");
        return new Response("not sent");
      }
      case "/forge-status-text":
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondText(200, "OK\r\nX-Injected: 1", "", "forged");
        return new Response("not sent");
      case "/forge-header-name":
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondText(200, "", url.searchParams.get("name") + "\nv", "forged");
        return new Response("not sent");
      case "/forge-header-value":
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondText(200, "", "x-a\nok\r\nX-Injected: 1", "forged");
        return new Response("not sent");
      case "/forge-range":
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondBytes(200, "", "", new ArrayBuffer(8), 4, 2147483000);
        return new Response("not sent");
      case "/forge-big-bytes":
        if (scope === null) return new Response("unreachable", { status: 418 });
        scope.respondBytes(200, "", "", new ArrayBuffer(2 * 1024 * 1024), 0, 2 * 1024 * 1024);
        return new Response("not sent");
      case "/control-in-value":
        // The Fetch standard allows this value (no NUL, CR or LF); HTTP/1.1 cannot carry it.
        return new Response("x", { headers: { "x-a": url.searchParams.get("v") === "del" ? "\x7f" : "a\x01b" } });
      case "/big-bytes": {
        const size = Number(url.searchParams.get("mib")) * 1024 * 1024;
        const bytes = new Uint8Array(size);
        bytes[size - 1] = 0x2a;
        return new Response(bytes);
      }
      case "/big-text":
        return new Response("é".repeat(Number(url.searchParams.get("chars"))));
      case "/import-missing":
        try {
          await import("./no-such-module.js");
          return new Response("imported?");
        } catch (e) {
          return Response.json({ message: String(e?.message ?? e) });
        }
      case "/import-outside":
        try {
          await import("../url/index.js");
          return new Response("imported?");
        } catch (e) {
          return Response.json({ message: String(e?.message ?? e) });
        }
      case "/stack":
        return Response.json({ stack: new Error("where").stack });
      case "/throw":
        throw new Error("thrown here");
      default:
        return new Response("no such case", { status: 404 });
    }
  },
};
