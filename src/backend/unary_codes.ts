/**
 * The `op` argument of `f32_vunary` and `f32_vunary_bwd` (assembly/math.ts's op constants), declared
 * once, and each op's cost for the thread splits. The first nine unary ops (relu ... abs) keep
 * their own exports (`f32_vrelu` ...); tests/kernels/math_test.ts runs every code against its
 * float64 reference, so a code that drifts from assembly/math.ts fails there.
 *
 * @module
 */
import type { UnaryMathOp } from "./backend.ts";

/** Op codes of `f32_vunary` (all) and `f32_vunary_bwd` (from `reciprocal` on). */
export const MATH_CODE: Readonly<Record<UnaryMathOp, number>> = Object.freeze({
  sign: 9,
  floor: 10,
  ceil: 11,
  round: 12,
  reciprocal: 13,
  rsqrt: 14,
  log1p: 15,
  expm1: 16,
  sin: 17,
  cos: 18,
  tan: 19,
  erf: 20,
  softplus: 21,
  elu: 22,
  selu: 23,
  leakyRelu: 24,
  gelu: 25,
  geluTanh: 26,
  silu: 27,
});

/**
 * Whether op code `code` is a polynomial or transcendental (worth a thread from
 * MIN_TRANSCENDENTAL elements, threads/splits.ts) rather than one or two SIMD instructions per
 * vector (sign floor ceil round reciprocal rsqrt leakyRelu).
 */
export function isCostlyMathCode(code: number): boolean {
  return code >= MATH_CODE.log1p && code !== MATH_CODE.leakyRelu;
}
