/**
 * `gatherND` and `scatterND` (TF.js semantics), composed: each index tuple becomes the number of
 * the row it names in `x` seen as `[rows, inner]`, then one gather (or scatter-add) of rows.
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkShape, checkTensor, fmtShape } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import { activeBackend } from "../backend/select.ts";
import { tensor } from "./creation.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";
import { type GatherPlan, runGather, runScatterAdd } from "./_gather.ts";
import { cast } from "./cast.ts";
import { abs, relu } from "./unary.ts";
import { add, mul, sub } from "./arithmetic.ts";
import { sum } from "./reduce.ts";

const size = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);

/**
 * Slices of `x` picked by index tuples (`tf.gatherND`): the last dimension K of `indices` indexes
 * the first K dimensions of `x`; the output has shape `indices.shape[:-1] + x.shape[K:]`. The
 * gradient with respect to float32 `x` is the scatter-add of the output's gradient.
 *
 * `indices` are int32 (as TF.js). On the CPU backends every component is checked before any
 * kernel runs; on WebGPU a tuple with a component out of range gathers zeros and the next read
 * throws a RangeError (see `gather`).
 *
 * @param x Any dtype, rank >= 1 (bool goes through an int32 copy).
 * @param indices int32, rank >= 1, last dimension K <= `x.rank`; component k in
 *   `[0, x.shape[k])`.
 * @returns A tensor of `x`'s dtype.
 * @throws {TypeError} When an argument is not a live tensor of an accepted dtype, or a rank is
 *   wrong.
 * @throws {RangeError} When K exceeds `x.rank` or an index is out of range (see above).
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([[1, 2], [3, 4]]);
 * const y = dn.gatherND(x, dn.tensor([[1, 0], [0, 1]], [2, 2], "int32"));
 * assert.deepEqual([...y.dataSync()], [3, 2]);
 * ```
 */
export function gatherND(x: Tensor, indices: Tensor): Tensor {
  const fn = "gatherND";
  checkArity(arguments, ["x", "indices"], fn);
  checkTensor(x, "x", fn, ANY_DTYPE);
  checkTensor(indices, "indices", fn, ["int32"]);
  const dims = tupleDims(indices, x.shape, "x", fn);
  if (x.dtype === "bool") {
    // The kernels move 4-byte elements; bool (one byte each) goes through int32.
    using wide = cast(x, "int32");
    using y = gatherND(wide, indices);
    return cast(y, "bool");
  }
  const plan = rowPlan(indices, x.shape, dims.length);
  using rows = tupleRows(indices, dims, fn);
  const y = output([...indices.shape.slice(0, -1), ...x.shape.slice(dims.length)], fn, x.dtype);
  const be = activeBackend();
  runGather(be, x, rows, y, plan);
  if (x.dtype !== "float32") return y;
  return record(y, [x], (dy, [r]) => {
    const dx = output(x.shape);
    runScatterAdd(be, dy, r, dx, plan);
    return [dx];
  }, [rows]);
}

/**
 * A tensor of `shape` holding `updates` scattered by index tuples (`tf.scatterND`):
 * zeros elsewhere, and the sum where several tuples name the same slice. `updates` has shape
 * `indices.shape[:-1] + shape[K:]`. The gradient with respect to float32 `updates` gathers the
 * output's gradient at the same tuples.
 *
 * `indices` are int32. On the CPU backends every component is checked first; on WebGPU a tuple
 * with a component out of range is skipped (no error: scatter-add has no error flag).
 *
 * @param indices int32, rank >= 1, last dimension K <= `shape.length`.
 * @param updates float32 or int32 (int32 sums wrap around, as TF.js's).
 * @param shape The output's shape.
 * @returns A new tensor of `shape` and `updates`' dtype.
 * @throws {TypeError} When an argument is not a live tensor of an accepted dtype.
 * @throws {RangeError} When `shape` is invalid, `updates` has the wrong shape, or an index is
 *   out of range.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const idx = dn.tensor([[4], [3], [1], [4]], [4, 1], "int32");
 * const y = dn.scatterND(idx, dn.tensor([9, 10, 11, 12]), [6]);
 * assert.deepEqual([...y.dataSync()], [0, 11, 0, 10, 21, 0]);
 * ```
 */
export function scatterND(indices: Tensor, updates: Tensor, shape: readonly number[]): Tensor {
  const fn = "scatterND";
  checkArity(arguments, ["indices", "updates", "shape"], fn);
  checkTensor(indices, "indices", fn, ["int32"]);
  checkTensor(updates, "updates", fn, ["float32", "int32"]);
  const out = checkShape(shape, "shape", fn);
  const dims = tupleDims(indices, out, "shape", fn);
  const want = [...indices.shape.slice(0, -1), ...out.slice(dims.length)];
  if (want.length !== updates.rank || want.some((d, i) => d !== updates.shape[i])) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "updates" must have shape ${
        fmtShape(want)
      } (indices.shape[:-1] + shape[${dims.length}:]): got ${fmtShape(updates.shape)}`,
    );
  }
  const plan = rowPlan(indices, out, dims.length);
  using rows = tupleRows(indices, dims, fn);
  const y = output(out, fn, updates.dtype);
  const be = activeBackend();
  runScatterAdd(be, updates, rows, y, plan);
  if (updates.dtype !== "float32") return y;
  return record(y, [updates], (dy, [r]) => {
    const du = output(updates.shape);
    runGather(be, dy, r, du, plan);
    return [du];
  }, [rows]);
}

/** The first K dimensions of `shape` that the tuples index (K = indices' last dimension). */
function tupleDims(indices: Tensor, shape: readonly number[], arg: string, fn: string): number[] {
  if (indices.rank === 0 || shape.length === 0) {
    throw new TypeError(
      `Cannot run ${fn}(): "indices" and "${arg}" must have rank >= 1: got ${
        fmtShape(indices.shape)
      } and ${fmtShape(shape)}`,
    );
  }
  const k = indices.shape[indices.rank - 1];
  if (k > shape.length) {
    throw new RangeError(
      `Cannot run ${fn}(): the last dimension of "indices" ${
        fmtShape(indices.shape)
      } must not exceed the rank of "${arg}" ${fmtShape(shape)}: got ${k}`,
    );
  }
  return shape.slice(0, k);
}

/** One gather of rows: `[rows, inner]` with one index per tuple. */
function rowPlan(indices: Tensor, shape: readonly number[], k: number): GatherPlan {
  const n = size(indices.shape.slice(0, -1));
  return { batch: 1, outer: 1, len: size(shape.slice(0, k)), inner: size(shape.slice(k)), n };
}

/**
 * The row each tuple names, as an int32 tensor. CPU backends check each component on the host;
 * on WebGPU the row is computed on the device from the clamped components, plus `rows` times the
 * distance clamping moved them, so any out-of-range component gives a row the kernel rejects.
 */
function tupleRows(indices: Tensor, dims: readonly number[], fn: string): Tensor {
  const k = dims.length, n = size(indices.shape.slice(0, -1));
  const be = activeBackend();
  const strides = dims.map((_, i) => size(dims.slice(i + 1)));
  if (!be.supports("readSync")) {
    // clamp(f) = min(max(f, 0), hi) = hi - relu(hi - relu(f)).
    using f = cast(indices, "float32");
    using hi = tensor(dims.map((d) => d - 1));
    using lo = relu(f);
    using gap = sub(hi, lo);
    using over = relu(gap);
    using clamped = sub(hi, over);
    using st = tensor(strides);
    using scaled = mul(clamped, st);
    using offsets = sum(scaled, -1);
    using moved = sub(f, clamped);
    using distance = abs(moved);
    using far = sum(distance, -1);
    using penalty = mul(far, size(dims));
    using r = add(offsets, penalty);
    return cast(r, "int32");
  }
  const values = indices.dataSync();
  const rows = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    let r = 0;
    for (let j = 0; j < k; j++) {
      const v = values[t * k + j];
      if (!(Number.isInteger(v) && v >= 0 && v < dims[j])) {
        throw new RangeError(
          `Cannot run ${fn}(): argument "indices" must hold integers in [0, ${
            dims[j]
          }) in component ${j}: got ${v} at flat position ${t * k + j}`,
        );
      }
      r += v * strides[j];
    }
    rows[t] = r;
  }
  const y = output([n], fn, "int32");
  if (n > 0) be.write(y.storage, new Float32Array(rows.buffer));
  return y;
}
