/**
 * Shape changes: `reshape` (a view, no copy) and `transpose`.
 *
 * @module
 */
import { checkArity, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { output, view } from "./_output.ts";
import { record } from "../autograd/tape.ts";

/**
 * The same values under a new shape; one dimension may be `-1` and is inferred. The result
 * shares storage with `x` (both must be disposed).
 *
 * @param x Any shape.
 * @param shape The new dimensions; their product must equal `x.size`.
 * @returns A tensor of the new shape.
 * @throws {TypeError} When `x` is not a live tensor or `shape` is not an array.
 * @throws {RangeError} When the sizes differ or a dimension is invalid.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual(dn.reshape(dn.zeros([2, 3]), [3, -1]).shape, [3, 2]);
 * ```
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkArity(arguments, ["x", "shape"], "reshape");
  const fn = "reshape";
  checkTensor(x, "x", fn);
  if (!Array.isArray(shape)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "shape" must be an array of dimensions: got ${fmtValue(shape)}`,
    );
  }
  const dims = [...shape];
  const unknown = dims.filter((d) => d === -1).length;
  const bad = dims.some((d) => !Number.isInteger(d) || d < -1);
  const known = dims.reduce((a, d) => (d === -1 ? a : a * d), 1);
  if (bad || unknown > 1 || (unknown === 1 && (known === 0 || x.size % known !== 0))) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "shape" must hold non-negative integers and at most one -1 that divides ${x.size}: got ${
        fmtShape(dims)
      }`,
    );
  }
  if (unknown === 1) dims[dims.indexOf(-1)] = x.size / known;
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== x.size) {
    throw new RangeError(
      `Cannot run ${fn}(): shape ${fmtShape(dims)} must have the ${x.size} elements of ${
        fmtShape(x.shape)
      }: got ${size}`,
    );
  }
  return record(view(x, dims), [x], (dy) => [reshape(dy, x.shape)]);
}

/**
 * Transpose of a rank-2 tensor.
 *
 * @param x `[rows, cols]`.
 * @returns `[cols, rows]`, a new tensor.
 * @throws {TypeError} When `x` is not a live rank-2 tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const t = dn.transpose(dn.tensor([[1, 2, 3], [4, 5, 6]]));
 * assert.deepEqual(t.shape, [3, 2]);
 * assert.deepEqual([...t.dataSync()], [1, 4, 2, 5, 3, 6]);
 * ```
 */
export function transpose(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "transpose");
  checkTensor(x, "x", "transpose");
  if (x.rank !== 2) {
    throw new TypeError(
      `Cannot run transpose(): argument "x" must have rank 2: got rank ${x.rank} (shape ${
        fmtShape(x.shape)
      })`,
    );
  }
  const [rows, cols] = x.shape;
  const y = output([cols, rows], "transpose");
  if (y.size > 0) activeBackend().transpose(x.storage, y.storage, rows, cols);
  return record(y, [x], (dy) => [transpose(dy)]);
}
