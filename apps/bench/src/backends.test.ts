import { describe, expect, it } from 'vitest';
import { selects } from './args.js';
import { packageSubjects, resolveBackend } from './backends.js';

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
