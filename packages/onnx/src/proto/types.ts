/** The parts of the ONNX protobuf messages gated reads and writes (field names as in onnx.proto).
 * int64 fields decode as a number or a Long-like { low, high }; see `int64ToNumber`. */
export type Int64 = number | { low: number; high: number; unsigned?: boolean };

export interface OnnxTensor {
  name?: string;
  dims?: Int64[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: Int64[];
  double_data?: number[];
  raw_data?: Uint8Array;
  data_location?: number;
}

export interface OnnxAttribute {
  name?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: OnnxTensor;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
}

export interface OnnxNode {
  name?: string;
  op_type?: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: OnnxAttribute[];
}

export interface OnnxDim {
  dim_value?: Int64;
  dim_param?: string;
}

export interface OnnxValueInfo {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: OnnxDim[] } } };
}

export interface OnnxGraph {
  name?: string;
  node?: OnnxNode[];
  initializer?: OnnxTensor[];
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
}

export interface OnnxModel {
  ir_version?: Int64;
  producer_name?: string;
  producer_version?: string;
  opset_import?: { domain?: string; version?: Int64 }[];
  graph?: OnnxGraph;
}

/** TensorProto.DataType values gated uses. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const;

/** AttributeProto.AttributeType values. */
export const AttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const;

/** An int64 as a JS number; ±Infinity outside the safe range (ONNX uses INT64_MAX as "to the end"). */
export function int64ToNumber(value: Int64 | undefined | null): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  const high = value.unsigned ? value.high >>> 0 : value.high | 0;
  const n = high * 4294967296 + (value.low >>> 0);
  return Number.isSafeInteger(n) ? n : n > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}
