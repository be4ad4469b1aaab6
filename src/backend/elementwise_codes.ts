/**
 * The `op` argument of the binary and compare kernels, declared once: assembly/elementwise.ts's
 * binary op constants (its i32 kernels take the same codes) and assembly/compare.ts's compare op
 * constants. tests/kernels/compare_test.ts runs every code against its reference.
 *
 * @module
 */
import type { BinaryOp, CompareOp } from "./backend.ts";

/** Op codes of `f32_vbinary_bcast` and `i32_vbinary_bcast`. */
export const BINARY_CODE: Readonly<Record<BinaryOp, number>> = Object.freeze({
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
  pow: 6,
  mod: 7,
  floorDiv: 8,
  squaredDifference: 9,
});

/** Op codes of `f32_vcompare_bcast`, `i32_vcompare_bcast` and `u8_vcompare_bcast`. */
export const COMPARE_CODE: Readonly<Record<CompareOp, number>> = Object.freeze({
  equal: 0,
  notEqual: 1,
  greater: 2,
  greaterEqual: 3,
  less: 4,
  lessEqual: 5,
  logicalAnd: 6,
  logicalOr: 7,
  logicalXor: 8,
});
