/**
 * `tile`: a tensor repeated along each dimension, one strided copy over the interleaved index
 * space `[reps0, n0, reps1, n1, ...]` that reads x with stride 0 along the repeats; its gradient
 * sums the copies back.
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkTensor, fmtValue } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";
import { checkIntArray, checkLength } from "./_shape_args.ts";
import { copyStrided, rowMajor } from "./_strided.ts";
import { sum } from "./reduce.ts";
import { reshape } from "./transform.ts";

/**
 * `x` repeated `reps[d]` times along each dimension `d`, as TF.js's `tf.tile`: any dtype.
 *
 * @param x Any rank.
 * @param reps One non-negative integer per dimension of `x`.
 * @returns A new tensor of shape `x.shape[d] · reps[d]`.
 * @throws {TypeError} When `x` is not a live tensor or `reps` is not an array of integers.
 * @throws {RangeError} When `reps` does not have one entry per dimension or one is negative.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.tile(dn.tensor([[1, 2]]), [2, 2]);
 * assert.deepEqual(y.shape, [2, 4]);
 * assert.deepEqual([...y.dataSync()], [1, 2, 1, 2, 1, 2, 1, 2]);
 * ```
 */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  checkArity(arguments, ["x", "reps"], "tile");
  const fn = "tile";
  checkTensor(x, "x", fn, ANY_DTYPE);
  const r = checkIntArray(reps, "reps", fn);
  checkLength(r, x.rank, "reps", fn, x.shape);
  if (r.some((v) => v < 0)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "reps" must hold non-negative integers: got ${fmtValue(reps)}`,
    );
  }
  const shape = x.shape.map((n, d) => n * r[d]);
  const y = output(shape, fn, x.dtype);
  const xs = rowMajor(x.shape), ys = rowMajor(shape);
  const split = x.shape.flatMap((n, d) => [r[d], n]);
  copyStrided(x.storage, y.storage, x.dtype, {
    dims: split,
    xStrides: x.shape.flatMap((_, d) => [0, xs[d]]),
    yStrides: x.shape.flatMap((n, d) => [n * ys[d], ys[d]]),
  });
  return record(y, [x], (dy) => [
    x.rank === 0 ? dy : sum(reshape(dy, split), x.shape.map((_, d) => 2 * d)),
  ]);
}
