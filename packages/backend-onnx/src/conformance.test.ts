import { describeConformance } from '@gated/conformance/vitest';
import { createOnnxBackend } from './index.js';

// One onnxruntime session per case: every case exports and loads its own graph.
describeConformance('onnx', () => createOnnxBackend({ numThreads: 1 }));
describeConformance('onnx@node', () => createOnnxBackend({ runtime: 'onnxruntime-node', numThreads: 1 }));
