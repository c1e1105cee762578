/** The intrinsic %TypedArray% getters, read once at load: they read a typed array's internal
 * slots, which no subclass (an overridden `length`), getter or other realm can change. */
const TypedArrayPrototype = Object.getPrototypeOf(Float32Array.prototype) as object;
const lengthGetter = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'length')?.get;
const tagGetter = Object.getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag)?.get;

/** The true element count of `value` when it is a typed array of `kind` (of any subclass or
 * realm), else -1 (a Proxy around one, another kind, anything else). Bounds checks of copies
 * into wasm memory use this, never `value.length`, which a subclass may override. */
export function typedLength(value: unknown, kind: 'Float32Array' | 'Int32Array'): number {
  if (typeof value !== 'object' || value === null || tagGetter?.call(value) !== kind) return -1;
  return lengthGetter!.call(value) as number;
}

/** typedLength for a Float32Array. */
export function float32Length(value: unknown): number {
  return typedLength(value, 'Float32Array');
}
