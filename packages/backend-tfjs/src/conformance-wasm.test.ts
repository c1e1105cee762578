import { describeConformance } from '@gated/conformance/vitest';
import { createTfjsBackend } from './index.js';

describeConformance('tfjs@wasm', () => createTfjsBackend({ backend: 'wasm' }));
