/**
 * No argument is ignored silently: every public function, called untyped as from
 * JavaScript, rejects an extra positional argument and an unknown option key with a TypeError
 * that names the function and the argument or key. One table for each kind of mistake.
 */
import * as dn from "../../mod.ts";
import { assertEquals, assertRejects, assertThrows } from "../_util/assert.ts";

/** Calls `f` without its types, as plain JavaScript would. */
function call(f: unknown, ...args: unknown[]): unknown {
  return (f as (...a: unknown[]) => unknown)(...args);
}

const x = dn.ones([2, 3]);
const y = dn.ones([2, 3]);
const x4 = dn.ones([1, 4, 4, 1]);
const filter = dn.ones([2, 2, 1, 1]);
const seq = dn.ones([1, 2, 3]);
const lstmK = dn.ones([3, 8]), lstmR = dn.ones([2, 8]);
const gruK = dn.ones([3, 6]), gruR = dn.ones([2, 6]);
const rnnK = dn.ones([3, 2]), rnnR = dn.ones([2, 2]);
const idx = dn.tensor([0, 1]);

function model(): dn.Sequential {
  const m = dn.sequential([dn.layers.dense({ units: 3, inputShape: [3] })]);
  m.compile({ optimizer: "sgd", loss: "mse" });
  return m;
}
const m = model();
const opt = dn.optimizers.sgd();
const p = dn.perceptron(3);

/** [function named in the message, a call with one argument too many]. */
const EXTRA: [string, () => unknown][] = [
  ["tensor", () => call(dn.tensor, [1, 2], [2], "float32", 0)],
  ["fill", () => call(dn.fill, [2], 1, "float32", 0)],
  ["zeros", () => call(dn.zeros, [2], "float32", 0)],
  ["ones", () => call(dn.ones, [2], "float32", 0)],
  ["randomUniform", () => call(dn.randomUniform, [2], {}, 1)],
  ["randomNormal", () => call(dn.randomNormal, [2], {}, 1)],
  ["matmul", () => call(dn.matmul, x, y, false, true, 1)],
  ["add", () => call(dn.add, x, y, 1)],
  ["sub", () => call(dn.sub, x, y, 1)],
  ["mul", () => call(dn.mul, x, y, 1)],
  ["div", () => call(dn.div, x, y, 1)],
  ["equal", () => call(dn.equal, x, y, 1)],
  ...(["abs", "exp", "log", "neg", "relu", "sigmoid", "sqrt", "square", "tanh"] as const).map((
    n,
  ): [string, () => unknown] => [n, () => call(dn[n], x, 1)]),
  ["sum", () => call(dn.sum, x, 1, {}, 1)],
  ["mean", () => call(dn.mean, x, 1, {}, 1)],
  ["max", () => call(dn.max, x, 1, true, 1)],
  ["argMax", () => call(dn.argMax, x, 1, true)],
  ["softmax", () => call(dn.softmax, x, -1, 1)],
  ["logSoftmax", () => call(dn.logSoftmax, x, -1, 1)],
  ["conv2d", () => call(dn.conv2d, x4, filter, {}, 1)],
  ["maxPool2d", () => call(dn.maxPool2d, x4, { poolSize: 2 }, 1)],
  ["avgPool2d", () => call(dn.avgPool2d, x4, { poolSize: 2 }, 1)],
  ["reshape", () => call(dn.reshape, x, [3, 2], 1)],
  ["transpose", () => call(dn.transpose, x, [1, 0], 0)],
  ["clipByValue", () => call(dn.clipByValue, x, 0, 1, 2)],
  ["oneHot", () => call(dn.oneHot, idx, 2, 1)],
  ["gather", () => call(dn.gather, x, idx, 0, 0, 1)],
  ["lstm", () => call(dn.lstm, seq, lstmK, lstmR, {}, 1)],
  ["gru", () => call(dn.gru, seq, gruK, gruR, {}, 1)],
  ["simpleRnn", () => call(dn.simpleRnn, seq, rnnK, rnnR, {}, 1)],
  ["setSeed", () => call(dn.setSeed, 1, 2)],
  ["memory", () => call(dn.memory, true)],
  ["meanSquaredError", () => call(dn.losses.meanSquaredError, x, y, 1)],
  ["binaryCrossentropy", () => call(dn.losses.binaryCrossentropy, x, y, {}, 1)],
  ["categoricalCrossentropy", () => call(dn.losses.categoricalCrossentropy, x, y, {}, 1)],
  [
    "sparseCategoricalCrossentropy",
    () => call(dn.losses.sparseCategoricalCrossentropy, idx, x, {}, 1),
  ],
  ["getLoss", () => call(dn.losses.getLoss, "mse", 1)],
  ["binaryAccuracy", () => call(dn.metrics.binaryAccuracy, x, y, {}, 1)],
  ["accuracy", () => call(dn.metrics.accuracy, x, y, 1)],
  ["categoricalAccuracy", () => call(dn.metrics.categoricalAccuracy, x, y, 1)],
  ["sparseCategoricalAccuracy", () => call(dn.metrics.sparseCategoricalAccuracy, idx, x, 1)],
  ["getMetric", () => call(dn.metrics.getMetric, "acc", "mse", 1)],
  ["sgd", () => call(dn.optimizers.sgd, {}, 1)],
  ["adam", () => call(dn.optimizers.adam, {}, 1)],
  ["rmsprop", () => call(dn.optimizers.rmsprop, {}, 1)],
  ["fromConfig", () => call(dn.optimizers.fromConfig, opt.getConfig(), 1)],
  [
    "exponentialDecay",
    () =>
      call(dn.optimizers.schedules.exponentialDecay, {
        initialLearningRate: 1,
        decaySteps: 1,
        decayRate: 0.5,
      }, 1),
  ],
  ["stepDecay", () => call(dn.optimizers.schedules.stepDecay, {}, 1)],
  ["cosineDecay", () => call(dn.optimizers.schedules.cosineDecay, {}, 1)],
  ["scheduleFromConfig", () => call(dn.optimizers.schedules.scheduleFromConfig, {}, 1)],
  ["SGD.applyGradients", () => call(opt.applyGradients.bind(opt), [], [], 1)],
  ["SGD.getConfig", () => call(opt.getConfig.bind(opt), 1)],
  ["SGD.dispose", () => call(opt.dispose.bind(opt), 1)],
  ["earlyStopping", () => call(dn.callbacks.earlyStopping, {}, 1)],
  ["terminateOnNaN", () => call(dn.callbacks.terminateOnNaN, {})],
  ...([
    "dense",
    "conv2d",
    "activation",
    "dropout",
    "flatten",
    "reshape",
    "maxPooling2d",
    "averagePooling2d",
    "simpleRNN",
    "lstm",
    "gru",
    "embedding",
  ] as const).map((n): [string, () => unknown] => [n, () => call(dn.layers[n], {}, 1)]),
  ["bidirectional", () => call(dn.layers.bidirectional, dn.layers.lstm({ units: 2 }), {}, 1)],
  ["timeDistributed", () => call(dn.layers.timeDistributed, dn.layers.dense({ units: 2 }), {}, 1)],
  ["sequential", () => call(dn.sequential, [], {}, 1)],
  ["add", () => call(m.add.bind(m), dn.layers.dense({ units: 1 }), 1)],
  ["compile", () => call(m.compile.bind(m), { optimizer: "sgd", loss: "mse" }, 1)],
  ["trainOnBatch", () => call(m.trainOnBatch.bind(m), x, y, 1)],
  ["predict", () => call(m.predict.bind(m), x, {}, 1)],
  ["summary", () => call(m.summary.bind(m), false, 1)],
  ["getWeights", () => call(m.getWeights.bind(m), 1)],
  ["setWeights", () => call(m.setWeights.bind(m), [], 1)],
  ["toBytes", () => call(m.toBytes.bind(m), 1)],
  ["dispose", () => call(m.dispose.bind(m), 1)],
  ["perceptron", () => call(dn.perceptron, 3, 1)],
  ["Perceptron.fit", () => call(p.fit.bind(p), x, idx, {}, 1)],
  ["Perceptron.predict", () => call(p.predict.bind(p), x, 1)],
  ["batcher", () => call(dn.serving.batcher, m, {}, 1)],
  ["tidy", () => call(dn.tidy, () => x, 1)],
  ["keep", () => dn.tidy(() => call(dn.keep, dn.ones([1]), 1))],
  ["grad", () => call(dn.grad, (t: dn.Tensor) => t, 1)],
  ["grads", () => call(dn.grads, (t: dn.Tensor) => t, 1)],
  ["valueAndGrad", () => call(dn.valueAndGrad, (t: dn.Tensor) => t, 1)],
  ["valueAndGrads", () => call(dn.valueAndGrads, (t: dn.Tensor) => t, 1)],
  ["grad", () => call(dn.grad((t: dn.Tensor) => dn.sum(t)), x, undefined, 1)],
  ["grads", () => call(dn.grads((t: dn.Tensor) => dn.sum(t)), [x], undefined, 1)],
  ["valueAndGrad", () => call(dn.valueAndGrad((t: dn.Tensor) => dn.sum(t)), x, undefined, 1)],
  ["valueAndGrads", () => call(dn.valueAndGrads((t: dn.Tensor) => dn.sum(t)), [x], undefined, 1)],
];

/** Tensor methods that take nothing. */
const TENSOR_METHODS: [string, (t: dn.Tensor) => unknown][] = [
  ["data", (t) => call(t.data.bind(t), 1)],
  ["dataSync", (t) => call(t.dataSync.bind(t), 1)],
  ["dispose", (t) => call(t.dispose.bind(t), 1)],
  ["toString", (t) => call(t.toString.bind(t), 1)],
];

for (const [method, f] of TENSOR_METHODS) {
  Deno.test(`Tensor.${method}() rejects an argument with a TypeError`, () => {
    using t = dn.ones([2]);
    assertThrows(() => f(t), TypeError, `Cannot run Tensor.${method}(): it takes no arguments`);
  });
}

Deno.test("tidy(), keep() and the gradient factories reject a non-function or non-tensor", () => {
  assertThrows(
    () => call(dn.tidy, 1),
    TypeError,
    'Cannot run tidy(): argument "fn" must be a function',
  );
  assertThrows(
    () => call(dn.keep, 1),
    TypeError,
    'Cannot run keep(): argument "t" must be a tensor',
  );
  for (
    const [name, f] of Object.entries({
      grad: dn.grad,
      grads: dn.grads,
      valueAndGrad: dn.valueAndGrad,
      valueAndGrads: dn.valueAndGrads,
    })
  ) {
    assertThrows(
      () => call(f, x),
      TypeError,
      `Cannot run ${name}(): argument "f" must be a function`,
    );
  }
});

/** The same, for functions that answer with a promise (rejected, not thrown). */
const EXTRA_ASYNC: [string, () => unknown][] = [
  ["ready", () => call(dn.ready, {}, 1)],
  ["fit", () => call(m.fit.bind(m), x, y, {}, 1)],
  ["evaluate", () => call(m.evaluate.bind(m), x, y, {}, 1)],
  ["save", () => call(m.save.bind(m), "/nonexistent/m.safetensors", 1)],
  ["loadModel", () => call(dn.loadModel, new Uint8Array(), {}, 1)],
];

for (const [fn, f] of EXTRA) {
  Deno.test(`${fn}() rejects an extra positional argument with a TypeError`, () => {
    assertThrows(f, TypeError, `Cannot run ${fn}(): it takes `);
  });
}

for (const [fn, f] of EXTRA_ASYNC) {
  Deno.test(`${fn}() rejects an extra positional argument with a TypeError`, async () => {
    await assertRejects(async () => await f(), TypeError, `Cannot run ${fn}(): it takes `);
  });
}

Deno.test("batcher predict() and close() reject an extra positional argument", async () => {
  await using b = dn.serving.batcher(model());
  await assertRejects(
    () => call(b.predict.bind(b), [1, 2, 3], 1) as Promise<unknown>,
    TypeError,
    "Cannot run predict(): it takes at most 1 argument",
  );
  await assertRejects(
    () => call(b.close.bind(b), {}, 1) as Promise<unknown>,
    TypeError,
    "Cannot run close(): it takes",
  );
});

/** [function named in the message, a call with the unknown option key "bogus"]. */
const BOGUS = { bogus: 1 };
const UNKNOWN: [string, () => unknown][] = [
  ["randomUniform", () => call(dn.randomUniform, [2], { min: 0, max: 1 })],
  ["randomNormal", () => call(dn.randomNormal, [2], BOGUS)],
  ["matmul", () => call(dn.matmul, x, y, { transposeB: true, ...BOGUS })],
  ["sum", () => call(dn.sum, x, 0, BOGUS)],
  ["mean", () => call(dn.mean, x, 0, BOGUS)],
  ["max", () => call(dn.max, x, 0, BOGUS)],
  ["conv2d", () => call(dn.conv2d, x4, filter, BOGUS)],
  ["maxPool2d", () => call(dn.maxPool2d, x4, { poolSize: 2, ...BOGUS })],
  ["avgPool2d", () => call(dn.avgPool2d, x4, { poolSize: 2, ...BOGUS })],
  ["lstm", () => call(dn.lstm, seq, lstmK, lstmR, { activation: "relu" })],
  ["gru", () => call(dn.gru, seq, gruK, gruR, BOGUS)],
  ["simpleRnn", () => call(dn.simpleRnn, seq, rnnK, rnnR, BOGUS)],
  ["binaryCrossentropy", () => call(dn.losses.binaryCrossentropy, x, y, { labelSmoothing: 0.1 })],
  ["categoricalCrossentropy", () => call(dn.losses.categoricalCrossentropy, x, y, BOGUS)],
  [
    "sparseCategoricalCrossentropy",
    () => call(dn.losses.sparseCategoricalCrossentropy, idx, x, BOGUS),
  ],
  ["binaryAccuracy", () => call(dn.metrics.binaryAccuracy, x, y, BOGUS)],
  ["sgd", () => call(dn.optimizers.sgd, { lr: 0.1 })],
  ["adam", () => call(dn.optimizers.adam, BOGUS)],
  ["rmsprop", () => call(dn.optimizers.rmsprop, BOGUS)],
  ["fromConfig", () => call(dn.optimizers.fromConfig, { ...opt.getConfig(), ...BOGUS })],
  ["earlyStopping", () => call(dn.callbacks.earlyStopping, { baseline: 0.5 })],
  ["dense", () => call(dn.layers.dense, { units: 2, trainableWeights: false })],
  ["dense", () => call(dn.layers.dense, { units: 2, kernelRegularizer: { l3: 0.1 } })],
  ["conv2d", () => call(dn.layers.conv2d, { filters: 1, kernelSize: 2, dataFormat: "x" })],
  ["activation", () => call(dn.layers.activation, { activation: "relu", ...BOGUS })],
  ["dropout", () => call(dn.layers.dropout, { rate: 0.5, noiseShape: [1] })],
  ["flatten", () => call(dn.layers.flatten, BOGUS)],
  ["reshape", () => call(dn.layers.reshape, { targetShape: [2], ...BOGUS })],
  ["maxPooling2d", () => call(dn.layers.maxPooling2d, BOGUS)],
  ["averagePooling2d", () => call(dn.layers.averagePooling2d, BOGUS)],
  ["simpleRNN", () => call(dn.layers.simpleRNN, { units: 2, recurrentActivation: "sigmoid" })],
  ["lstm", () => call(dn.layers.lstm, { units: 2, dropout: 0.1 })],
  ["gru", () => call(dn.layers.gru, { units: 2, ...BOGUS })],
  ["embedding", () => call(dn.layers.embedding, { inputDim: 2, outputDim: 2, maskZero: true })],
  ["bidirectional", () => call(dn.layers.bidirectional, dn.layers.lstm({ units: 2 }), BOGUS)],
  ["timeDistributed", () => call(dn.layers.timeDistributed, dn.layers.dense({ units: 2 }), BOGUS)],
  ["compile", () => call(m.compile.bind(m), { optimizer: "sgd", loss: "mse", ...BOGUS })],
  ["predict", () => call(m.predict.bind(m), x, BOGUS)],
  ["Perceptron.fit", () => call(p.fit.bind(p), x, idx, { lr: 1 })],
  ["batcher", () => call(dn.serving.batcher, m, BOGUS)],
];

const UNKNOWN_ASYNC: [string, () => unknown][] = [
  ["ready", () => call(dn.ready, { backend: "wasm", ...BOGUS })],
  ["fit", () => call(m.fit.bind(m), x, y, { epochs: 1, ...BOGUS })],
  ["evaluate", () => call(m.evaluate.bind(m), x, y, BOGUS)],
  ["loadModel", () => call(dn.loadModel, new Uint8Array(), BOGUS)],
];

for (const [fn, f] of UNKNOWN) {
  Deno.test(`${fn}() rejects an unknown option key with a TypeError naming it`, () => {
    const e = assertThrows(f, TypeError, `Cannot run ${fn}(): option "`);
    assertEquals(/is not known: use one of "/.test(e.message), true);
  });
}

for (const [fn, f] of UNKNOWN_ASYNC) {
  Deno.test(`${fn}() rejects an unknown option key with a TypeError naming it`, async () => {
    await assertRejects(async () => await f(), TypeError, `Cannot run ${fn}(): option "bogus"`);
  });
}

Deno.test("softmax() and logSoftmax() take only the last axis", () => {
  assertEquals(dn.softmax(x, 1).shape, [2, 3]);
  assertEquals(dn.logSoftmax(x, -1).shape, [2, 3]);
  assertThrows(
    () => dn.softmax(x, 0),
    RangeError,
    'Cannot run softmax(): argument "axis" must be the last axis',
  );
  assertThrows(() => dn.logSoftmax(x, 0), RangeError, "only one supported: got 0");
});

Deno.test("gather() takes any axis of x, and rejects one outside its rank", () => {
  assertEquals(dn.gather(x, idx, 0).shape, [2, 3]);
  assertEquals(dn.gather(x, idx, 1).shape, [2, 2]);
  assertThrows(
    () => dn.gather(x, idx, 2),
    RangeError,
    'Cannot run gather(): argument "axis" must be an integer in [-2, 2): got 2',
  );
});

Deno.test("max(), sum() and mean() take TensorFlow.js's positional keepDims", () => {
  const t = dn.tensor([[1, 5], [7, 2]]);
  assertEquals(dn.max(t, 1, true).shape, [2, 1]);
  assertEquals([...dn.max(t, 1, true).dataSync()], [5, 7]);
  assertEquals(dn.sum(t, 0, true).shape, [1, 2]);
  assertEquals(dn.mean(t, 0, false).shape, [2]);
  assertThrows(
    () => call(dn.max, t, 1, { keepDims: 1 }),
    TypeError,
    'option "keepDims" must be a boolean',
  );
});

Deno.test("an option key set to undefined counts as absent", () => {
  assertEquals(
    call(dn.randomUniform, [2], { minval: 0, bogus: undefined }) instanceof dn.Tensor,
    true,
  );
});
