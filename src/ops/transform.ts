/**
 * Shape changes: `reshape`, `expandDims` and `squeeze` (views of the same storage, no copy), and
 * `transpose` of any rank (one strided copy; the 2-D transpose kernel where the permutation of a
 * float32 tensor reduces to a matrix transpose).
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkAxis, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { output, view } from "./_output.ts";
import { checkAxes, checkIntArray, checkIntOrArray } from "./_shape_args.ts";
import { copyStrided, rowMajor, simplify } from "./_strided.ts";
import { record } from "../autograd/tape.ts";

/**
 * The same values under a new shape; one dimension may be `-1` and is inferred. The result
 * shares storage with `x` (both must be disposed).
 *
 * @param x Any shape and dtype.
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
  checkTensor(x, "x", fn, ANY_DTYPE);
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
 * `x` with its dimensions permuted, as TF.js's `tf.transpose`: output dimension `i` is input
 * dimension `perm[i]`; any rank and dtype.
 *
 * @param x Any rank.
 * @param perm A permutation of `0 .. rank - 1` (default: the reverse order).
 * @returns A new tensor of shape `perm.map((p) => x.shape[p])`.
 * @throws {TypeError} When `x` is not a live tensor or `perm` is not an array of integers.
 * @throws {RangeError} When `perm` is not a permutation of x's dimensions.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const t = dn.transpose(dn.tensor([[1, 2, 3], [4, 5, 6]]));
 * assert.deepEqual(t.shape, [3, 2]);
 * assert.deepEqual([...t.dataSync()], [1, 4, 2, 5, 3, 6]);
 * assert.deepEqual(dn.transpose(dn.zeros([2, 3, 4]), [1, 2, 0]).shape, [3, 4, 2]);
 * ```
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  checkArity(arguments, ["x", "perm"], "transpose");
  const fn = "transpose";
  checkTensor(x, "x", fn, ANY_DTYPE);
  const p = perm === undefined
    ? x.shape.map((_, d) => x.rank - 1 - d)
    : checkIntArray(perm, "perm", fn);
  const sorted = [...p].sort((a, b) => a - b);
  if (p.length !== x.rank || sorted.some((a, i) => a !== i)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "perm" must be a permutation of 0..${x.rank - 1} for x ${
        fmtShape(x.shape)
      }: got ${fmtValue(perm)}`,
    );
  }
  const shape = p.map((d) => x.shape[d]);
  const y = output(shape, fn, x.dtype);
  const xs = rowMajor(x.shape);
  const copy = { dims: shape, xStrides: p.map((d) => xs[d]), yStrides: rowMajor(shape) };
  const s = simplify(copy);
  // The 2-D kernel moves float32 (on WebGPU as floats, which need not keep an int's bits).
  const matrix = x.dtype === "float32" && s.dims.length === 2 && s.xStrides[0] === 1 &&
    s.xStrides[1] === s.dims[0] && s.yStrides[1] === 1;
  if (matrix) activeBackend().transpose(x.storage, y.storage, s.dims[1], s.dims[0]);
  else copyStrided(x.storage, y.storage, x.dtype, copy);
  const inverse = p.map((_, i) => p.indexOf(i));
  return record(y, [x], (dy) => [transpose(dy, inverse)]);
}

/**
 * `x` with a dimension of extent 1 inserted at `axis`, as TF.js's `tf.expandDims`: a view of the
 * same storage (both must be disposed); any dtype.
 *
 * @param x Any rank.
 * @param axis Where the new dimension goes, in `[-(rank + 1), rank]` (default 0).
 * @returns A view of rank `x.rank + 1`.
 * @throws {TypeError} When `x` is not a live tensor.
 * @throws {RangeError} When `axis` is out of range.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual(dn.expandDims(dn.zeros([2, 3]), -1).shape, [2, 3, 1]);
 * ```
 */
export function expandDims(x: Tensor, axis = 0): Tensor {
  checkArity(arguments, ["x", "axis"], "expandDims");
  const fn = "expandDims";
  checkTensor(x, "x", fn, ANY_DTYPE);
  const ax = checkAxis(axis, x.rank + 1, "axis", fn);
  return reshape(x, [...x.shape.slice(0, ax), 1, ...x.shape.slice(ax)]);
}

/**
 * `x` without dimensions of extent 1, as TF.js's `tf.squeeze`: all of them, or those in `axis`
 * (each must have extent 1). A view of the same storage (both must be disposed); any dtype.
 *
 * @param x Any rank.
 * @param axis An axis or axes to drop (negative counts from the end); default every extent-1 one.
 * @returns A view without those dimensions.
 * @throws {TypeError} When `x` is not a live tensor or `axis` is not integers.
 * @throws {RangeError} When an axis is out of range, repeated, or not of extent 1.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual(dn.squeeze(dn.zeros([1, 3, 1])).shape, [3]);
 * assert.deepEqual(dn.squeeze(dn.zeros([1, 3, 1]), [-1]).shape, [1, 3]);
 * ```
 */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  checkArity(arguments, ["x", "axis"], "squeeze");
  const fn = "squeeze";
  checkTensor(x, "x", fn, ANY_DTYPE);
  const axes = axis === undefined
    ? x.shape.map((_, d) => d).filter((d) => x.shape[d] === 1)
    : checkAxes(checkIntOrArray(axis, "axis", fn), x.rank, "axis", fn);
  for (const a of axes) {
    if (x.shape[a] !== 1) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "axis" must name dimensions of extent 1 of x ${
          fmtShape(x.shape)
        }: got axis ${a} of extent ${x.shape[a]}`,
      );
    }
  }
  return reshape(x, x.shape.filter((_, d) => !axes.includes(d)));
}
