// Test helper (excluded from the build, used by the structure-aware fuzz): one weight input
// (W, R, B or P) of a recurrent node, written in one of the ways producers write weights, or
// in one of the ways a broken or hostile file does.
import { floatTensor } from './const-tensor.js';
import { attr, type ModelDraft, type Picker } from './fuzz-draft.js';
import { DataType, type OnnxTensor } from './proto/types.js';

export interface WeightTensor {
  readonly dims: readonly number[];
  readonly values: Float32Array;
}

/** Weighted choices; the first group imports, the second must be refused. */
const SOURCES = {
  raw: 30,
  floatData: 8,
  double: 5,
  constant: 6,
  constantFloats: 4,
  torchSlices: 10,
  transposed: 5,
  shared: 10,
  identity: 3,
  integer: 1,
  external: 1,
  graphInput: 1,
  gather: 1,
  undefinedName: 1,
  badDims: 2,
  shortData: 1,
  nonFinite: 1,
  hugeDeclared: 1,
  badType: 1,
  deepChain: 0.5,
  concatBomb: 0.5,
  cycle: 0.5,
  hugeDouble: 0.5,
} as const;

/** Writes `t` into the draft; returns the value name and the values the node will read. */
export function weightInput(
  draft: ModelDraft,
  p: Picker,
  t: WeightTensor,
  shared: Map<string, WeightTensor & { name: string }>,
): { name: string; values: Float32Array } {
  const kind = p.weighted(SOURCES);
  const key = t.dims.join('x');
  const plain = () => draft.float(t.dims, t.values);
  const result = (name: string, values = t.values) => {
    if (!shared.has(key)) shared.set(key, { ...t, values, name });
    return { name, values };
  };
  switch (kind) {
    case 'raw':
      return result(plain());
    case 'floatData':
      return result(
        draft.initializer({
          name: draft.fresh('fd'),
          dims: [...t.dims],
          data_type: DataType.FLOAT,
          float_data: [...t.values],
        }),
      );
    case 'double': {
      const name = draft.fresh('f64');
      if (p.chance(0.5))
        return result(
          draft.initializer({
            name,
            dims: [...t.dims],
            data_type: DataType.DOUBLE,
            double_data: [...t.values],
          }),
        );
      const raw = new Uint8Array(t.values.length * 8);
      const view = new DataView(raw.buffer);
      for (let i = 0; i < t.values.length; i++) view.setFloat64(i * 8, t.values[i], true);
      return result(
        draft.initializer({ name, dims: [...t.dims], data_type: DataType.DOUBLE, raw_data: raw }),
      );
    }
    case 'constant': {
      const value = { name: '', dims: [...t.dims], data_type: DataType.FLOAT, float_data: [...t.values] };
      return result(draft.node('Constant', [], [attr.tensor('value', value)]));
    }
    case 'constantFloats': {
      const flat = draft.node('Constant', [], [attr.floats('value_floats', [...t.values])]);
      return result(draft.node('Reshape', [flat, draft.int64([...t.dims])]));
    }
    case 'torchSlices':
      return result(torchSlices(draft, p, t));
    case 'transposed': {
      const reversed = [...t.dims].reverse();
      const stored = transposeValues(t.values, t.dims);
      const perm = p.chance(0.5)
        ? [
            attr.ints(
              'perm',
              reversed.map((_, i) => reversed.length - 1 - i),
            ),
          ]
        : [];
      return result(draft.node('Transpose', [draft.float(reversed, stored)], perm));
    }
    case 'shared': {
      const previous = shared.get(key);
      return previous ? { name: previous.name, values: previous.values } : result(plain());
    }
    case 'identity':
      return result(draft.node('Identity', [plain()]));
    default:
      draft.defect(`weights: ${kind}`);
      return { name: brokenSource(draft, p, t, kind), values: t.values };
  }
}

/** What torch.onnx.export writes without constant folding: per direction a PyTorch-layout
 * tensor cut into gate blocks by Slice, put back together (reordered) by Concat, Unsqueeze'd
 * to a leading D axis; both directions joined by Concat. Here the pieces keep their order. */
function torchSlices(draft: ModelDraft, p: Picker, t: WeightTensor): string {
  const [D, ...rest] = t.dims;
  const perDirection = t.values.length / D;
  const parts: string[] = [];
  for (let d = 0; d < D; d++) {
    const stored = draft.float(rest, t.values.subarray(d * perDirection, (d + 1) * perDirection));
    const cuts = [0, ...Array.from({ length: p.int(0, 3) }, () => p.int(0, rest[0])), rest[0]].sort(
      (a, b) => a - b,
    );
    const pieces = cuts.slice(1).map((end, k) => {
      // "To the end" as torch writes it: a huge end, which Slice clamps.
      const last = k === cuts.length - 2 && p.chance(0.5);
      return draft.slice(stored, 0, cuts[k], last ? Number.MAX_SAFE_INTEGER : end);
    });
    const joined = pieces.length === 1 ? pieces[0] : draft.node('Concat', pieces, [attr.int('axis', 0)]);
    parts.push(draft.axesOp('Unsqueeze', joined, [0]));
  }
  return parts.length === 1 ? parts[0] : draft.node('Concat', parts, [attr.int('axis', 0)]);
}

/** `values` of row-major `dims`, laid out for the reversed dims (a full transpose): the
 * element at index (i0, …, ik) goes to (ik, …, i0). */
function transposeValues(values: Float32Array, dims: readonly number[]): Float32Array {
  const rank = dims.length;
  const reversed = [...dims].reverse();
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank);
  for (let flat = 0; flat < values.length; flat++) {
    let rem = flat;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis] = rem % dims[axis];
      rem = Math.floor(rem / dims[axis]);
    }
    let target = 0;
    for (let k = 0; k < rank; k++) target = target * reversed[k] + index[rank - 1 - k];
    out[target] = values[flat];
  }
  return out;
}

/** A source the importer must refuse (INVALID_FILE or UNSUPPORTED). */
function brokenSource(draft: ModelDraft, p: Picker, t: WeightTensor, kind: string): string {
  const dims = [...t.dims];
  const raw = () => draft.float(dims, t.values);
  switch (kind) {
    case 'integer':
      return draft.initializer({
        name: draft.fresh('int'),
        dims,
        data_type: p.pick([DataType.INT32, DataType.INT64]),
        int64_data: Array.from(t.values, (v) => Math.round(v * 10)),
        int32_data: Array.from(t.values, (v) => Math.round(v * 10)),
      });
    case 'external':
      return draft.initializer({ ...floatTensorLike(draft, t), data_location: 1 });
    case 'graphInput':
      return draft.input(draft.fresh('runtime_weight'));
    case 'gather':
      return draft.node('Gather', [raw(), draft.int64([0])]);
    case 'undefinedName':
      return draft.fresh('nobody_makes_this');
    case 'badDims': {
      const bad = p.pick([
        () => [...dims, 1],
        () => dims.slice(1),
        () => dims.map((d, i) => (i === dims.length - 1 ? d + 1 : d)),
        () => dims.map((d, i) => (i === 0 ? -d : d)),
        () => [2 ** 40, ...dims.slice(1)],
        () => [...dims].reverse(),
        () => [0, ...dims.slice(1)],
      ])();
      const same = bad.length === dims.length && bad.every((d, i) => d === dims[i]);
      return draft.initializer({ ...floatTensorLike(draft, t), dims: same ? [...dims, 1] : bad });
    }
    case 'shortData': {
      const t2 = floatTensorLike(draft, t);
      return draft.initializer({
        ...t2,
        raw_data: t2.raw_data.subarray(0, Math.max(0, t2.raw_data.length - p.int(1, 4))),
      });
    }
    case 'nonFinite': {
      const values = Float32Array.from(t.values);
      values[p.int(0, values.length - 1)] = p.pick([
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
      ]);
      return draft.float(dims, values);
    }
    case 'hugeDeclared':
      return draft.initializer({
        name: draft.fresh('huge'),
        dims: p.pick([
          [2 ** 31, 1],
          [65536, 65536, 4],
          [2 ** 53, 2],
          [1 << 30, 2, 2],
        ]),
        data_type: DataType.FLOAT,
        float_data: [],
      });
    case 'badType':
      return draft.initializer({
        ...floatTensorLike(draft, t),
        data_type: p.pick([0, 2, 3, 5, 9, 10, 12, 16, 42]),
      });
    case 'deepChain': {
      let name = raw();
      for (let k = p.int(65, 90); k > 0; k--) name = draft.node('Identity', [name]);
      return name;
    }
    case 'concatBomb': {
      let name = raw();
      for (let k = p.int(16, 40); k > 0; k--)
        name = draft.node('Concat', [name, name], [attr.int('axis', -1)]);
      return name;
    }
    case 'cycle': {
      const a = draft.fresh('loop_a');
      const b = draft.fresh('loop_b');
      draft.node('Identity', [a], [], [b]);
      draft.node(p.pick(['Identity', 'Transpose', 'Concat']), [b], [], [a]);
      return b;
    }
    default: {
      // hugeDouble: finite as a double, infinite as the f32 a weight must be.
      const values = Array.from(t.values);
      values[p.int(0, values.length - 1)] = p.pick([1e300, -1e39, 3.5e38]);
      return draft.initializer({
        name: draft.fresh('big'),
        dims,
        data_type: DataType.DOUBLE,
        double_data: values,
      });
    }
  }
}

/** A FLOAT initializer of `t` with raw_data, to be corrupted by the caller. */
function floatTensorLike(draft: ModelDraft, t: WeightTensor): OnnxTensor & { raw_data: Uint8Array } {
  const tensor = floatTensor(draft.fresh('t'), t.dims, t.values);
  return { ...tensor, raw_data: tensor.raw_data ?? new Uint8Array(0) };
}
