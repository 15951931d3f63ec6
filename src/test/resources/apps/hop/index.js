// Runs with max-contexts 1 (see TestApps): requests arriving on other event loops hop to this
// one context, bodies included.
const contextId = Math.random().toString(36).slice(2);

export default {
  async fetch(request) {
    const body = request.method === "POST" ? await request.text() : null;
    return Response.json({ contextId, body });
  },
};
