/**
 * The fast gradient sign method (Goodfellow et al. 2015): one step of size ε along the sign of
 * the loss's gradient with respect to the input.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { add, mul } from "../ops/arithmetic.ts";
import { sign } from "../ops/math.ts";
import type { Tensor } from "../tensor.ts";
import {
  attack,
  ATTACK_OPTIONS,
  type AttackModel,
  type AttackOptions,
  batched,
} from "./_attack.ts";

/**
 * Adversarial inputs by the fast gradient sign method: untargeted `x + ε·sign(∇ₓL(x, y))` (away
 * from the true labels), targeted `x − ε·sign(∇ₓL(x, y_target))` (towards the target labels),
 * clipped to `[clipMin, clipMax]`. The gradient is taken with respect to the input alone: no
 * weight gradient is computed. The model runs in inference mode (dropout off).
 *
 * @param model A compiled model (its loss is differentiated), or any model with `options.loss`,
 *   or a function `x => predictions` with `options.loss`. One input, one output.
 * @param x Inputs `[batch, ...inputShape]`, float32.
 * @param y Labels as the loss takes them (one-hot `[batch, classes]`, or class indices for a
 *   sparse loss): the true labels, or the targets when `targeted`.
 * @param options `epsilon` (required), `targeted`, `loss`, `clipMin`, `clipMax`, `batchSize`.
 * @returns A new tensor of the shape of `x`.
 * @throws {TypeError} When an argument is not a tensor, an option is unknown or of the wrong type,
 *   or the model has no loss to differentiate (not compiled and no `loss` given).
 * @throws {RangeError} When `epsilon < 0`, `clipMin > clipMax`, or `x` or `y` has the wrong shape.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 2, activation: "softmax", inputShape: [3] })]);
 * model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
 * const x = dn.tensor([[0.2, 0.5, 0.9]]);
 * const adv = dn.adversarial.fgsm(model, x, dn.tensor([[1, 0]]), { epsilon: 0.1, clipMin: 0, clipMax: 1 });
 * const change = [...dn.sub(adv, x).dataSync()].map((v) => Math.abs(v));
 * assert.ok(change.every((v) => v <= 0.1 + 1e-7));
 * ```
 */
export function fgsm(model: AttackModel, x: Tensor, y: Tensor, options: AttackOptions): Tensor {
  checkArity(arguments, ["model", "x", "y", "options"], "fgsm");
  const a = attack(model, x, y, options, ATTACK_OPTIONS, "fgsm");
  return batched(x, y, a.batchSize, (xb, yb) => {
    const step = mul(sign(a.inputGradient(xb, yb)), a.direction * a.epsilon);
    return a.clip(add(xb, step));
  });
}
