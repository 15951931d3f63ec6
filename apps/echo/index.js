// Echoes the request back as JSON: method, URL, headers and body.
export default {
  async fetch(request) {
    const headers = {};
    for (const [name, value] of request.headers) {
      headers[name] = value;
    }
    const body = request.method === "GET" || request.method === "HEAD" ? null : await request.text();
    return Response.json({ method: request.method, url: request.url, headers, body });
  },
};
