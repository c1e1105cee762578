import type { Backend } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { selects } from './args.js';
import { deviceWork, packageSubjects, resolveBackend } from './backends.js';

describe('rows of a backend package', () => {
  it('are one per backend its package.json declares: onnx and onnx@node, made alike in a child process', async () => {
    const notes: string[] = [];
    const subjects = await packageSubjects('backend-onnx', (line) => notes.push(line));
    try {
      expect(notes).toEqual([]);
      expect(subjects.map((s) => [s.name, s.ref])).toEqual([
        ['onnx', { source: 'backend', name: 'onnx', dir: 'backend-onnx' }],
        [
          'onnx@node',
          {
            source: 'backend',
            name: 'onnx@node',
            dir: 'backend-onnx',
            options: { runtime: 'onnxruntime-node' },
          },
        ],
      ]);
      // Both can share a process with ort-web@1t, so both are paired with it.
      expect(subjects.map((s) => s.unpairable)).toEqual([undefined, undefined]);
      const select = (filter: string) =>
        subjects.filter((s) => selects([filter], s.name, s.aliases)).map((s) => s.name);
      expect(select('onnx')).toEqual(['onnx', 'onnx@node']);
      expect(select('onnx@node')).toEqual(['onnx@node']);
      // What a child process (pairs, isolated rows) builds from the ref.
      const again = await resolveBackend(subjects[1].ref as Parameters<typeof resolveBackend>[0]);
      expect(again.name).toBe('onnx@node');
      await again.dispose?.();
    } finally {
      for (const subject of subjects) await subject.dispose?.();
    }
  });
});

describe('device work per call', () => {
  it('reads a backend’s stats counters around one extra call', async () => {
    let submissions = 0;
    let dispatches = 0;
    const backend = {
      get stats() {
        return { submissions, dispatches };
      },
    } as unknown as Backend;
    const row = {
      output: new Float32Array(0),
      run: async () => {
        submissions += 1;
        dispatches += 8;
      },
      dispose: () => {},
    };
    expect(await deviceWork(backend, row)).toEqual({ submissions: 1, dispatches: 8 });
    expect(await deviceWork({} as Backend, row)).toBeNull();
  });
});
