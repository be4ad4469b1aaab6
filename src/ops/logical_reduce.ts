/**
 * Logical reductions over bool tensors: `all`, `any` (bool results, no gradient).
 *
 * @module
 */
import { checkArity, checkTensor } from "../_check.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { cast } from "./cast.ts";
import { reshape } from "./transform.ts";
import { axesOf, keepDimsOf, reducedShape, reduceKept, type ReduceOptions } from "./_reduce.ts";

/**
 * The 0/1 values as float32 reduced by a product (all: 1 only when every term is 1, also for no
 * terms) or a sum (any: nonzero when a term is 1, 0 for no terms), both exact in their 0-or-not.
 */
function logical(
  op: "prod" | "sum",
  x: Tensor,
  axis: unknown,
  options: unknown,
  fn: string,
): Tensor {
  checkTensor(x, "x", fn, ["bool"]);
  const keepDims = keepDimsOf(options, fn);
  const axes = axesOf(axis, x.rank, fn);
  return tidy(() => {
    const kept = reduceKept(op, cast(x, "float32"), axes, fn);
    return reshape(cast(kept, "bool"), reducedShape(x.shape, axes, keepDims));
  });
}

/**
 * Logical AND over `axis` (all axes when omitted), as `tf.all`; true over an empty axis.
 *
 * @param x A bool tensor of any shape.
 * @param axis An axis, a list of axes, or undefined for all; negative axes count from the end.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns A bool tensor.
 * @throws {TypeError} When `x` is not a live bool tensor, an option is unknown or `keepDims` is
 *   not a boolean, or more than three arguments are passed.
 * @throws {RangeError} When an axis is out of range or repeated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([[1, 1], [1, 0]], undefined, "bool");
 * assert.deepEqual([...dn.all(x, 1).dataSync()], [1, 0]);
 * assert.equal(dn.all(x).dtype, "bool");
 * ```
 */
export function all(
  x: Tensor,
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): Tensor {
  checkArity(arguments, ["x", "axis", "options"], "all");
  return logical("prod", x, axis, options, "all");
}

/**
 * Logical OR over `axis` (all axes when omitted), as `tf.any`; false over an empty axis.
 *
 * @param x A bool tensor of any shape.
 * @param axis An axis, a list of axes, or undefined for all; negative axes count from the end.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns A bool tensor.
 * @throws {TypeError} When `x` is not a live bool tensor, an option is unknown or `keepDims` is
 *   not a boolean, or more than three arguments are passed.
 * @throws {RangeError} When an axis is out of range or repeated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([[0, 0], [1, 0]], undefined, "bool");
 * assert.deepEqual([...dn.any(x, 1).dataSync()], [0, 1]);
 * assert.deepEqual([...dn.any(x, 0, true).dataSync()], [1, 0]);
 * ```
 */
export function any(
  x: Tensor,
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): Tensor {
  checkArity(arguments, ["x", "axis", "options"], "any");
  return logical("sum", x, axis, options, "any");
}
