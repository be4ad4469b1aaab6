/**
 * One training step and one evaluation pass over a batch: forward, loss (+ L2 penalties),
 * metrics, and for training the backward pass and the optimizer update.
 *
 * @module
 */
import { gradients, withoutRecording } from "../autograd/tape.ts";
import { activationFn } from "../layers/activations.ts";
import { add, mul } from "../ops/arithmetic.ts";
import { fill } from "../ops/creation.ts";
import { sum } from "../ops/reduce.ts";
import { square } from "../ops/unary.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import type { Compiled } from "./compile.ts";
import type { Sequential } from "./sequential.ts";

/** Loss and metric values of one batch. */
export interface BatchResult {
  loss: number;
  metrics: number[];
}

/** Forward pass, loss and metrics; metrics are read without recording. */
function lossAndMetrics(
  model: Sequential,
  compiled: Compiled,
  x: Tensor,
  y: Tensor,
  training: boolean,
  metrics: number[],
): Tensor {
  const fused = compiled.fromLogits;
  const out = model.forward(x, training, fused !== null);
  let loss = fused ? fused.loss(y, out) : compiled.loss(y, out);
  withoutRecording(() =>
    tidy(() => {
      const probs = fused ? activationFn(fused.activation)(out) : out;
      for (const m of compiled.metrics) metrics.push(m(y, probs).dataSync()[0]);
    })
  );
  if (training) {
    for (const layer of model.layers) {
      for (const w of layer.weights) {
        if (w.l2 > 0) loss = add(loss, mul(sum(square(w.value)), w.l2));
      }
    }
  }
  return loss;
}

/** One optimizer step on a batch; returns its loss and metrics (before the update). */
export function trainStep(
  model: Sequential,
  compiled: Compiled,
  x: Tensor,
  y: Tensor,
): BatchResult {
  const weights = model.trainableWeights;
  const metrics: number[] = [];
  const { value, grads } = gradients(
    () => lossAndMetrics(model, compiled, x, y, true, metrics),
    weights,
    undefined,
    "fit",
    { fill, add },
  );
  compiled.optimizer.applyGradients(weights, grads);
  const loss = value.dataSync()[0];
  value.dispose();
  for (const g of grads) g.dispose();
  return { loss, metrics };
}

/** Loss and metrics of a batch in inference mode. */
export function evalStep(model: Sequential, compiled: Compiled, x: Tensor, y: Tensor): BatchResult {
  const metrics: number[] = [];
  const loss = tidy(() => lossAndMetrics(model, compiled, x, y, false, metrics).dataSync()[0]);
  return { loss, metrics };
}
