// Another tenant: reports whether anything from the isolation app reached it, and which of its
// contexts answered.
const contextId = Math.random().toString(36).slice(2);

export default {
  fetch(request, env) {
    return Response.json({
      leaked: typeof globalThis.leaked,
      polluted: typeof {}.polluted,
      envKeys: Object.keys(env),
      contextId,
    });
  },
};
