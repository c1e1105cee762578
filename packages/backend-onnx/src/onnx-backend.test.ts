import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { GatedError, initWeights, tensor } from '@gated/core';
import * as ortNode from 'onnxruntime-node';
import * as ort from 'onnxruntime-web';
import { describe, expect, it, vi } from 'vitest';
import { createOnnxBackend, type OnnxBackendOptions } from './index.js';
import { importOnnxruntimeNode } from './onnx-runtime.js';

async function expectInvalidConfig(options: unknown, mention: string): Promise<void> {
  const error = await createOnnxBackend(options as OnnxBackendOptions).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GatedError);
  expect((error as GatedError).code).toBe('INVALID_CONFIG');
  expect((error as GatedError).message).toContain(mention);
}

// PyTorch-exported models run on this backend in @gated/onnx's fixtures test (every backend).
describe('createOnnxBackend', () => {
  it('rejects a numThreads that is not a positive integer, naming it', async () => {
    for (const numThreads of [0, -1, 1.5, '2', Number.NaN, Number.POSITIVE_INFINITY, 257]) {
      await expectInvalidConfig({ numThreads }, 'options.numThreads');
    }
  });

  it('rejects options that are not an object, and unknown keys with a suggestion', async () => {
    for (const options of [5, 'numThreads', [], null]) await expectInvalidConfig(options, 'options');
    await expectInvalidConfig({ numThread: 2 }, 'did you mean numThreads');
    await expectInvalidConfig({ numThreads: 1, executionProviders: ['webgpu'] }, 'executionProviders');
  });

  it('clamps numThreads to what the machine runs in parallel, with one warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const before = ort.env.wasm.numThreads;
    try {
      const limit = availableParallelism();
      const requested = limit + 30;
      for (let i = 0; i < 2; i++) {
        const backend = await createOnnxBackend({ numThreads: requested });
        expect(ort.env.wasm.numThreads).toBe(limit);
        backend.dispose();
      }
      expect(
        warn.mock.calls.filter((call) => String(call[0]).includes(`numThreads = ${requested}`)),
      ).toHaveLength(1);
    } finally {
      ort.env.wasm.numThreads = before;
      warn.mockRestore();
    }
  });

  it('accepts no options, and undefined values, as the defaults', async () => {
    (await createOnnxBackend()).dispose();
    (await createOnnxBackend({ numThreads: undefined })).dispose();
  });

  it('declares what ONNX cannot express as unsupported', async () => {
    const backend = await createOnnxBackend({ numThreads: 1 });
    expect(backend.capabilities.features).not.toContain('projection');
    expect(backend.capabilities.features).not.toContain('returnGates');
    expect(backend.capabilities.features).toContain('seqLens');
    backend.dispose();
  });
});

describe('createOnnxBackend({ runtime })', () => {
  const config = { cell: 'gru', inputSize: 3, hiddenSize: 4 } as const;
  const weights = initWeights(config, { seed: 5 });
  const x = tensor(
    Float32Array.from({ length: 2 * 3 }, (_, i) => Math.sin(i)),
    [2, 1, 3],
  );

  it('runs on onnxruntime-web by default and on onnxruntime-node when asked, by name or by module', async () => {
    const chosen: [OnnxBackendOptions | undefined, string][] = [
      [undefined, 'onnx'],
      [{ runtime: 'onnxruntime-web' }, 'onnx'],
      [{ runtime: ort }, 'onnx'],
      [{ runtime: 'onnxruntime-node', numThreads: 1 }, 'onnx@node'],
      [{ runtime: ortNode, numThreads: 1 }, 'onnx@node'],
    ];
    const outputs = new Map<string, Float32Array>();
    for (const [options, name] of chosen) {
      const backend = await createOnnxBackend(options);
      expect(backend.name).toBe(name);
      const model = await backend.compile(config, weights);
      const { data } = (await model.forward(x)).output;
      // The same runtime gives the same bits; the two runtimes' kernels differ in rounding.
      const first = outputs.get(name) ?? data;
      outputs.set(name, first);
      expect(data).toEqual(first);
      backend.dispose();
    }
    const [web, native] = [outputs.get('onnx'), outputs.get('onnx@node')] as Float32Array[];
    for (const [i, value] of web.entries()) expect(native[i]).toBeCloseTo(value, 6);
  });

  it('rejects a runtime that is neither name nor module, naming options.runtime and what it accepts', async () => {
    const moduleOfNeither = { InferenceSession: { create() {} }, Tensor: class {}, env: { versions: {} } };
    for (const runtime of [
      'onnxruntime',
      'onnxruntime-webgpu',
      'ONNXRUNTIME-NODE',
      5,
      null,
      true,
      {},
      { InferenceSession: {} },
      () => {},
      moduleOfNeither,
    ]) {
      const error = await createOnnxBackend({ runtime } as unknown as OnnxBackendOptions).catch(
        (e: unknown) => e,
      );
      expect(error, String(runtime)).toBeInstanceOf(GatedError);
      expect((error as GatedError).code).toBe('INVALID_CONFIG');
      expect((error as GatedError).message).toMatch(
        /^onnx options\.runtime: expected 'onnxruntime-web' or 'onnxruntime-node', or an onnxruntime module .*, received /,
      );
    }
  });

  it("gives onnxruntime-node numThreads as each session's intraOpNumThreads, leaving onnxruntime-web alone", async () => {
    const before = ort.env.wasm.numThreads;
    const create = vi.spyOn(ortNode.InferenceSession, 'create');
    try {
      const backend = await createOnnxBackend({ runtime: 'onnxruntime-node', numThreads: 1 });
      await backend.compile(config, weights);
      backend.dispose();
      expect(create).toHaveBeenCalledTimes(1);
      expect(create.mock.calls[0][1]).toMatchObject({
        executionProviders: ['cpu'],
        intraOpNumThreads: 1,
        graphOptimizationLevel: 'disabled',
      });
      expect(ort.env.wasm.numThreads).toBe(before);
    } finally {
      create.mockRestore();
    }
  });

  it('declares both runtimes in package.json, for the conformance CLI and the bench, and node as an optional peer', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const declared = manifest.gated.backends as { name: string; options?: OnnxBackendOptions }[];
    expect(declared.map((d) => d.name)).toEqual(['onnx', 'onnx@node']);
    for (const { name, options } of declared) {
      const backend = await createOnnxBackend(options);
      expect(backend.name).toBe(name);
      backend.dispose();
    }
    expect(manifest.dependencies['onnxruntime-node']).toBeUndefined();
    expect(manifest.peerDependenciesMeta['onnxruntime-node']).toEqual({ optional: true });
  });

  it('says how to install onnxruntime-node where it is not installed', async () => {
    const error = await importOnnxruntimeNode('onnxruntime-node-not-installed').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatedError);
    expect((error as GatedError).code).toBe('BACKEND_UNAVAILABLE');
    expect((error as GatedError).message).toMatch(
      /^backend 'onnx@node': onnxruntime-node-not-installed is not installed: .*npm install onnxruntime-node/,
    );
  });

  it('imports onnxruntime-node only when asked for it: a web backend (and a bundler) never sees it', async () => {
    const dist = fileURLToPath(new URL('../dist/', import.meta.url));
    // Only a specifier in a variable: no bundler resolves or bundles it.
    for (const file of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(`${dist}${file}`, 'utf8');
      expect(source, file).not.toMatch(/^\s*(import|export)\b[^;]*\bfrom\s*['"]onnxruntime-node['"]/m);
      expect(source, file).not.toMatch(/\bimport\s*\(\s*['"]onnxruntime-node['"]/);
    }
    // A Node process (onnxruntime-node is CommonJS: once loaded, it is in require.cache).
    const script = `
      import { createRequire } from 'node:module';
      import { createOnnxBackend } from ${JSON.stringify(`${dist}index.js`)};
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes('onnxruntime-node'));
      const web = await createOnnxBackend();
      const model = await web.compile({ cell: 'rnn', inputSize: 1, hiddenSize: 1 }, {
        weight_ih_l0: new Float32Array(1), weight_hh_l0: new Float32Array(1), bias_ih_l0: new Float32Array(1), bias_hh_l0: new Float32Array(1) });
      await model.forward({ data: new Float32Array(1), shape: [1, 1, 1] });
      const afterWeb = loaded();
      (await createOnnxBackend({ runtime: 'onnxruntime-node' })).dispose();
      console.log(JSON.stringify({ afterWeb, afterNode: loaded() }));
      process.exit(0);`;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '')).toEqual({ afterWeb: false, afterNode: true });
  });
});
