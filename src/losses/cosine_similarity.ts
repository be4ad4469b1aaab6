/**
 * The cosine similarity loss.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { tidy } from "../scope.ts";
import { maximum, mul } from "../ops/arithmetic.ts";
import { mean, sum } from "../ops/reduce.ts";
import { rsqrt } from "../ops/math.ts";
import { neg, square } from "../ops/unary.ts";
import { checkPair, checkRankAtLeast1 } from "./_check.ts";

/** Keras's `l2_normalize` floor on the squared norm. */
const NORM_EPSILON = 1e-12;

/** `x / sqrt(max(sum(x², -1), 1e-12))`, as Keras's `l2_normalize`. */
function l2Normalize(x: Tensor): Tensor {
  return mul(x, rsqrt(maximum(sum(square(x), -1, { keepDims: true }), NORM_EPSILON)));
}

/**
 * The cosine similarity loss with Keras's sign (Keras `cosine_similarity`, TF.js
 * `cosineSimilarity`): `-sum(l2Normalize(yTrue)·l2Normalize(yPred))` over the last axis, then the
 * mean over the batch. It lies in `[-1, 1]`, -1 when the vectors point the same way, so minimising
 * it maximises the similarity; a zero vector gives 0.
 *
 * @param yTrue Targets `[..., features]`.
 * @param yPred Predictions, the shape of `yTrue`.
 * @returns A scalar tensor; differentiable with respect to both arguments.
 * @throws {TypeError} When an argument is not a live tensor or is a scalar.
 * @throws {RangeError} When the shapes differ or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const loss = dn.losses.cosineSimilarity(dn.tensor([[1, 0], [0, 1]]), dn.tensor([[2, 0], [1, 1]]));
 * assert.ok(Math.abs(loss.dataSync()[0] + (1 + Math.SQRT1_2) / 2) < 1e-6);
 * ```
 */
export function cosineSimilarity(yTrue: Tensor, yPred: Tensor): Tensor {
  checkArity(arguments, ["yTrue", "yPred"], "cosineSimilarity");
  checkPair(yTrue, yPred, "cosineSimilarity");
  checkRankAtLeast1(yPred, "cosineSimilarity");
  return tidy(() => mean(neg(sum(mul(l2Normalize(yTrue), l2Normalize(yPred)), -1))));
}
