/**
 * The log-cosh loss.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { tidy } from "../scope.ts";
import { add, mul, sub } from "../ops/arithmetic.ts";
import { softplus } from "../ops/activations.ts";
import { mean } from "../ops/reduce.ts";
import { checkPair } from "./_check.ts";

/**
 * The log-cosh loss (Keras `log_cosh`, TF.js `logCosh`): `mean(log(cosh(yPred - yTrue)))` over the
 * last axis, then the batch, computed as Keras does as `x + softplus(-2x) - log 2`, finite for
 * any finite error (cosh itself overflows beyond 89).
 *
 * @param yTrue Targets, any non-empty shape.
 * @param yPred Predictions, the shape of `yTrue`.
 * @returns A scalar tensor; differentiable with respect to both arguments (`tanh(yPred - yTrue)`).
 * @throws {TypeError} When an argument is not a live tensor.
 * @throws {RangeError} When the shapes differ or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const loss = dn.losses.logCosh(dn.tensor([0, 0]), dn.tensor([1, -200]));
 * const want = (Math.log(Math.cosh(1)) + 200 - Math.LN2) / 2;
 * assert.ok(Math.abs(loss.dataSync()[0] - want) < 1e-4);
 * ```
 */
export function logCosh(yTrue: Tensor, yPred: Tensor): Tensor {
  checkArity(arguments, ["yTrue", "yPred"], "logCosh");
  checkPair(yTrue, yPred, "logCosh");
  return tidy(() => {
    const x = sub(yPred, yTrue);
    return mean(sub(add(x, softplus(mul(x, -2))), Math.LN2));
  });
}
