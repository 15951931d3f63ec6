// An app with the default outbound policy (allow: public): loopback, private addresses and the
// cloud metadata address are refused before any connection is made.
async function outcome(promise) {
  try {
    return { value: (await promise).status };
  } catch (e) {
    return { error: e?.name, message: String(e?.message) };
  }
}

export default {
  async fetch(request) {
    const port = new URL(request.url).searchParams.get("port");
    return Response.json({
      loopback: await outcome(fetch(`http://127.0.0.1:${port}/text`)),
      localhost: await outcome(fetch(`http://localhost:${port}/text`)),
      ipv6Loopback: await outcome(fetch(`http://[::1]:${port}/text`)),
      private: await outcome(fetch("http://192.168.1.1/")),
      cgnat: await outcome(fetch("http://100.64.0.1/")),
      metadata: await outcome(fetch("http://169.254.169.254/latest/meta-data/")),
      unspecified: await outcome(fetch(`http://0.0.0.0:${port}/`)),
    });
  },
};
