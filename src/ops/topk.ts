/**
 * `topk`: the k largest entries along the last axis and their indices, with the values' gradient.
 *
 * @module
 */
import { checkArity, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";

/** The values' gradient: each dy goes back to the column its value came from. */
function scatter(dy: Tensor, indices: Tensor, shape: readonly number[]): Tensor {
  const dx = output(shape, "topk");
  const cols = shape[shape.length - 1], k = indices.shape[indices.rank - 1];
  const rows = cols === 0 ? 0 : dx.size / cols;
  if (dx.size > 0) {
    activeBackend().topkBackward(dy.storage, indices.storage, dx.storage, rows, cols, k);
  }
  return dx;
}

/**
 * The `k` largest entries of each row along the last axis and their indices, as `tf.topk`.
 * Ties go to the lower index first; a NaN ranks above every number (as in `argMax`). With
 * `sorted` (the default) each row's entries come largest first; without, in the order they have
 * in `x` (ascending index). The gradient of `values` flows back to the entries that were kept.
 *
 * @param x A float32 tensor of rank >= 1.
 * @param k How many entries per row (default 1), at most the last dimension.
 * @param sorted Largest first (default true), else in index order.
 * @returns `{ values, indices }`: float32 and int32, of `x`'s shape with the last dimension `k`.
 * @throws {TypeError} When `x` is not a live float32 tensor of rank >= 1, `sorted` is not a
 *   boolean, or more than three arguments are passed.
 * @throws {RangeError} When `k` is not an integer in [0, last dimension].
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const { values, indices } = dn.topk(dn.tensor([[1, 5, 3, 5], [4, 0, 2, 8]]), 2);
 * assert.deepEqual([...values.dataSync()], [5, 5, 8, 4]);
 * assert.deepEqual([...indices.dataSync()], [1, 3, 3, 0]);
 * ```
 */
export function topk(x: Tensor, k = 1, sorted = true): { values: Tensor; indices: Tensor } {
  checkArity(arguments, ["x", "k", "sorted"], "topk");
  checkTensor(x, "x", "topk");
  if (x.rank === 0) {
    throw new TypeError(`Cannot run topk(): argument "x" must have rank >= 1: got a scalar`);
  }
  const cols = x.shape[x.rank - 1];
  if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k > cols) {
    throw new RangeError(
      `Cannot run topk(): argument "k" must be an integer in [0, ${cols}] (the last dimension of "x" ${
        fmtShape(x.shape)
      }): got ${fmtValue(k)}`,
    );
  }
  if (typeof sorted !== "boolean") {
    throw new TypeError(
      `Cannot run topk(): argument "sorted" must be a boolean: got ${fmtValue(sorted)}`,
    );
  }
  const shape = [...x.shape.slice(0, -1), k];
  const values = output(shape, "topk");
  const indices = output(shape, "topk", "int32");
  const rows = cols === 0 ? 0 : x.size / cols;
  if (values.size > 0) {
    activeBackend().topk(x.storage, values.storage, indices.storage, rows, cols, k, sorted);
  }
  record(values, [x], (dy, [kept]) => [scatter(dy, kept, x.shape)], [indices]);
  return { values, indices };
}
