import { GatedError } from '@gated/core';
import protobuf from 'protobufjs/light.js';
import { ONNX_SCHEMA } from './onnx-schema.js';
import type { OnnxModel } from './types.js';

let modelType: protobuf.Type | null = null;

/** onnx.ModelProto, built once from the generated JSON descriptor (no .proto parsing at run time). */
function modelProto(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  return modelType;
}

/** Decodes ModelProto bytes. Anything protobuf cannot read is INVALID_FILE. Memory stays
 * proportional to the file: protobuf allocates per field actually present in the bytes. */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  if (!(bytes instanceof Uint8Array)) {
    throw new GatedError(
      'INVALID_FILE',
      `bytes: expected a Uint8Array holding an ONNX model, received ${typeof bytes}`,
    );
  }
  if (bytes.length === 0)
    throw new GatedError('INVALID_FILE', 'bytes: expected an ONNX model, received 0 bytes');
  try {
    return modelProto().decode(bytes) as unknown as OnnxModel;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 200);
    throw new GatedError(
      'INVALID_FILE',
      `bytes: expected an ONNX ModelProto, received undecodable protobuf (${reason})`,
      {
        cause: error,
      },
    );
  }
}

export function encodeModel(model: OnnxModel): Uint8Array {
  const type = modelProto();
  return type.encode(type.fromObject(model as Record<string, unknown>)).finish();
}
