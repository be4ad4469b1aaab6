/**
 * Binary accuracy (and its `accuracy` alias).
 *
 * @module
 */
import { checkArity, checkOptions, fmtValue } from "../_check.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { cast } from "../ops/cast.ts";
import { equal, greater } from "../ops/compare.ts";
import { mean } from "../ops/reduce.ts";
import { checkPair } from "../losses/_check.ts";

/** Options of `binaryAccuracy()`. */
export interface BinaryAccuracyOptions {
  /** A prediction counts as 1 when it is strictly greater than this (default 0.5). */
  threshold?: number;
}

/**
 * Fraction of elements where `yPred > threshold` agrees with `yTrue` (0 or 1): the mean over
 * the last axis, then over the batch (Keras `binary_accuracy`). A NaN prediction counts as 0.
 *
 * @param yTrue Targets, 0 or 1, any non-empty shape.
 * @param yPred Probabilities, the shape of `yTrue`.
 * @param options `threshold` (default 0.5).
 * @returns A scalar tensor in [0, 1]; not differentiable.
 * @throws {TypeError} When an argument is not a live tensor or the threshold is not a number.
 * @throws {RangeError} When the shapes differ or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const acc = dn.metrics.binaryAccuracy(dn.tensor([1, 0, 1, 0]), dn.tensor([0.9, 0.2, 0.4, 0.5]));
 * assert.deepEqual([...acc.dataSync()], [0.75]); // 0.4 and 0.5 are not above 0.5
 * ```
 */
export function binaryAccuracy(
  yTrue: Tensor,
  yPred: Tensor,
  options: BinaryAccuracyOptions = {},
): Tensor {
  checkArity(arguments, ["yTrue", "yPred", "options"], "binaryAccuracy");
  const fn = "binaryAccuracy";
  checkPair(yTrue, yPred, fn);
  const threshold = checkOptions(options, ["threshold"], fn).threshold ?? 0.5;
  if (typeof threshold !== "number" || Number.isNaN(threshold)) {
    throw new TypeError(
      `Cannot run ${fn}(): option "threshold" must be a number: got ${fmtValue(threshold)}`,
    );
  }
  return tidy(() => {
    // As TF.js: yPred > t as 0 or 1 (NaN counts as 0), compared with yTrue.
    const above = cast(greater(yPred, threshold), "float32");
    return mean(cast(equal(yTrue, above), "float32"));
  });
}

/**
 * Accuracy for binary targets: `binaryAccuracy()` with threshold 0.5. In `getMetric()`, the name
 * `"accuracy"` instead follows the loss, as Keras does.
 *
 * @param yTrue Targets, 0 or 1, any non-empty shape.
 * @param yPred Probabilities, the shape of `yTrue`.
 * @returns A scalar tensor in [0, 1]; not differentiable.
 * @throws {TypeError} When an argument is not a live tensor.
 * @throws {RangeError} When the shapes differ or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const acc = dn.metrics.accuracy(dn.tensor([[1], [0]]), dn.tensor([[0.7], [0.6]]));
 * assert.deepEqual([...acc.dataSync()], [0.5]);
 * ```
 */
export function accuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  checkArity(arguments, ["yTrue", "yPred"], "accuracy");
  return binaryAccuracy(yTrue, yPred);
}
