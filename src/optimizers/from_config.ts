/**
 * `fromConfig()`: rebuilds an optimizer (and its schedule) from `getConfig()`, for loading saved
 * training setups.
 *
 * @module
 */
import { checkArity, checkOptions, fmtValue } from "../_check.ts";
import { Adadelta } from "./adadelta.ts";
import { Adagrad } from "./adagrad.ts";
import { Adam } from "./adam.ts";
import { Adamax } from "./adamax.ts";
import { AdamW } from "./adamw.ts";
import { Nadam } from "./nadam.ts";
import type { Optimizer } from "./optimizer.ts";
import { RMSprop } from "./rmsprop.ts";
import { scheduleFromConfig, type SerializedConfig } from "./schedules.ts";
import { SGD } from "./sgd.ts";

const CLASSES: Record<string, new (options: Record<string, unknown>) => Optimizer> = {
  SGD,
  Adam,
  RMSprop,
  Adagrad,
  Adadelta,
  Adamax,
  Nadam,
  AdamW,
};

/**
 * Creates a new optimizer from the `getConfig()` of another (possibly through JSON). The state
 * (moments, iterations) is not part of the config: the new optimizer starts at step 0.
 *
 * @param config `{ className, config }`, `className` one of `"SGD"`, `"Adam"`, `"RMSprop"`,
 *   `"Adagrad"`, `"Adadelta"`, `"Adamax"`, `"Nadam"`, `"AdamW"`.
 * @returns A new optimizer with the same options and schedule.
 * @throws {TypeError} When `className` is not an optimizer of this module, or as the factory does.
 * @throws {RangeError} As the factory does for out-of-range options.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const opt = dn.optimizers.sgd({
 *   learningRate: dn.optimizers.schedules.stepDecay({
 *     initialLearningRate: 0.1,
 *     boundaries: [10],
 *     values: [0.01],
 *   }),
 *   momentum: 0.9,
 * });
 * const saved = JSON.stringify(opt.getConfig());
 * const copy = dn.optimizers.fromConfig(JSON.parse(saved));
 * assert.deepEqual(copy.getConfig(), opt.getConfig());
 * ```
 */
export function fromConfig(config: SerializedConfig): Optimizer {
  checkArity(arguments, ["config"], "fromConfig");
  checkOptions(config, ["className", "config"], "fromConfig", "config");
  const Class = Object.hasOwn(CLASSES, config?.className) ? CLASSES[config.className] : null;
  if (!Class) {
    throw new TypeError(
      `Cannot run fromConfig(): "className" must be one of ${
        Object.keys(CLASSES).map((k) => `"${k}"`).join(", ")
      }: got ${fmtValue(config?.className)}`,
    );
  }
  const options = { ...config.config };
  const lr = options.learningRate;
  if (lr !== null && typeof lr === "object") {
    options.learningRate = scheduleFromConfig(lr as SerializedConfig);
  }
  return new Class(options);
}
