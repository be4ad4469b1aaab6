/**
 * `moments`: mean and variance over axes, composed from mean, sub and square.
 *
 * @module
 */
import { checkArity, checkTensor } from "../_check.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { sub } from "./arithmetic.ts";
import { square } from "./unary.ts";
import { reshape } from "./transform.ts";
import { axesOf, keepDimsOf, reducedShape, type ReduceOptions } from "./_reduce.ts";
import { mean } from "./reduce.ts";

/**
 * Mean and (population) variance over `axis` (all axes when omitted), as `tf.moments`: the
 * variance is the mean of `(x - mean)²`, two passes, so a large common offset costs no precision.
 * Both have gradients.
 *
 * @param x A float32 tensor of any shape.
 * @param axis An axis, a list of axes, or undefined for all; negative axes count from the end.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns `{ mean, variance }`, both reduced over the axes.
 * @throws {TypeError} When `x` is not a live float32 tensor, an option is unknown or `keepDims`
 *   is not a boolean, or more than three arguments are passed.
 * @throws {RangeError} When an axis is out of range or repeated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const { mean, variance } = dn.moments(dn.tensor([[1, 3], [10, 20]]), 1);
 * assert.deepEqual([...mean.dataSync()], [2, 15]);
 * assert.deepEqual([...variance.dataSync()], [1, 25]);
 * ```
 */
export function moments(
  x: Tensor,
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): { mean: Tensor; variance: Tensor } {
  checkArity(arguments, ["x", "axis", "options"], "moments");
  checkTensor(x, "x", "moments");
  const keepDims = keepDimsOf(options, "moments");
  const axes = axesOf(axis, x.rank, "moments");
  return tidy(() => {
    const m = mean(x, axes, true);
    const variance = mean(square(sub(x, m)), axes, keepDims);
    return { mean: reshape(m, reducedShape(x.shape, axes, keepDims)), variance };
  });
}
