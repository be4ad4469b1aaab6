/**
 * Mean squared error.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { tidy } from "../scope.ts";
import { sub } from "../ops/arithmetic.ts";
import { mean } from "../ops/reduce.ts";
import { square } from "../ops/unary.ts";
import { checkPair } from "./_check.ts";

/**
 * Mean squared error, `mean((yPred - yTrue)^2)`: the mean over the last axis, then over the batch
 * (Keras `sum_over_batch_size`), which for a regular tensor is the mean of all elements.
 *
 * @param yTrue Targets, any non-empty shape.
 * @param yPred Predictions, the shape of `yTrue`.
 * @returns A scalar tensor; differentiable with respect to both arguments.
 * @throws {TypeError} When an argument is not a live tensor.
 * @throws {RangeError} When the shapes differ or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const loss = dn.losses.meanSquaredError(dn.tensor([[0, 1], [1, 1]]), dn.tensor([[1, 1], [1, 3]]));
 * assert.deepEqual([...loss.dataSync()], [1.25]);
 * ```
 */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkArity(arguments, ["yTrue", "yPred"], "meanSquaredError");
  checkPair(yTrue, yPred, "meanSquaredError");
  return tidy(() => mean(square(sub(yPred, yTrue))));
}
