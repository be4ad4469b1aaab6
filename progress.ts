/**
 * A terminal progress bar for `fit()`, behind the subpath export `@dendrite/dendrite/progress`:
 * it draws with the npm package `progress`, which the core module graph (`mod.ts`) leaves out.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import { progressBar } from "@dendrite/dendrite/progress";
 * const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: dn.optimizers.sgd({ learningRate: 0.1 }), loss: "meanSquaredError" });
 * await model.fit(dn.ones([8, 2]), dn.ones([8, 1]), { epochs: 2, verbose: 0, callbacks: [progressBar()] });
 * ```
 *
 * @module
 */
import ProgressBar from "npm:progress@2.0.3";
import process from "node:process";
import type { Callback, Logs, TrainingParams } from "./mod.ts";
import { epochLine, fmtLogs } from "./src/models/progress.ts";

/** Options of {@linkcode progressBar}. */
export interface ProgressBarOptions {
  /** Width of the bar in characters (default 24). */
  width?: number;
}

/**
 * A `fit()` callback that draws a bar with the running loss, metrics and an ETA while an epoch
 * runs on a terminal, then leaves one summary line per epoch (only the lines elsewhere). Pass
 * `verbose: 0` to `fit()` so that its own summary lines are not printed twice.
 *
 * @param options `width` of the bar (default 24).
 * @returns The callback.
 * @throws {TypeError} For an option key other than `width`.
 * @throws {RangeError} When `width` is not a positive integer.
 */
export function progressBar(options: ProgressBarOptions = {}): Callback {
  for (const key of Object.keys(options)) {
    if (key !== "width") {
      throw new TypeError(
        `Cannot run progressBar(): argument "options" has no key "${key}": expected only "width"`,
      );
    }
  }
  const width = options.width ?? 24;
  if (!Number.isInteger(width) || width < 1) {
    throw new RangeError(
      `Cannot run progressBar(): argument "width" must be a positive integer: got ${width}`,
    );
  }
  let params: TrainingParams = { epochs: 1, batches: 1, samples: 0 };
  let bar: ProgressBar | null = null;
  let started = 0, seen = 0;
  let sums: Record<string, number> = {};
  return {
    setParams(p: TrainingParams) {
      params = p;
    },
    onEpochBegin(epoch: number) {
      started = performance.now();
      seen = 0;
      sums = {};
      if (!Deno.stdout.isTerminal()) return;
      bar = new ProgressBar(
        `Epoch ${epoch + 1}/${params.epochs} [:bar] :current/:total ETA :etas :logs`,
        { total: params.batches, width, stream: process.stdout, clear: true },
      );
    },
    onBatchEnd(_batch: number, logs: Logs) {
      const size = logs.size ?? 1;
      seen += size;
      for (const [k, v] of Object.entries(logs)) {
        if (k !== "batch" && k !== "size") sums[k] = (sums[k] ?? 0) + v * size;
      }
      const means = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / seen]));
      bar?.tick({ logs: fmtLogs(means) });
    },
    onEpochEnd(epoch: number, logs: Logs) {
      bar?.terminate();
      bar = null;
      epochLine(epoch, params.epochs, logs, (performance.now() - started) / 1000);
    },
  };
}
