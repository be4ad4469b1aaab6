/**
 * Categorical accuracy for one-hot targets.
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
import { checkPair, checkRankAtLeast1 } from "../losses/_check.ts";

/**
 * Fraction of rows whose largest prediction is at the position of the largest target (Keras
 * `categorical_accuracy`; ties go to the first maximum).
 *
 * @param yTrue One-hot targets `[..., classes]`.
 * @param yPred Scores (probabilities or logits), the shape of `yTrue`.
 * @returns A scalar tensor in [0, 1]; not differentiable.
 * @throws {TypeError} When an argument is not a live tensor or is a scalar.
 * @throws {RangeError} When the shapes differ or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const yTrue = dn.tensor([[0, 1, 0], [1, 0, 0]]);
 * const acc = dn.metrics.categoricalAccuracy(yTrue, dn.tensor([[0.1, 0.8, 0.1], [0.2, 0.7, 0.1]]));
 * assert.deepEqual([...acc.dataSync()], [0.5]);
 * ```
 */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  checkArity(arguments, ["yTrue", "yPred"], "categoricalAccuracy");
  const fn = "categoricalAccuracy";
  checkPair(yTrue, yPred, fn);
  checkRankAtLeast1(yPred, fn);
  return tidy(() => mean(cast(equal(argMax(yTrue, -1), argMax(yPred, -1)), "float32")));
}
