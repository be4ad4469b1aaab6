/**
 * The Huber loss.
 *
 * @module
 */
import { checkArity, checkOptions, fmtValue } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { tidy } from "../scope.ts";
import { add, minimum, mul, sub } from "../ops/arithmetic.ts";
import { mean } from "../ops/reduce.ts";
import { abs, square } from "../ops/unary.ts";
import { checkPair } from "./_check.ts";

/** Options of {@linkcode huber}. */
export interface HuberOptions {
  /** Where the loss turns from quadratic to linear, a finite number > 0 (default 1, as Keras). */
  delta?: number;
}

/**
 * The Huber loss (Keras `huber`, TF.js `huberLoss`): with `e = |yPred - yTrue|`, `0.5·e²` where
 * `e <= delta` and `delta·(e - 0.5·delta)` beyond, averaged over the last axis, then the batch.
 * `compile` takes it as `"huber"`, `"huberLoss"` or `"huber_loss"` (with `delta` 1).
 *
 * @param yTrue Targets, any non-empty shape.
 * @param yPred Predictions, the shape of `yTrue`.
 * @param options `delta` (default 1).
 * @returns A scalar tensor; differentiable with respect to both arguments.
 * @throws {TypeError} When an argument is not a live tensor or an option is unknown.
 * @throws {RangeError} When the shapes differ or are empty, or `delta` is not a finite number > 0.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const loss = dn.losses.huber(dn.tensor([0, 0]), dn.tensor([0.5, 3]));
 * assert.deepEqual([...loss.dataSync()], [(0.125 + 2.5) / 2]);
 * ```
 */
export function huber(yTrue: Tensor, yPred: Tensor, options: HuberOptions = {}): Tensor {
  checkArity(arguments, ["yTrue", "yPred", "options"], "huber");
  checkPair(yTrue, yPred, "huber");
  const delta = checkOptions(options, ["delta"], "huber").delta ?? 1;
  if (typeof delta !== "number" || !Number.isFinite(delta) || delta <= 0) {
    throw new RangeError(
      `Cannot run huber(): option "delta" must be a finite number > 0: got ${fmtValue(delta)}`,
    );
  }
  return tidy(() => {
    const e = abs(sub(yPred, yTrue));
    const quadratic = minimum(e, delta);
    return mean(add(mul(square(quadratic), 0.5), mul(sub(e, quadratic), delta)));
  });
}
