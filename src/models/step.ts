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
import { abs, square } from "../ops/unary.ts";
import { applyConstraints } from "../layers/constraints.ts";
import { collectActivityLosses } from "../layers/activity.ts";
import { keep, tidy } from "../scope.ts";
import { fmtValue } from "../_check.ts";
import { Tensor } from "../tensor.ts";
import type { Compiled, LossOrMetricFn } from "./compile.ts";
import type { LayersModel } from "./layers_model.ts";

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
 * How a training step applies an output's loss (from logits where compile fused it) to the
 * batch: `loss(y, out)` by default; adversarial training weighs parts of the batch.
 */
export type BatchLoss = (loss: LossOrMetricFn, y: Tensor, out: Tensor) => Tensor;

/**
 * Forward pass, loss (the sum over the outputs) and metrics; the metric scalars (with a model of
 * several outputs, each output's loss first) are computed without recording and pushed on
 * `metrics` (kept out of every scope: the caller disposes them).
 */
function lossAndMetrics(
  model: LayersModel,
  compiled: Compiled,
  xs: Tensor[],
  ys: Tensor[],
  training: boolean,
  metrics: Tensor[],
  batchLoss: BatchLoss = (loss, y, out) => loss(y, out),
): Tensor {
  const heads = compiled.heads;
  const forward = () => model.forwardAll(xs, training, heads.map((h) => h.fromLogits !== null));
  const { value: outs, losses: activity } = training
    ? collectActivityLosses(forward)
    : { value: forward(), losses: [] };
  const parts = heads.map((h, i) => batchLoss(h.fromLogits?.loss ?? h.loss, ys[i], outs[i]));
  let loss = [...parts, ...activity].reduce((a, b) => add(a, b));
  withoutRecording(() =>
    tidy(() => {
      if (heads.length > 1) { for (const part of parts) metrics.push(keep(add(part, 0))); }
      heads.forEach((h, i) => {
        const probs = h.fromLogits ? activationFn(h.fromLogits.activation)(outs[i]) : outs[i];
        for (const m of h.metrics) metrics.push(keep(m(ys[i], probs)));
      });
    })
  );
  if (training) {
    for (const layer of model.layers) {
      for (const w of layer.weights) {
        if (w.l2 > 0) loss = add(loss, mul(sum(square(w.value)), w.l2));
        if (w.l1) loss = add(loss, mul(sum(abs(w.value)), w.l1));
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

/** What a training step reports: scalar tensors (or numbers) by log name, `loss` first. */
export type StepLogs = Record<string, Tensor | number>;

/**
 * Reads a training step's logs: its scalar tensors copied into one tensor and read with one
 * `await data()` (one readback per batch on WebGPU); the step's tensors are disposed. A NaN
 * `loss` makes every other value NaN (see `readBatch`).
 */
export async function readLogs(logs: StepLogs, fn: string): Promise<Record<string, number>> {
  if (logs === null || typeof logs !== "object") {
    throw new TypeError(
      `Cannot run ${fn}(): trainStep must return an object of scalar tensors or numbers: got ${
        fmtValue(logs)
      }`,
    );
  }
  const entries = Object.entries(logs);
  const tensors: Tensor[] = [];
  for (const [name, v] of entries) {
    if (v instanceof Tensor && v.size === 1 && v.dtype === "float32" && !v.isDisposed) {
      tensors.push(v);
    } else if (typeof v !== "number") {
      throw new TypeError(
        `Cannot run ${fn}(): trainStep's "${name}" must be a float32 scalar tensor or a number: got ${
          fmtValue(v)
        }`,
      );
    }
  }
  const packed = tensors.length ? packScalars(tensors[0], tensors.slice(1)) : null;
  for (const t of tensors) t.dispose();
  const read = packed ? await packed.data() : new Float32Array(0);
  packed?.dispose();
  let at = 0;
  const out: Record<string, number> = Object.fromEntries(
    entries.map(([name, v]) => [name, typeof v === "number" ? v : read[at++]]),
  );
  if (Number.isNaN(out.loss)) { for (const name of Object.keys(out)) out[name] = NaN; }
  return out;
}

/**
 * One optimizer step on a batch (the default `model.trainStep`); returns its loss and metrics
 * (before the update) as scalar tensors by log name, for `readLogs`. `batchLoss` says how each
 * output's loss applies to the batch (default: over the whole batch).
 */
export function trainStep(
  model: LayersModel,
  compiled: Compiled,
  xs: Tensor[],
  ys: Tensor[],
  batchLoss?: BatchLoss,
): Record<string, Tensor> {
  const weights = model.trainableWeights;
  const metrics: Tensor[] = [];
  const { value, grads } = gradients(
    () => lossAndMetrics(model, compiled, xs, ys, true, metrics, batchLoss),
    weights,
    undefined,
    "fit",
    { fill, add },
  );
  compiled.optimizer.applyGradients(weights, grads);
  const updated = new Set(weights); // a frozen weight is not projected either
  applyConstraints([{ weights: model.weights.filter((w) => updated.has(w.value)) }]);
  for (const g of grads) g.dispose();
  const logs: Record<string, Tensor> = { loss: value };
  compiled.metricNames.forEach((name, i) => (logs[name] = metrics[i]));
  return logs;
}

/** `[loss, ...metrics]` of a batch in inference mode, as one tensor for `readBatch`. */
export function evalStep(
  model: LayersModel,
  compiled: Compiled,
  xs: Tensor[],
  ys: Tensor[],
): Tensor {
  const metrics: Tensor[] = [];
  return tidy(() => packResult(lossAndMetrics(model, compiled, xs, ys, false, metrics), metrics));
}
