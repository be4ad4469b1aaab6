/**
 * The Kullback-Leibler divergence.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { tidy } from "../scope.ts";
import { div, mul } from "../ops/arithmetic.ts";
import { clipByValue } from "../ops/clip.ts";
import { mean, sum } from "../ops/reduce.ts";
import { log } from "../ops/unary.ts";
import { checkPair, checkRankAtLeast1 } from "./_check.ts";
import { EPSILON } from "./types.ts";

/**
 * The Kullback-Leibler divergence (Keras `kl_divergence`, TF.js `kullbackLeiblerDivergence`;
 * `"kld"` in `compile`): `sum(t·log(t / p))` over the last axis with `t` and `p` clipped into
 * `[1e-7, 1]`, then the mean over the batch.
 *
 * @param yTrue Target distributions `[..., classes]`.
 * @param yPred Predicted distributions, the shape of `yTrue`.
 * @returns A scalar tensor; differentiable with respect to `yPred` (0 where it is clipped).
 * @throws {TypeError} When an argument is not a live tensor or is a scalar.
 * @throws {RangeError} When the shapes differ or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const loss = dn.losses.kullbackLeiblerDivergence(dn.tensor([[0.5, 0.5]]), dn.tensor([[0.25, 0.75]]));
 * const want = 0.5 * Math.log(2) + 0.5 * Math.log(2 / 3);
 * assert.ok(Math.abs(loss.dataSync()[0] - want) < 1e-6);
 * ```
 */
export function kullbackLeiblerDivergence(yTrue: Tensor, yPred: Tensor): Tensor {
  const fn = "kullbackLeiblerDivergence";
  checkArity(arguments, ["yTrue", "yPred"], fn);
  checkPair(yTrue, yPred, fn);
  checkRankAtLeast1(yPred, fn);
  return tidy(() => {
    const t = clipByValue(yTrue, EPSILON, 1);
    const p = clipByValue(yPred, EPSILON, 1);
    return mean(sum(mul(t, log(div(t, p))), -1));
  });
}
