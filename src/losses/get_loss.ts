/**
 * Loss lookup by Keras name.
 *
 * @module
 */
import { checkArity, checkOneOf } from "../_check.ts";
import { binaryCrossentropy } from "./binary_crossentropy.ts";
import { categoricalCrossentropy } from "./categorical_crossentropy.ts";
import { cosineSimilarity } from "./cosine_similarity.ts";
import { hinge, squaredHinge } from "./hinge.ts";
import { huber } from "./huber.ts";
import { kullbackLeiblerDivergence } from "./kullback_leibler_divergence.ts";
import { logCosh } from "./log_cosh.ts";
import { meanAbsoluteError } from "./mean_absolute_error.ts";
import { meanSquaredError } from "./mean_squared_error.ts";
import { sparseCategoricalCrossentropy } from "./sparse_categorical_crossentropy.ts";
import type { LossFunction } from "./types.ts";

/**
 * The names `getLoss()` knows: TF.js camelCase, Keras snake_case, and the `mse`, `mae` and `kld`
 * shorthands. `huber` by name takes its default `delta` 1.
 */
const LOSSES: Readonly<Record<string, LossFunction>> = {
  meanSquaredError,
  mse: meanSquaredError,
  mean_squared_error: meanSquaredError,
  meanAbsoluteError,
  mae: meanAbsoluteError,
  mean_absolute_error: meanAbsoluteError,
  huber: (yTrue, yPred) => huber(yTrue, yPred),
  huberLoss: (yTrue, yPred) => huber(yTrue, yPred),
  huber_loss: (yTrue, yPred) => huber(yTrue, yPred),
  logCosh,
  log_cosh: logCosh,
  hinge,
  squaredHinge,
  squared_hinge: squaredHinge,
  kullbackLeiblerDivergence,
  kld: kullbackLeiblerDivergence,
  kl_divergence: kullbackLeiblerDivergence,
  kullback_leibler_divergence: kullbackLeiblerDivergence,
  cosineSimilarity,
  cosine_similarity: cosineSimilarity,
  binaryCrossentropy,
  binary_crossentropy: binaryCrossentropy,
  categoricalCrossentropy,
  categorical_crossentropy: categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  sparse_categorical_crossentropy: sparseCategoricalCrossentropy,
};

/**
 * Resolves a loss given by name, as in `model.compile({ loss: "categoricalCrossentropy" })`; a
 * function is returned unchanged. The named losses take probabilities (`fromLogits: false`).
 *
 * @param identifier A loss name (`"meanSquaredError"` or `"mse"`, `"meanAbsoluteError"` or
 *   `"mae"`, `"huber"` or `"huberLoss"`, `"logCosh"`, `"hinge"`, `"squaredHinge"`,
 *   `"kullbackLeiblerDivergence"` or `"kld"`, `"cosineSimilarity"`, `"binaryCrossentropy"`,
 *   `"categoricalCrossentropy"`, `"sparseCategoricalCrossentropy"`, or their Keras snake_case
 *   spellings such as `"categorical_crossentropy"`), or a loss function.
 * @returns The loss function.
 * @throws {TypeError} When the name is unknown; the message lists the valid names.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.equal(dn.losses.getLoss("mse"), dn.losses.meanSquaredError);
 * assert.throws(() => dn.losses.getLoss("hingeLoss"), TypeError);
 * ```
 */
export function getLoss(identifier: string | LossFunction): LossFunction {
  checkArity(arguments, ["identifier"], "getLoss");
  return resolveLoss(identifier, "identifier", "getLoss");
}

/** `getLoss()` with the caller's name and argument in messages (`getMetric()` resolves losses). */
export function resolveLoss(
  identifier: string | LossFunction,
  arg: string,
  fn: string,
): LossFunction {
  if (typeof identifier === "function") return identifier;
  return LOSSES[checkOneOf(identifier, Object.keys(LOSSES), arg, fn)];
}
