/**
 * Layer factories, Keras names camelCased as in TensorFlow.js: `dn.layers.dense({...})`.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { Activation, Dropout, Flatten, Reshape } from "./basic.ts";
import { Conv2D, type Conv2DArgs } from "./conv2d.ts";
import { Dense, type DenseArgs } from "./dense.ts";
import type { LayerArgs } from "./layer.ts";
import { AveragePooling2D, MaxPooling2D, type Pooling2dArgs } from "./pooling.ts";
import type { ActivationName } from "./activations.ts";
import { GRU, LSTM, type RecurrentArgs, SimpleRNN } from "./recurrent.ts";
import {
  Bidirectional,
  type BidirectionalArgs,
  TimeDistributed,
  type WrappedLayer,
} from "./wrappers.ts";
import { Embedding, type EmbeddingArgs } from "./embedding.ts";
import {
  BatchNormalization,
  type BatchNormalizationArgs,
  LayerNormalization,
  type LayerNormalizationArgs,
} from "./normalization.ts";

export { Layer } from "./layer.ts";
export type { LayerArgs, LayerWeight } from "./layer.ts";
export { Activation, Dense, Dropout, Flatten, Reshape };
export type { ActivationName, DenseArgs };
export { Conv2D };
export type { Conv2DArgs };
export { AveragePooling2D, MaxPooling2D };
export type { Pooling2dArgs };
export type { Initializer } from "./initializers.ts";
export { GRU, LSTM, RecurrentLayer, SimpleRNN } from "./recurrent.ts";
export type {
  RecurrentArgs,
  RecurrentCallOptions,
  RecurrentInitializer,
  RnnActivation,
} from "./recurrent.ts";
export { Bidirectional, TimeDistributed };
export type { BidirectionalArgs, MergeMode, WrappedLayer } from "./wrappers.ts";
export { Embedding };
export type { EmbeddingArgs };
export { BatchNormalization, LayerNormalization };
export type { BatchNormalizationArgs, LayerNormalizationArgs };
export {
  GaussianDropout,
  gaussianDropout,
  GaussianNoise,
  gaussianNoise,
  MaskingNoise,
  maskingNoise,
} from "./noise.ts";
export type { GaussianDropoutArgs, GaussianNoiseArgs, MaskingNoiseArgs } from "./noise.ts";
export { DenseTied, denseTied } from "./dense_tied.ts";
export type { DenseTiedArgs } from "./dense_tied.ts";
export {
  Cropping2D,
  cropping2d,
  Permute,
  permute,
  RepeatVector,
  repeatVector,
  UpSampling2D,
  upSampling2d,
  ZeroPadding2D,
  zeroPadding2d,
} from "./reshaping.ts";
export type {
  Cropping2DArgs,
  PermuteArgs,
  RepeatVectorArgs,
  UpSampling2DArgs,
  ZeroPadding2DArgs,
} from "./reshaping.ts";
export {
  GlobalAveragePooling2D,
  globalAveragePooling2d,
  GlobalMaxPooling2D,
  globalMaxPooling2d,
} from "./global_pooling.ts";
export {
  ELU,
  elu,
  LeakyReLU,
  leakyReLU,
  ReLU,
  reLU,
  Softmax,
  softmax,
} from "./activation_layers.ts";
export type { ReLUArgs } from "./activation_layers.ts";
export { Lambda, lambda } from "./lambda.ts";
export type { LambdaArgs } from "./lambda.ts";
export {
  Add,
  add,
  Average,
  average,
  Concatenate,
  concatenate,
  Dot,
  dot,
  Maximum,
  maximum,
  Minimum,
  minimum,
  Multiply,
  multiply,
  Subtract,
  subtract,
} from "./merge.ts";
export type { ConcatenateArgs, DotArgs } from "./merge.ts";
export {
  Conv1D,
  conv1d,
  Conv2DTranspose,
  conv2dTranspose,
  DepthwiseConv2D,
  depthwiseConv2d,
  SeparableConv2D,
  separableConv2d,
} from "./conv_more.ts";
export type {
  Conv1DArgs,
  Conv2DTransposeArgs,
  DepthwiseConv2DArgs,
  SeparableConv2DArgs,
} from "./conv_more.ts";

/**
 * A fully connected layer: `activation(x·kernel + bias)`, kernel `[inputDim, units]`.
 *
 * @param args `units`, `activation`, `useBias`, `kernelInitializer`, `biasInitializer`,
 *   `kernelRegularizer`, `biasRegularizer`, `activityRegularizer` (`dn.regularizers`),
 *   `kernelConstraint`, `biasConstraint` (`dn.constraints`), `inputShape`, `name`.
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
  checkArity(arguments, ["args"], "dense");
  return new Dense(args);
}

/**
 * A 2-D convolution over NHWC samples `[height, width, channels]` (Keras `Conv2D`):
 * `activation(conv2d(x, kernel) + bias)`, kernel `[kernelHeight, kernelWidth, channels, filters]`.
 *
 * @param args `filters`, `kernelSize`, `strides`, `padding` (`"valid"`, default, or `"same"`),
 *   `dilationRate`, `activation`, `useBias`, `kernelInitializer`, `biasInitializer`,
 *   `kernelRegularizer`, `biasRegularizer`, `activityRegularizer` (`dn.regularizers`),
 *   `kernelConstraint`, `biasConstraint` (`dn.constraints`), `inputShape`, `name`.
 * @returns The layer.
 * @throws {TypeError} When `kernelSize`/`strides`/`dilationRate` are not a number or two, or
 *   `padding`, the activation or an initialiser name is unknown.
 * @throws {RangeError} When `filters`/`kernelSize`/`strides`/`dilationRate` are not positive
 *   integers, strides and dilation both exceed 1, or `l2` is negative.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.conv2d({ filters: 6, kernelSize: 5, activation: "relu" });
 * assert.deepEqual(layer.computeOutputShape([28, 28, 1]), [24, 24, 6]);
 * assert.deepEqual(layer.call(dn.ones([2, 28, 28, 1])).shape, [2, 24, 24, 6]);
 * assert.equal(layer.countParams(), 5 * 5 * 1 * 6 + 6);
 * ```
 */
export function conv2d(args: Conv2DArgs): Conv2D {
  checkArity(arguments, ["args"], "conv2d");
  return new Conv2D(args);
}

/**
 * Applies an activation function by name: `"linear"`, `"relu"`, `"sigmoid"`, `"tanh"`, `"softmax"`,
 * `"leakyRelu"` (slope 0.2), `"elu"`, `"selu"`, `"gelu"`, `"swish"`, `"softplus"`, `"softsign"`,
 * `"hardSigmoid"` (`clip(0.2·x + 0.5, 0, 1)`).
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
  checkArity(arguments, ["args"], "activation");
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
  checkArity(arguments, ["args"], "dropout");
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
  checkArity(arguments, ["args"], "flatten");
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
  checkArity(arguments, ["args"], "reshape");
  return new Reshape(args);
}

/**
 * Max pooling over NHWC samples `[height, width, channels]` (Keras `MaxPooling2D`): the largest
 * value of each window; the gradient goes to each window's first maximum.
 *
 * @param args `poolSize` (default `[2, 2]`), `strides` (default `poolSize`), `padding`
 *   (`"valid"`, default, or `"same"`), and the common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `poolSize`/`strides` are not a number or two, or `padding` is unknown.
 * @throws {RangeError} When `poolSize`/`strides` are not positive integers.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.maxPooling2d({ poolSize: 2 });
 * assert.deepEqual(layer.computeOutputShape([28, 28, 8]), [14, 14, 8]);
 * assert.deepEqual(layer.call(dn.ones([1, 5, 5, 3])).shape, [1, 2, 2, 3]);
 * ```
 */
export function maxPooling2d(args: Pooling2dArgs = {}): MaxPooling2D {
  checkArity(arguments, ["args"], "maxPooling2d");
  return new MaxPooling2D(args);
}

/**
 * Average pooling over NHWC samples `[height, width, channels]` (Keras `AveragePooling2D`): the
 * mean of each window over its elements inside the input (border windows of `"same"` divide by
 * their smaller count).
 *
 * @param args `poolSize` (default `[2, 2]`), `strides` (default `poolSize`), `padding`
 *   (`"valid"`, default, or `"same"`), and the common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `poolSize`/`strides` are not a number or two, or `padding` is unknown.
 * @throws {RangeError} When `poolSize`/`strides` are not positive integers.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: "same" });
 * assert.deepEqual(layer.computeOutputShape([5, 7, 4]), [3, 4, 4]);
 * const y = layer.call(dn.fill([1, 5, 7, 4], 2));
 * assert.deepEqual([...new Set(y.dataSync())], [2]);
 * ```
 */
export function averagePooling2d(args: Pooling2dArgs = {}): AveragePooling2D {
  checkArity(arguments, ["args"], "averagePooling2d");
  return new AveragePooling2D(args);
}

/**
 * A fully connected RNN over `[batch, steps, features]` (Keras `SimpleRNN`):
 * `h = activation(x·kernel + h·recurrentKernel + bias)`, kernel `[features, units]`.
 *
 * @param args `units`, `activation` (`"tanh"` default, `"relu"`, `"sigmoid"`, `"linear"`),
 *   `returnSequences`, `returnState`, `goBackwards`, `truncate`, `useBias`, initialisers,
 *   `kernelRegularizer`, `recurrentRegularizer`, `biasRegularizer`, `activityRegularizer`,
 *   `kernelConstraint`, `recurrentConstraint`, `biasConstraint`, `inputShape`
 *   (`[steps, features]`), `name`.
 * @returns The layer; `call(x, training, { initialState })` gives the output,
 *   `callWithState(x)` gives `[output, h]`.
 * @throws {RangeError} When `units` or `truncate` is not a positive integer.
 * @throws {TypeError} When the activation or an initialiser name is unknown.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.simpleRNN({ units: 4, returnSequences: true });
 * assert.deepEqual(layer.call(dn.ones([2, 7, 3])).shape, [2, 7, 4]);
 * assert.equal(layer.countParams(), 3 * 4 + 4 * 4 + 4);
 * ```
 */
export function simpleRNN(args: RecurrentArgs): SimpleRNN {
  checkArity(arguments, ["args"], "simpleRNN");
  return new SimpleRNN(args);
}

/**
 * A long short-term memory layer (Keras `LSTM`, gate order i, f, c, o): kernel
 * `[features, 4·units]`, `recurrent_kernel` `[units, 4·units]`, `bias` `[4·units]` (forget
 * block initialised to 1). With `activation` `"tanh"` and `recurrentActivation` `"sigmoid"` (the
 * defaults) one fused op per sequence, with BPTT (optionally truncated); any other pair of layer
 * activations (`"relu"`, `"hardSigmoid"`...) runs the step composed from ops (no `truncate`).
 *
 * @param args `units`, `activation`, `recurrentActivation`, `returnSequences`, `returnState`,
 *   `goBackwards`, `truncate`, `useBias`, `unitForgetBias`, initialisers (`recurrentInitializer`
 *   default `"orthogonal"`), the regularizers and constraints of `simpleRNN()`, `inputShape`
 *   (`[steps, features]`), `name`.
 * @returns The layer; `callWithState(x, { initialState })` gives `[output, h, c]`.
 * @throws {RangeError} When `units` or `truncate` is not a positive integer.
 * @throws {TypeError} When an activation or an initialiser is unknown, or `truncate` is given
 *   with activations the fused kernel lacks.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.lstm({ units: 8 });
 * const [out, h, c] = layer.callWithState(dn.ones([2, 5, 3]));
 * assert.deepEqual([out.shape, h.shape, c.shape], [[2, 8], [2, 8], [2, 8]]);
 * assert.deepEqual(layer.weights.map((w) => w.value.shape), [[3, 32], [8, 32], [32]]);
 * const relu = dn.layers.lstm({ units: 2, activation: "relu", recurrentActivation: "hardSigmoid" });
 * assert.deepEqual(relu.call(dn.ones([2, 5, 3])).shape, [2, 2]);
 * ```
 */
export function lstm(args: RecurrentArgs): LSTM {
  checkArity(arguments, ["args"], "lstm");
  return new LSTM(args);
}

/**
 * A gated recurrent unit (Keras `GRU`, gate order z, r, h, `resetAfter: true`): kernel
 * `[features, 3·units]`, `recurrent_kernel` `[units, 3·units]`, `bias` `[2, 3·units]` (input and
 * recurrent bias). `resetAfter: false` is the original GRU (TF.js's): one bias `[3·units]`, the
 * reset gate applied to the state before the recurrent product, run composed from ops.
 *
 * @param args As `lstm()` (any pair of layer activations; tanh/sigmoid fused), and `resetAfter`.
 * @returns The layer; `callWithState(x, { initialState })` gives `[output, h]`.
 * @throws {RangeError} When `units` or `truncate` is not a positive integer.
 * @throws {TypeError} When an activation is unknown, `truncate` is given with activations the
 *   fused kernel lacks (or with `resetAfter: false`), or `resetAfter` is not a boolean.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.gru({ units: 5, returnSequences: true });
 * assert.deepEqual(layer.call(dn.ones([1, 4, 2])).shape, [1, 4, 5]);
 * assert.deepEqual(layer.weights.map((w) => w.value.shape), [[2, 15], [5, 15], [2, 15]]);
 * ```
 */
export function gru(args: RecurrentArgs): GRU {
  checkArity(arguments, ["args"], "gru");
  return new GRU(args);
}

/**
 * Runs a recurrent layer forwards and a copy of it backwards and merges the outputs (Keras
 * `Bidirectional`); the backward sequence is put back in input order before merging.
 *
 * @param layer A `simpleRNN`, `lstm` or `gru` layer (its `inputShape` is used when none is given).
 * @param args `mergeMode`: `"concat"` (default), `"sum"`, `"mul"`, `"ave"`; common layer arguments.
 * @returns The layer; weights `forward/...` then `backward/...`.
 * @throws {TypeError} When `layer` is not a recurrent layer or `mergeMode` is unknown.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.bidirectional(dn.layers.lstm({ units: 4, returnSequences: true }));
 * assert.deepEqual(layer.call(dn.ones([2, 6, 3])).shape, [2, 6, 8]);
 * ```
 */
export function bidirectional(
  layer: WrappedLayer,
  args: Omit<BidirectionalArgs, "layer"> = {},
): Bidirectional {
  checkArity(arguments, ["layer", "args"], "bidirectional");
  return new Bidirectional({ ...args, layer });
}

/**
 * Applies `layer` to every time step of `[batch, steps, ...]` inputs (Keras `TimeDistributed`).
 *
 * @param layer Any layer (e.g. `dense`).
 * @param args The common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `layer` is not a layer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.timeDistributed(dn.layers.dense({ units: 3 }));
 * assert.deepEqual(layer.call(dn.ones([2, 5, 4])).shape, [2, 5, 3]);
 * ```
 */
export function timeDistributed(layer: WrappedLayer, args: LayerArgs = {}): TimeDistributed {
  checkArity(arguments, ["layer", "args"], "timeDistributed");
  return new TimeDistributed({ ...args, layer });
}

/**
 * Maps integer indices (stored as float32) to trainable vectors (Keras `Embedding`); the
 * gradient is a scatter-add into the table.
 *
 * @param args `inputDim` (vocabulary size), `outputDim`, `initScale` (uniform init half-width,
 *   default 0.05), `embeddingsRegularizer`, `activityRegularizer`, `embeddingsConstraint`,
 *   common layer arguments (`inputShape` `[steps]`).
 * @returns The layer.
 * @throws {RangeError} When a size is not a positive integer, or (on call) an index is not an
 *   integer in `[0, inputDim)`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.embedding({ inputDim: 10, outputDim: 4 });
 * assert.deepEqual(layer.call(dn.tensor([[1, 2, 9]])).shape, [1, 3, 4]);
 * ```
 */
export function embedding(args: EmbeddingArgs): Embedding {
  checkArity(arguments, ["args"], "embedding");
  return new Embedding(args);
}

/**
 * Batch normalization (Keras `BatchNormalization`): in training (`fit`, or `call(x, true)`)
 * normalizes with the batch's mean and population variance over every axis but `axis` and moves
 * `moving = moving · momentum + batch · (1 - momentum)`; at inference normalizes with the moving
 * statistics. `y = (x - mean) / sqrt(variance + epsilon) · gamma + beta`.
 *
 * @param args `axis` (the feature axis, batch counted as 0; default -1), `momentum` (0.99),
 *   `epsilon` (1e-3), `center` (add `beta`, default true), `scale` (multiply by `gamma`, default
 *   true), `betaInitializer` (`"zeros"`), `gammaInitializer` (`"ones"`), `movingMeanInitializer`
 *   (`"zeros"`), `movingVarianceInitializer` (`"ones"`), `betaRegularizer`, `gammaRegularizer`,
 *   `betaConstraint`, `gammaConstraint`, and the common layer arguments.
 * @returns The layer; weights `gamma`, `beta`, `moving_mean`, `moving_variance` (Keras order;
 *   the moving statistics are saved but not trained).
 * @throws {TypeError} When `axis` is not one integer, a flag is not a boolean or an initialiser
 *   is unknown.
 * @throws {RangeError} When `momentum` is outside [0, 1], `epsilon` is not positive, or (on
 *   build) `axis` is the batch axis or out of range.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.batchNormalization({ momentum: 0.5 });
 * const x = dn.tensor([[0, 10], [2, 30]]);
 * const y = layer.call(x, true); // batch statistics: mean [1, 20], variance [1, 100]
 * assert.ok(Math.abs(y.dataSync()[0] + 1) < 1e-3);
 * assert.deepEqual(layer.weights.map((w) => w.name), ["gamma", "beta", "moving_mean", "moving_variance"]);
 * assert.deepEqual([...layer.weights[2].value.dataSync()], [0.5, 10]); // 0·0.5 + mean·0.5
 * ```
 */
export function batchNormalization(args: BatchNormalizationArgs = {}): BatchNormalization {
  checkArity(arguments, ["args"], "batchNormalization");
  return new BatchNormalization(args);
}

/**
 * Layer normalization (Keras `LayerNormalization`): normalizes each sample with its mean and
 * population variance over `axis`, `y = (x - mean) / sqrt(variance + epsilon) · gamma + beta`,
 * the same in training and at inference.
 *
 * @param args `axis` (an axis or a list, batch counted as 0; default -1), `epsilon` (1e-3),
 *   `center`, `scale` (default true), `betaInitializer` (`"zeros"`), `gammaInitializer`
 *   (`"ones"`), `betaRegularizer`, `gammaRegularizer`, `betaConstraint`, `gammaConstraint`, and
 *   the common layer arguments.
 * @returns The layer; weights `gamma`, `beta` with the sizes of the `axis` dims.
 * @throws {TypeError} When `axis` is not an integer or a list of them, a flag is not a boolean
 *   or an initialiser is unknown.
 * @throws {RangeError} When `epsilon` is not positive, or (on build) an axis is the batch axis,
 *   out of range or repeated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.layerNormalization({ epsilon: 1e-6 });
 * const y = layer.call(dn.tensor([[1, 2, 3], [10, 10, 40]]));
 * const row = [...y.dataSync().slice(0, 3)].map((v) => Math.round(v * 1e4) / 1e4);
 * assert.deepEqual(row, [-1.2247, 0, 1.2247]);
 * assert.deepEqual(layer.weights.map((w) => w.value.shape), [[3], [3]]);
 * ```
 */
export function layerNormalization(args: LayerNormalizationArgs = {}): LayerNormalization {
  checkArity(arguments, ["args"], "layerNormalization");
  return new LayerNormalization(args);
}
