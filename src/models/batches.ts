/**
 * Mini-batches cut from a dataset tensor (rows along the first axis): a contiguous slice for
 * evaluation, predict and validation splits, a gather of shuffled rows for training.
 *
 * @module
 */
import { activeBackend } from "../backend/select.ts";
import { output } from "../ops/_output.ts";
import type { Tensor } from "../tensor.ts";

/** Rows `[start, start + count)` of `x` as a new tensor. */
export function sliceRows(x: Tensor, start: number, count: number): Tensor {
  const per = x.size / x.shape[0];
  const y = output([count, ...x.shape.slice(1)]);
  activeBackend().copy(x.storage, start * per, y.storage, 0, count * per);
  return y;
}

/** Row indices are passed to the backend as float32, exact below 2^24. */
const EXACT_INDEX = 2 ** 24;

/**
 * Rows `indices[start .. start+count)` of `x` gathered into a new tensor: one backend
 * `gatherRows` over an index storage (per-row copies past 2^24 rows, where float32 indices
 * would round).
 */
export function gatherRows(x: Tensor, indices: Uint32Array, start: number, count: number): Tensor {
  const rows = x.shape[0], per = x.size / rows;
  const y = output([count, ...x.shape.slice(1)]);
  const be = activeBackend();
  const picked = indices.subarray(start, start + count);
  if (rows > EXACT_INDEX) {
    picked.forEach((row, i) => be.copy(x.storage, row * per, y.storage, i * per, per));
    return y;
  }
  if (count === 0 || per === 0) return y;
  const index = be.alloc(count);
  be.write(index, Float32Array.from(picked));
  be.gatherRows(x.storage, index, y.storage, rows, per, count);
  be.free(index);
  return y;
}
