import type { ErrorCheck } from '../gpu/device-health.js';
import type { Allocation } from '../memory/allocations.js';
import type { LayerShape } from './layer-shape.js';

/** One layer-direction on the device (the `L` of core's Kernels): its shape and its two weight
 * buffers, uploaded once at compile. `upload` reports an upload that failed (out of memory), so
 * every forward of this layer fails with that reason. */
export interface PackedLayer {
  readonly shape: LayerShape;
  readonly input: Allocation;
  readonly recurrent: Allocation;
  readonly upload: ErrorCheck;
  freed: boolean;
}
