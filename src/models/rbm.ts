/**
 * Restricted Boltzmann machines: binary hidden units over Bernoulli (binary or probability) or
 * Gaussian (unit-variance) visible units, trained by contrastive divergence (CD-k) or persistent
 * CD in `fit()` (rbm_fit.ts), with the fused `rbmUpdate` kernel on the hot path. The inference
 * side follows scikit-learn's `BernoulliRBM`: `transform` (hidden probabilities), `gibbs`,
 * `freeEnergy`, `pseudoLikelihood` (its `score_samples`), plus `reconstruct`.
 *
 * Energy: `E(v, h) = -vᵀWh - bᵀv - cᵀh` (Bernoulli visible units) or
 * `E(v, h) = Σᵢ (vᵢ - bᵢ)²/2 - vᵀWh - cᵀh` (Gaussian, unit variance), with `W` `[visible, hidden]`
 * (a dense layer's kernel, so the weights initialise one), `b` the visible and `c` the hidden bias.
 *
 * @module
 */
import {
  checkArity,
  checkOneOf,
  checkOptions,
  checkPositiveInt,
  checkTensor,
  fmtShape,
  fmtValue,
} from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import { generator } from "../random.ts";
import { add, mul, sub } from "../ops/arithmetic.ts";
import { softplus } from "../ops/activations.ts";
import { matmul } from "../ops/matmul.ts";
import { oneHot } from "../ops/one_hot.ts";
import { output } from "../ops/_output.ts";
import { randomNormal } from "../ops/random.ts";
import { neg } from "../ops/unary.ts";
import { sum } from "../ops/reduce.ts";
import { tensor, zeros } from "../ops/creation.ts";
import { keep, tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import type { History } from "./fit.ts";
import { fitRbm, type RbmFitOptions, sampleBernoulli, trainBatch } from "./rbm_fit.ts";
import { decodeRbm, encodeRbm } from "./rbm_io.ts";
import { readSource } from "./io.ts";

/** The visible units' distribution. */
export type VisibleType = "bernoulli" | "gaussian";

/** Arguments of {@linkcode rbm}. */
export interface RbmArgs {
  /** Visible units (features per sample). */
  visibleUnits: number;
  /** Hidden units. */
  hiddenUnits: number;
  /**
   * `"bernoulli"` (default): binary units, data in [0, 1] read as probabilities;
   * `"gaussian"`: linear units with unit variance (standardise the data first).
   */
  visibleType?: VisibleType;
  /** Standard deviation of the initial weights, drawn from N(0, sd²) (default 0.01). */
  initStdDev?: number;
}

/** Options of {@linkcode Rbm.gibbs} and {@linkcode Rbm.pseudoLikelihood}. */
export interface RbmDrawOptions {
  /** Seed of the draws; without it one is drawn from the global generator (`setSeed`). */
  seed?: number;
}

/** Options of {@linkcode Rbm.pseudoLikelihood}. */
export interface PseudoLikelihoodOptions extends RbmDrawOptions {
  /** The visible unit flipped in each sample (default: one drawn uniformly per sample). */
  indices?: ArrayLike<number>;
}

const ARG_KEYS = ["visibleUnits", "hiddenUnits", "visibleType", "initStdDev"];

/** A restricted Boltzmann machine (see the module doc); build one with {@linkcode rbm}. */
export class Rbm {
  /** Visible units. */
  readonly visibleUnits: number;
  /** Hidden units. */
  readonly hiddenUnits: number;
  /** The visible units' distribution. */
  readonly visibleType: VisibleType;
  /** Set by a callback (`earlyStopping`) to end `fit()` after the current batch. */
  stopTraining = false;
  #w: Tensor;
  #vBias: Tensor;
  #hBias: Tensor;
  /** Velocities (`[w, vBias, hBias]`) while momentum is used; the persistent chain's hidden states. */
  #state: { velocity: Tensor[] | null; chain: Tensor | null } = { velocity: null, chain: null };

  /** Use {@linkcode rbm}; `weights` (`[w, vBias, hBias]`) are taken over. */
  constructor(
    visibleUnits: number,
    hiddenUnits: number,
    visibleType: VisibleType,
    weights: Tensor[],
  ) {
    this.visibleUnits = visibleUnits;
    this.hiddenUnits = hiddenUnits;
    this.visibleType = visibleType;
    [this.#w, this.#vBias, this.#hBias] = weights;
  }

  /** The weights `[visible, hidden]`, visible bias and hidden bias (live: do not dispose). */
  get parameters(): readonly [w: Tensor, vBias: Tensor, hBias: Tensor] {
    return [this.#w, this.#vBias, this.#hBias];
  }

  /** Training state (velocities, persistent chain), kept between `fit()` calls. */
  get trainingState(): { velocity: Tensor[] | null; chain: Tensor | null } {
    return this.#state;
  }

  /** Checks `v` is a live float32 `[n, visibleUnits]` tensor. */
  checkVisible(v: unknown, fn: string, arg = "v"): asserts v is Tensor {
    checkTensor(v, arg, fn);
    if (v.rank !== 2 || v.shape[1] !== this.visibleUnits) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "${arg}" must have shape [n, ${this.visibleUnits}] (the visible units): got ${
          fmtShape(v.shape)
        }`,
      );
    }
  }

  /** Hidden probabilities `sigmoid(vW + c)` `[n, hidden]` (scikit-learn's `transform`). */
  transform(v: Tensor): Tensor {
    checkArity(arguments, ["v"], "Rbm.transform");
    this.checkVisible(v, "Rbm.transform");
    return this.hiddenProbs(v);
  }

  /** `sigmoid(vW + c)`, unchecked. */
  hiddenProbs(v: Tensor): Tensor {
    return matmul(v, this.#w, { bias: this.#hBias, activation: "sigmoid" });
  }

  /** Visible means given hidden states: `sigmoid(hWᵀ + b)`, or `hWᵀ + b` when Gaussian. */
  visibleMeans(h: Tensor): Tensor {
    const activation = this.visibleType === "bernoulli" ? "sigmoid" : "linear";
    return matmul(h, this.#w, { transposeB: true, bias: this.#vBias, activation });
  }

  /**
   * Visible means reconstructed from the hidden probabilities of `v` (a deterministic
   * up-down pass).
   */
  reconstruct(v: Tensor): Tensor {
    checkArity(arguments, ["v"], "Rbm.reconstruct");
    this.checkVisible(v, "Rbm.reconstruct");
    return tidy(() => this.visibleMeans(this.hiddenProbs(v)));
  }

  /**
   * `steps` rounds of block Gibbs sampling from `v`: all hidden units sampled given the visible
   * ones, then all visible units given the hidden ones (Bernoulli draws, or the mean plus N(0, 1)
   * noise for Gaussian units). Returns the last visible sample.
   *
   * @param v Starting visible states `[n, visibleUnits]`.
   * @param steps Rounds, an integer >= 1 (default 1).
   * @param options `seed`.
   * @returns Visible samples `[n, visibleUnits]`.
   * @throws {RangeError} When `v`'s shape does not match or `steps` is not an integer >= 1.
   */
  gibbs(v: Tensor, steps = 1, options: RbmDrawOptions = {}): Tensor {
    const fn = "Rbm.gibbs";
    checkArity(arguments, ["v", "steps", "options"], fn);
    this.checkVisible(v, fn);
    checkPositiveInt(steps, "steps", fn);
    const o = checkOptions(options, ["seed"], fn);
    const rng = generator(o.seed === undefined ? undefined : (o.seed as number));
    return tidy(() => {
      let x = v;
      for (let s = 0; s < steps; s++) {
        const h = sampleBernoulli(this.hiddenProbs(x), rng.nextUint32());
        const mean = this.visibleMeans(h);
        x = this.visibleType === "bernoulli"
          ? sampleBernoulli(mean, rng.nextUint32())
          : add(mean, randomNormal(mean.shape, { seed: rng.nextUint32() }));
      }
      return x;
    });
  }

  /**
   * Free energy `F(v) = -log Σ_h e^{-E(v, h)}` per sample: `-vᵀb - Σⱼ softplus(cⱼ + vᵀWⱼ)`
   * (Bernoulli), `Σᵢ (vᵢ - bᵢ)²/2 - Σⱼ softplus(cⱼ + vᵀWⱼ)` (Gaussian).
   *
   * @param v Visible states `[n, visibleUnits]`.
   * @returns `[n]`.
   */
  freeEnergy(v: Tensor): Tensor {
    checkArity(arguments, ["v"], "Rbm.freeEnergy");
    this.checkVisible(v, "Rbm.freeEnergy");
    return this.freeEnergyOf(v);
  }

  /** {@linkcode Rbm.freeEnergy} unchecked. */
  freeEnergyOf(v: Tensor): Tensor {
    return tidy(() => {
      const hidden = sum(softplus(matmul(v, this.#w, { bias: this.#hBias })), 1);
      const visible = this.visibleType === "bernoulli"
        ? neg(sum(mul(v, this.#vBias), 1))
        : mul(sum(square(sub(v, this.#vBias)), 1), 0.5);
      return sub(visible, hidden);
    });
  }

  /**
   * Pseudo-likelihood per sample, as scikit-learn's `BernoulliRBM.score_samples`: with `v'` the
   * sample with one visible unit `i` flipped (`vᵢ → 1 - vᵢ`), `visibleUnits · log σ(F(v') - F(v))`.
   * Bernoulli visible units only.
   *
   * @param v Visible states `[n, visibleUnits]` (binary).
   * @param options `seed`, or `indices` (the unit flipped in each sample).
   * @returns `[n]` (values <= 0).
   * @throws {TypeError} When the visible units are Gaussian.
   * @throws {RangeError} When `v`'s shape does not match or `indices` is not n integers in
   *   `[0, visibleUnits)`.
   */
  pseudoLikelihood(v: Tensor, options: PseudoLikelihoodOptions = {}): Tensor {
    const fn = "Rbm.pseudoLikelihood";
    checkArity(arguments, ["v", "options"], fn);
    this.checkVisible(v, fn);
    const o = checkOptions(options, ["seed", "indices"], fn);
    if (this.visibleType !== "bernoulli") {
      throw new TypeError(
        `Cannot run ${fn}(): the visible units must be "bernoulli": got "${this.visibleType}"`,
      );
    }
    const n = v.shape[0], nv = this.visibleUnits;
    let indices: Int32Array;
    if (o.indices !== undefined) {
      const given = o.indices as ArrayLike<number>;
      if (
        typeof given !== "object" || given === null || given.length !== n ||
        !Array.from(given).every((i) => Number.isInteger(i) && i >= 0 && i < nv)
      ) {
        throw new RangeError(
          `Cannot run ${fn}(): option "indices" must hold ${n} integers in [0, ${nv}): got ${
            fmtValue(Array.isArray(given) ? given : given?.length ?? given)
          }`,
        );
      }
      indices = Int32Array.from(given);
    } else {
      const rng = generator(o.seed === undefined ? undefined : (o.seed as number));
      indices = Int32Array.from({ length: n }, () => rng.nextUint32() % nv);
    }
    return tidy(() => {
      const flip = oneHot(tensor(Float32Array.from(indices)), nv);
      // v' = v + flip·(1 - 2v): the flipped unit becomes 1 - v, the others stay.
      const flipped = add(v, mul(flip, sub(1, mul(v, 2))));
      const gap = sub(this.freeEnergyOf(flipped), this.freeEnergyOf(v));
      // log σ(x) = -softplus(-x)
      return mul(softplus(neg(gap)), -nv);
    });
  }

  /**
   * Trains by contrastive divergence; see {@linkcode RbmFitOptions} for the options and the
   * exact algorithm.
   *
   * @param x Training data `[n, visibleUnits]`: in [0, 1] for Bernoulli units.
   * @param options Training options.
   * @returns The history: per epoch `loss`, the mean squared reconstruction error.
   * @throws {RangeError} When `x`'s shape does not match, holds NaN or infinities (or values
   *   outside [0, 1] for Bernoulli units, or other than 0 and 1 with `checkBinary`), or an option
   *   is out of range (`k < 1`, a negative learning rate ...).
   * @throws {TypeError} When an option is unknown or of the wrong type.
   */
  fit(x: Tensor, options: RbmFitOptions = {}): Promise<History> {
    checkArity(arguments, ["x", "options"], "Rbm.fit");
    return fitRbm(this, x, options);
  }

  /**
   * One CD update from the batch `v` with the draws of `seed` (see {@linkcode RbmFitOptions}):
   * draw t uses the Bernoulli kernel seed `(seed + t) >>> 0`, so a test can recompute it.
   *
   * @param v A batch `[n, visibleUnits]`.
   * @param options The training options that apply to one batch, and `seed` (u32).
   * @returns The batch's mean squared reconstruction error.
   */
  trainOnBatch(
    v: Tensor,
    options:
      & Pick<RbmFitOptions, "learningRate" | "k" | "persistent" | "momentum" | "weightDecay">
      & {
        seed?: number;
      } = {},
  ): Promise<number> {
    checkArity(arguments, ["v", "options"], "Rbm.trainOnBatch");
    return trainBatch(this, v, options);
  }

  /** Copies of `[w, vBias, hBias]`; the caller disposes them. */
  getWeights(): Tensor[] {
    return this.parameters.map((t) => keep(copyOf(t)));
  }

  /**
   * Overwrites the weights with copies of `[w, vBias, hBias]` (shapes `[visible, hidden]`,
   * `[visible]`, `[hidden]`); the training state (velocities, persistent chain) is reset.
   *
   * @throws {RangeError} When the count or a shape does not match.
   */
  setWeights(weights: readonly Tensor[]): void {
    const fn = "Rbm.setWeights";
    checkArity(arguments, ["weights"], fn);
    const shapes = [[this.visibleUnits, this.hiddenUnits], [this.visibleUnits], [this.hiddenUnits]];
    if (!Array.isArray(weights) || weights.length !== 3) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "weights" must hold 3 tensors (w, vBias, hBias): got ${
          fmtValue(weights)
        }`,
      );
    }
    weights.forEach((w, i) => {
      checkTensor(w, `weights[${i}]`, fn);
      if (fmtShape(w.shape) !== fmtShape(shapes[i])) {
        throw new RangeError(
          `Cannot run ${fn}(): argument "weights[${i}]" must have shape ${
            fmtShape(shapes[i])
          }: got ${fmtShape(w.shape)}`,
        );
      }
    });
    const be = activeBackend();
    this.parameters.forEach((t, i) => be.copy(weights[i].storage, 0, t.storage, 0, t.size));
    this.resetTraining();
  }

  /** Drops the velocities and the persistent chain (the next `fit()` starts them afresh). */
  resetTraining(): void {
    for (const t of this.#state.velocity ?? []) t.dispose();
    this.#state.chain?.dispose();
    this.#state = { velocity: null, chain: null };
  }

  /** `{ visibleUnits, hiddenUnits, visibleType }`. */
  getConfig(): { visibleUnits: number; hiddenUnits: number; visibleType: VisibleType } {
    return {
      visibleUnits: this.visibleUnits,
      hiddenUnits: this.hiddenUnits,
      visibleType: this.visibleType,
    };
  }

  /** The weights and configuration as one safetensors file (read back by {@linkcode loadRbm}). */
  toBytes(): Uint8Array {
    return encodeRbm(this.getConfig(), this.parameters.map((t) => t.dataSync() as Float32Array));
  }

  /**
   * Writes {@linkcode Rbm.toBytes} to `path`.
   *
   * @param path A file path or `file:` URL.
   */
  async save(path: string | URL): Promise<void> {
    checkArity(arguments, ["path"], "Rbm.save");
    await Deno.writeFile(path, this.toBytes());
  }

  /** Frees the weights and the training state. */
  dispose(): void {
    this.resetTraining();
    for (const t of this.parameters) t.dispose();
  }
}

function copyOf(t: Tensor): Tensor {
  const y = output(t.shape, "getWeights");
  activeBackend().copy(t.storage, 0, y.storage, 0, t.size);
  return y;
}

function square(x: Tensor): Tensor {
  return mul(x, x);
}

/** Checks `rbm()`'s arguments; returns them with defaults. */
export function rbmArgs(args: RbmArgs, fn: string): Required<RbmArgs> {
  const o = checkOptions(args, ARG_KEYS, fn, "args");
  if (args === undefined) {
    throw new TypeError(`Cannot run ${fn}(): argument "args" must be an object: got undefined`);
  }
  const visibleUnits = checkPositiveInt(o.visibleUnits, "visibleUnits", fn);
  const hiddenUnits = checkPositiveInt(o.hiddenUnits, "hiddenUnits", fn);
  const visibleType = checkOneOf(
    (o.visibleType ?? "bernoulli") as string,
    ["bernoulli", "gaussian"] as const,
    "visibleType",
    fn,
  );
  const initStdDev = (o.initStdDev ?? 0.01) as number;
  if (typeof initStdDev !== "number" || !(initStdDev >= 0) || !Number.isFinite(initStdDev)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "initStdDev" must be a finite number >= 0: got ${
        fmtValue(initStdDev)
      }`,
    );
  }
  return { visibleUnits, hiddenUnits, visibleType, initStdDev };
}

/**
 * A restricted Boltzmann machine with weights drawn from N(0, initStdDev²) (the global generator,
 * `setSeed`) and zero biases.
 *
 * @param args `visibleUnits`, `hiddenUnits`, `visibleType` (`"bernoulli"` or `"gaussian"`),
 *   `initStdDev`.
 * @returns A new RBM; `dispose()` frees it.
 * @throws {TypeError} When an argument is unknown or of the wrong type.
 * @throws {RangeError} When a unit count is not a positive integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const r = dn.rbm({ visibleUnits: 6, hiddenUnits: 3 });
 * const x = dn.tensor([[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1]]);
 * await r.fit(x, { epochs: 50, batchSize: 2, verbose: 0 });
 * assert.deepEqual(r.transform(x).shape, [2, 3]);
 * r.dispose();
 * ```
 */
export function rbm(args: RbmArgs): Rbm {
  const fn = "rbm";
  checkArity(arguments, ["args"], fn);
  const { visibleUnits, hiddenUnits, visibleType, initStdDev } = rbmArgs(args, fn);
  const w = keep(randomNormal([visibleUnits, hiddenUnits], {
    stdDev: initStdDev,
    seed: generator().nextUint32(),
  }));
  return new Rbm(visibleUnits, hiddenUnits, visibleType, [
    w,
    keep(zeros([visibleUnits])),
    keep(zeros([hiddenUnits])),
  ]);
}

/**
 * Loads an RBM saved by `Rbm.save()` or `Rbm.toBytes()`.
 *
 * @param source A file path, a URL, or the bytes.
 * @returns The RBM (its training state starts afresh).
 * @throws {TypeError} When the file is not an RBM file or its configuration is malformed.
 * @throws {RangeError} When a tensor is missing or its shape disagrees with the configuration.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const r = dn.rbm({ visibleUnits: 4, hiddenUnits: 2 });
 * const back = await dn.loadRbm(r.toBytes());
 * assert.deepEqual(back.getConfig(), r.getConfig());
 * r.dispose();
 * back.dispose();
 * ```
 */
export async function loadRbm(source: string | URL | Uint8Array): Promise<Rbm> {
  const fn = "loadRbm";
  checkArity(arguments, ["source"], fn);
  let bytes: Uint8Array;
  if (source instanceof Uint8Array) bytes = source;
  else if (typeof source === "string" || source instanceof URL) {
    bytes = await readSource(source, undefined, undefined, fn);
  } else {
    throw new TypeError(
      `Cannot run ${fn}(): argument "source" must be a path, a URL or a Uint8Array: got ${
        fmtValue(source)
      }`,
    );
  }
  const { config, data, shapes } = decodeRbm(bytes, (c) => rbmArgs(c as RbmArgs, fn), fn);
  return new Rbm(
    config.visibleUnits,
    config.hiddenUnits,
    config.visibleType,
    data.map((d, i) => keep(tensor(d, shapes[i]))),
  );
}
