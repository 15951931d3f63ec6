// Streaming: a server-sent-events feed written as the app produces it, one event every
// `?interval=` ms (default 1000), `?count=` events (default 10). The response head goes out at
// once; each event is a chunk; a client that disconnects cancels the stream (and its timer).
const encoder = new TextEncoder();

export default {
  fetch(request) {
    const url = new URL(request.url);
    const interval = Math.min(Math.max(Number(url.searchParams.get("interval") ?? 1000), 10), 60_000);
    const count = Math.min(Math.max(Number(url.searchParams.get("count") ?? 10), 1), 1000);
    let sent = 0;
    let timer;
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(encoder.encode(`: ticking every ${interval} ms\n\n`));
      },
      pull(controller) {
        return new Promise((resolve) => {
          timer = setTimeout(() => {
            sent++;
            controller.enqueue(encoder.encode(`id: ${sent}\ndata: ${JSON.stringify({ tick: sent, at: new Date().toISOString() })}\n\n`));
            if (sent === count) controller.close();
            resolve();
          }, interval);
        });
      },
      cancel() {
        clearTimeout(timer);
      },
    }, { highWaterMark: 0 });
    return new Response(stream, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-store" },
    });
  },
};
