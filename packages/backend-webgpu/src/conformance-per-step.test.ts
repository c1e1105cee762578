import { describeConformance } from '@gated/conformance/vitest';
import { createWebGpuBackend } from './index.js';

// The catalogue's models are small, so the default run takes the persistent path for all of
// them: this row holds the per-step kernels to the same catalogue.
describeConformance('webgpu@per-step', () => createWebGpuBackend({ recurrence: 'per-step' }));
