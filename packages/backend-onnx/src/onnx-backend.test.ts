import { describe, expect, it } from 'vitest';
import { createOnnxBackend } from './index.js';

// PyTorch-exported models run on this backend in @gated/onnx's fixtures test (every backend).
describe('createOnnxBackend', () => {
  it('rejects a non-positive numThreads, naming it', async () => {
    await expect(createOnnxBackend({ numThreads: 0 })).rejects.toThrow(/options.numThreads/);
  });

  it('declares what ONNX cannot express as unsupported', async () => {
    const backend = await createOnnxBackend({ numThreads: 1 });
    expect(backend.capabilities.features).not.toContain('projection');
    expect(backend.capabilities.features).not.toContain('returnGates');
    expect(backend.capabilities.features).toContain('seqLens');
    backend.dispose();
  });
});
