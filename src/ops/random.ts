/**
 * Random tensors from the seeded generator: `randomUniform`, `randomNormal`; and draws made in the
 * kernels from (seed, index), the same bits on every backend: `randomBernoulli`, `multinomial`,
 * and `randomShuffle` (a seeded permutation drawn here, applied by a gather).
 *
 * @module
 */
import {
  ANY_DTYPE,
  checkArity,
  checkFinite,
  checkOptions,
  checkShape,
  checkTensor,
  fmtShape,
  fmtValue,
} from "../_check.ts";
import { fused } from "../backend/fused_defaults.ts";
import { activeBackend } from "../backend/select.ts";
import { generator } from "../random.ts";
import type { Tensor } from "../tensor.ts";
import { checkFits, output } from "./_output.ts";
import { tensor } from "./creation.ts";
import { gather } from "./gather.ts";
import { softmax } from "./softmax.ts";

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
 * with probability `rate`, else `keep` (default `1 / (1 - rate)`, inverted dropout; 1 for the
 * masking noise of denoising autoencoders); `seed` (a u32) picks the mask. For the dropout and
 * masking-noise layers, which draw one seed per call from their generator.
 */
export function dropoutMask(
  shape: readonly number[],
  rate: number,
  seed: number,
  keep: number = 1 / (1 - rate),
): Tensor {
  const y = output(shape, "dropout");
  if (y.size > 0) fused(activeBackend()).dropoutMask(y.storage, y.size, seed, rate, keep);
  return y;
}

/** One u32 seed for a kernel draw: from `seed` when given, else from the global generator. */
function drawSeed(seed: unknown, fn: string): number {
  return generator(seed === undefined ? undefined : checkFinite(seed, "seed", fn)).nextUint32();
}

/**
 * Bernoulli draws (Dendrite's own op: TF.js has none): each element is 1 with probability
 * `probs[i]`, else 0, drawn in the kernel from (seed, i), so every backend gives the same bits.
 * Probabilities are not checked: below 0 (or NaN) never gives 1, above 1 always does. Not
 * differentiable.
 *
 * @param probs float32 probabilities, any shape.
 * @param seed A seed for this draw; without it one is drawn from the global generator (`setSeed`).
 * @returns A float32 tensor of 0 and 1, the shape of `probs`.
 * @throws {TypeError} When `probs` is not a live float32 tensor.
 * @throws {RangeError} When `seed` is not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.randomBernoulli(dn.tensor([0, 1, 0, 1]), 7);
 * assert.deepEqual([...y.dataSync()], [0, 1, 0, 1]);
 * ```
 */
export function randomBernoulli(probs: Tensor, seed?: number): Tensor {
  const fn = "randomBernoulli";
  checkArity(arguments, ["probs", "seed"], fn);
  checkTensor(probs, "probs", fn);
  const s = drawSeed(seed, fn);
  const y = output(probs.shape, fn);
  if (y.size > 0) activeBackend().randomBernoulli(probs.storage, y.storage, y.size, s);
  return y;
}

/** Alias of {@linkcode randomBernoulli} (Dendrite's own, as TF.js has no Bernoulli op). */
export const bernoulli: typeof randomBernoulli = randomBernoulli;

/**
 * Categorical draws (`tf.multinomial`): `numSamples` outcome numbers per row, drawn with the
 * probabilities `softmax(logits)` (or `logits` themselves when `normalized`), in the kernel from
 * (seed, draw number), so every backend gives the same picks from the same probabilities.
 *
 * @param logits float32 `[outcomes]` or `[batch, outcomes]`, at least 2 outcomes: unnormalised
 *   log-probabilities, or probabilities (non-negative, any total) with `normalized`.
 * @param numSamples Draws per row, an integer >= 0.
 * @param seed A seed for this draw; without it one is drawn from the global generator (`setSeed`).
 * @param normalized Whether `logits` are probabilities (default false).
 * @returns int32 `[numSamples]` or `[batch, numSamples]`.
 * @throws {TypeError} When `logits` is not a live float32 tensor of rank 1 or 2, or `normalized`
 *   is not a boolean.
 * @throws {RangeError} When there are fewer than 2 outcomes, `numSamples` is not an integer >= 0,
 *   or `seed` is not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.multinomial(dn.tensor([[0, 0, 1], [1, 0, 0]]), 4, 3, true);
 * assert.equal(y.dtype, "int32");
 * assert.deepEqual([...y.dataSync()], [2, 2, 2, 2, 0, 0, 0, 0]);
 * ```
 */
export function multinomial(
  logits: Tensor,
  numSamples: number,
  seed?: number,
  normalized = false,
): Tensor {
  const fn = "multinomial";
  checkArity(arguments, ["logits", "numSamples", "seed", "normalized"], fn);
  checkTensor(logits, "logits", fn);
  if (logits.rank !== 1 && logits.rank !== 2) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "logits" must have rank 1 or 2: got rank ${logits.rank} (shape ${
        fmtShape(logits.shape)
      })`,
    );
  }
  const outcomes = logits.shape[logits.rank - 1];
  if (outcomes < 2) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "logits" must have at least 2 outcomes in its last dimension: got ${outcomes}`,
    );
  }
  if (!Number.isInteger(numSamples) || numSamples < 0) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "numSamples" must be an integer >= 0: got ${
        fmtValue(numSamples)
      }`,
    );
  }
  if (typeof normalized !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "normalized" must be a boolean: got ${fmtValue(normalized)}`,
    );
  }
  const s = drawSeed(seed, fn);
  const rows = logits.rank === 2 ? logits.shape[0] : 1;
  const y = output(logits.rank === 2 ? [rows, numSamples] : [numSamples], fn, "int32");
  if (y.size === 0) return y;
  using probs = normalized ? null : softmax(logits);
  activeBackend().multinomial((probs ?? logits).storage, y.storage, rows, outcomes, numSamples, s);
  return y;
}

/**
 * `x` with its rows (slices along axis 0) in a random order: a permutation drawn from the seeded
 * generator (Fisher-Yates), applied by one `gather`, so every backend gives the same order. The
 * gradient flows back through the gather.
 *
 * @param x Any dtype, rank >= 1.
 * @param seed A seed for this draw; without it the global generator (`setSeed`) is used.
 * @returns A new tensor of `x`'s shape and dtype.
 * @throws {TypeError} When `x` is not a live tensor, or is a scalar.
 * @throws {RangeError} When `seed` is not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.randomShuffle(dn.tensor([[1, 1], [2, 2], [3, 3]]), 5);
 * assert.deepEqual([...y.dataSync()].sort(), [1, 1, 2, 2, 3, 3]);
 * ```
 */
export function randomShuffle(x: Tensor, seed?: number): Tensor {
  const fn = "randomShuffle";
  checkArity(arguments, ["x", "seed"], fn);
  checkTensor(x, "x", fn, ANY_DTYPE);
  if (x.rank === 0) {
    throw new TypeError(`Cannot run ${fn}(): argument "x" must have rank >= 1: got a scalar`);
  }
  const rng = generator(seed === undefined ? undefined : checkFinite(seed, "seed", fn));
  const order = Int32Array.from({ length: x.shape[0] }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  using indices = tensor(order, [order.length], "int32");
  return gather(x, indices);
}
