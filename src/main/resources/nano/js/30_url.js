// URL Standard (https://url.spec.whatwg.org/): percent-encoding, the host parser, the basic URL
// parser and serializer, the application/x-www-form-urlencoded format, and the URL and
// URLSearchParams interfaces.
//
// A URL record here is { scheme, username, password, host, port, path, query, fragment }. The
// host is null or kept in its serialized form (a domain, "[v6::address]", a dotted IPv4
// address, an opaque host, or "" for the empty host): every step of the standard that asks
// which kind of host a URL has can tell from the serialization. The path is an array of
// segments, or a string when the URL has an opaque path. Only UTF-8 is supported as encoding,
// which is all the API needs.
//
// Known departure: "domain to ASCII" does not carry the full UTS #46 mapping table; see
// domainToASCII below for what it does instead.
const {
  ArrayPrototypeJoin,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ArrayPrototypeSort,
  ArrayPrototypeSplice,
  MathFloor,
  NumberPrototypeToString,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectGetOwnPropertyDescriptor,
  ReflectGetOwnPropertyDescriptor,
  ReflectOwnKeys,
  RegExpPrototypeTest,
  StringFromCharCode,
  StringFromCodePoint,
  StringPrototypeCharCodeAt,
  StringPrototypeCodePointAt,
  StringPrototypeNormalize,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  StringPrototypeToUpperCase,
  Symbol,
  SymbolIterator,
  TypeError,
  Uint8Array,
  RegExpPrototypeExec,
  StringPrototypeSplit,
  NumberParseInt,
  SafeMap,
} = internals.primordials;
const { webidl } = internals;
const { stateOf, setState } = webidl;

/** What the parsers return instead of a result; never escapes this file. */
const FAILURE = Symbol("failure");
const EOF = -1;

// --- Code points (https://infra.spec.whatwg.org/#code-points) ---------------------------------

const isAsciiDigit = (c) => c >= 0x30 && c <= 0x39;
const isAsciiAlpha = (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAsciiAlphanumeric = (c) => isAsciiDigit(c) || isAsciiAlpha(c);
const isAsciiHexDigit = (c) => isAsciiDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const asciiLowerCode = (c) => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
const hexValue = (c) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10);

/** The scalar values of a string, as numbers (lone surrogates become U+FFFD). */
function toCodePoints(string) {
  const codePoints = [];
  for (let i = 0; i < string.length; i++) {
    let cp = StringPrototypeCodePointAt(string, i);
    if (cp > 0xffff) i++;
    else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    ArrayPrototypePush(codePoints, cp);
  }
  return codePoints;
}

function fromCodePoints(codePoints) {
  let string = "";
  for (let i = 0; i < codePoints.length; i++) string += StringFromCodePoint(codePoints[i]);
  return string;
}

function countCodePoints(string) {
  let count = 0;
  for (let i = 0; i < string.length; i++) {
    if (StringPrototypeCodePointAt(string, i) > 0xffff) i++;
    count++;
  }
  return count;
}

function isAscii(string) {
  for (let i = 0; i < string.length; i++) {
    if (StringPrototypeCharCodeAt(string, i) > 0x7f) return false;
  }
  return true;
}

function asciiLowercase(string) {
  let result = "";
  for (let i = 0; i < string.length; i++) {
    result += StringFromCharCode(asciiLowerCode(StringPrototypeCharCodeAt(string, i)));
  }
  return result;
}

function startsWith(string, prefix) {
  return StringPrototypeSlice(string, 0, prefix.length) === prefix;
}

/** https://infra.spec.whatwg.org/#strictly-split on a single ASCII code unit. */
function strictlySplit(string, delimiter) {
  const parts = [];
  let start = 0;
  for (let i = 0; i < string.length; i++) {
    if (StringPrototypeCharCodeAt(string, i) === delimiter) {
      ArrayPrototypePush(parts, StringPrototypeSlice(string, start, i));
      start = i + 1;
    }
  }
  ArrayPrototypePush(parts, StringPrototypeSlice(string, start));
  return parts;
}

// --- UTF-8 (https://encoding.spec.whatwg.org/#utf-8) -------------------------------------------

function utf8Encode(string, bytes = []) {
  const codePoints = toCodePoints(string);
  for (let i = 0; i < codePoints.length; i++) {
    const cp = codePoints[i];
    if (cp < 0x80) {
      ArrayPrototypePush(bytes, cp);
    } else if (cp < 0x800) {
      ArrayPrototypePush(bytes, 0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      ArrayPrototypePush(bytes, 0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    } else {
      ArrayPrototypePush(bytes, 0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f));
    }
  }
  return bytes;
}

/**
 * https://encoding.spec.whatwg.org/#utf-8-decode-without-bom: the UTF-8 decoder with
 * replacement, one U+FFFD per maximal invalid subpart, and no BOM sniffing.
 */
function utf8DecodeWithoutBOM(bytes) {
  let output = "";
  let codePoint = 0;
  let bytesNeeded = 0;
  let bytesSeen = 0;
  let lowerBoundary = 0x80;
  let upperBoundary = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (bytesNeeded === 0) {
      if (byte <= 0x7f) {
        output += StringFromCharCode(byte);
      } else if (byte >= 0xc2 && byte <= 0xdf) {
        bytesNeeded = 1;
        codePoint = byte & 0x1f;
      } else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lowerBoundary = 0xa0;
        if (byte === 0xed) upperBoundary = 0x9f;
        bytesNeeded = 2;
        codePoint = byte & 0xf;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lowerBoundary = 0x90;
        if (byte === 0xf4) upperBoundary = 0x8f;
        bytesNeeded = 3;
        codePoint = byte & 0x7;
      } else {
        output += "\uFFFD";
      }
      continue;
    }
    if (byte < lowerBoundary || byte > upperBoundary) {
      // The byte did not continue the sequence: emit an error and reprocess it.
      codePoint = bytesNeeded = bytesSeen = 0;
      lowerBoundary = 0x80;
      upperBoundary = 0xbf;
      output += "\uFFFD";
      i--;
      continue;
    }
    lowerBoundary = 0x80;
    upperBoundary = 0xbf;
    codePoint = (codePoint << 6) | (byte & 0x3f);
    if (++bytesSeen === bytesNeeded) {
      output += StringFromCodePoint(codePoint);
      codePoint = bytesNeeded = bytesSeen = 0;
    }
  }
  if (bytesNeeded !== 0) output += "\uFFFD";
  return output;
}

// --- Percent-encoded bytes (https://url.spec.whatwg.org/#percent-encoded-bytes) ---------------

const PERCENT_ENCODED = [];
for (let byte = 0; byte < 256; byte++) {
  const hex = StringPrototypeToUpperCase(NumberPrototypeToString(byte, 16));
  ArrayPrototypePush(PERCENT_ENCODED, `%${byte < 16 ? "0" : ""}${hex}`);
}

/**
 * A percent-encode set as a table of the ASCII code points it holds; every set also holds all
 * code points above U+007E, which the encoders below handle without a lookup.
 */
function percentEncodeSet(parent, extra) {
  const set = new Uint8Array(0x80);
  if (parent) {
    for (let i = 0; i < 0x80; i++) set[i] = parent[i];
  } else {
    // The C0 control percent-encode set: the C0 controls and U+007F (> U+007E).
    for (let i = 0; i < 0x20; i++) set[i] = 1;
    set[0x7f] = 1;
  }
  for (let i = 0; i < extra.length; i++) set[StringPrototypeCharCodeAt(extra, i)] = 1;
  return set;
}
const C0_CONTROL_SET = percentEncodeSet(null, "");
const FRAGMENT_SET = percentEncodeSet(C0_CONTROL_SET, " \"<>`");
const QUERY_SET = percentEncodeSet(C0_CONTROL_SET, " \"#<>");
const SPECIAL_QUERY_SET = percentEncodeSet(QUERY_SET, "'");
const PATH_SET = percentEncodeSet(QUERY_SET, "?^`{}");
const USERINFO_SET = percentEncodeSet(PATH_SET, "/:;=@[\\]|");
const COMPONENT_SET = percentEncodeSet(USERINFO_SET, "$%&+,");
const URLENCODED_SET = percentEncodeSet(COMPONENT_SET, "!'()~");

/** https://url.spec.whatwg.org/#utf-8-percent-encode for one scalar value. */
function percentEncodeCodePoint(cp, set) {
  if (cp < 0x80) return set[cp] ? PERCENT_ENCODED[cp] : StringFromCharCode(cp);
  if (cp < 0x800) return PERCENT_ENCODED[0xc0 | (cp >> 6)] + PERCENT_ENCODED[0x80 | (cp & 0x3f)];
  if (cp < 0x10000) {
    return PERCENT_ENCODED[0xe0 | (cp >> 12)] + PERCENT_ENCODED[0x80 | ((cp >> 6) & 0x3f)] +
      PERCENT_ENCODED[0x80 | (cp & 0x3f)];
  }
  return PERCENT_ENCODED[0xf0 | (cp >> 18)] + PERCENT_ENCODED[0x80 | ((cp >> 12) & 0x3f)] +
    PERCENT_ENCODED[0x80 | ((cp >> 6) & 0x3f)] + PERCENT_ENCODED[0x80 | (cp & 0x3f)];
}

/** https://url.spec.whatwg.org/#string-percent-encode-after-encoding with UTF-8. */
function utf8PercentEncodeString(string, set, spaceAsPlus = false) {
  const codePoints = toCodePoints(string);
  let output = "";
  for (let i = 0; i < codePoints.length; i++) {
    const cp = codePoints[i];
    output += spaceAsPlus && cp === 0x20 ? "+" : percentEncodeCodePoint(cp, set);
  }
  return output;
}

/** https://url.spec.whatwg.org/#string-percent-decode: UTF-8 encode, then decode %XX to bytes. */
function percentDecodeString(string) {
  const input = utf8Encode(string);
  const output = [];
  for (let i = 0; i < input.length; i++) {
    const byte = input[i];
    if (byte === 0x25 && i + 2 < input.length && isAsciiHexDigit(input[i + 1]) && isAsciiHexDigit(input[i + 2])) {
      ArrayPrototypePush(output, hexValue(input[i + 1]) * 16 + hexValue(input[i + 2]));
      i += 2;
    } else {
      ArrayPrototypePush(output, byte);
    }
  }
  return output;
}

function hasPercent(string) {
  for (let i = 0; i < string.length; i++) {
    if (StringPrototypeCharCodeAt(string, i) === 0x25) return true;
  }
  return false;
}

// --- Hosts (https://url.spec.whatwg.org/#hosts-(domains-and-ip-addresses)) ---------------------

function codeSet(chars) {
  const set = new Uint8Array(0x80);
  for (let i = 0; i < chars.length; i++) set[StringPrototypeCharCodeAt(chars, i)] = 1;
  return set;
}
// https://url.spec.whatwg.org/#forbidden-host-code-point
const FORBIDDEN_HOST = codeSet("\0\t\n\r #/:<>?@[\\]^|");
// https://url.spec.whatwg.org/#forbidden-domain-code-point: also the C0 controls, % and DEL.
const FORBIDDEN_DOMAIN = codeSet("\0\t\n\r #/:<>?@[\\]^|%\x7f");
for (let i = 0; i < 0x20; i++) FORBIDDEN_DOMAIN[i] = 1;

function containsForbidden(string, table) {
  for (let i = 0; i < string.length; i++) {
    const c = StringPrototypeCharCodeAt(string, i);
    if (c < 0x80 && table[c]) return true;
  }
  return false;
}

// Punycode (RFC 3492) with the IDNA parameters of section 5.
const PUNY_BASE = 36;
const PUNY_TMIN = 1;
const PUNY_TMAX = 26;
const PUNY_SKEW = 38;
const PUNY_DAMP = 700;
const PUNY_INITIAL_BIAS = 72;
const PUNY_INITIAL_N = 0x80;
const PUNY_MAXINT = 0x7fffffff;

/** RFC 3492 section 6.1. */
function punycodeAdapt(delta, numPoints, firstTime) {
  delta = firstTime ? MathFloor(delta / PUNY_DAMP) : MathFloor(delta / 2);
  delta += MathFloor(delta / numPoints);
  let k = 0;
  while (delta > ((PUNY_BASE - PUNY_TMIN) * PUNY_TMAX) / 2) {
    delta = MathFloor(delta / (PUNY_BASE - PUNY_TMIN));
    k += PUNY_BASE;
  }
  return k + MathFloor(((PUNY_BASE - PUNY_TMIN + 1) * delta) / (delta + PUNY_SKEW));
}

function punycodeThreshold(k, bias) {
  if (k <= bias) return PUNY_TMIN;
  if (k >= bias + PUNY_TMAX) return PUNY_TMAX;
  return k - bias;
}

/** 0..25 are a..z, 26..35 are 0..9 (RFC 3492 section 5). */
const punycodeDigit = (d) => StringFromCharCode(d < 26 ? 0x61 + d : 0x30 + d - 26);

/** RFC 3492 section 6.3: code points to the Punycode string (without the "xn--" prefix). */
function punycodeEncode(input) {
  let n = PUNY_INITIAL_N;
  let delta = 0;
  let bias = PUNY_INITIAL_BIAS;
  let output = "";
  for (let j = 0; j < input.length; j++) {
    if (input[j] < 0x80) output += StringFromCharCode(input[j]);
  }
  const basicCount = output.length;
  let handled = basicCount;
  if (basicCount > 0) output += "-";
  while (handled < input.length) {
    let m = PUNY_MAXINT;
    for (let j = 0; j < input.length; j++) {
      if (input[j] >= n && input[j] < m) m = input[j];
    }
    if (m - n > MathFloor((PUNY_MAXINT - delta) / (handled + 1))) return FAILURE;
    delta += (m - n) * (handled + 1);
    n = m;
    for (let j = 0; j < input.length; j++) {
      const c = input[j];
      if (c < n && ++delta > PUNY_MAXINT) return FAILURE;
      if (c === n) {
        let q = delta;
        for (let k = PUNY_BASE; ; k += PUNY_BASE) {
          const t = punycodeThreshold(k, bias);
          if (q < t) break;
          output += punycodeDigit(t + ((q - t) % (PUNY_BASE - t)));
          q = MathFloor((q - t) / (PUNY_BASE - t));
        }
        output += punycodeDigit(q);
        bias = punycodeAdapt(delta, handled + 1, handled === basicCount);
        delta = 0;
        handled++;
      }
    }
    delta++;
    n++;
  }
  return output;
}

/** RFC 3492 section 6.2: the Punycode string (without "xn--") to code points, or FAILURE. */
function punycodeDecode(input) {
  let n = PUNY_INITIAL_N;
  let i = 0;
  let bias = PUNY_INITIAL_BIAS;
  const output = [];
  let basicEnd = 0;
  for (let j = 0; j < input.length; j++) {
    if (StringPrototypeCharCodeAt(input, j) === 0x2d) basicEnd = j;
  }
  for (let j = 0; j < basicEnd; j++) {
    const c = StringPrototypeCharCodeAt(input, j);
    if (c >= 0x80) return FAILURE;
    ArrayPrototypePush(output, c);
  }
  let position = basicEnd > 0 ? basicEnd + 1 : 0;
  while (position < input.length) {
    const oldi = i;
    let w = 1;
    for (let k = PUNY_BASE; ; k += PUNY_BASE) {
      if (position >= input.length) return FAILURE;
      const c = StringPrototypeCharCodeAt(input, position++);
      const digit = isAsciiDigit(c) ? c - 0x30 + 26 : isAsciiAlpha(c) ? (c | 0x20) - 0x61 : PUNY_BASE;
      if (digit >= PUNY_BASE) return FAILURE;
      if (digit > MathFloor((PUNY_MAXINT - i) / w)) return FAILURE;
      i += digit * w;
      const t = punycodeThreshold(k, bias);
      if (digit < t) break;
      if (w > MathFloor(PUNY_MAXINT / (PUNY_BASE - t))) return FAILURE;
      w *= PUNY_BASE - t;
    }
    const length = output.length + 1;
    bias = punycodeAdapt(i - oldi, length, oldi === 0);
    if (MathFloor(i / length) > PUNY_MAXINT - n) return FAILURE;
    n += MathFloor(i / length);
    i %= length;
    // A decoded basic code point, surrogate or value beyond Unicode is not a valid label.
    if (n < 0x80 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return FAILURE;
    ArrayPrototypeSplice(output, i, 0, n);
    i++;
  }
  return output;
}

// Code points UTS #46 maps to nothing: soft hyphen, combining grapheme joiner, Mongolian free
// variation selectors, zero width space, word joiner, variation selectors, BOM, and friends.
function isIgnoredCodePoint(cp) {
  return cp === 0xad || cp === 0x34f || (cp >= 0x180b && cp <= 0x180f) || cp === 0x200b ||
    cp === 0x2060 || cp === 0x2064 || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff ||
    (cp >= 0x1bca0 && cp <= 0x1bca3) || (cp >= 0xe0100 && cp <= 0xe01ef);
}
// Code points UTS #46 disallows (or that the rules skipped here would reject): controls, format
// characters (ZWJ/ZWNJ included, which CheckJoiners rejects outside a few scripts), private use,
// unassigned and noncharacters, separators, and the replacement and object characters.
const DISALLOWED = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Z}\uFFFC\uFFFD]/u;
const STARTS_WITH_MARK = /^\p{M}/u;

/**
 * An approximation of the UTS #46 mapping step without its data table: compatibility
 * normalization (NFKC) and lower-casing stand in for the IDNA mapping (itself derived from
 * NFKC_Casefold); capital sigma maps to small sigma rather than JavaScript's contextual final
 * sigma; ignored code points are dropped and ideographic full stops become ".". The result is
 * in NFC. Returns FAILURE on a disallowed code point.
 */
function uts46Map(domain) {
  let s = StringPrototypeNormalize(domain, "NFKC");
  let folded = "";
  const codePoints = toCodePoints(s);
  for (let i = 0; i < codePoints.length; i++) {
    const cp = codePoints[i];
    if (isIgnoredCodePoint(cp)) continue;
    folded += cp === 0x3a3 ? "\u03C3" : cp === 0x3002 ? "." : StringFromCodePoint(cp);
  }
  s = StringPrototypeNormalize(StringPrototypeToLowerCase(folded), "NFKC");
  s = StringPrototypeNormalize(s, "NFC");
  if (RegExpPrototypeTest(DISALLOWED, s)) return FAILURE;
  return s;
}

/**
 * https://url.spec.whatwg.org/#concept-domain-to-ascii with beStrict false.
 *
 * Departure: UTS #46 ToASCII needs the IDNA mapping table; instead, ASCII domains without
 * "xn--" labels are ASCII-lowercased (exactly what UTS #46 does for them, as the standard notes)
 * and other domains go through uts46Map above, then every non-ASCII label is Punycode-encoded
 * with an "xn--" prefix and every "xn--" label must decode to a valid non-ASCII label.
 * CheckBidi and CheckJoiners are not implemented (joiners are rejected outright), so a few
 * domains that browsers accept or reject come out differently here.
 */
function domainToASCII(domain) {
  let result;
  if (isAscii(domain)) {
    result = asciiLowercase(domain);
    const labels = strictlySplit(result, 0x2e);
    for (let i = 0; i < labels.length; i++) {
      if (startsWith(labels[i], "xn--")) {
        result = uts46ToASCII(result);
        break;
      }
    }
  } else {
    result = uts46ToASCII(domain);
  }
  if (result === FAILURE || result === "") return FAILURE;
  if (containsForbidden(result, FORBIDDEN_DOMAIN)) return FAILURE;
  return result;
}

/** UTS #46 section 4 "Processing" followed by ToASCII's Punycode step, per label. */
function uts46ToASCII(domain) {
  const mapped = uts46Map(domain);
  if (mapped === FAILURE) return FAILURE;
  const labels = strictlySplit(mapped, 0x2e);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (startsWith(label, "xn--")) {
      // UTS #46 4.1 step 4: a Punycode label must be ASCII, decode, not decode to only ASCII,
      // and its decoding must be a valid label (already mapped, in NFC).
      if (!isAscii(label)) return FAILURE;
      const decoded = punycodeDecode(StringPrototypeSlice(label, 4));
      if (decoded === FAILURE || decoded.length === 0) return FAILURE;
      const unicode = fromCodePoints(decoded);
      if (isAscii(unicode) || uts46Map(unicode) !== unicode || !isValidLabel(unicode)) return FAILURE;
    } else if (!isAscii(label)) {
      if (!isValidLabel(label)) return FAILURE;
      const encoded = punycodeEncode(toCodePoints(label));
      if (encoded === FAILURE) return FAILURE;
      labels[i] = `xn--${encoded}`;
    }
  }
  return ArrayPrototypeJoin(labels, ".");
}

/** UTS #46 4.1 validity criteria that apply with CheckHyphens false: no leading combining mark. */
function isValidLabel(label) {
  return !RegExpPrototypeTest(STARTS_WITH_MARK, label);
}

/** https://url.spec.whatwg.org/#concept-host-parser; returns the serialized host or FAILURE. */
function parseHost(input, isOpaque) {
  if (StringPrototypeCharCodeAt(input, 0) === 0x5b) {
    if (StringPrototypeCharCodeAt(input, input.length - 1) !== 0x5d) return FAILURE;
    const address = parseIPv6(toCodePoints(StringPrototypeSlice(input, 1, input.length - 1)));
    if (address === FAILURE) return FAILURE;
    return `[${serializeIPv6(address)}]`;
  }
  if (isOpaque) return parseOpaqueHost(input);
  // Skipping the percent-decode round trip when there is no "%" is exact: input is scalar values.
  const domain = hasPercent(input) ? utf8DecodeWithoutBOM(percentDecodeString(input)) : input;
  const asciiDomain = domainToASCII(domain);
  if (asciiDomain === FAILURE) return FAILURE;
  if (endsInANumber(asciiDomain)) {
    const address = parseIPv4(asciiDomain);
    return address === FAILURE ? FAILURE : serializeIPv4(address);
  }
  return asciiDomain;
}

/** https://url.spec.whatwg.org/#ends-in-a-number-checker */
function endsInANumber(input) {
  const parts = strictlySplit(input, 0x2e);
  if (parts[parts.length - 1] === "") {
    if (parts.length === 1) return false;
    ArrayPrototypePop(parts);
  }
  const last = parts[parts.length - 1];
  if (last !== "") {
    let allDigits = true;
    for (let i = 0; i < last.length; i++) {
      if (!isAsciiDigit(StringPrototypeCharCodeAt(last, i))) allDigits = false;
    }
    if (allDigits) return true;
  }
  return parseIPv4Number(last) !== FAILURE;
}

/** https://url.spec.whatwg.org/#concept-ipv4-parser; returns the address as a number. */
function parseIPv4(input) {
  const parts = strictlySplit(input, 0x2e);
  if (parts[parts.length - 1] === "" && parts.length > 1) ArrayPrototypePop(parts);
  if (parts.length > 4) return FAILURE;
  const numbers = [];
  for (let i = 0; i < parts.length; i++) {
    const number = parseIPv4Number(parts[i]);
    if (number === FAILURE) return FAILURE;
    ArrayPrototypePush(numbers, number);
  }
  const lastIndex = numbers.length - 1;
  for (let i = 0; i < lastIndex; i++) {
    if (numbers[i] > 255) return FAILURE;
  }
  if (numbers[lastIndex] >= 256 ** (5 - numbers.length)) return FAILURE;
  let ipv4 = numbers[lastIndex];
  for (let i = 0; i < lastIndex; i++) ipv4 += numbers[i] * 256 ** (3 - i);
  return ipv4;
}

/** https://url.spec.whatwg.org/#ipv4-number-parser (the validation-error flag is not needed). */
function parseIPv4Number(input) {
  if (input === "") return FAILURE;
  let radix = 10;
  let start = 0;
  if (input.length >= 2 && StringPrototypeCharCodeAt(input, 0) === 0x30 &&
      (StringPrototypeCharCodeAt(input, 1) | 0x20) === 0x78) {
    start = 2;
    radix = 16;
  } else if (input.length >= 2 && StringPrototypeCharCodeAt(input, 0) === 0x30) {
    start = 1;
    radix = 8;
  }
  let value = 0;
  for (let i = start; i < input.length; i++) {
    const c = StringPrototypeCharCodeAt(input, i);
    if (radix === 16 ? !isAsciiHexDigit(c) : !(c >= 0x30 && c < 0x30 + radix)) return FAILURE;
    // Beyond 2^53 precision does not matter: such a part fails the range checks anyway.
    value = value * radix + hexValue(c);
  }
  return value;
}

/** https://url.spec.whatwg.org/#concept-ipv4-serializer */
function serializeIPv4(address) {
  return `${MathFloor(address / 0x1000000) % 256}.${MathFloor(address / 0x10000) % 256}.` +
    `${MathFloor(address / 0x100) % 256}.${address % 256}`;
}

/** https://url.spec.whatwg.org/#concept-ipv6-parser over code points; returns 8 pieces. */
function parseIPv6(input) {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  let pieceIndex = 0;
  let compress = null;
  let pointer = 0;
  const at = (p) => (p < input.length ? input[p] : EOF);
  if (at(pointer) === 0x3a) {
    if (at(pointer + 1) !== 0x3a) return FAILURE;
    pointer += 2;
    pieceIndex++;
    compress = pieceIndex;
  }
  while (at(pointer) !== EOF) {
    if (pieceIndex === 8) return FAILURE;
    if (at(pointer) === 0x3a) {
      if (compress !== null) return FAILURE;
      pointer++;
      pieceIndex++;
      compress = pieceIndex;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && isAsciiHexDigit(at(pointer))) {
      value = value * 0x10 + hexValue(at(pointer));
      pointer++;
      length++;
    }
    if (at(pointer) === 0x2e) {
      // An IPv4 address in the last two pieces.
      if (length === 0) return FAILURE;
      pointer -= length;
      if (pieceIndex > 6) return FAILURE;
      let numbersSeen = 0;
      while (at(pointer) !== EOF) {
        let ipv4Piece = null;
        if (numbersSeen > 0) {
          if (at(pointer) === 0x2e && numbersSeen < 4) pointer++;
          else return FAILURE;
        }
        if (!isAsciiDigit(at(pointer))) return FAILURE;
        while (isAsciiDigit(at(pointer))) {
          const number = at(pointer) - 0x30;
          if (ipv4Piece === null) ipv4Piece = number;
          else if (ipv4Piece === 0) return FAILURE;
          else ipv4Piece = ipv4Piece * 10 + number;
          if (ipv4Piece > 255) return FAILURE;
          pointer++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return FAILURE;
      break;
    } else if (at(pointer) === 0x3a) {
      pointer++;
      if (at(pointer) === EOF) return FAILURE;
    } else if (at(pointer) !== EOF) {
      return FAILURE;
    }
    address[pieceIndex] = value;
    pieceIndex++;
  }
  if (compress !== null) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const piece = address[pieceIndex];
      address[pieceIndex] = address[compress + swaps - 1];
      address[compress + swaps - 1] = piece;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) {
    return FAILURE;
  }
  return address;
}

/** https://url.spec.whatwg.org/#concept-ipv6-serializer, compressing the first longest zero run. */
function serializeIPv6(address) {
  // "Find the IPv6 address compressed piece index": a run of at least two zero pieces.
  let longestIndex = null;
  let longestSize = 1;
  let foundIndex = null;
  let foundSize = 0;
  for (let i = 0; i < 8; i++) {
    if (address[i] !== 0) {
      if (foundSize > longestSize) {
        longestIndex = foundIndex;
        longestSize = foundSize;
      }
      foundIndex = null;
      foundSize = 0;
    } else {
      if (foundIndex === null) foundIndex = i;
      foundSize++;
    }
  }
  const compress = foundSize > longestSize ? foundIndex : longestIndex;
  let output = "";
  let ignore0 = false;
  for (let i = 0; i < 8; i++) {
    if (ignore0 && address[i] === 0) continue;
    ignore0 = false;
    if (compress === i) {
      output += i === 0 ? "::" : ":";
      ignore0 = true;
      continue;
    }
    output += NumberPrototypeToString(address[i], 16);
    if (i !== 7) output += ":";
  }
  return output;
}

/** https://url.spec.whatwg.org/#concept-opaque-host-parser */
function parseOpaqueHost(input) {
  if (containsForbidden(input, FORBIDDEN_HOST)) return FAILURE;
  return utf8PercentEncodeString(input, C0_CONTROL_SET);
}

// --- URLs (https://url.spec.whatwg.org/#urls) --------------------------------------------------

// https://url.spec.whatwg.org/#special-scheme and their default ports.
const SPECIAL_SCHEMES = { __proto__: null, ftp: 21, file: null, http: 80, https: 443, ws: 80, wss: 443 };
const isSpecialScheme = (scheme) => scheme in SPECIAL_SCHEMES;
const defaultPort = (scheme) => (scheme in SPECIAL_SCHEMES ? SPECIAL_SCHEMES[scheme] : null);
const isSpecial = (url) => url.scheme in SPECIAL_SCHEMES;
const includesCredentials = (url) => url.username !== "" || url.password !== "";
const hasOpaquePath = (url) => typeof url.path === "string";
const cannotHaveUsernamePasswordPort = (url) => url.host === null || url.host === "" || url.scheme === "file";

function newURLRecord() {
  return {
    __proto__: null,
    scheme: "",
    username: "",
    password: "",
    host: null,
    port: null,
    path: [],
    query: null,
    fragment: null,
  };
}

function cloneURLRecord(url) {
  const copy = newURLRecord();
  copy.scheme = url.scheme;
  copy.username = url.username;
  copy.password = url.password;
  copy.host = url.host;
  copy.port = url.port;
  copy.path = hasOpaquePath(url) ? url.path : ArrayPrototypeSlice(url.path);
  copy.query = url.query;
  copy.fragment = url.fragment;
  return copy;
}

/** https://url.spec.whatwg.org/#windows-drive-letter (string form). */
function isWindowsDriveLetter(string, normalizedOnly = false) {
  if (string.length !== 2 || !isAsciiAlpha(StringPrototypeCharCodeAt(string, 0))) return false;
  const second = StringPrototypeCharCodeAt(string, 1);
  return second === 0x3a || (!normalizedOnly && second === 0x7c);
}

/** https://url.spec.whatwg.org/#start-with-a-windows-drive-letter, on code points from pointer. */
function startsWithWindowsDriveLetter(input, pointer) {
  if (input.length - pointer < 2) return false;
  if (!isAsciiAlpha(input[pointer]) || (input[pointer + 1] !== 0x3a && input[pointer + 1] !== 0x7c)) return false;
  if (input.length - pointer === 2) return true;
  const third = input[pointer + 2];
  return third === 0x2f || third === 0x5c || third === 0x3f || third === 0x23;
}

/** https://url.spec.whatwg.org/#shorten-a-urls-path */
function shortenPath(url) {
  const path = url.path;
  if (url.scheme === "file" && path.length === 1 && isWindowsDriveLetter(path[0], true)) return;
  if (path.length > 0) ArrayPrototypePop(path);
}

// https://url.spec.whatwg.org/#single-dot-path-segment and #double-dot-path-segment
function isSingleDotSegment(segment) {
  return segment === "." || (segment.length === 3 && asciiLowercase(segment) === "%2e");
}
function isDoubleDotSegment(segment) {
  if (segment === "..") return true;
  const lower = asciiLowercase(segment);
  return lower === ".%2e" || lower === "%2e." || lower === "%2e%2e";
}

// The states of the basic URL parser.
const SCHEME_START = 1;
const SCHEME = 2;
const NO_SCHEME = 3;
const SPECIAL_RELATIVE_OR_AUTHORITY = 4;
const PATH_OR_AUTHORITY = 5;
const RELATIVE = 6;
const RELATIVE_SLASH = 7;
const SPECIAL_AUTHORITY_SLASHES = 8;
const SPECIAL_AUTHORITY_IGNORE_SLASHES = 9;
const AUTHORITY = 10;
const HOST = 11;
const HOSTNAME = 12;
const PORT = 13;
const FILE = 14;
const FILE_SLASH = 15;
const FILE_HOST = 16;
const PATH_START = 17;
const PATH = 18;
const OPAQUE_PATH = 19;
const QUERY = 20;
const FRAGMENT = 21;

// A fast path for the URLs a server sees on every request (`new URL(request.url)`): absolute
// http(s) or ws(s), plain ASCII, no userinfo, fragment, dot segments, IP-address-like or
// punycode hosts. For those the basic parser's result is the input with scheme and host
// lower-cased, a default port dropped and the path split on "/": built here without running
// the state machine. Anything else, even slightly unusual, takes the full parser.
const SIMPLE_URL = /^(https?|wss?):\/\/([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)(?::([0-9]{1,5}))?(\/[A-Za-z0-9\-._~!$&'()*+,;=:@\/%]*)?(?:\?([A-Za-z0-9\-._~!$&()*+,;=:@\/?%]*))?$/i;
const PUNYCODE_LABEL = /(?:^|\.)xn--/i;
const NUMERIC_LAST_LABEL = /(?:^|\.)(?:0x[0-9a-f]*|[0-9]+)$/i;
const DOT_SEGMENT_CANDIDATE = /\/\.|%2e/i;

function parseSimpleAbsoluteURL(input) {
  const match = RegExpPrototypeExec(SIMPLE_URL, input);
  if (match === null) return null;
  const [, scheme, host, port, path, query] = match;
  if (RegExpPrototypeTest(PUNYCODE_LABEL, host) || RegExpPrototypeTest(NUMERIC_LAST_LABEL, host) ||
      (path !== undefined && RegExpPrototypeTest(DOT_SEGMENT_CANDIDATE, path))) {
    return null;
  }
  const url = newURLRecord();
  url.scheme = StringPrototypeToLowerCase(scheme);
  url.host = StringPrototypeToLowerCase(host);
  if (port !== undefined) {
    const number = NumberParseInt(port, 10);
    if (number > 65535) return null;
    url.port = number === SPECIAL_SCHEMES[url.scheme] ? null : number;
  }
  url.path = path === undefined ? [""] : StringPrototypeSplit(StringPrototypeSlice(path, 1), "/");
  url.query = query === undefined ? null : query;
  return url;
}

// A server parses the same few request URLs over and over, so the fast path's records are
// remembered by input. Every caller gets its own copy (the URL setters change records in place),
// and a full memo is emptied rather than frozen, so that one-off URLs do not keep out the hot ones.
const SIMPLE_URL_MEMO_LIMIT = 256;
const SIMPLE_URL_MEMO_MAX_LENGTH = 512;
const simpleURLs = new SafeMap();

function parseSimpleAbsoluteURLRemembered(input) {
  let url = simpleURLs.get(input);
  if (url === undefined) {
    url = parseSimpleAbsoluteURL(input);
    if (url === null || input.length > SIMPLE_URL_MEMO_MAX_LENGTH) return url;
    if (simpleURLs.size >= SIMPLE_URL_MEMO_LIMIT) simpleURLs.clear();
    simpleURLs.set(input, url);
  }
  return cloneURLRecord(url);
}

/**
 * https://url.spec.whatwg.org/#concept-basic-url-parser. Without url/stateOverride it returns a
 * new URL record or FAILURE; with them (the API setters) it modifies url in place and the
 * return value only says whether it stopped on a failure.
 */
function basicURLParse(inputString, base = null, url = undefined, stateOverride = 0) {
  if (url === undefined && stateOverride === 0) {
    const simple = parseSimpleAbsoluteURLRemembered(inputString);
    if (simple !== null) return simple;
  }
  let begin = 0;
  let end = inputString.length;
  if (url === undefined) {
    url = newURLRecord();
    // Remove leading and trailing C0 control or space.
    while (begin < end && StringPrototypeCharCodeAt(inputString, begin) <= 0x20) begin++;
    while (end > begin && StringPrototypeCharCodeAt(inputString, end - 1) <= 0x20) end--;
  }
  // Remove all ASCII tab or newline; work on code points from here on.
  const input = [];
  for (let i = begin; i < end; i++) {
    let cp = StringPrototypeCodePointAt(inputString, i);
    if (cp > 0xffff) i++;
    else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) ArrayPrototypePush(input, cp);
  }
  const length = input.length;

  let state = stateOverride || SCHEME_START;
  let buffer = "";
  let atSignSeen = false;
  let insideBrackets = false;
  let passwordTokenSeen = false;

  for (let pointer = 0; ; pointer++) {
    const c = pointer < length ? input[pointer] : EOF;
    switch (state) {
      case SCHEME_START:
        if (isAsciiAlpha(c)) {
          buffer += StringFromCharCode(asciiLowerCode(c));
          state = SCHEME;
        } else if (!stateOverride) {
          state = NO_SCHEME;
          pointer--;
        } else {
          return FAILURE;
        }
        break;

      case SCHEME:
        if (isAsciiAlphanumeric(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
          buffer += StringFromCharCode(asciiLowerCode(c));
        } else if (c === 0x3a) {
          if (stateOverride) {
            // The protocol setter cannot move a URL between special and non-special schemes,
            // nor make a URL with credentials, a port or an empty host a file URL or vice versa.
            if (isSpecial(url) && !isSpecialScheme(buffer)) return url;
            if (!isSpecial(url) && isSpecialScheme(buffer)) return url;
            if ((includesCredentials(url) || url.port !== null) && buffer === "file") return url;
            if (url.scheme === "file" && url.host === "") return url;
          }
          url.scheme = buffer;
          if (stateOverride) {
            if (url.port === defaultPort(url.scheme)) url.port = null;
            return url;
          }
          buffer = "";
          if (url.scheme === "file") {
            state = FILE;
          } else if (isSpecial(url) && base !== null && base.scheme === url.scheme) {
            state = SPECIAL_RELATIVE_OR_AUTHORITY;
          } else if (isSpecial(url)) {
            state = SPECIAL_AUTHORITY_SLASHES;
          } else if (input[pointer + 1] === 0x2f) {
            state = PATH_OR_AUTHORITY;
            pointer++;
          } else {
            url.path = "";
            state = OPAQUE_PATH;
          }
        } else if (!stateOverride) {
          // Not a scheme after all: start over from the first code point.
          buffer = "";
          state = NO_SCHEME;
          pointer = -1;
        } else {
          return FAILURE;
        }
        break;

      case NO_SCHEME:
        if (base === null || (hasOpaquePath(base) && c !== 0x23)) {
          return FAILURE;
        } else if (hasOpaquePath(base) && c === 0x23) {
          url.scheme = base.scheme;
          url.path = base.path;
          url.query = base.query;
          url.fragment = "";
          state = FRAGMENT;
        } else if (base.scheme !== "file") {
          state = RELATIVE;
          pointer--;
        } else {
          state = FILE;
          pointer--;
        }
        break;

      case SPECIAL_RELATIVE_OR_AUTHORITY:
        if (c === 0x2f && input[pointer + 1] === 0x2f) {
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer++;
        } else {
          state = RELATIVE;
          pointer--;
        }
        break;

      case PATH_OR_AUTHORITY:
        if (c === 0x2f) {
          state = AUTHORITY;
        } else {
          state = PATH;
          pointer--;
        }
        break;

      case RELATIVE:
        url.scheme = base.scheme;
        if (c === 0x2f || (isSpecial(url) && c === 0x5c)) {
          state = RELATIVE_SLASH;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          url.path = ArrayPrototypeSlice(base.path);
          url.query = base.query;
          if (c === 0x3f) {
            url.query = "";
            state = QUERY;
          } else if (c === 0x23) {
            url.fragment = "";
            state = FRAGMENT;
          } else if (c !== EOF) {
            url.query = null;
            shortenPath(url);
            state = PATH;
            pointer--;
          }
        }
        break;

      case RELATIVE_SLASH:
        if (isSpecial(url) && (c === 0x2f || c === 0x5c)) {
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
        } else if (c === 0x2f) {
          state = AUTHORITY;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          state = PATH;
          pointer--;
        }
        break;

      case SPECIAL_AUTHORITY_SLASHES:
        if (c === 0x2f && input[pointer + 1] === 0x2f) {
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer++;
        } else {
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer--;
        }
        break;

      case SPECIAL_AUTHORITY_IGNORE_SLASHES:
        if (c !== 0x2f && c !== 0x5c) {
          state = AUTHORITY;
          pointer--;
        }
        break;

      case AUTHORITY:
        if (c === 0x40) {
          // A second "@" belongs to the userinfo: the last "@" ends it.
          if (atSignSeen) buffer = `%40${buffer}`;
          atSignSeen = true;
          const codePoints = toCodePoints(buffer);
          for (let i = 0; i < codePoints.length; i++) {
            const codePoint = codePoints[i];
            if (codePoint === 0x3a && !passwordTokenSeen) {
              passwordTokenSeen = true;
              continue;
            }
            const encoded = percentEncodeCodePoint(codePoint, USERINFO_SET);
            if (passwordTokenSeen) url.password += encoded;
            else url.username += encoded;
          }
          buffer = "";
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 || (isSpecial(url) && c === 0x5c)) {
          if (atSignSeen && buffer === "") return FAILURE; // host-missing
          // Rewind and parse the buffered code points again as the host.
          pointer -= countCodePoints(buffer) + 1;
          buffer = "";
          state = HOST;
        } else {
          buffer += StringFromCodePoint(c);
        }
        break;

      case HOST:
      case HOSTNAME:
        if (stateOverride && url.scheme === "file") {
          pointer--;
          state = FILE_HOST;
        } else if (c === 0x3a && !insideBrackets) {
          if (buffer === "") return FAILURE; // host-missing
          if (stateOverride === HOSTNAME) return FAILURE;
          const host = parseHost(buffer, !isSpecial(url));
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = "";
          state = PORT;
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 || (isSpecial(url) && c === 0x5c)) {
          pointer--;
          if (isSpecial(url) && buffer === "") return FAILURE; // host-missing
          if (stateOverride && buffer === "" && (includesCredentials(url) || url.port !== null)) return FAILURE;
          const host = parseHost(buffer, !isSpecial(url));
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = "";
          state = PATH_START;
          if (stateOverride) return url;
        } else {
          if (c === 0x5b) insideBrackets = true;
          if (c === 0x5d) insideBrackets = false;
          buffer += StringFromCodePoint(c);
        }
        break;

      case PORT:
        if (isAsciiDigit(c)) {
          buffer += StringFromCharCode(c);
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 || (isSpecial(url) && c === 0x5c) ||
            stateOverride) {
          if (buffer !== "") {
            let port = 0;
            for (let i = 0; i < buffer.length; i++) {
              port = port * 10 + StringPrototypeCharCodeAt(buffer, i) - 0x30;
              if (port > 65535) return FAILURE; // port-out-of-range
            }
            url.port = port === defaultPort(url.scheme) ? null : port;
            buffer = "";
            if (stateOverride) return url;
          }
          if (stateOverride) return FAILURE;
          state = PATH_START;
          pointer--;
        } else {
          return FAILURE; // port-invalid
        }
        break;

      case FILE:
        url.scheme = "file";
        url.host = "";
        if (c === 0x2f || c === 0x5c) {
          state = FILE_SLASH;
        } else if (base !== null && base.scheme === "file") {
          url.host = base.host;
          url.path = ArrayPrototypeSlice(base.path);
          url.query = base.query;
          if (c === 0x3f) {
            url.query = "";
            state = QUERY;
          } else if (c === 0x23) {
            url.fragment = "";
            state = FRAGMENT;
          } else if (c !== EOF) {
            url.query = null;
            // The (platform-independent) Windows drive letter quirk.
            if (!startsWithWindowsDriveLetter(input, pointer)) shortenPath(url);
            else url.path = [];
            state = PATH;
            pointer--;
          }
        } else {
          state = PATH;
          pointer--;
        }
        break;

      case FILE_SLASH:
        if (c === 0x2f || c === 0x5c) {
          state = FILE_HOST;
        } else {
          if (base !== null && base.scheme === "file") {
            url.host = base.host;
            if (!startsWithWindowsDriveLetter(input, pointer) && base.path.length > 0 &&
                isWindowsDriveLetter(base.path[0], true)) {
              ArrayPrototypePush(url.path, base.path[0]);
            }
          }
          state = PATH;
          pointer--;
        }
        break;

      case FILE_HOST:
        if (c === EOF || c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23) {
          pointer--;
          if (!stateOverride && isWindowsDriveLetter(buffer)) {
            // file://c:/ — the buffer is kept and becomes the first path segment.
            state = PATH;
          } else if (buffer === "") {
            url.host = "";
            if (stateOverride) return url;
            state = PATH_START;
          } else {
            let host = parseHost(buffer, !isSpecial(url));
            if (host === FAILURE) return FAILURE;
            if (host === "localhost") host = "";
            url.host = host;
            if (stateOverride) return url;
            buffer = "";
            state = PATH_START;
          }
        } else {
          buffer += StringFromCodePoint(c);
        }
        break;

      case PATH_START:
        if (isSpecial(url)) {
          state = PATH;
          if (c !== 0x2f && c !== 0x5c) pointer--;
        } else if (!stateOverride && c === 0x3f) {
          url.query = "";
          state = QUERY;
        } else if (!stateOverride && c === 0x23) {
          url.fragment = "";
          state = FRAGMENT;
        } else if (c !== EOF) {
          state = PATH;
          if (c !== 0x2f) pointer--;
        } else if (stateOverride && url.host === null) {
          ArrayPrototypePush(url.path, "");
        }
        break;

      case PATH: {
        const slash = c === 0x2f || (isSpecial(url) && c === 0x5c);
        if (c === EOF || slash || (!stateOverride && (c === 0x3f || c === 0x23))) {
          if (isDoubleDotSegment(buffer)) {
            shortenPath(url);
            // "/usr/.." is "/", not an empty path.
            if (!slash) ArrayPrototypePush(url.path, "");
          } else if (isSingleDotSegment(buffer) && !slash) {
            ArrayPrototypePush(url.path, "");
          } else if (!isSingleDotSegment(buffer)) {
            if (url.scheme === "file" && url.path.length === 0 && isWindowsDriveLetter(buffer)) {
              buffer = `${StringPrototypeSlice(buffer, 0, 1)}:`;
            }
            ArrayPrototypePush(url.path, buffer);
          }
          buffer = "";
          if (c === 0x3f) {
            url.query = "";
            state = QUERY;
          }
          if (c === 0x23) {
            url.fragment = "";
            state = FRAGMENT;
          }
        } else {
          buffer += percentEncodeCodePoint(c, PATH_SET);
        }
        break;
      }

      case OPAQUE_PATH:
        if (c === 0x3f) {
          url.query = "";
          state = QUERY;
        } else if (c === 0x23) {
          url.fragment = "";
          state = FRAGMENT;
        } else if (c === 0x20) {
          // An opaque path never ends in a space, so that it survives a round trip.
          const next = input[pointer + 1];
          url.path += next === 0x3f || next === 0x23 ? "%20" : " ";
        } else if (c !== EOF) {
          url.path += percentEncodeCodePoint(c, C0_CONTROL_SET);
        }
        break;

      case QUERY:
        if ((!stateOverride && c === 0x23) || c === EOF) {
          const set = isSpecial(url) ? SPECIAL_QUERY_SET : QUERY_SET;
          url.query += utf8PercentEncodeString(buffer, set);
          buffer = "";
          if (c === 0x23) {
            url.fragment = "";
            state = FRAGMENT;
          }
        } else if (c !== EOF) {
          buffer += StringFromCodePoint(c);
        }
        break;

      case FRAGMENT:
        if (c !== EOF) url.fragment += percentEncodeCodePoint(c, FRAGMENT_SET);
        break;
    }
    if (pointer >= length) break;
  }
  return url;
}

/** https://url.spec.whatwg.org/#url-path-serializer */
function serializePath(url) {
  if (hasOpaquePath(url)) return url.path;
  let output = "";
  for (let i = 0; i < url.path.length; i++) output += `/${url.path[i]}`;
  return output;
}

/** https://url.spec.whatwg.org/#concept-url-serializer */
function serializeURL(url, excludeFragment = false) {
  let output = `${url.scheme}:`;
  if (url.host !== null) {
    output += "//";
    if (includesCredentials(url)) {
      output += url.username;
      if (url.password !== "") output += `:${url.password}`;
      output += "@";
    }
    output += url.host;
    if (url.port !== null) output += `:${url.port}`;
  }
  // Keeps "web+demo:/.//not-a-host/" from turning into a URL with a host when reparsed.
  if (url.host === null && !hasOpaquePath(url) && url.path.length > 1 && url.path[0] === "") output += "/.";
  output += serializePath(url);
  if (url.query !== null) output += `?${url.query}`;
  if (!excludeFragment && url.fragment !== null) output += `#${url.fragment}`;
  return output;
}

/**
 * https://url.spec.whatwg.org/#concept-url-origin, serialized as
 * https://html.spec.whatwg.org/#ascii-serialisation-of-an-origin ("null" when opaque).
 */
function serializeOrigin(url) {
  switch (url.scheme) {
    case "blob": {
      const pathURL = basicURLParse(serializePath(url));
      if (pathURL === FAILURE) return "null";
      if (pathURL.scheme === "http" || pathURL.scheme === "https" || pathURL.scheme === "file") {
        return serializeOrigin(pathURL);
      }
      return "null";
    }
    case "ftp":
    case "http":
    case "https":
    case "ws":
    case "wss":
      return `${url.scheme}://${url.host}${url.port === null ? "" : `:${url.port}`}`;
    default:
      // file: "left as an exercise to the reader", so an opaque origin like every other scheme.
      return "null";
  }
}

/** https://url.spec.whatwg.org/#api-url-parser */
function apiURLParse(url, base) {
  let parsedBase = null;
  if (base !== undefined) {
    parsedBase = basicURLParse(base);
    if (parsedBase === FAILURE) return FAILURE;
  }
  return basicURLParse(url, parsedBase);
}

// --- application/x-www-form-urlencoded (https://url.spec.whatwg.org/#application/x-www-form-urlencoded)

function decodeFormComponent(string) {
  let replaced = "";
  let plain = true;
  for (let i = 0; i < string.length; i++) {
    const c = StringPrototypeCharCodeAt(string, i);
    if (c === 0x25) plain = false;
    replaced += c === 0x2b ? " " : StringFromCharCode(c);
  }
  // Without "%" the percent-decode and UTF-8 decode round trip is the identity.
  return plain ? replaced : utf8DecodeWithoutBOM(percentDecodeString(replaced));
}

/** https://url.spec.whatwg.org/#concept-urlencoded-string-parser; returns [name, value] pairs. */
function parseUrlencoded(input) {
  const output = [];
  const sequences = strictlySplit(input, 0x26);
  for (let i = 0; i < sequences.length; i++) {
    const bytes = sequences[i];
    if (bytes === "") continue;
    let name = bytes;
    let value = "";
    for (let j = 0; j < bytes.length; j++) {
      if (StringPrototypeCharCodeAt(bytes, j) === 0x3d) {
        name = StringPrototypeSlice(bytes, 0, j);
        value = StringPrototypeSlice(bytes, j + 1);
        break;
      }
    }
    ArrayPrototypePush(output, [decodeFormComponent(name), decodeFormComponent(value)]);
  }
  return output;
}

/** https://url.spec.whatwg.org/#concept-urlencoded-serializer */
function serializeUrlencoded(tuples) {
  let output = "";
  for (let i = 0; i < tuples.length; i++) {
    const name = utf8PercentEncodeString(tuples[i][0], URLENCODED_SET, true);
    const value = utf8PercentEncodeString(tuples[i][1], URLENCODED_SET, true);
    if (output !== "") output += "&";
    output += `${name}=${value}`;
  }
  return output;
}

// --- URLSearchParams (https://url.spec.whatwg.org/#interface-urlsearchparams) ----------------

const USVString = webidl.converters.USVString;
const toUSVStringSequence = webidl.createSequenceConverter(USVString);
const paramsPrefix = (method) => `Failed to execute '${method}' on 'URLSearchParams'`;

// The state of a URLSearchParams: its list of [name, value] tuples and the URL object it is the
// query object of, or null. Of a URL: its URL record and its URLSearchParams, made when first
// asked for. Kept with webidl.setState, not in private fields: see there.
const listOf = (params) => stateOf(params).list;
const setList = (params, list) => {
  stateOf(params).list = list;
};
// The URL object's record, looked up on every update since the href setter replaces it.
const recordOf = (urlObject) => stateOf(urlObject).url;
// The list a URL record's query parses to, for its query object.
const queryListOf = (record) => (record.query === null ? [] : parseUrlencoded(record.query));

/** https://url.spec.whatwg.org/#concept-urlsearchparams-update */
function update(params) {
  const { list, urlObject } = stateOf(params);
  if (urlObject === null) return;
  const serializedQuery = serializeUrlencoded(list);
  recordOf(urlObject).query = serializedQuery === "" ? null : serializedQuery;
}

class URLSearchParams {
  constructor(init = "") {
    const prefix = "Failed to construct 'URLSearchParams'";
    setState(this, { list: [], urlObject: null });
    // (sequence<sequence<USVString>> or record<USVString, USVString> or USVString): an object
    // with an @@iterator is a sequence, any other object a record.
    if (init !== null && (typeof init === "object" || typeof init === "function")) {
      const method = init[SymbolIterator];
      if (method !== undefined && method !== null) {
        if (typeof method !== "function") {
          throw webidl.makeException(TypeError, "The object's @@iterator is not callable.", prefix, "Argument 1");
        }
        const list = [];
        for (const pair of init) {
          const inner = toUSVStringSequence(pair, prefix, "Argument 1 pair");
          if (inner.length !== 2) {
            throw webidl.makeException(TypeError,
              "Each query pair must be an iterable [name, value] tuple.", prefix, "Argument 1");
          }
          ArrayPrototypePush(list, [inner[0], inner[1]]);
        }
        stateOf(this).list = list;
      } else {
        // record<USVString, USVString>: own enumerable keys in property order (functions too).
        const list = [];
        const keys = ReflectOwnKeys(init);
        for (let i = 0; i < keys.length; i++) {
          const descriptor = ReflectGetOwnPropertyDescriptor(init, keys[i]);
          if (descriptor === undefined || !descriptor.enumerable) continue;
          const name = USVString(keys[i], prefix, "Argument 1 key");
          const value = USVString(init[keys[i]], prefix, "Argument 1 value");
          // Keys that differ only in lone surrogates collide once converted: the last one wins.
          let index = 0;
          while (index < list.length && list[index][0] !== name) index++;
          list[index] = [name, value];
        }
        stateOf(this).list = list;
      }
    } else {
      let string = USVString(init, prefix, "Argument 1");
      if (StringPrototypeCharCodeAt(string, 0) === 0x3f) string = StringPrototypeSlice(string, 1);
      stateOf(this).list = parseUrlencoded(string);
    }
  }

  get size() {
    webidl.assertBranded(this, URLSearchParamsPrototype);
    return stateOf(this).list.length;
  }

  append(name, value) {
    webidl.assertBranded(this, URLSearchParamsPrototype);
    const prefix = paramsPrefix("append");
    webidl.requiredArguments(arguments.length, 2, prefix);
    name = USVString(name, prefix, "Argument 1");
    value = USVString(value, prefix, "Argument 2");
    ArrayPrototypePush(stateOf(this).list, [name, value]);
    update(this);
  }

  delete(name, value = undefined) {
    webidl.assertBranded(this, URLSearchParamsPrototype);
    const prefix = paramsPrefix("delete");
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = USVString(name, prefix, "Argument 1");
    if (value !== undefined) value = USVString(value, prefix, "Argument 2");
    const list = stateOf(this).list;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i][0] === name && (value === undefined || list[i][1] === value)) ArrayPrototypeSplice(list, i, 1);
    }
    update(this);
  }

  get(name) {
    webidl.assertBranded(this, URLSearchParamsPrototype);
    const prefix = paramsPrefix("get");
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = USVString(name, prefix, "Argument 1");
    const list = stateOf(this).list;
    for (let i = 0; i < list.length; i++) {
      if (list[i][0] === name) return list[i][1];
    }
    return null;
  }

  getAll(name) {
    webidl.assertBranded(this, URLSearchParamsPrototype);
    const prefix = paramsPrefix("getAll");
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = USVString(name, prefix, "Argument 1");
    const values = [];
    const list = stateOf(this).list;
    for (let i = 0; i < list.length; i++) {
      if (list[i][0] === name) ArrayPrototypePush(values, list[i][1]);
    }
    return values;
  }

  has(name, value = undefined) {
    webidl.assertBranded(this, URLSearchParamsPrototype);
    const prefix = paramsPrefix("has");
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = USVString(name, prefix, "Argument 1");
    if (value !== undefined) value = USVString(value, prefix, "Argument 2");
    const list = stateOf(this).list;
    for (let i = 0; i < list.length; i++) {
      if (list[i][0] === name && (value === undefined || list[i][1] === value)) return true;
    }
    return false;
  }

  set(name, value) {
    webidl.assertBranded(this, URLSearchParamsPrototype);
    const prefix = paramsPrefix("set");
    webidl.requiredArguments(arguments.length, 2, prefix);
    name = USVString(name, prefix, "Argument 1");
    value = USVString(value, prefix, "Argument 2");
    internals.infra.setPair(stateOf(this).list, name, value);
    update(this);
  }

  sort() {
    webidl.assertBranded(this, URLSearchParamsPrototype);
    // Stable (as Array.prototype.sort is), comparing names by UTF-16 code units.
    ArrayPrototypeSort(stateOf(this).list, (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    update(this);
  }

  toString() {
    webidl.assertBranded(this, URLSearchParamsPrototype);
    return serializeUrlencoded(stateOf(this).list);
  }
}
const URLSearchParamsPrototype = URLSearchParams.prototype;
webidl.mixinPairIterable("URLSearchParams", URLSearchParamsPrototype, (params) => listOf(params));
webidl.configureInterface(URLSearchParams);

// --- URL (https://url.spec.whatwg.org/#url-class) ----------------------------------------------

/** Passed as the first constructor argument to build a URL object from a parsed record. */
const FROM_RECORD = Symbol("URL from record");
const setterPrefix = (attribute) => `Failed to set the '${attribute}' property on 'URL'`;
const toValue = (value, attribute) => USVString(value, setterPrefix(attribute), "The provided value");

class URL {
  constructor(url, base = undefined) {
    let record;
    if (url === FROM_RECORD) {
      record = base;
    } else {
      const prefix = "Failed to construct 'URL'";
      webidl.requiredArguments(arguments.length, 1, prefix);
      url = USVString(url, prefix, "Argument 1");
      if (base !== undefined) base = USVString(base, prefix, "Argument 2");
      record = apiURLParse(url, base);
      if (record === FAILURE) {
        const withBase = base === undefined ? "" : ` with base '${base}'`;
        throw webidl.makeException(TypeError, `Invalid URL: '${url}'${withBase}`, prefix);
      }
    }
    // https://url.spec.whatwg.org/#concept-url-initialize; the query object is made when first
    // asked for (most URLs never are), from the record's query at that time.
    setState(this, { url: record, query: null });
  }

  static parse(url, base = undefined) {
    const prefix = "Failed to execute 'parse' on 'URL'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    url = USVString(url, prefix, "Argument 1");
    if (base !== undefined) base = USVString(base, prefix, "Argument 2");
    const record = apiURLParse(url, base);
    return record === FAILURE ? null : new URL(FROM_RECORD, record);
  }

  static canParse(url, base = undefined) {
    const prefix = "Failed to execute 'canParse' on 'URL'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    url = USVString(url, prefix, "Argument 1");
    if (base !== undefined) base = USVString(base, prefix, "Argument 2");
    return apiURLParse(url, base) !== FAILURE;
  }

  get href() {
    webidl.assertBranded(this, URLPrototype);
    return serializeURL(stateOf(this).url);
  }

  set href(value) {
    webidl.assertBranded(this, URLPrototype);
    value = toValue(value, "href");
    const record = basicURLParse(value);
    if (record === FAILURE) throw webidl.makeException(TypeError, `Invalid URL: '${value}'`, setterPrefix("href"));
    const state = stateOf(this);
    state.url = record;
    if (state.query !== null) setList(state.query, queryListOf(record));
  }

  toString() {
    webidl.assertBranded(this, URLPrototype);
    return serializeURL(stateOf(this).url);
  }

  toJSON() {
    webidl.assertBranded(this, URLPrototype);
    return serializeURL(stateOf(this).url);
  }

  get origin() {
    webidl.assertBranded(this, URLPrototype);
    return serializeOrigin(stateOf(this).url);
  }

  get protocol() {
    webidl.assertBranded(this, URLPrototype);
    return `${stateOf(this).url.scheme}:`;
  }

  set protocol(value) {
    webidl.assertBranded(this, URLPrototype);
    value = toValue(value, "protocol");
    basicURLParse(`${value}:`, null, stateOf(this).url, SCHEME_START);
  }

  get username() {
    webidl.assertBranded(this, URLPrototype);
    return stateOf(this).url.username;
  }

  set username(value) {
    webidl.assertBranded(this, URLPrototype);
    value = toValue(value, "username");
    if (cannotHaveUsernamePasswordPort(stateOf(this).url)) return;
    stateOf(this).url.username = utf8PercentEncodeString(value, USERINFO_SET);
  }

  get password() {
    webidl.assertBranded(this, URLPrototype);
    return stateOf(this).url.password;
  }

  set password(value) {
    webidl.assertBranded(this, URLPrototype);
    value = toValue(value, "password");
    if (cannotHaveUsernamePasswordPort(stateOf(this).url)) return;
    stateOf(this).url.password = utf8PercentEncodeString(value, USERINFO_SET);
  }

  get host() {
    webidl.assertBranded(this, URLPrototype);
    const url = stateOf(this).url;
    if (url.host === null) return "";
    return url.port === null ? url.host : `${url.host}:${url.port}`;
  }

  set host(value) {
    webidl.assertBranded(this, URLPrototype);
    value = toValue(value, "host");
    if (hasOpaquePath(stateOf(this).url)) return;
    basicURLParse(value, null, stateOf(this).url, HOST);
  }

  get hostname() {
    webidl.assertBranded(this, URLPrototype);
    return stateOf(this).url.host === null ? "" : stateOf(this).url.host;
  }

  set hostname(value) {
    webidl.assertBranded(this, URLPrototype);
    value = toValue(value, "hostname");
    if (hasOpaquePath(stateOf(this).url)) return;
    basicURLParse(value, null, stateOf(this).url, HOSTNAME);
  }

  get port() {
    webidl.assertBranded(this, URLPrototype);
    return stateOf(this).url.port === null ? "" : `${stateOf(this).url.port}`;
  }

  set port(value) {
    webidl.assertBranded(this, URLPrototype);
    value = toValue(value, "port");
    if (cannotHaveUsernamePasswordPort(stateOf(this).url)) return;
    if (value === "") stateOf(this).url.port = null;
    else basicURLParse(value, null, stateOf(this).url, PORT);
  }

  get pathname() {
    webidl.assertBranded(this, URLPrototype);
    return serializePath(stateOf(this).url);
  }

  set pathname(value) {
    webidl.assertBranded(this, URLPrototype);
    value = toValue(value, "pathname");
    if (hasOpaquePath(stateOf(this).url)) return;
    stateOf(this).url.path = [];
    basicURLParse(value, null, stateOf(this).url, PATH_START);
  }

  get search() {
    webidl.assertBranded(this, URLPrototype);
    const query = stateOf(this).url.query;
    return query === null || query === "" ? "" : `?${query}`;
  }

  set search(value) {
    webidl.assertBranded(this, URLPrototype);
    value = toValue(value, "search");
    const state = stateOf(this);
    const url = state.url;
    if (value === "") {
      url.query = null;
      if (state.query !== null) setList(state.query, []);
      return;
    }
    const input = StringPrototypeCharCodeAt(value, 0) === 0x3f ? StringPrototypeSlice(value, 1) : value;
    url.query = "";
    basicURLParse(input, null, url, QUERY);
    if (state.query !== null) setList(state.query, parseUrlencoded(input));
  }

  get searchParams() {
    webidl.assertBranded(this, URLPrototype);
    const state = stateOf(this);
    if (state.query === null) {
      const query = new URLSearchParams();
      const queryState = stateOf(query);
      queryState.list = queryListOf(state.url);
      queryState.urlObject = this;
      state.query = query;
    }
    return state.query;
  }

  get hash() {
    webidl.assertBranded(this, URLPrototype);
    const fragment = stateOf(this).url.fragment;
    return fragment === null || fragment === "" ? "" : `#${fragment}`;
  }

  set hash(value) {
    webidl.assertBranded(this, URLPrototype);
    value = toValue(value, "hash");
    const url = stateOf(this).url;
    if (value === "") {
      url.fragment = null;
      return;
    }
    const input = StringPrototypeCharCodeAt(value, 0) === 0x23 ? StringPrototypeSlice(value, 1) : value;
    url.fragment = "";
    basicURLParse(input, null, url, FRAGMENT);
  }
}
const URLPrototype = URL.prototype;
webidl.configureInterface(URL);
// WebIDL static operations are enumerable too.
for (const key of ["parse", "canParse"]) {
  const descriptor = ObjectGetOwnPropertyDescriptor(URL, key);
  descriptor.enumerable = true;
  ObjectDefineProperty(URL, key, descriptor);
}

const STATE_OVERRIDES = ObjectFreeze({
  __proto__: null, hostname: HOSTNAME, port: PORT, "path start": PATH_START, "opaque path": OPAQUE_PATH,
  query: QUERY, fragment: FRAGMENT,
});

internals.URL = URL;
internals.URLSearchParams = URLSearchParams;
internals.url = ObjectFreeze({
  __proto__: null,
  /**
   * Parses input (a string) against base (null/undefined, a string, or a record from here) and
   * returns a fresh URL record, or null on failure — including an unparsable base.
   */
  parse(input, base = null) {
    if (typeof base === "string") {
      base = basicURLParse(base);
      if (base === FAILURE) return null;
    }
    const record = basicURLParse(`${input}`, base ?? null);
    return record === FAILURE ? null : record;
  },
  /** The URL serializer; excludeFragment drops the fragment, as Fetch often asks. */
  serialize: (record, excludeFragment = false) => serializeURL(record, excludeFragment),
  /** The ASCII serialization of the record's origin ("null" for opaque origins). */
  origin: (record) => serializeOrigin(record),
  /** The record behind a URL object (live: do not modify it). */
  recordOf: (urlObject) => recordOf(urlObject),
  clone: (record) => cloneURLRecord(record),
  /** application/x-www-form-urlencoded parsing and serializing of [name, value] lists. */
  parseUrlencoded: (string) => parseUrlencoded(string),
  serializeUrlencoded: (tuples) => serializeUrlencoded(tuples),
  /** The [name, value] list behind a URLSearchParams object (live). */
  searchParamsList: (params) => listOf(params),
  // For URLPattern's canonicalization (https://urlpattern.spec.whatwg.org/#canon-encoding-callbacks):
  /**
   * Runs the basic URL parser on input with record as url and the named state as state override
   * ("hostname", "port", "path start", "opaque path", "query" or "fragment"); false on failure.
   */
  parseWithStateOverride(input, record, stateName) {
    const state = STATE_OVERRIDES[stateName];
    return basicURLParse(`${input}`, null, record, state) !== FAILURE;
  },
  /** https://url.spec.whatwg.org/#set-the-username and #set-the-password, on a record. */
  setUsername: (record, value) => {
    record.username = utf8PercentEncodeString(value, USERINFO_SET);
  },
  setPassword: (record, value) => {
    record.password = utf8PercentEncodeString(value, USERINFO_SET);
  },
  /** https://url.spec.whatwg.org/#url-path-serializer */
  serializePath: (record) => serializePath(record),
  hasOpaquePath: (record) => hasOpaquePath(record),
  isSpecialScheme: (scheme) => isSpecialScheme(scheme),
  defaultPort: (scheme) => defaultPort(scheme),
});
