/**
 * Row lookup in a table (an embedding): `gather(table, indices)`, with the scatter-add gradient.
 *
 * @module
 */
import { checkArity, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import { record } from "../autograd/tape.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";

/**
 * Rows of `table` picked by integer `indices` (Keras `Embedding`, `tf.gather` on axis 0). The
 * gradient with respect to `table` adds each output row's gradient to its table row
 * (scatter-add); `indices` get none.
 *
 * On the CPU backends (wasm, threads) the indices are read back (`dataSync()`) and checked before
 * any kernel runs. WebGPU cannot read them back synchronously, so there the kernel checks them on
 * the device: a bad index gives a row of zeros (and no gradient), and the error surfaces as a
 * RangeError from the first read (`await t.data()`) of any tensor after the call.
 *
 * @param table `[rows, cols]`.
 * @param indices Any shape of float32 integers in `[0, rows)`.
 * @param axis 0 (the default, as in `tf.gather`): rows are gathered; no other axis is supported.
 * @returns `[...indices.shape, cols]`.
 * @throws {TypeError} When an argument is not a live tensor, `table` is not rank 2, or more than
 *   three arguments are passed.
 * @throws {RangeError} When `axis` is not 0, or an index is fractional, negative, NaN or not below `rows`: thrown by
 * this call on the CPU backends; on WebGPU thrown instead by the first read after it (the message
 * gives the flat position of the first bad index of the first bad call since the previous read).
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const table = dn.tensor([[0, 1], [2, 3], [4, 5]]);
 * const y = dn.gather(table, dn.tensor([[2, 0]]));
 * assert.deepEqual(y.shape, [1, 2, 2]);
 * assert.deepEqual([...y.dataSync()], [4, 5, 0, 1]);
 * ```
 */
export function gather(table: Tensor, indices: Tensor, axis = 0): Tensor {
  const fn = "gather";
  checkArity(arguments, ["table", "indices", "axis"], fn);
  checkTensor(table, "table", fn);
  checkTensor(indices, "indices", fn);
  if (axis !== 0) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "axis" must be 0, the only axis supported (rows of "table"): got ${
        fmtValue(axis)
      }`,
    );
  }
  if (table.rank !== 2) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "table" must have rank 2 [rows, cols]: got rank ${table.rank} (shape ${
        fmtShape(table.shape)
      })`,
    );
  }
  const [rows, cols] = table.shape;
  // Where reads are asynchronous (WebGPU) the gather kernel checks the indices on the device.
  if (indices.backend.supports("readSync")) checkIndices(indices, rows, fn);
  const n = indices.size;
  const y = output([...indices.shape, cols], fn);
  const be = activeBackend();
  if (y.size > 0) be.gatherRows(table.storage, indices.storage, y.storage, rows, cols, n);
  return record(y, [table], (dy, [idx]) => {
    const dt = output(table.shape);
    be.fill(dt.storage, 0, dt.size);
    if (dy.size > 0) be.scatterAddRows(dy.storage, idx.storage, dt.storage, rows, cols, n);
    return [dt];
  }, [indices]);
}

/** Throws unless every value of `indices` (read back synchronously) is an integer in [0, rows). */
function checkIndices(indices: Tensor, rows: number, fn: string): void {
  const values = indices.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && v >= 0 && v < rows)) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "indices" must hold integers in [0, ${rows}): got ${v} at flat position ${i}`,
      );
    }
  }
}
