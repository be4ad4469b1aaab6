/**
 * Index reductions: `argMax`, `argMin` (int32 indices; no gradient, as TF.js).
 *
 * @module
 */
import { checkArity, checkAxis, checkTensor } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { view } from "./_output.ts";
import { reducedShape, reduceKept } from "./_reduce.ts";

function argReduce(op: "argMax" | "argMin", x: Tensor, axis: unknown, fn: string): Tensor {
  checkTensor(x, "x", fn);
  const a = checkAxis(axis, x.rank, "axis", fn);
  const kept = reduceKept(op, x, [a], fn);
  const result = view(kept, reducedShape(x.shape, [a], false));
  kept.dispose();
  return result;
}

/**
 * Index of the first maximum along `axis`, as `tf.argMax`; a NaN counts as the largest value
 * (its first index wins, as NumPy).
 *
 * @param x A float32 tensor of rank >= 1.
 * @param axis The axis (default 0, as in TensorFlow.js); negative counts from the end.
 * @returns The int32 indices, with `axis` removed from the shape.
 * @throws {TypeError} When `x` is not a live float32 tensor, or more than two arguments are
 *   passed.
 * @throws {RangeError} When the axis is out of range or empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const i = dn.argMax(dn.tensor([[1, 5, 2], [9, 0, 9]]), 1);
 * assert.equal(i.dtype, "int32");
 * assert.deepEqual([...i.dataSync()], [1, 0]);
 * ```
 */
export function argMax(x: Tensor, axis = 0): Tensor {
  checkArity(arguments, ["x", "axis"], "argMax");
  return argReduce("argMax", x, axis, "argMax");
}

/**
 * Index of the first minimum along `axis`, as `tf.argMin`; a NaN counts as the smallest value
 * (its first index wins, as NumPy).
 *
 * @param x A float32 tensor of rank >= 1.
 * @param axis The axis (default 0, as in TensorFlow.js); negative counts from the end.
 * @returns The int32 indices, with `axis` removed from the shape.
 * @throws {TypeError} When `x` is not a live float32 tensor, or more than two arguments are
 *   passed.
 * @throws {RangeError} When the axis is out of range or empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.argMin(dn.tensor([[1, 5, 2], [9, 0, 0]]), 1).dataSync()], [0, 1]);
 * ```
 */
export function argMin(x: Tensor, axis = 0): Tensor {
  checkArity(arguments, ["x", "axis"], "argMin");
  return argReduce("argMin", x, axis, "argMin");
}
