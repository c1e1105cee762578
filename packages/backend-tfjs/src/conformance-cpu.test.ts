import { describeConformance } from '@gated/conformance/vitest';
import { createTfjsBackend } from './index.js';

describeConformance('tfjs@cpu', () => createTfjsBackend({ backend: 'cpu' }));
