/** The buffers of this backend: Float32Array (precision 'f32') or Float64Array ('f64'). */
export type Real = Float32Array | Float64Array;

export type RealConstructor = Float32ArrayConstructor | Float64ArrayConstructor;
