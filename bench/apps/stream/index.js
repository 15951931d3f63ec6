// The stream benchmark's app, served as is by NANO, `deno serve` and workerd: a response body
// of `mib` MiB (default 10) produced by a ReadableStream in 16 KiB chunks, one per pull.
const CHUNK = 16 * 1024;

export default {
  fetch(request) {
    const mib = Number(new URL(request.url).searchParams.get("mib") ?? "10");
    let left = (mib * 1024 * 1024) / CHUNK;
    const body = new ReadableStream({
      pull(controller) {
        if (left <= 0) {
          controller.close();
          return;
        }
        left--;
        controller.enqueue(new Uint8Array(CHUNK).fill(120));
      },
    });
    return new Response(body, { headers: { "content-type": "application/octet-stream" } });
  },
};
