/**
 * Iterative attacks: projected gradient descent (Madry et al. 2018) and the basic iterative
 * method (Kurakin et al. 2017), PGD without the random start.
 *
 * @module
 */
import { checkArity, checkFinite, checkPositiveInt, fmtValue } from "../_check.ts";
import { add, maximum, minimum, mul, sub } from "../ops/arithmetic.ts";
import { sign } from "../ops/math.ts";
import { randomUniform } from "../ops/random.ts";
import type { Tensor } from "../tensor.ts";
import { tidy } from "../scope.ts";
import {
  attack,
  ATTACK_OPTIONS,
  type AttackModel,
  type AttackOptions,
  batched,
} from "./_attack.ts";

/** Options of `bim()`: those of every attack, and the iteration's. */
export interface BimOptions extends AttackOptions {
  /** Number of gradient steps (default 10). */
  iterations?: number;
  /** Size of each step, `>= 0` (default `2.5·epsilon / iterations`, Madry et al.'s choice). */
  stepSize?: number;
}

/** Options of `pgd()`. */
export interface PgdOptions extends BimOptions {
  /** Start from a uniform random point of the ε-ball around `x` (default true). */
  randomStart?: boolean;
}

const BIM_OPTIONS = [...ATTACK_OPTIONS, "iterations", "stepSize"];
const PGD_OPTIONS = [...BIM_OPTIONS, "randomStart"];

/**
 * Adversarial inputs by projected gradient descent: from `x` (or, with `randomStart`, a uniform
 * random point of the L∞ ball of radius ε around it), `iterations` steps
 * `x' ← Π(x' ± stepSize·sign(∇ₓL(x', y)))`, where Π projects onto the ε-ball around `x` and then
 * onto `[clipMin, clipMax]`; `+` climbs the loss of the true labels, `−` (`targeted`) descends the
 * loss of the target labels. Gradients are taken with respect to the input alone (no weight
 * gradient is computed); the model runs in inference mode. Random starts are drawn from the
 * global seeded generator (`dn.setSeed`).
 *
 * @param model A compiled model, or any model or function `x => predictions` with `options.loss`.
 * @param x Inputs `[batch, ...inputShape]`, float32.
 * @param y The true labels, or the targets when `targeted`, as the loss takes them.
 * @param options `epsilon` (required), `iterations`, `stepSize`, `randomStart`, `targeted`,
 *   `loss`, `clipMin`, `clipMax`, `batchSize`.
 * @returns A new tensor of the shape of `x`, within ε of it and inside `[clipMin, clipMax]`.
 * @throws {TypeError} When an argument is not a tensor, an option is unknown or of the wrong type,
 *   or the model has no loss to differentiate.
 * @throws {RangeError} When `epsilon` or `stepSize` is negative, `iterations` is not a positive
 *   integer, `clipMin > clipMax`, or `x` or `y` has the wrong shape.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 2, activation: "softmax", inputShape: [3] })]);
 * model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
 * const x = dn.tensor([[0.2, 0.5, 0.9]]);
 * const adv = dn.adversarial.pgd(model, x, dn.tensor([[1, 0]]), { epsilon: 0.1, iterations: 5, clipMin: 0, clipMax: 1 });
 * const v = adv.dataSync();
 * assert.ok([0.2, 0.5, 0.9].every((x0, i) => Math.abs(v[i] - x0) <= 0.1 + 1e-7 && v[i] <= 1));
 * ```
 */
export function pgd(model: AttackModel, x: Tensor, y: Tensor, options: PgdOptions): Tensor {
  checkArity(arguments, ["model", "x", "y", "options"], "pgd");
  return iterate(model, x, y, options, PGD_OPTIONS, "pgd");
}

/**
 * Adversarial inputs by the basic iterative method: `pgd()` started from `x` itself (no random
 * start), `iterations` steps of `stepSize` along the gradient's sign, each projected onto the
 * ε-ball around `x` and onto `[clipMin, clipMax]`.
 *
 * @param model A compiled model, or any model or function `x => predictions` with `options.loss`.
 * @param x Inputs `[batch, ...inputShape]`, float32.
 * @param y The true labels, or the targets when `targeted`, as the loss takes them.
 * @param options `epsilon` (required), `iterations`, `stepSize`, `targeted`, `loss`, `clipMin`,
 *   `clipMax`, `batchSize`.
 * @returns A new tensor of the shape of `x`, within ε of it and inside `[clipMin, clipMax]`.
 * @throws {TypeError} When an argument is not a tensor, an option is unknown or of the wrong type,
 *   or the model has no loss to differentiate.
 * @throws {RangeError} As `pgd()`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 2, activation: "softmax", inputShape: [1] })]);
 * model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
 * const adv = dn.adversarial.bim(model, dn.tensor([[0.5]]), dn.tensor([[1, 0]]), { epsilon: 0.2, iterations: 4, stepSize: 0.1 });
 * // Two steps reach the edge of the ball; the projection keeps every later one there.
 * assert.ok([0.3, 0.7].some((v) => Math.abs(adv.dataSync()[0] - v) < 1e-6));
 * ```
 */
export function bim(model: AttackModel, x: Tensor, y: Tensor, options: BimOptions): Tensor {
  checkArity(arguments, ["model", "x", "y", "options"], "bim");
  return iterate(model, x, y, options, BIM_OPTIONS, "bim");
}

function iterate(
  model: AttackModel,
  x: Tensor,
  y: Tensor,
  options: PgdOptions,
  known: readonly string[],
  fn: string,
): Tensor {
  const a = attack(model, x, y, options, known, fn);
  const randomStart = options.randomStart ?? known.includes("randomStart");
  const iterations = checkPositiveInt(options.iterations ?? 10, "iterations", fn);
  const stepSize = checkFinite(options.stepSize ?? 2.5 * a.epsilon / iterations, "stepSize", fn);
  if (stepSize < 0) {
    throw new RangeError(`Cannot run ${fn}(): argument "stepSize" must be >= 0: got ${stepSize}`);
  }
  if (typeof randomStart !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "randomStart" must be a boolean: got ${fmtValue(randomStart)}`,
    );
  }
  const eps = a.epsilon;
  return batched(x, y, a.batchSize, (xb, yb) => {
    const lo = sub(xb, eps), hi = add(xb, eps);
    /** Π: onto the ε-ball around xb, then onto the pixel range. */
    const project = (t: Tensor) => a.clip(minimum(maximum(t, lo), hi));
    let adv = randomStart
      ? project(add(xb, randomUniform(xb.shape, { minval: -eps, maxval: eps })))
      : a.clip(xb);
    for (let i = 0; i < iterations; i++) {
      const prev = adv;
      adv = tidy(() => {
        const step = mul(sign(a.inputGradient(prev, yb)), a.direction * stepSize);
        return project(add(prev, step));
      });
      prev.dispose();
    }
    return adv;
  });
}
