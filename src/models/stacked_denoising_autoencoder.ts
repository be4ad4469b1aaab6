/**
 * `stackedDenoisingAutoencoder`: greedy layer-wise pretraining of a stack of dense encoders, each
 * as a denoising autoencoder on the previous one's codes (Vincent et al. 2010), then `toModel()`
 * for supervised fine-tuning as an ordinary `Sequential`.
 *
 * @module
 */
import { checkArity, checkOptions, checkPositiveInt, checkTensor, fmtShape } from "../_check.ts";
import type { ActivationName } from "../layers/activations.ts";
import { Dropout } from "../layers/basic.ts";
import { Dense } from "../layers/dense.ts";
import type { Layer } from "../layers/layer.ts";
import { checkRegularizer, type Regularizer } from "../layers/regularizers.ts";
import type { Optimizer } from "../optimizers/optimizer.ts";
import { isFinite } from "../ops/compare.ts";
import { all } from "../ops/logical_reduce.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import {
  activationOr,
  checkNoise,
  checkSizes,
  decoderOf,
  noiseLayer,
  type NoiseSpec,
} from "./_autoencoder_parts.ts";
import type { Callback } from "./callbacks.ts";
import type { OptimizerName } from "./compile.ts";
import type { History } from "./fit.ts";
import { model } from "./functional.ts";
import { input } from "./input.ts";
import { Sequential } from "./sequential.ts";

/** Arguments of `stackedDenoisingAutoencoder()`. */
export interface StackedDenoisingAutoencoderArgs {
  /** The input size, then each encoder's units: `[784, 500, 200]`. */
  layers: number[];
  /** The encoders' activation (default `"sigmoid"`). */
  activation?: ActivationName;
  /** The decoders' activation in pretraining (default `"sigmoid"`: inputs and codes in [0, 1]). */
  decoderActivation?: ActivationName;
  /** The corruption of each autoencoder's input (default masking, rate 0.25); `null` for none. */
  noise?: NoiseSpec | null;
  /** Whether each decoder reads its encoder's kernel, transposed (default true). */
  tiedWeights?: boolean;
  /** Penalty on each encoder's kernel (`dn.regularizers.l2(...)`): the weight decay. */
  kernelRegularizer?: { l1?: number; l2?: number };
}

/** Options of `StackedDenoisingAutoencoder.pretrain()`. */
export interface SdaPretrainOptions {
  /** Epochs per layer (default 10). */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /**
   * A name with Keras defaults, or a function making a fresh optimizer for each layer (default
   * `"adam"`).
   */
  optimizer?: OptimizerName | (() => Optimizer);
  /**
   * The reconstruction loss (default `"binaryCrossentropy"` for a sigmoid decoder, else
   * `"meanSquaredError"`).
   */
  loss?: string;
  /** Shuffle each epoch (default true). */
  shuffle?: boolean;
  /** As `fit()` (default 0: silent). */
  verbose?: 0 | 1 | 2;
  /** `fit()` callbacks, called for each layer's training in turn. */
  callbacks?: Callback | Callback[];
}

/** Options of `StackedDenoisingAutoencoder.toModel()`. */
export interface SdaToModelOptions {
  /** Units of the output layer added on top (classes). */
  outputUnits: number;
  /** Its activation (default `"softmax"`). */
  activation?: ActivationName;
  /** A dropout layer of this rate after each encoder (default 0: none). */
  dropout?: number;
}

const ARGS = [
  "layers",
  "activation",
  "decoderActivation",
  "noise",
  "tiedWeights",
  "kernelRegularizer",
];

/** A stack of dense encoders pretrained as denoising autoencoders, layer by layer. */
export class StackedDenoisingAutoencoder {
  /** The input size, then each encoder's units. */
  readonly sizes: readonly number[];
  /** The encoders' activation. */
  readonly activation: ActivationName;
  /** The decoders' activation in pretraining. */
  readonly decoderActivation: ActivationName;
  /** The corruption, or null. */
  readonly noise: NoiseSpec | null;
  /** Whether the decoders are tied to their encoders. */
  readonly tiedWeights: boolean;
  /** The encoders as one model, `[batch, sizes[0]]` to the top codes (owns the layers). */
  readonly encoder: Sequential;
  readonly #regularizer: Regularizer;

  /**
   * Builds the encoders with fresh weights; see {@linkcode stackedDenoisingAutoencoder}.
   *
   * @param args See `StackedDenoisingAutoencoderArgs`.
   */
  constructor(args: StackedDenoisingAutoencoderArgs) {
    const fn = "stackedDenoisingAutoencoder";
    const o = checkOptions(args, ARGS, fn, "args");
    this.sizes = checkSizes(o.layers, fn);
    this.activation = activationOr(o.activation, "sigmoid", "activation", fn);
    this.decoderActivation = activationOr(
      o.decoderActivation,
      "sigmoid",
      "decoderActivation",
      fn,
    );
    this.noise = o.noise === null ? null : checkNoise(o.noise ?? DEFAULT_NOISE, "noise", fn);
    if (o.tiedWeights !== undefined && typeof o.tiedWeights !== "boolean") {
      throw new TypeError(
        `Cannot run ${fn}(): argument "tiedWeights" must be a boolean: got ${o.tiedWeights}`,
      );
    }
    this.tiedWeights = (o.tiedWeights as boolean | undefined) ?? true;
    this.#regularizer = checkRegularizer(o.kernelRegularizer, "kernelRegularizer", fn);
    const encoders = this.sizes.slice(1).map((units, i) =>
      new Dense({
        units,
        activation: this.activation,
        kernelRegularizer: this.#regularizer,
        ...(i === 0 ? { inputShape: [this.sizes[0]] } : {}),
      })
    );
    encoders.forEach((e, i) => e.ensureBuilt([this.sizes[i]]));
    this.encoder = new Sequential(encoders);
  }

  /** The dense encoders, input side first. */
  #encoders(): readonly Dense[] {
    return this.encoder.layers as readonly Dense[];
  }

  /**
   * Trains the encoders greedily: encoder `i` with a decoder of its own (tied to it, or not) as a
   * denoising autoencoder that reconstructs its clean input from a corrupted copy, on the codes
   * of encoders `0..i-1` (computed without noise).
   *
   * @param x `[samples, sizes[0]]` training inputs.
   * @param options See {@linkcode SdaPretrainOptions}.
   * @returns One `fit()` history per layer.
   * @throws {TypeError} When `x` is not a float32 tensor of rank 2, or an option is unknown.
   * @throws {RangeError} When `x`'s width is not `sizes[0]` or it holds NaN or Infinity.
   */
  async pretrain(x: Tensor, options: SdaPretrainOptions = {}): Promise<History[]> {
    const fn = "pretrain";
    checkTensor(x, "x", fn);
    if (x.rank !== 2 || x.shape[1] !== this.sizes[0]) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "x" must have shape [samples, ${this.sizes[0]}]: got ${
          fmtShape(x.shape)
        }`,
      );
    }
    using finite = tidy(() => all(isFinite(x)));
    if (!(await finite.data<"bool">())[0]) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "x" must hold finite values: got NaN or Infinity`,
      );
    }
    const o = checkOptions(options, [
      "epochs",
      "batchSize",
      "optimizer",
      "loss",
      "shuffle",
      "verbose",
      "callbacks",
    ], fn) as SdaPretrainOptions;
    const epochs = checkPositiveInt(o.epochs ?? 10, "epochs", fn);
    const loss = o.loss ??
      (this.decoderActivation === "sigmoid" ? "binaryCrossentropy" : "meanSquaredError");
    const histories: History[] = [];
    let codes = x;
    try {
      for (const [i, encoder] of this.#encoders().entries()) {
        const units = this.sizes[i];
        const inp = input({ shape: [units] });
        const corrupted = this.noise ? noiseLayer(this.noise, units).apply(inp) : inp;
        const decoder = decoderOf(encoder, units, this.decoderActivation, this.tiedWeights);
        const ae = model({ inputs: inp, outputs: decoder.apply(encoder.apply(corrupted)) });
        try {
          const optimizer = typeof o.optimizer === "function"
            ? o.optimizer()
            : o.optimizer ?? "adam";
          ae.compile({ optimizer, loss });
          histories.push(
            await ae.fit(codes, codes, {
              epochs,
              batchSize: o.batchSize ?? 32,
              shuffle: o.shuffle ?? true,
              verbose: o.verbose ?? 0,
              ...(o.callbacks ? { callbacks: o.callbacks } : {}),
            }),
          );
        } finally {
          ae.dispose(); // frees the noise and decoder layers; the encoder stays in this.encoder
        }
        if (i + 1 < this.#encoders().length) {
          const next = tidy(() => encoder.apply(codes));
          if (codes !== x) codes.dispose();
          codes = next;
        }
      }
    } finally {
      if (codes !== x) codes.dispose();
    }
    return histories;
  }

  /** The top codes of `x` `[samples, sizes[0]]`: `[samples, sizes.at(-1)]`. */
  encode(x: Tensor): Tensor {
    return this.encoder.predict(x) as Tensor;
  }

  /**
   * A new `Sequential` of dense layers initialised with copies of the pretrained encoders, with
   * an output layer on top, for fine-tuning with `compile` and `fit`.
   *
   * @param options `outputUnits`, `activation` (default `"softmax"`), `dropout` (default 0).
   * @returns The model (its own weights: fine-tuning leaves this stack unchanged).
   * @throws {RangeError} When `outputUnits` is not a positive integer or `dropout` is outside
   *   [0, 1).
   */
  toModel(options: SdaToModelOptions): Sequential {
    const fn = "toModel";
    checkArity(arguments, ["options"], fn);
    const o = checkOptions(options, ["outputUnits", "activation", "dropout"], fn);
    const outputUnits = checkPositiveInt(o.outputUnits, "outputUnits", fn);
    const activation = activationOr(o.activation, "softmax", "activation", fn);
    const rate = o.dropout ?? 0;
    const layers: Layer[] = [];
    this.#encoders().forEach((e, i) => {
      const copy = new Dense({
        units: e.units,
        activation: e.activation,
        kernelRegularizer: this.#regularizer,
        ...(i === 0 ? { inputShape: [this.sizes[0]] } : {}),
      });
      copy.ensureBuilt([this.sizes[i]]);
      const weights = e.getWeights();
      copy.setWeights(weights);
      weights.forEach((w) => w.dispose());
      layers.push(copy);
      if (rate !== 0) layers.push(new Dropout({ rate: rate as number }));
    });
    layers.push(new Dense({ units: outputUnits, activation }));
    return new Sequential(layers);
  }

  /** Frees the encoders. */
  dispose(): void {
    this.encoder.dispose();
  }
}

const DEFAULT_NOISE: NoiseSpec = { type: "masking", rate: 0.25 };

/**
 * A stacked denoising autoencoder (Vincent et al. 2010): dense encoders `sizes[0] -> sizes[1] ->
 * ...`, pretrained greedily with `pretrain(x)`, each as a denoising autoencoder (input corrupted
 * by masking or Gaussian noise, loss against the clean input, optional L2 weight decay, decoder
 * tied to the encoder's kernel by default) on the previous encoder's codes; then `toModel()`
 * returns an ordinary `Sequential` initialised with the pretrained weights, with an output layer
 * on top, to fine-tune by backpropagation. `encoder` is the stack as a model (`encode(x)` runs
 * it). Save the fine-tuned model (`toModel()`'s), which is a plain `Sequential`.
 *
 * @param args `layers` (`[inputSize, units1, units2, ...]`), `activation` (`"sigmoid"`),
 *   `decoderActivation` (`"sigmoid"`), `noise` (`{ type: "masking", rate: 0.25 }` by default,
 *   `{ type: "gaussian", stddev }`, or `null`), `tiedWeights` (true), `kernelRegularizer`.
 * @returns The stack, its encoders built with fresh weights (from `dn.setSeed`'s generator).
 * @throws {TypeError} When an argument is unknown or of the wrong type.
 * @throws {RangeError} When a size is not a positive integer or a noise level is out of range.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * dn.setSeed(1);
 * const sda = dn.stackedDenoisingAutoencoder({ layers: [8, 6, 3], noise: { type: "masking", rate: 0.3 } });
 * const x = dn.randomUniform([64, 8], { seed: 2 });
 * const histories = await sda.pretrain(x, { epochs: 2, batchSize: 16 });
 * assert.equal(histories.length, 2); // one per encoder
 * const model = sda.toModel({ outputUnits: 2 });
 * assert.deepEqual((model.predict(x) as dn.Tensor).shape, [64, 2]);
 * sda.dispose();
 * ```
 */
export function stackedDenoisingAutoencoder(
  args: StackedDenoisingAutoencoderArgs,
): StackedDenoisingAutoencoder {
  checkArity(arguments, ["args"], "stackedDenoisingAutoencoder");
  return new StackedDenoisingAutoencoder(args);
}
