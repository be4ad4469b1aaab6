/**
 * The hinge losses for -1/1 (or 0/1) targets.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { tidy } from "../scope.ts";
import { maximum, mul, sub } from "../ops/arithmetic.ts";
import { equal } from "../ops/compare.ts";
import { logicalOr } from "../ops/logical.ts";
import { all } from "../ops/logical_reduce.ts";
import { mean } from "../ops/reduce.ts";
import { square } from "../ops/unary.ts";
import { where } from "../ops/where.ts";
import { checkPair } from "./_check.ts";

/**
 * `max(1 - t·yPred, 0)` with `t` the targets as -1/1: Keras converts targets that are all 0 or 1
 * to `2·yTrue - 1` (decided on the device, without reading the targets back).
 */
function margins(yTrue: Tensor, yPred: Tensor): Tensor {
  const binary = all(logicalOr(equal(yTrue, 0), equal(yTrue, 1)));
  const t = where(binary, sub(mul(yTrue, 2), 1), yTrue);
  return maximum(sub(1, mul(t, yPred)), 0);
}

/**
 * The hinge loss (Keras `hinge`, TF.js `hinge`): `mean(max(1 - yTrue·yPred, 0))` over the last
 * axis, then the batch. Targets are -1 or 1; targets that are all 0 or 1 are taken as `2·yTrue - 1`
 * first, as Keras does.
 *
 * @param yTrue Targets, -1/1 or 0/1, any non-empty shape.
 * @param yPred Predicted scores, the shape of `yTrue`.
 * @returns A scalar tensor; differentiable with respect to `yPred`.
 * @throws {TypeError} When an argument is not a live tensor.
 * @throws {RangeError} When the shapes differ or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const loss = dn.losses.hinge(dn.tensor([1, 0]), dn.tensor([0.5, 0.5]));
 * assert.deepEqual([...loss.dataSync()], [(0.5 + 1.5) / 2]);
 * ```
 */
export function hinge(yTrue: Tensor, yPred: Tensor): Tensor {
  checkArity(arguments, ["yTrue", "yPred"], "hinge");
  checkPair(yTrue, yPred, "hinge");
  return tidy(() => mean(margins(yTrue, yPred)));
}

/**
 * The squared hinge loss (Keras `squared_hinge`, TF.js `squaredHinge`):
 * `mean(max(1 - yTrue·yPred, 0)²)`, targets as for {@linkcode hinge}.
 *
 * @param yTrue Targets, -1/1 or 0/1, any non-empty shape.
 * @param yPred Predicted scores, the shape of `yTrue`.
 * @returns A scalar tensor; differentiable with respect to `yPred`.
 * @throws {TypeError} When an argument is not a live tensor.
 * @throws {RangeError} When the shapes differ or are empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const loss = dn.losses.squaredHinge(dn.tensor([1, -1]), dn.tensor([0.5, 0.5]));
 * assert.deepEqual([...loss.dataSync()], [(0.25 + 2.25) / 2]);
 * ```
 */
export function squaredHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  checkArity(arguments, ["yTrue", "yPred"], "squaredHinge");
  checkPair(yTrue, yPred, "squaredHinge");
  return tidy(() => mean(square(margins(yTrue, yPred))));
}
