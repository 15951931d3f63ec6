// Cases for the Streams Standard (https://streams.spec.whatwg.org/); each records what the app
// observes, or { error: name } when it throws or rejects.
const error1 = new Error("error1");
error1.name = "error1";

async function readAll(stream) {
  const reader = stream.getReader();
  const chunks = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

const nameOf = (e) => (e === undefined ? "undefined" : e.name);
const settle = (p) => p.then((v) => ({ ok: v === undefined ? null : v }), (e) => ({ error: nameOf(e) }));
const flush = async () => {
  for (let i = 0; i < 10; i++) await null;
};

// A signal that works before AbortSignal exists in the runtime, and the real one after.
function abortedSignal(reason) {
  if (typeof AbortController === "function") {
    const controller = new AbortController();
    controller.abort(reason);
    return controller.signal;
  }
  return { aborted: true, reason, addEventListener() {}, removeEventListener() {} };
}

function recordingWritable(log, options = {}) {
  return new WritableStream({
    write(chunk) {
      log.push(`write:${chunk}`);
    },
    close() {
      log.push("close");
    },
    abort(reason) {
      log.push(`abort:${nameOf(reason)}`);
    },
  }, options.strategy);
}

const cases = {
  defaultReadAndClose: async () => {
    const stream = new ReadableStream({
      start(c) {
        c.enqueue("a");
        c.enqueue("b");
        c.close();
      },
    });
    const reader = stream.getReader();
    const results = [await reader.read(), await reader.read(), await reader.read()];
    await reader.closed;
    return results.map((r) => [r.value ?? null, r.done]);
  },
  defaultCancel: async () => {
    const log = [];
    const stream = new ReadableStream({
      start(c) {
        c.enqueue("queued");
      },
      cancel(reason) {
        log.push(`cancel:${reason}`);
      },
    });
    const reader = stream.getReader();
    const cancelResult = await reader.cancel("why");
    const afterCancel = await reader.read();
    return [...log, cancelResult ?? null, afterCancel.done];
  },
  defaultError: async () => {
    let controller;
    const stream = new ReadableStream({
      start(c) {
        controller = c;
      },
    });
    const reader = stream.getReader();
    const pending = settle(reader.read());
    controller.error(error1);
    return [await pending, await settle(reader.closed), await settle(reader.read()), controller.desiredSize];
  },
  enqueueAfterCloseThrows: () => {
    let controller;
    new ReadableStream({
      start(c) {
        controller = c;
      },
    });
    controller.close();
    try {
      controller.enqueue("x");
      return "no error";
    } catch (e) {
      return e.name;
    }
  },
  backpressure: async () => {
    let pulls = 0;
    let controller;
    const stream = new ReadableStream({
      start(c) {
        controller = c;
      },
      pull() {
        pulls++;
      },
    }, { highWaterMark: 2 });
    await flush();
    const afterStart = [pulls, controller.desiredSize];
    controller.enqueue("a");
    controller.enqueue("b");
    await flush();
    const whenFull = [pulls, controller.desiredSize];
    const reader = stream.getReader();
    await reader.read();
    await flush();
    const afterRead = [pulls, controller.desiredSize];
    return { afterStart, whenFull, afterRead };
  },
  sizeStrategy: async () => {
    let controller;
    new ReadableStream({
      start(c) {
        controller = c;
      },
    }, { highWaterMark: 10, size: (chunk) => chunk.length });
    controller.enqueue("abcd");
    const sizes = [controller.desiredSize];
    controller.enqueue("efghijk");
    sizes.push(controller.desiredSize);
    return sizes;
  },
  byobRespond: async () => {
    const stream = new ReadableStream({
      type: "bytes",
      pull(c) {
        const view = c.byobRequest.view;
        view[0] = 1;
        view[1] = 2;
        view[2] = 3;
        c.byobRequest.respond(3);
      },
    });
    const reader = stream.getReader({ mode: "byob" });
    const buffer = new ArrayBuffer(8);
    const { value, done } = await reader.read(new Uint8Array(buffer));
    return {
      bytes: [...value], done, byteLength: value.byteLength, bufferSize: value.buffer.byteLength,
      originalDetached: buffer.byteLength === 0, tag: Object.prototype.toString.call(reader),
    };
  },
  byobRespondWithNewView: async () => {
    const stream = new ReadableStream({
      type: "bytes",
      pull(c) {
        const view = c.byobRequest.view;
        const fresh = new Uint8Array(view.buffer, view.byteOffset, 2);
        fresh.set([9, 8]);
        c.byobRequest.respondWithNewView(fresh);
      },
    });
    const reader = stream.getReader({ mode: "byob" });
    const { value } = await reader.read(new Uint16Array(4));
    const bytes = [...new Uint8Array(value.buffer, value.byteOffset, 2)];
    return { type: value.constructor.name, length: value.length, bytes };
  },
  byobReadMinAndQueue: async () => {
    let controller;
    const stream = new ReadableStream({
      type: "bytes",
      start(c) {
        controller = c;
      },
    });
    const reader = stream.getReader({ mode: "byob" });
    const read = reader.read(new Uint8Array(6), { min: 4 });
    controller.enqueue(new Uint8Array([1, 2]));
    controller.enqueue(new Uint8Array([3, 4, 5]));
    const { value } = await read;
    controller.close();
    const end = await reader.read(new Uint8Array(2));
    return { first: [...value], endDone: end.done, endLength: end.value.byteLength };
  },
  byteStreamDefaultReader: async () => {
    const chunk = new Uint8Array([5, 6, 7]);
    const stream = new ReadableStream({
      type: "bytes",
      start(c) {
        c.enqueue(chunk);
        c.close();
      },
    });
    const chunks = await readAll(stream);
    return { chunks: chunks.map((c) => [...c]), enqueuedDetached: chunk.byteLength === 0 };
  },
  byteStreamAutoAllocate: async () => {
    const stream = new ReadableStream({
      type: "bytes",
      autoAllocateChunkSize: 16,
      pull(c) {
        c.byobRequest.view[0] = 42;
        c.byobRequest.respond(1);
        c.close();
      },
    });
    const reader = stream.getReader();
    const { value } = await reader.read();
    return [value.buffer.byteLength, [...value]];
  },
  tee: async () => {
    const stream = new ReadableStream({
      start(c) {
        c.enqueue("x");
        c.enqueue("y");
        c.close();
      },
    });
    const [a, b] = stream.tee();
    return [await readAll(a), await readAll(b), stream.locked];
  },
  teeCancelBoth: async () => {
    let reason;
    const stream = new ReadableStream({
      cancel(r) {
        reason = r;
      },
    });
    const [a, b] = stream.tee();
    const first = a.cancel("r1");
    let firstSettled = false;
    first.then(() => {
      firstSettled = true;
    });
    await flush();
    const settledBeforeSecond = firstSettled;
    await Promise.all([first, b.cancel("r2")]);
    return { reason, settledBeforeSecond };
  },
  byteTee: async () => {
    const stream = new ReadableStream({
      type: "bytes",
      start(c) {
        c.enqueue(new Uint8Array([1, 2, 3]));
        c.close();
      },
    });
    const [a, b] = stream.tee();
    const byob = a.getReader({ mode: "byob" });
    const fromA = await byob.read(new Uint8Array(2));
    const restA = await byob.read(new Uint8Array(4));
    const chunksB = await readAll(b);
    return {
      a: [[...fromA.value], [...restA.value]],
      b: chunksB.map((c) => [...c]),
      sameBuffer: chunksB[0].buffer === fromA.value.buffer,
    };
  },
  pipeToDefault: async () => {
    const log = [];
    const source = new ReadableStream({
      start(c) {
        c.enqueue("a");
        c.enqueue("b");
        c.close();
      },
    });
    await source.pipeTo(recordingWritable(log));
    return log;
  },
  pipeToPreventClose: async () => {
    const log = [];
    const source = new ReadableStream({
      start(c) {
        c.enqueue("a");
        c.close();
      },
    });
    const dest = recordingWritable(log);
    await source.pipeTo(dest, { preventClose: true });
    return [...log, dest.locked];
  },
  pipeToPreventAbort: async () => {
    const results = {};
    for (const preventAbort of [false, true]) {
      const log = [];
      const source = new ReadableStream({
        start(c) {
          c.error(error1);
        },
      });
      const result = await settle(source.pipeTo(recordingWritable(log), { preventAbort }));
      results[preventAbort] = [result.error, ...log];
    }
    return results;
  },
  pipeToPreventCancel: async () => {
    const results = {};
    for (const preventCancel of [false, true]) {
      const log = [];
      const source = new ReadableStream({
        cancel(reason) {
          log.push(`cancel:${nameOf(reason)}`);
        },
      });
      const dest = new WritableStream({
        start(c) {
          c.error(error1);
        },
      });
      const result = await settle(source.pipeTo(dest, { preventCancel }));
      results[preventCancel] = [result.error, ...log];
    }
    return results;
  },
  pipeToAbortedSignal: async () => {
    const log = [];
    const source = new ReadableStream({
      start(c) {
        c.enqueue("never written");
      },
      cancel(reason) {
        log.push(`cancel:${nameOf(reason)}`);
      },
    });
    const result = await settle(source.pipeTo(recordingWritable(log), { signal: abortedSignal(error1) }));
    return [result.error, ...log.sort()];
  },
  pipeToLocked: async () => {
    const source = new ReadableStream();
    source.getReader();
    return [await settle(source.pipeTo(new WritableStream())),
      await settle(new ReadableStream().pipeTo("not a stream"))];
  },
  pipeThrough: async () => {
    const upper = new TransformStream({
      transform(chunk, controller) {
        controller.enqueue(chunk.toUpperCase());
      },
      flush(controller) {
        controller.enqueue("!");
      },
    });
    const source = new ReadableStream({
      start(c) {
        c.enqueue("hello");
        c.enqueue("world");
        c.close();
      },
    });
    return readAll(source.pipeThrough(upper));
  },
  transformTerminate: async () => {
    const ts = new TransformStream({
      transform(chunk, controller) {
        controller.enqueue(chunk);
        controller.terminate();
      },
    });
    const writer = ts.writable.getWriter();
    writer.write("only");
    const read = await readAll(ts.readable);
    return [read, await settle(writer.closed)];
  },
  writableBackpressure: async () => {
    const log = [];
    let finishWrite;
    const stream = new WritableStream({
      write(chunk) {
        log.push(`write:${chunk}`);
        return new Promise((resolve) => {
          finishWrite = resolve;
        });
      },
    }, new CountQueuingStrategy({ highWaterMark: 1 }));
    const writer = stream.getWriter();
    await writer.ready;
    const sizes = [writer.desiredSize];
    let ready = false;
    const w1 = writer.write("a");
    writer.ready.then(() => {
      ready = true;
    });
    sizes.push(writer.desiredSize);
    await flush();
    const readyWhileWriting = ready;
    finishWrite();
    await w1;
    await flush();
    sizes.push(writer.desiredSize);
    return { log, sizes, readyWhileWriting, readyAfter: ready };
  },
  writableErrorAndAbort: async () => {
    const log = [];
    const stream = recordingWritable(log);
    const writer = stream.getWriter();
    const abort = await settle(writer.abort(error1));
    const write = await settle(writer.write("late"));
    const closed = await settle(writer.closed);
    return { abort, write, closed, log };
  },
  writableClose: async () => {
    const log = [];
    const stream = recordingWritable(log);
    const writer = stream.getWriter();
    writer.write("1");
    await writer.close();
    return [...log, await settle(writer.write("x"))];
  },
  fromSyncIterable: async () => readAll(ReadableStream.from([1, 2, 3])),
  fromAsyncIterable: async () => {
    async function* gen() {
      yield "a";
      await null;
      yield "b";
    }
    return readAll(ReadableStream.from(gen()));
  },
  fromNotIterable: () => {
    try {
      ReadableStream.from(42);
      return "no error";
    } catch (e) {
      return e.name;
    }
  },
  asyncIterationBreak: async () => {
    const log = [];
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(1);
        c.enqueue(2);
        c.enqueue(3);
      },
      cancel(reason) {
        log.push(`cancel:${reason}`);
      },
    });
    const seen = [];
    for await (const chunk of stream) {
      seen.push(chunk);
      if (chunk === 2) break;
    }
    return { seen, log, locked: stream.locked };
  },
  asyncIterationPreventCancel: async () => {
    const log = [];
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(1);
        c.enqueue(2);
      },
      cancel() {
        log.push("cancel");
      },
    });
    for await (const chunk of stream.values({ preventCancel: true })) {
      if (chunk === 1) break;
    }
    const locked = stream.locked;
    const rest = await stream.getReader().read();
    return { log, locked, rest: rest.value };
  },
  asyncIteratorReturn: async () => {
    const stream = new ReadableStream();
    const iterator = stream[Symbol.asyncIterator]();
    const result = await iterator.return("done");
    const locked = stream.locked;
    return { result, locked, next: await iterator.next(), tag: Object.prototype.toString.call(iterator) };
  },
  lockingErrors: async () => {
    const stream = new ReadableStream();
    const reader = stream.getReader();
    const errors = [];
    try {
      stream.getReader();
    } catch (e) {
      errors.push(e.name);
    }
    errors.push((await settle(stream.cancel())).error);
    reader.releaseLock();
    errors.push((await settle(reader.read())).error, stream.locked);
    try {
      new ReadableStream().getReader({ mode: "byob" });
    } catch (e) {
      errors.push(e.name);
    }
    const writable = new WritableStream();
    writable.getWriter();
    try {
      writable.getWriter();
    } catch (e) {
      errors.push(e.name);
    }
    errors.push((await settle(writable.abort())).error);
    return errors;
  },
  queuingStrategies: () => {
    const bytes = new ByteLengthQueuingStrategy({ highWaterMark: 16 });
    const count = new CountQueuingStrategy({ highWaterMark: 2 });
    let missing;
    try {
      new CountQueuingStrategy({});
    } catch (e) {
      missing = e.name;
    }
    return {
      bytes: [bytes.highWaterMark, bytes.size(new Uint8Array(5)), bytes.size.name,
        bytes.size === new ByteLengthQueuingStrategy({ highWaterMark: 1 }).size],
      count: [count.highWaterMark, count.size("anything")],
      missing,
    };
  },
  badStrategy: () => {
    const errors = [];
    for (const make of [
      () => new ReadableStream({}, { highWaterMark: -1 }),
      () => new ReadableStream({ type: "bytes" }, { size: () => 1 }),
      () => new ReadableStream({ type: "nope" }),
      () => new WritableStream({ type: "bytes" }),
    ]) {
      try {
        make();
        errors.push("no error");
      } catch (e) {
        errors.push(e.name);
      }
    }
    return errors;
  },
  webidlShape: () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, "ReadableStream");
    const illegal = [];
    for (const C of [ReadableStreamDefaultController, ReadableByteStreamController, ReadableStreamBYOBRequest,
      WritableStreamDefaultController, TransformStreamDefaultController]) {
      try {
        new C();
        illegal.push("constructed");
      } catch (e) {
        illegal.push(e.name);
      }
    }
    let brand;
    try {
      ReadableStream.prototype.getReader.call({});
    } catch (e) {
      brand = e.name;
    }
    return {
      global: [descriptor.writable, descriptor.enumerable, descriptor.configurable],
      tags: [new ReadableStream(), new WritableStream(), new TransformStream()]
        .map((o) => Object.prototype.toString.call(o)),
      asyncIterator: ReadableStream.prototype[Symbol.asyncIterator] === ReadableStream.prototype.values,
      fromEnumerable: Object.getOwnPropertyDescriptor(ReadableStream, "from").enumerable,
      illegal,
      brand,
    };
  },
  patchedPromiseThen: async () => {
    // The runtime's reactions must not go through an app's patched Promise.prototype.then.
    const original = Promise.prototype.then;
    let calls = 0;
    const stream = new ReadableStream({
      start(c) {
        c.enqueue("x");
        c.close();
      },
    });
    const reader = stream.getReader();
    Promise.prototype.then = function (...args) {
      calls++;
      return original.apply(this, args);
    };
    try {
      const read = reader.read();
      Promise.prototype.then = original;
      const result = await read;
      return { value: result.value, callsDuringRead: calls };
    } finally {
      Promise.prototype.then = original;
    }
  },
};

export default {
  async fetch(request) {
    // ?cases=a,b runs only those (each test asks for its own, keeping requests short).
    const only = new URL(request.url).searchParams.get("cases")?.split(",");
    const out = {};
    for (const [name, run] of Object.entries(cases)) {
      if (only && !only.includes(name)) continue;
      try {
        out[name] = await run();
      } catch (e) {
        out[name] = { error: e.name, message: String(e.message) };
      }
    }
    return new Response(JSON.stringify(out), { headers: { "content-type": "application/json" } });
  },
};
