/**
 * `reverse`: a tensor read backwards along some axes, one strided copy with negative x strides;
 * its gradient is the same reverse.
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkTensor } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";
import { checkAxes, checkIntOrArray } from "./_shape_args.ts";
import { copyStrided, rowMajor } from "./_strided.ts";

/**
 * `x` reversed along `axis`, as TF.js's `tf.reverse`: any dtype.
 *
 * @param x Any rank.
 * @param axis An axis or axes to reverse (negative counts from the end); default all of them.
 * @returns A new tensor of `x`'s shape and dtype.
 * @throws {TypeError} When `x` is not a live tensor or `axis` is not integers.
 * @throws {RangeError} When an axis is out of range or repeated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.reverse(dn.tensor([[1, 2, 3], [4, 5, 6]]), 1);
 * assert.deepEqual([...y.dataSync()], [3, 2, 1, 6, 5, 4]);
 * ```
 */
export function reverse(x: Tensor, axis?: number | readonly number[]): Tensor {
  checkArity(arguments, ["x", "axis"], "reverse");
  const fn = "reverse";
  checkTensor(x, "x", fn, ANY_DTYPE);
  const axes = axis === undefined
    ? x.shape.map((_, d) => d)
    : checkAxes(checkIntOrArray(axis, "axis", fn), x.rank, "axis", fn);
  const y = output(x.shape, fn, x.dtype);
  const xs = rowMajor(x.shape);
  copyStrided(x.storage, y.storage, x.dtype, {
    dims: x.shape,
    xStrides: xs.map((s, d) => (axes.includes(d) ? -s : s)),
    yStrides: xs,
    xOffset: axes.reduce((a, d) => a + Math.max(0, x.shape[d] - 1) * xs[d], 0),
  });
  return record(y, [x], (dy) => [reverse(dy, axes)]);
}
