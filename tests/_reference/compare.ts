/**
 * References for the compare and select kernels (STYLE C8), from the definitions, on plain
 * numbers (bool as 0 and 1): the comparisons as JavaScript's operators (IEEE: NaN is unequal to
 * everything and neither greater nor less), the logical ops on truth values, select as
 * `cond ? a : b`; and the 4-dim broadcast walk by element strides (0 broadcasts).
 *
 * @module
 */

/** The comparisons and logical ops by CompareOp name, giving 1 or 0. */
export const COMPARE = {
  equal: (a: number, b: number) => Number(a === b),
  notEqual: (a: number, b: number) => Number(a !== b),
  greater: (a: number, b: number) => Number(a > b),
  greaterEqual: (a: number, b: number) => Number(a >= b),
  less: (a: number, b: number) => Number(a < b),
  lessEqual: (a: number, b: number) => Number(a <= b),
  logicalAnd: (a: number, b: number) => Number(a !== 0 && b !== 0),
  logicalOr: (a: number, b: number) => Number(a !== 0 || b !== 0),
  logicalXor: (a: number, b: number) => Number((a !== 0) !== (b !== 0)),
} as const;

/** A compare op's name. */
export type CompareName = keyof typeof COMPARE;

/**
 * y[i0, i1, i2, i3] = f(operands read at Σ ik·s[k]) for the contiguous output `dims` (4 dims),
 * one stride list per operand.
 */
export function walk4(
  dims: readonly number[],
  strides: readonly (readonly number[])[],
  f: (...offsets: number[]) => number,
): Float64Array {
  const [d0, d1, d2, d3] = dims;
  const y = new Float64Array(d0 * d1 * d2 * d3);
  let o = 0;
  for (let i0 = 0; i0 < d0; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      for (let i2 = 0; i2 < d2; i2++) {
        for (let i3 = 0; i3 < d3; i3++) {
          y[o++] = f(...strides.map((s) => i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3]));
        }
      }
    }
  }
  return y;
}
