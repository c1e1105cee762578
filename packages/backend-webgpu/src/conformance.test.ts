import { describeConformance } from '@gated/conformance/vitest';
import { createWebGpuBackend } from './index.js';

describeConformance('webgpu', () => createWebGpuBackend());
