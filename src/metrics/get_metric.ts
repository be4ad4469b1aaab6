/**
 * Metric lookup by Keras name.
 *
 * @module
 */
import { checkArity, checkOneOf } from "../_check.ts";
import { categoricalCrossentropy } from "../losses/categorical_crossentropy.ts";
import { resolveLoss } from "../losses/get_loss.ts";
import { meanAbsoluteError } from "../losses/mean_absolute_error.ts";
import { meanSquaredError } from "../losses/mean_squared_error.ts";
import { sparseCategoricalCrossentropy } from "../losses/sparse_categorical_crossentropy.ts";
import type { LossFunction } from "../losses/types.ts";
import { binaryAccuracy } from "./binary_accuracy.ts";
import { categoricalAccuracy } from "./categorical_accuracy.ts";
import { sparseCategoricalAccuracy } from "./sparse_categorical_accuracy.ts";
import type { MetricFunction } from "./types.ts";

/** Names resolved by the loss they accompany. */
const ACCURACY = ["accuracy", "acc"];

/** The other names `getMetric()` knows: TF.js camelCase, Keras snake_case, `mse`, `mae`. */
const METRICS: Readonly<Record<string, MetricFunction>> = {
  binaryAccuracy,
  binary_accuracy: binaryAccuracy,
  categoricalAccuracy,
  categorical_accuracy: categoricalAccuracy,
  sparseCategoricalAccuracy,
  sparse_categorical_accuracy: sparseCategoricalAccuracy,
  meanSquaredError,
  mse: meanSquaredError,
  mean_squared_error: meanSquaredError,
  meanAbsoluteError,
  mae: meanAbsoluteError,
  mean_absolute_error: meanAbsoluteError,
};

/**
 * Resolves a metric given by name, as in `model.compile({ metrics: ["accuracy"] })`; a function
 * is returned unchanged. `"accuracy"` (or `"acc"`) follows the loss as Keras does:
 * `categoricalAccuracy` with categorical crossentropy, `sparseCategoricalAccuracy` with sparse
 * categorical crossentropy, and `binaryAccuracy` otherwise (binary crossentropy, mean squared
 * error, or no loss given).
 *
 * @param identifier A metric name (`"accuracy"`/`"acc"`, `"binaryAccuracy"`,
 *   `"categoricalAccuracy"`, `"sparseCategoricalAccuracy"`, `"meanSquaredError"`/`"mse"`, `"meanAbsoluteError"`/`"mae"`, or their
 *   Keras snake_case spellings), or a metric function.
 * @param loss The model's loss, by name or function; used only to resolve `"accuracy"`.
 * @returns The metric function.
 * @throws {TypeError} When the metric or loss name is unknown; the message lists the valid names.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const acc = dn.metrics.getMetric("accuracy", "categoricalCrossentropy");
 * assert.equal(acc, dn.metrics.categoricalAccuracy);
 * assert.equal(dn.metrics.getMetric("acc", "binaryCrossentropy"), dn.metrics.binaryAccuracy);
 * ```
 */
export function getMetric(
  identifier: string | MetricFunction,
  loss?: string | LossFunction,
): MetricFunction {
  checkArity(arguments, ["identifier", "loss"], "getMetric");
  if (typeof identifier === "function") return identifier;
  const names = [...ACCURACY, ...Object.keys(METRICS)];
  const name = checkOneOf(identifier, names, "identifier", "getMetric");
  if (!ACCURACY.includes(name)) return METRICS[name];
  const lossFn = loss === undefined ? undefined : resolveLoss(loss, "loss", "getMetric");
  if (lossFn === categoricalCrossentropy) return categoricalAccuracy;
  if (lossFn === sparseCategoricalCrossentropy) return sparseCategoricalAccuracy;
  return binaryAccuracy;
}
