// The smallest NANO app: answers every request with a greeting from its env.
export default {
  async fetch(request, env) {
    return new Response(`${env.GREETING ?? "Hello"} from NANO\n`, {
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  },
};
