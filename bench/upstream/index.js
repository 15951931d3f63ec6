// The upstream of the fetch-proxy scenario: one `deno serve` process that every proxy (NANO,
// Deno, workerd) fetches from, so they all wait on the same server.
export default {
  fetch() {
    return new Response("Hello from the upstream\n", { headers: { "content-type": "text/plain; charset=utf-8" } });
  },
};
