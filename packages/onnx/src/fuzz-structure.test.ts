import { createRandom, fromOnnx, isGatedError, normalizeConfig, validateWeights } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { randomModel, type StructureCase } from './fuzz-structure.js';
import { type ImportedModel, importOnnx } from './index.js';

/** Seeded generated models; STRUCT_FUZZ_COUNT and STRUCT_FUZZ_SEED change the count (CI runs
 * 1,000, about 3 s here; 100,000 take ~2.5 minutes) and the seed. */
const COUNT = Number(process.env.STRUCT_FUZZ_COUNT ?? 1_000);
const SEED = Number(process.env.STRUCT_FUZZ_SEED ?? 20261201);

/** Limits every import must keep, whatever the file holds. */
const MAX_MS = 1_000;
const MAX_MEMORY_RATIO = 16;
const MAX_MESSAGE = 400;

/** What is wrong with the importer's answer to `model`, or null when it is right. */
function verdict(model: StructureCase, result: ImportedModel | undefined, error: unknown): string | null {
  const overBudget = model.weightBytes > 4 * model.bytes.length;
  if (error !== undefined) {
    if (!isGatedError(error)) return `threw ${String(error)}`;
    if (error.code !== 'INVALID_FILE' && error.code !== 'UNSUPPORTED')
      return `threw ${error.code}: ${error.message}`;
    if (error.message.length >= MAX_MESSAGE) return `message of ${error.message.length} characters`;
    if (model.defects.length > 0 || model.doubts.length > 0) return null;
    if (overBudget) return /import budget/.test(error.message) ? null : `over budget, but: ${error.message}`;
    return `refused a clean model: ${error.code}: ${error.message}`;
  }
  if (!result) return 'returned nothing';
  if (model.defects.length > 0) return `imported despite ${model.defects.join(', ')}`;
  if (overBudget)
    return `returned ${model.weightBytes} bytes of weights from a ${model.bytes.length}-byte file`;
  if (model.doubts.length > 0) return null;
  const config = normalizeConfig(result.config);
  for (const [field, value] of Object.entries(model.expected)) {
    if (config[field as keyof typeof config] !== value)
      return `config.${field}: expected ${value}, received ${String(config[field as keyof typeof config])}`;
  }
  validateWeights(config, result.weights);
  for (const [name, values] of Object.entries(fromOnnx(config, 0, model.layer0))) {
    const got = result.weights[name];
    if (!values.every((v, i) => Object.is(v, got[i])))
      return `weights.${name} differ from what layer 0 reads`;
  }
  return null;
}

describe('importOnnx on generated models', () => {
  it(`answers ${COUNT} seeded models as their structure says, each within ${MAX_MS} ms and ${MAX_MEMORY_RATIO} × its size in memory`, {
    timeout: 600_000,
  }, () => {
    const random = createRandom(SEED);
    const outcomes: Record<string, number> = { imported: 0, INVALID_FILE: 0, UNSUPPORTED: 0 };
    let slowest = { ms: 0, index: -1, bytes: 0 };
    let worstMemory = { ratio: 0, index: -1, bytes: 0 };
    for (let i = 0; i < COUNT; i++) {
      const model = randomModel(random);
      let result: ImportedModel | undefined;
      let error: unknown;
      const before = process.memoryUsage().arrayBuffers;
      const started = performance.now();
      try {
        result = importOnnx(model.bytes);
      } catch (e) {
        error = e;
      }
      const ms = performance.now() - started;
      // Garbage collection can only lower this figure; what stays counts against the import.
      const ratio = (process.memoryUsage().arrayBuffers - before) / Math.max(model.bytes.length, 64);
      const problem =
        verdict(model, result, error) ??
        (ms > MAX_MS ? `took ${ms.toFixed(0)} ms` : null) ??
        (ratio > MAX_MEMORY_RATIO ? `grew memory by ${ratio.toFixed(1)} × the file` : null);
      if (problem) throw new Error(`model ${i} of seed ${SEED} (${model.bytes.length} bytes): ${problem}`);
      outcomes[result ? 'imported' : (error as { code: string }).code]++;
      if (ms > slowest.ms) slowest = { ms, index: i, bytes: model.bytes.length };
      if (ratio > worstMemory.ratio) worstMemory = { ratio, index: i, bytes: model.bytes.length };
    }
    console.log(
      `structure fuzz: ${COUNT} models, seed ${SEED} →`,
      JSON.stringify(outcomes),
      `slowest ${slowest.ms.toFixed(1)} ms (model ${slowest.index}, ${slowest.bytes} bytes),`,
      `worst memory ${worstMemory.ratio.toFixed(2)} × (model ${worstMemory.index}, ${worstMemory.bytes} bytes)`,
    );
    // Every kind of answer is exercised, so a generator that stopped producing one would show.
    expect(outcomes.imported).toBeGreaterThan(COUNT / 10);
    expect(outcomes.INVALID_FILE).toBeGreaterThan(0);
    expect(outcomes.UNSUPPORTED).toBeGreaterThan(0);
  });
});
