import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { type ProgressState, ProgressView } from './progress.js';

/** Messages from the main thread (see progress-reporter.ts). */
export type ProgressMessage =
  | { readonly type: 'state'; readonly state: ProgressState }
  | { readonly type: 'note'; readonly line: string }
  | { readonly type: 'stop' };

/** Writes straight to fd 2, not through process.stderr (which a worker relays via the main
 * thread, frozen while a row computes). A full non-blocking pipe is retried briefly. */
function writeStderr(text: string): void {
  const bytes = Buffer.from(text);
  let offset = 0;
  for (let attempt = 0; offset < bytes.length && attempt < 1000; attempt++) {
    try {
      offset += writeSync(2, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
    }
  }
}

const { tty, columns } = workerData as { tty: boolean; columns: number };
const view = new ProgressView(writeStderr, tty, columns, Date.now);
const timer = setInterval(() => view.tick(), 1000);
parentPort?.on('message', (message: ProgressMessage) => {
  if (message.type === 'state') view.update(message.state);
  else if (message.type === 'note') view.note(message.line);
  else {
    clearInterval(timer);
    view.finish();
    parentPort?.postMessage('stopped');
    parentPort?.close();
  }
});
