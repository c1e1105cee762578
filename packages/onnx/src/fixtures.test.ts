import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { referenceForward, toleranceFor } from '@gated/conformance';
import { discoverWorkspaceBackends } from '@gated/conformance/workspace';
import { type Backend, normalizeConfig, tensor } from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnx } from './index.js';

interface FixtureTensor {
  shape: number[];
  data: number[];
}

interface Fixture {
  module: 'LSTM' | 'GRU' | 'RNN';
  kwargs: Record<string, unknown>;
  input: FixtureTensor;
  h0?: FixtureTensor;
  c0?: FixtureTensor;
  output: FixtureTensor;
  h_n: FixtureTensor;
  c_n?: FixtureTensor;
  state_dict: Record<string, FixtureTensor>;
}

const dir = new URL('../fixtures/', import.meta.url);
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.onnx'))
  .map((f) => f.slice(0, -5));

function maxAbsDifference(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

// Every backend package of this workspace (packages/backend-*, built by turbo before this test).
const workspace = fileURLToPath(new URL('../../../', import.meta.url));
const backendFolders = readdirSync(new URL('packages/', `file://${workspace}`)).filter((f) =>
  f.startsWith('backend-'),
);
/** A package may declare several configurations of its factory (package.json gated.backends). */
const declaredBackends = backendFolders.reduce((count, folder) => {
  const manifest = JSON.parse(readFileSync(`${workspace}packages/${folder}/package.json`, 'utf8'));
  return count + (manifest.gated?.backends?.length ?? 1);
}, 0);

describe('models written by torch.onnx.export (tools/onnx-fixtures)', async () => {
  const skipped: string[] = [];
  const backends: Backend[] = await discoverWorkspaceBackends(workspace, (line) => skipped.push(line));
  afterAll(() => {
    for (const backend of backends) backend.dispose();
  });

  it('run on every backend package of the workspace', () => {
    expect(skipped).toEqual([]);
    expect(backends).toHaveLength(declaredBackends);
  });

  it('include LSTM, GRU and RNN stacks', () => {
    expect(names.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of names) {
    const fixture = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Fixture;
    const imported = () => importOnnx(new Uint8Array(readFileSync(new URL(`${name}.onnx`, dir))));

    it(`${name} imports with the PyTorch config and bit-exact state_dict`, () => {
      const { config, weights } = imported();
      const c = normalizeConfig(config);
      expect(c.cell).toBe(fixture.module.toLowerCase());
      expect(c.numLayers).toBe(fixture.kwargs.num_layers ?? 1);
      expect(c.bidirectional).toBe(fixture.kwargs.bidirectional ?? false);
      expect(c.batchFirst).toBe(fixture.kwargs.batch_first ?? false);
      expect(c.bias).toBe(fixture.kwargs.bias ?? true);
      if (c.cell === 'rnn') expect(c.nonlinearity).toBe(fixture.kwargs.nonlinearity ?? 'tanh');
      if (c.cell === 'gru') expect(c.resetAfter).toBe(true);
      expect(Object.keys(weights).sort()).toEqual(Object.keys(fixture.state_dict).sort());
      for (const [key, tensor] of Object.entries(fixture.state_dict)) {
        expect(Array.from(weights[key]), key).toEqual(tensor.data);
      }
    });

    // 1e-5, or more for a backend the conformance tolerance table lists (webgpu@f16 stores its
    // weights as f16), so that every backend is held to what it states.
    const bound = (backend: string) => Math.max(1e-5, toleranceFor(backend).abs);
    it.each(backends.map((backend) => [`${backend.name} (within ${bound(backend.name)})`, backend] as const))(
      `${name} reproduces PyTorch's output, h_n and c_n on backend %s`,
      async (_, backend) => {
        const limit = bound(backend.name);
        const { config, weights } = imported();
        const model = await backend.compile(config, weights);
        const t = (f: FixtureTensor) => tensor(Float32Array.from(f.data), f.shape);
        const result = await model.forward(t(fixture.input), {
          ...(fixture.h0 ? { h0: t(fixture.h0) } : {}),
          ...(fixture.c0 ? { c0: t(fixture.c0) } : {}),
        });
        expect(result.output.shape).toEqual(fixture.output.shape);
        expect(maxAbsDifference(result.output.data, fixture.output.data)).toBeLessThan(limit);
        expect(maxAbsDifference(result.h.data, fixture.h_n.data)).toBeLessThan(limit);
        if (fixture.c_n) expect(maxAbsDifference(result.c!.data, fixture.c_n.data)).toBeLessThan(limit);
        model.dispose();
      },
    );

    it(`${name} reproduces PyTorch's output, h_n and c_n within 1e-5 on the float64 reference`, () => {
      const { config, weights } = imported();
      const result = referenceForward(config, weights, fixture.input, {
        h0: fixture.h0?.data,
        c0: fixture.c0?.data,
      });
      expect(result.outputShape).toEqual(fixture.output.shape);
      expect(maxAbsDifference(result.output, fixture.output.data)).toBeLessThan(1e-5);
      expect(maxAbsDifference(result.h, fixture.h_n.data)).toBeLessThan(1e-5);
      if (fixture.c_n) expect(maxAbsDifference(result.c!, fixture.c_n.data)).toBeLessThan(1e-5);
    });
  }
});
