/**
 * `gather(x, indices, axis, batchDims)`: slices of `x` along one axis picked by integer indices
 * (`tf.gather`), with the scatter-add gradient.
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkAxis, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import { record } from "../autograd/tape.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";
import { cast } from "./cast.ts";
import {
  checkIndices,
  type GatherPlan,
  INDEX_DTYPES,
  runGather,
  runScatterAdd,
} from "./_gather.ts";

/**
 * Slices of `x` along `axis` picked by `indices` (`tf.gather`): the output has shape
 * `x.shape[:axis] + indices.shape[batchDims:] + x.shape[axis + 1:]`. With `batchDims` b, the
 * first b dimensions of `x` and `indices` are batch dimensions (equal sizes) and each batch item
 * gathers with its own indices. The gradient with respect to float32 `x` adds each output slice's
 * gradient to the slice it came from (scatter-add); `indices` get none.
 *
 * `indices` are int32 (as TF.js requires); Dendrite also accepts float32 indices holding integers,
 * read as such without a copy (embedding ids usually arrive as float32).
 *
 * On the CPU backends (wasm, threads) the indices are read back (`dataSync()`) and checked before
 * any kernel runs. WebGPU cannot read them back synchronously, so there the kernel checks them on
 * the device: a bad index gives zeros (and no gradient), and the error surfaces as a RangeError
 * from the first read (`await t.data()`) of any tensor after the call.
 *
 * @param x Any dtype, rank >= 1 (bool goes through an int32 copy).
 * @param indices int32 (or float32 integers) in `[0, x.shape[axis])`, any shape.
 * @param axis The axis of `x` to gather along (default 0; negative counts from the end).
 * @param batchDims Leading batch dimensions shared by `x` and `indices` (default 0; negative
 *   counts from the end of `indices`); at most `axis`.
 * @returns A tensor of `x`'s dtype.
 * @throws {TypeError} When an argument is not a live tensor, `indices` are not int32 or float32,
 *   `x` is a scalar, or more than four arguments are passed.
 * @throws {RangeError} When `axis` or `batchDims` is out of range or not an integer, the batch
 *   dimensions differ, or an index is fractional, negative, NaN or not below `x.shape[axis]`:
 *   thrown by this call on the CPU backends; on WebGPU thrown instead by the first read after it
 *   (the message gives the flat position of the first bad index of the first bad call since the
 *   previous read).
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([[0, 1, 2], [3, 4, 5]]);
 * const y = dn.gather(x, dn.tensor([2, 0], [2], "int32"), 1);
 * assert.deepEqual(y.shape, [2, 2]);
 * assert.deepEqual([...y.dataSync()], [2, 0, 5, 3]);
 * ```
 */
export function gather(x: Tensor, indices: Tensor, axis = 0, batchDims = 0): Tensor {
  const fn = "gather";
  checkArity(arguments, ["x", "indices", "axis", "batchDims"], fn);
  checkTensor(x, "x", fn, ANY_DTYPE);
  checkTensor(indices, "indices", fn, INDEX_DTYPES);
  if (x.rank === 0) {
    throw new TypeError(`Cannot run ${fn}(): argument "x" must have rank >= 1: got a scalar`);
  }
  const ax = checkAxis(axis, x.rank, "axis", fn);
  const b = checkBatchDims(batchDims, ax, x, indices, fn);
  const size = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);
  const plan: GatherPlan = {
    batch: size(x.shape.slice(0, b)),
    outer: size(x.shape.slice(b, ax)),
    len: x.shape[ax],
    inner: size(x.shape.slice(ax + 1)),
    n: size(indices.shape.slice(b)),
  };
  checkIndices(indices, plan.len, "indices", fn);
  const shape = [...x.shape.slice(0, ax), ...indices.shape.slice(b), ...x.shape.slice(ax + 1)];
  if (x.dtype === "bool") {
    // The kernels move 4-byte elements; bool (one byte each) goes through int32.
    using wide = cast(x, "int32");
    using y = gather(wide, indices, ax, b);
    return cast(y, "bool");
  }
  const be = activeBackend();
  const y = output(shape, fn, x.dtype);
  runGather(be, x, indices, y, plan);
  if (x.dtype !== "float32") return y;
  return record(y, [x], (dy, [idx]) => {
    const dx = output(x.shape);
    runScatterAdd(be, dy, idx, dx, plan);
    return [dx];
  }, [indices]);
}

/** Normalises `batchDims` (TF.js's rules) and checks the shared batch dimensions. */
function checkBatchDims(
  batchDims: unknown,
  axis: number,
  x: Tensor,
  indices: Tensor,
  fn: string,
): number {
  const r = indices.rank;
  if (typeof batchDims !== "number" || !Number.isInteger(batchDims) || Math.abs(batchDims) > r) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "batchDims" must be an integer in [${-r}, ${r}] (the rank of "indices"): got ${
        fmtValue(batchDims)
      }`,
    );
  }
  const b = batchDims < 0 ? batchDims + r : batchDims;
  if (b > axis) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "batchDims" must not exceed "axis" ${axis}: got ${b}`,
    );
  }
  for (let i = 0; i < b; i++) {
    if (x.shape[i] !== indices.shape[i]) {
      throw new RangeError(
        `Cannot run ${fn}(): the first ${b} dimensions of "x" ${fmtShape(x.shape)} and "indices" ${
          fmtShape(indices.shape)
        } must match (batchDims ${b}): got ${x.shape[i]} and ${indices.shape[i]} at dimension ${i}`,
      );
    }
  }
  return b;
}
