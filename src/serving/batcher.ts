/**
 * Dynamic batching for inference (Triton's `dynamic_batching`, TF Serving's batching parameters):
 * concurrent `predict(sample)` calls of one example each are queued and run as ONE batched
 * `model.predict`, when the batch is full or when the oldest call has waited `maxQueueDelayMs`.
 * Each caller gets its own output row; a bad sample rejects only its own call.
 *
 * @module
 */
import {
  checkArity,
  checkFinite,
  checkOptions,
  checkPositiveInt,
  checkShape,
  fmtShape,
  fmtValue,
} from "../_check.ts";
import { tensor } from "../ops/creation.ts";
import { tidy } from "../scope.ts";
import { Tensor } from "../tensor.ts";

/** What the batcher needs of a model: `predict` on a batch (a `Sequential` fits). */
export interface BatchModel {
  /** Outputs `[batch, ...]` for inputs `[batch, ...inputShape]`; `options.batchSize` is a hint. */
  predict(x: Tensor, options?: { batchSize?: number }): Tensor;
  /** Shape of one example, without the batch dimension (a `Sequential` has it). */
  readonly inputShape?: readonly number[];
}

/** Options of {@linkcode batcher}. */
export interface BatcherOptions {
  /** Most examples run in one `model.predict` (Triton/TF Serving `max_batch_size`); default 32. */
  maxBatchSize?: number;
  /**
   * Longest time in milliseconds the oldest queued call waits for others before its batch runs
   * anyway (Triton `max_queue_delay_microseconds`, TF Serving `batch_timeout_micros`); default 2.
   * With 0 the calls made in the same event-loop turn still run together.
   */
  maxQueueDelayMs?: number;
  /** Shape of one example; default the model's `inputShape`. */
  inputShape?: readonly number[];
}

/** Options of {@linkcode Batcher.close}. */
export interface BatcherCloseOptions {
  /** Run the queued calls before closing (default true); false rejects them with a TypeError. */
  drain?: boolean;
}

/** Counters since the batcher was made. */
export interface BatcherStats {
  /** `model.predict` calls made. */
  batches: number;
  /** Examples answered or failed in those calls. */
  samples: number;
  /** Largest batch run. */
  largestBatch: number;
}

interface Pending {
  resolve: (row: Float32Array) => void;
  reject: (error: unknown) => void;
}

const FN = "predict";

/**
 * Coalesces concurrent one-example `predict` calls into batched `model.predict` calls. Make one
 * with {@linkcode batcher}.
 */
export class Batcher {
  /** Shape of one example. */
  readonly inputShape: readonly number[];
  /** Most examples per batch. */
  readonly maxBatchSize: number;
  /** Longest wait of the oldest queued call, in milliseconds. */
  readonly maxQueueDelayMs: number;
  /** Counters of batches and examples run. */
  readonly stats: BatcherStats = { batches: 0, samples: 0, largestBatch: 0 };
  readonly #model: BatchModel;
  readonly #size: number;
  #queue: Pending[] = [];
  /** The forming batch's inputs: queued call i's example at `i * size` (one copy per sample). */
  #inputs: Float32Array;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = new Set<Promise<void>>();
  #closed = false;

  /** Use {@linkcode batcher}, which checks the arguments. */
  constructor(
    model: BatchModel,
    inputShape: readonly number[],
    maxBatchSize: number,
    delay: number,
  ) {
    this.#model = model;
    this.inputShape = inputShape;
    this.#size = inputShape.reduce((a, b) => a * b, 1);
    this.maxBatchSize = maxBatchSize;
    this.maxQueueDelayMs = delay;
    this.#inputs = new Float32Array(maxBatchSize * this.#size);
  }

  /** Calls queued and not yet run. */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * The model's output for one example, computed in a batch with other concurrent calls.
   *
   * @param sample One example: its `inputShape`-many values (row-major), or a Tensor of shape
   *   `inputShape` or `[1, ...inputShape]`.
   * @returns A promise of the example's output row, flattened.
   * @throws {TypeError} (as a rejection) When the sample is not an array, Float32Array or live
   *   Tensor, or the batcher is closed.
   * @throws {RangeError} (as a rejection) When the sample has the wrong size or holds NaN or
   *   infinity; or whatever `model.predict` threw, for every call of its batch.
   */
  predict(sample: Float32Array | readonly number[] | Tensor): Promise<Float32Array> {
    try {
      checkArity(arguments, ["sample"], FN);
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.#closed) {
      return Promise.reject(new TypeError(`Cannot run ${FN}(): the batcher is closed`));
    }
    let values: ArrayLike<number> | Promise<Float32Array>;
    try {
      values = this.#read(sample);
      if (!(values instanceof Promise)) this.#stage(values);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      if (!(values instanceof Promise)) this.#enqueue({ resolve, reject });
      else {
        values.then((v) => {
          if (this.#closed) throw new TypeError(`Cannot run ${FN}(): the batcher is closed`);
          this.#stage(v);
          this.#enqueue({ resolve, reject });
        }).catch(reject);
      }
    });
  }

  /**
   * Stops taking calls; queued calls run (or, with `drain: false`, are rejected) and the promise
   * resolves once every batch has answered.
   *
   * @param options `drain` (default true).
   * @returns A promise that resolves when nothing is left running.
   * @throws {TypeError} When an option is unknown.
   */
  async close(options: BatcherCloseOptions = {}): Promise<void> {
    checkArity(arguments, ["options"], "close");
    const o = checkOptions(options, ["drain"], "close");
    this.#closed = true;
    clearTimeout(this.#timer);
    if (o.drain === false) {
      for (const p of this.#queue.splice(0)) {
        p.reject(new TypeError(`Cannot run ${FN}(): the batcher was closed before this call ran`));
      }
    }
    while (this.#queue.length > 0) this.#flush();
    await Promise.all(this.#running);
  }

  /** `await using b = batcher(...)` closes (draining) at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #enqueue(p: Pending): void {
    this.#queue.push(p);
    if (this.#queue.length >= this.maxBatchSize) this.#flush();
    else if (this.#queue.length === 1) {
      this.#timer = setTimeout(() => this.#flush(), this.maxQueueDelayMs);
    }
  }

  /** Runs the queued calls (at most `maxBatchSize`) as one batch. */
  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queue.splice(0);
    if (batch.length === 0) return;
    const xs = this.#inputs.subarray(0, batch.length * this.#size);
    this.#inputs = new Float32Array(this.maxBatchSize * this.#size);
    this.stats.batches++;
    this.stats.samples += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    const run = this.#run(batch, xs);
    this.#running.add(run);
    run.finally(() => this.#running.delete(run));
  }

  async #run(batch: Pending[], xs: Float32Array): Promise<void> {
    const n = batch.length;
    let x: Tensor | undefined, y: Tensor | undefined;
    try {
      x = tensor(xs, [n, ...this.inputShape]);
      // tidy frees what a hand-written model leaves behind; its result is kept.
      y = tidy(() => this.#model.predict(x!, { batchSize: n }));
      if (!(y instanceof Tensor) || y.shape[0] !== n) {
        throw new TypeError(
          `Cannot run ${FN}(): model.predict() must return a Tensor of ${n} rows: got ${
            fmtValue(y)
          }`,
        );
      }
      const out = await y.data();
      const per = out.length / n;
      batch.forEach((p, i) => p.resolve(out.slice(i * per, (i + 1) * per)));
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      x?.dispose();
      if (y instanceof Tensor) y.dispose();
    }
  }

  /** The sample's values (the caller's, not copied), or a promise of them for a Tensor. */
  #read(sample: unknown): ArrayLike<number> | Promise<Float32Array> {
    if (sample instanceof Tensor) {
      if (sample.isDisposed) {
        throw new TypeError(`Cannot run ${FN}(): argument "sample" is a disposed tensor`);
      }
      const shape = sample.shape.join();
      const one = this.inputShape.join();
      if (shape !== one && shape !== [1, ...this.inputShape].join()) {
        throw new RangeError(
          `Cannot run ${FN}(): argument "sample" must have shape ${
            fmtShape([...this.inputShape])
          } or ${fmtShape([1, ...this.inputShape])}: got ${fmtShape(sample.shape)}`,
        );
      }
      return sample.data();
    }
    if (!(sample instanceof Float32Array) && !Array.isArray(sample)) {
      throw new TypeError(
        `Cannot run ${FN}(): argument "sample" must be a Float32Array, an array of numbers or a Tensor: got ${
          fmtValue(sample)
        }`,
      );
    }
    if (sample.length !== this.#size) {
      throw new RangeError(
        `Cannot run ${FN}(): argument "sample" must hold ${this.#size} values (one example of shape ${
          fmtShape([...this.inputShape])
        }): got ${sample.length}`,
      );
    }
    if (Array.isArray(sample)) {
      const i = sample.findIndex((v) => typeof v !== "number");
      if (i >= 0) {
        throw new TypeError(
          `Cannot run ${FN}(): argument "sample" must hold numbers: got ${
            fmtValue(sample[i])
          } at index ${i}`,
        );
      }
    }
    return sample;
  }

  /**
   * Copies one example into the next slot of the forming batch, checked there (finite values);
   * the slot is taken only by the `#enqueue` that follows, so a bad sample leaves nothing behind.
   */
  #stage(values: ArrayLike<number>): void {
    const slot = this.#inputs.subarray(
      this.#queue.length * this.#size,
      (this.#queue.length + 1) * this.#size,
    );
    slot.set(values);
    this.#checkValues(slot);
  }

  #checkValues(values: Float32Array): void {
    // One multiply-add per value (x * 0 is NaN only for NaN and infinities); the slow search runs
    // only for a bad sample.
    let probe = 0;
    for (let i = 0; i < values.length; i++) probe += values[i] * 0;
    if (probe === 0) return;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        throw new RangeError(
          `Cannot run ${FN}(): argument "sample" must hold finite numbers: got ${
            values[i]
          } at index ${i}`,
        );
      }
    }
  }
}

/**
 * A dynamic batcher over `model`: concurrent `predict(sample)` calls run together in one
 * `model.predict`, flushed when `maxBatchSize` calls are queued or when the oldest has waited
 * `maxQueueDelayMs`.
 *
 * @param model Any object with `predict(x: Tensor): Tensor` on a batch `[batch, ...inputShape]`
 *   (a `Sequential`).
 * @param options `maxBatchSize` (default 32), `maxQueueDelayMs` (default 2), `inputShape`
 *   (default `model.inputShape`).
 * @returns The batcher; `close()` it (or `await using`) when done.
 * @throws {TypeError} When the model has no `predict`, an option is unknown, or no input shape
 *   is known. {RangeError} When an option is out of range or `inputShape` disagrees with the
 *   model's.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3] })]);
 * await using b = dn.serving.batcher(model, { maxBatchSize: 8, maxQueueDelayMs: 1 });
 * const [a, c] = await Promise.all([b.predict([1, 2, 3]), b.predict(new Float32Array(3))]);
 * assert.equal(a.length, 2);
 * assert.deepEqual([...c], [0, 0]); // zero input, zero bias
 * assert.equal(b.stats.batches, 1); // both calls ran in one model.predict
 * ```
 */
export function batcher(model: BatchModel, options: BatcherOptions = {}): Batcher {
  const fn = "batcher";
  checkArity(arguments, ["model", "options"], fn);
  const o = checkOptions(options, ["maxBatchSize", "maxQueueDelayMs", "inputShape"], fn);
  if (model === null || typeof model !== "object" || typeof model.predict !== "function") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "model" must have a predict() method: got ${fmtValue(model)}`,
    );
  }
  const maxBatchSize = checkPositiveInt(o.maxBatchSize ?? 32, "maxBatchSize", fn);
  const delay = checkFinite(o.maxQueueDelayMs ?? 2, "maxQueueDelayMs", fn);
  if (delay < 0) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "maxQueueDelayMs" must be >= 0: got ${delay}`,
    );
  }
  let own: readonly number[] | undefined;
  try {
    own = model.inputShape; // a Sequential without one throws
  } catch {
    own = undefined;
  }
  const given = o.inputShape === undefined ? undefined : checkShape(o.inputShape, "inputShape", fn);
  if (given && own && given.join() !== own.join()) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "inputShape" must match the model's ${
        fmtShape([...own])
      }: got ${fmtShape(given)}`,
    );
  }
  const shape = given ?? own;
  if (!shape) {
    throw new TypeError(
      `Cannot run ${fn}(): option "inputShape" is needed for a model without one: got none`,
    );
  }
  return new Batcher(model, [...shape], maxBatchSize, delay);
}
