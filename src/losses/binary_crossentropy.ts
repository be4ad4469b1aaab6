/**
 * Binary crossentropy, on probabilities or on logits.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { add, mul, sub } from "../ops/arithmetic.ts";
import { clipByValue } from "../ops/clip.ts";
import { mean } from "../ops/reduce.ts";
import { abs, exp, log, neg, relu, sigmoid } from "../ops/unary.ts";
import { view } from "../ops/_output.ts";
import { checkPair, fromLogitsOption } from "./_check.ts";
import { type CrossentropyOptions, EPSILON } from "./types.ts";

/**
 * `max(x, 0) - x·z + log(1 + exp(-|x|))` elementwise, with the exact derivative
 * `sigmoid(x) - z` recorded as one tape node. The forward runs on views (new tensor objects the
 * tape does not watch, so those ops record nothing): taped, relu and abs would contribute their subgradient 0 at x = 0 and give `-z` there instead
 * of `0.5 - z`, and logits of exactly 0 are common (a zero-initialised output layer).
 */
function sigmoidCrossentropyWithLogits(z: Tensor, x: Tensor): Tensor {
  const y = tidy(() => {
    const xv = view(x, x.shape);
    const zv = view(z, z.shape);
    return add(sub(relu(xv), mul(xv, zv)), log(add(exp(neg(abs(xv))), 1)));
  });
  return record(y, [z, x], (dy, [z, x]) => [
    mul(dy, neg(x)),
    mul(dy, sub(sigmoid(x), z)),
  ], [z, x]);
}

/** `-(z·log p + (1 - z)·log(1 - p))` with `p` clipped into `[EPSILON, 1 - EPSILON]` (Keras 3). */
function binaryCrossentropyOfProbabilities(z: Tensor, p: Tensor): Tensor {
  const clipped = clipByValue(p, EPSILON, 1 - EPSILON);
  return neg(add(mul(z, log(clipped)), mul(sub(1, z), log(sub(1, clipped)))));
}

/**
 * Binary crossentropy between targets in [0, 1] and predicted probabilities (or logits), as Keras
 * computes it: the mean over the last axis, then over the batch. Probabilities are clipped into
 * `[1e-7, 1 - 1e-7]`, so 0 and 1 give a finite loss (and no gradient outside that range); logits
 * use `max(x, 0) - x·z + log(1 + exp(-|x|))`, finite for any finite logit.
 *
 * @param yTrue Targets (usually 0 or 1), any non-empty shape.
 * @param yPred Probabilities, or logits with `{ fromLogits: true }`; the shape of `yTrue`.
 * @param options `fromLogits` (default false).
 * @returns A scalar tensor; differentiable with respect to `yPred`.
 * @throws {TypeError} When an argument is not a live tensor or an option has the wrong type.
 * @throws {RangeError} When the shapes differ or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const yTrue = dn.tensor([[1], [0]]);
 * const loss = dn.losses.binaryCrossentropy(yTrue, dn.tensor([[0.5], [0.5]]));
 * assert.ok(Math.abs(loss.dataSync()[0] - Math.LN2) < 1e-6);
 * const fromLogits = dn.losses.binaryCrossentropy(yTrue, dn.tensor([[0], [0]]), { fromLogits: true });
 * assert.ok(Math.abs(fromLogits.dataSync()[0] - Math.LN2) < 1e-6);
 * ```
 */
export function binaryCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: CrossentropyOptions = {},
): Tensor {
  checkArity(arguments, ["yTrue", "yPred", "options"], "binaryCrossentropy");
  const fn = "binaryCrossentropy";
  checkPair(yTrue, yPred, fn);
  const fromLogits = fromLogitsOption(options, fn);
  return tidy(() =>
    mean(
      fromLogits
        ? sigmoidCrossentropyWithLogits(yTrue, yPred)
        : binaryCrossentropyOfProbabilities(yTrue, yPred),
    )
  );
}
