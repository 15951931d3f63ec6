// Handlers that go over the app's limits, and one that does not.
export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === "/spin") {
      while (true) {}
    }
    if (path === "/spin-after-await") {
      await null;
      for (;;) {}
    }
    if (path === "/alloc") {
      const hoard = [];
      while (true) hoard.push(new Array(100_000).fill(hoard.length));
    }
    return new Response("still fine");
  },
};
