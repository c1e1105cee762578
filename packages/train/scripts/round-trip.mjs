#!/usr/bin/env node
// Regenerates packages/train/fixtures/round-trip: gated trains each case of
// src/examples/round-trip.ts on the float64 reference backend, saves rnn/head/input
// safetensors, then tools/train/round_trip.py loads them into PyTorch and writes its outputs.
// Needs `pnpm build` and /usr/bin/python3 with python3-torch.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createReferenceBackend } from '@gated/conformance';
import { ROUND_TRIP_CASES, roundTripFiles, trainRoundTrip } from '../dist/examples/round-trip.js';

const dir = new URL('../fixtures/round-trip/', import.meta.url);
mkdirSync(dir, { recursive: true });
const backend = createReferenceBackend();
for (const c of ROUND_TRIP_CASES) {
  const trainer = await trainRoundTrip(backend, c);
  for (const [name, bytes] of Object.entries(roundTripFiles(c, trainer)))
    writeFileSync(new URL(name, dir), bytes);
  trainer.dispose();
}
backend.dispose();
const python = process.env.PYTHON ?? '/usr/bin/python3';
execFileSync(python, [new URL('../../../tools/train/round_trip.py', import.meta.url).pathname], {
  stdio: 'inherit',
});
