import { afterAll, describe, expect, it } from 'vitest';
import { loadModule } from './load-module.js';
import { startWorkers } from './worker-pool.js';

describe('worker pool', async () => {
  const { module } = await loadModule(true);
  const memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true });
  const [worker] = await startWorkers(1, module, memory);
  afterAll(() => worker.terminate());

  // gemm with init = out adds a·w to out on every run: out[0..16) += 1 per call.
  const [A, W, OUT] = [1 << 20, (1 << 20) + 64, (1 << 20) + 128];
  const floats = new Float32Array(memory.buffer);
  floats[A / 4] = 1;
  floats.fill(1, W / 4, W / 4 + 16);
  const runOnce = () => {
    worker.start('gemm', [A, 1, 1, 1, W, 0, 1, OUT, 0, OUT, 16]);
    worker.join();
  };

  it('runs each started call exactly once, even when woken again afterwards', async () => {
    for (let call = 1; call <= 50; call++) {
      runOnce();
      worker.wake();
      worker.wake();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(new Float32Array(memory.buffer, OUT, 16)).toEqual(new Float32Array(16).fill(50));
  });
});
