/**
 * What the autoencoder builders share: the corruption spec (masking or Gaussian noise), the
 * layer sizes, and the decoder layer of one encoder layer (tied or not).
 *
 * @module
 */
import { checkFinite, checkOneOf, checkOptions, checkPositiveInt, fmtValue } from "../_check.ts";
import { type ActivationName, ACTIVATIONS } from "../layers/activations.ts";
import { Dense } from "../layers/dense.ts";
import { DenseTied } from "../layers/dense_tied.ts";
import type { Layer } from "../layers/layer.ts";
import { GaussianNoise, MaskingNoise } from "../layers/noise.ts";

/**
 * The corruption of a denoising autoencoder, applied to its input in training only: `"masking"`
 * zeroes a fraction `rate` of the values (unscaled), `"gaussian"` adds N(0, `stddev`) noise.
 * `seed` seeds the noise layer's own generator (default: the global one, `dn.setSeed`).
 */
export type NoiseSpec =
  | { type: "masking"; rate: number; seed?: number }
  | { type: "gaussian"; stddev: number; seed?: number };

/** The noise spec validated (`null` for none), with a typed error naming `arg` otherwise. */
export function checkNoise(value: unknown, arg: string, fn: string): NoiseSpec | null {
  if (value === undefined || value === null) return null;
  const o = checkOptions(value, ["type", "rate", "stddev", "seed"], fn, arg);
  const level = o.type === "masking" ? "rate" : "stddev";
  if (o.type !== "masking" && o.type !== "gaussian") {
    throw new TypeError(
      `Cannot run ${fn}(): "${arg}.type" must be "masking" or "gaussian": got ${fmtValue(o.type)}`,
    );
  }
  checkOptions(value, ["type", level, "seed"], fn, arg);
  const v = o[level];
  const ok = typeof v === "number" && v >= 0 && (level === "rate" ? v < 1 : Number.isFinite(v));
  if (!ok) {
    throw new RangeError(
      `Cannot run ${fn}(): "${arg}.${level}" must be ${
        level === "rate" ? "in [0, 1)" : "a finite number >= 0"
      }: got ${fmtValue(v)}`,
    );
  }
  if (o.seed !== undefined) checkFinite(o.seed, `${arg}.seed`, fn);
  return value as NoiseSpec;
}

/** A fresh noise layer for `spec` on samples of `units` values. */
export function noiseLayer(spec: NoiseSpec, units: number): Layer {
  return spec.type === "masking"
    ? new MaskingNoise({ rate: spec.rate, seed: spec.seed, inputShape: [units] })
    : new GaussianNoise({ stddev: spec.stddev, seed: spec.seed, inputShape: [units] });
}

/** `sizes` validated: at least two positive integers (the input size, then each code size). */
export function checkSizes(value: unknown, fn: string): number[] {
  if (!Array.isArray(value) || value.length < 2) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "layers" must list the input size and at least one code size: got ${
        fmtValue(value)
      }`,
    );
  }
  return value.map((v, i) => checkPositiveInt(v, `layers[${i}]`, fn));
}

/** `value` validated as the activation name of argument `arg`, `fallback` when undefined. */
export function activationOr(
  value: unknown,
  fallback: ActivationName,
  arg: string,
  fn: string,
): ActivationName {
  return checkOneOf(value ?? fallback, ACTIVATIONS, arg, fn);
}

/** The layer that maps `encoder`'s codes back to its `inputDim` inputs: tied or its own kernel. */
export function decoderOf(
  encoder: Dense,
  inputDim: number,
  activation: ActivationName,
  tied: boolean,
): Layer {
  return tied
    ? new DenseTied({ tiedTo: encoder, activation })
    : new Dense({ units: inputDim, activation });
}
