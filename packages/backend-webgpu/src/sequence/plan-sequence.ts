import { GatedError } from '@gated/core';
import type { DeviceBudget } from '../gpu/device-budget.js';
import type { LayerShape } from '../layer/layer-shape.js';
import { GEMM_TILE } from '../shaders/gemm-kernel.js';
import { persistentWorkgroupBytes } from '../shaders/persistent-kernel.js';

/** How a layer-direction's recurrence runs: one dispatch per step, or one per chunk of steps. */
export type RecurrencePath = 'persistent' | 'per-step';
export type PathPreference = 'auto' | RecurrencePath;

export interface SequencePlan {
  readonly path: RecurrencePath;
  /** Batch rows per thread (per-step) or per workgroup (persistent). */
  readonly rows: number;
  readonly workgroupSize: number;
  /** Steps whose input projection is computed (and kept) at once. */
  readonly chunkSteps: number;
}

/** Steps per chunk of the per-step path: the step-index buffer holds one 256-byte slot each. */
export const MAX_STEP_INDEX = 1024;
/** Batch rows one per-step thread computes, sharing each weight it loads, once the grid has
 * STEP_TARGET_WORKGROUPS workgroups without them (below that, spreading wins over sharing). */
const STEP_ROWS = 4;
const STEP_TARGET_WORKGROUPS = 128;
/** Threads of a per-step workgroup: small, so that a step spreads over many workgroups. */
const STEP_THREADS = 64;

/** The persistent path serializes a step's products inside one workgroup per batch block: it
 * wins while that work is small next to a dispatch's fixed cost. Auto picks it up to this many
 * multiply-adds per batch row and step (G·H·Hout, plus P·H for a projection); see the README
 * for the measurements behind it. */
export const PERSISTENT_MAX_WORK = 2 ** 18;
/** Workgroups the persistent path aims at before it gives each one more batch rows. */
const PERSISTENT_TARGET_WORKGROUPS = 128;
const PERSISTENT_MAX_ROWS = 4;

export function planSequence(
  shape: LayerShape,
  steps: number,
  batch: number,
  budget: DeviceBudget,
  preference: PathPreference,
  workgroupSize: number | null,
): SequencePlan {
  const persistentRows = fittingRows(shape, batch, budget);
  const persistent =
    persistentRows > 0 &&
    (preference === 'persistent' || (preference === 'auto' && stepWork(shape) <= PERSISTENT_MAX_WORK));
  const threads =
    workgroupSize ??
    (persistent ? persistentWorkgroupSize(shape, budget) : Math.min(STEP_THREADS, budget.maxInvocations));
  const rows = persistent ? persistentRows : stepRows(shape, batch, threads);
  if (Math.ceil(batch / rows) > budget.maxWorkgroups) {
    throw new GatedError(
      'INVALID_INPUT',
      `x: expected a batch of at most ${budget.maxWorkgroups * rows} rows on this device, received ${batch} (split the batch)`,
    );
  }
  return {
    path: persistent ? 'persistent' : 'per-step',
    rows,
    workgroupSize: threads,
    chunkSteps: chunkSteps(shape, steps, batch, budget, persistent),
  };
}

/** Multiply-adds of one step for one batch row. */
export function stepWork(shape: LayerShape): number {
  const second = shape.second === 'projection' ? shape.hiddenSize * shape.outputSize : 0;
  return shape.gateWidth * shape.outputSize + second;
}

/** Batch rows per persistent workgroup: enough that the batch needs at most about
 * PERSISTENT_TARGET_WORKGROUPS of them, as many as workgroup memory holds; 0 when not even
 * one row's state fits. */
function fittingRows(shape: LayerShape, batch: number, budget: DeviceBudget): number {
  let rows = Math.min(PERSISTENT_MAX_ROWS, Math.max(1, Math.ceil(batch / PERSISTENT_TARGET_WORKGROUPS)));
  while (rows > 0 && persistentWorkgroupBytes(shape, rows) > budget.maxWorkgroupBytes) rows--;
  return rows;
}

/** STEP_ROWS rows per thread where the grid stays large enough, else one. */
function stepRows(shape: LayerShape, batch: number, threads: number): number {
  const unitGroups = Math.ceil(Math.max(shape.hiddenSize, shape.outputSize) / threads);
  const rows = Math.min(STEP_ROWS, batch);
  return unitGroups * Math.ceil(batch / rows) >= STEP_TARGET_WORKGROUPS ? rows : 1;
}

/** One thread per unit up to 256 (at least 64): a persistent workgroup owns whole rows. */
function persistentWorkgroupSize(shape: LayerShape, budget: DeviceBudget): number {
  const units = Math.max(shape.hiddenSize, shape.second === 'projection' ? shape.outputSize : 0);
  let size = 64;
  while (size < units && size < 256) size *= 2;
  return Math.min(size, budget.maxInvocations);
}

function chunkSteps(
  shape: LayerShape,
  steps: number,
  batch: number,
  budget: DeviceBudget,
  persistent: boolean,
): number {
  const stepBytes = batch * shape.gateWidth * 4;
  const byMemory = Math.floor(Math.min(budget.preBudgetBytes, budget.maxBindingBytes) / stepBytes);
  const byGrid = Math.floor((budget.maxWorkgroups * GEMM_TILE.rows) / batch);
  const chunk = Math.min(steps, byMemory, byGrid, persistent ? steps : MAX_STEP_INDEX);
  if (chunk < 1) {
    throw new GatedError(
      'INVALID_INPUT',
      `x: expected one step's pre-activations (batch × ${shape.gateWidth} values, ${stepBytes} bytes) to fit one buffer binding of this device (${budget.maxBindingBytes} bytes), received a batch of ${batch} (split the batch)`,
    );
  }
  return chunk;
}
