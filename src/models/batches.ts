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

/** Row indices are passed to the backend as float32, exact below 2^24. */
const EXACT_INDEX = 2 ** 24;

/**
 * One epoch's row order, written to the backend once as an index storage; each batch gathers its
 * rows with one backend `gatherRows` through a view of it (per-row copies past 2^24 rows, where
 * float32 indices would round). `dispose()` frees the index storage.
 */
export class EpochRows {
  readonly #order: Uint32Array;
  readonly #index: Storage | null;

  /** Writes `order` (row indices of the dataset tensors) to the active backend. */
  constructor(order: Uint32Array) {
    this.#order = order;
    const be = activeBackend();
    this.#index = order.length > 0 && order.length <= EXACT_INDEX ? be.alloc(order.length) : null;
    if (this.#index) be.write(this.#index, Float32Array.from(order));
  }

  /** Rows `order[start .. start + count)` of `x` gathered into a new tensor. */
  gather(x: Tensor, start: number, count: number): Tensor {
    const rows = x.shape[0], per = x.size / rows;
    const y = output([count, ...x.shape.slice(1)]);
    const be = activeBackend();
    if (count === 0 || per === 0) return y;
    if (!this.#index || rows > EXACT_INDEX) {
      this.#order.subarray(start, start + count).forEach((row, i) =>
        be.copy(x.storage, row * per, y.storage, i * per, per)
      );
      return y;
    }
    const index = be.subarray(this.#index, start, count);
    be.gatherRows(x.storage, index, y.storage, rows, per, count);
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
