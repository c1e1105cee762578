import { Worker } from 'node:worker_threads';
import { type ProgressState, ProgressView } from './progress.js';
import type { ProgressMessage } from './progress-worker.js';

/** The run's progress line and notes on stderr. */
export interface ProgressReporter {
  update(state: ProgressState): void;
  note(line: string): void;
  /** Ends the line; resolves once everything sent has been written. */
  close(): Promise<void>;
}

/**
 * The view runs in a worker thread: a row of tfjs on its cpu backend computes for tens of
 * seconds without yielding, and a timer on the main thread would not fire meanwhile. Where a
 * worker cannot start, the view runs here (and freezes during such rows).
 */
export function startProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const options = { tty: stream.isTTY === true, columns: stream.columns > 0 ? stream.columns : 120 };
  try {
    const worker = new Worker(new URL('./progress-worker.js', import.meta.url), { workerData: options });
    worker.unref();
    const send = (message: ProgressMessage) => worker.postMessage(message);
    return {
      update: (state) => send({ type: 'state', state }),
      note: (line) => send({ type: 'note', line }),
      close: () =>
        new Promise<void>((resolve) => {
          worker.once('message', () => resolve());
          worker.once('exit', () => resolve());
          worker.once('error', () => resolve());
          send({ type: 'stop' });
        }),
    };
  } catch {
    return inThread(stream, options);
  }
}

function inThread(stream: NodeJS.WriteStream, options: { tty: boolean; columns: number }): ProgressReporter {
  const view = new ProgressView((text) => stream.write(text), options.tty, options.columns, Date.now);
  const timer = setInterval(() => view.tick(), 1000);
  timer.unref();
  return {
    update: (state) => view.update(state),
    note: (line) => view.note(line),
    close: async () => {
      clearInterval(timer);
      view.finish();
    },
  };
}
