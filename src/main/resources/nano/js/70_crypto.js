// Web Cryptography API (https://w3c.github.io/webcrypto/): Crypto, SubtleCrypto and CryptoKey.
// The object model, algorithm normalization, key usages and JWK members live here; key
// material and every cipher, signature and derivation live in Java (binding.crypto, SubtleOps).
// A CryptoKey keeps its Java handle in a private field: app code cannot read or forge it.
//
// Every SubtleCrypto method returns a promise and never throws: WebIDL turns errors in argument
// conversion into rejected promises, and the spec rejects for everything after that. The work
// runs synchronously on the event loop for now (see SubtleOps for what should move off it).
const {
  ArrayBuffer,
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  ArrayBufferPrototypeSlice,
  ArrayPrototypeIncludes,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  JSONParse,
  JSONStringify,
  MathCeil,
  NumberPrototypeToString,
  ObjectCreate,
  ObjectFreeze,
  ObjectPrototypeHasOwnProperty,
  Promise,
  PromiseReject,
  PromiseResolve,
  RegExpPrototypeTest,
  StringPrototypeToLowerCase,
  StringPrototypePadStart,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSlice,
  Uint8Array,
} = internals.primordials;
const { webidl, DOMException } = internals;
const { stateOf, setState, converters } = webidl;
const host = binding.crypto;

/** Only the prelude holds this: the interfaces' constructors are illegal for app code. */
const kConstruct = ObjectFreeze(ObjectCreate(null));

const domError = (name, message) => new DOMException(message, name);

/** A Java result, or the DOMException SubtleOps recorded when it returned null. */
function fromHost(result) {
  if (result === null || result === undefined) {
    throw domError(host.failureName(), host.failureMessage());
  }
  return result;
}

/** A JS-owned ArrayBuffer with the bytes of a Java ByteBuffer. */
function bufferFromHost(hostBuffer) {
  const wrapped = new Uint8Array(new ArrayBuffer(fromHost(hostBuffer)));
  const copy = new Uint8Array(TypedArrayPrototypeGetLength(wrapped));
  TypedArrayPrototypeSet(copy, wrapped);
  return TypedArrayPrototypeGetBuffer(copy);
}

/** https://webidl.spec.whatwg.org/#dfn-get-buffer-source-copy: an ArrayBuffer of exactly the bytes. */
function copyBufferSource(source) {
  if (!ArrayBufferIsView(source)) {
    return ArrayBufferPrototypeSlice(source, 0, ArrayBufferPrototypeGetByteLength(source));
  }
  if (TypedArrayPrototypeGetSymbolToStringTag(source) === undefined) {
    const offset = DataViewPrototypeGetByteOffset(source);
    return ArrayBufferPrototypeSlice(DataViewPrototypeGetBuffer(source), offset,
      offset + DataViewPrototypeGetByteLength(source));
  }
  const offset = TypedArrayPrototypeGetByteOffset(source);
  return ArrayBufferPrototypeSlice(TypedArrayPrototypeGetBuffer(source), offset,
    offset + TypedArrayPrototypeGetByteLength(source));
}

const byteLength = (buffer) => ArrayBufferPrototypeGetByteLength(buffer);

/** A copy of a runtime-owned array, by index: array spread and for...of use the patchable iterator. */
function copyList(list) {
  const copy = [];
  for (let i = 0; i < list.length; i++) ArrayPrototypePush(copy, list[i]);
  return copy;
}

function utf8(text) {
  return bufferFromHost(binding.encoding.encodeUtf8(text));
}

// ---- CryptoKey (https://w3c.github.io/webcrypto/#cryptokey-interface)

// https://w3c.github.io/webcrypto/#dfn-RecognizedKeyUsage, in the spec's order (usage
// intersections list usages in this order).
const RECOGNIZED_USAGES = ["encrypt", "decrypt", "sign", "verify", "deriveKey", "deriveBits", "wrapKey", "unwrapKey"];
converters.KeyUsage = webidl.createEnumConverter("KeyUsage", RECOGNIZED_USAGES);
converters["sequence<KeyUsage>"] = webidl.createSequenceConverter(converters.KeyUsage);
converters.KeyFormat = webidl.createEnumConverter("KeyFormat", ["raw", "spki", "pkcs8", "jwk"]);

let slotsOf;
let isCryptoKey;

class CryptoKey {
  // { type, extractable, algorithm (internal, null prototype), usages, handle (Java) } plus the
  // objects the getters return. One private field: app code can neither read nor forge it.
  #slots;

  constructor(token, type, extractable, algorithm, usages, handle) {
    if (token !== kConstruct) webidl.illegalConstructor();
    this.#slots = { type, extractable, algorithm, usages, handle, algorithmObject: null, usagesObject: null };
  }

  static {
    slotsOf = (key) => key.#slots;
    isCryptoKey = (value) => typeof value === "object" && value !== null && #slots in value;
  }

  get type() {
    return brandedKey(this).type;
  }

  get extractable() {
    return brandedKey(this).extractable;
  }

  /** [[algorithm_cached]]: the same object on every read; changing it changes nothing. */
  get algorithm() {
    const slots = brandedKey(this);
    slots.algorithmObject ??= exposeAlgorithm(slots.algorithm);
    return slots.algorithmObject;
  }

  get usages() {
    const slots = brandedKey(this);
    slots.usagesObject ??= copyList(slots.usages);
    return slots.usagesObject;
  }
}
webidl.configureInterface(CryptoKey);

function brandedKey(value) {
  if (!isCryptoKey(value)) throw new TypeError("Illegal invocation");
  return slotsOf(value);
}

converters.CryptoKey = (V, prefix, context) => {
  if (!isCryptoKey(V)) {
    throw webidl.makeException(TypeError, "is not of type 'CryptoKey'.", prefix, context);
  }
  return V;
};

/** The KeyAlgorithm dictionary as app code sees it (fresh objects, so the internal one stays put). */
function exposeAlgorithm(algorithm) {
  const result = { name: algorithm.name };
  if (algorithm.length !== undefined) result.length = algorithm.length;
  if (algorithm.namedCurve !== undefined) result.namedCurve = algorithm.namedCurve;
  if (algorithm.modulusLength !== undefined) {
    result.modulusLength = algorithm.modulusLength;
    result.publicExponent = TypedArrayPrototypeSlice(algorithm.publicExponent);
  }
  if (algorithm.hash !== undefined) result.hash = { name: algorithm.hash.name };
  return result;
}

function newKey(type, extractable, algorithm, usages, handle) {
  return new CryptoKey(kConstruct, type, extractable, algorithm, usages, handle);
}

// ---- Algorithm normalization (https://w3c.github.io/webcrypto/#algorithm-normalization-normalize-an-algorithm)

/** Dictionary members per params type, as [key, idlType, required]. */
const DICTIONARIES = {
  AesCtrParams: [["counter", "BufferSource", true], ["length", "octet", true]],
  AesCbcParams: [["iv", "BufferSource", true]],
  AesGcmParams: [["additionalData", "BufferSource", false], ["iv", "BufferSource", true],
    ["tagLength", "octet", false]],
  AesKeyGenParams: [["length", "unsigned short", true]],
  AesDerivedKeyParams: [["length", "unsigned short", true]],
  HmacKeyGenParams: [["hash", "HashAlgorithmIdentifier", true], ["length", "unsigned long", false]],
  HmacImportParams: [["hash", "HashAlgorithmIdentifier", true], ["length", "unsigned long", false]],
  RsaHashedKeyGenParams: [["hash", "HashAlgorithmIdentifier", true], ["modulusLength", "unsigned long", true],
    ["publicExponent", "BigInteger", true]],
  RsaHashedImportParams: [["hash", "HashAlgorithmIdentifier", true]],
  RsaPssParams: [["saltLength", "unsigned long", true]],
  RsaOaepParams: [["label", "BufferSource", false]],
  EcKeyGenParams: [["namedCurve", "DOMString", true]],
  EcKeyImportParams: [["namedCurve", "DOMString", true]],
  EcdsaParams: [["hash", "HashAlgorithmIdentifier", true]],
  EcdhKeyDeriveParams: [["public", "CryptoKey", true]],
  HkdfParams: [["hash", "HashAlgorithmIdentifier", true], ["info", "BufferSource", true],
    ["salt", "BufferSource", true]],
  Pbkdf2Params: [["hash", "HashAlgorithmIdentifier", true], ["iterations", "unsigned long", true],
    ["salt", "BufferSource", true]],
};

const RSA = ["RSASSA-PKCS1-v1_5", "RSA-PSS", "RSA-OAEP"];
const AES = ["AES-CTR", "AES-CBC", "AES-GCM", "AES-KW"];

/** https://w3c.github.io/webcrypto/#dfn-supportedAlgorithms: operation -> algorithm -> params type. */
const SUPPORTED = {
  digest: { "SHA-1": null, "SHA-256": null, "SHA-384": null, "SHA-512": null },
  encrypt: {
    "RSA-OAEP": "RsaOaepParams", "AES-CTR": "AesCtrParams", "AES-CBC": "AesCbcParams", "AES-GCM": "AesGcmParams",
  },
  sign: { "RSASSA-PKCS1-v1_5": null, "RSA-PSS": "RsaPssParams", ECDSA: "EcdsaParams", HMAC: null, Ed25519: null },
  generateKey: {
    "RSASSA-PKCS1-v1_5": "RsaHashedKeyGenParams", "RSA-PSS": "RsaHashedKeyGenParams",
    "RSA-OAEP": "RsaHashedKeyGenParams",
    ECDSA: "EcKeyGenParams", ECDH: "EcKeyGenParams", "AES-CTR": "AesKeyGenParams", "AES-CBC": "AesKeyGenParams",
    "AES-GCM": "AesKeyGenParams", "AES-KW": "AesKeyGenParams", HMAC: "HmacKeyGenParams", Ed25519: null, X25519: null,
  },
  importKey: {
    "RSASSA-PKCS1-v1_5": "RsaHashedImportParams", "RSA-PSS": "RsaHashedImportParams",
    "RSA-OAEP": "RsaHashedImportParams",
    ECDSA: "EcKeyImportParams", ECDH: "EcKeyImportParams", "AES-CTR": null, "AES-CBC": null, "AES-GCM": null,
    "AES-KW": null, HMAC: "HmacImportParams", HKDF: null, PBKDF2: null, Ed25519: null, X25519: null,
  },
  deriveBits: {
    ECDH: "EcdhKeyDeriveParams", X25519: "EcdhKeyDeriveParams", HKDF: "HkdfParams", PBKDF2: "Pbkdf2Params",
  },
  wrapKey: { "AES-KW": null },
  "get key length": {
    "AES-CTR": "AesDerivedKeyParams", "AES-CBC": "AesDerivedKeyParams", "AES-GCM": "AesDerivedKeyParams",
    "AES-KW": "AesDerivedKeyParams", HMAC: "HmacImportParams", HKDF: null, PBKDF2: null,
  },
};
SUPPORTED.decrypt = SUPPORTED.encrypt;
SUPPORTED.verify = SUPPORTED.sign;
SUPPORTED.unwrapKey = SUPPORTED.wrapKey;

const NON_ASCII = /[^\x00-\x7f]/;
const AlgorithmDictionary = webidl.createDictionaryConverter("Algorithm",
  [{ key: "name", converter: converters.DOMString, required: true }]);

/** The (object or DOMString) union of AlgorithmIdentifier. */
converters.AlgorithmIdentifier = (V, prefix, context) =>
  typeof V === "object" && V !== null || typeof V === "function" ? V : converters.DOMString(V, prefix, context);

function convertMember(idlType, value, prefix, context) {
  switch (idlType) {
    case "BufferSource":
      return copyBufferSource(converters.BufferSource(value, prefix, context));
    case "BigInteger":
      if (TypedArrayPrototypeGetSymbolToStringTag(value) !== "Uint8Array") {
        throw webidl.makeException(TypeError, "is not a Uint8Array.", prefix, context);
      }
      return TypedArrayPrototypeSlice(value);
    case "HashAlgorithmIdentifier":
      return normalizeAlgorithm(converters.AlgorithmIdentifier(value, prefix, context), "digest", prefix);
    case "CryptoKey":
      return converters.CryptoKey(value, prefix, context);
    case "DOMString":
      return converters.DOMString(value, prefix, context);
    default:
      return converters[idlType](value, prefix, context, { enforceRange: true });
  }
}

function normalizeAlgorithm(algorithm, op, prefix) {
  if (typeof algorithm === "string") {
    return normalizeAlgorithm({ name: algorithm }, op, prefix);
  }
  const initial = AlgorithmDictionary(algorithm, prefix, "Algorithm");
  const registry = SUPPORTED[op];
  let name = null;
  // ASCII case-insensitive: toLowerCase alone would match "AES-\u212AW" (Kelvin sign) to AES-KW.
  if (!RegExpPrototypeTest(NON_ASCII, initial.name)) {
    const wanted = StringPrototypeToLowerCase(initial.name);
    for (const key in registry) {
      if (StringPrototypeToLowerCase(key) === wanted) name = key;
    }
  }
  if (name === null) {
    throw domError("NotSupportedError", `Unrecognized algorithm name '${initial.name}' for ${op}`);
  }
  const normalized = ObjectCreate(null);
  normalized.name = name;
  const dictionary = registry[name];
  if (dictionary !== null) {
    // WebIDL reads a dictionary's members in lexicographic order; the table lists them so.
    const members = DICTIONARIES[dictionary];
    for (let i = 0; i < members.length; i++) {
      const key = members[i][0];
      const idlType = members[i][1];
      const required = members[i][2];
      const value = algorithm[key];
      if (value === undefined) {
        if (required) {
          throw webidl.makeException(TypeError, `can not be converted to '${dictionary}' because '${key}' is required.`,
            prefix, "Algorithm");
        }
        continue;
      }
      normalized[key] = convertMember(idlType, value, prefix, `${dictionary}, member '${key}'`);
    }
  }
  return normalized;
}

// ---- Key usages per algorithm and key type

const SIGNING = { public: ["verify"], private: ["sign"] };
const USAGES = {
  "RSASSA-PKCS1-v1_5": SIGNING, "RSA-PSS": SIGNING, ECDSA: SIGNING, Ed25519: SIGNING,
  "RSA-OAEP": { public: ["encrypt", "wrapKey"], private: ["decrypt", "unwrapKey"] },
  ECDH: { public: [], private: ["deriveKey", "deriveBits"] },
  X25519: { public: [], private: ["deriveKey", "deriveBits"] },
  "AES-CTR": { secret: ["encrypt", "decrypt", "wrapKey", "unwrapKey"] },
  "AES-CBC": { secret: ["encrypt", "decrypt", "wrapKey", "unwrapKey"] },
  "AES-GCM": { secret: ["encrypt", "decrypt", "wrapKey", "unwrapKey"] },
  "AES-KW": { secret: ["wrapKey", "unwrapKey"] },
  HMAC: { secret: ["sign", "verify"] },
  HKDF: { secret: ["deriveKey", "deriveBits"] },
  PBKDF2: { secret: ["deriveKey", "deriveBits"] },
};

/** Throws the SyntaxError the spec names when a usage is not allowed for these key types. */
function checkUsages(usages, name, types) {
  for (let i = 0; i < usages.length; i++) {
    const usage = usages[i];
    let allowed = false;
    for (let j = 0; j < types.length; j++) {
      if (ArrayPrototypeIncludes(USAGES[name][types[j]], usage)) allowed = true;
    }
    if (!allowed) throw domError("SyntaxError", `'${usage}' is not a valid usage for a ${name} key`);
  }
}

/** https://w3c.github.io/webcrypto/#concept-usage-intersection, without duplicates, in the spec's order. */
function intersectUsages(usages, allowed) {
  const result = [];
  for (let i = 0; i < RECOGNIZED_USAGES.length; i++) {
    const usage = RECOGNIZED_USAGES[i];
    if (ArrayPrototypeIncludes(usages, usage) && ArrayPrototypeIncludes(allowed, usage)) {
      ArrayPrototypePush(result, usage);
    }
  }
  return result;
}

/** The steps that follow every import and generation: a secret or private key needs a usage. */
function requireUsages(key) {
  const slots = slotsOf(key);
  if ((slots.type === "secret" || slots.type === "private") && slots.usages.length === 0) {
    throw domError("SyntaxError", "a secret or private key needs at least one usage");
  }
  return key;
}

/** The InvalidAccessError checks that open encrypt, sign, deriveBits and friends. */
function checkKeyFor(key, name, usage) {
  const slots = slotsOf(key);
  if (slots.algorithm.name !== name) {
    throw domError("InvalidAccessError", `the key is a ${slots.algorithm.name} key, not ${name}`);
  }
  if (!ArrayPrototypeIncludes(slots.usages, usage)) {
    throw domError("InvalidAccessError", `the key's usages do not include '${usage}'`);
  }
  return slots;
}

function requireType(slots, type) {
  if (slots.type !== type) {
    throw domError("InvalidAccessError", `the operation needs a ${type} key, not a ${slots.type} key`);
  }
}

// ---- Operations

const HASH_BLOCK_BITS = { "SHA-1": 512, "SHA-256": 512, "SHA-384": 1024, "SHA-512": 1024 };

function encryptOrDecrypt(encrypt, normalized, slots, data) {
  switch (normalized.name) {
    case "AES-CTR":
      return host.aesCtr(encrypt, slots.handle, normalized.counter, normalized.length, data);
    case "AES-CBC":
      return host.aesCbc(encrypt, slots.handle, normalized.iv, data);
    case "AES-GCM":
      return host.aesGcm(encrypt, slots.handle, normalized.iv, normalized.additionalData ?? null,
        normalized.tagLength ?? 128, data);
    case "RSA-OAEP":
      requireType(slots, encrypt ? "public" : "private");
      return host.rsaOaep(encrypt, slots.handle, slots.algorithm.hash.name, normalized.label ?? null, data);
    case "AES-KW":
      return host.aesKw(encrypt, slots.handle, data);
  }
  throw domError("NotSupportedError", `${normalized.name} cannot ${encrypt ? "encrypt" : "decrypt"}`);
}

/** The hash and salt length a signature algorithm uses: from the params or the key. */
function signatureParams(normalized, slots, signing) {
  if (normalized.name !== "HMAC") requireType(slots, signing ? "private" : "public");
  const hash = normalized.name === "ECDSA" ? normalized.hash.name
    : normalized.name === "Ed25519" ? "SHA-512" : slots.algorithm.hash.name;
  return { hash, saltLength: normalized.name === "RSA-PSS" ? normalized.saltLength : 0 };
}

/** https://w3c.github.io/webcrypto/#SubtleCrypto-method-deriveBits per algorithm; length in bits or null. */
function deriveBits(normalized, slots, length) {
  switch (normalized.name) {
    case "PBKDF2":
    case "HKDF": {
      if (length === null || length % 8 !== 0) {
        throw domError("OperationError", `${normalized.name} needs a length that is a multiple of 8`);
      }
      if (normalized.name === "HKDF") {
        return bufferFromHost(host.hkdf(slots.handle, normalized.hash.name, normalized.salt, normalized.info,
          length / 8));
      }
      if (normalized.iterations === 0) throw domError("OperationError", "PBKDF2 needs at least one iteration");
      return bufferFromHost(host.pbkdf2(slots.handle, normalized.hash.name, normalized.salt, normalized.iterations,
        length / 8));
    }
    default: {
      requireType(slots, "private");
      const publicSlots = slotsOf(normalized.public);
      if (publicSlots.type !== "public") throw domError("InvalidAccessError", "'public' must be a public key");
      if (publicSlots.algorithm.name !== slots.algorithm.name ||
          publicSlots.algorithm.namedCurve !== slots.algorithm.namedCurve) {
        throw domError("InvalidAccessError", "the public key's algorithm does not match the base key's");
      }
      const secret = bufferFromHost(host.agree(normalized.name, slots.handle, publicSlots.handle));
      if (length === null) return secret;
      if (length > byteLength(secret) * 8) {
        throw domError("OperationError", `the shared secret is shorter than ${length} bits`);
      }
      const bytes = new Uint8Array(ArrayBufferPrototypeSlice(secret, 0, MathCeil(length / 8)));
      if (length % 8 !== 0) bytes[bytes.length - 1] &= (0xff << (8 - length % 8)) & 0xff;
      return TypedArrayPrototypeGetBuffer(bytes);
    }
  }
}

/** https://w3c.github.io/webcrypto/#dfn-get-key-length for deriveKey's derivedKeyType. */
function keyLength(normalized) {
  switch (normalized.name) {
    case "HMAC":
      if (normalized.length === undefined) return HASH_BLOCK_BITS[normalized.hash.name];
      if (normalized.length === 0) throw new TypeError("HMAC key length must not be zero");
      return normalized.length;
    case "HKDF":
    case "PBKDF2":
      return null;
    default:
      if (normalized.length !== 128 && normalized.length !== 192 && normalized.length !== 256) {
        throw domError("OperationError", "AES key length must be 128, 192 or 256 bits");
      }
      return normalized.length;
  }
}

function namedCurveOf(normalized) {
  const curve = normalized.namedCurve;
  if (curve !== "P-256" && curve !== "P-384" && curve !== "P-521") {
    throw domError("NotSupportedError", `unsupported namedCurve '${curve}'`);
  }
  return curve;
}

function generateKey(normalized, extractable, usages) {
  const name = normalized.name;
  if (ArrayPrototypeIncludes(AES, name) || name === "HMAC") {
    checkUsages(usages, name, ["secret"]);
    const algorithm = ObjectCreate(null);
    algorithm.name = name;
    let length;
    if (name === "HMAC") {
      algorithm.hash = normalized.hash;
      length = normalized.length === undefined ? HASH_BLOCK_BITS[normalized.hash.name] : normalized.length;
      if (length === 0) throw domError("OperationError", "HMAC key length must not be zero");
    } else {
      length = keyLength(normalized);
    }
    algorithm.length = length;
    return requireUsages(newKey("secret", extractable, algorithm, intersectUsages(usages, USAGES[name].secret),
      fromHost(host.generateSecret(MathCeil(length / 8)))));
  }
  checkUsages(usages, name, ["public", "private"]);
  const algorithm = ObjectCreate(null);
  algorithm.name = name;
  if (ArrayPrototypeIncludes(RSA, name)) {
    algorithm.modulusLength = normalized.modulusLength;
    algorithm.publicExponent = normalized.publicExponent;
    algorithm.hash = normalized.hash;
    // RSA key generation takes tens of milliseconds to seconds: the host runs it on a worker
    // thread and calls back as a task of this request, so the event loop keeps serving.
    return new Promise((resolve, reject) => {
      host.generateRsaKeyPair(normalized.modulusLength,
        TypedArrayPrototypeGetBuffer(TypedArrayPrototypeSlice(normalized.publicExponent)), (generated) => {
          try {
            resolve(keyPairOf(name, algorithm, extractable, usages, fromHost(generated)));
          } catch (error) {
            reject(error);
          }
        });
    });
  }
  let handle;
  if (name === "ECDSA" || name === "ECDH") {
    algorithm.namedCurve = namedCurveOf(normalized);
    handle = fromHost(host.generateKeyPair("EC", algorithm.namedCurve));
  } else {
    handle = fromHost(host.generateKeyPair("OKP", name));
  }
  return keyPairOf(name, algorithm, extractable, usages, handle);
}

function keyPairOf(name, algorithm, extractable, usages, handle) {
  const publicKey = newKey("public", true, algorithm, intersectUsages(usages, USAGES[name].public),
    fromHost(host.publicOf(handle)));
  const privateKey = newKey("private", extractable, algorithm, intersectUsages(usages, USAGES[name].private), handle);
  requireUsages(privateKey);
  return { publicKey, privateKey };
}

// ---- JWK (https://www.rfc-editor.org/rfc/rfc7517, members per https://w3c.github.io/webcrypto/#JsonWebKey-dictionary)

const jwkString = (key) => ({ key, converter: converters.DOMString });
converters.RsaOtherPrimesInfo = webidl.createDictionaryConverter("RsaOtherPrimesInfo",
  [jwkString("r"), jwkString("d"), jwkString("t")]);
converters.JsonWebKey = webidl.createDictionaryConverter("JsonWebKey", [
  jwkString("kty"), jwkString("use"),
  { key: "key_ops", converter: webidl.createSequenceConverter(converters.DOMString) },
  jwkString("alg"), { key: "ext", converter: converters.boolean },
  jwkString("crv"), jwkString("x"), jwkString("y"), jwkString("d"), jwkString("n"), jwkString("e"),
  jwkString("p"), jwkString("q"), jwkString("dp"), jwkString("dq"), jwkString("qi"),
  { key: "oth", converter: webidl.createSequenceConverter(converters.RsaOtherPrimesInfo) }, jwkString("k"),
]);

/** The checks every algorithm's JWK import makes: kty, use, key_ops and ext. */
function checkJwk(jwk, kty, use, usages, extractable) {
  if (jwk.kty !== kty) throw domError("DataError", `the JWK's kty must be '${kty}'`);
  if (usages.length !== 0 && jwk.use !== undefined && jwk.use !== use) {
    throw domError("DataError", `the JWK's use must be '${use}'`);
  }
  if (jwk.key_ops !== undefined) {
    const seen = [];
    for (let i = 0; i < jwk.key_ops.length; i++) {
      const op = jwk.key_ops[i];
      if (ArrayPrototypeIncludes(seen, op)) throw domError("DataError", `the JWK's key_ops lists '${op}' twice`);
      ArrayPrototypePush(seen, op);
    }
    for (let i = 0; i < usages.length; i++) {
      const usage = usages[i];
      if (!ArrayPrototypeIncludes(seen, usage)) {
        throw domError("DataError", `the JWK's key_ops do not allow '${usage}'`);
      }
    }
  }
  if (jwk.ext === false && extractable) throw domError("DataError", "the JWK is not extractable");
}

const AES_JWK_SUFFIX = { "AES-CTR": "CTR", "AES-CBC": "CBC", "AES-GCM": "GCM", "AES-KW": "KW" };
const HMAC_JWK_ALG = { "SHA-1": "HS1", "SHA-256": "HS256", "SHA-384": "HS384", "SHA-512": "HS512" };
const RSA_JWK_ALG = {
  "RSASSA-PKCS1-v1_5": { "SHA-1": "RS1", "SHA-256": "RS256", "SHA-384": "RS384", "SHA-512": "RS512" },
  "RSA-PSS": { "SHA-1": "PS1", "SHA-256": "PS256", "SHA-384": "PS384", "SHA-512": "PS512" },
  "RSA-OAEP": { "SHA-1": "RSA-OAEP", "SHA-256": "RSA-OAEP-256", "SHA-384": "RSA-OAEP-384", "SHA-512": "RSA-OAEP-512" },
};
const ECDSA_JWK_ALG = { "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" };

function useOf(name) {
  return name === "HMAC" || name === "ECDSA" || name === "Ed25519" || name === "RSASSA-PKCS1-v1_5" ||
    name === "RSA-PSS" ? "sig" : "enc";
}

function exportJwk(slots) {
  const { algorithm, handle } = slots;
  const name = algorithm.name;
  const member = (m) => fromHost(host.jwkMember(handle, m));
  // Built in the JsonWebKey dictionary's lexicographic member order, as converting a
  // dictionary to a JS object would.
  const jwk = {};
  if (name === "HMAC") {
    jwk.alg = HMAC_JWK_ALG[algorithm.hash.name];
  } else if (ArrayPrototypeIncludes(AES, name)) {
    jwk.alg = `A${algorithm.length}${AES_JWK_SUFFIX[name]}`;
  } else if (ArrayPrototypeIncludes(RSA, name)) {
    jwk.alg = RSA_JWK_ALG[name][algorithm.hash.name];
  }
  if (name === "ECDSA" || name === "ECDH") jwk.crv = algorithm.namedCurve;
  if (name === "Ed25519" || name === "X25519") jwk.crv = name;
  const isPrivate = slots.type === "private";
  if (isPrivate) jwk.d = member("d");
  if (ArrayPrototypeIncludes(RSA, name)) {
    if (isPrivate) {
      jwk.dp = member("dp");
      jwk.dq = member("dq");
    }
    jwk.e = member("e");
  }
  jwk.ext = slots.extractable;
  if (slots.type === "secret") jwk.k = member("k");
  jwk.key_ops = copyList(slots.usages);
  jwk.kty = slots.type === "secret" ? "oct" : ArrayPrototypeIncludes(RSA, name) ? "RSA"
    : name === "ECDSA" || name === "ECDH" ? "EC" : "OKP";
  if (ArrayPrototypeIncludes(RSA, name)) {
    jwk.n = member("n");
    if (isPrivate) {
      jwk.p = member("p");
      jwk.q = member("q");
      jwk.qi = member("qi");
    }
  }
  if (jwk.kty === "EC" || jwk.kty === "OKP") jwk.x = member("x");
  if (jwk.kty === "EC") jwk.y = member("y");
  return jwk;
}

// ---- importKey per algorithm (https://w3c.github.io/webcrypto/#SubtleCrypto-method-importKey)

function importSecretKey(format, keyData, normalized, extractable, usages) {
  const name = normalized.name;
  checkUsages(usages, name, ["secret"]);
  const algorithm = ObjectCreate(null);
  algorithm.name = name;
  let handle;
  if (name === "HKDF" || name === "PBKDF2") {
    if (format !== "raw") throw domError("NotSupportedError", `${name} keys import from 'raw' only`);
    if (extractable) throw domError("SyntaxError", `${name} keys cannot be extractable`);
    handle = fromHost(host.importSecret(keyData));
    return newKey("secret", false, algorithm, intersectUsages(usages, USAGES[name].secret), handle);
  }
  if (format === "raw") {
    handle = fromHost(host.importSecret(keyData));
  } else if (format === "jwk") {
    checkJwk(keyData, "oct", useOf(name), usages, extractable);
    handle = fromHost(host.importSecretJwk(keyData.k ?? null));
  } else {
    throw domError("NotSupportedError", `${name} keys cannot be imported from '${format}'`);
  }
  const bits = fromHost(host.secretBits(handle));
  if (name === "HMAC") {
    algorithm.hash = normalized.hash;
    if (format === "jwk" && keyData.alg !== undefined && keyData.alg !== HMAC_JWK_ALG[normalized.hash.name]) {
      throw domError("DataError", `the JWK's alg '${keyData.alg}' does not match ${normalized.hash.name}`);
    }
    if (bits === 0) throw domError("DataError", "an HMAC key must not be empty");
    let length = bits;
    if (normalized.length !== undefined) {
      if (normalized.length > bits || normalized.length <= bits - 8) {
        throw domError("DataError", `the HMAC length ${normalized.length} does not fit the ${bits}-bit key`);
      }
      length = normalized.length;
    }
    algorithm.length = length;
  } else {
    if (bits !== 128 && bits !== 192 && bits !== 256) {
      throw domError("DataError", `an AES key must be 128, 192 or 256 bits, not ${bits}`);
    }
    if (format === "jwk" && keyData.alg !== undefined && keyData.alg !== `A${bits}${AES_JWK_SUFFIX[name]}`) {
      throw domError("DataError", `the JWK's alg '${keyData.alg}' does not match a ${bits}-bit ${name} key`);
    }
    algorithm.length = bits;
  }
  return newKey("secret", extractable, algorithm, intersectUsages(usages, USAGES[name].secret), handle);
}

function importAsymmetricKey(format, keyData, normalized, extractable, usages) {
  const name = normalized.name;
  const isRsa = ArrayPrototypeIncludes(RSA, name);
  const isEc = name === "ECDSA" || name === "ECDH";
  const family = isRsa ? "RSA" : isEc ? "EC" : name;
  const algorithm = ObjectCreate(null);
  algorithm.name = name;
  let type;
  let handle;
  if (format === "spki" || format === "raw" && !isRsa) {
    type = "public";
    checkUsages(usages, name, ["public"]);
    handle = fromHost(format === "spki" ? host.importSpki(family, keyData)
      : host.importRaw(isEc ? "EC" : "OKP", isEc ? namedCurveOf(normalized) : name, keyData));
  } else if (format === "pkcs8") {
    type = "private";
    checkUsages(usages, name, ["private"]);
    handle = fromHost(host.importPkcs8(family, keyData));
  } else if (format === "jwk") {
    type = keyData.d !== undefined ? "private" : "public";
    checkUsages(usages, name, [type]);
    const kty = isRsa ? "RSA" : isEc ? "EC" : "OKP";
    checkJwk(keyData, kty, useOf(name), usages, extractable);
    if (isRsa) {
      if (keyData.oth !== undefined) throw domError("NotSupportedError", "multi-prime RSA keys are not supported");
      const hash = keyData.alg === undefined ? undefined
        : ObjectPrototypeHasOwnProperty(RSA_JWK_ALG[name], normalized.hash.name) &&
          RSA_JWK_ALG[name][normalized.hash.name] === keyData.alg ? normalized.hash.name : null;
      if (hash === null) throw domError("DataError", `the JWK's alg '${keyData.alg}' does not match this ${name} key`);
      handle = fromHost(host.importRsaJwk(keyData.n ?? null, keyData.e ?? null, keyData.d ?? null, keyData.p ?? null,
        keyData.q ?? null, keyData.dp ?? null, keyData.dq ?? null, keyData.qi ?? null));
    } else if (isEc) {
      const curve = namedCurveOf(normalized);
      if (keyData.crv !== curve) throw domError("DataError", `the JWK's crv must be '${curve}'`);
      if (name === "ECDSA" && keyData.alg !== undefined && keyData.alg !== ECDSA_JWK_ALG[curve]) {
        throw domError("DataError", `the JWK's alg '${keyData.alg}' does not match ${curve}`);
      }
      handle = fromHost(host.importEcJwk(curve, keyData.x ?? null, keyData.y ?? null, keyData.d ?? null));
    } else {
      if (keyData.crv !== name) throw domError("DataError", `the JWK's crv must be '${name}'`);
      if (name === "Ed25519" && keyData.alg !== undefined && keyData.alg !== "Ed25519" && keyData.alg !== "EdDSA") {
        throw domError("DataError", `the JWK's alg '${keyData.alg}' is not an Ed25519 algorithm`);
      }
      handle = fromHost(host.importOkpJwk(name, keyData.x ?? null, keyData.d ?? null));
    }
  } else {
    throw domError("NotSupportedError", `${name} keys cannot be imported from '${format}'`);
  }
  if (isRsa) {
    algorithm.modulusLength = fromHost(host.modulusLength(handle));
    algorithm.publicExponent = new Uint8Array(bufferFromHost(host.publicExponent(handle)));
    algorithm.hash = normalized.hash;
  } else {
    const curve = fromHost(host.namedCurve(handle));
    if (isEc) {
      // https://w3c.github.io/webcrypto/#ecdsa-operations (import): the key's curve must be the one asked for.
      if (curve !== namedCurveOf(normalized)) {
        throw domError("DataError", `the key is on ${curve}, not ${normalized.namedCurve}`);
      }
      algorithm.namedCurve = curve;
    } else if (curve !== name) {
      throw domError("DataError", `the key is an ${curve} key, not ${name}`);
    }
  }
  return newKey(type, extractable, algorithm,
    intersectUsages(usages, USAGES[name][type]), handle);
}

function importKey(format, keyData, normalized, extractable, usages) {
  const name = normalized.name;
  const key = ArrayPrototypeIncludes(AES, name) || name === "HMAC" || name === "HKDF" || name === "PBKDF2"
    ? importSecretKey(format, keyData, normalized, extractable, usages)
    : importAsymmetricKey(format, keyData, normalized, extractable, usages);
  return requireUsages(key);
}

/** https://w3c.github.io/webcrypto/#SubtleCrypto-method-exportKey: bytes (ArrayBuffer) or a JWK object. */
function exportKey(format, key) {
  const slots = slotsOf(key);
  const name = slots.algorithm.name;
  if (name === "HKDF" || name === "PBKDF2") throw domError("NotSupportedError", `${name} keys cannot be exported`);
  if (!slots.extractable) throw domError("InvalidAccessError", "the key is not extractable");
  const isRsa = ArrayPrototypeIncludes(RSA, name);
  switch (format) {
    case "jwk":
      return exportJwk(slots);
    case "raw":
      if (slots.type === "secret") return bufferFromHost(host.exportSecret(slots.handle));
      if (isRsa) break;
      if (slots.type !== "public") throw domError("InvalidAccessError", "only public keys export as 'raw'");
      return bufferFromHost(host.exportRaw(slots.handle));
    case "spki":
      if (slots.type === "secret") break;
      if (slots.type !== "public") throw domError("InvalidAccessError", "only public keys export as 'spki'");
      return bufferFromHost(host.exportSpki(slots.handle));
    case "pkcs8":
      if (slots.type === "secret") break;
      if (slots.type !== "private") throw domError("InvalidAccessError", "only private keys export as 'pkcs8'");
      return bufferFromHost(host.exportPkcs8(slots.handle));
  }
  throw domError("NotSupportedError", `${name} keys cannot be exported as '${format}'`);
}

// ---- SubtleCrypto (https://w3c.github.io/webcrypto/#subtlecrypto-interface)

/** WebIDL: an operation that returns a promise rejects instead of throwing. */
function promiseOf(body) {
  try {
    return PromiseResolve(body());
  } catch (error) {
    return PromiseReject(error);
  }
}

/**
 * BufferSource for raw/spki/pkcs8, a JsonWebKey dictionary for jwk
 * (https://w3c.github.io/webcrypto/#SubtleCrypto-method-importKey steps 2-3).
 */
function convertKeyData(format, keyData, prefix) {
  const isBuffer = ArrayBufferIsView(keyData) || keyData instanceof ArrayBuffer;
  if (format === "jwk") {
    if (isBuffer || typeof keyData !== "object" || keyData === null) {
      throw webidl.makeException(TypeError, "must be a JsonWebKey for the 'jwk' format.", prefix, "Argument 2");
    }
    return converters.JsonWebKey(keyData, prefix, "Argument 2");
  }
  if (!isBuffer) {
    throw webidl.makeException(TypeError, `must be a BufferSource for the '${format}' format.`, prefix, "Argument 2");
  }
  return copyBufferSource(keyData);
}

/** https://w3c.github.io/webcrypto/#SubtleCrypto-method-wrapKey step 2: the wrap op, else the encrypt op. */
function normalizeWrapping(algorithm, wrapOp, cipherOp, prefix) {
  try {
    return normalizeAlgorithm(algorithm, wrapOp, prefix);
  } catch {
    return normalizeAlgorithm(algorithm, cipherOp, prefix);
  }
}

class SubtleCrypto {
  constructor(token) {
    if (token !== kConstruct) webidl.illegalConstructor();
    setState(this, null);
  }

  digest(algorithm, data) {
    return promiseOf(() => {
      webidl.assertBranded(this, SubtleCryptoPrototype);
      const prefix = "Failed to execute 'digest' on 'SubtleCrypto'";
      webidl.requiredArguments(arguments.length, 2, prefix);
      algorithm = converters.AlgorithmIdentifier(algorithm, prefix, "Argument 1");
      data = copyBufferSource(converters.BufferSource(data, prefix, "Argument 2"));
      const normalized = normalizeAlgorithm(algorithm, "digest", prefix);
      return bufferFromHost(host.digest(normalized.name, data));
    });
  }

  encrypt(algorithm, key, data) {
    return cipherMethod(this, "encrypt", arguments.length, algorithm, key, data);
  }

  decrypt(algorithm, key, data) {
    return cipherMethod(this, "decrypt", arguments.length, algorithm, key, data);
  }

  sign(algorithm, key, data) {
    return promiseOf(() => {
      webidl.assertBranded(this, SubtleCryptoPrototype);
      const prefix = "Failed to execute 'sign' on 'SubtleCrypto'";
      webidl.requiredArguments(arguments.length, 3, prefix);
      algorithm = converters.AlgorithmIdentifier(algorithm, prefix, "Argument 1");
      key = converters.CryptoKey(key, prefix, "Argument 2");
      data = copyBufferSource(converters.BufferSource(data, prefix, "Argument 3"));
      const normalized = normalizeAlgorithm(algorithm, "sign", prefix);
      const slots = checkKeyFor(key, normalized.name, "sign");
      const { hash, saltLength } = signatureParams(normalized, slots, true);
      return bufferFromHost(host.sign(normalized.name, slots.handle, hash, saltLength, data));
    });
  }

  verify(algorithm, key, signature, data) {
    return promiseOf(() => {
      webidl.assertBranded(this, SubtleCryptoPrototype);
      const prefix = "Failed to execute 'verify' on 'SubtleCrypto'";
      webidl.requiredArguments(arguments.length, 4, prefix);
      algorithm = converters.AlgorithmIdentifier(algorithm, prefix, "Argument 1");
      key = converters.CryptoKey(key, prefix, "Argument 2");
      signature = copyBufferSource(converters.BufferSource(signature, prefix, "Argument 3"));
      data = copyBufferSource(converters.BufferSource(data, prefix, "Argument 4"));
      const normalized = normalizeAlgorithm(algorithm, "verify", prefix);
      const slots = checkKeyFor(key, normalized.name, "verify");
      const { hash, saltLength } = signatureParams(normalized, slots, false);
      return fromHost(host.verify(normalized.name, slots.handle, hash, saltLength, signature, data));
    });
  }

  generateKey(algorithm, extractable, keyUsages) {
    return promiseOf(() => {
      webidl.assertBranded(this, SubtleCryptoPrototype);
      const prefix = "Failed to execute 'generateKey' on 'SubtleCrypto'";
      webidl.requiredArguments(arguments.length, 3, prefix);
      algorithm = converters.AlgorithmIdentifier(algorithm, prefix, "Argument 1");
      extractable = converters.boolean(extractable);
      keyUsages = converters["sequence<KeyUsage>"](keyUsages, prefix, "Argument 3");
      return generateKey(normalizeAlgorithm(algorithm, "generateKey", prefix), extractable, keyUsages);
    });
  }

  importKey(format, keyData, algorithm, extractable, keyUsages) {
    return promiseOf(() => {
      webidl.assertBranded(this, SubtleCryptoPrototype);
      const prefix = "Failed to execute 'importKey' on 'SubtleCrypto'";
      webidl.requiredArguments(arguments.length, 5, prefix);
      format = converters.KeyFormat(format, prefix, "Argument 1");
      keyData = convertKeyData(format, keyData, prefix);
      algorithm = converters.AlgorithmIdentifier(algorithm, prefix, "Argument 3");
      extractable = converters.boolean(extractable);
      keyUsages = converters["sequence<KeyUsage>"](keyUsages, prefix, "Argument 5");
      return importKey(format, keyData, normalizeAlgorithm(algorithm, "importKey", prefix), extractable, keyUsages);
    });
  }

  exportKey(format, key) {
    return promiseOf(() => {
      webidl.assertBranded(this, SubtleCryptoPrototype);
      const prefix = "Failed to execute 'exportKey' on 'SubtleCrypto'";
      webidl.requiredArguments(arguments.length, 2, prefix);
      format = converters.KeyFormat(format, prefix, "Argument 1");
      key = converters.CryptoKey(key, prefix, "Argument 2");
      return exportKey(format, key);
    });
  }

  deriveBits(algorithm, baseKey, length = null) {
    return promiseOf(() => {
      webidl.assertBranded(this, SubtleCryptoPrototype);
      const prefix = "Failed to execute 'deriveBits' on 'SubtleCrypto'";
      webidl.requiredArguments(arguments.length, 2, prefix);
      algorithm = converters.AlgorithmIdentifier(algorithm, prefix, "Argument 1");
      baseKey = converters.CryptoKey(baseKey, prefix, "Argument 2");
      if (length !== null) {
        length = converters["unsigned long"](length, prefix, "Argument 3", { enforceRange: true });
      }
      const normalized = normalizeAlgorithm(algorithm, "deriveBits", prefix);
      return deriveBits(normalized, checkKeyFor(baseKey, normalized.name, "deriveBits"), length);
    });
  }

  deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
    return promiseOf(() => {
      webidl.assertBranded(this, SubtleCryptoPrototype);
      const prefix = "Failed to execute 'deriveKey' on 'SubtleCrypto'";
      webidl.requiredArguments(arguments.length, 5, prefix);
      algorithm = converters.AlgorithmIdentifier(algorithm, prefix, "Argument 1");
      baseKey = converters.CryptoKey(baseKey, prefix, "Argument 2");
      derivedKeyType = converters.AlgorithmIdentifier(derivedKeyType, prefix, "Argument 3");
      extractable = converters.boolean(extractable);
      keyUsages = converters["sequence<KeyUsage>"](keyUsages, prefix, "Argument 5");
      const normalized = normalizeAlgorithm(algorithm, "deriveBits", prefix);
      const importType = normalizeAlgorithm(derivedKeyType, "importKey", prefix);
      const lengthType = normalizeAlgorithm(derivedKeyType, "get key length", prefix);
      const slots = checkKeyFor(baseKey, normalized.name, "deriveKey");
      const secret = deriveBits(normalized, slots, keyLength(lengthType));
      return importKey("raw", secret, importType, extractable, keyUsages);
    });
  }

  wrapKey(format, key, wrappingKey, wrapAlgorithm) {
    return promiseOf(() => {
      webidl.assertBranded(this, SubtleCryptoPrototype);
      const prefix = "Failed to execute 'wrapKey' on 'SubtleCrypto'";
      webidl.requiredArguments(arguments.length, 4, prefix);
      format = converters.KeyFormat(format, prefix, "Argument 1");
      key = converters.CryptoKey(key, prefix, "Argument 2");
      wrappingKey = converters.CryptoKey(wrappingKey, prefix, "Argument 3");
      wrapAlgorithm = converters.AlgorithmIdentifier(wrapAlgorithm, prefix, "Argument 4");
      const normalized = normalizeWrapping(wrapAlgorithm, "wrapKey", "encrypt", prefix);
      const slots = checkKeyFor(wrappingKey, normalized.name, "wrapKey");
      const exported = exportKey(format, key);
      const bytes = format === "jwk" ? utf8(JSONStringify(exported)) : exported;
      return bufferFromHost(encryptOrDecrypt(true, normalized, slots, bytes));
    });
  }

  unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) {
    return promiseOf(() => {
      webidl.assertBranded(this, SubtleCryptoPrototype);
      const prefix = "Failed to execute 'unwrapKey' on 'SubtleCrypto'";
      webidl.requiredArguments(arguments.length, 7, prefix);
      format = converters.KeyFormat(format, prefix, "Argument 1");
      wrappedKey = copyBufferSource(converters.BufferSource(wrappedKey, prefix, "Argument 2"));
      unwrappingKey = converters.CryptoKey(unwrappingKey, prefix, "Argument 3");
      unwrapAlgorithm = converters.AlgorithmIdentifier(unwrapAlgorithm, prefix, "Argument 4");
      unwrappedKeyAlgorithm = converters.AlgorithmIdentifier(unwrappedKeyAlgorithm, prefix, "Argument 5");
      extractable = converters.boolean(extractable);
      keyUsages = converters["sequence<KeyUsage>"](keyUsages, prefix, "Argument 7");
      const normalized = normalizeWrapping(unwrapAlgorithm, "unwrapKey", "decrypt", prefix);
      const importType = normalizeAlgorithm(unwrappedKeyAlgorithm, "importKey", prefix);
      const slots = checkKeyFor(unwrappingKey, normalized.name, "unwrapKey");
      const bytes = bufferFromHost(encryptOrDecrypt(false, normalized, slots, wrappedKey));
      let keyData = bytes;
      if (format === "jwk") {
        // https://w3c.github.io/webcrypto/#concept-parse-a-jwk: not JSON, or not a JsonWebKey, is a DataError.
        let parsed;
        try {
          parsed = JSONParse(binding.encoding.decodeUtf8(bytes, 0, byteLength(bytes)));
        } catch {
          throw domError("DataError", "the unwrapped bytes are not a JSON Web Key");
        }
        if (typeof parsed !== "object" || parsed === null || parsed.kty === undefined) {
          throw domError("DataError", "the unwrapped bytes are not a JSON Web Key");
        }
        keyData = converters.JsonWebKey(parsed, prefix, "JWK");
      }
      return importKey(format, keyData, importType, extractable, keyUsages);
    });
  }
}
const SubtleCryptoPrototype = SubtleCrypto.prototype;
webidl.configureInterface(SubtleCrypto);

function cipherMethod(self, op, count, algorithm, key, data) {
  return promiseOf(() => {
    webidl.assertBranded(self, SubtleCryptoPrototype);
    const prefix = `Failed to execute '${op}' on 'SubtleCrypto'`;
    webidl.requiredArguments(count, 3, prefix);
    algorithm = converters.AlgorithmIdentifier(algorithm, prefix, "Argument 1");
    key = converters.CryptoKey(key, prefix, "Argument 2");
    data = copyBufferSource(converters.BufferSource(data, prefix, "Argument 3"));
    const normalized = normalizeAlgorithm(algorithm, op, prefix);
    const slots = checkKeyFor(key, normalized.name, op);
    return bufferFromHost(encryptOrDecrypt(op === "encrypt", normalized, slots, data));
  });
}

// ---- Crypto (https://w3c.github.io/webcrypto/#crypto-interface)

// https://w3c.github.io/webcrypto/#Crypto-method-getRandomValues: integer arrays only.
const INTEGER_ARRAYS = ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
  "Uint32Array", "BigInt64Array", "BigUint64Array"];

let subtle;

class Crypto {
  constructor(token) {
    if (token !== kConstruct) webidl.illegalConstructor();
    setState(this, null);
  }

  get subtle() {
    webidl.assertBranded(this, CryptoPrototype);
    return subtle;
  }

  getRandomValues(array) {
    webidl.assertBranded(this, CryptoPrototype);
    const prefix = "Failed to execute 'getRandomValues' on 'Crypto'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    if (!ArrayBufferIsView(array)) {
      throw webidl.makeException(TypeError, "is not of type 'ArrayBufferView'.", prefix, "Argument 1");
    }
    const tag = TypedArrayPrototypeGetSymbolToStringTag(array);
    if (!ArrayPrototypeIncludes(INTEGER_ARRAYS, tag)) {
      throw domError("TypeMismatchError",
        `${prefix}: The provided ArrayBufferView is of type '${tag ?? "DataView"}', ` +
        "which is not an integer array type.");
    }
    const length = TypedArrayPrototypeGetByteLength(array);
    if (length > 65536) {
      throw domError("QuotaExceededError", `${prefix}: The ArrayBufferView's byte length (${length}) exceeds ` +
        "the number of bytes of entropy available via this API (65536).");
    }
    const random = new Uint8Array(new ArrayBuffer(host.randomBytes(length)));
    TypedArrayPrototypeSet(new Uint8Array(TypedArrayPrototypeGetBuffer(array), TypedArrayPrototypeGetByteOffset(array),
      length), random);
    return array;
  }

  /** https://w3c.github.io/webcrypto/#Crypto-method-randomUUID: a version 4 UUID (RFC 9562 section 5.4). */
  randomUUID() {
    webidl.assertBranded(this, CryptoPrototype);
    const bytes = new Uint8Array(new ArrayBuffer(host.randomBytes(16)));
    const hex = [];
    for (let i = 0; i < 16; i++) {
      let byte = bytes[i];
      if (i === 6) byte = (byte & 0x0f) | 0x40;
      if (i === 8) byte = (byte & 0x3f) | 0x80;
      ArrayPrototypePush(hex, StringPrototypePadStart(NumberPrototypeToString(byte, 16), 2, "0"));
      if (i === 3 || i === 5 || i === 7 || i === 9) ArrayPrototypePush(hex, "-");
    }
    return ArrayPrototypeJoin(hex, "");
  }
}
const CryptoPrototype = Crypto.prototype;
webidl.configureInterface(Crypto);

subtle = new SubtleCrypto(kConstruct);
const crypto = new Crypto(kConstruct);

internals.Crypto = Crypto;
internals.SubtleCrypto = SubtleCrypto;
internals.CryptoKey = CryptoKey;
internals.crypto = crypto;
