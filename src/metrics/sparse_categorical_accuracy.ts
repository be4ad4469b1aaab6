/**
 * Categorical accuracy for integer class targets.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { equal } from "../ops/compare.ts";
import { argMax } from "../ops/arg_reduce.ts";
import { cast } from "../ops/cast.ts";
import { mean } from "../ops/reduce.ts";
import { reshape } from "../ops/transform.ts";
import { checkSparsePair } from "../losses/_check.ts";

/**
 * Fraction of rows whose largest prediction is at the class index in `yTrue` (Keras
 * `sparse_categorical_accuracy`; ties go to the first maximum). Indices outside the classes never
 * match; nothing is read back to the host.
 *
 * @param yTrue Class indices as float32 integers: `[batch]` or `[batch, 1]` (in general `yPred`'s
 *   shape without its last axis, optionally followed by 1).
 * @param yPred Scores (probabilities or logits) `[batch, classes]`.
 * @returns A scalar tensor in [0, 1]; not differentiable.
 * @throws {TypeError} When an argument is not a live tensor or `yPred` is a scalar.
 * @throws {RangeError} When the shapes do not correspond or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const yPred = dn.tensor([[0.1, 0.8, 0.1], [0.2, 0.7, 0.1]]);
 * const acc = dn.metrics.sparseCategoricalAccuracy(dn.tensor([1, 0]), yPred);
 * assert.deepEqual([...acc.dataSync()], [0.5]);
 * ```
 */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  checkArity(arguments, ["yTrue", "yPred"], "sparseCategoricalAccuracy");
  const fn = "sparseCategoricalAccuracy";
  checkSparsePair(yTrue, yPred, fn);
  return tidy(() => {
    const predicted = argMax(yPred, -1);
    return mean(cast(equal(reshape(yTrue, predicted.shape), predicted), "float32"));
  });
}
