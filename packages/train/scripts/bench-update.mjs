#!/usr/bin/env node
// What one training update costs, split: recorded forward + backward, the optimizer (Adam over
// every parameter), and compiling the model again from the updated weights (a compiled model's
// weights are fixed). Prints medians over a few updates per shape and backend.
//   pnpm build && node packages/train/scripts/bench-update.mjs [--runs 5] [--backend ts|wasm]
import { createTsBackend } from '@gated/backend-ts';
import { createWasmBackend } from '@gated/backend-wasm';
import { tensor } from '@gated/core';
import { createTrainer } from '../dist/index.js';

const runs = process.argv.includes('--runs') ? Number(process.argv[process.argv.indexOf('--runs') + 1]) : 5;
const SHAPES = [
  { name: 'tiny (example small)', cell: 'gru', B: 16, T: 16, I: 25, H: 32 },
  { name: 'example full', cell: 'lstm', B: 32, T: 32, I: 25, H: 64 },
  { name: 'S2 LSTM', cell: 'lstm', B: 32, T: 100, I: 128, H: 256 },
  { name: 'S2 GRU', cell: 'gru', B: 32, T: 100, I: 128, H: 256 },
];
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log('shape                 backend  fwd+bwd ms  adam ms  compile ms  compile share');
const only = process.argv.includes('--backend') ? process.argv[process.argv.indexOf('--backend') + 1] : null;
for (const create of [createTsBackend, createWasmBackend]) {
  const backend = await create();
  if (only !== null && backend.name !== only) {
    backend.dispose();
    continue;
  }
  for (const s of SHAPES) {
    const config = {
      cell: s.cell,
      inputSize: s.I,
      hiddenSize: s.H,
      ...(s.cell === 'gru' ? { resetAfter: false } : {}),
    };
    const trainer = await createTrainer({ backend, config, outputs: 8, readout: 'last', seed: 1 });
    const x = tensor(
      new Float32Array(s.T * s.B * s.I).map((_, k) => Math.sin(k)),
      [s.T, s.B, s.I],
    );
    const target = tensor(
      new Float32Array(s.B).map((_, k) => k % 8),
      [s.B],
    );
    const ms = { fb: [], up: [], co: [] };
    for (let r = 0; r < runs + 1; r++) {
      const result = await trainer.step({ x, target });
      if (r === 0) continue; // warm-up
      ms.fb.push(result.ms.forwardBackward);
      ms.up.push(result.ms.update);
      ms.co.push(result.ms.compile);
    }
    trainer.dispose();
    const [fb, up, co] = [median(ms.fb), median(ms.up), median(ms.co)];
    console.log(
      `${s.name.padEnd(22)}${backend.name.padEnd(9)}${fb.toFixed(2).padStart(10)}${up.toFixed(2).padStart(9)}${co.toFixed(2).padStart(12)}${`${((100 * co) / (fb + up + co)).toFixed(1)}%`.padStart(15)}`,
    );
  }
  backend.dispose();
}
