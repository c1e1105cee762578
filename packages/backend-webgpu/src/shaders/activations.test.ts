import {
  ACTIVATION_NAMES,
  type ActivationSpec,
  normalizeActivation,
  activationFunction as reference,
} from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferUsage, MAP_MODE_READ } from '../gpu/gpu-flags.js';
import { createTestDevice } from '../test-device.test-helper.js';
import { ACTIVATION_HELPERS, activationFunction } from './activations.js';

const devicePromise = createTestDevice();
afterAll(async () => (await devicePromise).destroy());

/** The WGSL activation `spec` applied to every x on the device. */
async function onDevice(spec: ActivationSpec, xs: Float32Array): Promise<Float32Array> {
  const device = await devicePromise;
  const module = device.createShaderModule({
    code: `${ACTIVATION_HELPERS}
${activationFunction('act', spec)}
@group(0) @binding(0) var<storage, read> xs: array<f32>;
@group(0) @binding(1) var<storage, read_write> ys: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x < arrayLength(&xs)) { ys[id.x] = act(xs[id.x]); }
}`,
  });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bytes = xs.byteLength;
  const input = device.createBuffer({ size: bytes, usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
  const output = device.createBuffer({ size: bytes, usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC });
  const staging = device.createBuffer({ size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  device.queue.writeBuffer(input, 0, xs as Float32Array<ArrayBuffer>);
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: input } },
        { binding: 1, resource: { buffer: output } },
      ],
    }),
  );
  pass.dispatchWorkgroups(Math.ceil(xs.length / 64));
  pass.end();
  encoder.copyBufferToBuffer(output, 0, staging, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(MAP_MODE_READ);
  const ys = new Float32Array(staging.getMappedRange().slice(0));
  for (const buffer of [input, output, staging]) buffer.destroy();
  return ys;
}

const EXTREMES = [
  Number.NEGATIVE_INFINITY,
  -3.4e38,
  -1e30,
  -1e6,
  -89,
  -88,
  -50,
  -20,
  -10,
  -1,
  -1e-3,
  -1e-20,
  0,
  1e-20,
  1e-3,
  1,
  10,
  20,
  50,
  88,
  89,
  1e6,
  1e30,
  3.4e38,
  Number.POSITIVE_INFINITY,
];
/** A dense grid over [-30, 30] and the extremes. */
const XS = Float32Array.from([...Array.from({ length: 2401 }, (_, k) => -30 + k * 0.025), ...EXTREMES]);

/** Below this an f32 is subnormal, which some devices flush to zero. */
const MIN_NORMAL = 2 ** -126;

/** Distance in f32 units in the last place. */
function ulps(a: number, b: number): number {
  const view = new Float32Array([a, b]);
  const bits = new Int32Array(view.buffer);
  const ordinal = (i: number) => (bits[i] < 0 ? -(bits[i] & 0x7fffffff) : bits[i]);
  return Math.abs(ordinal(0) - ordinal(1));
}

describe('WGSL activations', () => {
  it.each([
    ['sigmoid', 0, 1],
    ['tanh', -1, 1],
  ] as const)(
    '%s saturates exactly at ±1e30, ±3.4e38 and ±Infinity and stays within 4 ulp elsewhere (normal results)',
    async (name, low, high) => {
      const spec = normalizeActivation(name, 'test');
      const ys = await onDevice(spec, XS);
      const f = reference(spec);
      let worst = 0;
      XS.forEach((x, k) => {
        const expected = Math.fround(f(x));
        if (Math.abs(x) >= 1e30) expect(ys[k], `${name}(${x})`).toBe(x > 0 ? high : low);
        else if (Math.abs(expected) < MIN_NORMAL)
          expect(Math.abs(ys[k] - expected), `${name}(${x})`).toBeLessThan(MIN_NORMAL);
        else worst = Math.max(worst, ulps(ys[k], expected));
      });
      expect(worst).toBeLessThanOrEqual(4);
    },
  );

  it.each(ACTIVATION_NAMES.map((name) => [name]))(
    '%s agrees with the float64 activation within f32 accuracy, and is never NaN',
    async (name) => {
      const spec = normalizeActivation(name === 'thresholdedRelu' ? { name, alpha: 0.5 } : name, 'test');
      const ys = await onDevice(spec, XS);
      const f = reference(spec);
      XS.forEach((x, k) => {
        const expected = f(x);
        expect(Number.isNaN(ys[k]), `${name}(${x}) is NaN`).toBe(false);
        if (Number.isFinite(Math.fround(expected))) {
          expect(Math.abs(ys[k] - expected), `${name}(${x})`).toBeLessThanOrEqual(
            1e-6 + 1e-6 * Math.abs(expected),
          );
        }
      });
    },
  );
});
