// DOMException (https://webidl.spec.whatwg.org/#idl-DOMException): the error type the Web APIs
// throw for AbortError, TimeoutError, InvalidStateError and friends.
const { ErrorCaptureStackTrace, ObjectDefineProperty, ObjectSetPrototypeOf, ErrorPrototype } = internals.primordials;
const { webidl } = internals;
const { kState } = webidl;

// https://webidl.spec.whatwg.org/#dfn-error-names-table: names with a legacy code.
const LEGACY_CODES = {
  IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
  NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10,
  InvalidStateError: 11, SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14,
  InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20,
  URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24,
  DataCloneError: 25,
};

class DOMException {
  #message;
  #name;

  constructor(message = "", options = "Error") {
    this.#message = webidl.converters.DOMString(message, "Failed to construct 'DOMException'", "Argument 1");
    if (typeof options === "object" && options !== null) {
      this.#name = "name" in options ? webidl.converters.DOMString(options.name) : "Error";
      if ("cause" in options) {
        ObjectDefineProperty(this, "cause", { value: options.cause, writable: true, configurable: true });
      }
    } else {
      this.#name = webidl.converters.DOMString(options, "Failed to construct 'DOMException'", "Argument 2");
    }
    this[kState] = null;
    // Gives DOMException instances a `stack` like other errors.
    if (ErrorCaptureStackTrace) ErrorCaptureStackTrace(this, DOMException);
  }

  get message() {
    webidl.assertBranded(this, DOMExceptionPrototype);
    return this.#message;
  }

  get name() {
    webidl.assertBranded(this, DOMExceptionPrototype);
    return this.#name;
  }

  get code() {
    webidl.assertBranded(this, DOMExceptionPrototype);
    return LEGACY_CODES[this.#name] ?? 0;
  }
}
const DOMExceptionPrototype = DOMException.prototype;
ObjectSetPrototypeOf(DOMExceptionPrototype, ErrorPrototype);
webidl.configureInterface(DOMException);
for (const [name, code] of Object.entries(LEGACY_CODES)) {
  const constant = name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase().replace(/_ERROR$/, "_ERR");
  const descriptor = { value: code, enumerable: true };
  ObjectDefineProperty(DOMException, constant, descriptor);
  ObjectDefineProperty(DOMExceptionPrototype, constant, descriptor);
}

internals.DOMException = DOMException;
