import type { Tf, TfTensor } from './tfjs-module.js';

/** The input projection of all steps, `projected` [T·B, G·H], as one feature-major [G·H, B]
 * tensor per step. It is transposed to [T, G·H, B] once; then each step's block is contiguous.
 * Most tfjs backends hand out such a block as a view (cpu: a subarray, webgl: a texture slice),
 * so all T are taken at once (one Unpack). tfjs' wasm backend copies the whole source tensor for
 * every slice, so there each step gathers its own block natively (GatherNd), a copy of that
 * block only. Call inside tf.tidy. */
export function stepInputs(
  tf: Tf,
  tfjsBackend: string,
  projected: TfTensor,
  T: number,
  B: number,
): (t: number) => TfTensor {
  const width = projected.shape[1] as number;
  if (T === 1) {
    const only = tf.transpose(projected);
    return () => only;
  }
  const timeMajor = tf.transpose(tf.reshape(projected, [T, B, width]), [0, 2, 1]);
  if (tfjsBackend === 'wasm') {
    const rows = tf.reshape(timeMajor, [T, width * B]);
    return (t) => tf.reshape(tf.gatherND(rows, tf.tensor2d([t], [1, 1], 'int32')), [width, B]);
  }
  const steps = tf.unstack(timeMajor);
  return (t) => steps[t];
}
