/**
 * Reductions over axes: `sum`, `mean`, `max`, `min`, `prod`, each with its gradient.
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkTensor } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import type { ReduceOp } from "../backend/backend.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { add, div, mul, sub } from "./arithmetic.ts";
import { equal } from "./compare.ts";
import { cast } from "./cast.ts";
import { fill } from "./creation.ts";
import { reshape } from "./transform.ts";
import { view } from "./_output.ts";
import { axesOf, keepDimsOf, reducedShape, reduceKept, type ReduceOptions } from "./_reduce.ts";

export type { ReduceOptions } from "./_reduce.ts";

/** 1 where `a == b`, else 0, as float32. */
function mask(a: Tensor, b: Tensor | number): Tensor {
  return cast(equal(a, b), "float32");
}

/**
 * The gradient of a product over `axes` (g: dy in kept shape) without dividing by zero: with no
 * zero in a slice, prod / x_i; with exactly one, the product of the others at that zero and 0
 * elsewhere; with more, 0.
 */
function prodGrad(x: Tensor, g: Tensor, axes: readonly number[]): Tensor {
  return tidy(() => {
    const zero = mask(x, 0);
    const safe = add(x, zero); // zeros -> 1
    const others = reduceKept("prod", safe, axes, "prod");
    const zeros = reduceKept("sum", zero, axes, "prod");
    const nonzeroTerm = div(mul(sub(1, zero), mask(zeros, 0)), safe);
    const zeroTerm = mul(zero, mask(zeros, 1));
    return mul(mul(g, others), add(nonzeroTerm, zeroTerm));
  });
}

/** The int32 sum of an int32 or bool `x` (bool counts its true elements), without a gradient. */
function intSum(x: Tensor, axis: unknown, options: unknown): Tensor {
  const keepDims = keepDimsOf(options, "sum");
  const axes = axesOf(axis, x.rank, "sum");
  return tidy(() => {
    const kept = reduceKept("sum", x.dtype === "bool" ? cast(x, "int32") : x, axes, "sum");
    return reshape(kept, reducedShape(x.shape, axes, keepDims));
  });
}

function reduce(
  op: ReduceOp,
  x: Tensor,
  axis: number | number[] | undefined,
  options: unknown,
  fn: string,
  mean = false,
): Tensor {
  checkTensor(x, "x", fn);
  const keepDims = keepDimsOf(options, fn);
  const axes = axesOf(axis, x.rank, fn);
  const kept = reduceKept(op, x, axes, fn, mean);
  const result = view(kept, reducedShape(x.shape, axes, keepDims));
  kept.dispose();
  return record(result, [x], (dy, saved) => {
    // dy (kept dims) broadcasts back over the reduced axes; mean scales the small dy, not the
    // spread; max and min send it to every element equal to the extreme (as TF.js: ties each get
    // all of it) through the broadcasting mul.
    const g = reshape(dy, reducedShape(x.shape, axes, true));
    if (op === "sum") {
      return [add(fill(x.shape, 0), mean ? mul(g, g.size / x.size) : g)];
    }
    const [input, extreme] = saved;
    if (op === "prod") return [prodGrad(input, g, axes)];
    return [mul(mask(input, reshape(extreme, g.shape)), g)];
  }, op === "sum" ? [] : [x, result]);
}

/**
 * Sum over `axis` (all axes when omitted), as `tf.sum`: float32 sums are float32; int32 and bool
 * tensors sum to int32 (wrapping around on overflow, as TF.js; bool counts its true elements),
 * without a gradient.
 *
 * @param x A tensor of any shape and dtype.
 * @param axis An axis, a list of axes, or undefined for all; negative axes count from the end.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns The sums (0 over an empty axis).
 * @throws {TypeError} When `x` is not a live tensor, an option is unknown or `keepDims` is not a
 *   boolean, or more than three arguments are passed.
 * @throws {RangeError} When an axis is out of range or repeated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([[1, 2, 3], [4, 5, 6]]);
 * assert.deepEqual([...dn.sum(x, 0).dataSync()], [5, 7, 9]);
 * assert.deepEqual([...dn.sum(x).dataSync()], [21]);
 * assert.deepEqual(dn.sum(x, 1, true).shape, [2, 1]);
 * const flags = dn.tensor([1, 0, 1], undefined, "bool");
 * assert.deepEqual([...dn.sum(flags).dataSync<"int32">()], [2]);
 * ```
 */
export function sum(
  x: Tensor,
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): Tensor {
  checkArity(arguments, ["x", "axis", "options"], "sum");
  checkTensor(x, "x", "sum", ANY_DTYPE);
  if (x.dtype !== "float32") return intSum(x, axis, options);
  return reduce("sum", x, axis, options, "sum");
}

/**
 * Mean over `axis` (all axes when omitted), as `tf.mean`.
 *
 * @param x A float32 tensor of any shape.
 * @param axis An axis, a list of axes, or undefined for all; negative axes count from the end.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns The means (NaN over an empty axis).
 * @throws {TypeError} When `x` is not a live float32 tensor, an option is unknown or `keepDims`
 *   is not a boolean, or more than three arguments are passed.
 * @throws {RangeError} When an axis is out of range or repeated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.mean(dn.tensor([[1, 2], [3, 4]]), 1).dataSync()], [1.5, 3.5]);
 * ```
 */
export function mean(
  x: Tensor,
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): Tensor {
  checkArity(arguments, ["x", "axis", "options"], "mean");
  return reduce("sum", x, axis, options, "mean", true);
}

/**
 * Maximum over `axis` (all axes when omitted), as `tf.max`; NaN wins. The gradient goes, whole,
 * to every element equal to its slice's maximum (as TF.js).
 *
 * @param x A float32 tensor of any shape.
 * @param axis An axis, a list of axes, or undefined for all; negative axes count from the end.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns The maxima.
 * @throws {TypeError} When `x` is not a live float32 tensor, an option is unknown or `keepDims`
 *   is not a boolean, or more than three arguments are passed.
 * @throws {RangeError} When an axis is out of range, repeated, or empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.max(dn.tensor([[1, 5], [7, 2]]), -1).dataSync()], [5, 7]);
 * ```
 */
export function max(
  x: Tensor,
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): Tensor {
  checkArity(arguments, ["x", "axis", "options"], "max");
  return reduce("max", x, axis, options, "max");
}

/**
 * Minimum over `axis` (all axes when omitted), as `tf.min`; NaN wins. The gradient goes, whole,
 * to every element equal to its slice's minimum (as TF.js).
 *
 * @param x A float32 tensor of any shape.
 * @param axis An axis, a list of axes, or undefined for all; negative axes count from the end.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns The minima.
 * @throws {TypeError} When `x` is not a live float32 tensor, an option is unknown or `keepDims`
 *   is not a boolean, or more than three arguments are passed.
 * @throws {RangeError} When an axis is out of range, repeated, or empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.min(dn.tensor([[1, 5], [7, 2]]), -1).dataSync()], [1, 2]);
 * assert.deepEqual([...dn.min(dn.tensor([[1, 5], [7, 2]]), 0, true).dataSync()], [1, 2]);
 * ```
 */
export function min(
  x: Tensor,
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): Tensor {
  checkArity(arguments, ["x", "axis", "options"], "min");
  return reduce("min", x, axis, options, "min");
}

/**
 * Product over `axis` (all axes when omitted), as `tf.prod`. The gradient is exact with zeros:
 * at a slice's only zero it is the product of the others, elsewhere in a slice with a zero 0.
 *
 * @param x A float32 tensor of any shape.
 * @param axis An axis, a list of axes, or undefined for all; negative axes count from the end.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns The products (1 over an empty axis).
 * @throws {TypeError} When `x` is not a live float32 tensor, an option is unknown or `keepDims`
 *   is not a boolean, or more than three arguments are passed.
 * @throws {RangeError} When an axis is out of range or repeated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.prod(dn.tensor([[1, 2], [3, 4]]), 1).dataSync()], [2, 12]);
 * assert.deepEqual([...dn.prod(dn.tensor([[1, 2], [3, 4]])).dataSync()], [24]);
 * ```
 */
export function prod(
  x: Tensor,
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): Tensor {
  checkArity(arguments, ["x", "axis", "options"], "prod");
  return reduce("prod", x, axis, options, "prod");
}
