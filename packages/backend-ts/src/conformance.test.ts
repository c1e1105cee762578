import { describeConformance } from '@gated/conformance/vitest';
import { createTsBackend } from './index.js';

describeConformance('ts', () => createTsBackend());
