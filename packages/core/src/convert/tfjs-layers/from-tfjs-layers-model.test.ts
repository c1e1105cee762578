import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GatedError } from '../../errors.js';
import { fromKeras } from '../keras.js';
import { fromTfjsLayersModel } from './from-tfjs-layers-model.js';
import { loadTfjsLayersModel } from './load-tfjs-layers-model.js';

const [I, H] = [3, 2];

function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, k) => Math.sin(seed * 7.1 + k * 1.3) / 2);
}

/** A Keras-style model.json (TensorFlow 2 weight names) with one recurrent layer, and its bytes. */
function kerasModel(
  layer: { class_name: string; config: Record<string, unknown> },
  weights: [string, number[], Float32Array][],
  kerasVersion = '2.15.0',
) {
  const modelJson = {
    format: 'layers-model',
    modelTopology: {
      keras_version: kerasVersion,
      model_config: { class_name: 'Sequential', config: { name: 'sequential', layers: [layer] } },
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of1.bin'],
        weights: weights.map(([name, shape]) => ({ name, shape, dtype: 'float32' })),
      },
    ],
  };
  const data = new Float32Array(weights.flatMap(([, , v]) => [...v]));
  return { modelJson, data: data.buffer };
}

function lstm(config: Record<string, unknown> = {}) {
  const [kernel, recurrent, bias] = [values(I * 4 * H, 1), values(H * 4 * H, 2), values(4 * H, 3)];
  return {
    arrays: { kernel, recurrent, bias },
    ...kerasModel({ class_name: 'LSTM', config: { name: 'lstm', units: H, ...config } }, [
      ['lstm/lstm_cell/kernel', [I, 4 * H], kernel],
      ['lstm/lstm_cell/recurrent_kernel', [H, 4 * H], recurrent],
      ['lstm/lstm_cell/bias', [4 * H], bias],
    ]),
  };
}

function error(run: () => unknown): GatedError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(GatedError);
    return e as GatedError;
  }
  throw new Error('expected a GatedError');
}

describe('fromTfjsLayersModel', () => {
  it('reads a Keras LSTM (TensorFlow 2 names, default activations) into gated weights via fromKeras', () => {
    const { modelJson, data, arrays } = lstm({
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      unit_forget_bias: true,
      dropout: 0.3,
    });
    const [layer] = fromTfjsLayersModel(modelJson, data);
    expect(layer).toMatchObject({ name: 'lstm', goBackwards: false });
    expect(layer.config).toEqual({ cell: 'lstm', inputSize: I, hiddenSize: H, batchFirst: true, bias: true });
    const expected = fromKeras(layer.config, [
      { kernel: arrays.kernel, recurrentKernel: arrays.recurrent, bias: arrays.bias },
    ]);
    expect(layer.weights).toEqual(expected);
  });

  it("maps Keras activations: hard_sigmoid (Keras 2: 0.2x + 0.5; Keras 3: x/6 + 0.5), linear, and tfjs' default hard_sigmoid", () => {
    const keras2 = fromTfjsLayersModel(
      lstm({ recurrent_activation: 'hard_sigmoid', activation: 'linear' }).modelJson,
      lstm().data,
    );
    expect(keras2[0].config.activations).toEqual({
      gate: { name: 'hardSigmoid', alpha: 0.2, beta: 0.5 },
      candidate: 'affine',
      cell: 'affine',
    });
    const { modelJson, data } = lstm({ recurrent_activation: 'hard_sigmoid' });
    modelJson.modelTopology.keras_version = '3.3.3';
    expect(fromTfjsLayersModel(modelJson, data)[0].config.activations?.gate).toEqual({
      name: 'hardSigmoid',
      alpha: 1 / 6,
      beta: 0.5,
    });
    modelJson.modelTopology.keras_version = 'tfjs-layers 4.22.0';
    modelJson.modelTopology.model_config.config.layers[0].config = { name: 'lstm', units: H };
    expect(fromTfjsLayersModel(modelJson, data)[0].config.activations?.gate).toEqual({
      name: 'hardSigmoid',
      alpha: 0.2,
      beta: 0.5,
    });
  });

  it('reads a GRU with reset_after=True (bias [2, 3H]) and with reset_after=False, also when the config does not say', () => {
    const [kernel, recurrent] = [values(I * 3 * H, 4), values(H * 3 * H, 5)];
    for (const [resetAfter, biasShape] of [
      [true, [2, 3 * H]],
      [false, [3 * H]],
    ] as const) {
      const bias = values(
        biasShape.reduce((a, b) => a * b, 1),
        6,
      );
      for (const declared of [{ reset_after: resetAfter }, {}]) {
        const { modelJson, data } = kerasModel(
          { class_name: 'GRU', config: { name: 'gru', units: H, ...declared } },
          [
            ['gru/gru_cell/kernel', [I, 3 * H], kernel],
            ['gru/gru_cell/recurrent_kernel', [H, 3 * H], recurrent],
            ['gru/gru_cell/bias', [...biasShape], bias],
          ],
        );
        const [layer] = fromTfjsLayersModel(modelJson, data);
        expect(layer.config).toMatchObject({ cell: 'gru', resetAfter });
        expect(layer.weights).toEqual(
          fromKeras(layer.config, [{ kernel, recurrentKernel: recurrent, bias }]),
        );
      }
    }
  });

  it('reads Bidirectional forward and backward weights by name, and SimpleRNN without bias', () => {
    const [k1, r1, k2, r2] = [values(I * H, 7), values(H * H, 8), values(I * H, 9), values(H * H, 10)];
    const { modelJson, data } = kerasModel(
      {
        class_name: 'Bidirectional',
        config: {
          name: 'bidirectional',
          merge_mode: 'concat',
          layer: {
            class_name: 'SimpleRNN',
            config: { name: 'rnn', units: H, use_bias: false, activation: 'relu' },
          },
        },
      },
      [
        ['bidirectional/backward_rnn/simple_rnn_cell/kernel', [I, H], k2],
        ['bidirectional/backward_rnn/simple_rnn_cell/recurrent_kernel', [H, H], r2],
        ['bidirectional/forward_rnn/simple_rnn_cell/kernel', [I, H], k1],
        ['bidirectional/forward_rnn/simple_rnn_cell/recurrent_kernel', [H, H], r1],
      ],
    );
    const [layer] = fromTfjsLayersModel(modelJson, data);
    expect(layer.config).toEqual({
      cell: 'rnn',
      inputSize: I,
      hiddenSize: H,
      batchFirst: true,
      bias: false,
      bidirectional: true,
      nonlinearity: 'relu',
    });
    expect(layer.weights).toEqual(
      fromKeras(layer.config, [
        { kernel: k1, recurrentKernel: r1 },
        { kernel: k2, recurrentKernel: r2 },
      ]),
    );
  });

  it('refuses what gated cannot express with UNSUPPORTED naming the layer and the setting', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ stateful: true }, 'stateful'],
      [{ unroll: true }, 'unroll'],
      [{ activation: 'selu' }, 'activation = "selu"'],
      [{ recurrent_activation: 'swish' }, 'recurrent_activation'],
    ];
    for (const [config, setting] of cases) {
      const e = error(() => fromTfjsLayersModel(lstm(config).modelJson, lstm().data));
      expect(e.code).toBe('UNSUPPORTED');
      expect(e.message).toContain('layer "lstm"');
      expect(e.message).toContain(setting);
    }
    const { modelJson, data } = lstm();
    const inner = modelJson.modelTopology.model_config.config.layers[0];
    modelJson.modelTopology.model_config.config.layers[0] = {
      class_name: 'Bidirectional',
      config: { name: 'bidirectional', merge_mode: 'sum', layer: inner },
    } as never;
    const e = error(() => fromTfjsLayersModel(modelJson, data));
    expect(e).toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('layer "bidirectional" (Bidirectional(LSTM)): merge_mode = "sum"'),
    });
  });

  it('reads float16 and uint8-quantized weights', () => {
    const { modelJson } = lstm();
    const weights = modelJson.weightsManifest[0].weights as Record<string, unknown>[];
    weights[0].quantization = { dtype: 'float16' };
    weights[1].quantization = { dtype: 'uint8', scale: 0.5, min: -1 };
    weights[2].quantization = { dtype: 'float16' };
    const bytes = new DataView(new ArrayBuffer(I * 4 * H * 2 + H * 4 * H + 4 * H * 2));
    for (let k = 0; k < I * 4 * H; k++) bytes.setUint16(2 * k, 0x3c00, true); // 1.0
    for (let k = 0; k < H * 4 * H; k++) bytes.setUint8(I * 4 * H * 2 + k, 3); // 3 · 0.5 − 1
    for (let k = 0; k < 4 * H; k++) bytes.setUint16(I * 4 * H * 2 + H * 4 * H + 2 * k, 0xc000, true); // −2
    const [layer] = fromTfjsLayersModel(modelJson, bytes.buffer);
    expect([...layer.weights.weight_ih_l0].every((v) => v === 1)).toBe(true);
    expect([...layer.weights.weight_hh_l0].every((v) => v === 0.5)).toBe(true);
    expect([...layer.weights.bias_ih_l0].every((v) => v === -2)).toBe(true);
  });

  it('refuses malformed files with INVALID_FILE naming what is wrong', () => {
    const { modelJson, data } = lstm();
    expect(error(() => fromTfjsLayersModel(modelJson, data.slice(0, 12)))).toMatchObject({
      code: 'INVALID_FILE',
      message: expect.stringContaining('weight "lstm/lstm_cell/kernel"'),
    });
    expect(
      error(() => fromTfjsLayersModel({ format: 'graph-model', modelTopology: {} }, data)).message,
    ).toContain('graph model');
    const wrong = lstm().modelJson;
    wrong.weightsManifest[0].weights[1].shape = [H, 2 * H];
    expect(
      error(() => fromTfjsLayersModel(wrong, new ArrayBuffer((I * 4 * H + H * 2 * H + 4 * H) * 4))).message,
    ).toContain('weight "lstm/lstm_cell/recurrent_kernel": expected shape [2, 8], received [2, 4]');
    const missing = lstm().modelJson;
    missing.weightsManifest[0].weights.pop();
    expect(
      error(() => fromTfjsLayersModel(missing, data.slice(0, (I * 4 * H + H * 4 * H) * 4))).message,
    ).toContain('expected a bias weight for layer "lstm"');
  });
});

describe('loadTfjsLayersModel', () => {
  it('loads model.json and its shards from a file path, a file: URL and over http', async () => {
    const { modelJson, data } = lstm();
    const expected = fromTfjsLayersModel(modelJson, data);
    const dir = await mkdtemp(join(tmpdir(), 'gated-keras-'));
    const server = createServer((request, response) => {
      const file =
        request.url === '/m/model.json'
          ? JSON.stringify(modelJson)
          : request.url === '/m/group1-shard1of1.bin'
            ? new Uint8Array(data)
            : null;
      if (file === null) response.writeHead(404).end();
      else response.writeHead(200).end(file);
    });
    try {
      await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
      await writeFile(join(dir, 'group1-shard1of1.bin'), new Uint8Array(data));
      expect(await loadTfjsLayersModel(join(dir, 'model.json'))).toEqual(expected);
      expect(await loadTfjsLayersModel(pathToFileURL(join(dir, 'model.json')))).toEqual(expected);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      expect(await loadTfjsLayersModel(`http://127.0.0.1:${port}/m/model.json`)).toEqual(expected);
      await expect(loadTfjsLayersModel(`http://127.0.0.1:${port}/missing/model.json`)).rejects.toMatchObject({
        code: 'INVALID_FILE',
        message: expect.stringContaining('HTTP 404'),
      });
      await expect(loadTfjsLayersModel(join(dir, 'nothing.json'))).rejects.toMatchObject({
        code: 'INVALID_FILE',
      });
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
