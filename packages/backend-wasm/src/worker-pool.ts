import { WORKER_SOURCE } from './worker-source.js';

/** Exports a worker can run, by index in the control block. */
export const WORKER_KERNELS = [
  'gemm',
  'lstmCell',
  'gruCellResetAfter',
  'gruResetGates',
  'gruNewState',
  'rnnCell',
  'runRecurrence',
  'gemmStrided',
  'gemmTN',
  'lstmBackward',
  'gruAfterBackward',
  'gruBeforeBackward1',
  'gruBeforeBackward2',
  'rnnBackward',
] as const;
export type WorkerKernel = (typeof WORKER_KERNELS)[number];

const CONTROL_INTS = 32;
const SEQUENCE = 0;
const FINISHED = 1;

/** One worker thread and its control block (see worker-source.ts). */
export interface PoolWorker {
  /** Starts `kernel(args)` on the worker; returns at once. */
  start(kernel: WorkerKernel, args: readonly number[]): void;
  /** Returns when the last started call has finished. */
  join(): void;
  /** Wakes the worker without a new call (as a late notify does); it must go back to waiting. */
  wake(): void;
  terminate(): void;
}

/** Whether this thread may block in Atomics.wait (Node and workers yes, browser main threads no). */
let canBlock: boolean | null = null;

function waitUntilFinished(control: Int32Array, sequence: number): void {
  for (let spin = 0; spin < 100_000; spin++) if (Atomics.load(control, FINISHED) === sequence) return;
  while (Atomics.load(control, FINISHED) !== sequence) {
    if (canBlock !== false) {
      try {
        Atomics.wait(control, FINISHED, sequence - 1, 1);
        canBlock = true;
      } catch {
        canBlock = false;
      }
    }
  }
}

/** Starts `count` workers that instantiate `module` over the shared `memory`. */
export async function startWorkers(
  count: number,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
): Promise<PoolWorker[]> {
  const workers: PoolWorker[] = [];
  try {
    for (let i = 0; i < count; i++) workers.push(await startWorker(module, memory));
  } catch (error) {
    for (const w of workers) w.terminate();
    throw error;
  }
  return workers;
}

async function startWorker(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<PoolWorker> {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
  const message = { module, memory, control: control.buffer, names: WORKER_KERNELS };
  const terminate = await spawn(message);
  let sequence = 0;
  return {
    start(kernel, args) {
      control[2] = WORKER_KERNELS.indexOf(kernel);
      control[3] = args.length;
      for (let i = 0; i < args.length; i++) control[4 + i] = args[i];
      sequence++;
      Atomics.store(control, SEQUENCE, sequence);
      Atomics.notify(control, SEQUENCE);
    },
    join() {
      waitUntilFinished(control, sequence);
    },
    wake() {
      Atomics.notify(control, SEQUENCE);
    },
    terminate() {
      Atomics.store(control, SEQUENCE, -1);
      Atomics.notify(control, SEQUENCE);
      terminate();
    },
  };
}

/** In a variable, not a literal: bundlers then leave the import as it is (Vite's dev server
 * would swap in a browser stub and warn on every start); only Node reaches it. */
const NODE_WORKER_THREADS = 'node:worker_threads';

/** Runs WORKER_SOURCE in a new thread, sends it `message`, resolves once it is ready. */
async function spawn(message: object): Promise<() => void> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const { Worker }: typeof import('node:worker_threads') = await import(
      /* webpackIgnore: true */ /* @vite-ignore */ NODE_WORKER_THREADS
    );
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.postMessage(message);
    });
    return () => void worker.terminate();
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(message);
  });
  return () => worker.terminate();
}
