import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import type { OnnxBackendOptions } from './onnx-options.js';
import type { OrtModule, RuntimeName } from './onnx-runtime.js';

/** Both runtimes, for tests that must hold on each: the backend's name, the options that
 * select it (one thread: the test machine is shared), and the module the backend loads (the
 * same instance, so spies on it see the backend's calls). */
export interface RuntimeUnderTest {
  readonly name: string;
  readonly runtime: RuntimeName;
  readonly options: OnnxBackendOptions;
  readonly ort: OrtModule;
}

export const RUNTIMES: readonly RuntimeUnderTest[] = [
  { name: 'onnx', runtime: 'onnxruntime-web', options: { numThreads: 1 }, ort: ortWeb },
  {
    name: 'onnx@node',
    runtime: 'onnxruntime-node',
    options: { runtime: 'onnxruntime-node', numThreads: 1 },
    ort: ortNode,
  },
];
