/**
 * `broadcastTo`: a tensor repeated along new or extent-1 dimensions, one strided copy reading x
 * with stride 0 there; its gradient sums back (`sumTo`).
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkShape, checkTensor, fmtShape } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";
import { copyStrided, rowMajor } from "./_strided.ts";
import { sumTo } from "./arithmetic.ts";

/**
 * `x` broadcast to `shape` by TF.js's rules (`tf.broadcastTo`): x's shape, padded with leading
 * 1s to the rank of `shape`, must equal `shape` or be 1 in each dimension; any dtype.
 *
 * @param x Rank at most `shape.length`.
 * @param shape The shape of the result (non-negative integers).
 * @returns A new tensor of `shape`.
 * @throws {TypeError} When `x` is not a live tensor or `shape` is not an array.
 * @throws {RangeError} When `shape` has fewer dimensions than `x` or x cannot broadcast to it.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.broadcastTo(dn.tensor([1, 2]), [2, 2]);
 * assert.deepEqual([...y.dataSync()], [1, 2, 1, 2]);
 * ```
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  checkArity(arguments, ["x", "shape"], "broadcastTo");
  const fn = "broadcastTo";
  checkTensor(x, "x", fn, ANY_DTYPE);
  const to = checkShape(shape, "shape", fn);
  const lead = to.length - x.rank;
  const from = [...new Array(Math.max(0, lead)).fill(1), ...x.shape];
  if (lead < 0 || from.some((n, d) => n !== to[d] && n !== 1)) {
    throw new RangeError(
      `Cannot run ${fn}(): x ${
        fmtShape(x.shape)
      } must broadcast to argument "shape" (each dimension, aligned from the right, equal or 1): got ${
        fmtShape(to)
      }`,
    );
  }
  const y = output(to, fn, x.dtype);
  const xs = rowMajor(from);
  copyStrided(x.storage, y.storage, x.dtype, {
    dims: to,
    xStrides: xs.map((s, d) => (from[d] === to[d] ? s : 0)),
    yStrides: rowMajor(to),
  });
  return record(y, [x], (dy) => [sumTo(dy, x.shape)]);
}
