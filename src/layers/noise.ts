/**
 * Regularisation layers that add noise in training only (Keras `GaussianNoise`,
 * `GaussianDropout`, and `MaskingNoise`, the corruption of denoising autoencoders); at inference
 * they pass their input through. Each call draws a fresh seed
 * from the layer's own generator (`seed`) or the global one (`dn.setSeed`).
 *
 * @module
 */
import { checkArity, checkFinite, checkTensor, fmtValue } from "../_check.ts";
import { add, mul } from "../ops/arithmetic.ts";
import { dropoutMask, randomNormal } from "../ops/random.ts";
import { generator, Random } from "../random.ts";
import type { Tensor } from "../tensor.ts";
import { Layer, type LayerArgs } from "./layer.ts";

/** Arguments of `gaussianNoise()`. */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the added noise, >= 0. */
  stddev: number;
  /** Seed of the layer's own generator; default: the global generator. */
  seed?: number;
}

/** Arguments of `gaussianDropout()`. */
export interface GaussianDropoutArgs extends LayerArgs {
  /** Drop probability in [0, 1): the noise has mean 1 and variance `rate / (1 - rate)`. */
  rate: number;
  /** Seed of the layer's own generator; default: the global generator. */
  seed?: number;
}

/** Arguments of `maskingNoise()`. */
export interface MaskingNoiseArgs extends LayerArgs {
  /** Fraction of values zeroed, in [0, 1): the others pass unscaled. */
  rate: number;
  /** Seed of the layer's own generator; default: the global generator. */
  seed?: number;
}

/** The shared part: the seed and the draw of one call's noise. */
abstract class NoiseLayer extends Layer {
  readonly seed: number | undefined;
  readonly #rng: Random | undefined;

  constructor(args: LayerArgs & { seed?: number }, prefix: string, fn: string, key: string) {
    super(args ?? {}, prefix, [key, "seed"], fn);
    this.seed = args?.seed === undefined ? undefined : checkFinite(args.seed, "seed", fn);
    this.#rng = this.seed === undefined ? undefined : new Random(this.seed);
  }

  /** The seed of one call's draw: the next u32 of the layer's generator, or the global one. */
  protected nextSeed(): number {
    return (this.#rng ?? generator()).nextUint32();
  }

  /** Normal draws of `shape` with `mean` and `stdDev`, seeded by the next draw of the generator. */
  protected noise(shape: readonly number[], mean: number, stdDev: number): Tensor {
    return randomNormal(shape, { mean, stdDev, seed: this.nextSeed() });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...(this.seed !== undefined ? { seed: this.seed } : {}) };
  }
}

/** Adds zero-mean normal noise of standard deviation `stddev` in training. */
export class GaussianNoise extends NoiseLayer {
  readonly className = "GaussianNoise";
  readonly stddev: number;
  /** @param args See `GaussianNoiseArgs`. */
  constructor(args: GaussianNoiseArgs) {
    super(args, "gaussian_noise", "gaussianNoise", "stddev");
    const stddev = checkFinite(args?.stddev, "stddev", "gaussianNoise");
    if (stddev < 0) {
      throw new RangeError(
        `Cannot run gaussianNoise(): argument "stddev" must be >= 0: got ${stddev}`,
      );
    }
    this.stddev = stddev;
  }
  call(x: Tensor, training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    if (!training || this.stddev === 0) return x;
    using n = this.noise(x.shape, 0, this.stddev);
    return add(x, n);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}

/** A noise layer's `rate`, a number in [0, 1). */
function checkRate(rate: unknown, fn: string): number {
  if (typeof rate !== "number" || !(rate >= 0 && rate < 1)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "rate" must be in [0, 1): got ${fmtValue(rate)}`,
    );
  }
  return rate;
}

/** Multiplies by normal noise of mean 1 and standard deviation `sqrt(rate / (1 - rate))` in training. */
export class GaussianDropout extends NoiseLayer {
  readonly className = "GaussianDropout";
  readonly rate: number;
  /** @param args See `GaussianDropoutArgs`. */
  constructor(args: GaussianDropoutArgs) {
    super(args, "gaussian_dropout", "gaussianDropout", "rate");
    this.rate = checkRate(args?.rate, "gaussianDropout");
  }
  call(x: Tensor, training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    if (!training || this.rate === 0) return x;
    using n = this.noise(x.shape, 1, Math.sqrt(this.rate / (1 - this.rate)));
    return mul(x, n);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}

/**
 * Zeroes each value with probability `rate` in training and leaves the others unscaled (the
 * masking corruption of denoising autoencoders; dropout would scale them by `1 / (1 - rate)`).
 */
export class MaskingNoise extends NoiseLayer {
  readonly className = "MaskingNoise";
  readonly rate: number;
  /** @param args See `MaskingNoiseArgs`. */
  constructor(args: MaskingNoiseArgs) {
    super(args, "masking_noise", "maskingNoise", "rate");
    this.rate = checkRate(args?.rate, "maskingNoise");
  }
  call(x: Tensor, training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    if (!training || this.rate === 0) return x;
    using mask = dropoutMask(x.shape, this.rate, this.nextSeed(), 1);
    return mul(x, mask);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}

/**
 * Adds zero-mean normal noise of standard deviation `stddev` in training (Keras
 * `GaussianNoise`), for regularisation or a denoising autoencoder's corruption; passes values
 * through at inference. The gradient passes through unchanged.
 *
 * @param args `stddev` (>= 0), `seed` (default: the global generator, `dn.setSeed`), and the
 *   common layer arguments.
 * @returns The layer.
 * @throws {RangeError} When `stddev` is negative or not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.gaussianNoise({ stddev: 0.5, seed: 1 });
 * const x = dn.zeros([1, 10000]);
 * assert.deepEqual(layer.call(x, false).dataSync(), x.dataSync());
 * const noise = layer.call(x, true).dataSync();
 * const std = Math.sqrt(noise.reduce((s, v) => s + v * v, 0) / noise.length);
 * assert.ok(Math.abs(std - 0.5) < 0.02);
 * ```
 */
export function gaussianNoise(args: GaussianNoiseArgs): GaussianNoise {
  checkArity(arguments, ["args"], "gaussianNoise");
  return new GaussianNoise(args);
}

/**
 * Multiplies by normal noise of mean 1 and standard deviation `sqrt(rate / (1 - rate))` in
 * training (Keras `GaussianDropout`); passes values through at inference.
 *
 * @param args `rate` in [0, 1), `seed` (default: the global generator, `dn.setSeed`), and the
 *   common layer arguments.
 * @returns The layer.
 * @throws {RangeError} When `rate` is outside [0, 1).
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.gaussianDropout({ rate: 0.2, seed: 1 });
 * const y = layer.call(dn.ones([1, 10000]), true).dataSync();
 * const mean = y.reduce((s, v) => s + v, 0) / y.length;
 * assert.ok(Math.abs(mean - 1) < 0.02); // std sqrt(0.2 / 0.8) = 0.5
 * ```
 */
export function gaussianDropout(args: GaussianDropoutArgs): GaussianDropout {
  checkArity(arguments, ["args"], "gaussianDropout");
  return new GaussianDropout(args);
}

/**
 * Masking noise, the corruption of denoising autoencoders (Vincent et al. 2008): in training each
 * value is zeroed with probability `rate` and the others pass unscaled (unlike `dropout`, which
 * scales them by `1 / (1 - rate)`); at inference values pass through. The mask is drawn in the
 * kernel (as dropout's), the same on every backend for the same seed; the gradient is the mask.
 *
 * @param args `rate` in [0, 1), `seed` (default: the global generator, `dn.setSeed`), and the
 *   common layer arguments.
 * @returns The layer.
 * @throws {RangeError} When `rate` is outside [0, 1).
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.maskingNoise({ rate: 0.3, seed: 1 });
 * const y = layer.call(dn.fill([1, 10000], 2), true).dataSync();
 * assert.ok(y.every((v) => v === 0 || v === 2)); // kept values are not rescaled
 * const zeroed = y.filter((v) => v === 0).length / y.length;
 * assert.ok(Math.abs(zeroed - 0.3) < 0.02);
 * ```
 */
export function maskingNoise(args: MaskingNoiseArgs): MaskingNoise {
  checkArity(arguments, ["args"], "maskingNoise");
  return new MaskingNoise(args);
}
