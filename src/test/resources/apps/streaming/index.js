// Streaming bodies end to end: response streams, uploads read as streams, backpressure,
// cancellation when the client goes away, and failures midway.
const probes = new Map(); // id -> { pulls, cancelled }

function probe(id) {
  if (!probes.has(id)) probes.set(id, { pulls: 0, cancelled: null });
  return probes.get(id);
}

const encoder = { encode: (s) => Uint8Array.from(s, (c) => c.charCodeAt(0)) };

function counted(chunks, size) {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent === chunks) {
        controller.close();
        return;
      }
      const chunk = new Uint8Array(size);
      chunk.fill(97 + (sent % 26));
      sent++;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}

const routes = {
  "/stream"(request, url) {
    const chunks = Number(url.searchParams.get("chunks") ?? 4);
    const size = Number(url.searchParams.get("size") ?? 16384);
    return new Response(counted(chunks, size), { headers: { "content-type": "application/octet-stream" } });
  },

  "/endless"(request, url) {
    const p = probe(url.searchParams.get("id"));
    const chunk = new Uint8Array(16384).fill(120);
    return new Response(new ReadableStream({
      pull(controller) {
        p.pulls++;
        controller.enqueue(chunk.slice());
      },
      cancel(reason) {
        p.cancelled = String(reason);
      },
    }, { highWaterMark: 0 }));
  },

  "/probe"(request, url) {
    return Response.json(probe(url.searchParams.get("id")));
  },

  "/upper"(request) {
    const upper = new TransformStream({
      transform(chunk, controller) {
        const out = new Uint8Array(chunk.length);
        for (let i = 0; i < chunk.length; i++) {
          const c = chunk[i];
          out[i] = c >= 97 && c <= 122 ? c - 32 : c;
        }
        controller.enqueue(out);
      },
    });
    return new Response(request.body.pipeThrough(upper));
  },

  "/echo"(request) {
    return new Response(request.body);
  },

  async "/upload-size"(request) {
    let total = 0;
    let chunks = 0;
    for await (const chunk of request.body) {
      total += chunk.byteLength;
      chunks++;
    }
    return Response.json({ total, chunks });
  },

  "/unread-upload"(request, url) {
    // Never reads its body: the socket stays paused while the response waits.
    return new Promise((resolve) => setTimeout(() => resolve(new Response("did not read")), 300));
  },

  "/error-midway"() {
    let n = 0;
    return new Response(new ReadableStream({
      pull(controller) {
        if (n++ < 3) {
          controller.enqueue(encoder.encode("partial data\n"));
        } else {
          controller.error(new Error("upstream failed midway"));
        }
      },
    }));
  },

  "/not-bytes"() {
    return new Response(new ReadableStream({
      start(controller) {
        controller.enqueue("a string is not a Uint8Array");
        controller.close();
      },
    }));
  },

  "/head"(request, url) {
    const p = probe(url.searchParams.get("id"));
    return new Response(new ReadableStream({
      pull(controller) {
        p.pulls++;
        controller.enqueue(encoder.encode("body"));
      },
      cancel(reason) {
        p.cancelled = String(reason);
      },
    }));
  },

  async "/body-shape"(request) {
    const result = {
      method: request.method,
      isStream: request.body instanceof ReadableStream,
      isNull: request.body === null,
      usedBefore: request.bodyUsed,
    };
    if (request.body !== null) {
      const reader = request.body.getReader();
      const first = await reader.read();
      result.firstChunkIsBytes = first.value instanceof Uint8Array;
      result.usedAfterRead = request.bodyUsed;
      reader.releaseLock();
      try {
        await request.text();
        result.textAfterRead = "resolved";
      } catch (e) {
        result.textAfterRead = e.constructor.name;
      }
    }
    return Response.json(result);
  },

  async "/clone"() {
    const original = new Response(counted(3, 5));
    const copy = original.clone();
    const [a, b] = await Promise.all([original.text(), copy.text()]);
    return Response.json({ a, b, same: a === b });
  },

  async "/tee"(request) {
    const [fast, slow] = request.body.tee();
    let fastBytes = 0;
    for await (const chunk of fast) fastBytes += chunk.byteLength;
    let slowBytes = 0;
    const reader = slow.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      slowBytes += value.byteLength;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return Response.json({ fastBytes, slowBytes });
  },

  "/generated"(request, url) {
    // A big body through a TransformStream: nothing of it is kept.
    const mib = Number(url.searchParams.get("mib") ?? 16);
    const passThrough = new TransformStream();
    const chunk = new Uint8Array(65536).fill(122);
    let sent = 0;
    const total = mib * 16;
    const source = new ReadableStream({
      pull(controller) {
        if (sent++ === total) controller.close();
        else controller.enqueue(chunk);
      },
    }, { highWaterMark: 0 });
    return new Response(source.pipeThrough(passThrough));
  },

  "/string-body"() {
    const r = new Response("plain text");
    return new Response(r.body, { headers: { "x-from": "string" } });
  },
};

export default {
  fetch(request) {
    const url = new URL(request.url);
    const route = routes[url.pathname];
    return route ? route(request, url) : new Response("no such case", { status: 404 });
  },
};
