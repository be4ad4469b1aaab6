/**
 * `fit()`: epochs of seeded shuffled mini-batches, validation, callbacks, and one summary line
 * per epoch.
 *
 * @module
 */
import { checkOptions, checkPositiveInt } from "../_check.ts";
import { generator } from "../random.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import type { Callback, Logs, TrainingParams } from "./callbacks.ts";
import { checkXY, evaluate } from "./evaluate.ts";
import { epochLine } from "./progress.ts";
import { EpochRows, sliceRows } from "./batches.ts";
import type { LayersModel } from "./layers_model.ts";
import type { Sequential } from "./sequential.ts";
import { readLogs } from "./step.ts";

/** Options of `fit()`. */
export interface FitOptions {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** Reshuffle the samples every epoch, from the global seeded generator (default true). */
  shuffle?: boolean;
  /** Fraction of samples, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  /**
   * Held-out `[x, y]` (takes precedence over `validationSplit`), each in the form `fit` takes
   * them.
   */
  validationData?: [
    Tensor | Tensor[] | Record<string, Tensor>,
    Tensor | Tensor[] | Record<string, Tensor>,
  ];
  /** Callbacks, e.g. `dn.callbacks.earlyStopping(...)` or objects with `onEpochEnd` etc. */
  callbacks?: Callback | Callback[];
  /**
   * 0 silent; 1 (default) and 2 one summary line per epoch. For a live bar with an ETA pass
   * `progressBar()` of `@dendrite/dendrite/progress` as a callback, with `verbose: 0`.
   */
  verbose?: 0 | 1 | 2;
}

/** Losses and metrics per epoch, as Keras's `History`. */
export interface History {
  /** Epoch indices run. */
  epoch: number[];
  /** `loss`, metric names, and `val_` versions: one value per epoch. */
  history: Record<string, number[]>;
  /** What the `fit()` call ran: epochs asked for, batches per epoch, training samples. */
  params: TrainingParams;
}

const FIT_OPTIONS = [
  "epochs",
  "batchSize",
  "shuffle",
  "validationSplit",
  "validationData",
  "callbacks",
  "verbose",
];

function fitOptions(
  options: FitOptions,
  fn: string,
): Required<Pick<FitOptions, "epochs" | "verbose">> {
  checkOptions(options, FIT_OPTIONS, fn);
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "epochs" must be a non-negative integer: got ${epochs}`,
    );
  }
  const split = options.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "validationSplit" must be in [0, 1): got ${split}`,
    );
  }
  const verbose = options.verbose ?? 1;
  if (![0, 1, 2].includes(verbose)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "verbose" must be 0, 1 or 2: got ${verbose}`,
    );
  }
  return { epochs, verbose };
}

/**
 * Warns that training produced a non-finite loss at `where` (once per `fit()` call; the caller
 * keeps the flag): the weights are then most likely non-finite too, and every later batch of
 * the call would only repeat it.
 */
export function warnNonFinite(fn: string, loss: number, where: string): void {
  console.warn(
    `${fn}(): the loss is ${loss} at ${where}; the weights are most likely no longer finite and metrics are reported as NaN while the loss is NaN: lower the learning rate or check the data for NaN/Infinity, and pass dn.callbacks.terminateOnNaN() to stop at the first such batch`,
  );
}

/**
 * Trains `model` on `x`, `y` (one tensor per input and per output; `validation` likewise); see
 * `Sequential.fit`.
 */
export async function fit(
  model: LayersModel,
  x: Tensor[],
  y: Tensor[],
  options: FitOptions,
  validationData: [Tensor[], Tensor[]] | null,
): Promise<History> {
  const fn = "fit";
  const compiled = model.compiled;
  checkXY(x, y, fn);
  const { epochs, verbose } = fitOptions(options, fn);
  const batchSize = checkPositiveInt(options.batchSize ?? 32, "batchSize", fn);
  const callbacks = options.callbacks === undefined ? [] : [options.callbacks].flat();
  const total = x[0].shape[0];
  let trainCount = total;
  let validation = validationData;
  const owned: Tensor[] = [];
  if (validation) checkXY(validation[0], validation[1], fn);
  else if (options.validationSplit) {
    // Keras's and TensorFlow.js's split point, so the same samples are held out.
    trainCount = Math.floor(total * (1 - options.validationSplit));
    if (trainCount < 1 || trainCount === total) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "validationSplit" must leave at least one training and one validation sample: got ${options.validationSplit} of ${total} samples`,
      );
    }
    validation = [
      x.map((t) => sliceRows(t, trainCount, total - trainCount)),
      y.map((t) => sliceRows(t, trainCount, total - trainCount)),
    ];
    owned.push(...validation.flat());
  }
  // Validation runs the compiled loss and metrics (evaluate() says when there are none).
  const names = ["loss", ...compiled?.metricNames ?? []];
  const params = { epochs, batches: Math.ceil(trainCount / batchSize), samples: trainCount };
  const history: History = { epoch: [], history: {}, params };
  const order = Uint32Array.from({ length: trainCount }, (_, i) => i);
  const rng = generator();
  model.stopTraining = false;
  let warned = false;
  for (const cb of callbacks) {
    cb.setModel?.(model as Sequential); // callbacks use only what every LayersModel has
    cb.setParams?.({ ...params });
  }
  try {
    for (const cb of callbacks) await cb.onTrainBegin?.({});
    for (let epoch = 0; epoch < epochs && !model.stopTraining; epoch++) {
      for (const cb of callbacks) await cb.onEpochBegin?.(epoch, {});
      if (options.shuffle ?? true) {
        for (let i = trainCount - 1; i > 0; i--) {
          const j = rng.nextUint32() % (i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
      }
      using rows = new EpochRows(order);
      const batches = Math.ceil(trainCount / batchSize);
      const sums = new Map<string, number>();
      const started = performance.now();
      let seen = 0;
      for (let b = 0; b < batches && !model.stopTraining; b++) {
        const start = b * batchSize, count = Math.min(batchSize, trainCount - start);
        const r = await readLogs(
          tidy(() =>
            model.trainStep(
              x.map((t) => rows.gather(t, start, count)),
              y.map((t) => rows.gather(t, start, count)),
            )
          ),
          fn,
        );
        for (const [k, v] of Object.entries(r)) sums.set(k, (sums.get(k) ?? 0) + v * count);
        seen += count;
        if ("loss" in r && !Number.isFinite(r.loss) && !warned) {
          warned = true;
          warnNonFinite(fn, r.loss, `epoch ${epoch}, batch ${b}`);
        }
        const logs: Logs = { batch: b, size: count, ...r };
        for (const cb of callbacks) await cb.onBatchEnd?.(b, logs);
      }
      if (seen === 0) break; // stopped by onEpochBegin: no batch ran, nothing to log
      const logs: Logs = Object.fromEntries([...sums].map(([n, v]) => [n, v / seen]));
      if (validation) {
        (await evaluate(model, validation[0], validation[1], batchSize)).forEach((
          v,
          i,
        ) => (logs[`val_${names[i]}`] = v));
      }
      const seconds = (performance.now() - started) / 1000;
      if (verbose) epochLine(epoch, epochs, logs, seconds);
      for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs);
      // Recorded after the callbacks, as Keras's History (the last callback): what they log
      // (reduceLROnPlateau's `learning_rate`) is kept too.
      history.epoch.push(epoch);
      for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
    }
    for (const cb of callbacks) await cb.onTrainEnd?.({});
  } finally {
    for (const t of owned) t.dispose();
  }
  return history;
}
