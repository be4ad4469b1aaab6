/**
 * Layer factories, Keras names camelCased as in TensorFlow.js: `dn.layers.dense({...})`.
 *
 * @module
 */
import { Activation, Dropout, Flatten, Reshape } from "./basic.ts";
import { Dense, type DenseArgs } from "./dense.ts";
import type { LayerArgs } from "./layer.ts";
import type { ActivationName } from "./activations.ts";

export { Layer } from "./layer.ts";
export type { LayerArgs, LayerWeight } from "./layer.ts";
export { Activation, Dense, Dropout, Flatten, Reshape };
export type { ActivationName, DenseArgs };
export type { Initializer } from "./initializers.ts";

/**
 * A fully connected layer: `activation(x·kernel + bias)`, kernel `[inputDim, units]`.
 *
 * @param args `units`, `activation`, `useBias`, `kernelInitializer`, `biasInitializer`,
 *   `kernelRegularizer`, `inputShape`, `name`.
 * @returns The layer.
 * @throws {RangeError} When `units` is not a positive integer or `l2` is negative.
 * @throws {TypeError} When the activation or an initialiser name is unknown.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.dense({ units: 3, activation: "relu", inputShape: [4] });
 * const y = layer.call(dn.ones([2, 4]));
 * assert.deepEqual(y.shape, [2, 3]);
 * assert.equal(layer.countParams(), 15);
 * ```
 */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}

/**
 * Applies an activation function (`"linear"`, `"relu"`, `"sigmoid"`, `"tanh"`, `"softmax"`).
 *
 * @param args `activation`, and the common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When the activation is unknown.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.activation({ activation: "relu" }).call(dn.tensor([[-1, 2]]));
 * assert.deepEqual([...y.dataSync()], [0, 2]);
 * ```
 */
export function activation(args: LayerArgs & { activation: ActivationName }): Activation {
  return new Activation(args);
}

/**
 * Inverted dropout, active only in training (`fit`); seeded by `seed` or the global generator.
 *
 * @param args `rate` in [0, 1), `seed`, and the common layer arguments.
 * @returns The layer.
 * @throws {RangeError} When `rate` is outside [0, 1).
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.dropout({ rate: 0.5, seed: 1 });
 * const x = dn.ones([1, 1000]);
 * assert.deepEqual(layer.call(x, false).dataSync(), x.dataSync());
 * const kept = layer.call(x, true).dataSync().filter((v) => v === 2).length;
 * assert.ok(kept > 400 && kept < 600);
 * ```
 */
export function dropout(args: LayerArgs & { rate: number; seed?: number }): Dropout {
  return new Dropout(args);
}

/**
 * Flattens each sample to one dimension.
 *
 * @param args The common layer arguments.
 * @returns The layer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual(dn.layers.flatten().call(dn.zeros([2, 3, 4])).shape, [2, 12]);
 * ```
 */
export function flatten(args: LayerArgs = {}): Flatten {
  return new Flatten(args);
}

/**
 * Reshapes each sample to `targetShape`.
 *
 * @param args `targetShape` (one entry may be -1), and the common layer arguments.
 * @returns The layer.
 * @throws {RangeError} When `targetShape` is invalid.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual(dn.layers.reshape({ targetShape: [3, 2] }).call(dn.zeros([5, 6])).shape, [5, 3, 2]);
 * ```
 */
export function reshape(args: LayerArgs & { targetShape: number[] }): Reshape {
  return new Reshape(args);
}
