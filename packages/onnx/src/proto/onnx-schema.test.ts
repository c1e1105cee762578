import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ONNX_SCHEMA } from './onnx-schema.js';

describe('the generated ONNX schema', () => {
  it('is exactly what scripts/generate-schema.mjs makes of the committed onnx.proto', () => {
    const proto = readFileSync(new URL('./onnx.proto', import.meta.url), 'utf8');
    const { root } = protobuf.parse(proto, { keepCase: true });
    expect(ONNX_SCHEMA).toEqual(JSON.parse(JSON.stringify(root.toJSON())));
  });
});
