/**
 * Metrics with Keras semantics and TensorFlow.js names: each takes `(yTrue, yPred)` and returns a
 * scalar tensor, the mean over the batch.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const metric = dn.metrics.getMetric("accuracy", "sparseCategoricalCrossentropy");
 * const acc = metric(dn.tensor([2, 0]), dn.tensor([[0, 1, 5], [3, 1, 0]]));
 * assert.deepEqual([...acc.dataSync()], [1]);
 * ```
 *
 * @module
 */
export { accuracy, binaryAccuracy } from "./binary_accuracy.ts";
export type { BinaryAccuracyOptions } from "./binary_accuracy.ts";
export { categoricalAccuracy } from "./categorical_accuracy.ts";
export { sparseCategoricalAccuracy } from "./sparse_categorical_accuracy.ts";
export { meanSquaredError } from "../losses/mean_squared_error.ts";
export { getMetric } from "./get_metric.ts";
export type { MetricFunction } from "./types.ts";
