import { describeConformance } from '@gated/conformance/vitest';
import { createWasmBackend } from './create-backend.js';

describeConformance('wasm', () => createWasmBackend());
