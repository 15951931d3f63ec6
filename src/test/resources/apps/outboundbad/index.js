// Never runs: its outbound.allow names a class that does not exist, so the app fails to load.
export default {
  fetch() {
    return new Response("unreachable");
  },
};
