/**
 * Initialisers with options, as TF.js `tf.initializers` and Keras `keras.initializers`: each
 * factory checks its options and returns an object that any layer's `kernelInitializer`,
 * `biasInitializer` (and the other initialiser arguments) takes, saved with the model as Keras's
 * `{ className, config }`. The same initialisers with their defaults are also taken by name
 * (`kernelInitializer: "heNormal"`).
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * dn.setSeed(1);
 * const layer = dn.layers.dense({
 *   units: 64,
 *   kernelInitializer: dn.initializers.randomNormal({ stddev: 0.01 }),
 *   biasInitializer: dn.initializers.constant({ value: 0.1 }),
 * });
 * layer.ensureBuilt([32]);
 * assert.ok(layer.weights[1].value.dataSync().every((b) => Math.abs(b - 0.1) < 1e-7));
 * layer.dispose();
 * ```
 *
 * @module
 */
import { checkOneOf, checkOptions, fmtShape, fmtValue } from "../_check.ts";
import {
  type Distribution,
  type FanMode,
  InitializerSpec,
  orthogonalValues,
  truncatedNormalDraw,
  varianceScalingDraw,
} from "./_initializer_spec.ts";

export { InitializerSpec } from "./_initializer_spec.ts";
export type { Distribution, FanMode } from "./_initializer_spec.ts";

/** The `seed` option every drawing initialiser takes. */
export interface SeedOptions {
  /** Draws from a generator of this seed (the same values at every build) instead of the layer's. */
  seed?: number;
}

function number(value: unknown, fallback: number, arg: string, fn: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new (typeof value === "number" ? RangeError : TypeError)(
      `Cannot run ${fn}(): option "${arg}" must be a finite number: got ${fmtValue(value)}`,
    );
  }
  return value;
}

function positive(value: unknown, fallback: number, arg: string, fn: string): number {
  const v = number(value, fallback, arg, fn);
  if (!(v > 0)) {
    throw new RangeError(`Cannot run ${fn}(): option "${arg}" must be > 0: got ${v}`);
  }
  return v;
}

/** Checks `options` against `keys` + `seed`; returns them and the seed config entry. */
function withSeed(
  options: unknown,
  keys: string[],
  fn: string,
): [Record<string, unknown>, { seed?: number }] {
  const o = checkOptions(options ?? {}, [...keys, "seed"], fn) as Record<string, unknown>;
  if (o.seed === undefined) return [o, {}];
  if (!Number.isInteger(o.seed)) {
    throw new TypeError(
      `Cannot run ${fn}(): option "seed" must be an integer: got ${fmtValue(o.seed)}`,
    );
  }
  return [o, { seed: o.seed as number }];
}

/**
 * Normal draws (Keras `RandomNormal`).
 *
 * @param options `mean` (0), `stddev` (0.05, > 0), `seed`.
 * @returns The initialiser.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 * @throws {RangeError} When `stddev` is not > 0 or a number is not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const init = dn.initializers.randomNormal({ mean: 1, stddev: 0.5 });
 * assert.deepEqual(init.getConfig(), { className: "RandomNormal", config: { mean: 1, stddev: 0.5 } });
 * ```
 */
export function randomNormal(
  options: { mean?: number; stddev?: number } & SeedOptions = {},
): InitializerSpec {
  const fn = "randomNormal";
  const [o, seed] = withSeed(options, ["mean", "stddev"], fn);
  const mean = number(o.mean, 0, "mean", fn), stddev = positive(o.stddev, 0.05, "stddev", fn);
  return new InitializerSpec("RandomNormal", { mean, stddev, ...seed }, (values, _, rng) => {
    for (let i = 0; i < values.length; i++) values[i] = mean + stddev * rng.normal();
  });
}

/**
 * Uniform draws in `[minval, maxval)` (Keras `RandomUniform`).
 *
 * @param options `minval` (-0.05), `maxval` (0.05, > `minval`), `seed`.
 * @returns The initialiser.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 * @throws {RangeError} When `maxval <= minval` or a number is not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const init = dn.initializers.randomUniform({ minval: 0, maxval: 1 });
 * assert.equal(init.className, "RandomUniform");
 * ```
 */
export function randomUniform(
  options: { minval?: number; maxval?: number } & SeedOptions = {},
): InitializerSpec {
  const fn = "randomUniform";
  const [o, seed] = withSeed(options, ["minval", "maxval"], fn);
  const minval = number(o.minval, -0.05, "minval", fn);
  const maxval = number(o.maxval, 0.05, "maxval", fn);
  if (!(maxval > minval)) {
    throw new RangeError(
      `Cannot run ${fn}(): option "maxval" must be > "minval" (${minval}): got ${maxval}`,
    );
  }
  return new InitializerSpec("RandomUniform", { minval, maxval, ...seed }, (values, _, rng) => {
    for (let i = 0; i < values.length; i++) values[i] = minval + (maxval - minval) * rng.next();
  });
}

/**
 * Normal draws redrawn until within two standard deviations of the mean (Keras
 * `TruncatedNormal`; the spread is `stddev` before truncation, about 0.88·`stddev` after).
 *
 * @param options `mean` (0), `stddev` (0.05, > 0), `seed`.
 * @returns The initialiser.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 * @throws {RangeError} When `stddev` is not > 0 or a number is not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.equal(dn.initializers.truncatedNormal().config.stddev, 0.05);
 * ```
 */
export function truncatedNormal(
  options: { mean?: number; stddev?: number } & SeedOptions = {},
): InitializerSpec {
  const fn = "truncatedNormal";
  const [o, seed] = withSeed(options, ["mean", "stddev"], fn);
  const mean = number(o.mean, 0, "mean", fn), stddev = positive(o.stddev, 0.05, "stddev", fn);
  return new InitializerSpec("TruncatedNormal", { mean, stddev, ...seed }, (values, _, rng) => {
    for (let i = 0; i < values.length; i++) values[i] = mean + stddev * truncatedNormalDraw(rng);
  });
}

/** Options of {@linkcode varianceScaling}. */
export interface VarianceScalingOptions extends SeedOptions {
  /** The variance's numerator, > 0 (default 1). */
  scale?: number;
  /** Which fan divides it (default `"fanIn"`). */
  mode?: FanMode;
  /** Default `"truncatedNormal"` (with Keras's 0.8796 correction of the spread). */
  distribution?: Distribution;
}

function scaled(
  className: string,
  fn: string,
  scale: number,
  mode: FanMode,
  distribution: Distribution,
  options: unknown,
): InitializerSpec {
  const [, seed] = withSeed(options, [], fn);
  return new InitializerSpec(className, seed, varianceScalingDraw(scale, mode, distribution));
}

/**
 * Draws of variance `scale / n`, `n` the fan in, the fan out or their mean, from a truncated
 * normal, a normal or a uniform distribution (Keras `VarianceScaling`; glorot, he and lecun are
 * its cases).
 *
 * @param options `scale` (1), `mode` (`"fanIn"`, `"fanOut"`, `"fanAvg"`), `distribution`
 *   (`"truncatedNormal"`, also `"normal"` as TF.js names it, `"untruncatedNormal"`, `"uniform"`),
 *   `seed`.
 * @returns The initialiser.
 * @throws {TypeError} When an option is unknown, of the wrong type, or not one of its values.
 * @throws {RangeError} When `scale` is not > 0.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const init = dn.initializers.varianceScaling({ scale: 2, mode: "fanOut", distribution: "uniform" });
 * assert.deepEqual(init.getConfig().config, { scale: 2, mode: "fanOut", distribution: "uniform" });
 * ```
 */
export function varianceScaling(options: VarianceScalingOptions = {}): InitializerSpec {
  const fn = "varianceScaling";
  const [o, seed] = withSeed(options, ["scale", "mode", "distribution"], fn);
  const scale = positive(o.scale, 1, "scale", fn);
  const mode = checkOneOf(o.mode ?? "fanIn", ["fanIn", "fanOut", "fanAvg"] as const, "mode", fn);
  const distribution = checkOneOf(
    o.distribution ?? "truncatedNormal",
    ["truncatedNormal", "normal", "untruncatedNormal", "uniform"] as const,
    "distribution",
    fn,
  );
  return new InitializerSpec(
    "VarianceScaling",
    { scale, mode, distribution, ...seed },
    varianceScalingDraw(scale, mode, distribution),
  );
}

/**
 * Glorot (Xavier) uniform: `varianceScaling({ scale: 1, mode: "fanAvg", distribution: "uniform" })`,
 * limit `sqrt(6 / (fanIn + fanOut))` (Keras `GlorotUniform`, the default kernel initialiser).
 *
 * @param options `seed`.
 * @returns The initialiser.
 * @throws {TypeError} When an option is unknown or `seed` is not an integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual(dn.initializers.glorotUniform({ seed: 3 }).getConfig(), {
 *   className: "GlorotUniform",
 *   config: { seed: 3 },
 * });
 * ```
 */
export function glorotUniform(options: SeedOptions = {}): InitializerSpec {
  return scaled("GlorotUniform", "glorotUniform", 1, "fanAvg", "uniform", options);
}

/**
 * Glorot normal: truncated normal of variance `2 / (fanIn + fanOut)` (Keras `GlorotNormal`).
 *
 * @param options `seed`.
 * @returns The initialiser.
 * @throws {TypeError} When an option is unknown or `seed` is not an integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.equal(dn.initializers.glorotNormal().className, "GlorotNormal");
 * ```
 */
export function glorotNormal(options: SeedOptions = {}): InitializerSpec {
  return scaled("GlorotNormal", "glorotNormal", 1, "fanAvg", "truncatedNormal", options);
}

/**
 * He normal: truncated normal of variance `2 / fanIn` (Keras `HeNormal`).
 *
 * @param options `seed`.
 * @returns The initialiser.
 * @throws {TypeError} When an option is unknown or `seed` is not an integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.equal(dn.initializers.heNormal().className, "HeNormal");
 * ```
 */
export function heNormal(options: SeedOptions = {}): InitializerSpec {
  return scaled("HeNormal", "heNormal", 2, "fanIn", "truncatedNormal", options);
}

/**
 * He uniform: uniform with limit `sqrt(6 / fanIn)` (Keras `HeUniform`).
 *
 * @param options `seed`.
 * @returns The initialiser.
 * @throws {TypeError} When an option is unknown or `seed` is not an integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.equal(dn.initializers.heUniform().className, "HeUniform");
 * ```
 */
export function heUniform(options: SeedOptions = {}): InitializerSpec {
  return scaled("HeUniform", "heUniform", 2, "fanIn", "uniform", options);
}

/**
 * LeCun normal: truncated normal of variance `1 / fanIn` (Keras `LecunNormal`, for selu).
 *
 * @param options `seed`.
 * @returns The initialiser.
 * @throws {TypeError} When an option is unknown or `seed` is not an integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.equal(dn.initializers.lecunNormal().className, "LecunNormal");
 * ```
 */
export function lecunNormal(options: SeedOptions = {}): InitializerSpec {
  return scaled("LecunNormal", "lecunNormal", 1, "fanIn", "truncatedNormal", options);
}

/**
 * LeCun uniform: uniform with limit `sqrt(3 / fanIn)` (Keras `LecunUniform`).
 *
 * @param options `seed`.
 * @returns The initialiser.
 * @throws {TypeError} When an option is unknown or `seed` is not an integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.equal(dn.initializers.lecunUniform().className, "LecunUniform");
 * ```
 */
export function lecunUniform(options: SeedOptions = {}): InitializerSpec {
  return scaled("LecunUniform", "lecunUniform", 1, "fanIn", "uniform", options);
}

/**
 * An orthogonal matrix times `gain` (Keras `Orthogonal`): the weight is seen as
 * `[product of all but the last dimension, last dimension]`, and its rows (or columns, whichever
 * are fewer) are orthonormal.
 *
 * @param options `gain` (1), `seed`.
 * @returns The initialiser; drawing a weight of rank < 2 throws a RangeError.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 * @throws {RangeError} When `gain` is not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.dense({ units: 3, kernelInitializer: dn.initializers.orthogonal() });
 * layer.ensureBuilt([3]);
 * const k = layer.weights[0].value;
 * const kk = dn.matmul(k, k, { transposeA: true }).dataSync(); // kᵀk = I
 * assert.ok([1, 0, 0, 0, 1, 0, 0, 0, 1].every((v, i) => Math.abs(kk[i] - v) < 1e-6));
 * layer.dispose();
 * ```
 */
export function orthogonal(options: { gain?: number } & SeedOptions = {}): InitializerSpec {
  const fn = "orthogonal";
  const [o, seed] = withSeed(options, ["gain"], fn);
  const gain = number(o.gain, 1, "gain", fn);
  return new InitializerSpec("Orthogonal", { gain, ...seed }, (values, shape, rng) => {
    if (shape.length < 2) {
      throw new RangeError(
        `Cannot run ${fn}(): the weight must have rank >= 2: got shape ${fmtShape(shape)}`,
      );
    }
    const cols = shape[shape.length - 1], rows = values.length / cols;
    const q = orthogonalValues(rows, cols, rng);
    for (let i = 0; i < values.length; i++) values[i] = gain * q[i];
  });
}

/**
 * Every value `value` (Keras `Constant`).
 *
 * @param options `value` (0).
 * @returns The initialiser.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 * @throws {RangeError} When `value` is not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual(dn.initializers.constant({ value: 0.1 }).getConfig(), {
 *   className: "Constant",
 *   config: { value: 0.1 },
 * });
 * ```
 */
export function constant(options: { value?: number } = {}): InitializerSpec {
  const fn = "constant";
  const o = checkOptions(options ?? {}, ["value"], fn) as Record<string, unknown>;
  const value = number(o.value, 0, "value", fn);
  return new InitializerSpec("Constant", { value }, (values) => values.fill(value));
}

/**
 * Zeros (Keras `Zeros`, the default bias initialiser).
 *
 * @returns The initialiser.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.equal(dn.initializers.zeros().className, "Zeros");
 * ```
 */
export function zeros(): InitializerSpec {
  return new InitializerSpec("Zeros", {}, (values) => values.fill(0));
}

/**
 * Ones (Keras `Ones`).
 *
 * @returns The initialiser.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.equal(dn.initializers.ones().className, "Ones");
 * ```
 */
export function ones(): InitializerSpec {
  return new InitializerSpec("Ones", {}, (values) => values.fill(1));
}
