// fetch() bodies streamed both ways, against the upstream server FetchStreamingTest starts on a
// loopback port (?port=). This app may reach loopback (outbound.allow: local, public) and keeps
// the default max-response-size (32M), which bounds only bodies read whole.
// Each path is one case; JSON cases answer { error, message, isTypeError } for a rejection.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const decoder = new TextDecoder();

async function outcome(promise) {
  try {
    return { value: await promise };
  } catch (e) {
    return { error: e?.name, message: String(e?.message), isTypeError: e instanceof TypeError };
  }
}

/** An endless (or n-chunk) stream of 64 KiB chunks, chunk i filled with i % 251; counts pulls. */
function generated(n, counter) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      counter.pulls++;
      if (n >= 0 && i >= n) {
        controller.close();
        return;
      }
      controller.enqueue(new Uint8Array(65536).fill(i % 251));
      i++;
    },
  }, { highWaterMark: 0 });
}

function sumOf(n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum = (sum + 65536 * (i % 251)) % 4294967296;
  return sum;
}

const routes = {
  // (a) the first chunk reaches the app while the upstream still holds the rest.
  async "/read-first"(up, params) {
    const response = await fetch(`${up}/gate?id=${params.get("id")}`);
    const reader = response.body.getReader();
    const first = await reader.read();
    await reader.cancel();
    return { status: response.status, first: decoder.decode(first.value) };
  },

  // Pass-through, host to host.
  "/proxy"(up, params) {
    return fetch(`${up}/${params.get("path")}?${params.toString()}`);
  },

  // Pass-through through JavaScript: the fetched body as the app's own stream.
  async "/relay"(up, params) {
    const upstream = await fetch(`${up}/${params.get("path")}?${params.toString()}`);
    return new Response(upstream.body, upstream);
  },

  // (c) a reader that reads one chunk and then stops.
  async "/stall-reader"(up, params) {
    const response = await fetch(`${up}/endless?id=${params.get("id")}`);
    const reader = response.body.getReader();
    const first = await reader.read();
    await sleep(1500);
    return { firstLength: first.value.length };
  },

  // (d) cancelling the body resets the upstream; an upstream reset midway errors the reader.
  async "/cancel"(up, params) {
    const response = await fetch(`${up}/endless?id=${params.get("id")}`);
    const reader = response.body.getReader();
    await reader.read();
    await reader.cancel();
    await sleep(500);
    return { cancelled: true };
  },

  async "/reset-midway"(up) {
    const response = await fetch(`${up}/reset-midway`);
    const reader = response.body.getReader();
    const first = await reader.read();
    const rest = [];
    const failure = await outcome((async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return "ended";
        rest.push(value.length);
      }
    })());
    return { status: response.status, first: decoder.decode(first.value), failure };
  },

  // (e) request bodies as streams.
  async "/upload"(up, params) {
    const n = +params.get("n");
    const counter = { pulls: 0 };
    const response = await fetch(`${up}/count-body`, { method: "POST", body: generated(n, counter), duplex: "half" });
    const counted = await response.json();
    return { ...counted, expectedBytes: n * 65536, expectedSum: sumOf(n), pulls: counter.pulls };
  },

  async "/forward"(up, _params, request) {
    const response = await fetch(`${up}/count-body`, { method: "POST", body: request.body, duplex: "half" });
    return response.json();
  },

  async "/upload-stalled"(up, params) {
    const counter = { pulls: 0 };
    const controller = new AbortController();
    const pending = outcome(fetch(`${up}/pause-body?id=${params.get("id")}`,
      { method: "POST", body: generated(-1, counter), duplex: "half", signal: controller.signal }));
    await sleep(1500);
    const early = counter.pulls;
    await sleep(1000);
    const late = counter.pulls;
    controller.abort();
    const result = await pending;
    return { early, late, aborted: result.error };
  },

  async "/no-duplex"(up) {
    const stream = () => new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.close(); } });
    return {
      fetch: await outcome(fetch(`${up}/count-body`, { method: "POST", body: stream() })),
      request: await outcome((async () => new Request(`${up}/count-body`, { method: "POST", body: stream() }))()),
      withDuplex: (await outcome((async () =>
        new Request(`${up}/count-body`, { method: "POST", body: stream(), duplex: "half" }).duplex)())).value,
      redirect: await outcome(fetch(`${up}/redirect307`, { method: "POST", body: stream(), duplex: "half" })),
    };
  },

  // A body read whole is bounded by max-response-size (32M here); a stream is not.
  async "/whole-vs-stream"(up) {
    const whole = await outcome((await fetch(`${up}/big?mib=40`)).arrayBuffer());
    let streamed = 0;
    for await (const chunk of (await fetch(`${up}/big?mib=40`)).body) streamed += chunk.length;
    return { whole, streamed };
  },
};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const route = routes[url.pathname];
    if (route === undefined) return new Response("no such case", { status: 404 });
    const up = `http://127.0.0.1:${url.searchParams.get("port")}`;
    const result = await route(up, url.searchParams, request);
    return result instanceof Response ? result : Response.json(result);
  },
};
