/**
 * `deepAutoencoder`: an encoder and a decoder as two `Sequential` models, and the autoencoder
 * that chains them as a functional model (`dn.input`, `dn.model`), sharing their layers.
 *
 * @module
 */
import { checkArity, checkOptions } from "../_check.ts";
import type { ActivationName } from "../layers/activations.ts";
import { Dense } from "../layers/dense.ts";
import {
  activationOr,
  checkNoise,
  checkSizes,
  decoderOf,
  noiseLayer,
  type NoiseSpec,
} from "./_autoencoder_parts.ts";
import { type Functional, model } from "./functional.ts";
import { input } from "./input.ts";
import { Sequential } from "./sequential.ts";

/** Arguments of `deepAutoencoder()`. */
export interface DeepAutoencoderArgs {
  /** The input size, then each encoder layer's units, the last the code size: `[784, 256, 32]`. */
  layers: number[];
  /** The hidden layers' activation, encoder and decoder (default `"relu"`). */
  activation?: ActivationName;
  /** The code layer's activation (default `"linear"`). */
  codeActivation?: ActivationName;
  /** The reconstruction's activation (default `"sigmoid"`: inputs in [0, 1]). */
  outputActivation?: ActivationName;
  /** Whether each decoder layer reads its mirror encoder layer's kernel, transposed (default false). */
  tiedWeights?: boolean;
  /** Corruption of the input in training, for a denoising autoencoder (default none). */
  noise?: NoiseSpec | null;
  /** Penalty on each encoder kernel (`dn.regularizers.l2(...)`). */
  kernelRegularizer?: { l1?: number; l2?: number };
}

/** The three models of `deepAutoencoder()`: they share their layers. */
export interface DeepAutoencoder {
  /** `[batch, layers[0]]` to the codes `[batch, layers.at(-1)]`. */
  encoder: Sequential;
  /** The codes back to `[batch, layers[0]]`. */
  decoder: Sequential;
  /** Input to reconstruction (noise first when given): compile and fit it with `x` as target. */
  autoencoder: Functional;
}

/**
 * A deep autoencoder: dense encoder layers `layers[0] -> layers[1] -> ... -> code`, the mirror
 * decoder back to `layers[0]`, and the autoencoder chaining them, built with the functional API
 * (`dn.input`, `dn.model`) over the encoder and decoder as nested models, so `encoder.predict`
 * gives codes and `decoder.predict` reconstructions while training the autoencoder trains both.
 * With `tiedWeights` each decoder layer is a `denseTied` of its mirror encoder layer; with
 * `noise` the autoencoder corrupts its input in training (a denoising autoencoder). Disposing
 * the autoencoder frees all three. Saved and loaded as any functional model.
 *
 * @param args `layers`, `activation` (`"relu"`), `codeActivation` (`"linear"`),
 *   `outputActivation` (`"sigmoid"`), `tiedWeights` (false), `noise` (none), `kernelRegularizer`.
 * @returns `{ encoder, decoder, autoencoder }`, not compiled.
 * @throws {TypeError} When an argument is unknown or of the wrong type.
 * @throws {RangeError} When a size is not a positive integer or a noise level is out of range.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const { encoder, decoder, autoencoder } = dn.deepAutoencoder({ layers: [16, 8, 2] });
 * autoencoder.compile({ optimizer: "adam", loss: "meanSquaredError" });
 * const x = dn.randomUniform([32, 16], { seed: 1 });
 * await autoencoder.fit(x, x, { epochs: 1, verbose: 0 });
 * const codes = encoder.predict(x) as dn.Tensor;
 * assert.deepEqual(codes.shape, [32, 2]);
 * assert.deepEqual((decoder.predict(codes) as dn.Tensor).shape, [32, 16]);
 * autoencoder.dispose();
 * ```
 */
export function deepAutoencoder(args: DeepAutoencoderArgs): DeepAutoencoder {
  const fn = "deepAutoencoder";
  checkArity(arguments, ["args"], fn);
  const o = checkOptions(
    args,
    [
      "layers",
      "activation",
      "codeActivation",
      "outputActivation",
      "tiedWeights",
      "noise",
      "kernelRegularizer",
    ],
    fn,
    "args",
  );
  const sizes = checkSizes(o.layers, fn);
  const hidden = activationOr(o.activation, "relu", "activation", fn);
  const code = activationOr(o.codeActivation, "linear", "codeActivation", fn);
  const output = activationOr(o.outputActivation, "sigmoid", "outputActivation", fn);
  const noise = checkNoise(o.noise, "noise", fn);
  if (o.tiedWeights !== undefined && typeof o.tiedWeights !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "tiedWeights" must be a boolean: got ${o.tiedWeights}`,
    );
  }
  const last = sizes.length - 1;
  const encoders = sizes.slice(1).map((units, i) =>
    new Dense({
      units,
      activation: i + 1 === last ? code : hidden,
      ...(o.kernelRegularizer ? { kernelRegularizer: o.kernelRegularizer } : {}),
      ...(i === 0 ? { inputShape: [sizes[0]] } : {}),
    })
  );
  encoders.forEach((e, i) => e.ensureBuilt([sizes[i]]));
  const encoder = new Sequential(encoders, { name: "encoder" });
  const decoders = encoders.map((e, i) =>
    decoderOf(e, sizes[i], i === 0 ? output : hidden, o.tiedWeights === true)
  ).reverse();
  const decoder = new Sequential(decoders, { name: "decoder" });
  decoder.ensureBuilt([sizes[last]]);
  const x = input({ shape: [sizes[0]] });
  const corrupted = noise ? noiseLayer(noise, sizes[0]).apply(x) : x;
  const autoencoder = model({ inputs: x, outputs: decoder.apply(encoder.apply(corrupted)) });
  return { encoder, decoder, autoencoder };
}
