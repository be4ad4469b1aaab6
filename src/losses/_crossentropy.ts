/**
 * The categorical crossentropy shared by the dense and sparse losses (arguments already checked).
 *
 * @module
 */
import type { Tensor } from "../tensor.ts";
import { div, mul } from "../ops/arithmetic.ts";
import { clipByValue } from "../ops/clip.ts";
import { mean, sum } from "../ops/reduce.ts";
import { logSoftmax } from "../ops/softmax.ts";
import { log, neg } from "../ops/unary.ts";
import { EPSILON } from "./types.ts";

/**
 * `mean(-sum(target · log p, -1))`, where `log p` is `logSoftmax(yPred)` for logits and, for
 * probabilities, the log of `yPred` normalised by its row sum and clipped into
 * `[EPSILON, 1 - EPSILON]` (Keras 3).
 */
export function categoricalCrossentropyOf(
  target: Tensor,
  yPred: Tensor,
  fromLogits: boolean,
): Tensor {
  const logProb = fromLogits
    ? logSoftmax(yPred)
    : log(clipByValue(div(yPred, sum(yPred, -1, { keepDims: true })), EPSILON, 1 - EPSILON));
  return mean(neg(sum(mul(target, logProb), -1)));
}
