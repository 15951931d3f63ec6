// env and crypto: signs and verifies messages with an HMAC key from the app's env
// (`env.SIGNING_KEY`, configured per app; override with NANO_APPS_SIGNER_ENV_SIGNING_KEY).
//   POST /sign    body: any text   -> {"signature": "<base64url>", "digest": "<sha-256 hex>"}
//   POST /verify  {"message", "signature"} -> {"valid": true|false}
const encoder = new TextEncoder();
let keyFor = null; // the CryptoKey of the env version it was imported from

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function signingKey(env) {
  if (keyFor === null || keyFor.secret !== env.SIGNING_KEY) {
    const key = await crypto.subtle.importKey("raw", encoder.encode(env.SIGNING_KEY),
      { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keyFor = { secret: env.SIGNING_KEY, key };
  }
  return keyFor.key;
}

export default {
  async fetch(request, env) {
    if (!env.SIGNING_KEY) {
      return Response.json({ error: "SIGNING_KEY is not configured" }, { status: 500 });
    }
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/sign") {
      const message = encoder.encode(await request.text());
      const [signature, digest] = await Promise.all([
        crypto.subtle.sign("HMAC", await signingKey(env), message),
        crypto.subtle.digest("SHA-256", message),
      ]);
      const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
      return Response.json({ signature: base64url(signature), digest: hex, keyId: crypto.randomUUID() });
    }
    if (request.method === "POST" && pathname === "/verify") {
      const { message, signature } = await request.json();
      let valid = false;
      try {
        valid = await crypto.subtle.verify("HMAC", await signingKey(env), fromBase64url(signature),
          encoder.encode(message));
      } catch {
        valid = false;
      }
      return Response.json({ valid });
    }
    return Response.json({ error: "POST /sign or /verify" }, { status: 404 });
  },
};
