// Cases for URLPattern (https://urlpattern.spec.whatwg.org/), taken from the standard's own
// examples and algorithms; each records what the app observes, or { error: name } on a throw.
function capture(fn) {
  try {
    return fn();
  } catch (e) {
    return { error: e.name, message: e.message };
  }
}

const COMPONENTS = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"];
const componentsOf = (p) => Object.fromEntries(COMPONENTS.map((c) => [c, p[c]]));
const tests = (p, urls) => urls.map((u) => p.test(u));

const cases = {
  // https://urlpattern.spec.whatwg.org/#example-intro
  intro: () => {
    const p = new URLPattern("https://example.com/:category/*");
    return {
      components: componentsOf(p),
      matches: tests(p, ["https://example.com/products/", "https://example.com/blog/our-greatest-product-ever"]),
      misses: tests(p, ["https://example.com/", "http://example.com/products/",
        "https://example.com:8443/blog/our-greatest-product-ever"]),
      groups: p.exec("https://example.com/blog/our-greatest-product-ever").pathname.groups,
    };
  },
  // https://urlpattern.spec.whatwg.org/#example-intro-2
  intro2: () => {
    const p = new URLPattern("http{s}?://{:subdomain.}?shop.example/products/:id([0-9]+)#reviews");
    const r = p.exec("https://kathryn@voyager.shop.example/products/74656#reviews");
    return {
      components: componentsOf(p),
      matches: tests(p, ["https://shop.example/products/74205#reviews",
        "https://kathryn@voyager.shop.example/products/74656#reviews",
        "http://insecure.shop.example/products/1701#reviews"]),
      misses: tests(p, ["https://shop.example/products/2000", "http://shop.example:8080/products/0#reviews",
        "https://nx.shop.example/products/01?speed=5#reviews", "https://shop.example/products/chair#reviews"]),
      hasRegExpGroups: p.hasRegExpGroups,
      hostnameGroups: r.hostname.groups,
      pathnameGroups: r.pathname.groups,
      username: r.username,
    };
  },
  // https://urlpattern.spec.whatwg.org/#example-intro-3
  intro3: () => {
    const p = new URLPattern("../admin/*", "https://discussion.example/forum/?page=2");
    return {
      components: componentsOf(p),
      matches: tests(p, ["https://discussion.example/admin/", "https://edd:librarian@discussion.example/admin/update?id=1"]),
      misses: tests(p, ["https://discussion.example/forum/admin/", "http://discussion.example:8080/admin/update?id=1"]),
    };
  },
  // https://urlpattern.spec.whatwg.org/#example-pattern-strings
  namedGroups: () => {
    const p = new URLPattern({ pathname: "/blog/:title" });
    return [p.test({ pathname: "/blog/hello-world" }), p.test({ pathname: "/blog/2012/02" }),
      p.exec({ pathname: "/blog/hello-world" }).pathname.groups, p.hasRegExpGroups];
  },
  regexpGroups: () => {
    const p = new URLPattern({ pathname: "/blog/:year(\\d+)/:month(\\d+)" });
    const anonymous = new URLPattern({ pathname: "/(\\d+)/:rest(.*)" });
    return [p.test({ pathname: "/blog/2012/02" }), p.test({ pathname: "/blog/x/02" }),
      p.exec({ pathname: "/blog/2012/02" }).pathname.groups, p.hasRegExpGroups, p.pathname,
      anonymous.exec({ pathname: "/42/a/b" }).pathname.groups, anonymous.pathname];
  },
  optional: () => {
    const p = new URLPattern({ pathname: "/products/:id?" });
    const braces = new URLPattern({ pathname: "/products/{:id}?" });
    const r = p.exec({ pathname: "/products" });
    return [p.test({ pathname: "/products" }), p.test({ pathname: "/products/2" }), p.test({ pathname: "/products/" }),
      "id" in r.pathname.groups && r.pathname.groups.id === undefined,
      braces.test({ pathname: "/products/" }), braces.test({ pathname: "/products/7" }), braces.pathname];
  },
  prefixIsOptionalToo: () => {
    const p = new URLPattern({ pathname: "/foo/:bar?/baz" });
    return [p.test({ pathname: "/foo/baz" }), p.test({ pathname: "/foo/x/baz" }), p.test({ pathname: "/foo//baz" })];
  },
  wildcard: () => {
    const p = new URLPattern({ pathname: "/products/*" });
    return [p.test({ pathname: "/products/a/b/c" }), p.test({ pathname: "/products/" }), p.test({ pathname: "/products" }),
      p.exec({ pathname: "/products/a/b.txt" }).pathname.groups];
  },
  repeat: () => {
    const plus = new URLPattern({ pathname: "/:path+" });
    const star = new URLPattern({ pathname: "/files/:path*" });
    const fixed = new URLPattern({ pathname: "/a{-b}*" });
    return [plus.test({ pathname: "/a/b/c" }), plus.exec({ pathname: "/a/b/c" }).pathname.groups.path,
      plus.test({ pathname: "/" }), star.test({ pathname: "/files" }), star.exec({ pathname: "/files/x/y" }).pathname.groups,
      star.test({ pathname: "/files/" }), fixed.test({ pathname: "/a-b-b" }), fixed.test({ pathname: "/a" }),
      fixed.test({ pathname: "/a-c" })];
  },
  groupsWithPrefixAndSuffix: () => {
    const p = new URLPattern({ pathname: "/{a:x-}+z" });
    const host = new URLPattern({ hostname: "{*.}?example.com" });
    return [p.test({ pathname: "/a1-a2-z" }), p.exec({ pathname: "/a1-a2-z" }).pathname.groups.x,
      host.test({ hostname: "example.com" }), host.test({ hostname: "www.example.com" }),
      host.test({ hostname: "a.b.example.com" }), host.hostname];
  },
  segmentWildcardStopsAtDelimiter: () => {
    const host = new URLPattern({ hostname: ":sub.example.com" });
    return [host.test({ hostname: "a.example.com" }), host.test({ hostname: "a.b.example.com" }),
      host.exec({ hostname: "api.example.com" }).hostname.groups];
  },
  escapes: () => {
    const p = new URLPattern({ pathname: "/foo\\:bar\\*" });
    return [p.test({ pathname: "/foo:bar*" }), p.test({ pathname: "/foo:barx" }), p.pathname];
  },
  ignoreCase: () => {
    const sensitive = new URLPattern({ pathname: "/FOO/:x" });
    const insensitive = new URLPattern({ pathname: "/FOO/:x" }, { ignoreCase: true });
    const fromString = new URLPattern("https://example.com/Path", { ignoreCase: true });
    const withBase = new URLPattern("/Path", "https://example.com", { ignoreCase: true });
    return [sensitive.test({ pathname: "/foo/a" }), insensitive.test({ pathname: "/foo/a" }),
      insensitive.exec({ pathname: "/foo/Ab" }).pathname.groups.x, fromString.test("https://example.com/PATH"),
      withBase.test("https://example.com/path"), new URLPattern("https://example.com/Path").test("https://example.com/path")];
  },
  constructorStringComponents: () => [
    // ":pass" would be a named group: the password separator is escaped.
    componentsOf(new URLPattern("https://user\\:pass@example.com:8080/path?query#hash")),
    componentsOf(new URLPattern("https://user:pass@example.com")),
    componentsOf(new URLPattern("https://example.com")),
    componentsOf(new URLPattern("https://example.com/foo")),
    // An unescaped ":" followed by a name character starts a named group, so "data\\:" is escaped.
    componentsOf(new URLPattern("data\\:text/plain,:x")),
    componentsOf(new URLPattern("https://[\\:\\:1]:8080/")),
    componentsOf(new URLPattern("https://example.com/?q=1")),
    componentsOf(new URLPattern("https://example.com#top")),
    componentsOf(new URLPattern("https://a.c:hmm.example.com:8080")),
  ],
  constructorStringMatching: () => {
    const origin = new URLPattern("https://example.com");
    const anyHttps = new URLPattern("https://*");
    const anyPort = new URLPattern("https://*:*");
    const path = new URLPattern("https://example.com/foo");
    return [origin.test("https://example.com/any/path?q#h"), origin.test("https://example.com:8443/"),
      anyHttps.test("https://host.example/"), anyHttps.test("https://host.example:444/"),
      anyPort.test("https://host.example:444/"), path.test("https://example.com/foo?x=1#y"),
      path.test("https://example.com/foo/bar")];
  },
  relativeConstructorStrings: () => [
    componentsOf(new URLPattern("/foo/:id", "https://example.com/base/")),
    componentsOf(new URLPattern("?q=:v", "https://example.com/a?b")),
    componentsOf(new URLPattern("#frag", "https://example.com/a?b#c")),
  ],
  initWithBaseURL: () => {
    const p = new URLPattern({ pathname: "/foo/*", baseURL: "https://example.com/" });
    const relative = new URLPattern({ pathname: "bar/:x", baseURL: "https://example.com/foo/index.html" });
    return [componentsOf(p), relative.pathname, relative.test("https://example.com/foo/bar/1")];
  },
  canonicalization: () => [
    new URLPattern({ protocol: "HTTPS:" }).protocol,
    new URLPattern({ hostname: "EXAMPLE.com" }).hostname,
    new URLPattern({ hostname: "b\u00fccher.example" }).hostname,
    new URLPattern({ protocol: "https", port: "443" }).port,
    new URLPattern({ protocol: "http", port: "8080" }).port,
    new URLPattern({ pathname: "/a b/./c/../d" }).pathname,
    new URLPattern({ search: "?q=a b" }).search,
    new URLPattern({ hash: "#a b" }).hash,
    new URLPattern({ username: "us er" }).username,
    new URLPattern({ hostname: "[\\:\\:FFFF\\:1]" }).hostname,
    new URLPattern({ pathname: "/:foo([^\\/]+?)" }).pathname,
    new URLPattern({ pathname: "/(.*)" }).pathname,
    new URLPattern({ pathname: "/:bar(.*)" }).pathname,
    new URLPattern({ protocol: "data", pathname: "Text/Plain,x y" }).pathname,
  ],
  matchingInputs: () => {
    const p = new URLPattern({ pathname: "/foo/:id" });
    const byString = p.exec("https://example.com/foo/1?q#h");
    const withBase = p.exec("/foo/2", "https://example.com");
    const byInit = p.exec({ pathname: "/foo/3" });
    return [byString.inputs, byString.protocol, byString.hostname, byString.search, byString.hash,
      withBase.inputs, withBase.pathname, byInit.inputs, byInit.protocol,
      p.test("/foo/4"), p.test("not a url"), p.test("/foo/5", "not a base"),
      p.test({ pathname: "/foo/6", baseURL: "https://example.com" })];
  },
  initInputIsCanonicalized: () => {
    const p = new URLPattern({ pathname: "/caf\u00e9/:x" });
    return [p.pathname, p.test({ pathname: "/caf\u00e9/1" }), p.test("https://a/caf%C3%A9/2"),
      p.test({ protocol: "not a scheme", pathname: "/caf\u00e9/1" })];
  },
  matchAll: () => [new URLPattern().test("https://anything.example:1/x?y#z"), new URLPattern({}).test({}),
    componentsOf(new URLPattern())],
  errors: () => [
    capture(() => new URLPattern("/relative")),
    capture(() => new URLPattern({ pathname: "/a" }, "https://example.com")),
    capture(() => new URLPattern({ pathname: "/:a/:a" })),
    capture(() => new URLPattern({ pathname: "/(a(b))" })),
    capture(() => new URLPattern({ pathname: "/(*)" })),
    capture(() => new URLPattern({ pathname: "/:" })),
    capture(() => new URLPattern({ pathname: "/(foo" })),
    capture(() => new URLPattern({ pathname: "/{foo" })),
    capture(() => new URLPattern({ pathname: "/(\u00e9)" })),
    capture(() => new URLPattern({ protocol: "ht tp" })),
    capture(() => new URLPattern({ port: "99999" })),
    capture(() => new URLPattern({ hostname: "exa mple.com" })),
    capture(() => new URLPattern({ pathname: "/a", baseURL: "not a url" })),
    capture(() => new URLPattern({ pathname: "/x" }).exec({ pathname: "/x" }, "https://example.com")),
    capture(() => new URLPattern({ hostname: "[:zz:]" })),
    capture(() => URLPattern.prototype.test.call({}, "https://a/")),
  ].map((r) => r.error),
  unnamedColonIsAGroupName: () => capture(() => new URLPattern("data:text/plain")).error,
  // Components compile with the `v` flag (set notation works in regexp groups).
  vFlag: () => new URLPattern({ pathname: "/:x([\\p{L}--[a-z]]+)" }).test({ pathname: "/ABC" }),
  interface: () => {
    const d = Object.getOwnPropertyDescriptor(globalThis, "URLPattern");
    return [typeof d.value, d.enumerable, Object.prototype.toString.call(new URLPattern()),
      Object.keys(URLPattern.prototype).sort()];
  },
};

export default {
  // GET /?cases=a,b runs only those cases (each request stays well inside the cpu-limit).
  fetch(request) {
    const only = new URL(request.url).searchParams.get("cases");
    const names = only === null ? Object.keys(cases) : only.split(",");
    const results = {};
    for (const name of names) results[name] = capture(cases[name]);
    return Response.json(results);
  },
};
