import { describeConformance } from '../vitest.js';
import { createReferenceBackend } from './reference-backend.js';

// The reference backend (reference kernels under core's orchestration) against the
// independent whole-model reference: every case and contract check.
describeConformance('reference backend', () => createReferenceBackend());
