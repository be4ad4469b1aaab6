/**
 * Training callbacks (Keras / TensorFlow.js shape): `earlyStopping`, `terminateOnNaN`,
 * `modelCheckpoint`, `reduceLROnPlateau`, `learningRateScheduler`, `csvLogger`. `fit()` returns
 * the `History` (Keras's History callback: `epoch`, `history`, `params`).
 *
 * @module
 */
import { checkArity, checkOneOf, checkOptions, fmtValue } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import type { Sequential } from "./sequential.ts";

export { modelCheckpoint } from "./model_checkpoint.ts";
export type { ModelCheckpointOptions } from "./model_checkpoint.ts";
export { learningRateScheduler, reduceLROnPlateau } from "./lr_callbacks.ts";
export type { ReduceLROnPlateauOptions } from "./lr_callbacks.ts";
export { csvLogger } from "./csv_logger.ts";
export type { CsvLoggerOptions } from "./csv_logger.ts";

/** Values logged at the end of a batch or an epoch: `loss`, metrics, `val_*`. */
export type Logs = Record<string, number>;

/** What a `fit()` call will run, as Keras's `Callback.params`. */
export interface TrainingParams {
  /** Number of epochs asked for. */
  epochs: number;
  /** Batches per epoch. */
  batches: number;
  /** Training samples per epoch (after any validation split). */
  samples: number;
}

/** Hooks called by `fit()`; each may return a promise, which `fit()` awaits. */
export interface Callback {
  /** Called once before training with the model being trained. */
  setModel?(model: Sequential): void;
  /** Called once before training with the number of epochs and batches. */
  setParams?(params: TrainingParams): void;
  /** Called once before the first epoch (`logs` is empty). */
  onTrainBegin?(logs: Logs): void | Promise<void>;
  /** Called once after the last epoch, also after an early stop (`logs` is empty). */
  onTrainEnd?(logs: Logs): void | Promise<void>;
  /** Called before each epoch, numbered from 0 (`logs` is empty). */
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  /** Called after each epoch with its mean loss and metrics, and `val_*` when validating. */
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  /** Called after each batch with `batch`, `size`, and the batch's loss and metrics. */
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/** Options of `earlyStopping()`. */
export interface EarlyStoppingOptions {
  /** The logged value to watch (default `"val_loss"`). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Stop after this many epochs in a row without improvement, as Keras (default 0: the first). */
  patience?: number;
  /** `"min"`, `"max"`, or `"auto"` (default: max for accuracies, else min). */
  mode?: "min" | "max" | "auto";
  /** Put back the weights of the best epoch when stopping (default false). */
  restoreBestWeights?: boolean;
}

class EarlyStopping implements Callback {
  readonly #monitor: string;
  readonly #minDelta: number;
  readonly #patience: number;
  readonly #sign: number;
  readonly #restore: boolean;
  #model: Sequential | null = null;
  #best = Infinity;
  #wait = 0;
  #bestWeights: Tensor[] | null = null;

  constructor(options: EarlyStoppingOptions) {
    const fn = "earlyStopping";
    checkOptions(options, ["monitor", "minDelta", "patience", "mode", "restoreBestWeights"], fn);
    this.#monitor = options.monitor ?? "val_loss";
    this.#minDelta = Math.abs(options.minDelta ?? 0);
    this.#patience = options.patience ?? 0;
    if (!Number.isInteger(this.#patience) || this.#patience < 0) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "patience" must be a non-negative integer: got ${
          fmtValue(options.patience)
        }`,
      );
    }
    const mode = checkOneOf(options.mode ?? "auto", ["auto", "min", "max"], "mode", fn);
    const max = mode === "max" || (mode === "auto" && /acc/.test(this.#monitor));
    this.#sign = max ? -1 : 1;
    this.#restore = options.restoreBestWeights ?? false;
  }

  setModel(model: Sequential): void {
    this.#model = model;
  }

  onTrainBegin(): void {
    this.#best = Infinity;
    this.#wait = 0;
    this.#dropBest();
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const value = logs[this.#monitor];
    if (value === undefined) {
      throw new RangeError(
        `Cannot run earlyStopping(): monitored value "${this.#monitor}" is not logged: got ${
          Object.keys(logs).join(", ")
        }`,
      );
    }
    const score = this.#sign * value;
    if (score < this.#best - this.#minDelta) {
      this.#best = score;
      this.#wait = 0;
      if (this.#restore) {
        this.#dropBest();
        this.#bestWeights = this.#model!.getWeights();
      }
    } else if (++this.#wait >= this.#patience) {
      this.#model!.stopTraining = true;
      if (this.#restore && this.#bestWeights) this.#model!.setWeights(this.#bestWeights);
    }
  }

  onTrainEnd(): void {
    this.#dropBest();
  }

  #dropBest(): void {
    for (const w of this.#bestWeights ?? []) w.dispose();
    this.#bestWeights = null;
  }
}

/**
 * Stops training when a logged value stops improving (Keras `EarlyStopping`).
 *
 * @param options `monitor`, `minDelta`, `patience`, `mode`, `restoreBestWeights`.
 * @returns A callback for `fit({ callbacks })`.
 * @throws {RangeError} When `patience` is not a non-negative integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const stop = dn.callbacks.earlyStopping({ monitor: "loss", patience: 2 });
 * assert.equal(typeof stop.onEpochEnd, "function");
 * ```
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): Callback {
  checkArity(arguments, ["options"], "earlyStopping");
  return new EarlyStopping(options);
}

class TerminateOnNaN implements Callback {
  #model: Sequential | null = null;

  setModel(model: Sequential): void {
    this.#model = model;
  }

  onBatchEnd(_batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss) && this.#model) {
      this.#model.stopTraining = true;
    }
  }
}

/**
 * Stops training right after the batch whose loss is NaN or infinite (Keras `TerminateOnNaN`):
 * `fit()` ends that epoch with the batches run so far, calls `onEpochEnd` and `onTrainEnd`, and
 * returns. The weights are left as that batch's update made them (non-finite, most likely).
 *
 * @returns A callback for `fit({ callbacks })`.
 * @throws {TypeError} When an argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [1] })]);
 * model.compile({ optimizer: dn.optimizers.sgd({ learningRate: 1e30 }), loss: "mse" });
 * const x = dn.tensor([[1e20], [2e20], [3e20], [4e20]]);
 * const history = await model.fit(x, x, {
 *   epochs: 5,
 *   batchSize: 1,
 *   verbose: 0,
 *   callbacks: [dn.callbacks.terminateOnNaN()],
 * });
 * assert.equal(history.epoch.length, 1);
 * ```
 */
export function terminateOnNaN(): Callback {
  checkArity(arguments, [], "terminateOnNaN");
  return new TerminateOnNaN();
}
