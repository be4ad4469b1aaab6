/**
 * References for the binary arithmetic kernels beyond add/sub/mul/div (elementwise.ts has those),
 * written from the definitions (STYLE C8), as functions of two f32 or i32 values:
 *
 *   maximum, minimum   NaN if either is NaN, else the larger / smaller (max(-0, +0) = +0)
 *   pow                Math.pow (TF.js's CPU backend): x^0 = 1, NaN in either else gives NaN
 *   mod                TF.js: r = fmod(a, b); r when a and b have the same sign, else
 *                      fmod(f32(r + b), b)
 *   floorDiv           floor(f32(a / b))
 *   squaredDifference  f32(a - b)², rounded once more
 *
 * int32 (two's complement, wrapping): + - · and (a - b)² modulo 2^32; pow by repeated
 * multiplication modulo 2^32, a negative exponent giving trunc(1 / a^|b|) (0 for a = 0);
 * floorDiv = div = floor(a / b) and mod = a - b·floor(a / b) exactly, both 0 for b = 0, and the
 * quotient -2^31 / -1 wrapping to -2^31.
 *
 * @module
 */

const f = Math.fround;

/** The f32 binary ops by BinaryOp name, on f32 values, each result rounded to f32. */
export const F32_BINARY = {
  add: (a: number, b: number) => f(a + b),
  sub: (a: number, b: number) => f(a - b),
  mul: (a: number, b: number) => f(a * b),
  div: (a: number, b: number) => f(a / b),
  maximum: (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  pow: (a: number, b: number) => f(Math.pow(a, b)),
  mod: (a: number, b: number) => {
    const r = a % b;
    return (a < 0 && b < 0) || (a >= 0 && b >= 0) ? r : f(r + b) % b;
  },
  floorDiv: (a: number, b: number) => Math.floor(f(a / b)),
  squaredDifference: (a: number, b: number) => f(f(a - b) ** 2),
} as const;

/** A binary op's name. */
export type BinaryOpName = keyof typeof F32_BINARY;

/** floor(a / b) on int32 values, 0 for b = 0, wrapping -2^31 / -1. */
function floorDivI32(a: number, b: number): number {
  if (b === 0) return 0;
  return Math.floor(a / b) | 0;
}

/** a^b modulo 2^32 on int32 values (BigInt modular exponentiation: b may be 2^31 - 1). */
function powI32(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : -1) : 0;
  const m = 2n ** 32n;
  let r = 1n, x = ((BigInt(a) % m) + m) % m;
  for (let e = BigInt(b); e > 0n; e /= 2n) {
    if (e % 2n === 1n) r = (r * x) % m;
    x = (x * x) % m;
  }
  return Number(BigInt.asIntN(32, r));
}

/** The int32 binary ops by BinaryOp name, on int32 values. */
export const I32_BINARY: Record<BinaryOpName, (a: number, b: number) => number> = {
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  mul: (a, b) => Number(BigInt.asIntN(32, BigInt(a) * BigInt(b))),
  div: floorDivI32,
  maximum: Math.max,
  minimum: Math.min,
  pow: powI32,
  mod: (a, b) => (b === 0 ? 0 : Number(BigInt(a) - BigInt(b) * BigInt(Math.floor(a / b))) | 0),
  floorDiv: floorDivI32,
  squaredDifference: (a, b) => Number(BigInt.asIntN(32, (BigInt(a) - BigInt(b)) ** 2n)),
};
