/** Reading typed arrays the caller gave us without trusting anything the caller can override.
 *
 * A Float32Array subclass can override `length`, a tensor's `data` can be a getter returning a
 * different array each time, and an array can come from another realm (an iframe, a vm
 * context), where `instanceof` fails. The intrinsic %TypedArray% getters read the internal
 * slots instead, which no subclass or realm changes. */

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;

function intrinsicGetter(key: PropertyKey): (this: unknown) => unknown {
  const descriptor = Object.getOwnPropertyDescriptor(TypedArrayPrototype, key);
  if (!descriptor?.get) throw new Error(`%TypedArray%.prototype has no getter ${String(key)}`);
  return descriptor.get;
}

const tagOf = intrinsicGetter(Symbol.toStringTag);
const lengthOf = intrinsicGetter('length');
const bufferOf = intrinsicGetter('buffer');
const byteOffsetOf = intrinsicGetter('byteOffset');
const byteLengthOf = intrinsicGetter('byteLength');
const setInto = (TypedArrayPrototype as { set: (this: unknown, source: unknown) => void }).set;

/** The typed array's kind ('Float32Array', 'Uint8Array', ...) from its internal slot, from any
 * realm; undefined for anything that is not a typed array (including a Proxy around one). */
export function typedArrayKind(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? (tagOf.call(value) as string | undefined) : undefined;
}

/** The true element count of a typed array (0 when its buffer was detached). */
export function typedArrayLength(value: ArrayBufferView): number {
  return lengthOf.call(value) as number;
}

/** A fresh Float32Array holding a copy of `value`, a Float32Array of any realm or subclass,
 * read once through its internal slots; null when `value` is not a Float32Array. */
export function copyFloat32(value: unknown): Float32Array | null {
  if (typedArrayKind(value) !== 'Float32Array') return null;
  const copy = new Float32Array(lengthOf.call(value) as number);
  setInto.call(copy, value);
  return copy;
}

/** The bytes of an ArrayBuffer, SharedArrayBuffer or any ArrayBufferView (Uint8Array,
 * DataView, Buffer...), of any realm, as a Uint8Array view of the same memory (no copy);
 * null for anything else. */
export function bytesView(value: unknown): Uint8Array | null {
  if (typeof value !== 'object' || value === null) return null;
  if (isBuffer(value, ArrayBuffer.prototype) || isBuffer(value, globalThis.SharedArrayBuffer?.prototype)) {
    return new Uint8Array(value as ArrayBuffer);
  }
  const tag = Object.prototype.toString.call(value);
  if (typedArrayKind(value) !== undefined) {
    const view = value as ArrayBufferView;
    return new Uint8Array(
      bufferOf.call(view) as ArrayBuffer,
      byteOffsetOf.call(view) as number,
      byteLengthOf.call(view) as number,
    );
  }
  if (tag === '[object DataView]') {
    const descriptor = (key: string) =>
      Object.getOwnPropertyDescriptor(DataView.prototype, key)?.get?.call(value) as number | ArrayBuffer;
    try {
      return new Uint8Array(
        descriptor('buffer') as ArrayBuffer,
        descriptor('byteOffset') as number,
        descriptor('byteLength') as number,
      );
    } catch {
      return null;
    }
  }
  return null;
}

/** Whether `value` really is an (Shared)ArrayBuffer: the intrinsic byteLength getter throws
 * for anything else, whatever its toStringTag says. */
function isBuffer(value: object, prototype: object | undefined): boolean {
  const getter = prototype && Object.getOwnPropertyDescriptor(prototype, 'byteLength')?.get;
  if (!getter) return false;
  try {
    getter.call(value);
    return true;
  } catch {
    return false;
  }
}
