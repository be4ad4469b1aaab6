/**
 * `evaluate()`: loss and metrics over a dataset, batch by batch, averaged over samples.
 *
 * @module
 */
import { checkPositiveInt, checkTensor, fmtShape } from "../_check.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import type { Compiled } from "./compile.ts";
import { evalStep, readBatch } from "./step.ts";
import { sliceRows } from "./batches.ts";
import type { LayersModel } from "./layers_model.ts";

/**
 * Checks that `x` and `y` are tensors with the same, non-zero number of samples; with lists (a
 * model of several inputs or outputs), every tensor of both.
 */
export function checkXY(x: Tensor | Tensor[], y: Tensor | Tensor[], fn: string): void {
  if (Array.isArray(x) || Array.isArray(y)) {
    const xs = [x].flat(), ys = [y].flat();
    xs.forEach((t, i) => checkTensor(t, xs.length > 1 ? `x[${i}]` : "x", fn, ["float32", "int32"]));
    ys.forEach((t, i) => checkTensor(t, ys.length > 1 ? `y[${i}]` : "y", fn));
    for (const t of [...xs, ...ys]) checkXY(xs[0], t, fn);
    return;
  }
  checkTensor(x, "x", fn);
  checkTensor(y, "y", fn);
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new RangeError(
      `Cannot run ${fn}(): "x" ${fmtShape(x.shape)} and "y" ${
        fmtShape(y.shape)
      } must have the same number of samples (first dimension)`,
    );
  }
  if (x.shape[0] === 0) {
    throw new RangeError(
      `Cannot run ${fn}(): "x" and "y" must hold at least one sample: got ${fmtShape(x.shape)}`,
    );
  }
}

/**
 * `[loss, ...metrics]` over all samples of `x`, `y` (read with `await`, so any backend works).
 * Invalid arguments throw synchronously, before the promise exists.
 */
export function evaluate(
  model: LayersModel,
  x: Tensor[],
  y: Tensor[],
  batchSize: number,
): Promise<number[]> {
  const fn = "evaluate";
  const compiled = model.compiled;
  if (!compiled) throw new TypeError(`Cannot run ${fn}(): the model must be compiled first`);
  checkXY(x, y, fn);
  return evaluateBatches(model, compiled, x, y, checkPositiveInt(batchSize, "batchSize", fn));
}

async function evaluateBatches(
  model: LayersModel,
  compiled: Compiled,
  x: Tensor[],
  y: Tensor[],
  batch: number,
): Promise<number[]> {
  const n = x[0].shape[0];
  const totals = new Array<number>(1 + compiled.metricNames.length).fill(0);
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    const r = await readBatch(
      tidy(() =>
        evalStep(
          model,
          compiled,
          x.map((t) => sliceRows(t, start, count)),
          y.map((t) => sliceRows(t, start, count)),
        )
      ),
    );
    [r.loss, ...r.metrics].forEach((v, i) => (totals[i] += v * count));
  }
  return totals.map((t) => t / n);
}
