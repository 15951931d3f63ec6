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
      // Megabyte blocks: reaches the 64M limit in a few dozen steps even while the JVM is cold
      // (filling arrays element by element in the cold interpreter ran into the 300 ms CPU limit).
      const hoard = [];
      while (true) hoard.push(new Uint8Array(1 << 20), { index: hoard.length });
    }
    return new Response("still fine");
  },
};
