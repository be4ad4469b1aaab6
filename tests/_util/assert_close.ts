/**
 * Closeness checks with named tolerance presets derived from the math (STYLE C9).
 * Failure messages follow XNNPACK: first bad index, actual, expected, |diff|, bound, problem size.
 */

/** A tolerance: |actual - expected| <= abs + rel * |expected|. */
export interface Tolerance {
  readonly rel: number;
  readonly abs: number;
}

const EPS32 = 2 ** -24;

/** Named presets. */
export const Tol = {
  /** Same kernel, same summation order (threads vs one thread): bitwise equal. */
  exact: { rel: 0, abs: 0 },
  /** One f32 rounding of an exactly computed value (neg, square, transpose, copies). */
  rounding: { rel: 2 * EPS32, abs: 0 },
  /** A few f32 operations or a polynomial approximation of exp/log/tanh (a few ulps). */
  ulps: (n: number): Tolerance => ({ rel: n * EPS32, abs: n * EPS32 * 1e-3 }),
  /** An f32 sum of k terms vs its f64 reference: error grows like k·ε32 times the term size. */
  dot: (k: number): Tolerance => ({ rel: 2 * k * EPS32, abs: 2 * k * EPS32 }),
  /**
   * WebGPU vs the f64 reference, for one elementwise op or a short chain of them. WGSL only bounds
   * the error of its builtins: `exp` to 3 + 2·|x| ulp, `log` to 3 ulp (absolute 2^-21 near 1),
   * division to 2.5 ulp, `sqrt` as 1/inverseSqrt (2 ulp + 2.5 ulp), `tanh` and `sigmoid` through
   * `exp` and a division; and compilers may contract `a·b + c` into fma or assume no NaN/Inf
   * (WGSL §15.7). For |x| <= 10 (our test ranges), exp's 23 ulp dominate: 23 · 2^-23 ≈ 2.7e-6
   * relative; a few chained ops (softmax's exp, sum and division; Adam's sqrt and division)
   * multiply that by < 10, so 1e-4 relative keeps a margin of ~4x while any wrong formula (an
   * off-by-one index, a missing term) misses by orders of magnitude. `abs` 1e-5 covers results
   * that cancel to near 0 (e.g. log(x) at x ≈ 1, softmax gradients), where relative error is
   * meaningless. Sums of k terms take `Tol.gpuDot(k)`.
   */
  gpu: { rel: 1e-4, abs: 1e-5 },
  /** WebGPU sums of `k` products: the larger of `Tol.gpu` and `Tol.dot(k)` (fma changes rounding). */
  gpuDot: (k: number): Tolerance => ({
    rel: Math.max(1e-4, 2 * k * EPS32),
    abs: Math.max(1e-5, 2 * k * EPS32),
  }),
} as const;

/** Throws unless every element is within `tol`; `what` names the problem (op and sizes). */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  what: string,
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    const bound = tol.abs + tol.rel * Math.abs(e);
    const ok = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= bound;
    if (!ok) {
      throw new Error(
        `${what}: first mismatch at [${i}]: actual ${a}, expected ${e}, |diff| ${
          Math.abs(a - e)
        } > bound ${bound}`,
      );
    }
  }
}

/** Relative Frobenius error ||actual - expected|| / ||expected|| (0 when both are zero). */
export function relFrobenius(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < expected.length; i++) {
    num += (actual[i] - expected[i]) ** 2;
    den += expected[i] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}
