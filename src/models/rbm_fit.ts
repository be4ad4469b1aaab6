/**
 * Training of an {@linkcode Rbm} by contrastive divergence: `fit()`'s epochs of shuffled
 * mini-batches with the callbacks of callbacks.ts, and the CD-k / persistent CD step of one batch,
 * whose update is the fused `rbmUpdate` primitive (assembly/rbm.ts).
 *
 * @module
 */
import { checkOptions, checkPositiveInt, fmtShape, fmtValue } from "../_check.ts";
import { fused } from "../backend/fused_defaults.ts";
import { activeBackend } from "../backend/select.ts";
import { generator } from "../random.ts";
import { mean } from "../ops/reduce.ts";
import { equal, greaterEqual, isFinite, lessEqual } from "../ops/compare.ts";
import { logicalAnd, logicalOr } from "../ops/logical.ts";
import { all } from "../ops/logical_reduce.ts";
import { mul, sub } from "../ops/arithmetic.ts";
import { zeros } from "../ops/creation.ts";
import { keep, tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { EpochRows, sliceRows } from "./batches.ts";
import type { Callback, Logs } from "./callbacks.ts";
import type { History } from "./fit.ts";
import { epochLine } from "./progress.ts";
import type { Rbm } from "./rbm.ts";
import { output } from "../ops/_output.ts";
import type { Sequential } from "./sequential.ts";

/**
 * Options of `Rbm.fit()`.
 *
 * One batch `v₀` runs, with `seed` drawn from the global generator (`setSeed`) and draw t using
 * the Bernoulli kernel seed `(seed + t) >>> 0`:
 *
 * ```
 * h₀ = sigmoid(v₀W + c)          hidden probabilities given the data
 * s₀ = bernoulli(h₀)             draw 0
 * r  = visible means given s₀    the reconstruction (the logged loss is mean((v₀ - r)²))
 * chain: s = s₀ (CD) or the persistent chain's states (PCD)
 * for t = 1 .. k:  v' = visible means given s (r itself at t = 1 in CD)
 *                  h' = sigmoid(v'W + c)
 *                  s  = bernoulli(h') (draw t), except at t = k in CD
 * update: rbmUpdate(v₀, h₀, v', h')  (gradient (v₀ᵀh₀ - v'ᵀh')/n, momentum, weight decay)
 * ```
 *
 * Hidden units driven by data or by the chain are sampled; the negative statistics use the
 * visible means and hidden probabilities, not samples (Hinton, "A practical guide to training
 * RBMs", sections 3.1-3.4), which lowers their variance. A persistent chain keeps `batchSize`
 * hidden states between batches and epochs (its first rows for a smaller last batch); it starts
 * from the first batch's draw.
 */
export interface RbmFitOptions {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Samples per update (default 32). */
  batchSize?: number;
  /** Step size of the update (default 0.1, as scikit-learn). */
  learningRate?: number;
  /** Gibbs steps of the negative phase, an integer >= 1 (default 1: CD-1). */
  k?: number;
  /** Persistent contrastive divergence (Tieleman 2008): the chain carries over (default false). */
  persistent?: boolean;
  /** Momentum of the update, in [0, 1) (default 0). */
  momentum?: number;
  /** L2 weight decay on the weights, not the biases (default 0). */
  weightDecay?: number;
  /** Shuffle the samples each epoch, with the global generator (default true). */
  shuffle?: boolean;
  /** Throw unless every value of `x` is exactly 0 or 1 (Bernoulli units; default false). */
  checkBinary?: boolean;
  /**
   * Callbacks (`dn.callbacks.earlyStopping({ monitor: "loss" })`, `progressBar()` of
   * `@dendrite/dendrite/progress`, ...): `loss` is logged per batch and per epoch.
   */
  callbacks?: Callback | Callback[];
  /** 0: silent, 1 or 2: one line per epoch (default 1). */
  verbose?: 0 | 1 | 2;
}

const FIT_KEYS = [
  "epochs",
  "batchSize",
  "learningRate",
  "k",
  "persistent",
  "momentum",
  "weightDecay",
  "shuffle",
  "checkBinary",
  "callbacks",
  "verbose",
];

/** The options one batch's update reads. */
interface StepConfig {
  learningRate: number;
  k: number;
  persistent: boolean;
  momentum: number;
  weightDecay: number;
}

function checkNumber(
  value: unknown,
  fallback: number,
  arg: string,
  fn: string,
  ok: (v: number) => boolean,
  expected: string,
): number {
  const v = value ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || !ok(v)) {
    throw new RangeError(
      `Cannot run ${fn}(): option "${arg}" must be ${expected}: got ${fmtValue(v)}`,
    );
  }
  return v;
}

function checkBool(value: unknown, arg: string, fn: string): boolean {
  if (value !== undefined && typeof value !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): option "${arg}" must be a boolean: got ${fmtValue(value)}`,
    );
  }
  return value === true;
}

function stepConfig(o: Record<string, unknown>, fn: string): StepConfig {
  return {
    learningRate: checkNumber(
      o.learningRate,
      0.1,
      "learningRate",
      fn,
      (v) => v >= 0,
      "a number >= 0",
    ),
    k: checkPositiveInt(o.k ?? 1, "k", fn),
    persistent: checkBool(o.persistent, "persistent", fn),
    momentum: checkNumber(o.momentum, 0, "momentum", fn, (v) => v >= 0 && v < 1, "in [0, 1)"),
    weightDecay: checkNumber(o.weightDecay, 0, "weightDecay", fn, (v) => v >= 0, "a number >= 0"),
  };
}

/**
 * Throws a RangeError when `x` holds a value that is not finite, outside [0, 1] (Bernoulli
 * units), or neither 0 nor 1 (`binary`). The test runs as ops on the backend (one pass each, split
 * across threads); only a failing `x` is read back, to name its first bad value.
 */
async function checkData(rbm: Rbm, x: Tensor, binary: boolean, fn: string): Promise<void> {
  const bernoulli = rbm.visibleType === "bernoulli";
  const ok = tidy(() => {
    let good = isFinite(x);
    if (bernoulli) good = logicalAnd(good, logicalAnd(greaterEqual(x, 0), lessEqual(x, 1)));
    if (binary) good = logicalAnd(good, logicalOr(equal(x, 0), equal(x, 1)));
    return all(good);
  });
  const fine = (await ok.data())[0] === 1;
  ok.dispose();
  if (fine) return;
  const data = await x.data() as Float32Array;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    const bad = !Number.isFinite(v)
      ? "finite"
      : binary && v !== 0 && v !== 1
      ? "0 or 1 (checkBinary)"
      : bernoulli && (v < 0 || v > 1)
      ? "in [0, 1] for Bernoulli visible units"
      : null;
    if (bad) {
      const row = Math.floor(i / rbm.visibleUnits), col = i % rbm.visibleUnits;
      throw new RangeError(
        `Cannot run ${fn}(): argument "x" must hold values ${bad}: got ${v} at [${row}, ${col}]`,
      );
    }
  }
}

/** The CD step of one batch `v0` (see {@linkcode RbmFitOptions}); returns its loss, a scalar. */
function cdStep(rbm: Rbm, v0: Tensor, c: StepConfig, seed: number): Tensor {
  const n = v0.shape[0];
  const state = rbm.trainingState;
  if (!state.velocity) {
    state.velocity = rbm.parameters.map((p) => keep(zeros(p.shape)));
  }
  const hPos = rbm.hiddenProbs(v0);
  const drawn = sampleBernoulli(hPos, seed);
  const recon = rbm.visibleMeans(drawn);
  let chain = drawn;
  if (c.persistent) {
    if (!state.chain || state.chain.shape[0] < n) {
      state.chain?.dispose();
      state.chain = keep(sliceRows(drawn, 0, n));
    }
    chain = state.chain.shape[0] === n ? state.chain : sliceRows(state.chain, 0, n);
  }
  let vNeg = recon, hNeg = hPos;
  for (let t = 1; t <= c.k; t++) {
    vNeg = t === 1 && !c.persistent ? recon : rbm.visibleMeans(chain);
    hNeg = rbm.hiddenProbs(vNeg);
    if (t < c.k || c.persistent) chain = sampleBernoulli(hNeg, (seed + t) >>> 0);
  }
  const be = activeBackend();
  if (c.persistent) be.copy(chain.storage, 0, state.chain!.storage, 0, chain.size);
  const [w, vBias, hBias] = rbm.parameters;
  const [wVel, vBiasVel, hBiasVel] = state.velocity;
  fused(be).rbmUpdate({
    vPos: v0.storage,
    hPos: hPos.storage,
    vNeg: vNeg.storage,
    hNeg: hNeg.storage,
    batch: n,
    visible: rbm.visibleUnits,
    hidden: rbm.hiddenUnits,
    w: w.storage,
    wVel: wVel.storage,
    vBias: vBias.storage,
    vBiasVel: vBiasVel.storage,
    hBias: hBias.storage,
    hBiasVel: hBiasVel.storage,
    lr: c.learningRate,
    momentum: c.momentum,
    weightDecay: c.weightDecay,
  });
  const d = sub(v0, recon);
  return mean(mul(d, d));
}

async function scalar(t: Tensor): Promise<number> {
  try {
    return (await t.data())[0];
  } finally {
    t.dispose();
  }
}

/** `Rbm.trainOnBatch()`: one checked CD step with the draws of `options.seed`. */
export async function trainBatch(
  rbm: Rbm,
  v: Tensor,
  options: Partial<StepConfig> & { seed?: number },
): Promise<number> {
  const fn = "Rbm.trainOnBatch";
  rbm.checkVisible(v, fn);
  const o = checkOptions(options, [
    "learningRate",
    "k",
    "persistent",
    "momentum",
    "weightDecay",
    "seed",
  ], fn);
  const c = stepConfig(o, fn);
  const seed = o.seed === undefined
    ? generator().nextUint32()
    : checkNumber(o.seed, 0, "seed", fn, (s) =>
      Number.isInteger(s) && s >= 0 && s < 2 ** 32, "a u32");
  if (v.shape[0] === 0) return NaN;
  return await scalar(tidy(() => cdStep(rbm, v, c, seed)));
}

/** `Rbm.fit()`. */
export async function fitRbm(rbm: Rbm, x: Tensor, options: RbmFitOptions): Promise<History> {
  const fn = "Rbm.fit";
  rbm.checkVisible(x, fn, "x");
  const o = checkOptions(options, FIT_KEYS, fn);
  const epochs = checkPositiveInt(o.epochs ?? 1, "epochs", fn);
  const batchSize = checkPositiveInt(o.batchSize ?? 32, "batchSize", fn);
  const c = stepConfig(o, fn);
  const shuffle = o.shuffle === undefined ? true : checkBool(o.shuffle, "shuffle", fn);
  const verbose = o.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) {
    throw new RangeError(
      `Cannot run ${fn}(): option "verbose" must be 0, 1 or 2: got ${fmtValue(verbose)}`,
    );
  }
  const callbacks = o.callbacks === undefined ? [] : [o.callbacks as Callback | Callback[]].flat();
  const total = x.shape[0];
  if (total === 0) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "x" must hold at least one sample: got ${fmtShape(x.shape)}`,
    );
  }
  await checkData(rbm, x, checkBool(o.checkBinary, "checkBinary", fn), fn);
  const batches = Math.ceil(total / batchSize);
  const params = { epochs, batches, samples: total };
  const history: History = { epoch: [], history: {}, params };
  const order = Uint32Array.from({ length: total }, (_, i) => i);
  const rng = generator();
  rbm.stopTraining = false;
  for (const cb of callbacks) {
    // Callbacks reach the model through stopTraining, getWeights and setWeights only.
    cb.setModel?.(rbm as unknown as Sequential);
    cb.setParams?.({ ...params });
  }
  for (const cb of callbacks) await cb.onTrainBegin?.({});
  for (let epoch = 0; epoch < epochs && !rbm.stopTraining; epoch++) {
    for (const cb of callbacks) await cb.onEpochBegin?.(epoch, {});
    if (shuffle) {
      for (let i = total - 1; i > 0; i--) {
        const j = rng.nextUint32() % (i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    using rows = new EpochRows(order);
    const started = performance.now();
    let sum = 0, seen = 0;
    for (let b = 0; b < batches && !rbm.stopTraining; b++) {
      const start = b * batchSize, count = Math.min(batchSize, total - start);
      const seed = rng.nextUint32();
      const loss = await scalar(tidy(() => cdStep(rbm, rows.gather(x, start, count), c, seed)));
      sum += loss * count;
      seen += count;
      const logs: Logs = { batch: b, size: count, loss };
      for (const cb of callbacks) await cb.onBatchEnd?.(b, logs);
    }
    if (seen === 0) break;
    const logs: Logs = { loss: sum / seen };
    if (verbose) epochLine(epoch, epochs, logs, (performance.now() - started) / 1000);
    for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs);
    history.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
  }
  for (const cb of callbacks) await cb.onTrainEnd?.({});
  return history;
}

/**
 * Bernoulli draws from probabilities `p` with the kernel seed `seed` itself (u32), as
 * assembly/random.ts defines them: `y[i] = u(seed, i) < p[i]`.
 */
export function sampleBernoulli(p: Tensor, seed: number): Tensor {
  const y = output(p.shape, "sampleBernoulli");
  if (y.size > 0) activeBackend().randomBernoulli(p.storage, y.storage, y.size, seed >>> 0);
  return y;
}
