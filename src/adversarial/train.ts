/**
 * Adversarial training (Goodfellow et al. 2015; Kurakin et al. 2017): each batch of m examples
 * has k of them replaced by adversarial ones crafted on the fly from the current model, and the
 * loss weighs the two parts, `L = (Σ_clean L + λ Σ_adv L) / ((m − k) + λk)`.
 *
 * @module
 */
import { checkArity, checkFinite, checkOptions, fmtValue } from "../_check.ts";
import type { LossFunction } from "../losses/types.ts";
import { sliceRows } from "../models/batches.ts";
import { LayersModel } from "../models/layers_model.ts";
import { trainStep as compiledStep } from "../models/step.ts";
import type { StepLogs } from "../models/step.ts";
import { add, div, mul } from "../ops/arithmetic.ts";
import { concat } from "../ops/concat.ts";
import { slice } from "../ops/slice.ts";
import type { Tensor } from "../tensor.ts";
import { fgsm } from "./fgsm.ts";
import { pgd } from "./pgd.ts";

/** Options of `trainStep()`. */
export interface AdversarialTrainingOptions {
  /** The attack's L∞ radius ε, `>= 0` (used by `"fgsm"` and `"pgd"`). */
  epsilon: number;
  /** k/m: the fraction of each batch replaced by adversarial examples, in [0, 1] (default 0.5). */
  fraction?: number;
  /** λ, the weight of the adversarial examples' loss, `> 0` (default 0.3, Kurakin et al.'s). */
  lossWeight?: number;
  /**
   * How adversarial examples are crafted: `"fgsm"` (default), `"pgd"` (10 steps, random start),
   * or a function `(x, y) => xAdv` (e.g. `pgd` with options of your own).
   */
  attack?: "fgsm" | "pgd" | ((x: Tensor, y: Tensor) => Tensor);
  /** Smallest valid input value, passed to the attack (default: none). */
  clipMin?: number;
  /** Largest valid input value, passed to the attack (default: none). */
  clipMax?: number;
}

const OPTIONS = ["epsilon", "fraction", "lossWeight", "attack", "clipMin", "clipMax"];

/**
 * The loss over a batch whose first `k` of `m` rows are adversarial:
 * `((m − k)·mean_clean + λ·k·mean_adv) / ((m − k) + λk)`, which is the formula above for a loss
 * that averages over its samples (every Keras loss does).
 */
function weightedLoss(
  loss: LossFunction,
  y: Tensor,
  out: Tensor,
  k: number,
  lambda: number,
): Tensor {
  const m = out.shape[0];
  if (k === 0 || k === m) return loss(y, out);
  const adv = loss(slice(y, [0], [k]), slice(out, [0], [k]));
  const clean = loss(slice(y, [k]), slice(out, [k]));
  return div(add(mul(clean, m - k), mul(adv, lambda * k)), m - k + lambda * k);
}

/**
 * A training step for `model.trainStep` that trains on adversarial examples: in each batch of m
 * samples the first k = round(fraction·m) (the batches `fit` cuts are shuffled) are replaced by
 * adversarial examples crafted from the current model (in inference mode, before the update),
 * and the compiled loss is weighed `L = (Σ_clean L + λ Σ_adv L) / ((m − k) + λk)`; regularisation,
 * constraints, the optimizer and the logged metrics (over the batch trained on) are the compiled
 * step's. `fit`, `trainOnBatch` and their callbacks then run it.
 *
 * @param model A compiled model with one input and one output.
 * @param options `epsilon` (required), `fraction` (k/m, default 0.5), `lossWeight` (λ, default
 *   0.3), `attack` (`"fgsm"`, `"pgd"` or a function), `clipMin`, `clipMax`.
 * @returns A step `(x, y) => logs` to assign to `model.trainStep`.
 * @throws {TypeError} When `model` is not a model, an option is unknown or of the wrong type.
 * @throws {RangeError} When `epsilon < 0`, `fraction` is outside [0, 1] or `lossWeight <= 0`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 2, activation: "softmax", inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
 * model.trainStep = dn.adversarial.trainStep(model, { epsilon: 0.1, clipMin: 0, clipMax: 1 });
 * const x = dn.tensor([[0, 1], [1, 0], [0.2, 0.9], [0.8, 0.1]]);
 * const y = dn.tensor([[1, 0], [0, 1], [1, 0], [0, 1]]);
 * const history = await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
 * assert.equal(history.history.loss.length, 2);
 * ```
 */
export function trainStep(
  model: LayersModel,
  options: AdversarialTrainingOptions,
): (x: Tensor[], y: Tensor[]) => StepLogs {
  const fn = "trainStep";
  checkArity(arguments, ["model", "options"], fn);
  if (!(model instanceof LayersModel)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "model" must be a model (dn.sequential, dn.model): got ${
        fmtValue(model)
      }`,
    );
  }
  if (options === undefined) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "options" must give "epsilon": got undefined`,
    );
  }
  checkOptions(options, OPTIONS, fn);
  const epsilon = checkFinite(options.epsilon, "epsilon", fn);
  const fraction = checkFinite(options.fraction ?? 0.5, "fraction", fn);
  const lambda = checkFinite(options.lossWeight ?? 0.3, "lossWeight", fn);
  for (
    const [arg, ok, want, got] of [
      ["epsilon", epsilon >= 0, ">= 0", epsilon],
      ["fraction", fraction >= 0 && fraction <= 1, "in [0, 1]", fraction],
      ["lossWeight", lambda > 0, "> 0", lambda],
    ] as const
  ) {
    if (!ok) {
      throw new RangeError(`Cannot run ${fn}(): argument "${arg}" must be ${want}: got ${got}`);
    }
  }
  const { clipMin, clipMax } = options;
  if (clipMin !== undefined) checkFinite(clipMin, "clipMin", fn);
  if (clipMax !== undefined) checkFinite(clipMax, "clipMax", fn);
  const attack = options.attack ?? "fgsm";
  const craft = typeof attack === "function" ? attack : ({
    fgsm: (x: Tensor, y: Tensor) => fgsm(model, x, y, { epsilon, clipMin, clipMax }),
    pgd: (x: Tensor, y: Tensor) => pgd(model, x, y, { epsilon, clipMin, clipMax }),
  } as Record<string, (x: Tensor, y: Tensor) => Tensor>)[attack];
  if (!craft) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "attack" must be "fgsm", "pgd" or a function (x, y) => xAdv: got ${
        fmtValue(attack)
      }`,
    );
  }
  return (xs, ys) => {
    const compiled = model.compiled;
    if (!compiled) {
      throw new TypeError(`Cannot run ${fn}(): the model must be compiled first`);
    }
    if (xs.length !== 1 || ys.length !== 1) {
      throw new TypeError(
        `Cannot run ${fn}(): the step needs one input tensor and one target tensor (labels for the attack and the loss): got ${xs.length} and ${ys.length}`,
      );
    }
    const [x] = xs, [y] = ys;
    const m = x.shape[0], k = Math.round(fraction * m);
    const mixed = k === 0 ? x : concat(
      [craft(sliceRows(x, 0, k), sliceRows(y, 0, k)), ...(k < m ? [sliceRows(x, k, m - k)] : [])],
      0,
    );
    return compiledStep(
      model,
      compiled,
      [mixed],
      [y],
      (loss, yt, out) => weightedLoss(loss, yt, out, k, lambda),
    );
  };
}
