/**
 * Mean absolute error.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { tidy } from "../scope.ts";
import { sub } from "../ops/arithmetic.ts";
import { mean } from "../ops/reduce.ts";
import { abs } from "../ops/unary.ts";
import { checkPair } from "./_check.ts";

/**
 * Mean absolute error, `mean(|yPred - yTrue|)`: the mean over the last axis, then over the batch
 * (Keras `mean_absolute_error`, TF.js `meanAbsoluteError`; `"mae"` in `compile`).
 *
 * @param yTrue Targets, any non-empty shape.
 * @param yPred Predictions, the shape of `yTrue`.
 * @returns A scalar tensor; differentiable with respect to both arguments (subgradient 0 where
 *   they are equal).
 * @throws {TypeError} When an argument is not a live tensor.
 * @throws {RangeError} When the shapes differ or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const loss = dn.losses.meanAbsoluteError(dn.tensor([[0, 1], [1, 1]]), dn.tensor([[1, 1], [1, 3]]));
 * assert.deepEqual([...loss.dataSync()], [0.75]);
 * ```
 */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkArity(arguments, ["yTrue", "yPred"], "meanAbsoluteError");
  checkPair(yTrue, yPred, "meanAbsoluteError");
  return tidy(() => mean(abs(sub(yPred, yTrue))));
}
