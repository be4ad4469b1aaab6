/**
 * Mini-batches cut from a dataset tensor (rows along the first axis): a contiguous slice for
 * evaluation, predict and validation splits, a gather of shuffled rows for training.
 *
 * @module
 */
import { activeBackend } from "../backend/select.ts";
import { output } from "../ops/_output.ts";
import type { Storage } from "../backend/backend.ts";
import type { Tensor } from "../tensor.ts";

/** Rows `[start, start + count)` of `x` as a new tensor. */
export function sliceRows(x: Tensor, start: number, count: number): Tensor {
  const per = x.size / x.shape[0];
  const y = output([count, ...x.shape.slice(1)]);
  activeBackend().copy(x.storage, start * per, y.storage, 0, count * per);
  return y;
}

/**
 * One epoch's row order, written to the backend once as an int32 index storage; each batch gathers
 * its rows with one backend `gather` through a view of it. `dispose()` frees the index storage.
 */
export class EpochRows {
  readonly #index: Storage | null;

  /** Writes `order` (row indices of the dataset tensors) to the active backend. */
  constructor(order: Uint32Array) {
    const be = activeBackend();
    this.#index = order.length > 0 ? be.alloc(order.length) : null;
    if (this.#index) be.write(this.#index, new Float32Array(Int32Array.from(order).buffer));
  }

  /** Rows `order[start .. start + count)` of `x` gathered into a new tensor. */
  gather(x: Tensor, start: number, count: number): Tensor {
    const rows = x.shape[0], inner = x.size / rows;
    const y = output([count, ...x.shape.slice(1)]);
    if (count === 0 || inner === 0 || !this.#index) return y;
    const be = activeBackend();
    const index = be.subarray(this.#index, start, count);
    be.gather(x.storage, index, y.storage, {
      outer: 1,
      len: rows,
      inner,
      n: count,
      floatIndices: false,
    });
    return y;
  }

  /** Frees the index storage. */
  dispose(): void {
    if (this.#index) activeBackend().free(this.#index);
  }

  /** `using` frees the index storage at the end of the scope. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}
