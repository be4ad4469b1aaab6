/**
 * The callbacks that set the optimizer's learning rate: `reduceLROnPlateau` and
 * `learningRateScheduler`.
 *
 * @module
 */
import { checkArity, checkOptions, fmtValue } from "../_check.ts";
import type { Optimizer } from "../optimizers/optimizer.ts";
import type { Callback, Logs } from "./callbacks.ts";
import { monitoredValue, monitorSign } from "./_monitor.ts";
import type { Sequential } from "./sequential.ts";

/** The optimizer of the model `fit()` trains (compiled, since `fit()` checked). */
function optimizerOf(model: Sequential | null): Optimizer {
  return model!.compiled!.optimizer;
}

/** Options of {@linkcode reduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** The logged value to watch (default `"val_loss"`). */
  monitor?: string;
  /** The rate is multiplied by this, in (0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing, an integer >= 0 (default 10). */
  patience?: number;
  /** `"min"`, `"max"` or `"auto"` (default: max for accuracies, else min). */
  mode?: "min" | "max" | "auto";
  /** Smallest change that counts as an improvement, >= 0 (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again, an integer >= 0 (default 0). */
  cooldown?: number;
  /** The rate is never reduced below this, >= 0 (default 0). */
  minLr?: number;
}

function nonNegative(
  value: unknown,
  fallback: number,
  arg: string,
  fn: string,
  int = false,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" || !Number.isFinite(value) || value < 0 ||
    (int && !Number.isInteger(value))
  ) {
    throw new RangeError(
      `Cannot run ${fn}(): option "${arg}" must be a finite ${
        int ? "integer" : "number"
      } >= 0: got ${fmtValue(value)}`,
    );
  }
  return value;
}

class ReduceLROnPlateau implements Callback {
  readonly #monitor: string;
  readonly #factor: number;
  readonly #patience: number;
  readonly #sign: number;
  readonly #minDelta: number;
  readonly #cooldown: number;
  readonly #minLr: number;
  #model: Sequential | null = null;
  #best = Infinity;
  #wait = 0;
  #cooldownLeft = 0;

  constructor(options: ReduceLROnPlateauOptions) {
    const fn = "reduceLROnPlateau";
    const keys = ["monitor", "factor", "patience", "mode", "minDelta", "cooldown", "minLr"];
    checkOptions(options, keys, fn);
    this.#monitor = options.monitor ?? "val_loss";
    this.#factor = options.factor ?? 0.1;
    if (typeof this.#factor !== "number" || !(this.#factor > 0 && this.#factor < 1)) {
      throw new RangeError(
        `Cannot run ${fn}(): option "factor" must be a number in (0, 1): got ${
          fmtValue(options.factor)
        }`,
      );
    }
    this.#patience = nonNegative(options.patience, 10, "patience", fn, true);
    this.#sign = monitorSign(options.mode, this.#monitor, fn);
    this.#minDelta = nonNegative(options.minDelta, 1e-4, "minDelta", fn);
    this.#cooldown = nonNegative(options.cooldown, 0, "cooldown", fn, true);
    this.#minLr = nonNegative(options.minLr, 0, "minLr", fn);
  }

  setModel(model: Sequential): void {
    this.#model = model;
  }

  onTrainBegin(): void {
    this.#best = Infinity;
    this.#wait = 0;
    this.#cooldownLeft = 0;
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const score = this.#sign * monitoredValue(logs, this.#monitor, "reduceLROnPlateau");
    logs.learning_rate = optimizerOf(this.#model).learningRate; // the epoch's rate, as Keras logs it
    if (this.#cooldownLeft > 0) {
      this.#cooldownLeft--;
      this.#wait = 0;
    }
    if (score < this.#best - this.#minDelta) {
      this.#best = score;
      this.#wait = 0;
    } else if (this.#cooldownLeft === 0 && ++this.#wait >= this.#patience) {
      const optimizer = optimizerOf(this.#model);
      const lr = optimizer.learningRate;
      if (lr > Math.fround(this.#minLr)) {
        optimizer.learningRate = Math.max(lr * this.#factor, this.#minLr);
        this.#cooldownLeft = this.#cooldown;
        this.#wait = 0;
      }
    }
  }
}

/**
 * Multiplies the learning rate by `factor` when a logged value has not improved for `patience`
 * epochs (Keras `ReduceLROnPlateau`, the same counters: a reduction restarts the wait and starts
 * `cooldown` epochs in which nothing is counted; the rate stops at `minLr`). Each epoch's rate is
 * logged as `learning_rate` (in `fit`'s history, as Keras). The optimizer must
 * have a constant learning rate (a schedule owns its rate: setting it throws).
 *
 * @param options `monitor` (`"val_loss"`), `factor` (0.1), `patience` (10), `mode` (`"auto"`),
 *   `minDelta` (1e-4), `cooldown` (0), `minLr` (0).
 * @returns A callback for `fit({ callbacks })`.
 * @throws {TypeError} When an option is unknown or `mode` is not one of its values.
 * @throws {RangeError} When `factor` is not in (0, 1) or a count or bound is negative; during
 *   `fit()`, when the monitored value is not logged.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [1] })]);
 * const optimizer = dn.optimizers.sgd({ learningRate: 0.1 });
 * model.compile({ optimizer, loss: "mse" });
 * const x = dn.tensor([[1], [2]]);
 * const plateau = dn.callbacks.reduceLROnPlateau({ monitor: "loss", patience: 0, minDelta: 1e9, factor: 0.5 });
 * await model.fit(x, x, { epochs: 3, verbose: 0, callbacks: [plateau] });
 * assert.equal(optimizer.learningRate, 0.1 * 0.5 ** 2); // reduced after epochs 2 and 3
 * ```
 */
export function reduceLROnPlateau(options: ReduceLROnPlateauOptions = {}): Callback {
  checkArity(arguments, ["options"], "reduceLROnPlateau");
  return new ReduceLROnPlateau(options);
}

class LearningRateScheduler implements Callback {
  readonly #schedule: (epoch: number, lr: number) => number;
  #model: Sequential | null = null;

  constructor(schedule: (epoch: number, lr: number) => number) {
    this.#schedule = schedule;
  }

  setModel(model: Sequential): void {
    this.#model = model;
  }

  onEpochBegin(epoch: number): void {
    const optimizer = optimizerOf(this.#model);
    const lr = this.#schedule(epoch, optimizer.learningRate);
    if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) {
      throw new TypeError(
        `Cannot run learningRateScheduler(): the schedule must return a finite number >= 0: got ${
          fmtValue(lr)
        } at epoch ${epoch}`,
      );
    }
    optimizer.learningRate = lr;
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.learning_rate = optimizerOf(this.#model).learningRate;
  }
}

/**
 * Sets the learning rate at the start of every epoch to `schedule(epoch, currentRate)` (Keras
 * `LearningRateScheduler`; epochs count from 0), and logs it as `learning_rate`. The optimizer must
 * have a constant learning rate.
 *
 * @param schedule `(epoch, lr) => newLr`, returning a finite number >= 0.
 * @returns A callback for `fit({ callbacks })`.
 * @throws {TypeError} When `schedule` is not a function; during `fit()`, when it returns anything
 *   but a finite number >= 0.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [1] })]);
 * const optimizer = dn.optimizers.sgd({ learningRate: 0.1 });
 * model.compile({ optimizer, loss: "mse" });
 * const x = dn.tensor([[1], [2]]);
 * const halve = dn.callbacks.learningRateScheduler((epoch, lr) => epoch === 0 ? lr : lr / 2);
 * await model.fit(x, x, { epochs: 3, verbose: 0, callbacks: [halve] });
 * assert.equal(optimizer.learningRate, 0.025);
 * ```
 */
export function learningRateScheduler(schedule: (epoch: number, lr: number) => number): Callback {
  checkArity(arguments, ["schedule"], "learningRateScheduler");
  if (typeof schedule !== "function") {
    throw new TypeError(
      `Cannot run learningRateScheduler(): argument "schedule" must be a function: got ${
        fmtValue(schedule)
      }`,
    );
  }
  return new LearningRateScheduler(schedule);
}
