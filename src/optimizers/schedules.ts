/**
 * Learning-rate schedules: functions from the optimizer step (`iterations`, 0 for the first
 * update) to a learning rate, with the Keras formulas, and a config for saving.
 *
 * @module
 */
import { checkArity, fmtValue } from "../_check.ts";
import { boolean, checkOptions, nonNegative, positive, unit } from "./_validate.ts";

/** A saved schedule or optimizer: the class name and its hyperparameters (JSON-able). */
export interface SerializedConfig {
  /** `"ExponentialDecay"`, `"StepDecay"`, `"CosineDecay"`; `"SGD"`, `"Adam"`, `"RMSprop"`. */
  className: string;
  /** Hyperparameters under their option names. */
  config: Record<string, unknown>;
}

/** A learning rate that depends on the step; pass it as an optimizer's `learningRate`. */
export interface LearningRateSchedule {
  /** The learning rate for optimizer step `step` (0 for the first update). */
  (step: number): number;
  /** Class name and options, such that {@linkcode scheduleFromConfig} rebuilds the schedule. */
  getConfig(): SerializedConfig;
}

/** Options of {@linkcode exponentialDecay}. */
export interface ExponentialDecayOptions {
  /** Learning rate at step 0. */
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by `decayRate` once; > 0. */
  decaySteps: number;
  /** Factor per `decaySteps` steps; >= 0. */
  decayRate: number;
  /** Decay in whole periods of `decaySteps` (default false: continuously). */
  staircase?: boolean;
}

/** Options of {@linkcode stepDecay}. */
export interface StepDecayOptions {
  /** Learning rate up to and including step `boundaries[0]`. */
  initialLearningRate: number;
  /** Strictly increasing steps at which the rate changes. */
  boundaries: number[];
  /** `values[i]` applies after `boundaries[i]` (up to and including `boundaries[i + 1]`). */
  values: number[];
}

/** Options of {@linkcode cosineDecay}. */
export interface CosineDecayOptions {
  /** Learning rate at step 0. */
  initialLearningRate: number;
  /** Steps to decay over; > 0. The rate stays at its minimum afterwards. */
  decaySteps: number;
  /** Minimum as a fraction of `initialLearningRate`, in [0, 1] (default 0). */
  alpha?: number;
}

function schedule(
  fn: string,
  at: (step: number) => number,
  config: SerializedConfig,
): LearningRateSchedule {
  const call = (step: number): number => {
    if (typeof step !== "number" || !Number.isFinite(step) || step < 0) {
      throw new RangeError(
        `Cannot evaluate ${fn}() schedule: argument "step" must be a finite number >= 0: got ${
          fmtValue(step)
        }`,
      );
    }
    return at(step);
  };
  return Object.freeze(Object.assign(call, { getConfig: () => structuredClone(config) }));
}

function required(options: Record<string, unknown>, key: string, fn: string): unknown {
  if (options[key] === undefined) {
    throw new TypeError(`Cannot run ${fn}(): option "${key}" is required: got undefined`);
  }
  return options[key];
}

/**
 * Exponential decay (Keras `ExponentialDecay`):
 * `initialLearningRate · decayRate^(step / decaySteps)`, with the exponent floored when
 * `staircase` is true.
 *
 * @param options `initialLearningRate`, `decaySteps`, `decayRate`, `staircase` (default false).
 * @returns A schedule to pass as `learningRate`.
 * @throws {TypeError} When a required option is missing or an option is unknown or not a number.
 * @throws {RangeError} When `initialLearningRate` or `decayRate` is negative or not finite, or
 * `decaySteps` is not > 0.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const lr = dn.optimizers.schedules.exponentialDecay({
 *   initialLearningRate: 0.1,
 *   decaySteps: 10,
 *   decayRate: 0.5,
 * });
 * assert.equal(lr(20), 0.1 * 0.25);
 * const opt = dn.optimizers.sgd({ learningRate: lr });
 * assert.equal(opt.learningRate, 0.1);
 * ```
 */
export function exponentialDecay(options: ExponentialDecayOptions): LearningRateSchedule {
  checkArity(arguments, ["options"], "exponentialDecay");
  const fn = "exponentialDecay";
  const o = checkOptions(
    options ?? {},
    ["initialLearningRate", "decaySteps", "decayRate", "staircase"],
    fn,
  );
  const initialLearningRate = nonNegative(
    required(o, "initialLearningRate", fn),
    0,
    "initialLearningRate",
    fn,
  );
  const decaySteps = positive(required(o, "decaySteps", fn), 1, "decaySteps", fn);
  const decayRate = nonNegative(required(o, "decayRate", fn), 0, "decayRate", fn);
  const staircase = boolean(o.staircase, false, "staircase", fn);
  return schedule(fn, (step) => {
    const p = step / decaySteps;
    return initialLearningRate * decayRate ** (staircase ? Math.floor(p) : p);
  }, {
    className: "ExponentialDecay",
    config: { initialLearningRate, decaySteps, decayRate, staircase },
  });
}

/**
 * Piecewise-constant decay (Keras `PiecewiseConstantDecay` with values
 * `[initialLearningRate, ...values]`): `initialLearningRate` while `step <= boundaries[0]`,
 * `values[i]` while `boundaries[i] < step <= boundaries[i + 1]`, and the last value after the
 * last boundary.
 *
 * @param options `initialLearningRate`, `boundaries` (strictly increasing), `values` (one per
 * boundary).
 * @returns A schedule to pass as `learningRate`.
 * @throws {TypeError} When a required option is missing, an option is unknown, or `boundaries`
 * or `values` is not an array.
 * @throws {RangeError} When a rate is negative or not finite, the boundaries are not strictly
 * increasing finite numbers, or `values` and `boundaries` differ in length.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const lr = dn.optimizers.schedules.stepDecay({
 *   initialLearningRate: 0.1,
 *   boundaries: [100, 200],
 *   values: [0.01, 0.001],
 * });
 * assert.deepEqual([lr(0), lr(100), lr(101), lr(201)], [0.1, 0.1, 0.01, 0.001]);
 * ```
 */
export function stepDecay(options: StepDecayOptions): LearningRateSchedule {
  checkArity(arguments, ["options"], "stepDecay");
  const fn = "stepDecay";
  const o = checkOptions(options ?? {}, ["initialLearningRate", "boundaries", "values"], fn);
  const initialLearningRate = nonNegative(
    required(o, "initialLearningRate", fn),
    0,
    "initialLearningRate",
    fn,
  );
  const boundaries = numberArray(required(o, "boundaries", fn), "boundaries", fn);
  const values = numberArray(required(o, "values", fn), "values", fn);
  boundaries.forEach((b, i) => {
    if (!Number.isFinite(b) || (i > 0 && b <= boundaries[i - 1])) {
      throw new RangeError(
        `Cannot run ${fn}(): option "boundaries" must hold strictly increasing finite numbers: got ${
          fmtValue(boundaries)
        }`,
      );
    }
  });
  values.forEach((v, i) => nonNegative(v, 0, `values[${i}]`, fn));
  if (values.length !== boundaries.length) {
    throw new RangeError(
      `Cannot run ${fn}(): option "values" must have one rate per boundary (${boundaries.length}): got ${values.length}`,
    );
  }
  return schedule(fn, (step) => {
    let i = 0;
    while (i < boundaries.length && step > boundaries[i]) i++;
    return i === 0 ? initialLearningRate : values[i - 1];
  }, { className: "StepDecay", config: { initialLearningRate, boundaries, values } });
}

function numberArray(value: unknown, arg: string, fn: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "number")) {
    throw new TypeError(
      `Cannot run ${fn}(): option "${arg}" must be an array of numbers: got ${fmtValue(value)}`,
    );
  }
  return [...value];
}

/**
 * Cosine decay (Keras `CosineDecay` without warmup): with `s = min(step, decaySteps)`,
 * `initialLearningRate · ((1 - alpha) · 0.5 · (1 + cos(π · s / decaySteps)) + alpha)`.
 *
 * @param options `initialLearningRate`, `decaySteps`, `alpha` (default 0).
 * @returns A schedule to pass as `learningRate`.
 * @throws {TypeError} When a required option is missing or an option is unknown.
 * @throws {RangeError} When `initialLearningRate` is negative or not finite, `decaySteps` is not
 * > 0, or `alpha` is outside [0, 1].
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const lr = dn.optimizers.schedules.cosineDecay({
 *   initialLearningRate: 1,
 *   decaySteps: 100,
 *   alpha: 0.1,
 * });
 * assert.equal(lr(0), 1);
 * assert.equal(lr(100), 0.1);
 * assert.equal(lr(1000), 0.1);
 * ```
 */
export function cosineDecay(options: CosineDecayOptions): LearningRateSchedule {
  checkArity(arguments, ["options"], "cosineDecay");
  const fn = "cosineDecay";
  const o = checkOptions(options ?? {}, ["initialLearningRate", "decaySteps", "alpha"], fn);
  const initialLearningRate = nonNegative(
    required(o, "initialLearningRate", fn),
    0,
    "initialLearningRate",
    fn,
  );
  const decaySteps = positive(required(o, "decaySteps", fn), 1, "decaySteps", fn);
  const alpha = unit(o.alpha, 0, "alpha", fn, true);
  return schedule(fn, (step) => {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * Math.min(step, decaySteps) / decaySteps));
    return initialLearningRate * ((1 - alpha) * cosine + alpha);
  }, { className: "CosineDecay", config: { initialLearningRate, decaySteps, alpha } });
}

const FACTORIES: Record<string, (options: never) => LearningRateSchedule> = {
  ExponentialDecay: exponentialDecay,
  StepDecay: stepDecay,
  CosineDecay: cosineDecay,
};

/**
 * Rebuilds a schedule from its `getConfig()`.
 *
 * @param config `{ className, config }` as `getConfig()` returned it (possibly through JSON).
 * @returns A new schedule with the same options.
 * @throws {TypeError} When `className` is not a schedule of this module, or as the factory does.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const lr = dn.optimizers.schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 10 });
 * const saved = JSON.stringify(lr.getConfig());
 * const copy = dn.optimizers.schedules.scheduleFromConfig(JSON.parse(saved));
 * assert.equal(copy(5), lr(5));
 * ```
 */
export function scheduleFromConfig(config: SerializedConfig): LearningRateSchedule {
  checkArity(arguments, ["config"], "scheduleFromConfig");
  checkOptions(config, ["className", "config"], "scheduleFromConfig", "config");
  const factory = Object.hasOwn(FACTORIES, config?.className) ? FACTORIES[config.className] : null;
  if (!factory) {
    throw new TypeError(
      `Cannot run scheduleFromConfig(): "className" must be one of ${
        Object.keys(FACTORIES).map((k) => `"${k}"`).join(", ")
      }: got ${fmtValue(config?.className)}`,
    );
  }
  return factory(config.config as never);
}
