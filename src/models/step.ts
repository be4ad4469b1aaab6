/**
 * One training step and one evaluation pass over a batch: forward, loss (+ L2 penalties),
 * metrics, and for training the backward pass and the optimizer update. A step returns its loss
 * and metrics packed in one small tensor, read with one `await t.data()` by `readBatch()`: on
 * WebGPU that is one readback per batch, and no backend needs a synchronous read.
 *
 * @module
 */
import { gradients, withoutRecording } from "../autograd/tape.ts";
import { activeBackend } from "../backend/select.ts";
import { output } from "../ops/_output.ts";
import { activationFn } from "../layers/activations.ts";
import { add, mul } from "../ops/arithmetic.ts";
import { fill } from "../ops/creation.ts";
import { sum } from "../ops/reduce.ts";
import { square } from "../ops/unary.ts";
import { keep, tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import type { Compiled } from "./compile.ts";
import type { Sequential } from "./sequential.ts";

/** Loss and metric values of one batch. */
export interface BatchResult {
  loss: number;
  metrics: number[];
}

/** `[first[0], ...rest]`: scalars copied into one new tensor of the current scope. */
function packScalars(first: Tensor, rest: readonly Tensor[]): Tensor {
  const out = output([1 + rest.length]);
  const backend = activeBackend();
  [first, ...rest].forEach((t, i) => backend.copy(t.storage, 0, out.storage, i, 1));
  return out;
}

/**
 * Forward pass, loss and metrics; the metric scalars are computed without recording and pushed on
 * `metrics` (kept out of every scope: the caller disposes them).
 */
function lossAndMetrics(
  model: Sequential,
  compiled: Compiled,
  x: Tensor,
  y: Tensor,
  training: boolean,
  metrics: Tensor[],
): Tensor {
  const fused = compiled.fromLogits;
  const out = model.forward(x, training, fused !== null);
  let loss = fused ? fused.loss(y, out) : compiled.loss(y, out);
  withoutRecording(() =>
    tidy(() => {
      const probs = fused ? activationFn(fused.activation)(out) : out;
      for (const m of compiled.metrics) metrics.push(keep(m(y, probs)));
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

/** `[loss, ...metrics]` of a batch as one tensor (disposed by `readBatch`); frees the metrics. */
function packResult(loss: Tensor, metrics: Tensor[]): Tensor {
  const packed = packScalars(loss, metrics);
  for (const m of metrics) m.dispose();
  return packed;
}

/**
 * Reads and disposes a tensor made by `trainStep` or `evalStep`. A NaN loss makes every metric
 * NaN: predictions that gave it are NaN too, and an accuracy counted over them (NaN compares
 * unequal to every label) would be a number that means nothing.
 */
export async function readBatch(packed: Tensor): Promise<BatchResult> {
  const values = await packed.data();
  packed.dispose();
  const metrics = Array.from(values.subarray(1));
  return { loss: values[0], metrics: Number.isNaN(values[0]) ? metrics.map(() => NaN) : metrics };
}

/**
 * One optimizer step on a batch; returns its `[loss, ...metrics]` (before the update) as one
 * tensor in the current scope, for `readBatch`.
 */
export function trainStep(
  model: Sequential,
  compiled: Compiled,
  x: Tensor,
  y: Tensor,
): Tensor {
  const weights = model.trainableWeights;
  const metrics: Tensor[] = [];
  const { value, grads } = gradients(
    () => lossAndMetrics(model, compiled, x, y, true, metrics),
    weights,
    undefined,
    "fit",
    { fill, add },
  );
  compiled.optimizer.applyGradients(weights, grads);
  const packed = packResult(value, metrics);
  value.dispose();
  for (const g of grads) g.dispose();
  return packed;
}

/** `[loss, ...metrics]` of a batch in inference mode, as one tensor for `readBatch`. */
export function evalStep(model: Sequential, compiled: Compiled, x: Tensor, y: Tensor): Tensor {
  const metrics: Tensor[] = [];
  return tidy(() => packResult(lossAndMetrics(model, compiled, x, y, false, metrics), metrics));
}
