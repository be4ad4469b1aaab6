/**
 * Losses with Keras semantics and TensorFlow.js names: each takes `(yTrue, yPred)` and returns a
 * scalar tensor, the mean over the batch, differentiable with respect to `yPred`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const yPred = dn.tensor([[2, 0, 0]]);
 * const [g] = dn.grads((p: dn.Tensor) =>
 *   dn.losses.categoricalCrossentropy(dn.tensor([[1, 0, 0]]), p, { fromLogits: true })
 * )([yPred]);
 * assert.ok(g.dataSync()[0] < 0);
 * ```
 *
 * @module
 */
export { meanSquaredError } from "./mean_squared_error.ts";
export { meanAbsoluteError } from "./mean_absolute_error.ts";
export { huber } from "./huber.ts";
export type { HuberOptions } from "./huber.ts";
export { logCosh } from "./log_cosh.ts";
export { hinge, squaredHinge } from "./hinge.ts";
export { kullbackLeiblerDivergence } from "./kullback_leibler_divergence.ts";
export { cosineSimilarity } from "./cosine_similarity.ts";
export { binaryCrossentropy } from "./binary_crossentropy.ts";
export { categoricalCrossentropy } from "./categorical_crossentropy.ts";
export { sparseCategoricalCrossentropy } from "./sparse_categorical_crossentropy.ts";
export { getLoss } from "./get_loss.ts";
export type { CrossentropyOptions, LossFunction } from "./types.ts";
