// A tiny router: exact method, path patterns with :params.
export class Router {
  #routes = [];

  add(method, pattern, handler) {
    const names = [];
    const source = pattern.replace(/:([A-Za-z_]+)/g, (_, name) => {
      names.push(name);
      return "([^/]+)";
    });
    this.#routes.push({ method, regex: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  async handle(request, env) {
    const url = new URL(request.url);
    let pathMatched = false;
    for (const route of this.#routes) {
      const match = route.regex.exec(url.pathname);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== request.method) continue;
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
      return route.handler({ request, env, params, url });
    }
    return pathMatched
      ? Response.json({ error: "method not allowed" }, { status: 405 })
      : Response.json({ error: "not found" }, { status: 404 });
  }
}
