// MessageChannel, MessagePort and MessageEvent as an app sees them; each case returns what a
// user observes (values, order, error names).
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const nextMessage = (port) => new Promise((resolve) => port.addEventListener("message", resolve, { once: true }));
const errorName = (fn) => {
  try {
    fn();
    return "no error";
  } catch (e) {
    return e.name;
  }
};

// A channel made at top level: its port belongs to the context, and later requests use it.
const shared = new MessageChannel();
let sharedCount = 0;
shared.port2.onmessage = (e) => { sharedCount += e.data; };

const cases = {
  async basic() {
    const { port1, port2 } = new MessageChannel();
    const got = nextMessage(port2);
    port2.start();
    port1.postMessage({ a: [1, 2], d: new Date(0), m: new Map([["k", 1]]) });
    const e = await got;
    return {
      isMessageEvent: e instanceof MessageEvent, type: e.type, a: e.data.a, date: e.data.d.getTime(),
      map: e.data.m.get("k"), origin: e.origin, lastEventId: e.lastEventId, source: e.source,
      ports: e.ports.length, portsFrozen: Object.isFrozen(e.ports), samePorts: e.ports === e.ports,
      target: e.target === port2, trusted: e.isTrusted, tag: Object.prototype.toString.call(port1),
    };
  },

  async cloned() {
    const { port1, port2 } = new MessageChannel();
    const sent = { n: 1 };
    const got = nextMessage(port2);
    port2.start();
    port1.postMessage(sent);
    sent.n = 2;
    const e = await got;
    return { received: e.data.n, notSame: e.data !== sent };
  },

  async orderAndAsync() {
    const { port1, port2 } = new MessageChannel();
    const log = [];
    port2.onmessage = (e) => log.push(e.data);
    port1.postMessage(1);
    port1.postMessage(2);
    port1.postMessage(3);
    log.push("sync");
    await Promise.resolve();
    log.push("micro");
    await sleep(20);
    return { log };
  },

  async queuedUntilStarted() {
    const { port1, port2 } = new MessageChannel();
    const log = [];
    port2.addEventListener("message", (e) => log.push(e.data));
    port1.postMessage("a");
    port1.postMessage("b");
    await sleep(20);
    const beforeStart = log.length;
    port2.start();
    await sleep(20);
    return { beforeStart, after: log };
  },

  async bothDirections() {
    const { port1, port2 } = new MessageChannel();
    port2.onmessage = (e) => port2.postMessage(e.data * 2);
    const got = new Promise((resolve) => { port1.onmessage = (e) => resolve(e.data); });
    port1.postMessage(21);
    return { answer: await got };
  },

  async closed() {
    const { port1, port2 } = new MessageChannel();
    const log = [];
    port2.onmessage = (e) => log.push(e.data);
    port1.postMessage("before close");
    port2.close();
    port1.postMessage("after close");
    await sleep(20);
    const { port1: p3 } = new MessageChannel();
    p3.close();
    p3.close();
    return { log, postOnClosed: errorName(() => p3.postMessage("x")) };
  },

  async closeEvent() {
    const { port1, port2 } = new MessageChannel();
    const closed = new Promise((resolve) => port2.addEventListener("close", (e) => resolve(e.type)));
    port1.close();
    return { type: await Promise.race([closed, sleep(200).then(() => "none")]) };
  },

  async transferBuffer() {
    const { port1, port2 } = new MessageChannel();
    const buffer = new Uint8Array([1, 2, 3]).buffer;
    const got = nextMessage(port2);
    port2.start();
    port1.postMessage(buffer, [buffer]);
    const e = await got;
    const b2 = new Uint8Array([4]).buffer;
    const got2 = nextMessage(port2);
    port1.postMessage({ b2 }, { transfer: [b2] });
    const e2 = await got2;
    return { detached: buffer.byteLength, bytes: [...new Uint8Array(e.data)], detached2: b2.detached,
      bytes2: [...new Uint8Array(e2.data.b2)] };
  },

  async transferPort() {
    const outer = new MessageChannel();
    const inner = new MessageChannel();
    const got = nextMessage(outer.port2);
    outer.port2.start();
    outer.port1.postMessage({ hello: "port" }, [inner.port2]);
    const e = await got;
    const moved = e.ports[0];
    const reply = nextMessage(inner.port1);
    inner.port1.start();
    moved.postMessage("through the moved port");
    const r = await reply;
    return {
      ports: e.ports.length, isPort: moved instanceof MessagePort, notSame: moved !== inner.port2,
      data: e.data.hello, reply: r.data,
      againTransfer: errorName(() => outer.port1.postMessage(null, [inner.port2])),
    };
  },

  async errors() {
    const { port1, port2 } = new MessageChannel();
    return {
      symbol: errorName(() => port1.postMessage(Symbol("s"))),
      fn: errorName(() => port1.postMessage(() => 1)),
      portNotTransferred: errorName(() => port1.postMessage(port2)),
      self: errorName(() => port1.postMessage(null, [port1])),
      notTransferable: errorName(() => port1.postMessage(null, [{}])),
      badTransfer: errorName(() => port1.postMessage(null, 5)),
      noArgs: errorName(() => port1.postMessage()),
      construct: errorName(() => new MessagePort()),
      brand: errorName(() => MessagePort.prototype.start.call({})),
      withoutNew: errorName(() => MessageChannel()),
    };
  },

  async doomed() {
    const { port1, port2 } = new MessageChannel();
    const log = [];
    port2.onmessage = (e) => log.push(e.data);
    port1.postMessage("lost", [port2]);
    await sleep(20);
    return { log, port2Detached: errorName(() => port1.postMessage(null, [port2])) };
  },

  async onmessageStarts() {
    const { port1, port2 } = new MessageChannel();
    port1.postMessage("x");
    const got = new Promise((resolve) => { port2.onmessage = (e) => resolve(e.data); });
    const handlerNull = new MessageChannel().port1.onmessage;
    return { data: await Promise.race([got, sleep(200).then(() => "not started")]), handlerNull };
  },

  messageEventConstructor() {
    const { port1 } = new MessageChannel();
    const e = new MessageEvent("message", { data: { x: 1 }, origin: "https://a.example", lastEventId: "7",
      source: port1, ports: [port1] });
    const plain = new MessageEvent("custom");
    return {
      data: e.data.x, origin: e.origin, lastEventId: e.lastEventId, source: e.source === port1,
      ports: e.ports[0] === port1, trusted: e.isTrusted, plain: [plain.data, plain.origin, plain.lastEventId,
        plain.source, plain.ports.length],
      badSource: errorName(() => new MessageEvent("m", { source: {} })),
      noType: errorName(() => new MessageEvent()),
      isEvent: e instanceof Event,
    };
  },

  async structuredCloneMovesPort() {
    const { port1, port2 } = new MessageChannel();
    const moved = structuredClone(port2, { transfer: [port2] });
    const got = new Promise((resolve) => { moved.onmessage = (e) => resolve(e.data); });
    port1.postMessage("to the clone");
    return { isPort: moved instanceof MessagePort, data: await got };
  },

  async sharedPort() {
    shared.port1.postMessage(1);
    await sleep(20);
    return { count: sharedCount };
  },

  globals() {
    const d = (name) => {
      const p = Object.getOwnPropertyDescriptor(globalThis, name);
      return p === undefined ? "missing" : `${p.writable}/${p.enumerable}/${p.configurable}`;
    };
    return {
      MessageChannel: d("MessageChannel"), MessagePort: d("MessagePort"), MessageEvent: d("MessageEvent"),
      portProto: Object.getPrototypeOf(MessagePort.prototype) === EventTarget.prototype,
      onmessageEnumerable: Object.getOwnPropertyDescriptor(MessagePort.prototype, "onmessage").enumerable,
    };
  },
};

export default {
  async fetch(request) {
    const name = new URL(request.url).searchParams.get("case");
    if (name !== null) return Response.json(await cases[name]());
    const out = {};
    for (const key of Object.keys(cases)) {
      if (key === "sharedPort") continue;
      try {
        out[key] = await cases[key]();
      } catch (e) {
        out[key] = { threw: `${e.name}: ${e.message}` };
      }
    }
    return Response.json(out);
  },
};
