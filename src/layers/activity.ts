/**
 * Activity regularisation (Keras `activity_regularizer`): during a training step, a layer with
 * one adds `(l1 · Σ|y| + l2 · Σy²) / batch` of its output `y` to the loss (Keras divides by the
 * batch size, so the penalty does not grow with it). Layers report their outputs with
 * `addActivityLoss`; the training step collects the penalties with `collectActivityLosses`
 * (outside a training step nothing is collected or computed).
 *
 * @module
 */
import { add, mul } from "../ops/arithmetic.ts";
import { sum } from "../ops/reduce.ts";
import { abs, square } from "../ops/unary.ts";
import type { Tensor } from "../tensor.ts";
import type { Regularizer } from "./regularizers.ts";

let sink: Tensor[] | null = null;

/**
 * Adds the penalty of `output` (or of what `output()` computes, only when collected) under
 * `regularizer` to the running training step, if any.
 */
export function addActivityLoss(output: Tensor | (() => Tensor), regularizer: Regularizer): void {
  if (sink === null || (regularizer.l1 === 0 && regularizer.l2 === 0)) return;
  if (typeof output === "function") output = output();
  const batch = output.rank > 0 ? output.shape[0] : 1;
  const terms: Tensor[] = [];
  if (regularizer.l1) terms.push(mul(sum(abs(output)), regularizer.l1 / batch));
  if (regularizer.l2) terms.push(mul(sum(square(output)), regularizer.l2 / batch));
  sink.push(terms.length === 2 ? add(terms[0], terms[1]) : terms[0]);
}

/** Runs `fn` (a training forward pass) and returns its value with the penalties its layers added. */
export function collectActivityLosses<T>(fn: () => T): { value: T; losses: Tensor[] } {
  const saved = sink;
  const losses: Tensor[] = [];
  sink = losses;
  try {
    return { value: fn(), losses };
  } finally {
    sink = saved;
  }
}
