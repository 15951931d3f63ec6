// Infra and HTTP fetch-standard primitives shared by the families
// (https://infra.spec.whatwg.org/, https://fetch.spec.whatwg.org/#terminology-http).
const { ArrayPrototypePush, ArrayPrototypeSplice, RegExpPrototypeTest, RegExpReplaceAll, String } = internals.primordials;

// https://fetch.spec.whatwg.org/#concept-method and RFC 9110 token.
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// https://fetch.spec.whatwg.org/#http-whitespace: tab, LF, CR, space.
const HTTP_WHITESPACE_EDGES = /^[\t\n\r ]+|[\t\n\r ]+$/g;
// https://fetch.spec.whatwg.org/#header-value: no NUL, LF or CR.
const HEADER_VALUE_FORBIDDEN = /[\0\n\r]/;

const infra = Object.create(null);

infra.isHttpToken = (s) => RegExpPrototypeTest(HTTP_TOKEN, s);

/** https://fetch.spec.whatwg.org/#concept-header-value-normalize */
infra.normalizeHeaderValue = (value) => {
  if (value.length === 0) return value;
  const first = value[0];
  const last = value[value.length - 1];
  // Most values have no edge whitespace: skip the regex and the new string.
  if (first !== " " && first !== "\t" && first !== "\n" && first !== "\r" &&
      last !== " " && last !== "\t" && last !== "\n" && last !== "\r") {
    return value;
  }
  return RegExpReplaceAll(value, HTTP_WHITESPACE_EDGES, () => "");
};

infra.isHeaderValue = (value) => !RegExpPrototypeTest(HEADER_VALUE_FORBIDDEN, value);

/**
 * In a list of [name, value] pairs: replace the first pair named `name`, drop the others, or
 * append one. Both header lists (https://fetch.spec.whatwg.org/#concept-header-list-set) and
 * URLSearchParams lists (https://url.spec.whatwg.org/#dom-urlsearchparams-set) set this way.
 */
infra.setPair = (list, name, value) => {
  let found = false;
  for (let i = 0; i < list.length; i++) {
    if (list[i][0] !== name) continue;
    if (!found) {
      list[i] = [name, value];
      found = true;
    } else {
      ArrayPrototypeSplice(list, i--, 1);
    }
  }
  if (!found) ArrayPrototypePush(list, [name, value]);
};

/** A thrown value as a log line: its stack when it has one, else its string form; never throws. */
infra.describe = (value) => {
  try {
    if (typeof value === "object" && value !== null && typeof value.stack === "string") return value.stack;
    return String(value);
  } catch {
    return "(an unprintable value)";
  }
};

internals.infra = infra;
