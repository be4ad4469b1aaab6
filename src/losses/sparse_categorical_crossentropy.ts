/**
 * Categorical crossentropy for integer class targets.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { oneHotFor } from "../ops/one_hot.ts";
import { reshape } from "../ops/transform.ts";
import { checkSparsePair, fromLogitsOption } from "./_check.ts";
import { categoricalCrossentropyOf } from "./_crossentropy.ts";
import type { CrossentropyOptions } from "./types.ts";

/**
 * Categorical crossentropy with the targets given as class indices: the same value as
 * `categoricalCrossentropy(oneHot(yTrue, classes), yPred)`. The indices are read back to the host
 * (`dataSync()`) to be checked and encoded.
 *
 * @param yTrue Class indices as float32 integers in `[0, classes)`: shape `[batch]` or
 *   `[batch, 1]` (in general `yPred`'s shape without its last axis, optionally followed by 1).
 * @param yPred Probabilities, or logits with `{ fromLogits: true }`: `[batch, classes]`.
 * @param options `fromLogits` (default false).
 * @returns A scalar tensor; differentiable with respect to `yPred`.
 * @throws {TypeError} When an argument is not a live tensor, `yPred` is a scalar, or an option has
 *   the wrong type.
 * @throws {RangeError} When the shapes do not correspond, are empty, or an index is fractional or
 *   out of range.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const logits = dn.tensor([[0, 0], [0, 0]]);
 * const loss = dn.losses.sparseCategoricalCrossentropy(dn.tensor([1, 0]), logits, { fromLogits: true });
 * assert.ok(Math.abs(loss.dataSync()[0] - Math.LN2) < 1e-6);
 * ```
 */
export function sparseCategoricalCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: CrossentropyOptions = {},
): Tensor {
  checkArity(arguments, ["yTrue", "yPred", "options"], "sparseCategoricalCrossentropy");
  const fn = "sparseCategoricalCrossentropy";
  checkSparsePair(yTrue, yPred, fn);
  const fromLogits = fromLogitsOption(options, fn);
  const classes = yPred.shape[yPred.rank - 1];
  return tidy(() => {
    const target = reshape(oneHotFor(yTrue, classes, "yTrue", fn), yPred.shape);
    return categoricalCrossentropyOf(target, yPred, fromLogits);
  });
}
