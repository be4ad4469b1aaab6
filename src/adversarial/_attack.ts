/**
 * What the attacks share: the options every attack takes, the loss an attack climbs (the model's
 * compiled loss, from logits where compile fused it, or a loss given by name or function), and
 * the gradient of that loss with respect to the input alone. Only the input is watched on the
 * tape, so every backward function is told that no weight needs a gradient (`needs` in
 * `src/autograd/tape.ts`) and computes none: a conv2d runs its data backward, never its filter
 * backward; a dense layer one GEMM for dX, none for dW or the bias.
 *
 * @module
 */
import {
  checkFinite,
  checkOptions,
  checkPositiveInt,
  checkTensor,
  fmtShape,
  fmtValue,
} from "../_check.ts";
import { gradients } from "../autograd/tape.ts";
import { resolveLoss } from "../losses/get_loss.ts";
import type { LossFunction } from "../losses/types.ts";
import { LayersModel } from "../models/layers_model.ts";
import { add } from "../ops/arithmetic.ts";
import { clipByValue } from "../ops/clip.ts";
import { concat } from "../ops/concat.ts";
import { fill } from "../ops/creation.ts";
import { sliceRows } from "../models/batches.ts";
import { keep, tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";

/** A model an attack can differentiate: a Sequential or functional model, or a function of x. */
export type AttackModel = LayersModel | ((x: Tensor) => Tensor);

/** Options every attack takes. */
export interface AttackOptions {
  /** The largest change of any input value (the L∞ radius), `>= 0`. */
  epsilon: number;
  /**
   * Whether `y` holds target labels to move towards (the loss is descended) rather than the true
   * labels to move away from (the loss is climbed; default false).
   */
  targeted?: boolean;
  /**
   * The loss to differentiate, a Keras loss name or a function `(yTrue, yPred) => scalar` of the
   * model's output. Default: the model's compiled loss (from the logits where `compile` fused the
   * final softmax or sigmoid into the cross-entropy, so a confident prediction still has a
   * gradient). Required for a model given as a function.
   */
  loss?: string | LossFunction;
  /** Smallest valid input value (default: none); adversarial inputs are clipped to it. */
  clipMin?: number;
  /** Largest valid input value (default: none); adversarial inputs are clipped to it. */
  clipMax?: number;
  /** Samples per gradient pass (default 32), as `predict`'s `batchSize`. */
  batchSize?: number;
}

/** The option names of `AttackOptions`. */
export const ATTACK_OPTIONS = ["epsilon", "targeted", "loss", "clipMin", "clipMax", "batchSize"];

/** An attack's checked options, with the gradient of its loss with respect to a batch of inputs. */
export interface Attack {
  epsilon: number;
  /** +1 to climb the loss (untargeted), -1 to descend it (targeted). */
  direction: 1 | -1;
  batchSize: number;
  /** ∇ₓ loss(y, model(x)) for one batch, no weight gradient computed. */
  inputGradient: (x: Tensor, y: Tensor) => Tensor;
  /** `x` clipped to `[clipMin, clipMax]` (a new tensor). */
  clip: (x: Tensor) => Tensor;
}

/** Checks an attack's arguments and resolves its loss; `known` lists the attack's option names. */
export function attack(
  model: AttackModel,
  x: Tensor,
  y: Tensor,
  options: AttackOptions,
  known: readonly string[],
  fn: string,
): Attack {
  checkTensor(x, "x", fn);
  checkTensor(y, "y", fn);
  if (options === undefined) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "options" must give "epsilon": got undefined`,
    );
  }
  checkOptions(options, known, fn);
  const epsilon = checkFinite(options.epsilon, "epsilon", fn);
  if (epsilon < 0) {
    throw new RangeError(`Cannot run ${fn}(): argument "epsilon" must be >= 0: got ${epsilon}`);
  }
  const targeted = options.targeted ?? false;
  if (typeof targeted !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "targeted" must be a boolean: got ${fmtValue(targeted)}`,
    );
  }
  const clipMin = options.clipMin === undefined
    ? -Infinity
    : checkFinite(options.clipMin, "clipMin", fn);
  const clipMax = options.clipMax === undefined
    ? Infinity
    : checkFinite(options.clipMax, "clipMax", fn);
  if (clipMin > clipMax) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "clipMin" must not exceed "clipMax": got ${clipMin} and ${clipMax}`,
    );
  }
  const batchSize = checkPositiveInt(options.batchSize ?? 32, "batchSize", fn);
  if (x.rank < 1 || y.rank < 1 || y.shape[0] !== x.shape[0]) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "y" must hold one label row per sample of "x" (${
        x.shape[0] ?? "none"
      }): got shape ${fmtShape(y.shape)}`,
    );
  }
  const { forward, loss, name } = attackLoss(model, x, options.loss, fn);
  const lossOf = (xb: Tensor, yb: Tensor): Tensor => {
    const pred = forward(xb);
    checkLabels(yb, pred, name, fn);
    const value = loss(yb, pred);
    if (value.size !== 1 || value.dtype !== "float32") {
      throw new TypeError(
        `Cannot run ${fn}(): the loss must return a float32 scalar: got ${fmtValue(value)}`,
      );
    }
    return value;
  };
  const inputGradient = (xb: Tensor, yb: Tensor): Tensor => {
    const { value, grads } = gradients(() => lossOf(xb, yb), [xb], undefined, fn, { fill, add });
    value.dispose();
    return grads[0];
  };
  const clip = (t: Tensor) => clipByValue(t, clipMin, clipMax);
  return {
    epsilon,
    direction: targeted ? -1 : 1,
    batchSize,
    inputGradient,
    clip,
  };
}

/** The forward function and loss of an attack, and the loss's name when it has one. */
function attackLoss(
  model: AttackModel,
  x: Tensor,
  given: string | LossFunction | undefined,
  fn: string,
): { forward: (x: Tensor) => Tensor; loss: LossFunction; name: string | null } {
  const name = typeof given === "string" ? given : null;
  const lossGiven = given === undefined ? null : resolveLoss(given, "loss", fn);
  if (typeof model === "function") {
    if (!lossGiven) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "loss" must be given for a model given as a function: it has no compiled loss to differentiate`,
      );
    }
    return { forward: model, loss: lossGiven, name };
  }
  if (!(model instanceof LayersModel)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "model" must be a model (dn.sequential, dn.model) or a function of x: got ${
        fmtValue(model)
      }`,
    );
  }
  const sample = model.inputShapes;
  if (sample.length !== 1 || model.outputNames.length !== 1) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "model" must have one input and one output: got ${sample.length} and ${model.outputNames.length}`,
    );
  }
  if (x.shape.slice(1).join() !== sample[0].join() || x.rank !== sample[0].length + 1) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "x" must have shape [batch, ${sample[0].join(", ")}]: got ${
        fmtShape(x.shape)
      }`,
    );
  }
  if (lossGiven) {
    return { forward: (xb) => model.forwardAll([xb], false)[0], loss: lossGiven, name };
  }
  const head = model.compiled?.heads[0];
  if (!head) {
    throw new TypeError(
      `Cannot run ${fn}(): the model must be compiled with a loss, or argument "loss" given: there is no loss to differentiate`,
    );
  }
  const logits = head.fromLogits !== null;
  return {
    forward: (xb) => model.forwardAll([xb], false, [logits])[0],
    loss: head.fromLogits?.loss ?? head.loss,
    name: head.lossName,
  };
}

/** For a loss known by name: sparse labels are `[n]` or `[n, 1]`, others the prediction's shape. */
function checkLabels(y: Tensor, pred: Tensor, name: string | null, fn: string): void {
  if (name === null) return;
  const sparse = /sparse/i.test(name);
  const ok = sparse
    ? y.rank === 1 || (y.rank === 2 && y.shape[1] === 1)
    : y.shape.join() === pred.shape.join();
  if (!ok) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "y" must have shape ${
        sparse ? `[${pred.shape[0]}]` : fmtShape(pred.shape)
      } (the labels of loss "${name}" for the model's output ${fmtShape(pred.shape)}): got ${
        fmtShape(y.shape)
      }`,
    );
  }
}

/**
 * Runs `step(xb, yb)` (a new tensor of the shape of `xb`) on `batchSize` rows at a time and
 * joins the results; intermediates are freed batch by batch. An empty `x` gives an empty result.
 */
export function batched(
  x: Tensor,
  y: Tensor,
  batchSize: number,
  step: (xb: Tensor, yb: Tensor) => Tensor,
): Tensor {
  const n = x.shape[0];
  if (n === 0) return sliceRows(x, 0, 0); // no sample: no loss to differentiate
  if (n <= batchSize) return tidy(() => step(x, y));
  const parts: Tensor[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      parts.push(tidy(() => keep(step(sliceRows(x, start, count), sliceRows(y, start, count)))));
    }
    return concat(parts, 0);
  } finally {
    for (const p of parts) p.dispose();
  }
}
