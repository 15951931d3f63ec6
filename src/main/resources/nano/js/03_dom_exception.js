// DOMException (https://webidl.spec.whatwg.org/#idl-DOMException): the error type the Web APIs
// throw for AbortError, TimeoutError, InvalidStateError and friends.
const {
  Error,
  ErrorPrototype,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectSetPrototypeOf,
  ReflectConstruct,
} = internals.primordials;
const { webidl } = internals;
const { stateOf, setState } = webidl;

// https://webidl.spec.whatwg.org/#dfn-error-names-table: the names with a legacy code. The
// other names of the table (EncodingError, NotReadableError, UnknownError, ConstraintError,
// DataError, TransactionInactiveError, ReadOnlyError, VersionError, OperationError,
// NotAllowedError, OptOutError) have code 0, like any name outside the table.
const LEGACY_CODES = {
  __proto__: null,
  IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
  NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10,
  InvalidStateError: 11, SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14,
  InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20,
  URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24,
  DataCloneError: 25,
};

// The interface's constants (https://webidl.spec.whatwg.org/#idl-DOMException), including the
// three whose names left the table (DOMSTRING_SIZE_ERR, NO_DATA_ALLOWED_ERR, VALIDATION_ERR).
const CONSTANTS = [
  ["INDEX_SIZE_ERR", 1], ["DOMSTRING_SIZE_ERR", 2], ["HIERARCHY_REQUEST_ERR", 3], ["WRONG_DOCUMENT_ERR", 4],
  ["INVALID_CHARACTER_ERR", 5], ["NO_DATA_ALLOWED_ERR", 6], ["NO_MODIFICATION_ALLOWED_ERR", 7],
  ["NOT_FOUND_ERR", 8], ["NOT_SUPPORTED_ERR", 9], ["INUSE_ATTRIBUTE_ERR", 10], ["INVALID_STATE_ERR", 11],
  ["SYNTAX_ERR", 12], ["INVALID_MODIFICATION_ERR", 13], ["NAMESPACE_ERR", 14], ["INVALID_ACCESS_ERR", 15],
  ["VALIDATION_ERR", 16], ["TYPE_MISMATCH_ERR", 17], ["SECURITY_ERR", 18], ["NETWORK_ERR", 19],
  ["ABORT_ERR", 20], ["URL_MISMATCH_ERR", 21], ["QUOTA_EXCEEDED_ERR", 22], ["TIMEOUT_ERR", 23],
  ["INVALID_NODE_TYPE_ERR", 24], ["DATA_CLONE_ERR", 25],
];

class DOMException {
  /**
   * constructor(optional DOMString message = "", optional DOMString name = "Error"). The instance
   * is made by %Error% with this class's prototype, so it is a real error object: it gets the
   * engine's own `stack` (header from the name and message getters, frames from the caller),
   * as the spec hopes and as WPT checks against a plain Error. As in Node and Deno, an options
   * object `{ name, cause }` is accepted in place of the name (a proposal, not yet WebIDL).
   */
  constructor(message = undefined, options = undefined) {
    const prefix = "Failed to construct 'DOMException'";
    message = message === undefined ? "" : webidl.converters.DOMString(message, prefix, "Argument 1");
    let name = "Error";
    let cause;
    let hasCause = false;
    if (typeof options === "object" && options !== null) {
      if (options.name !== undefined) name = webidl.converters.DOMString(options.name, prefix, "Argument 2");
      if ("cause" in options) {
        hasCause = true;
        cause = options.cause;
      }
    } else if (options !== undefined) {
      name = webidl.converters.DOMString(options, prefix, "Argument 2");
    }
    const self = ReflectConstruct(Error, [], new.target);
    setState(self, { name, message, code: LEGACY_CODES[name] ?? 0 });
    if (hasCause) ObjectDefineProperty(self, "cause", { value: cause, writable: true, configurable: true });
    return self;
  }

  get message() {
    webidl.assertBranded(this, DOMExceptionPrototype);
    return stateOf(this).message;
  }

  get name() {
    webidl.assertBranded(this, DOMExceptionPrototype);
    return stateOf(this).name;
  }

  // From the name given at construction: shadowing `name` later does not change it.
  get code() {
    webidl.assertBranded(this, DOMExceptionPrototype);
    return stateOf(this).code;
  }
}
const DOMExceptionPrototype = DOMException.prototype;
ObjectSetPrototypeOf(DOMExceptionPrototype, ErrorPrototype);
webidl.configureInterface(DOMException);
for (const [constant, code] of CONSTANTS) {
  const descriptor = { value: code, writable: false, enumerable: true, configurable: false };
  ObjectDefineProperty(DOMException, constant, descriptor);
  ObjectDefineProperty(DOMExceptionPrototype, constant, descriptor);
}

internals.DOMException = DOMException;

/**
 * For structured clone (https://webidl.spec.whatwg.org/#idl-DOMException, serialization steps):
 * the name and message, plus the stack, which the spec invites implementations to carry.
 */
internals.domException = ObjectFreeze({
  isDOMException: (value) => webidl.isBranded(value, DOMExceptionPrototype),
  serialize(value) {
    const state = stateOf(value);
    const stack = value.stack;
    return { name: state.name, message: state.message, stack: typeof stack === "string" ? stack : undefined };
  },
  deserialize(data) {
    const exception = new DOMException(data.message, data.name);
    if (data.stack !== undefined) {
      ObjectDefineProperty(exception, "stack", { value: data.stack, writable: true, configurable: true });
    }
    return exception;
  },
});
