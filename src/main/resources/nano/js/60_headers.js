// Headers (https://fetch.spec.whatwg.org/#headers-class).
//
// Deliberate departure, shared with Deno and workerd: server runtimes do not enforce the
// browser's forbidden request/response header names, so the "request" and "response" guards
// behave like "none". The "immutable" guard is enforced.
const {
  ArrayPrototypePush,
  ArrayPrototypeSort,
  ArrayPrototypeSplice,
  ObjectCreate,
  ObjectKeys,
  SafeMap,
  StringPrototypeToLowerCase,
  SymbolIterator,
  TypeError,
} = internals.primordials;
const { webidl, infra } = internals;
const { stateOf, setState } = webidl;

const prefixOf = (method) => `Failed to execute '${method}' on 'Headers'`;

function checkName(name, prefix) {
  if (!infra.isHttpToken(name)) {
    throw webidl.makeException(TypeError, `'${name}' is not a valid HTTP header name.`, prefix);
  }
}

function normalizeValue(value, prefix) {
  const normalized = infra.normalizeHeaderValue(value);
  if (!infra.isHeaderValue(normalized)) {
    throw webidl.makeException(TypeError, `'${value}' is not a valid HTTP header value.`, prefix);
  }
  return normalized;
}

class Headers {
  constructor(init = undefined) {
    // The state (see webidl.stateOf): [lower-case name, value] pairs in insertion order, and the
    // guard ("immutable", "request", "request-no-cors", "response" or "none").
    setState(this, { headerList: [], guard: "none" });
    if (init !== undefined) {
      fillHeaderList(stateOf(this).headerList, init, "Failed to construct 'Headers'");
    }
  }

  append(name, value) {
    webidl.assertBranded(this, HeadersPrototype);
    const prefix = prefixOf("append");
    webidl.requiredArguments(arguments.length, 2, prefix);
    name = webidl.converters.ByteString(name, prefix, "Argument 1");
    value = webidl.converters.ByteString(value, prefix, "Argument 2");
    appendHeader(this, name, value, prefix);
  }

  delete(name) {
    webidl.assertBranded(this, HeadersPrototype);
    const prefix = prefixOf("delete");
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = webidl.converters.ByteString(name, prefix, "Argument 1");
    checkName(name, prefix);
    checkMutable(this, prefix);
    const key = StringPrototypeToLowerCase(name);
    const list = stateOf(this).headerList;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i][0] === key) ArrayPrototypeSplice(list, i, 1);
    }
  }

  get(name) {
    webidl.assertBranded(this, HeadersPrototype);
    const prefix = prefixOf("get");
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = webidl.converters.ByteString(name, prefix, "Argument 1");
    checkName(name, prefix);
    return getHeader(stateOf(this).headerList, StringPrototypeToLowerCase(name));
  }

  getSetCookie() {
    webidl.assertBranded(this, HeadersPrototype);
    const values = [];
    for (const [name, value] of stateOf(this).headerList) {
      if (name === "set-cookie") ArrayPrototypePush(values, value);
    }
    return values;
  }

  has(name) {
    webidl.assertBranded(this, HeadersPrototype);
    const prefix = prefixOf("has");
    webidl.requiredArguments(arguments.length, 1, prefix);
    name = webidl.converters.ByteString(name, prefix, "Argument 1");
    checkName(name, prefix);
    const key = StringPrototypeToLowerCase(name);
    const list = stateOf(this).headerList;
    for (let i = 0; i < list.length; i++) {
      if (list[i][0] === key) return true;
    }
    return false;
  }

  set(name, value) {
    webidl.assertBranded(this, HeadersPrototype);
    const prefix = prefixOf("set");
    webidl.requiredArguments(arguments.length, 2, prefix);
    name = webidl.converters.ByteString(name, prefix, "Argument 1");
    value = webidl.converters.ByteString(value, prefix, "Argument 2");
    value = normalizeValue(value, prefix);
    checkName(name, prefix);
    checkMutable(this, prefix);
    infra.setPair(stateOf(this).headerList, StringPrototypeToLowerCase(name), value);
  }
}
const HeadersPrototype = Headers.prototype;

function headerListOf(headers) {
  return stateOf(headers).headerList;
}

function guardOf(headers) {
  return stateOf(headers).guard;
}

function fromHeaderList(list, guard) {
  const headers = new Headers();
  const state = stateOf(headers);
  state.headerList = list;
  state.guard = guard;
  return headers;
}

function checkMutable(headers, prefix) {
  if (guardOf(headers) === "immutable") {
    throw webidl.makeException(TypeError, "Headers are immutable.", prefix);
  }
}

function appendHeader(headers, name, value, prefix) {
  appendToList(headerListOf(headers), name, value, prefix, headers);
}

/**
 * https://fetch.spec.whatwg.org/#concept-headers-append on a header list; `headers`, when given,
 * is the Headers that owns it and must not be immutable (checked after the name and value, in
 * the spec's order).
 */
function appendToList(list, name, value, prefix, headers = undefined) {
  value = normalizeValue(value, prefix);
  checkName(name, prefix);
  if (headers !== undefined) checkMutable(headers, prefix);
  list[list.length] = [StringPrototypeToLowerCase(name), value];
}

// Header names and values of inits already found valid in this isolate. Apps send the same few
// headers on every response; a hit skips the ByteString and token checks (regular expressions)
// and the lower-casing. Bounded in count and length, as names and values can come from request data.
const VALID_MEMO_LIMIT = 512;
const VALID_MEMO_MAX_LENGTH = 256;
const validNames = new SafeMap(); // name -> its lower-case form
const validValues = new SafeMap(); // value (already normalized) -> true

/**
 * Appends one name and value of a HeadersInit, converting each to a ByteString first, as the
 * record and sequence conversions do; a name or value seen valid before skips its checks.
 */
function appendInitPair(list, name, value, prefix) {
  let lowerName = typeof name === "string" ? validNames.get(name) : undefined;
  if (lowerName === undefined) name = webidl.converters.ByteString(name, prefix, "header name");
  if (typeof value !== "string" || !validValues.has(value)) {
    const converted = webidl.converters.ByteString(value, prefix, "header value");
    value = normalizeValue(converted, prefix);
    if (value === converted && value.length <= VALID_MEMO_MAX_LENGTH && validValues.size < VALID_MEMO_LIMIT) {
      validValues.set(value, true);
    }
  }
  if (lowerName === undefined) {
    checkName(name, prefix);
    lowerName = StringPrototypeToLowerCase(name);
    if (name.length <= VALID_MEMO_MAX_LENGTH && validNames.size < VALID_MEMO_LIMIT) validNames.set(name, lowerName);
  }
  list[list.length] = [lowerName, value];
}

/** https://fetch.spec.whatwg.org/#concept-header-list-get: values joined with ", ". */
function getHeader(list, key) {
  let result = null;
  for (let i = 0; i < list.length; i++) {
    const pair = list[i];
    if (pair[0] === key) result = result === null ? pair[1] : `${result}, ${pair[1]}`;
  }
  return result;
}

/**
 * https://fetch.spec.whatwg.org/#concept-headers-fill, into the header list of a Headers that is
 * being constructed (so never immutable). Request and Response fill their list before, or
 * without, ever making the Headers object.
 */
function fillHeaderList(list, init, prefix) {
  if (typeof init !== "object" && typeof init !== "function" || init === null) {
    throw webidl.makeException(TypeError,
      "The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.",
      prefix, "Argument 1");
  }
  if (typeof init[SymbolIterator] === "function") {
    for (const pair of init) {
      if (typeof pair !== "object" && typeof pair !== "string" || pair === null ||
          typeof pair[SymbolIterator] !== "function") {
        throw webidl.makeException(TypeError, "Each header pair must be an iterable [name, value] tuple.", prefix);
      }
      const items = [...pair];
      if (items.length !== 2) {
        throw webidl.makeException(TypeError, "Each header pair must be an iterable [name, value] tuple.", prefix);
      }
      appendInitPair(list, items[0], items[1], prefix);
    }
    return;
  }
  // record<ByteString, ByteString>: own enumerable string keys in order, each read once.
  // Appended as they are converted, without an intermediate record object.
  const names = ObjectKeys(init);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    appendInitPair(list, name, init[name], prefix);
  }
}

/** https://fetch.spec.whatwg.org/#concept-header-list-sort-and-combine */
function sortAndCombine(headers) {
  const list = headerListOf(headers);
  const names = [];
  const seen = ObjectCreate(null);
  for (const [name] of list) {
    if (!seen[name]) {
      seen[name] = true;
      ArrayPrototypePush(names, name);
    }
  }
  ArrayPrototypeSort(names);
  const result = [];
  for (const name of names) {
    if (name === "set-cookie") {
      for (const [key, value] of list) {
        if (key === name) ArrayPrototypePush(result, [name, value]);
      }
    } else {
      ArrayPrototypePush(result, [name, getHeader(list, name)]);
    }
  }
  return result;
}

webidl.mixinPairIterable("Headers", HeadersPrototype, sortAndCombine);
webidl.configureInterface(Headers);

/**
 * A header list for the host as one string, "name\nvalue\nname\nvalue", in list order
 * (set-cookie kept apart). Names are tokens and values never hold a LF, so the separator is
 * unambiguous; one string crosses to the host far cheaper than an array of them.
 */
function serializeHeaderList(list) {
  let text = "";
  for (let i = 0; i < list.length; i++) {
    text = i === 0 ? `${list[i][0]}\n${list[i][1]}` : `${text}\n${list[i][0]}\n${list[i][1]}`;
  }
  return text;
}

/** Headers over a host list of alternating names (already lower case) and values. */
function headersFromHostList(hostList, guard) {
  const list = [];
  for (let i = 0; i + 1 < hostList.length; i += 2) {
    ArrayPrototypePush(list, [hostList[i], hostList[i + 1]]);
  }
  return fromHeaderList(list, guard);
}

internals.Headers = Headers;
internals.headers = {
  HeadersPrototype,
  fromHeaderList,
  fillHeaderList,
  getHeader,
  serializeHeaderList,
  headersFromHostList,
  /** A copy of a header list, for clone(). */
  copyList(list) {
    const copy = [];
    for (let i = 0; i < list.length; i++) copy[i] = [list[i][0], list[i][1]];
    return copy;
  },
};
