import { GatedError, type LayerSpec, type LayerWeights, layerWeightNames } from '@gated/core';
import type { DeviceResources } from '../device-resources.js';
import { scoped } from '../gpu/device-health.js';
import { BufferUsage } from '../gpu/gpu-flags.js';
import type { Allocation } from '../memory/allocations.js';
import { layerShape, type WeightFormat } from './layer-shape.js';
import { packWeights } from './pack-weights.js';
import type { PackedLayer } from './packed-layer.js';

const WEIGHT_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_DST;

/** Packs one layer-direction's weights and uploads them into two buffers of their own, once. */
export function uploadLayer(
  resources: DeviceResources,
  spec: LayerSpec,
  weights: LayerWeights,
  format: WeightFormat,
): PackedLayer {
  const shape = layerShape(spec, format);
  const names = layerWeightNames(spec.config, spec.layer, spec.direction);
  const packed = packWeights(shape, weights, {
    weightIh: names.weightIh,
    weightHh: names.weightHh,
    weightHr: names.weightHr ?? null,
  });
  const limit = resources.budget.maxBindingBytes;
  for (const words of [packed.input, packed.recurrent]) {
    if (words.byteLength > limit) {
      throw new GatedError(
        'UNSUPPORTED',
        `config: expected a layer's weights to fit one storage binding of this device (${limit} bytes), received a layer needing ${words.byteLength}`,
      );
    }
  }
  const { device, allocations } = resources;
  const { value, check } = scoped(device, 'uploading weights', () => {
    const upload = (words: Uint32Array<ArrayBuffer>): Allocation => {
      const { allocation } = allocations.take(Math.max(4, words.byteLength), WEIGHT_USAGE, 'gated weights');
      device.queue.writeBuffer(allocation.gpu, 0, words);
      return allocation;
    };
    return { input: upload(packed.input), recurrent: upload(packed.recurrent) };
  });
  return { shape, input: value.input, recurrent: value.recurrent, upload: check, freed: false };
}
