/**
 * `split` and `unstack`: a tensor cut along an axis into pieces, each one strided copy (a slice);
 * their gradients are the slices' (each piece's gradient padded back into place, summed).
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkAxis, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { checkIntOrArray } from "./_shape_args.ts";
import { sliceBox } from "./slice.ts";

/**
 * `x` cut along `axis`, as TF.js's `tf.split`: any dtype.
 *
 * @param x Rank >= 1.
 * @param numOrSizeSplits A number of equal pieces (it must divide the axis), or the extent of
 *   each piece (they must sum to the axis; one may be -1, the rest of the axis).
 * @param axis The axis to cut (default 0; negative counts from the end).
 * @returns The pieces, new tensors in order along `axis`.
 * @throws {TypeError} When `x` is not a live tensor of rank >= 1, or `numOrSizeSplits` is not a
 *   number or an array of integers.
 * @throws {RangeError} When `axis` is out of range or the pieces do not add up to the axis.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const [a, b] = dn.split(dn.tensor([1, 2, 3, 4, 5]), [2, -1]);
 * assert.deepEqual([...a.dataSync()], [1, 2]);
 * assert.deepEqual([...b.dataSync()], [3, 4, 5]);
 * ```
 */
export function split(
  x: Tensor,
  numOrSizeSplits: number | readonly number[],
  axis = 0,
): Tensor[] {
  checkArity(arguments, ["x", "numOrSizeSplits", "axis"], "split");
  const fn = "split";
  checkTensor(x, "x", fn, ANY_DTYPE);
  checkRankAtLeast1(x, fn);
  const ax = checkAxis(axis, x.rank, "axis", fn);
  const n = x.shape[ax];
  let sizes: number[];
  if (typeof numOrSizeSplits === "number") {
    const k = numOrSizeSplits;
    if (!Number.isInteger(k) || k < 1 || n % k !== 0) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "numOrSizeSplits" must be a positive integer dividing axis ${ax} of x ${
          fmtShape(x.shape)
        } (extent ${n}): got ${fmtValue(k)}`,
      );
    }
    sizes = new Array(k).fill(n / k);
  } else {
    sizes = checkIntOrArray(numOrSizeSplits, "numOrSizeSplits", fn);
    const unknown = sizes.filter((s) => s === -1).length;
    const known = sizes.reduce((a, s) => (s === -1 ? a : a + s), 0);
    const bad = sizes.length === 0 || sizes.some((s) => s < -1) || unknown > 1 ||
      (unknown === 0 ? known !== n : known > n);
    if (bad) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "numOrSizeSplits" must hold non-negative sizes (at most one -1) that sum to axis ${ax} of x ${
          fmtShape(x.shape)
        } (extent ${n}): got ${fmtValue(numOrSizeSplits)}`,
      );
    }
    sizes = sizes.map((s) => (s === -1 ? n - known : s));
  }
  let at = 0;
  return sizes.map((s) => {
    const begin = x.shape.map((_, d) => (d === ax ? at : 0));
    at += s;
    return sliceBox(x, begin, x.shape.map((e, d) => (d === ax ? s : e)), undefined, fn);
  });
}

/**
 * The slices of `x` along `axis`, that axis dropped, as TF.js's `tf.unstack`: any dtype.
 *
 * @param x Rank >= 1.
 * @param axis The axis to unstack (default 0; negative counts from the end).
 * @returns `x.shape[axis]` new tensors of rank `x.rank - 1`.
 * @throws {TypeError} When `x` is not a live tensor of rank >= 1.
 * @throws {RangeError} When `axis` is out of range.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const [a, b] = dn.unstack(dn.tensor([[1, 2], [3, 4]]), 1);
 * assert.deepEqual([...a.dataSync()], [1, 3]);
 * assert.deepEqual([...b.dataSync()], [2, 4]);
 * ```
 */
export function unstack(x: Tensor, axis = 0): Tensor[] {
  checkArity(arguments, ["x", "axis"], "unstack");
  const fn = "unstack";
  checkTensor(x, "x", fn, ANY_DTYPE);
  checkRankAtLeast1(x, fn);
  const ax = checkAxis(axis, x.rank, "axis", fn);
  const size = x.shape.map((e, d) => (d === ax ? 1 : e));
  const shape = x.shape.filter((_, d) => d !== ax);
  return Array.from(
    { length: x.shape[ax] },
    (_, i) => sliceBox(x, x.shape.map((_, d) => (d === ax ? i : 0)), size, shape, fn),
  );
}

function checkRankAtLeast1(x: Tensor, fn: string): void {
  if (x.rank === 0) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "x" must have rank >= 1: got a scalar`,
    );
  }
}
