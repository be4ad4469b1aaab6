/**
 * Dendrite: a deep-learning engine for Deno. Tensors live in WebAssembly memory and every
 * multiply runs in AssemblyScript SIMD kernels shipped inside this module: importing it needs no
 * build step and no permission flag.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * await dn.ready({ backend: "auto" });
 * const a = dn.tensor([[1, 2], [3, 4]]);
 * const c = dn.matmul(a, a, { transposeB: true });
 * assert.deepEqual([...(await c.data())], [5, 11, 11, 25]);
 * a.dispose();
 * c.dispose();
 * ```
 *
 * @module
 */
export { Tensor } from "./src/tensor.ts";
export type { DataTypeMap, DType } from "./src/tensor.ts";
export { BackendUnavailableError, WorkerStalledError } from "./src/errors.ts";
export { backend, ready, shutdown } from "./src/backend/select.ts";
export type { BackendInfo, BackendRequest, ReadyOptions } from "./src/backend/select.ts";
export type { Activation, BackendName } from "./src/backend/backend.ts";
export { memory } from "./src/memory.ts";
export type { MemoryInfo } from "./src/memory.ts";
export { setSeed } from "./src/random.ts";
export { fill, ones, tensor, zeros } from "./src/ops/creation.ts";
export { cast } from "./src/ops/cast.ts";
export type { NestedArray, TensorLike } from "./src/ops/creation.ts";
export {
  bernoulli,
  multinomial,
  randomBernoulli,
  randomNormal,
  randomShuffle,
  randomUniform,
} from "./src/ops/random.ts";
export type { RandomNormalOptions, RandomUniformOptions } from "./src/ops/random.ts";
export { matmul } from "./src/ops/matmul.ts";
export { dot, outerProduct } from "./src/ops/products.ts";
export type { MatmulOptions } from "./src/ops/matmul.ts";
export {
  add,
  div,
  floorDiv,
  maximum,
  minimum,
  mod,
  mul,
  pow,
  squaredDifference,
  sub,
} from "./src/ops/arithmetic.ts";
export {
  equal,
  greater,
  greaterEqual,
  isFinite,
  isInf,
  isNaN,
  less,
  lessEqual,
  notEqual,
} from "./src/ops/compare.ts";
export { logicalAnd, logicalNot, logicalOr, logicalXor } from "./src/ops/logical.ts";
export { where } from "./src/ops/where.ts";
export { abs, exp, log, neg, relu, sigmoid, sqrt, square, tanh } from "./src/ops/unary.ts";
export {
  ceil,
  cos,
  erf,
  expm1,
  floor,
  log1p,
  reciprocal,
  round,
  rsqrt,
  sign,
  sin,
  tan,
} from "./src/ops/math.ts";
export { elu, gelu, leakyRelu, selu, silu, softplus, swish } from "./src/ops/activations.ts";
export type { GeluOptions } from "./src/ops/activations.ts";
export { max, mean, min, prod, sum } from "./src/ops/reduce.ts";
export { argMax, argMin } from "./src/ops/arg_reduce.ts";
export { cumsum } from "./src/ops/cumsum.ts";
export { all, any } from "./src/ops/logical_reduce.ts";
export { logSumExp } from "./src/ops/log_sum_exp.ts";
export { moments } from "./src/ops/moments.ts";
export { norm, type NormOrd } from "./src/ops/norm.ts";
export { topk } from "./src/ops/topk.ts";
export type { ReduceOptions } from "./src/ops/reduce.ts";
export { logSoftmax, softmax } from "./src/ops/softmax.ts";
export { conv2d } from "./src/ops/conv.ts";
export { conv2dTranspose } from "./src/ops/conv_transpose.ts";
export { depthwiseConv2d } from "./src/ops/depthwise_conv.ts";
export type { Conv2dOptions, Conv2dPadding } from "./src/ops/conv.ts";
export { avgPool2d, maxPool2d } from "./src/ops/pool.ts";
export type { Pool2dOptions, Pool2dPadding } from "./src/ops/pool.ts";
export { expandDims, reshape, squeeze, transpose } from "./src/ops/transform.ts";
export { broadcastTo } from "./src/ops/broadcast_to.ts";
export { concat, stack } from "./src/ops/concat.ts";
export { pad } from "./src/ops/pad.ts";
export { reverse } from "./src/ops/reverse.ts";
export { slice } from "./src/ops/slice.ts";
export { split, unstack } from "./src/ops/split.ts";
export { stridedSlice } from "./src/ops/strided_slice.ts";
export { tile } from "./src/ops/tile.ts";
export { keep, tidy } from "./src/scope.ts";
export { grad, grads, valueAndGrad, valueAndGrads } from "./src/autograd/grad.ts";
export * as losses from "./src/losses/mod.ts";
export * as metrics from "./src/metrics/mod.ts";
export * as adversarial from "./src/adversarial/mod.ts";
export { clipByValue } from "./src/ops/clip.ts";
export { clipByNorm } from "./src/ops/clip_by_norm.ts";
export { oneHot } from "./src/ops/one_hot.ts";
export * as optimizers from "./src/optimizers/mod.ts";
export * as layers from "./src/layers/mod.ts";
export * as regularizers from "./src/layers/regularizers.ts";
export * as constraints from "./src/layers/constraints.ts";
export * as initializers from "./src/layers/initializer_factories.ts";
// Type-only copies of namespace members that the top-level API mentions (`Sequential` takes
// `Layer`s, `CompileArgs` an `Optimizer`): `deno doc` sees only top-level exports as public.
export type { Initializer, Layer, LayerWeight } from "./src/layers/mod.ts";
export type { InitializerName } from "./src/layers/initializers.ts";
export type { InitializerSpec } from "./src/layers/_initializer_spec.ts";
export type { Constraint } from "./src/layers/constraints.ts";
export type { LayerShape } from "./src/layers/layer.ts";
export type { Optimizer, SerializedConfig } from "./src/optimizers/mod.ts";
export { Sequential, sequential } from "./src/models/sequential.ts";
export type { SequentialOptions } from "./src/models/sequential.ts";
export { Functional, model } from "./src/models/functional.ts";
export type { ModelArgs } from "./src/models/functional.ts";
export { LayersModel } from "./src/models/layers_model.ts";
export type { ModelData } from "./src/models/layers_model.ts";
export { input, InputLayer } from "./src/models/input.ts";
export type { InputArgs } from "./src/models/input.ts";
export { SymbolicTensor } from "./src/models/symbolic.ts";
export type { CompileArgs, LossOrMetricFn, OptimizerName } from "./src/models/compile.ts";
export type { FitOptions, History } from "./src/models/fit.ts";
export type { StepLogs } from "./src/models/step.ts";
export * as callbacks from "./src/models/callbacks.ts";
export type { Callback, Logs, TrainingParams } from "./src/models/callbacks.ts";
export { loadModel } from "./src/models/io.ts";
export { loadRbm, Rbm, rbm } from "./src/models/rbm.ts";
export type {
  PseudoLikelihoodOptions,
  RbmArgs,
  RbmDrawOptions,
  VisibleType,
} from "./src/models/rbm.ts";
export type { RbmFitOptions } from "./src/models/rbm_fit.ts";
export { Dbn, dbn } from "./src/models/dbn.ts";
export type { DbnArgs, DbnSampleOptions, DbnToModelOptions } from "./src/models/dbn.ts";
export { cloneModel } from "./src/models/clone.ts";
export type { CloneModelOptions } from "./src/models/clone.ts";
export type { LoadModelOptions } from "./src/models/io.ts";
export * as serving from "./src/serving/mod.ts";
export * as rl from "./src/rl/mod.ts";
export type {
  BatcherCloseOptions,
  BatcherOptions,
  BatcherStats,
  BatchModel,
} from "./src/serving/mod.ts";
export { Perceptron, perceptron } from "./src/models/perceptron.ts";
export type { PerceptronFitOptions, PerceptronHistory } from "./src/models/perceptron.ts";
export {
  StackedDenoisingAutoencoder,
  stackedDenoisingAutoencoder,
} from "./src/models/stacked_denoising_autoencoder.ts";
export type {
  SdaPretrainOptions,
  SdaToModelOptions,
  StackedDenoisingAutoencoderArgs,
} from "./src/models/stacked_denoising_autoencoder.ts";
export { deepAutoencoder } from "./src/models/deep_autoencoder.ts";
export type { DeepAutoencoder, DeepAutoencoderArgs } from "./src/models/deep_autoencoder.ts";
export type { NoiseSpec } from "./src/models/_autoencoder_parts.ts";
export type { ActivationName } from "./src/layers/activations.ts";
export { gru, lstm, simpleRnn } from "./src/ops/recurrent.ts";
export type { RecurrentOptions, SequenceResult } from "./src/ops/recurrent.ts";
export { gather } from "./src/ops/gather.ts";
export { gatherND, scatterND } from "./src/ops/gather_nd.ts";
