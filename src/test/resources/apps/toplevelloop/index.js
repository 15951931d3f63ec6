// Never finishes loading: the watchdog stops it.
while (true) {}
export default { fetch() { return new Response("unreachable"); } };
