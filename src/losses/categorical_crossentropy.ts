/**
 * Categorical crossentropy for one-hot (or soft) targets.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { checkPair, checkRankAtLeast1, fromLogitsOption } from "./_check.ts";
import { categoricalCrossentropyOf } from "./_crossentropy.ts";
import type { CrossentropyOptions } from "./types.ts";

/**
 * Categorical crossentropy `-sum(yTrue · log p)` over the last (class) axis, then the mean over
 * the batch, as Keras computes it. With probabilities, `p` is `yPred` divided by its row sum and
 * clipped into `[1e-7, 1 - 1e-7]`; with logits, `log p` is `logSoftmax(yPred)`, finite for logits
 * of any magnitude.
 *
 * @param yTrue Targets `[..., classes]`: one-hot rows (or distributions).
 * @param yPred Probabilities, or logits with `{ fromLogits: true }`; the shape of `yTrue`.
 * @param options `fromLogits` (default false).
 * @returns A scalar tensor; differentiable with respect to `yPred`.
 * @throws {TypeError} When an argument is not a live tensor, is a scalar, or an option has the
 *   wrong type.
 * @throws {RangeError} When the shapes differ or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const yTrue = dn.tensor([[0, 1, 0], [0, 0, 1]]);
 * const loss = dn.losses.categoricalCrossentropy(yTrue, dn.tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]));
 * assert.ok(Math.abs(loss.dataSync()[0] - (-Math.log(0.95) - Math.log(0.1)) / 2) < 1e-6);
 * ```
 */
export function categoricalCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: CrossentropyOptions = {},
): Tensor {
  checkArity(arguments, ["yTrue", "yPred", "options"], "categoricalCrossentropy");
  const fn = "categoricalCrossentropy";
  checkPair(yTrue, yPred, fn);
  checkRankAtLeast1(yPred, fn);
  const fromLogits = fromLogitsOption(options, fn);
  return tidy(() => categoricalCrossentropyOf(yTrue, yPred, fromLogits));
}
