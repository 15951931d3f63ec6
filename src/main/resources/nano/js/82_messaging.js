// Channel messaging (https://html.spec.whatwg.org/#channel-messaging): MessageChannel, MessagePort
// and MessageEvent, within one context. Both ends of a channel live in the same realm (a port
// cannot leave its context: NANO has no workers or windows to send it to), so a message is a
// structured-clone record handed from one port's queue to a task on the same event loop.
const {
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeSplice,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectGetOwnPropertyDescriptor,
  FunctionPrototypeCall,
  SymbolIterator,
  TypeError,
} = internals.primordials;
const { webidl, DOMException } = internals;
const { stateOf, setState } = webidl;
const { Event, EventTarget, fire, defineEventHandler } = internals.events;
const structuredClone = internals.structuredClone;

// --- MessageEvent (https://html.spec.whatwg.org/#the-messageevent-interface) -----------------

function convertSource(V, prefix, context) {
  if (V === null || V === undefined) return null;
  // MessageEventSource is (WindowProxy or MessagePort or ServiceWorker); only ports exist here.
  if (!webidl.isBranded(V, MessagePortPrototype)) {
    throw webidl.makeException(TypeError, "is not of type 'MessagePort'.", prefix, context);
  }
  return V;
}

function convertPort(V, prefix, context) {
  if (!webidl.isBranded(V, MessagePortPrototype)) {
    throw webidl.makeException(TypeError, "is not of type 'MessagePort'.", prefix, context);
  }
  return V;
}
const sequenceOfPorts = webidl.createSequenceConverter(convertPort);

const eventInit = [
  { key: "bubbles", converter: webidl.converters.boolean, defaultValue: false },
  { key: "cancelable", converter: webidl.converters.boolean, defaultValue: false },
  { key: "composed", converter: webidl.converters.boolean, defaultValue: false },
];
const MessageEventInit = webidl.createDictionaryConverter("MessageEventInit", [
  ...eventInit,
  { key: "data", converter: webidl.converters.any, defaultValue: null },
  { key: "origin", converter: webidl.converters.USVString, defaultValue: "" },
  { key: "lastEventId", converter: webidl.converters.DOMString, defaultValue: "" },
  { key: "source", converter: convertSource, defaultValue: null },
  { key: "ports", converter: sequenceOfPorts, defaultValue: [] },
]);

class MessageEvent extends Event {
  constructor(type, eventInitDict = undefined) {
    const prefix = "Failed to construct 'MessageEvent'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    type = webidl.converters.DOMString(type, prefix, "Argument 1");
    const init = MessageEventInit(eventInitDict, prefix, "Argument 2");
    super(type, init);
    setMessage(stateOf(this), init.data, init.origin, init.lastEventId, init.source, init.ports);
  }

  get data() {
    webidl.assertBranded(this, MessageEventPrototype);
    return stateOf(this).data;
  }

  get origin() {
    webidl.assertBranded(this, MessageEventPrototype);
    return stateOf(this).origin;
  }

  get lastEventId() {
    webidl.assertBranded(this, MessageEventPrototype);
    return stateOf(this).lastEventId;
  }

  get source() {
    webidl.assertBranded(this, MessageEventPrototype);
    return stateOf(this).source;
  }

  /** A FrozenArray<MessagePort>: the same frozen array on every read. */
  get ports() {
    webidl.assertBranded(this, MessageEventPrototype);
    return stateOf(this).ports;
  }

  // https://html.spec.whatwg.org/#dom-messageevent-initmessageevent (legacy).
  initMessageEvent(type, bubbles = false, cancelable = false, data = null, origin = "", lastEventId = "",
    source = null, ports = []) {
    webidl.assertBranded(this, MessageEventPrototype);
    const prefix = "Failed to execute 'initMessageEvent' on 'MessageEvent'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    type = webidl.converters.DOMString(type, prefix, "Argument 1");
    bubbles = webidl.converters.boolean(bubbles);
    cancelable = webidl.converters.boolean(cancelable);
    origin = webidl.converters.USVString(origin, prefix, "Argument 5");
    lastEventId = webidl.converters.DOMString(lastEventId, prefix, "Argument 6");
    source = convertSource(source, prefix, "Argument 7");
    ports = sequenceOfPorts(ports, prefix, "Argument 8");
    const state = stateOf(this);
    if (state.dispatching) return;
    // https://dom.spec.whatwg.org/#concept-event-initialize, then the message attributes.
    state.initialized = true;
    state.stopPropagation = false;
    state.stopImmediatePropagation = false;
    state.canceled = false;
    state.isTrusted = false;
    state.target = null;
    state.type = type;
    state.bubbles = bubbles;
    state.cancelable = cancelable;
    setMessage(state, data, origin, lastEventId, source, ports);
  }
}
const MessageEventPrototype = MessageEvent.prototype;
webidl.configureInterface(MessageEvent);

function setMessage(state, data, origin, lastEventId, source, ports) {
  state.data = data;
  state.origin = origin;
  state.lastEventId = lastEventId;
  state.source = source;
  state.ports = ObjectFreeze(ports);
}

// --- MessagePort (https://html.spec.whatwg.org/#message-ports) ---------------------------------

let creatingPort = false;

/**
 * The port's state extends its EventTarget state: the port it is entangled with (null when
 * none), its port message queue (records not yet delivered) and whether that queue is enabled
 * (started), and [[Detached]] (closed, or transferred away).
 */
function createPort() {
  creatingPort = true;
  try {
    return new MessagePort();
  } finally {
    creatingPort = false;
  }
}

function entangle(a, b) {
  stateOf(a).entangled = b;
  stateOf(b).entangled = a;
}

/** https://html.spec.whatwg.org/#disentangle: the other port gets a close event, as a task. */
function disentangle(port) {
  const other = stateOf(port).entangled;
  if (other === null) return;
  stateOf(port).entangled = null;
  stateOf(other).entangled = null;
  internals.tasks.post(() => {
    if (!stateOf(other).detached) fire(other, new Event("close"));
  });
}

const StructuredSerializeOptions = webidl.createDictionaryConverter("StructuredSerializeOptions", [
  { key: "transfer", converter: webidl.createSequenceConverter(webidl.converters.object), defaultValue: [] },
]);

/**
 * WebIDL overload resolution between postMessage(message, sequence<object> transfer) and
 * postMessage(message, optional StructuredSerializeOptions options = {}): an object with an
 * @@iterator method is the sequence, anything else the dictionary.
 */
function transferArgument(value, prefix) {
  if ((typeof value === "object" && value !== null || typeof value === "function") &&
      value[SymbolIterator] !== undefined) {
    return webidl.createSequenceConverter(webidl.converters.object)(value, prefix, "Argument 2");
  }
  return StructuredSerializeOptions(value, prefix, "Argument 2").transfer;
}

/**
 * The task of one queued message. Tasks run in the order they were posted, so when this one
 * runs, every message queued before it was delivered already, or its task was dropped because
 * the request that owned it ended: those are dropped here too, keeping the queue from holding
 * them for ever. A message whose port was closed or transferred away is no longer in this
 * port's queue, and nothing happens.
 */
function deliver(port, entry) {
  const state = stateOf(port);
  if (state.detached || !state.started) return;
  const index = ArrayPrototypeIndexOf(state.queue, entry);
  if (index === -1) return;
  ArrayPrototypeSplice(state.queue, 0, index + 1);
  let message;
  try {
    message = structuredClone.deserializeWithTransfer(entry.record);
  } catch {
    // https://html.spec.whatwg.org/#message-port-post-message-steps step 7.3.
    fire(port, new MessageEvent("messageerror"));
    return;
  }
  // The event's ports are the MessagePorts among the transferred objects (not the buffers).
  const ports = [];
  for (let i = 0; i < message.transferred.length; i++) {
    if (webidl.isBranded(message.transferred[i], MessagePortPrototype)) ArrayPrototypePush(ports, message.transferred[i]);
  }
  const event = new MessageEvent("message");
  setMessage(stateOf(event), message.value, "", "", null, ports);
  fire(port, event);
}

function postDelivery(port, entry) {
  internals.tasks.post(() => deliver(port, entry));
}

function enqueue(port, record) {
  const state = stateOf(port);
  // A port transferred through its own partner (doomed) or closed takes no more messages.
  if (state.detached) return;
  const entry = { record };
  ArrayPrototypePush(state.queue, entry);
  if (state.started) postDelivery(port, entry);
}

class MessagePort extends EventTarget {
  constructor() {
    if (!creatingPort) webidl.illegalConstructor();
    super();
    const state = stateOf(this);
    state.entangled = null;
    state.queue = [];
    state.started = false;
    state.detached = false;
  }

  // https://html.spec.whatwg.org/#dom-messageport-postmessage and
  // https://html.spec.whatwg.org/#message-port-post-message-steps
  postMessage(message, transfer = undefined) {
    webidl.assertBranded(this, MessagePortPrototype);
    const prefix = "Failed to execute 'postMessage' on 'MessagePort'";
    webidl.requiredArguments(arguments.length, 1, prefix);
    const transferList = transferArgument(transfer, prefix);
    const target = stateOf(this).entangled;
    let doomed = false;
    for (let i = 0; i < transferList.length; i++) {
      if (transferList[i] === this) {
        throw new DOMException("A port cannot be transferred through itself.", "DataCloneError");
      }
      if (target !== null && transferList[i] === target) doomed = true;
    }
    // Serialized (and the transfer done) even when the message goes nowhere: errors still throw.
    const record = structuredClone.serializeWithTransfer(message, transferList);
    if (target === null || doomed) return;
    enqueue(target, record);
  }

  // https://html.spec.whatwg.org/#dom-messageport-start
  start() {
    webidl.assertBranded(this, MessagePortPrototype);
    startPort(this);
  }

  // https://html.spec.whatwg.org/#dom-messageport-close
  close() {
    webidl.assertBranded(this, MessagePortPrototype);
    const state = stateOf(this);
    state.detached = true;
    state.queue = [];
    disentangle(this);
  }
}
const MessagePortPrototype = MessagePort.prototype;
webidl.configureInterface(MessagePort);

function startPort(port) {
  const state = stateOf(port);
  if (state.started || state.detached) return;
  state.started = true;
  const queue = state.queue;
  for (let i = 0; i < queue.length; i++) postDelivery(port, queue[i]);
}

defineEventHandler(MessagePortPrototype, "message");
defineEventHandler(MessagePortPrototype, "messageerror");
defineEventHandler(MessagePortPrototype, "close");

// https://html.spec.whatwg.org/#handler-messageport-onmessage: setting onmessage starts the port.
const onmessage = ObjectGetOwnPropertyDescriptor(MessagePortPrototype, "onmessage");
ObjectDefineProperty(MessagePortPrototype, "onmessage", {
  get: onmessage.get,
  set: {
    onmessage(value) {
      FunctionPrototypeCall(onmessage.set, this, value);
      startPort(this);
    },
  }.onmessage,
  enumerable: true,
  configurable: true,
});

// https://html.spec.whatwg.org/#message-ports: the transfer steps move the port message queue and
// the entanglement to a new port object; the old one is detached. A transferred port starts
// out not started, like any new port.
structuredClone.registerTransferable({
  prototype: MessagePortPrototype,
  isDetached: (port) => stateOf(port).detached,
  transfer(port) {
    const state = stateOf(port);
    const data = { queue: state.queue, remote: state.entangled };
    state.queue = [];
    state.detached = true;
    state.entangled = null;
    return data;
  },
  receive(data) {
    const port = createPort();
    stateOf(port).queue = data.queue;
    if (data.remote !== null) entangle(port, data.remote);
    return port;
  },
});

// --- MessageChannel (https://html.spec.whatwg.org/#message-channels) ---------------------------

class MessageChannel {
  constructor() {
    const port1 = createPort();
    const port2 = createPort();
    entangle(port1, port2);
    setState(this, { port1, port2 });
  }

  get port1() {
    webidl.assertBranded(this, MessageChannelPrototype);
    return stateOf(this).port1;
  }

  get port2() {
    webidl.assertBranded(this, MessageChannelPrototype);
    return stateOf(this).port2;
  }
}
const MessageChannelPrototype = MessageChannel.prototype;
webidl.configureInterface(MessageChannel);

internals.messaging = ObjectFreeze({ MessageChannel, MessagePort, MessageEvent });
