/**
 * Helpers for case lists: seeded input values with properties the draws of case.ts lack
 * (away from a kink, without ties), and outputs rounded to f32.
 *
 * @module
 */
import { rng } from "../../../_util/rng.ts";

/** `n` seeded f32 values in [lo, hi] at least `margin` away from every point of `kinks`. */
export function awayFrom(
  n: number,
  seed: number,
  [lo, hi]: [number, number],
  kinks: number[],
  margin = 0.05,
): number[] {
  const draw = rng(seed), out: number[] = [];
  while (out.length < n) {
    const v = Math.fround(lo + ((hi - lo) * (draw() + 1)) / 2);
    if (kinks.every((k) => Math.abs(v - k) >= margin)) out.push(v);
  }
  return out;
}

/** A seeded permutation of `n` evenly spaced values in [-1, 1): no ties, spacing 2/n. */
export function distinct(n: number, seed: number): number[] {
  const draw = rng(seed);
  const keys = Array.from({ length: n }, draw);
  const order = [...keys.keys()].sort((i, j) => keys[i] - keys[j]);
  const out = new Array<number>(n);
  order.forEach((slot, rank) => (out[slot] = Math.fround(-1 + (2 * rank) / n)));
  return out;
}

/** The element count of `shape`. */
export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The f32 values a float64 result rounds to (overflow to ±Infinity as f32 does). */
export const f32 = (y: ArrayLike<number>): Float64Array => Float64Array.from(y, Math.fround);
