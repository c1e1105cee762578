import { type CellType, createRandom, gateCount, type RecurrentConfig, uniformArray } from '@gated/core';

export type ShapeId = 'S1' | 'S2' | 'S3' | 'S4';
export type BenchCell = Extract<CellType, 'lstm' | 'gru'>;

/** One of the standard shapes of DESIGN.md ("Performance"). */
export interface Shape {
  readonly id: ShapeId;
  /** 'stream': latency of one `step` of a stream; 'forward': one whole-sequence forward. */
  readonly mode: 'stream' | 'forward';
  readonly batch: number;
  /** Sequence length T (1 for a stream step). */
  readonly steps: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly label: string;
}

export const SHAPES: readonly Shape[] = [
  {
    id: 'S1',
    mode: 'stream',
    batch: 1,
    steps: 1,
    inputSize: 64,
    hiddenSize: 256,
    numLayers: 1,
    bidirectional: false,
    label: 'stream step B=1 I=64 H=256',
  },
  {
    id: 'S2',
    mode: 'forward',
    batch: 32,
    steps: 100,
    inputSize: 128,
    hiddenSize: 256,
    numLayers: 1,
    bidirectional: false,
    label: 'batch B=32 T=100 I=128 H=256',
  },
  {
    id: 'S3',
    mode: 'forward',
    batch: 64,
    steps: 50,
    inputSize: 512,
    hiddenSize: 512,
    numLayers: 1,
    bidirectional: false,
    label: 'large B=64 T=50 I=512 H=512',
  },
  {
    id: 'S4',
    mode: 'forward',
    batch: 16,
    steps: 100,
    inputSize: 128,
    hiddenSize: 128,
    numLayers: 2,
    bidirectional: true,
    label: 'stack 2 layers bidir B=16 T=100 I=128 H=128',
  },
];

export const SHAPE_IDS: readonly ShapeId[] = SHAPES.map((s) => s.id);
export const BENCH_CELLS: readonly BenchCell[] = ['lstm', 'gru'];

/** Seeds shared by every row, so that all backends and anchors see the same numbers. */
export const WEIGHT_SEED = 1;
export const INPUT_SEED = 2;
export const TARGET_SEED = 3;

export function shapeById(id: ShapeId): Shape {
  const shape = SHAPES.find((s) => s.id === id);
  if (!shape) throw new Error(`unknown shape ${id}`);
  return shape;
}

/** The model of a shape. GRUs use resetAfter: false (Keras reset_after=False, the ONNX
 * default) because tfjs-layers supports only that variant: every row runs the same math. */
export function shapeConfig(shape: Shape, cell: BenchCell): RecurrentConfig {
  return {
    cell,
    inputSize: shape.inputSize,
    hiddenSize: shape.hiddenSize,
    numLayers: shape.numLayers,
    bidirectional: shape.bidirectional,
    ...(cell === 'gru' ? { resetAfter: false } : {}),
  };
}

/** The input of one measurement: x [T, B, I] for a forward, x_t [B, I] for a stream step. */
export function shapeInput(shape: Shape): Float32Array {
  return uniformArray(shape.steps * shape.batch * shape.inputSize, -1, 1, createRandom(INPUT_SEED));
}

/** The target of a training step's loss (mean squared error over every output value): seeded
 * U(−1, 1) of the output's shape [T, B, D·H], time-major; a prefix of it for a shorter T. */
export function shapeTarget(shape: Shape): Float32Array {
  const D = shape.bidirectional ? 2 : 1;
  return uniformArray(shape.steps * shape.batch * D * shape.hiddenSize, -1, 1, createRandom(TARGET_SEED));
}

/** Multiply-adds of the gate GEMMs, counted twice: Σ over layers and directions of
 * 2·T·B·G·H·(I_k + Hout), with I_k the layer's input size (D·Hout above layer 0). */
export function shapeFlops(shape: Shape, cell: BenchCell): number {
  const G = gateCount(cell);
  const H = shape.hiddenSize;
  const D = shape.bidirectional ? 2 : 1;
  let flops = 0;
  for (let layer = 0; layer < shape.numLayers; layer++) {
    const inputSize = layer === 0 ? shape.inputSize : D * H;
    flops += D * 2 * shape.steps * shape.batch * G * H * (inputSize + H);
  }
  return flops;
}

/** The gate GEMMs of a training step: the forward's, then twice as many in the backward (the
 * gradients of the inputs and states, and those of the weights). */
export function trainingFlops(shape: Shape, cell: BenchCell): number {
  return 3 * shapeFlops(shape, cell);
}
