// WebIDL (https://webidl.spec.whatwg.org/) for the runtime's interfaces: brand checks, argument
// counts, type conversions with the shared error prefixes, dictionaries, enums, iterables and
// the property attributes of interface objects.
const {
  ArrayBufferIsView,
  ArrayPrototypePush,
  Error,
  MathTrunc,
  NumberIsFinite,
  NumberIsNaN,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ObjectPrototypeIsPrototypeOf,
  ReflectOwnKeys,
  String,
  RegExpPrototypeTest,
  StringPrototypeToWellFormed,
  Symbol,
  SafeWeakMap,
  SymbolIterator,
  SymbolToStringTag,
  TypeError,
  IteratorPrototype,
  ObjectCreate,
  ObjectSetPrototypeOf,
} = internals.primordials;

const webidl = Object.create(null);

/**
 * A runtime object's internal state: each constructor records a plain object for it with
 * `setState(this, state)` (or null where the class keeps its state in private fields), which
 * brands it, and `stateOf(object)` reads it back (undefined: not a runtime object).
 *
 * In a WeakMap that only the prelude holds, so no tenant code can reach it: no key on the
 * object for Object.getOwnPropertySymbols, a Proxy's traps, object spread or Symbol.for to find
 * (the state was kept under `Symbol.for("nano.state")` before, and reached the Java request
 * scope from `ctx`), and a Proxy passed where a runtime object is expected sees no lookup at all.
 * The map is a SafeWeakMap (frozen prototype copy), so patching WeakMap.prototype changes
 * nothing. Cost: README, Security model. Private fields were not the choice: each Context has
 * its own private names, so the prelude code that all Contexts share turns megamorphic (see
 * git history of this comment), and they cannot be read across classes (Body, streams).
 */
const states = new SafeWeakMap();
const stateOf = (object) => states.get(object);
const setState = (object, state) => {
  states.set(object, state);
  return state;
};
webidl.stateOf = stateOf;
webidl.setState = setState;

function makeException(ErrorType, message, prefix, context) {
  return new ErrorType(`${prefix ? `${prefix}: ` : ""}${context ? `${context} ` : ""}${message}`);
}
webidl.makeException = makeException;

webidl.requiredArguments = (length, required, prefix) => {
  if (length < required) {
    throw makeException(TypeError,
      `${required} argument${required === 1 ? "" : "s"} required, but only ${length} present.`, prefix);
  }
};

/** Whether the value was made by the constructor of the interface with this prototype. */
webidl.isBranded = (value, prototype) =>
  typeof value === "object" && value !== null && stateOf(value) !== undefined &&
  // The direct prototype first: isPrototypeOf reads prototypes on GraalJS's uncached path
  // (~20 ns a call, and a request checks its Response twice); subclasses still pass through it.
  (ObjectGetPrototypeOf(value) === prototype || ObjectPrototypeIsPrototypeOf(prototype, value));

webidl.assertBranded = (self, prototype) => {
  if (!webidl.isBranded(self, prototype)) {
    throw new TypeError("Illegal invocation");
  }
};

webidl.illegalConstructor = () => {
  throw new TypeError("Illegal constructor");
};

const converters = Object.create(null);
webidl.converters = converters;

converters.any = (V) => V;
converters.boolean = (V) => !!V;
converters.object = (V, prefix, context) => {
  if (typeof V !== "object" && typeof V !== "function" || V === null) {
    throw makeException(TypeError, "is not an object.", prefix, context);
  }
  return V;
};

converters.DOMString = (V, prefix, context, opts) => {
  if (typeof V === "string") return V;
  if (V === null && opts?.treatNullAsEmptyString) return "";
  if (typeof V === "symbol") {
    throw makeException(TypeError, "is a symbol, which cannot be converted to a string.", prefix, context);
  }
  return String(V);
};

const NON_BYTE = /[^\x00-\xff]/;
converters.ByteString = (V, prefix, context) => {
  const x = converters.DOMString(V, prefix, context);
  if (RegExpPrototypeTest(NON_BYTE, x)) {
    throw makeException(TypeError, "is not a valid ByteString.", prefix, context);
  }
  return x;
};

converters.USVString = (V, prefix, context) => StringPrototypeToWellFormed(converters.DOMString(V, prefix, context));

// https://webidl.spec.whatwg.org/#abstract-opdef-converttoint
function integerConverter(bitLength, signed) {
  const upperBound = signed ? 2 ** (bitLength - 1) - 1 : 2 ** bitLength - 1;
  const lowerBound = signed ? -(2 ** (bitLength - 1)) : 0;
  const modulo = 2 ** bitLength;
  return (V, prefix, context, opts) => {
    let x = +V;
    if (opts?.enforceRange) {
      if (!NumberIsFinite(x)) throw makeException(TypeError, "is not a finite number.", prefix, context);
      x = MathTrunc(x);
      if (x < lowerBound || x > upperBound) {
        throw makeException(TypeError, `is outside the accepted range of ${lowerBound} to ${upperBound}, inclusive.`,
          prefix, context);
      }
      return x;
    }
    if (NumberIsNaN(x) || !NumberIsFinite(x) || x === 0) return 0;
    x = MathTrunc(x);
    if (x >= lowerBound && x <= upperBound) return x;
    x = ((x % modulo) + modulo) % modulo;
    if (signed && x > upperBound) x -= modulo;
    return x;
  };
}
converters.octet = integerConverter(8, false);
converters["unsigned short"] = integerConverter(16, false);
converters.short = integerConverter(16, true);
converters["unsigned long"] = integerConverter(32, false);
converters.long = integerConverter(32, true);
converters["unsigned long long"] = integerConverter(53, false);
converters["long long"] = integerConverter(53, true);

converters.BufferSource = (V, prefix, context) => {
  if (ArrayBufferIsView(V) || V instanceof ArrayBuffer) return V;
  throw makeException(TypeError, "is not an ArrayBuffer or a view on one.", prefix, context);
};

webidl.createEnumConverter = (name, values) => {
  const allowed = new Set(values);
  return (V, prefix, context) => {
    const S = String(V);
    if (!allowed.has(S)) {
      throw makeException(TypeError, `The provided value '${S}' is not a valid enum value of type ${name}.`,
        prefix, context);
    }
    return S;
  };
};

webidl.createSequenceConverter = (converter) => (V, prefix, context, opts) => {
  if (typeof V !== "object" || V === null || typeof V[SymbolIterator] !== "function") {
    throw makeException(TypeError, "can not be converted to sequence.", prefix, context);
  }
  const result = [];
  let index = 0;
  for (const item of V) {
    ArrayPrototypePush(result, converter(item, prefix, `${context}, index ${index++}`, opts));
  }
  return result;
};

/**
 * members: [{ key, converter, defaultValue?, required? }]. Reads the members in lexicographic
 * order, as WebIDL says, each exactly once.
 */
webidl.createDictionaryConverter = (name, members) => {
  const sorted = [...members].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return (V, prefix, context) => {
    if (V !== undefined && V !== null && typeof V !== "object" && typeof V !== "function") {
      throw makeException(TypeError, `can not be converted to a dictionary (${name}).`, prefix, context);
    }
    const result = ObjectCreate(null);
    for (const member of sorted) {
      const value = V === undefined || V === null ? undefined : V[member.key];
      if (value !== undefined) {
        result[member.key] = member.converter(value, prefix, `${context ?? name}, member '${member.key}'`);
      } else if (member.required) {
        throw makeException(TypeError, `can not be converted to '${name}' because '${member.key}' is required.`,
          prefix, context);
      } else if ("defaultValue" in member) {
        result[member.key] = member.defaultValue;
      }
    }
    return result;
  };
};

/**
 * Gives an interface its WebIDL shape: operations and attributes enumerable, a
 * Symbol.toStringTag, and the prototype not writable.
 */
webidl.configureInterface = (constructor, name = constructor.name) => {
  const prototype = constructor.prototype;
  for (const key of ReflectOwnKeys(prototype)) {
    if (key === "constructor" || typeof key === "symbol") continue;
    const descriptor = ObjectGetOwnPropertyDescriptor(prototype, key);
    if (descriptor.configurable) {
      descriptor.enumerable = true;
      ObjectDefineProperty(prototype, key, descriptor);
    }
  }
  ObjectDefineProperty(prototype, SymbolToStringTag, { value: name, configurable: true });
};

/**
 * A pair iterable (https://webidl.spec.whatwg.org/#idl-iterable): `entriesOf(obj)` returns the
 * current [key, value] list; iterators read it lazily so changes during iteration show.
 */
webidl.mixinPairIterable = (name, prototype, entriesOf) => {
  const IteratorProto = ObjectCreate(IteratorPrototype);
  const target = Symbol("target");
  const kind = Symbol("kind");
  const index = Symbol("index");
  ObjectDefineProperty(IteratorProto, "next", {
    value: function next() {
      if (typeof this !== "object" || this === null || !(target in this)) {
        throw new TypeError(`next() called on a value that is not a ${name} Iterator`);
      }
      const entries = entriesOf(this[target]);
      if (this[index] >= entries.length) return { value: undefined, done: true };
      const [key, value] = entries[this[index]++];
      const result = this[kind] === "key" ? key : this[kind] === "value" ? value : [key, value];
      return { value: result, done: false };
    },
    writable: true, enumerable: true, configurable: true,
  });
  ObjectDefineProperty(IteratorProto, SymbolToStringTag, { value: `${name} Iterator`, configurable: true });

  const createIterator = (self, iterationKind) => {
    const iterator = ObjectCreate(IteratorProto);
    iterator[target] = self;
    iterator[kind] = iterationKind;
    iterator[index] = 0;
    return iterator;
  };
  const methods = {
    entries() {
      webidl.assertBranded(this, prototype);
      return createIterator(this, "key+value");
    },
    keys() {
      webidl.assertBranded(this, prototype);
      return createIterator(this, "key");
    },
    values() {
      webidl.assertBranded(this, prototype);
      return createIterator(this, "value");
    },
    forEach(callback, thisArg = undefined) {
      webidl.assertBranded(this, prototype);
      const prefix = `Failed to execute 'forEach' on '${name}'`;
      webidl.requiredArguments(arguments.length, 1, prefix);
      if (typeof callback !== "function") {
        throw makeException(TypeError, "is not a function.", prefix, "Argument 1");
      }
      const entries = entriesOf(this);
      for (let i = 0; i < entries.length; i++) {
        const [key, value] = entries[i];
        callback.call(thisArg, value, key, this);
      }
    },
  };
  for (const key of ["entries", "keys", "values", "forEach"]) {
    ObjectDefineProperty(prototype, key, { value: methods[key], writable: true, enumerable: true, configurable: true });
  }
  ObjectDefineProperty(prototype, SymbolIterator, { value: methods.entries, writable: true, enumerable: false, configurable: true });
};

internals.webidl = webidl;
