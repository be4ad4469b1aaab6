/**
 * Random tensors from the seeded generator: `randomUniform`, `randomNormal`.
 *
 * @module
 */
import { checkArity, checkFinite, checkOptions, checkShape } from "../_check.ts";
import { fused } from "../backend/fused_defaults.ts";
import { activeBackend } from "../backend/select.ts";
import { generator } from "../random.ts";
import type { Tensor } from "../tensor.ts";
import { checkFits, output } from "./_output.ts";

/** Options of `randomUniform()`. */
export interface RandomUniformOptions {
  /** Lower bound, inclusive (default 0). */
  minval?: number;
  /** Upper bound, exclusive (default 1). */
  maxval?: number;
  /** Seed for this draw; without it the global generator (`setSeed`) is used. */
  seed?: number;
}

/** Options of `randomNormal()`. */
export interface RandomNormalOptions {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation (default 1). */
  stdDev?: number;
  /** Seed for this draw; without it the global generator (`setSeed`) is used. */
  seed?: number;
}

function seeded(values: Float32Array, shape: number[], fn: string): Tensor {
  const t = output(shape, fn);
  activeBackend().write(t.storage, values);
  return t;
}

/**
 * A tensor of values drawn uniformly from `[minval, maxval)`.
 *
 * @param shape Dimensions.
 * @param options `minval`, `maxval`, `seed`.
 * @returns A new tensor.
 * @throws {RangeError} When a dimension is invalid, a bound or the seed is not finite, or
 *   `minval > maxval`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const t = dn.randomUniform([100], { minval: -1, maxval: 1, seed: 7 });
 * assert.ok(t.dataSync().every((v) => v >= -1 && v < 1));
 * ```
 */
export function randomUniform(
  shape: readonly number[],
  options: RandomUniformOptions = {},
): Tensor {
  checkArity(arguments, ["shape", "options"], "randomUniform");
  const fn = "randomUniform";
  const dims = checkShape(shape, "shape", fn);
  checkOptions(options, ["minval", "maxval", "seed"], fn);
  checkFits(dims, fn); // before the values are drawn into a JS array of that size
  const lo = checkFinite(options.minval ?? 0, "minval", fn);
  const hi = checkFinite(options.maxval ?? 1, "maxval", fn);
  if (lo > hi) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "minval" must not exceed "maxval": got ${lo} > ${hi}`,
    );
  }
  const rng = generator(
    options.seed === undefined ? undefined : checkFinite(options.seed, "seed", fn),
  );
  const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) {
    const v = Math.fround(lo + (hi - lo) * rng.next());
    values[i] = v < hi ? v : lo;
  }
  return seeded(values, dims, fn);
}

/**
 * A tensor of values drawn from a normal distribution.
 *
 * @param shape Dimensions.
 * @param options `mean`, `stdDev`, `seed`.
 * @returns A new tensor.
 * @throws {RangeError} When a dimension is invalid, `mean`, `stdDev` or the seed is not finite, or
 *   `stdDev` is negative.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const t = dn.randomNormal([1000], { mean: 5, stdDev: 0.1, seed: 1 });
 * const mean = t.dataSync().reduce((a, b) => a + b) / 1000;
 * assert.ok(Math.abs(mean - 5) < 0.05);
 * ```
 */
export function randomNormal(shape: readonly number[], options: RandomNormalOptions = {}): Tensor {
  checkArity(arguments, ["shape", "options"], "randomNormal");
  const fn = "randomNormal";
  const dims = checkShape(shape, "shape", fn);
  checkOptions(options, ["mean", "stdDev", "seed"], fn);
  checkFits(dims, fn);
  const mean = checkFinite(options.mean ?? 0, "mean", fn);
  const std = checkFinite(options.stdDev ?? 1, "stdDev", fn);
  if (std < 0) {
    throw new RangeError(`Cannot run ${fn}(): argument "stdDev" must be >= 0: got ${std}`);
  }
  const rng = generator(
    options.seed === undefined ? undefined : checkFinite(options.seed, "seed", fn),
  );
  const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = mean + std * rng.normal();
  return seeded(values, dims, fn);
}

/**
 * A dropout mask of `shape` drawn on the backend (no values cross from JS): each element is 0
 * with probability `rate`, else `1 / (1 - rate)`; `seed` (a u32) picks the mask. For the dropout
 * layer, which draws one seed per call from its generator.
 */
export function dropoutMask(shape: readonly number[], rate: number, seed: number): Tensor {
  const y = output(shape, "dropout");
  if (y.size > 0) fused(activeBackend()).dropoutMask(y.storage, y.size, seed, rate, 1 / (1 - rate));
  return y;
}
