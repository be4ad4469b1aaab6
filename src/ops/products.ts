/**
 * `dot` and `outerProduct` (TF.js semantics), composed from `matmul` over reshaped views.
 *
 * @module
 */
import { checkArity, checkTensor, fmtShape } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { matmul } from "./matmul.ts";
import { reshape } from "./transform.ts";

/**
 * The dot product of vectors and matrices (`tf.dot`): vector·vector gives a scalar,
 * matrix·vector and vector·matrix a vector, matrix·matrix a matrix.
 *
 * @param t1 float32, `[k]` or `[m, k]`.
 * @param t2 float32, `[k]` or `[k, n]`.
 * @returns The product: `[]`, `[m]`, `[n]` or `[m, n]`.
 * @throws {TypeError} When an argument is not a live float32 tensor of rank 1 or 2.
 * @throws {RangeError} When the inner dimensions differ.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const v = dn.tensor([1, 2]);
 * assert.deepEqual([...dn.dot(v, v).dataSync()], [5]);
 * const m = dn.tensor([[1, 2], [3, 4]]);
 * assert.deepEqual([...dn.dot(m, v).dataSync()], [5, 11]);
 * assert.deepEqual([...dn.dot(v, m).dataSync()], [7, 10]);
 * ```
 */
export function dot(t1: Tensor, t2: Tensor): Tensor {
  const fn = "dot";
  checkArity(arguments, ["t1", "t2"], fn);
  checkTensor(t1, "t1", fn);
  checkTensor(t2, "t2", fn);
  for (const [t, name] of [[t1, "t1"], [t2, "t2"]] as const) {
    if (t.rank !== 1 && t.rank !== 2) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "${name}" must have rank 1 or 2: got rank ${t.rank} (shape ${
          fmtShape(t.shape)
        })`,
      );
    }
  }
  const k1 = t1.shape[t1.rank - 1], k2 = t2.shape[0];
  if (k1 !== k2) {
    throw new RangeError(
      `Cannot run ${fn}(): inner dimensions of "t1" ${fmtShape(t1.shape)} and "t2" ${
        fmtShape(t2.shape)
      } must match: got ${k1} and ${k2}`,
    );
  }
  if (t1.rank === 2 && t2.rank === 2) return matmul(t1, t2);
  using a = t1.rank === 2 ? reshape(t1, t1.shape) : reshape(t1, [1, k1]);
  using b = t2.rank === 2 ? reshape(t2, t2.shape) : reshape(t2, [k2, 1]);
  using c = matmul(a, b);
  const shape = [...(t1.rank === 2 ? [t1.shape[0]] : []), ...(t2.rank === 2 ? [t2.shape[1]] : [])];
  return reshape(c, shape);
}

/**
 * The outer product of two vectors (`tf.outerProduct`): `y[i, j] = v1[i]·v2[j]`.
 *
 * @param v1 float32 `[m]`.
 * @param v2 float32 `[n]`.
 * @returns `[m, n]`.
 * @throws {TypeError} When an argument is not a live float32 tensor of rank 1.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.outerProduct(dn.tensor([1, 2]), dn.tensor([3, 4, 5]));
 * assert.deepEqual(y.shape, [2, 3]);
 * assert.deepEqual([...y.dataSync()], [3, 4, 5, 6, 8, 10]);
 * ```
 */
export function outerProduct(v1: Tensor, v2: Tensor): Tensor {
  const fn = "outerProduct";
  checkArity(arguments, ["v1", "v2"], fn);
  checkTensor(v1, "v1", fn);
  checkTensor(v2, "v2", fn);
  for (const [t, name] of [[v1, "v1"], [v2, "v2"]] as const) {
    if (t.rank !== 1) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "${name}" must have rank 1: got rank ${t.rank} (shape ${
          fmtShape(t.shape)
        })`,
      );
    }
  }
  using a = reshape(v1, [v1.shape[0], 1]);
  using b = reshape(v2, [1, v2.shape[0]]);
  return matmul(a, b);
}
