/**
 * The worker's whole program, as source text so that it needs no file of its own: Node runs it
 * with `new Worker(source, { eval: true })`, browsers from a Blob URL. It instantiates the
 * kernel module over the shared memory, then serves calls posted through its control block:
 * [0] sequence number, [1] last finished sequence, [2] export index, [3] argument count,
 * [4…] i32 arguments. A negative sequence number ends the loop.
 */
export const WORKER_SOURCE = `
const listen = (handler) => {
  if (typeof require === 'function') {
    const { parentPort } = require('node:worker_threads');
    parentPort.once('message', (data) => handler(data, (m) => parentPort.postMessage(m)));
  } else {
    self.onmessage = (event) => handler(event.data, (m) => self.postMessage(m));
  }
};
listen(async ({ module, memory, control, names }, reply) => {
  const { exports } = await WebAssembly.instantiate(module, { env: { memory } });
  const kernels = names.map((name) => exports[name]);
  const c = new Int32Array(control);
  reply('ready');
  let seen = 0;
  for (;;) {
    // Run only once the sequence number has really changed: a wake-up can come from a notify
    // that was sent for the call this worker already ran (the caller stores the new number,
    // then notifies; under load the notify may land after the call is done), and running the
    // same call twice would apply its steps twice.
    for (let spin = 0; Atomics.load(c, 0) === seen && spin < 20000; spin++);
    while (Atomics.load(c, 0) === seen) Atomics.wait(c, 0, seen);
    seen = Atomics.load(c, 0);
    if (seen < 0) return;
    const n = c[3];
    const args = new Array(n);
    for (let i = 0; i < n; i++) args[i] = c[4 + i];
    kernels[c[2]](...args);
    Atomics.store(c, 1, seen);
    Atomics.notify(c, 1);
  }
});
`;
