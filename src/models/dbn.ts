/**
 * Deep belief nets (Hinton, Osindero & Teh 2006): a stack of RBMs trained greedily, each on the
 * hidden probabilities of the one below (`pretrain`); sampled generatively by a long Gibbs chain in
 * the top RBM and one top-down pass (`sample`); or unrolled into a normal `Sequential` of sigmoid
 * dense layers initialised with the pretrained weights and hidden biases, plus an output layer,
 * for fine-tuning by backpropagation (`toModel`).
 *
 * @module
 */
import { checkArity, checkOneOf, checkOptions, checkPositiveInt, fmtValue } from "../_check.ts";
import { dense } from "../layers/mod.ts";
import type { ActivationName } from "../layers/activations.ts";
import { generator } from "../random.ts";
import { fill } from "../ops/creation.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import type { History } from "./fit.ts";
import { type Rbm, rbm, type VisibleType } from "./rbm.ts";
import { type RbmFitOptions, sampleBernoulli } from "./rbm_fit.ts";
import { Sequential } from "./sequential.ts";

/** Arguments of {@linkcode dbn}. */
export interface DbnArgs {
  /** Units per layer, the data's features first: `[784, 500, 200]` stacks two RBMs. */
  layers: number[];
  /** The bottom RBM's visible units (default `"bernoulli"`); the others are binary. */
  visibleType?: VisibleType;
  /** Standard deviation of the initial weights (default 0.01). */
  initStdDev?: number;
}

/** Options of {@linkcode Dbn.sample}. */
export interface DbnSampleOptions {
  /** Gibbs rounds in the top RBM (default 200). */
  gibbsSteps?: number;
  /** Seed of the draws; without it one is drawn from the global generator (`setSeed`). */
  seed?: number;
  /**
   * Data `[n, layers[0]]` whose upward pass (hidden probabilities, sampled) starts the chains,
   * instead of random binary states: a short chain then stays near the data's modes.
   */
  start?: Tensor;
}

/** Options of {@linkcode Dbn.toModel}. */
export interface DbnToModelOptions {
  /** Units of the output layer added on top. */
  outputUnits: number;
  /** The output layer's activation (default `"softmax"`). */
  activation?: ActivationName;
}

/** A deep belief net; build one with {@linkcode dbn}. */
export class Dbn {
  /** Units per layer, the data's features first. */
  readonly layers: readonly number[];
  /** The stacked RBMs, bottom first (live: do not dispose). */
  readonly rbms: readonly Rbm[];

  /** Use {@linkcode dbn}. */
  constructor(layers: number[], rbms: Rbm[]) {
    this.layers = layers;
    this.rbms = rbms;
  }

  /**
   * Greedy layer-wise pretraining: RBM i is fitted (`Rbm.fit`, with `options`, or `options[i]`)
   * on the hidden probabilities RBM i - 1 gives the data.
   *
   * @param x Data `[n, layers[0]]`.
   * @param options `Rbm.fit` options for every layer, or a list of them, one per RBM (bottom
   *   first): e.g. persistent CD for the top RBM, whose chains `sample` runs.
   * @returns Each RBM's history, bottom first.
   * @throws {RangeError} When `x`'s shape does not match, or as `Rbm.fit`.
   */
  async pretrain(
    x: Tensor,
    options: RbmFitOptions | RbmFitOptions[] = {},
  ): Promise<History[]> {
    const fn = "Dbn.pretrain";
    checkArity(arguments, ["x", "options"], fn);
    if (Array.isArray(options) && options.length !== this.rbms.length) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "options" must be one options object or ${this.rbms.length} (one per RBM): got ${options.length}`,
      );
    }
    const bottom: Rbm = this.rbms[0];
    bottom.checkVisible(x, fn, "x");
    const histories: History[] = [];
    let input = x;
    for (const [i, r] of this.rbms.entries()) {
      try {
        histories.push(await r.fit(input, Array.isArray(options) ? options[i] : options));
        if (i + 1 < this.rbms.length) {
          const next = r.transform(input);
          if (input !== x) input.dispose();
          input = next;
        }
      } catch (e) {
        if (input !== x) input.dispose();
        throw e;
      }
    }
    if (input !== x) input.dispose();
    return histories;
  }

  /**
   * Generates `n` samples: `gibbsSteps` rounds of block Gibbs sampling in the top RBM from random
   * binary states (or from the upward pass of `start`), then one top-down pass (binary samples through the intermediate layers, the
   * visible means of the bottom layer at the end; a one-RBM net returns the chain's samples).
   *
   * @param n Samples, an integer >= 1.
   * @param options `gibbsSteps`, `seed`, `start`.
   * @returns `[n, layers[0]]` visible means (probabilities for Bernoulli units).
   */
  sample(n: number, options: DbnSampleOptions = {}): Tensor {
    const fn = "Dbn.sample";
    checkArity(arguments, ["n", "options"], fn);
    checkPositiveInt(n, "n", fn);
    const o = checkOptions(options, ["gibbsSteps", "seed", "start"], fn);
    const from = o.start as Tensor | undefined;
    if (from !== undefined) {
      const bottom: Rbm = this.rbms[0];
      bottom.checkVisible(from, fn, "start");
      if (from.shape[0] !== n) {
        throw new RangeError(
          `Cannot run ${fn}(): option "start" must hold n = ${n} rows: got ${from.shape[0]}`,
        );
      }
    }
    const steps = checkPositiveInt(o.gibbsSteps ?? 200, "gibbsSteps", fn);
    const rng = generator(o.seed === undefined ? undefined : (o.seed as number));
    const top = this.rbms[this.rbms.length - 1];
    return tidy(() => {
      let start: Tensor;
      if (from === undefined) {
        start = sampleBernoulli(fill([n, top.visibleUnits], 0.5), rng.nextUint32());
      } else {
        start = from;
        for (const r of this.rbms.slice(0, -1)) {
          start = sampleBernoulli(r.hiddenProbs(start), rng.nextUint32());
        }
      }
      let x = top.gibbs(start, steps, { seed: rng.nextUint32() });
      for (let i = this.rbms.length - 2; i >= 0; i--) {
        const mean = this.rbms[i].visibleMeans(x);
        x = i === 0 ? mean : sampleBernoulli(mean, rng.nextUint32());
      }
      return x;
    });
  }

  /**
   * A `Sequential` of sigmoid dense layers with the RBMs' weights and hidden biases (copies), and
   * a dense output layer on top (initialised as `dense` does), for fine-tuning with `fit`.
   *
   * @param options `outputUnits`, `activation` (default `"softmax"`).
   * @returns A new, uncompiled model.
   */
  toModel(options: DbnToModelOptions): Sequential {
    const fn = "Dbn.toModel";
    checkArity(arguments, ["options"], fn);
    const o = checkOptions(options, ["outputUnits", "activation"], fn);
    const outputUnits = checkPositiveInt(o.outputUnits, "outputUnits", fn);
    const hidden = this.rbms.map((r, i) =>
      dense({
        units: r.hiddenUnits,
        activation: "sigmoid",
        ...(i === 0 ? { inputShape: [r.visibleUnits] } : {}),
      })
    );
    const model = new Sequential([
      ...hidden,
      dense({ units: outputUnits, activation: (o.activation ?? "softmax") as ActivationName }),
    ]);
    model.buildAll();
    hidden.forEach((layer, i) => {
      const [w, , hBias] = this.rbms[i].parameters;
      layer.setWeights([w, hBias]);
    });
    return model;
  }

  /** Frees every RBM. */
  dispose(): void {
    for (const r of this.rbms) r.dispose();
  }
}

/**
 * A deep belief net of `layers.length - 1` RBMs, `layers[i]` visible and `layers[i + 1]` hidden
 * units each.
 *
 * @param args `layers` (at least two sizes), `visibleType`, `initStdDev`.
 * @returns A new DBN; `dispose()` frees it.
 * @throws {TypeError} When an argument is unknown or of the wrong type.
 * @throws {RangeError} When `layers` has fewer than two sizes or a size is not a positive integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const net = dn.dbn({ layers: [6, 4, 2] });
 * const x = dn.tensor([[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1]]);
 * await net.pretrain(x, { epochs: 5, batchSize: 2, verbose: 0 });
 * const model = net.toModel({ outputUnits: 2 });
 * assert.deepEqual(model.predict(x).shape, [2, 2]);
 * assert.deepEqual(net.sample(3, { gibbsSteps: 10 }).shape, [3, 6]);
 * net.dispose();
 * ```
 */
export function dbn(args: DbnArgs): Dbn {
  const fn = "dbn";
  checkArity(arguments, ["args"], fn);
  const o = checkOptions(args, ["layers", "visibleType", "initStdDev"], fn, "args");
  const layers = o.layers;
  if (!Array.isArray(layers) || layers.length < 2) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "layers" must list at least two layer sizes: got ${
        fmtValue(layers)
      }`,
    );
  }
  layers.forEach((u, i) => checkPositiveInt(u, `layers[${i}]`, fn));
  const visibleType = checkOneOf(
    (o.visibleType ?? "bernoulli") as string,
    ["bernoulli", "gaussian"] as const,
    "visibleType",
    fn,
  );
  const rbms: Rbm[] = [];
  for (let i = 0; i + 1 < layers.length; i++) {
    rbms.push(rbm({
      visibleUnits: layers[i],
      hiddenUnits: layers[i + 1],
      visibleType: i === 0 ? visibleType : "bernoulli",
      initStdDev: o.initStdDev as number | undefined,
    }));
  }
  return new Dbn([...layers], rbms);
}
