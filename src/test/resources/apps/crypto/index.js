// Cases for the Web Cryptography API (https://w3c.github.io/webcrypto/); each records what the
// app observes, or { error: name } when it rejects or throws. Published test vectors are cited
// by case; bytes are compared as lowercase hex.
const subtle = crypto.subtle;
const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
const unhex = (text) => new Uint8Array(text.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
// Latin-1 strings only (these cases use ASCII and NUL); TextEncoder is another family's.
const bytes = (text) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const repeat = (byte, n) => new Uint8Array(n).fill(byte);
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
};
const b64url = (buffer) => {
  let s = "";
  for (const b of new Uint8Array(buffer)) s += String.fromCharCode(b);
  return btoaLite(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};
function btoaLite(s) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let out = "";
  for (let i = 0; i < s.length; i += 3) {
    const n = (s.charCodeAt(i) << 16) | ((s.charCodeAt(i + 1) || 0) << 8) | (s.charCodeAt(i + 2) || 0);
    out += alphabet[(n >> 18) & 63] + alphabet[(n >> 12) & 63] +
      (i + 1 < s.length ? alphabet[(n >> 6) & 63] : "=") + (i + 2 < s.length ? alphabet[n & 63] : "=");
  }
  return out;
}
// RFC 8410: the fixed DER before a 32-byte Ed25519 / X25519 private key in PKCS #8.
const ED25519_PKCS8 = unhex("302e020100300506032b657004220420");
const X25519_PKCS8 = unhex("302e020100300506032b656e04220420");

async function errorName(promise) {
  try {
    await promise;
    return "no error";
  } catch (e) {
    return e instanceof DOMException || e instanceof TypeError ? e.name : `unexpected ${e}`;
  }
}

const aesKey = (name, usages, extractable = true, raw = repeat(7, 16)) =>
  subtle.importKey("raw", raw, name, extractable, usages);

const cases = {
  // FIPS 180-4 examples (https://csrc.nist.gov/projects/cryptographic-standards-and-guidelines/example-values).
  digestVectors: async () => [
    hex(await subtle.digest("SHA-1", bytes("abc"))),
    hex(await subtle.digest("SHA-256", bytes("abc"))),
    hex(await subtle.digest("SHA-384", bytes("abc"))),
    hex(await subtle.digest("SHA-512", bytes("abc"))),
    hex(await subtle.digest({ name: "sha-256" }, new DataView(bytes("xabcx").buffer, 1, 3))),
    hex(await subtle.digest("SHA-256", new ArrayBuffer(0))),
  ],

  // RFC 4231 test cases 1 and 2.
  hmacRfc4231: async () => {
    const key1 = await subtle.importKey("raw", repeat(0x0b, 20), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    const key1b = await subtle.importKey("raw", repeat(0x0b, 20), { name: "HMAC", hash: "SHA-512" }, false, ["sign"]);
    const key2 = await subtle.importKey("raw", bytes("Jefe"), { name: "HMAC", hash: { name: "SHA-256" } }, false, ["sign"]);
    const mac = await subtle.sign("HMAC", key1, bytes("Hi There"));
    const tampered = new Uint8Array(mac.slice(0));
    tampered[0] ^= 1;
    return [hex(mac), hex(await subtle.sign("hmac", key1b, bytes("Hi There"))),
      hex(await subtle.sign("HMAC", key2, bytes("what do ya want for nothing?"))),
      await subtle.verify("HMAC", key1, mac, bytes("Hi There")),
      await subtle.verify("HMAC", key1, tampered, bytes("Hi There"))];
  },

  // RFC 5869 test cases 1 and 3.
  hkdfRfc5869: async () => {
    const key1 = await subtle.importKey("raw", repeat(0x0b, 22), "HKDF", false, ["deriveBits"]);
    const okm1 = await subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: unhex("000102030405060708090a0b0c"),
      info: unhex("f0f1f2f3f4f5f6f7f8f9") }, key1, 42 * 8);
    const okm3 = await subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new Uint8Array(0) },
      key1, 42 * 8);
    return [hex(okm1), hex(okm3)];
  },

  // RFC 6070 PBKDF2-HMAC-SHA1.
  pbkdf2Rfc6070: async () => {
    const password = await subtle.importKey("raw", bytes("password"), "PBKDF2", false, ["deriveBits"]);
    const run = (key, salt, iterations, length) =>
      subtle.deriveBits({ name: "PBKDF2", hash: "SHA-1", salt: bytes(salt), iterations }, key, length * 8).then(hex);
    const nul = await subtle.importKey("raw", bytes("pass\0word"), "PBKDF2", false, ["deriveBits"]);
    return [await run(password, "salt", 1, 20), await run(password, "salt", 2, 20),
      await run(password, "salt", 4096, 20), await run(nul, "sa\0lt", 4096, 16)];
  },

  // The GCM specification's test cases 2 and 4 (McGrew and Viega, as used by NIST's CAVP).
  aesGcmVectors: async () => {
    const zero = await aesKey("AES-GCM", ["encrypt"], false, new Uint8Array(16));
    const tc2 = await subtle.encrypt({ name: "AES-GCM", iv: new Uint8Array(12) }, zero, new Uint8Array(16));
    const key = await aesKey("AES-GCM", ["encrypt", "decrypt"], false, unhex("feffe9928665731c6d6a8f9467308308"));
    const params = { name: "AES-GCM", iv: unhex("cafebabefacedbaddecaf888"),
      additionalData: unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2") };
    const plain = unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    const tc4 = await subtle.encrypt(params, key, plain);
    return [hex(tc2), hex(tc4), hex(await subtle.decrypt(params, key, tc4)) === hex(plain)];
  },

  aesGcmShortTags: async () => {
    const key = await aesKey("AES-GCM", ["encrypt", "decrypt"]);
    const out = [];
    for (const tagLength of [32, 64, 96, 128]) {
      const params = { name: "AES-GCM", iv: repeat(1, 12), additionalData: bytes("aad"), tagLength };
      const sealed = await subtle.encrypt(params, key, bytes("seventeen bytes!!"));
      const opened = await subtle.decrypt(params, key, sealed);
      const tampered = new Uint8Array(sealed);
      tampered[tampered.length - 1] ^= 1;
      out.push([sealed.byteLength, hex(opened) === hex(bytes("seventeen bytes!!")),
        await errorName(subtle.decrypt(params, key, tampered))]);
    }
    out.push(await errorName(subtle.encrypt({ name: "AES-GCM", iv: repeat(1, 12), tagLength: 40 }, key, bytes("x"))));
    return out;
  },

  aesGcmTagMismatch: async () => {
    const key = await aesKey("AES-GCM", ["encrypt", "decrypt"]);
    const sealed = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv: repeat(2, 12) }, key, bytes("secret")));
    sealed[0] ^= 0x80;
    return errorName(subtle.decrypt({ name: "AES-GCM", iv: repeat(2, 12) }, key, sealed));
  },

  // NIST SP 800-38A F.2.1 (CBC-AES128, first block) and F.5.1 (CTR-AES128, first block).
  aesCbcCtrVectors: async () => {
    const raw = unhex("2b7e151628aed2a6abf7158809cf4f3c");
    const cbc = await aesKey("AES-CBC", ["encrypt", "decrypt"], false, raw);
    const ctr = await aesKey("AES-CTR", ["encrypt", "decrypt"], false, raw);
    const block = unhex("6bc1bee22e409f96e93d7e117393172a");
    const iv = unhex("000102030405060708090a0b0c0d0e0f");
    const cbcOut = await subtle.encrypt({ name: "AES-CBC", iv }, cbc, block);
    const ctrOut = await subtle.encrypt({ name: "AES-CTR", counter: unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), length: 64 },
      ctr, block);
    return [hex(cbcOut).slice(0, 32), cbcOut.byteLength, hex(await subtle.decrypt({ name: "AES-CBC", iv }, cbc, cbcOut)),
      hex(ctrOut), await errorName(subtle.encrypt({ name: "AES-CBC", iv: new Uint8Array(8) }, cbc, block))];
  },

  // Only the counter's rightmost `length` bits count: with length 8 the block after ...ff is ...00.
  aesCtrCounterWraps: async () => {
    const key = await aesKey("AES-CTR", ["encrypt", "decrypt"]);
    const counter = unhex("000102030405060708090a0b0c0d0eff");
    const data = repeat(0, 48);
    const wrapped = new Uint8Array(await subtle.encrypt({ name: "AES-CTR", counter, length: 8 }, key, data));
    const restart = new Uint8Array(await subtle.encrypt({ name: "AES-CTR",
      counter: unhex("000102030405060708090a0b0c0d0e00"), length: 8 }, key, repeat(0, 16)));
    const carried = new Uint8Array(await subtle.encrypt({ name: "AES-CTR", counter, length: 128 }, key, data));
    return [hex(wrapped.slice(16, 32)) === hex(restart), hex(carried.slice(16, 32)) === hex(restart),
      hex(await subtle.decrypt({ name: "AES-CTR", counter, length: 8 }, key, wrapped)) === hex(data),
      await errorName(subtle.encrypt({ name: "AES-CTR", counter, length: 0 }, key, data)),
      await errorName(subtle.encrypt({ name: "AES-CTR", counter, length: 1 }, key, data))];
  },

  // RFC 3394 section 4.1: 128-bit key data with a 128-bit KEK.
  aesKwRfc3394: async () => {
    const kek = await aesKey("AES-KW", ["wrapKey", "unwrapKey"], false, unhex("000102030405060708090a0b0c0d0e0f"));
    const key = await aesKey("AES-CBC", ["encrypt"], true, unhex("00112233445566778899aabbccddeeff"));
    const wrapped = await subtle.wrapKey("raw", key, kek, "AES-KW");
    const unwrapped = await subtle.unwrapKey("raw", wrapped, kek, "AES-KW", "AES-CBC", true, ["decrypt"]);
    const bad = new Uint8Array(wrapped.slice(0));
    bad[3] ^= 1;
    return [hex(wrapped), hex(await subtle.exportKey("raw", unwrapped)), unwrapped.usages,
      await errorName(subtle.unwrapKey("raw", bad, kek, "AES-KW", "AES-CBC", true, ["decrypt"]))];
  },

  wrapWithEncryptAlgorithms: async () => {
    const wrapper = await aesKey("AES-GCM", ["wrapKey", "unwrapKey"]);
    const hmac = await subtle.generateKey({ name: "HMAC", hash: "SHA-384" }, true, ["sign", "verify"]);
    const params = { name: "AES-GCM", iv: repeat(3, 12) };
    const wrapped = await subtle.wrapKey("jwk", hmac, wrapper, params);
    const back = await subtle.unwrapKey("jwk", wrapped, wrapper, params, { name: "HMAC", hash: "SHA-384" }, false, ["sign"]);
    const data = bytes("data");
    const rsa = await subtle.generateKey({ name: "RSA-OAEP", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256" }, true, ["wrapKey", "unwrapKey"]);
    const aes = await aesKey("AES-CTR", ["encrypt"]);
    const rsaWrapped = await subtle.wrapKey("raw", aes, rsa.publicKey, { name: "RSA-OAEP" });
    const rsaBack = await subtle.unwrapKey("raw", rsaWrapped, rsa.privateKey, "RSA-OAEP", "AES-CTR", true, ["encrypt"]);
    return [hex(await subtle.sign("HMAC", hmac, data)) === hex(await subtle.sign("HMAC", back, data)),
      back.algorithm.length, back.extractable, hex(await subtle.exportKey("raw", rsaBack)),
      await errorName(subtle.wrapKey("raw", await aesKey("AES-CTR", ["encrypt"], false), wrapper, params)),
      // AES-KW wraps whole 64-bit blocks only.
      await errorName(subtle.wrapKey("raw", await subtle.importKey("raw", repeat(1, 12), { name: "HMAC", hash: "SHA-1" }, true,
        ["sign"]), await aesKey("AES-KW", ["wrapKey"]), "AES-KW"))];
  },

  // RFC 8032 section 7.1, tests 1 and 2.
  ed25519Rfc8032: async () => {
    const secret1 = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    const public1 = unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    const private1 = await subtle.importKey("pkcs8", concat(ED25519_PKCS8, secret1), "Ed25519", true, ["sign"]);
    const verifier1 = await subtle.importKey("raw", public1, { name: "ed25519" }, true, ["verify"]);
    const sig1 = await subtle.sign("Ed25519", private1, new Uint8Array(0));
    const jwk2 = { kty: "OKP", crv: "Ed25519", d: b64url(unhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")),
      x: b64url(unhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")) };
    const private2 = await subtle.importKey("jwk", jwk2, "Ed25519", false, ["sign"]);
    const sig2 = await subtle.sign("Ed25519", private2, unhex("72"));
    // The public half of a PKCS #8 key, as its JWK export shows it.
    const exported = await subtle.exportKey("jwk", private1);
    return [hex(sig1), await subtle.verify("Ed25519", verifier1, sig1, new Uint8Array(0)),
      await subtle.verify("Ed25519", verifier1, sig1, unhex("00")), hex(sig2),
      exported.x === b64url(public1), exported.crv, exported.kty,
      await errorName(subtle.importKey("jwk", { ...jwk2, x: b64url(public1) }, "Ed25519", false, ["sign"]))];
  },

  // RFC 7748 section 6.1.
  x25519Rfc7748: async () => {
    const alice = await subtle.importKey("pkcs8",
      concat(X25519_PKCS8, unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")), "X25519", true,
      ["deriveBits"]);
    const bobPublic = await subtle.importKey("raw",
      unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), "X25519", true, []);
    const shared = await subtle.deriveBits({ name: "X25519", public: bobPublic }, alice, 256);
    const alicePublic = (await subtle.exportKey("jwk", alice)).x;
    const partial = await subtle.deriveBits({ name: "X25519", public: bobPublic }, alice, 12);
    return [hex(shared), alicePublic === b64url(unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")),
      hex(partial), await errorName(subtle.deriveBits({ name: "X25519", public: bobPublic }, alice, 512))];
  },

  generatedOkpRoundTrips: async () => {
    const ed = await subtle.generateKey("Ed25519", true, ["sign", "verify"]);
    const sig = await subtle.sign("Ed25519", ed.privateKey, bytes("m"));
    const spki = await subtle.exportKey("spki", ed.publicKey);
    const reimported = await subtle.importKey("spki", spki, "Ed25519", true, ["verify"]);
    const jwk = await subtle.exportKey("jwk", ed.privateKey);
    const fromJwk = await subtle.importKey("jwk", jwk, "Ed25519", true, ["sign"]);
    const a = await subtle.generateKey({ name: "X25519" }, true, ["deriveBits", "deriveKey"]);
    const b = await subtle.generateKey({ name: "X25519" }, true, ["deriveBits"]);
    const ab = await subtle.deriveBits({ name: "X25519", public: b.publicKey }, a.privateKey, 256);
    const ba = await subtle.deriveBits({ name: "X25519", public: a.publicKey }, b.privateKey, 256);
    const derived = await subtle.deriveKey({ name: "X25519", public: b.publicKey }, a.privateKey,
      { name: "AES-GCM", length: 128 }, true, ["encrypt"]);
    return [sig.byteLength, await subtle.verify("Ed25519", reimported, sig, bytes("m")), spki.byteLength,
      hex(await subtle.sign("Ed25519", fromJwk, bytes("m"))) === hex(sig), ed.publicKey.usages, ed.privateKey.usages,
      hex(ab) === hex(ba), a.publicKey.usages, (await subtle.exportKey("raw", derived)).byteLength,
      (await subtle.exportKey("pkcs8", a.privateKey)).byteLength];
  },

  rsaRoundTrips: async () => {
    const gen = (name, usages) => subtle.generateKey({ name, modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256" }, true, usages);
    const pkcs1 = await gen("RSASSA-PKCS1-v1_5", ["sign", "verify"]);
    const pss = await gen("RSA-PSS", ["sign", "verify"]);
    const oaep = await gen("RSA-OAEP", ["encrypt", "decrypt"]);
    const data = bytes("message");
    const sig1 = await subtle.sign("RSASSA-PKCS1-v1_5", pkcs1.privateKey, data);
    const sig2 = await subtle.sign({ name: "RSA-PSS", saltLength: 32 }, pss.privateKey, data);
    const label = bytes("label");
    const sealed = await subtle.encrypt({ name: "RSA-OAEP", label }, oaep.publicKey, data);
    const opened = await subtle.decrypt({ name: "RSA-OAEP", label }, oaep.privateKey, sealed);
    const jwk = await subtle.exportKey("jwk", pkcs1.privateKey);
    const fromJwk = await subtle.importKey("jwk", jwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["sign"]);
    const pkcs8 = await subtle.exportKey("pkcs8", pss.privateKey);
    const fromPkcs8 = await subtle.importKey("pkcs8", pkcs8, { name: "RSA-PSS", hash: "SHA-256" }, true, ["sign"]);
    const spki = await subtle.exportKey("spki", oaep.publicKey);
    const fromSpki = await subtle.importKey("spki", spki, { name: "RSA-OAEP", hash: "SHA-256" }, true, ["encrypt"]);
    const publicJwk = await subtle.exportKey("jwk", oaep.publicKey);
    return [
      sig1.byteLength, await subtle.verify("RSASSA-PKCS1-v1_5", pkcs1.publicKey, sig1, data),
      await subtle.verify({ name: "RSA-PSS", saltLength: 32 }, pss.publicKey, sig2, data),
      await subtle.verify({ name: "RSA-PSS", saltLength: 32 }, pss.publicKey, sig2, bytes("other")),
      hex(opened) === hex(data), await errorName(subtle.decrypt({ name: "RSA-OAEP" }, oaep.privateKey, sealed)),
      Object.keys(jwk).sort().join(","), jwk.alg, jwk.kty,
      hex(await subtle.sign("RSASSA-PKCS1-v1_5", fromJwk, data)) === hex(sig1),
      await subtle.verify({ name: "RSA-PSS", saltLength: 32 }, pss.publicKey,
        await subtle.sign({ name: "RSA-PSS", saltLength: 32 }, fromPkcs8, data), data),
      hex(await subtle.exportKey("spki", fromSpki)) === hex(spki), publicJwk.alg, publicJwk.e,
      pkcs1.publicKey.algorithm.modulusLength, hex(pkcs1.publicKey.algorithm.publicExponent),
      pkcs1.publicKey.algorithm.hash.name, pkcs1.publicKey.extractable,
      await errorName(subtle.importKey("jwk", jwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-384" }, true, ["sign"])),
      await errorName(subtle.sign("RSASSA-PKCS1-v1_5", pkcs1.publicKey, data)),
    ];
  },

  // ECDSA signatures are IEEE P1363 r || s, each at the curve's size: 64, 96 and 132 bytes.
  ecdsaP1363: async () => {
    const out = [];
    for (const [namedCurve, hash] of [["P-256", "SHA-256"], ["P-384", "SHA-384"], ["P-521", "SHA-512"]]) {
      const pair = await subtle.generateKey({ name: "ECDSA", namedCurve }, true, ["sign", "verify"]);
      const sig = await subtle.sign({ name: "ECDSA", hash }, pair.privateKey, bytes("m"));
      const short = sig.slice(1);
      out.push([sig.byteLength, await subtle.verify({ name: "ECDSA", hash }, pair.publicKey, sig, bytes("m")),
        await subtle.verify({ name: "ECDSA", hash }, pair.publicKey, sig, bytes("n")),
        await subtle.verify({ name: "ECDSA", hash }, pair.publicKey, short, bytes("m"))]);
    }
    return out;
  },

  // A fixed P-256 key (RFC 6979 appendix A.2.5) through every format.
  ecKeyFormats: async () => {
    const d = unhex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
    const x = unhex("60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6");
    const y = unhex("7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
    const jwk = { kty: "EC", crv: "P-256", x: b64url(x), y: b64url(y), d: b64url(d) };
    const privateKey = await subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
    const raw = await subtle.importKey("raw", concat(new Uint8Array([4]), x, y), { name: "ECDSA", namedCurve: "P-256" }, true,
      ["verify"]);
    const sig = await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, bytes("sample"));
    const pkcs8 = await subtle.exportKey("pkcs8", privateKey);
    // Imported from PKCS #8 alone, its JWK export still has the public point.
    const fromPkcs8 = await subtle.importKey("pkcs8", pkcs8, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
    const again = await subtle.exportKey("jwk", fromPkcs8);
    const spki = await subtle.exportKey("spki", raw);
    const offCurve = concat(new Uint8Array([4]), x, x);
    return [await subtle.verify({ name: "ECDSA", hash: "SHA-256" }, raw, sig, bytes("sample")),
      hex(await subtle.exportKey("raw", raw)) === hex(concat(new Uint8Array([4]), x, y)),
      again.x === jwk.x && again.y === jwk.y && again.d === jwk.d, Object.keys(again).sort().join(","),
      (await subtle.importKey("spki", spki, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"])).algorithm.namedCurve,
      await errorName(subtle.importKey("raw", offCurve, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"])),
      await errorName(subtle.importKey("spki", spki, { name: "ECDSA", namedCurve: "P-384" }, true, ["verify"])),
      await errorName(subtle.importKey("jwk", { ...jwk, crv: "P-384" }, { name: "ECDSA", namedCurve: "P-256" }, true,
        ["sign"])),
      await errorName(subtle.generateKey({ name: "ECDSA", namedCurve: "P-192" }, true, ["sign"]))];
  },

  ecdhDerive: async () => {
    const a = await subtle.generateKey({ name: "ECDH", namedCurve: "P-384" }, true, ["deriveBits", "deriveKey"]);
    const b = await subtle.generateKey({ name: "ECDH", namedCurve: "P-384" }, true, ["deriveBits"]);
    const other = await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const ab = await subtle.deriveBits({ name: "ECDH", public: b.publicKey }, a.privateKey, null);
    const ba = await subtle.deriveBits({ name: "ECDH", public: a.publicKey }, b.privateKey, 384);
    const key = await subtle.deriveKey({ name: "ECDH", public: b.publicKey }, a.privateKey,
      { name: "HMAC", hash: "SHA-256", length: 256 }, true, ["sign"]);
    return [ab.byteLength, hex(ab) === hex(ba), key.algorithm.length, key.type,
      await errorName(subtle.deriveBits({ name: "ECDH", public: other.publicKey }, a.privateKey, 256)),
      await errorName(subtle.deriveBits({ name: "ECDH", public: b.privateKey }, a.privateKey, 256)),
      await errorName(subtle.deriveBits({ name: "ECDH", public: b.publicKey }, a.publicKey, 256))];
  },

  deriveKeyFromPassword: async () => {
    const password = await subtle.importKey("raw", bytes("hunter2"), { name: "PBKDF2" }, false, ["deriveKey"]);
    const key = await subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt: bytes("salt"), iterations: 1000 }, password,
      { name: "AES-CBC", length: 256 }, false, ["encrypt", "decrypt"]);
    const hkdf = await subtle.importKey("raw", bytes("ikm"), "HKDF", false, ["deriveKey"]);
    const hmac = await subtle.deriveKey({ name: "HKDF", hash: "SHA-512", salt: new Uint8Array(0), info: new Uint8Array(0) },
      hkdf, { name: "HMAC", hash: "SHA-512" }, true, ["sign"]);
    return [key.algorithm.name, key.algorithm.length, key.extractable, key.usages, hmac.algorithm.length,
      await errorName(subtle.importKey("raw", bytes("p"), "PBKDF2", true, ["deriveKey"])),
      await errorName(subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: bytes("s"), iterations: 1 }, password, 256)),
      await errorName(subtle.exportKey("raw", password))];
  },

  secretKeysAndJwk: async () => {
    const hmac = await subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, true, ["sign", "verify", "sign"]);
    const aes = await subtle.generateKey({ name: "AES-GCM", length: 192 }, true, ["decrypt", "encrypt"]);
    const jwk = await subtle.exportKey("jwk", aes);
    const back = await subtle.importKey("jwk", jwk, "AES-GCM", true, ["encrypt"]);
    const hmacJwk = await subtle.exportKey("jwk", hmac);
    const shortHmac = await subtle.importKey("raw", repeat(1, 4), { name: "HMAC", hash: "SHA-1", length: 28 }, true, ["sign"]);
    return [hmac.algorithm.length, hmac.usages, aes.usages, jwk.alg, jwk.kty, jwk.ext, jwk.key_ops, jwk.k.length,
      Object.keys(jwk).join(","), hex(await subtle.exportKey("raw", back)) === hex(await subtle.exportKey("raw", aes)),
      hmacJwk.alg, shortHmac.algorithm.length,
      await errorName(subtle.importKey("jwk", { ...jwk, alg: "A128GCM" }, "AES-GCM", true, ["encrypt"])),
      await errorName(subtle.importKey("jwk", { ...jwk, ext: false }, "AES-GCM", true, ["encrypt"])),
      await errorName(subtle.importKey("jwk", { ...jwk, key_ops: ["decrypt"] }, "AES-GCM", false, ["encrypt"])),
      await errorName(subtle.importKey("jwk", { ...jwk, kty: "RSA" }, "AES-GCM", false, ["encrypt"])),
      await errorName(subtle.importKey("jwk", { ...jwk, k: "not base64url!" }, "AES-GCM", false, ["encrypt"])),
      await errorName(subtle.importKey("raw", aes, "AES-GCM", false, ["encrypt"])),
      await errorName(subtle.generateKey({ name: "AES-CTR", length: 100 }, true, ["encrypt"]))];
  },

  keyObjectModel: async () => {
    const key = await aesKey("AES-CTR", ["decrypt", "encrypt", "encrypt"], false);
    let constructed;
    try {
      new CryptoKey();
      constructed = "constructed";
    } catch (e) {
      constructed = e.name;
    }
    const getter = Object.getOwnPropertyDescriptor(CryptoKey.prototype, "type").get;
    let forged;
    try {
      getter.call(Object.create(CryptoKey.prototype));
    } catch (e) {
      forged = e.name;
    }
    return [key.type, key.extractable, key.algorithm, key.usages, key.algorithm === key.algorithm,
      key.usages === key.usages, Object.prototype.toString.call(key), String(crypto.subtle), String(crypto),
      constructed, forged, typeof CryptoKey, typeof SubtleCrypto, typeof Crypto,
      Object.getOwnPropertyDescriptor(globalThis, "Crypto").enumerable,
      await errorName(subtle.exportKey("raw", Object.create(CryptoKey.prototype))),
      await errorName(subtle.encrypt({ name: "AES-CTR", counter: new Uint8Array(16), length: 64 }, {}, bytes("x")))];
  },

  // A CryptoKey's material stays in Java: nothing on the object leads there.
  keyHidesItsMaterial: async () => {
    const key = await aesKey("AES-GCM", ["encrypt"], false);
    key.algorithm.name = "AES-CTR";
    key.usages.push("decrypt");
    const seen = [];
    for (const k in key) seen.push(k);
    return [Reflect.ownKeys(key).length, JSON.stringify(key), JSON.stringify({ ...key }), seen.sort().join(","),
      Object.getOwnPropertySymbols(key).length, typeof Java, typeof Polyglot,
      await errorName(subtle.exportKey("raw", key)),
      await errorName(subtle.decrypt({ name: "AES-GCM", iv: repeat(0, 12) }, key, repeat(0, 32))),
      (await subtle.encrypt({ name: "AES-GCM", iv: repeat(0, 12) }, key, bytes("x"))).byteLength];
  },

  errorPaths: async () => {
    const encryptOnly = await aesKey("AES-CBC", ["encrypt"]);
    let threw = false;
    let promise;
    try {
      promise = subtle.digest();
    } catch {
      threw = true;
    }
    return [
      await errorName(subtle.decrypt({ name: "AES-CBC", iv: new Uint8Array(16) }, encryptOnly, new Uint8Array(16))),
      await errorName(subtle.encrypt({ name: "AES-CTR", counter: new Uint8Array(16), length: 64 }, encryptOnly, bytes("x"))),
      await errorName(subtle.importKey("raw", repeat(1, 15), "AES-CBC", true, ["encrypt"])),
      await errorName(subtle.importKey("spki", repeat(1, 40), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"])),
      await errorName(subtle.importKey("pkcs8", repeat(1, 40), { name: "RSA-PSS", hash: "SHA-256" }, true, ["sign"])),
      await errorName(subtle.digest("SHA-3", bytes("x"))),
      await errorName(subtle.digest({ name: "AES-\u212AW" }, bytes("x"))),
      await errorName(subtle.generateKey({ name: "FOO" }, true, ["sign"])),
      await errorName(subtle.exportKey("raw", await aesKey("AES-CBC", ["encrypt"], false))),
      await errorName(subtle.importKey("raw", repeat(1, 16), "AES-CBC", true, ["sign"])),
      await errorName(subtle.importKey("raw", repeat(1, 16), "AES-CBC", true, [])),
      await errorName(subtle.importKey("raw", repeat(1, 16), "AES-CBC", true, ["bogus"])),
      await errorName(subtle.encrypt({ name: "AES-CBC" }, encryptOnly, bytes("x"))),
      await errorName(subtle.exportKey("spki", encryptOnly)),
      await errorName(subtle.importKey("jwk", repeat(1, 16), "AES-CBC", true, ["encrypt"])),
      await errorName(SubtleCrypto.prototype.digest.call({}, "SHA-256", bytes("x"))),
      threw, await errorName(promise),
      await errorName(subtle.generateKey({ name: "HMAC" }, true, ["sign"])),
      await errorName(subtle.sign("HMAC", encryptOnly, bytes("x"))),
    ];
  },

  // Limits a shared process needs (README): no heap-sized outputs, no RSA search past 4096 bits.
  resourceCaps: async () => {
    const password = await subtle.importKey("raw", bytes("p"), "PBKDF2", false, ["deriveBits"]);
    return [
      await errorName(subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: bytes("s"), iterations: 1 }, password,
        (1 << 21) * 8)),
      await errorName(subtle.generateKey({ name: "HMAC", hash: "SHA-256", length: 2 ** 32 - 1 }, true, ["sign"])),
      await errorName(subtle.generateKey({ name: "RSA-PSS", modulusLength: 8192, publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256" }, true, ["sign"])),
      (await subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: bytes("s"), iterations: 1 }, password,
        (1 << 20) * 8)).byteLength,
    ];
  },

  // The prelude calls its own copies of built-ins: an app patching them changes nothing.
  patchedBuiltins: async () => {
    const includes = Array.prototype.includes;
    const slice = ArrayBuffer.prototype.slice;
    Array.prototype.includes = () => true;
    ArrayBuffer.prototype.slice = () => new ArrayBuffer(0);
    try {
      return [await errorName(subtle.importKey("raw", repeat(1, 16), "AES-CBC", true, ["sign"])),
        hex(await subtle.digest("SHA-1", bytes("abc")))];
    } finally {
      Array.prototype.includes = includes;
      ArrayBuffer.prototype.slice = slice;
    }
  },

  randomValues: () => {
    const array = new Uint32Array(8);
    const same = crypto.getRandomValues(array) === array;
    const big = new Uint8Array(65536);
    crypto.getRandomValues(big);
    const nonZero = big.some((b) => b !== 0);
    const offset = new Uint8Array(32);
    crypto.getRandomValues(new Uint8Array(offset.buffer, 8, 8));
    const name = (fn) => {
      try {
        fn();
        return "no error";
      } catch (e) {
        return `${e.name}/${e instanceof DOMException}`;
      }
    };
    const uuids = [crypto.randomUUID(), crypto.randomUUID()];
    return [same, nonZero, offset.slice(0, 8).every((b) => b === 0) && offset.slice(16).every((b) => b === 0),
      name(() => crypto.getRandomValues(new Float64Array(2))),
      name(() => crypto.getRandomValues(new DataView(new ArrayBuffer(4)))),
      name(() => crypto.getRandomValues(new Uint8Array(65537))),
      name(() => crypto.getRandomValues([1, 2])), name(() => Crypto.prototype.randomUUID.call({})),
      uuids.every((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u)),
      uuids[0] !== uuids[1], crypto.subtle === crypto.subtle];
  },
};

export default {
  async fetch(request) {
    // ?case=a,b runs only those cases: each request stays well inside the app's CPU limit.
    const only = new URL(request.url).searchParams.get("case")?.split(",") ?? null;
    const results = {};
    for (const name of Object.keys(cases)) {
      if (only !== null && !only.includes(name)) continue;
      try {
        results[name] = await cases[name]();
      } catch (e) {
        results[name] = { error: e?.name ?? String(e), message: e?.message };
      }
    }
    return new Response(JSON.stringify(results), { headers: { "content-type": "application/json" } });
  },
};
