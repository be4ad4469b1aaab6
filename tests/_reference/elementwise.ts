/**
 * Float64 references for the elementwise kernels (STYLE C8), written from the definitions:
 *
 *   relu x = max(x, 0) (NaN stays NaN)    sigmoid x = 1 / (1 + e^-x)    tanh, exp, log as Math
 *   neg -x   sqrt   square x·x   abs |x|   affine x·scale + shift
 *   relu'  dx = x > 0 ? dy : 0            sigmoid'  dx = dy·y·(1 - y)   tanh'  dx = dy·(1 - y²)
 *   binary a + b, a - b, a·b, a / b, same shape or broadcast over 4 dims by element strides
 *
 * @module
 */

/** The unary maps, by the kernel's name without the `f32_v` prefix. */
export const UNARY = {
  relu: (x: number) => Number.isNaN(x) ? NaN : Math.max(x, 0),
  sigmoid: (x: number) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  exp: Math.exp,
  log: Math.log,
  neg: (x: number) => -x,
  sqrt: Math.sqrt,
  square: (x: number) => x * x,
  abs: Math.abs,
} as const;

/** A unary map's name. */
export type UnaryName = keyof typeof UNARY;

/** `f` applied to every element. */
export function unary(name: UnaryName, x: ArrayLike<number>): Float64Array {
  const f = UNARY[name];
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = f(x[i]);
  return y;
}

/** y = x·scale + shift. */
export function affine(x: ArrayLike<number>, scale: number, shift: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i] * scale + shift;
  return y;
}

/** The activation derivatives: dx from dy and the saved value (relu: input x; others: output y). */
export const BACKWARD = {
  relu: (dy: number, x: number) => x > 0 ? dy : 0,
  sigmoid: (dy: number, y: number) => dy * y * (1 - y),
  tanh: (dy: number, y: number) => dy * (1 - y * y),
} as const;

/** An activation derivative's name. */
export type BackwardName = keyof typeof BACKWARD;

/** dx[i] = backward(dy[i], saved[i]). */
export function backward(
  name: BackwardName,
  dy: ArrayLike<number>,
  saved: ArrayLike<number>,
): Float64Array {
  const f = BACKWARD[name];
  const dx = new Float64Array(dy.length);
  for (let i = 0; i < dy.length; i++) dx[i] = f(dy[i], saved[i]);
  return dx;
}

/** The binary operators. */
export const BINARY = {
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
} as const;

/** A binary operator's name. */
export type BinaryName = keyof typeof BINARY;

/** y[i] = a[i] op b[i]. */
export function binary(
  name: BinaryName,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): Float64Array {
  const f = BINARY[name];
  const y = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) y[i] = f(a[i], b[i]);
  return y;
}

/**
 * y[i0, i1, i2, i3] = a[Σ ik·sa[k]] op b[Σ ik·sb[k]] for the contiguous output `dims`
 * (4 dims, strides in elements, 0 broadcasts).
 */
export function binaryBroadcast(
  name: BinaryName,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  dims: readonly number[],
  sa: readonly number[],
  sb: readonly number[],
): Float64Array {
  const f = BINARY[name];
  const [d0, d1, d2, d3] = dims;
  const y = new Float64Array(d0 * d1 * d2 * d3);
  let o = 0;
  for (let i0 = 0; i0 < d0; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      for (let i2 = 0; i2 < d2; i2++) {
        for (let i3 = 0; i3 < d3; i3++) {
          const ia = i0 * sa[0] + i1 * sa[1] + i2 * sa[2] + i3 * sa[3];
          const ib = i0 * sb[0] + i1 * sb[1] + i2 * sb[2] + i3 * sb[3];
          y[o++] = f(a[ia], b[ib]);
        }
      }
    }
  }
  return y;
}
