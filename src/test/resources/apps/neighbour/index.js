// Another tenant: reports whether anything from the isolation app reached it.
export default {
  fetch(request, env) {
    return Response.json({
      leaked: typeof globalThis.leaked,
      polluted: typeof {}.polluted,
      envKeys: Object.keys(env),
    });
  },
};
