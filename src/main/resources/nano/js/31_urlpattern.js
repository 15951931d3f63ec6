// URL Pattern Standard (https://urlpattern.spec.whatwg.org/): the tokenizer, the pattern parser,
// the constructor string parser, canonicalization through the URL family's parser (30_url.js),
// regular expression generation, and the URLPattern interface.
//
// Positions in the tokenizer and the constructor string parser count code points, as the
// standard does: inputs are split into code points first.
const {
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ObjectCreate,
  RegExp,
  RegExpPrototypeExec,
  RegExpPrototypeTest,
  StringPrototypeCharCodeAt,
  StringPrototypeCodePointAt,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  SyntaxError,
  TypeError,
} = internals.primordials;
const { webidl, url: urlInternals } = internals;
const { stateOf, setState } = webidl;

// https://urlpattern.spec.whatwg.org/#compile-a-component step 3-4: the `v` flag, or `u` where
// the engine has no `v` (GraalJS 25 has it; the fallback keeps older engines working, and the
// generated expressions are valid in both modes).
const UNICODE_FLAG = (() => {
  try {
    new RegExp("", "v");
    return "v";
  } catch {
    return "u";
  }
})();

const SPECIAL_SCHEMES = ["ftp", "file", "http", "https", "ws", "wss"];
const COMPONENTS = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"];

function fail(message) {
  throw new TypeError(`Failed to construct 'URLPattern': ${message}`);
}

function codePointsOf(string) {
  const result = [];
  for (let i = 0; i < string.length; i++) {
    const cp = StringPrototypeCodePointAt(string, i);
    if (cp > 0xffff) {
      ArrayPrototypePush(result, StringPrototypeSlice(string, i, i + 2));
      i++;
    } else {
      ArrayPrototypePush(result, string[i]);
    }
  }
  return result;
}

// https://tc39.es/ecma262/#prod-IdentifierStart and #prod-IdentifierPart (without escapes).
const ID_START = /^[$_\p{ID_Start}]$/u;
const ID_PART = /^[$_\u200c\u200d\p{ID_Continue}]$/u;

/** https://urlpattern.spec.whatwg.org/#is-a-valid-name-code-point */
function isValidNameCodePoint(codePoint, first) {
  return RegExpPrototypeTest(first ? ID_START : ID_PART, codePoint);
}

const isAsciiCodePoint = (codePoint) => codePoint.length === 1 && StringPrototypeCharCodeAt(codePoint, 0) <= 0x7f;

// --- Tokenizing (https://urlpattern.spec.whatwg.org/#tokenizing) ---------------------------

/** https://urlpattern.spec.whatwg.org/#tokenize; policy is "strict" or "lenient". */
function tokenize(input, policy) {
  const cps = codePointsOf(input);
  const length = cps.length;
  const tokens = [];
  let index = 0;
  let nextIndex = 0;
  let codePoint = null;

  const getNextCodePoint = () => {
    codePoint = cps[nextIndex];
    nextIndex++;
  };
  const seekAndGetNextCodePoint = (position) => {
    nextIndex = position;
    getNextCodePoint();
  };
  const addToken = (type, nextPosition, valuePosition, valueLength) => {
    let value = "";
    for (let i = valuePosition; i < valuePosition + valueLength; i++) value += cps[i];
    ArrayPrototypePush(tokens, { type, index, value });
    index = nextPosition;
  };
  const addTokenWithDefaultLength = (type, nextPosition, valuePosition) =>
    addToken(type, nextPosition, valuePosition, nextPosition - valuePosition);
  const addTokenWithDefaultPositionAndLength = (type) => addTokenWithDefaultLength(type, nextIndex, index);
  const processTokenizingError = (nextPosition, valuePosition, what) => {
    if (policy === "strict") fail(`${what} at position ${valuePosition} of '${input}'.`);
    addTokenWithDefaultLength("invalid-char", nextPosition, valuePosition);
  };

  while (index < length) {
    seekAndGetNextCodePoint(index);
    if (codePoint === "*") {
      addTokenWithDefaultPositionAndLength("asterisk");
      continue;
    }
    if (codePoint === "+" || codePoint === "?") {
      addTokenWithDefaultPositionAndLength("other-modifier");
      continue;
    }
    if (codePoint === "\\") {
      if (index === length - 1) {
        processTokenizingError(nextIndex, index, "A trailing backslash escapes nothing");
        continue;
      }
      const escapedIndex = nextIndex;
      getNextCodePoint();
      addTokenWithDefaultLength("escaped-char", nextIndex, escapedIndex);
      continue;
    }
    if (codePoint === "{") {
      addTokenWithDefaultPositionAndLength("open");
      continue;
    }
    if (codePoint === "}") {
      addTokenWithDefaultPositionAndLength("close");
      continue;
    }
    if (codePoint === ":") {
      let namePosition = nextIndex;
      const nameStart = namePosition;
      while (namePosition < length) {
        seekAndGetNextCodePoint(namePosition);
        if (!isValidNameCodePoint(codePoint, namePosition === nameStart)) break;
        namePosition = nextIndex;
      }
      if (namePosition <= nameStart) {
        processTokenizingError(nameStart, index, "A ':' is not followed by a group name");
        continue;
      }
      addTokenWithDefaultLength("name", namePosition, nameStart);
      continue;
    }
    if (codePoint === "(") {
      let depth = 1;
      let regexpPosition = nextIndex;
      const regexpStart = regexpPosition;
      let error = false;
      while (regexpPosition < length) {
        seekAndGetNextCodePoint(regexpPosition);
        if (!isAsciiCodePoint(codePoint)) {
          processTokenizingError(regexpStart, index, "A regexp group has a character that is not ASCII");
          error = true;
          break;
        }
        if (regexpPosition === regexpStart && codePoint === "?") {
          processTokenizingError(regexpStart, index, "A regexp group starts with '?'");
          error = true;
          break;
        }
        if (codePoint === "\\") {
          if (regexpPosition === length - 1) {
            processTokenizingError(regexpStart, index, "A regexp group ends in a backslash");
            error = true;
            break;
          }
          getNextCodePoint();
          if (!isAsciiCodePoint(codePoint)) {
            processTokenizingError(regexpStart, index, "A regexp group escapes a character that is not ASCII");
            error = true;
            break;
          }
          regexpPosition = nextIndex;
          continue;
        }
        if (codePoint === ")") {
          depth--;
          if (depth === 0) {
            regexpPosition = nextIndex;
            break;
          }
        } else if (codePoint === "(") {
          depth++;
          if (regexpPosition === length - 1) {
            processTokenizingError(regexpStart, index, "A regexp group is not closed");
            error = true;
            break;
          }
          const temporaryPosition = nextIndex;
          getNextCodePoint();
          if (codePoint !== "?") {
            processTokenizingError(regexpStart, index, "A regexp group holds a capturing group");
            error = true;
            break;
          }
          nextIndex = temporaryPosition;
        }
        regexpPosition = nextIndex;
      }
      if (error) continue;
      if (depth !== 0) {
        processTokenizingError(regexpStart, index, "A regexp group is not closed");
        continue;
      }
      const regexpLength = regexpPosition - regexpStart - 1;
      if (regexpLength === 0) {
        processTokenizingError(regexpStart, index, "A regexp group is empty");
        continue;
      }
      addToken("regexp", regexpPosition, regexpStart, regexpLength);
      continue;
    }
    addTokenWithDefaultPositionAndLength("char");
  }
  addTokenWithDefaultLength("end", index, index);
  return tokens;
}

// --- Parsing pattern strings (https://urlpattern.spec.whatwg.org/#parsing) -----------------

const FULL_WILDCARD_REGEXP_VALUE = ".*";

/** https://urlpattern.spec.whatwg.org/#escape-a-regexp-string */
function escapeRegexpString(input) {
  let result = "";
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === "." || c === "+" || c === "*" || c === "?" || c === "^" || c === "$" || c === "{" || c === "}" ||
        c === "(" || c === ")" || c === "[" || c === "]" || c === "|" || c === "/" || c === "\\") {
      result += "\\";
    }
    result += c;
  }
  return result;
}

/** https://urlpattern.spec.whatwg.org/#escape-a-pattern-string */
function escapePatternString(input) {
  let result = "";
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === "+" || c === "*" || c === "?" || c === ":" || c === "{" || c === "}" || c === "(" || c === ")" ||
        c === "\\") {
      result += "\\";
    }
    result += c;
  }
  return result;
}

/** https://urlpattern.spec.whatwg.org/#generate-a-segment-wildcard-regexp */
const generateSegmentWildcardRegexp = (options) => `[^${escapeRegexpString(options.delimiter)}]+?`;

/** https://urlpattern.spec.whatwg.org/#convert-a-modifier-to-a-string */
function modifierToString(modifier) {
  if (modifier === "zero-or-more") return "*";
  if (modifier === "optional") return "?";
  if (modifier === "one-or-more") return "+";
  return "";
}

/** https://urlpattern.spec.whatwg.org/#parse-a-pattern-string: returns the part list. */
function parsePatternString(input, options, encodingCallback) {
  const tokens = tokenize(input, "strict");
  const segmentWildcardRegexp = generateSegmentWildcardRegexp(options);
  const partList = [];
  let pendingFixedValue = "";
  let index = 0;
  let nextNumericName = 0;

  const tryConsumeToken = (type) => {
    const nextToken = tokens[index];
    if (nextToken.type !== type) return null;
    index++;
    return nextToken;
  };
  const tryConsumeModifierToken = () => tryConsumeToken("other-modifier") ?? tryConsumeToken("asterisk");
  const tryConsumeRegexpOrWildcardToken = (nameToken) => {
    let token = tryConsumeToken("regexp");
    if (nameToken === null && token === null) token = tryConsumeToken("asterisk");
    return token;
  };
  const consumeRequiredToken = (type) => {
    const result = tryConsumeToken(type);
    if (result === null) {
      const found = tokens[index];
      fail(`Unexpected ${found.type === "end" ? "end" : `'${found.value}'`} at position ${found.index} of ` +
        `'${input}' (expected ${type === "end" ? "the end" : `'}'`}).`);
    }
    return result;
  };
  const consumeText = () => {
    let result = "";
    while (true) {
      const token = tryConsumeToken("char") ?? tryConsumeToken("escaped-char");
      if (token === null) break;
      result += token.value;
    }
    return result;
  };
  const maybeAddPartFromPendingFixedValue = () => {
    if (pendingFixedValue === "") return;
    const encodedValue = encodingCallback(pendingFixedValue);
    pendingFixedValue = "";
    ArrayPrototypePush(partList,
      { type: "fixed-text", value: encodedValue, modifier: "none", name: "", prefix: "", suffix: "" });
  };
  const isDuplicateName = (name) => {
    for (let i = 0; i < partList.length; i++) {
      if (partList[i].name === name) return true;
    }
    return false;
  };
  const addPart = (prefix, nameToken, regexpOrWildcardToken, suffix, modifierToken) => {
    let modifier = "none";
    if (modifierToken !== null) {
      if (modifierToken.value === "?") modifier = "optional";
      else if (modifierToken.value === "*") modifier = "zero-or-more";
      else if (modifierToken.value === "+") modifier = "one-or-more";
    }
    if (nameToken === null && regexpOrWildcardToken === null && modifier === "none") {
      pendingFixedValue += prefix;
      return;
    }
    maybeAddPartFromPendingFixedValue();
    if (nameToken === null && regexpOrWildcardToken === null) {
      if (prefix === "") return;
      ArrayPrototypePush(partList, {
        type: "fixed-text", value: encodingCallback(prefix), modifier, name: "", prefix: "", suffix: "",
      });
      return;
    }
    let regexpValue;
    if (regexpOrWildcardToken === null) regexpValue = segmentWildcardRegexp;
    else if (regexpOrWildcardToken.type === "asterisk") regexpValue = FULL_WILDCARD_REGEXP_VALUE;
    else regexpValue = regexpOrWildcardToken.value;
    let type = "regexp";
    if (regexpValue === segmentWildcardRegexp) {
      type = "segment-wildcard";
      regexpValue = "";
    } else if (regexpValue === FULL_WILDCARD_REGEXP_VALUE) {
      type = "full-wildcard";
      regexpValue = "";
    }
    let name = "";
    if (nameToken !== null) {
      name = nameToken.value;
    } else if (regexpOrWildcardToken !== null) {
      name = `${nextNumericName}`;
      nextNumericName++;
    }
    if (isDuplicateName(name)) fail(`The group name '${name}' is used twice in '${input}'.`);
    const encodedPrefix = encodingCallback(prefix);
    const encodedSuffix = encodingCallback(suffix);
    ArrayPrototypePush(partList,
      { type, value: regexpValue, modifier, name, prefix: encodedPrefix, suffix: encodedSuffix });
  };

  while (index < tokens.length) {
    const charToken = tryConsumeToken("char");
    let nameToken = tryConsumeToken("name");
    let regexpOrWildcardToken = tryConsumeRegexpOrWildcardToken(nameToken);
    if (nameToken !== null || regexpOrWildcardToken !== null) {
      let prefix = charToken === null ? "" : charToken.value;
      if (prefix !== "" && prefix !== options.prefix) {
        pendingFixedValue += prefix;
        prefix = "";
      }
      maybeAddPartFromPendingFixedValue();
      const modifierToken = tryConsumeModifierToken();
      addPart(prefix, nameToken, regexpOrWildcardToken, "", modifierToken);
      continue;
    }
    const fixedToken = charToken ?? tryConsumeToken("escaped-char");
    if (fixedToken !== null) {
      pendingFixedValue += fixedToken.value;
      continue;
    }
    const openToken = tryConsumeToken("open");
    if (openToken !== null) {
      const prefix = consumeText();
      nameToken = tryConsumeToken("name");
      regexpOrWildcardToken = tryConsumeRegexpOrWildcardToken(nameToken);
      const suffix = consumeText();
      consumeRequiredToken("close");
      const modifierToken = tryConsumeModifierToken();
      addPart(prefix, nameToken, regexpOrWildcardToken, suffix, modifierToken);
      continue;
    }
    maybeAddPartFromPendingFixedValue();
    consumeRequiredToken("end");
  }
  return partList;
}

// --- Part lists to regular expressions and pattern strings ---------------------------------

/** https://urlpattern.spec.whatwg.org/#generate-a-regular-expression-and-name-list */
function generateRegularExpressionAndNameList(partList, options) {
  let result = "^";
  const nameList = [];
  for (let i = 0; i < partList.length; i++) {
    const part = partList[i];
    if (part.type === "fixed-text") {
      if (part.modifier === "none") {
        result += escapeRegexpString(part.value);
      } else {
        result += `(?:${escapeRegexpString(part.value)})${modifierToString(part.modifier)}`;
      }
      continue;
    }
    ArrayPrototypePush(nameList, part.name);
    let regexpValue = part.value;
    if (part.type === "segment-wildcard") regexpValue = generateSegmentWildcardRegexp(options);
    else if (part.type === "full-wildcard") regexpValue = FULL_WILDCARD_REGEXP_VALUE;
    if (part.prefix === "" && part.suffix === "") {
      if (part.modifier === "none" || part.modifier === "optional") {
        result += `(${regexpValue})${modifierToString(part.modifier)}`;
      } else {
        result += `((?:${regexpValue})${modifierToString(part.modifier)})`;
      }
      continue;
    }
    const prefix = escapeRegexpString(part.prefix);
    const suffix = escapeRegexpString(part.suffix);
    if (part.modifier === "none" || part.modifier === "optional") {
      result += `(?:${prefix}(${regexpValue})${suffix})${modifierToString(part.modifier)}`;
      continue;
    }
    result += `(?:${prefix}((?:${regexpValue})(?:${suffix}${prefix}(?:${regexpValue}))*)${suffix})`;
    if (part.modifier === "zero-or-more") result += "?";
  }
  result += "$";
  return { regularExpressionString: result, nameList };
}

const isAsciiDigit = (c) => c !== undefined && c >= "0" && c <= "9";

/** https://urlpattern.spec.whatwg.org/#generate-a-pattern-string */
function generatePatternString(partList, options) {
  let result = "";
  for (let index = 0; index < partList.length; index++) {
    const part = partList[index];
    const previousPart = index > 0 ? partList[index - 1] : null;
    const nextPart = index < partList.length - 1 ? partList[index + 1] : null;
    if (part.type === "fixed-text") {
      if (part.modifier === "none") {
        result += escapePatternString(part.value);
        continue;
      }
      result += `{${escapePatternString(part.value)}}${modifierToString(part.modifier)}`;
      continue;
    }
    const customName = !isAsciiDigit(part.name[0]);
    let needsGrouping = part.suffix !== "" || (part.prefix !== "" && part.prefix !== options.prefix);
    if (!needsGrouping && customName && part.type === "segment-wildcard" && part.modifier === "none" &&
        nextPart !== null && nextPart.prefix === "" && nextPart.suffix === "") {
      if (nextPart.type === "fixed-text") {
        needsGrouping = nextPart.value !== "" && isValidNameCodePoint(codePointsOf(nextPart.value)[0], false);
      } else {
        needsGrouping = isAsciiDigit(nextPart.name[0]);
      }
    }
    if (!needsGrouping && part.prefix === "" && previousPart !== null && previousPart.type === "fixed-text") {
      const previousCodePoints = codePointsOf(previousPart.value);
      if (previousCodePoints[previousCodePoints.length - 1] === options.prefix) needsGrouping = true;
    }
    if (needsGrouping) result += "{";
    result += escapePatternString(part.prefix);
    if (customName) result += `:${part.name}`;
    if (part.type === "regexp") {
      result += `(${part.value})`;
    } else if (part.type === "segment-wildcard" && !customName) {
      result += `(${generateSegmentWildcardRegexp(options)})`;
    } else if (part.type === "full-wildcard") {
      if (!customName && (previousPart === null || previousPart.type === "fixed-text" ||
          previousPart.modifier !== "none" || needsGrouping || part.prefix !== "")) {
        result += "*";
      } else {
        result += `(${FULL_WILDCARD_REGEXP_VALUE})`;
      }
    }
    if (part.type === "segment-wildcard" && customName && part.suffix !== "" &&
        isValidNameCodePoint(codePointsOf(part.suffix)[0], false)) {
      result += "\\";
    }
    result += escapePatternString(part.suffix);
    if (needsGrouping) result += "}";
    result += modifierToString(part.modifier);
  }
  return result;
}

// --- Canonicalization (https://urlpattern.spec.whatwg.org/#canon-encoding-callbacks) -------

/** https://urlpattern.spec.whatwg.org/#create-a-dummy-url */
const createDummyURL = () => urlInternals.parse("https://dummy.invalid/");

function canonicalizeProtocol(value) {
  if (value === "") return value;
  const parseResult = urlInternals.parse(`${value}://dummy.invalid/`);
  if (parseResult === null) fail(`Invalid protocol '${value}'.`);
  return parseResult.scheme;
}

function canonicalizeUsername(value) {
  if (value === "") return value;
  const dummyURL = createDummyURL();
  urlInternals.setUsername(dummyURL, value);
  return dummyURL.username;
}

function canonicalizePassword(value) {
  if (value === "") return value;
  const dummyURL = createDummyURL();
  urlInternals.setPassword(dummyURL, value);
  return dummyURL.password;
}

function canonicalizeHostname(value) {
  if (value === "") return value;
  const dummyURL = createDummyURL();
  if (!urlInternals.parseWithStateOverride(value, dummyURL, "hostname")) fail(`Invalid hostname '${value}'.`);
  return dummyURL.host ?? "";
}

const IPV6_HOSTNAME_CHAR = /^[0-9A-Fa-f[\]:]$/;
function canonicalizeIPv6Hostname(value) {
  let result = "";
  const cps = codePointsOf(value);
  for (let i = 0; i < cps.length; i++) {
    if (!RegExpPrototypeTest(IPV6_HOSTNAME_CHAR, cps[i])) fail(`Invalid IPv6 hostname '${value}'.`);
    result += StringPrototypeToLowerCase(cps[i]);
  }
  return result;
}

function canonicalizePort(portValue, protocolValue = undefined) {
  if (portValue === "") return portValue;
  const dummyURL = createDummyURL();
  dummyURL.scheme = protocolValue === undefined ? "" : protocolValue;
  if (!urlInternals.parseWithStateOverride(portValue, dummyURL, "port")) fail(`Invalid port '${portValue}'.`);
  return dummyURL.port === null ? "" : `${dummyURL.port}`;
}

function canonicalizePathname(value) {
  if (value === "") return value;
  const leadingSlash = value[0] === "/";
  const modifiedValue = (leadingSlash ? "" : "/-") + value;
  const dummyURL = createDummyURL();
  dummyURL.path = [];
  urlInternals.parseWithStateOverride(modifiedValue, dummyURL, "path start");
  const result = urlInternals.serializePath(dummyURL);
  return leadingSlash ? result : StringPrototypeSlice(result, 2);
}

function canonicalizeOpaquePathname(value) {
  if (value === "") return value;
  const dummyURL = createDummyURL();
  dummyURL.path = "";
  if (!urlInternals.parseWithStateOverride(value, dummyURL, "opaque path")) fail(`Invalid pathname '${value}'.`);
  return urlInternals.serializePath(dummyURL);
}

function canonicalizeSearch(value) {
  if (value === "") return value;
  const dummyURL = createDummyURL();
  dummyURL.query = "";
  urlInternals.parseWithStateOverride(value, dummyURL, "query");
  return dummyURL.query;
}

function canonicalizeHash(value) {
  if (value === "") return value;
  const dummyURL = createDummyURL();
  dummyURL.fragment = "";
  urlInternals.parseWithStateOverride(value, dummyURL, "fragment");
  return dummyURL.fragment;
}

// --- URLPatternInit processing (https://urlpattern.spec.whatwg.org/#canon-processing-for-init)

const processBaseURLString = (input, type) => (type !== "pattern" ? input : escapePatternString(input));

/** https://urlpattern.spec.whatwg.org/#is-an-absolute-pathname */
function isAbsolutePathname(input, type) {
  if (input === "") return false;
  if (input[0] === "/") return true;
  if (type === "url") return false;
  if (input.length < 2) return false;
  return (input[0] === "\\" || input[0] === "{") && input[1] === "/";
}

/**
 * https://urlpattern.spec.whatwg.org/#process-a-urlpatterninit. init is a null-prototype
 * object whose absent members are undefined; so is the result. defaults is null or the
 * initial value of every component.
 */
function processURLPatternInit(init, type, defaults) {
  const result = ObjectCreate(null);
  if (defaults !== null) {
    for (let i = 0; i < COMPONENTS.length; i++) result[COMPONENTS[i]] = defaults;
  }
  let baseURL = null;
  const has = (key) => init[key] !== undefined;
  if (has("baseURL")) {
    baseURL = urlInternals.parse(init.baseURL);
    if (baseURL === null) fail(`Invalid base URL '${init.baseURL}'.`);
    if (!has("protocol")) result.protocol = processBaseURLString(baseURL.scheme, type);
    if (type !== "pattern" && !has("protocol") && !has("hostname") && !has("port") && !has("username")) {
      result.username = processBaseURLString(baseURL.username, type);
    }
    if (type !== "pattern" && !has("protocol") && !has("hostname") && !has("port") && !has("username") &&
        !has("password")) {
      result.password = processBaseURLString(baseURL.password, type);
    }
    if (!has("protocol") && !has("hostname")) {
      result.hostname = processBaseURLString(baseURL.host === null ? "" : baseURL.host, type);
    }
    if (!has("protocol") && !has("hostname") && !has("port")) {
      result.port = baseURL.port === null ? "" : `${baseURL.port}`;
    }
    if (!has("protocol") && !has("hostname") && !has("port") && !has("pathname")) {
      result.pathname = processBaseURLString(urlInternals.serializePath(baseURL), type);
    }
    if (!has("protocol") && !has("hostname") && !has("port") && !has("pathname") && !has("search")) {
      result.search = processBaseURLString(baseURL.query === null ? "" : baseURL.query, type);
    }
    if (!has("protocol") && !has("hostname") && !has("port") && !has("pathname") && !has("search") &&
        !has("hash")) {
      result.hash = processBaseURLString(baseURL.fragment === null ? "" : baseURL.fragment, type);
    }
  }
  if (has("protocol")) {
    let stripped = init.protocol;
    if (stripped[stripped.length - 1] === ":") stripped = StringPrototypeSlice(stripped, 0, -1);
    result.protocol = type === "pattern" ? stripped : canonicalizeProtocol(stripped);
  }
  if (has("username")) result.username = type === "pattern" ? init.username : canonicalizeUsername(init.username);
  if (has("password")) result.password = type === "pattern" ? init.password : canonicalizePassword(init.password);
  if (has("hostname")) result.hostname = type === "pattern" ? init.hostname : canonicalizeHostname(init.hostname);
  const resultProtocolString = result.protocol !== undefined ? result.protocol : "";
  if (has("port")) {
    result.port = type === "pattern" ? init.port : canonicalizePort(init.port, resultProtocolString);
  }
  if (has("pathname")) {
    result.pathname = init.pathname;
    if (baseURL !== null && !urlInternals.hasOpaquePath(baseURL) && !isAbsolutePathname(result.pathname, type)) {
      const baseURLPath = processBaseURLString(urlInternals.serializePath(baseURL), type);
      const slashIndex = StringPrototypeLastIndexOf(baseURLPath, "/");
      if (slashIndex !== -1) {
        result.pathname = StringPrototypeSlice(baseURLPath, 0, slashIndex + 1) + result.pathname;
      }
    }
    if (type !== "pattern") {
      result.pathname = urlInternals.isSpecialScheme(resultProtocolString) || resultProtocolString === "" ?
        canonicalizePathname(result.pathname) : canonicalizeOpaquePathname(result.pathname);
    }
  }
  if (has("search")) {
    let stripped = init.search;
    if (stripped[0] === "?") stripped = StringPrototypeSlice(stripped, 1);
    result.search = type === "pattern" ? stripped : canonicalizeSearch(stripped);
  }
  if (has("hash")) {
    let stripped = init.hash;
    if (stripped[0] === "#") stripped = StringPrototypeSlice(stripped, 1);
    result.hash = type === "pattern" ? stripped : canonicalizeHash(stripped);
  }
  return result;
}

// --- Constructor string parsing (https://urlpattern.spec.whatwg.org/#constructor-string-parsing)

/** https://urlpattern.spec.whatwg.org/#parse-a-constructor-string */
function parseConstructorString(input) {
  const cps = codePointsOf(input);
  const tokens = tokenize(input, "lenient");
  const result = ObjectCreate(null);
  let componentStart = 0;
  let tokenIndex = 0;
  let tokenIncrement = 1;
  let groupDepth = 0;
  let hostnameIPv6BracketDepth = 0;
  let protocolMatchesSpecialScheme = false;
  let state = "init";

  const getSafeToken = (index) => (index < tokens.length ? tokens[index] : tokens[tokens.length - 1]);
  const isNonSpecialPatternChar = (index, value) => {
    const token = getSafeToken(index);
    if (token.value !== value) return false;
    return token.type === "char" || token.type === "escaped-char" || token.type === "invalid-char";
  };
  const isProtocolSuffix = () => isNonSpecialPatternChar(tokenIndex, ":");
  const nextIsAuthoritySlashes = () =>
    isNonSpecialPatternChar(tokenIndex + 1, "/") && isNonSpecialPatternChar(tokenIndex + 2, "/");
  const isIdentityTerminator = () => isNonSpecialPatternChar(tokenIndex, "@");
  const isPasswordPrefix = () => isNonSpecialPatternChar(tokenIndex, ":");
  const isPortPrefix = () => isNonSpecialPatternChar(tokenIndex, ":");
  const isPathnameStart = () => isNonSpecialPatternChar(tokenIndex, "/");
  const isSearchPrefix = () => {
    if (isNonSpecialPatternChar(tokenIndex, "?")) return true;
    if (tokens[tokenIndex].value !== "?") return false;
    const previousIndex = tokenIndex - 1;
    if (previousIndex < 0) return true;
    const previousType = getSafeToken(previousIndex).type;
    return !(previousType === "name" || previousType === "regexp" || previousType === "close" ||
      previousType === "asterisk");
  };
  const isHashPrefix = () => isNonSpecialPatternChar(tokenIndex, "#");
  const isGroupOpen = () => tokens[tokenIndex].type === "open";
  const isGroupClose = () => tokens[tokenIndex].type === "close";
  const isIPv6Open = () => isNonSpecialPatternChar(tokenIndex, "[");
  const isIPv6Close = () => isNonSpecialPatternChar(tokenIndex, "]");
  const makeComponentString = () => {
    const token = tokens[tokenIndex];
    const componentStartInputIndex = getSafeToken(componentStart).index;
    return ArrayPrototypeJoin(ArrayPrototypeSlice(cps, componentStartInputIndex, token.index), "");
  };
  const rewind = () => {
    tokenIndex = componentStart;
    tokenIncrement = 0;
  };
  const rewindAndSetState = (newState) => {
    rewind();
    state = newState;
  };
  const changeState = (newState, skip) => {
    if (state !== "init" && state !== "authority" && state !== "done") result[state] = makeComponentString();
    if (state !== "init" && newState !== "done") {
      const fromIdentity = state === "protocol" || state === "authority" || state === "username" ||
        state === "password";
      const fromAuthority = fromIdentity || state === "hostname" || state === "port";
      if (fromIdentity && (newState === "port" || newState === "pathname" || newState === "search" ||
          newState === "hash") && result.hostname === undefined) {
        result.hostname = "";
      }
      if (fromAuthority && (newState === "search" || newState === "hash") && result.pathname === undefined) {
        result.pathname = protocolMatchesSpecialScheme ? "/" : "";
      }
      if ((fromAuthority || state === "pathname") && newState === "hash" && result.search === undefined) {
        result.search = "";
      }
    }
    state = newState;
    tokenIndex += skip;
    componentStart = tokenIndex;
    tokenIncrement = 0;
  };
  const computeProtocolMatchesSpecialSchemeFlag = () => {
    const protocolString = makeComponentString();
    const protocolComponent = compileComponent(protocolString, canonicalizeProtocol, DEFAULT_OPTIONS);
    if (protocolComponentMatchesSpecialScheme(protocolComponent)) protocolMatchesSpecialScheme = true;
  };

  while (tokenIndex < tokens.length) {
    tokenIncrement = 1;
    if (tokens[tokenIndex].type === "end") {
      if (state === "init") {
        rewind();
        if (isHashPrefix()) changeState("hash", 1);
        else if (isSearchPrefix()) changeState("search", 1);
        else changeState("pathname", 0);
        tokenIndex += tokenIncrement;
        continue;
      }
      if (state === "authority") {
        rewindAndSetState("hostname");
        tokenIndex += tokenIncrement;
        continue;
      }
      changeState("done", 0);
      break;
    }
    if (isGroupOpen()) {
      groupDepth++;
      tokenIndex += tokenIncrement;
      continue;
    }
    if (groupDepth > 0) {
      if (isGroupClose()) {
        groupDepth--;
      } else {
        tokenIndex += tokenIncrement;
        continue;
      }
    }
    switch (state) {
      case "init":
        if (isProtocolSuffix()) rewindAndSetState("protocol");
        break;
      case "protocol":
        if (isProtocolSuffix()) {
          computeProtocolMatchesSpecialSchemeFlag();
          let nextState = "pathname";
          let skip = 1;
          if (nextIsAuthoritySlashes()) {
            nextState = "authority";
            skip = 3;
          } else if (protocolMatchesSpecialScheme) {
            nextState = "authority";
          }
          changeState(nextState, skip);
        }
        break;
      case "authority":
        if (isIdentityTerminator()) rewindAndSetState("username");
        else if (isPathnameStart() || isSearchPrefix() || isHashPrefix()) rewindAndSetState("hostname");
        break;
      case "username":
        if (isPasswordPrefix()) changeState("password", 1);
        else if (isIdentityTerminator()) changeState("hostname", 1);
        break;
      case "password":
        if (isIdentityTerminator()) changeState("hostname", 1);
        break;
      case "hostname":
        if (isIPv6Open()) hostnameIPv6BracketDepth++;
        else if (isIPv6Close()) hostnameIPv6BracketDepth--;
        else if (isPortPrefix() && hostnameIPv6BracketDepth === 0) changeState("port", 1);
        else if (isPathnameStart()) changeState("pathname", 0);
        else if (isSearchPrefix()) changeState("search", 1);
        else if (isHashPrefix()) changeState("hash", 1);
        break;
      case "port":
        if (isPathnameStart()) changeState("pathname", 0);
        else if (isSearchPrefix()) changeState("search", 1);
        else if (isHashPrefix()) changeState("hash", 1);
        break;
      case "pathname":
        if (isSearchPrefix()) changeState("search", 1);
        else if (isHashPrefix()) changeState("hash", 1);
        break;
      case "search":
        if (isHashPrefix()) changeState("hash", 1);
        break;
      default:
        break;
    }
    tokenIndex += tokenIncrement;
  }
  if (result.hostname !== undefined && result.port === undefined) result.port = "";
  return result;
}

// --- Components (https://urlpattern.spec.whatwg.org/#urlpattern-internals) -----------------

const DEFAULT_OPTIONS = { delimiter: "", prefix: "", ignoreCase: false };
const HOSTNAME_OPTIONS = { delimiter: ".", prefix: "", ignoreCase: false };
const PATHNAME_OPTIONS = { delimiter: "/", prefix: "/", ignoreCase: false };

/** https://urlpattern.spec.whatwg.org/#compile-a-component */
function compileComponent(input, encodingCallback, options) {
  const partList = parsePatternString(input, options, encodingCallback);
  const { regularExpressionString, nameList } = generateRegularExpressionAndNameList(partList, options);
  const flags = options.ignoreCase ? `${UNICODE_FLAG}i` : UNICODE_FLAG;
  let regularExpression;
  try {
    regularExpression = new RegExp(regularExpressionString, flags);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    fail(`Invalid regular expression in '${input}': ${error.message}`);
  }
  let hasRegExpGroups = false;
  for (let i = 0; i < partList.length; i++) {
    if (partList[i].type === "regexp") hasRegExpGroups = true;
  }
  return {
    patternString: generatePatternString(partList, options), regularExpression, groupNameList: nameList,
    hasRegExpGroups,
  };
}

/** https://urlpattern.spec.whatwg.org/#protocol-component-matches-a-special-scheme */
function protocolComponentMatchesSpecialScheme(protocolComponent) {
  for (let i = 0; i < SPECIAL_SCHEMES.length; i++) {
    if (RegExpPrototypeExec(protocolComponent.regularExpression, SPECIAL_SCHEMES[i]) !== null) return true;
  }
  return false;
}

/** https://urlpattern.spec.whatwg.org/#hostname-pattern-is-an-ipv6-address */
function hostnamePatternIsAnIPv6Address(input) {
  const cps = codePointsOf(input);
  if (cps.length < 2) return false;
  return cps[0] === "[" || ((cps[0] === "{" || cps[0] === "\\") && cps[1] === "[");
}

/** https://urlpattern.spec.whatwg.org/#url-pattern-create */
function createURLPattern(input, baseURL, options) {
  let init;
  if (typeof input === "string") {
    init = parseConstructorString(input);
    if (baseURL === null && init.protocol === undefined) {
      fail(`'${input}' is a relative pattern and no base URL was given.`);
    }
    if (baseURL !== null) init.baseURL = baseURL;
  } else {
    if (baseURL !== null) fail("A base URL is only allowed with a pattern string.");
    init = input;
  }
  const processedInit = processURLPatternInit(init, "pattern", null);
  for (let i = 0; i < COMPONENTS.length; i++) {
    if (processedInit[COMPONENTS[i]] === undefined) processedInit[COMPONENTS[i]] = "*";
  }
  if (urlInternals.isSpecialScheme(processedInit.protocol) &&
      processedInit.port === `${urlInternals.defaultPort(processedInit.protocol)}`) {
    processedInit.port = "";
  }
  const pattern = ObjectCreate(null);
  pattern.protocol = compileComponent(processedInit.protocol, canonicalizeProtocol, DEFAULT_OPTIONS);
  pattern.username = compileComponent(processedInit.username, canonicalizeUsername, DEFAULT_OPTIONS);
  pattern.password = compileComponent(processedInit.password, canonicalizePassword, DEFAULT_OPTIONS);
  pattern.hostname = compileComponent(processedInit.hostname,
    hostnamePatternIsAnIPv6Address(processedInit.hostname) ? canonicalizeIPv6Hostname : canonicalizeHostname,
    HOSTNAME_OPTIONS);
  pattern.port = compileComponent(processedInit.port, canonicalizePort, DEFAULT_OPTIONS);
  const compileOptions = { delimiter: "", prefix: "", ignoreCase: options.ignoreCase };
  if (protocolComponentMatchesSpecialScheme(pattern.protocol)) {
    pattern.pathname = compileComponent(processedInit.pathname, canonicalizePathname,
      { delimiter: "/", prefix: "/", ignoreCase: options.ignoreCase });
  } else {
    pattern.pathname = compileComponent(processedInit.pathname, canonicalizeOpaquePathname, compileOptions);
  }
  pattern.search = compileComponent(processedInit.search, canonicalizeSearch, compileOptions);
  pattern.hash = compileComponent(processedInit.hash, canonicalizeHash, compileOptions);
  return pattern;
}

/** https://urlpattern.spec.whatwg.org/#create-a-component-match-result */
function createComponentMatchResult(component, input, execResult) {
  const groups = {};
  const names = component.groupNameList;
  for (let index = 1; index <= names.length; index++) groups[names[index - 1]] = execResult[index];
  return { input, groups };
}

/**
 * https://urlpattern.spec.whatwg.org/#url-pattern-match: input is a string or a converted
 * URLPatternInit; baseURLString is undefined when not given.
 */
function matchURLPattern(urlPattern, input, baseURLString) {
  const values = ObjectCreate(null);
  let inputCopy = input;
  if (typeof input !== "string") {
    // The converted dictionary, as an ordinary object for the result.
    inputCopy = {};
    for (const key in input) inputCopy[key] = input[key];
  }
  const inputs = [inputCopy];
  if (typeof input !== "string") {
    if (baseURLString !== undefined) {
      throw new TypeError("A base URL is only allowed with a URL string, not with a URLPatternInit.");
    }
    let applyResult;
    try {
      applyResult = processURLPatternInit(input, "url", "");
    } catch {
      return null;
    }
    for (let i = 0; i < COMPONENTS.length; i++) values[COMPONENTS[i]] = applyResult[COMPONENTS[i]];
  } else {
    let baseURL = null;
    if (baseURLString !== undefined) {
      baseURL = urlInternals.parse(baseURLString);
      if (baseURL === null) return null;
      ArrayPrototypePush(inputs, baseURLString);
    }
    const url = urlInternals.parse(input, baseURL);
    if (url === null) return null;
    values.protocol = url.scheme;
    values.username = url.username;
    values.password = url.password;
    values.hostname = url.host === null ? "" : url.host;
    values.port = url.port === null ? "" : `${url.port}`;
    values.pathname = urlInternals.serializePath(url);
    values.search = url.query === null ? "" : url.query;
    values.hash = url.fragment === null ? "" : url.fragment;
  }
  const execResults = ObjectCreate(null);
  for (let i = 0; i < COMPONENTS.length; i++) {
    const name = COMPONENTS[i];
    const execResult = RegExpPrototypeExec(urlPattern[name].regularExpression, values[name]);
    if (execResult === null) return null;
    execResults[name] = execResult;
  }
  const result = { inputs };
  for (let i = 0; i < COMPONENTS.length; i++) {
    const name = COMPONENTS[i];
    result[name] = createComponentMatchResult(urlPattern[name], values[name], execResults[name]);
  }
  return result;
}

// --- The URLPattern interface (https://urlpattern.spec.whatwg.org/#urlpattern-class) --------

const USVString = webidl.converters.USVString;
const URLPatternInit = webidl.createDictionaryConverter("URLPatternInit", [
  { key: "protocol", converter: USVString },
  { key: "username", converter: USVString },
  { key: "password", converter: USVString },
  { key: "hostname", converter: USVString },
  { key: "port", converter: USVString },
  { key: "pathname", converter: USVString },
  { key: "search", converter: USVString },
  { key: "hash", converter: USVString },
  { key: "baseURL", converter: USVString },
]);
const URLPatternOptions = webidl.createDictionaryConverter("URLPatternOptions", [
  { key: "ignoreCase", converter: webidl.converters.boolean, defaultValue: false },
]);

/** (USVString or URLPatternInit): a dictionary for objects, undefined and null; else a string. */
function URLPatternInput(value, prefix, context) {
  if (value === undefined || value === null || typeof value === "object" || typeof value === "function") {
    return URLPatternInit(value, prefix, context);
  }
  return USVString(value, prefix, context);
}

const isDictionaryLike = (value) =>
  value === undefined || value === null || typeof value === "object" || typeof value === "function";

class URLPattern {
  constructor(input = undefined, baseURL = undefined, options = undefined) {
    const prefix = "Failed to construct 'URLPattern'";
    let base = null;
    // Overloads: (input, baseURL, options) when the second argument is not dictionary-like,
    // else (input, options).
    if (arguments.length >= 2 && !isDictionaryLike(baseURL)) {
      input = URLPatternInput(input, prefix, "Argument 1");
      base = USVString(baseURL, prefix, "Argument 2");
      options = URLPatternOptions(options, prefix, "Argument 3");
    } else {
      input = URLPatternInput(input, prefix, "Argument 1");
      options = URLPatternOptions(baseURL, prefix, "Argument 2");
    }
    setState(this, createURLPattern(input, base, options));
  }

  test(input = undefined, baseURL = undefined) {
    webidl.assertBranded(this, URLPatternPrototype);
    const prefix = "Failed to execute 'test' on 'URLPattern'";
    input = URLPatternInput(input, prefix, "Argument 1");
    if (baseURL !== undefined) baseURL = USVString(baseURL, prefix, "Argument 2");
    return matchURLPattern(stateOf(this), input, baseURL) !== null;
  }

  exec(input = undefined, baseURL = undefined) {
    webidl.assertBranded(this, URLPatternPrototype);
    const prefix = "Failed to execute 'exec' on 'URLPattern'";
    input = URLPatternInput(input, prefix, "Argument 1");
    if (baseURL !== undefined) baseURL = USVString(baseURL, prefix, "Argument 2");
    return matchURLPattern(stateOf(this), input, baseURL);
  }

  get protocol() {
    webidl.assertBranded(this, URLPatternPrototype);
    return stateOf(this).protocol.patternString;
  }

  get username() {
    webidl.assertBranded(this, URLPatternPrototype);
    return stateOf(this).username.patternString;
  }

  get password() {
    webidl.assertBranded(this, URLPatternPrototype);
    return stateOf(this).password.patternString;
  }

  get hostname() {
    webidl.assertBranded(this, URLPatternPrototype);
    return stateOf(this).hostname.patternString;
  }

  get port() {
    webidl.assertBranded(this, URLPatternPrototype);
    return stateOf(this).port.patternString;
  }

  get pathname() {
    webidl.assertBranded(this, URLPatternPrototype);
    return stateOf(this).pathname.patternString;
  }

  get search() {
    webidl.assertBranded(this, URLPatternPrototype);
    return stateOf(this).search.patternString;
  }

  get hash() {
    webidl.assertBranded(this, URLPatternPrototype);
    return stateOf(this).hash.patternString;
  }

  get hasRegExpGroups() {
    webidl.assertBranded(this, URLPatternPrototype);
    const pattern = stateOf(this);
    for (let i = 0; i < COMPONENTS.length; i++) {
      if (pattern[COMPONENTS[i]].hasRegExpGroups) return true;
    }
    return false;
  }
}
const URLPatternPrototype = URLPattern.prototype;
webidl.configureInterface(URLPattern);

internals.URLPattern = URLPattern;
