/**
 * TF.js Layers models both ways: models built, trained a few steps and saved by
 * `@tensorflow/tfjs-layers` load here and predict within 1e-5 relative of TF.js (Dense, Conv2D,
 * pooling, BatchNormalization, Dropout, Flatten, Embedding, SimpleRNN, LSTM with sigmoid and with
 * TF.js's default hard sigmoid gates, GRU (TF.js's reset-before form), Bidirectional, functional
 * graphs); models saved here load in TF.js with the same predictions.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import * as dn from "../../mod.ts";
import { loadLayersModel, saveLayersModel } from "../../interop.ts";
import { assertClose } from "../_util/assert_close.ts";
import { rng } from "../_util/rng.ts";
import { tfjsLoadFrom, tfjsSaveTo } from "./_tfjs_files.ts";

// TF.js's CPU backend: every kernel the layers need (its wasm backend lacks UnsortedSegmentSum,
// the embedding gradient), in plain float32 arithmetic.
await tf.setBackend("cpu");
/** float32 results of two engines: 1e-5 relative, 1e-6 absolute for values near 0. */
const TOL = { rel: 1e-5, abs: 1e-6 };

function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * (r() + 1) / 2);
}

function indices(n: number, vocab: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from(
    { length: n },
    () => Math.min(vocab - 1, Math.floor((r() + 1) / 2 * vocab)),
  );
}

function oneHot(n: number, classes: number, seed: number): Float32Array {
  const y = new Float32Array(n * classes), r = rng(seed);
  for (let i = 0; i < n; i++) {
    y[i * classes + Math.min(classes - 1, Math.floor((r() + 1) / 2 * classes))] = 1;
  }
  return y;
}

async function tfjsPredict(model: tfl.LayersModel, xs: Float32Array[], shapes: number[][]) {
  const inputs = xs.map((x, i) => tf.tensor(x, shapes[i]));
  const y = model.predict(inputs.length === 1 ? inputs[0] : inputs) as tf.Tensor;
  const out = await y.data() as Float32Array;
  inputs.forEach((t) => t.dispose());
  y.dispose();
  return out;
}

function dnPredict(model: dn.LayersModel, xs: Float32Array[], shapes: number[][]) {
  const inputs = xs.map((x, i) => dn.tensor(x, shapes[i]));
  const y = model.predict(inputs.length === 1 ? inputs[0] : inputs) as dn.Tensor;
  const out = y.dataSync() as Float32Array;
  inputs.forEach((t) => t.dispose());
  y.dispose();
  return out;
}

/** Trains `model` in TF.js for two epochs, saves it to a temp folder, loads it here, compares. */
async function roundTripFromTfjs(
  model: tfl.LayersModel,
  xs: Float32Array[],
  shapes: number[][],
  y: Float32Array,
  yShape: number[],
  loss: string,
  what: string,
): Promise<void> {
  model.compile({ optimizer: tf.train.adam(0.01), loss });
  const inputs = xs.map((x, i) => tf.tensor(x, shapes[i]));
  const target = tf.tensor(y, yShape);
  await model.fit(inputs.length === 1 ? inputs[0] : inputs, target, {
    epochs: 2,
    batchSize: 8,
    verbose: 0,
  });
  inputs.forEach((t) => t.dispose());
  target.dispose();
  const dir = await Deno.makeTempDir();
  try {
    await model.save(tfjsSaveTo(dir));
    const ours = await loadLayersModel<dn.LayersModel>(`${dir}/model.json`);
    const expected = await tfjsPredict(model, xs, shapes);
    assertClose(dnPredict(ours, xs, shapes), expected, TOL, what);
    ours.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loadLayersModel() predicts as TF.js for a trained Embedding, SimpleRNN, Bidirectional LSTM, LSTM, GRU, Dropout, Dense model", async () => {
  const n = 24, steps = 5, vocab = 12;
  const model = tfl.sequential();
  model.add(tfl.layers.embedding({ inputDim: vocab, outputDim: 4, inputShape: [steps] }));
  model.add(tfl.layers.simpleRNN({
    units: 6,
    returnSequences: true,
    recurrentInitializer: "glorotUniform",
  }));
  model.add(tfl.layers.bidirectional({
    layer: tfl.layers.lstm({
      units: 3,
      returnSequences: true,
      recurrentInitializer: "glorotUniform",
    }) as tfl.RNN,
    mergeMode: "concat",
  }));
  model.add(tfl.layers.lstm({
    units: 5,
    returnSequences: true,
    recurrentActivation: "sigmoid",
    recurrentInitializer: "glorotUniform",
  }));
  model.add(tfl.layers.gru({ units: 4, recurrentInitializer: "glorotUniform" }));
  model.add(tfl.layers.dropout({ rate: 0.3 }));
  model.add(tfl.layers.dense({ units: 3, activation: "softmax" }));
  await roundTripFromTfjs(
    model,
    [indices(n * steps, vocab, 1)],
    [[n, steps]],
    oneHot(n, 3, 2),
    [n, 3],
    "categoricalCrossentropy",
    "recurrent model from TF.js",
  );
});

Deno.test("loadLayersModel() predicts as TF.js for a trained Conv2D, pooling, BatchNormalization, Flatten, Dense model", async () => {
  const n = 16;
  const model = tfl.sequential();
  model.add(tfl.layers.conv2d({
    filters: 4,
    kernelSize: 3,
    padding: "same",
    activation: "relu",
    inputShape: [12, 12, 2],
  }));
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.conv2d({ filters: 3, kernelSize: [2, 3], strides: [1, 2] }));
  model.add(tfl.layers.batchNormalization({}));
  model.add(tfl.layers.averagePooling2d({ poolSize: 2, strides: 1 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dropout({ rate: 0.2 }));
  model.add(tfl.layers.dense({ units: 2, activation: "tanh" }));
  await roundTripFromTfjs(
    model,
    [uniform(n * 12 * 12 * 2, 3)],
    [[n, 12, 12, 2]],
    uniform(n * 2, 4, -0.5, 0.5),
    [n, 2],
    "meanSquaredError",
    "CNN from TF.js",
  );
});

Deno.test("loadLayersModel() predicts as TF.js for a trained functional model with two inputs, a shared layer and a concatenation", async () => {
  const n = 16;
  const a = tfl.input({ shape: [4], name: "a" });
  const b = tfl.input({ shape: [4], name: "b" });
  const shared = tfl.layers.dense({ units: 5, activation: "relu", name: "shared" });
  const merged = tfl.layers.concatenate({ name: "merged" }).apply([
    shared.apply(a) as tfl.SymbolicTensor,
    shared.apply(b) as tfl.SymbolicTensor,
    a,
  ]) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 2, name: "out" }).apply(merged) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: [a, b], outputs: out });
  await roundTripFromTfjs(
    model,
    [uniform(n * 4, 5), uniform(n * 4, 6)],
    [[n, 4], [n, 4]],
    uniform(n * 2, 7),
    [n, 2],
    "meanSquaredError",
    "functional model from TF.js",
  );
});

/** Saves `model` here, loads it in TF.js, and compares the predictions. */
async function roundTripToTfjs(
  model: dn.LayersModel,
  xs: Float32Array[],
  shapes: number[][],
  what: string,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await saveLayersModel(model, dir);
    const theirs = await tfl.loadLayersModel(tfjsLoadFrom(dir));
    const expected = dnPredict(model, xs, shapes);
    assertClose(await tfjsPredict(theirs, xs, shapes), expected, TOL, what);
    theirs.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("saveLayersModel() writes a trained recurrent and convolutional model that TF.js loads with the same predictions", async () => {
  const n = 8, steps = 4, vocab = 9;
  const rnn = dn.sequential([
    dn.layers.embedding({ inputDim: vocab, outputDim: 3, inputShape: [steps] }),
    dn.layers.bidirectional(dn.layers.lstm({ units: 3, returnSequences: true }), {
      mergeMode: "sum",
    }),
    dn.layers.simpleRNN({ units: 4, returnSequences: true, activation: "relu" }),
    dn.layers.gru({ units: 3, resetAfter: false, returnSequences: true }),
    dn.layers.lstm({ units: 2, recurrentActivation: "hardSigmoid" }),
    dn.layers.dropout({ rate: 0.1 }),
    dn.layers.dense({ units: 2, activation: "softmax" }),
  ]);
  rnn.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
  const x = indices(n * steps, vocab, 8);
  await rnn.fit(dn.tensor(x, [n, steps]), dn.tensor(oneHot(n, 2, 9), [n, 2]), {
    epochs: 2,
    verbose: 0,
  });
  await roundTripToTfjs(rnn, [x], [[n, steps]], "recurrent model to TF.js");

  const cnn = dn.sequential([
    dn.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [8, 8, 1], activation: "relu" }),
    dn.layers.batchNormalization(),
    dn.layers.maxPooling2d({ poolSize: 2 }),
    dn.layers.averagePooling2d({ poolSize: [1, 2], padding: "same" }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 3, kernelInitializer: dn.initializers.heNormal({ seed: 1 }) }),
  ]);
  cnn.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  const xc = uniform(n * 64, 10);
  await cnn.fit(dn.tensor(xc, [n, 8, 8, 1]), dn.tensor(uniform(n * 3, 11), [n, 3]), {
    epochs: 2,
    verbose: 0,
  });
  await roundTripToTfjs(cnn, [xc], [[n, 8, 8, 1]], "CNN to TF.js");
});

Deno.test("saveLayersModel() writes a functional model (regularizer, constraint, initializer objects) that TF.js loads with the same predictions", async () => {
  const a = dn.input({ shape: [3], name: "in_a" });
  const b = dn.input({ shape: [3], name: "in_b" });
  const shared = dn.layers.dense({
    units: 4,
    activation: "tanh",
    name: "shared_dense",
    kernelRegularizer: dn.regularizers.l1l2({ l1: 0.01, l2: 0.02 }),
    biasConstraint: dn.constraints.maxNorm({ maxValue: 2 }),
    kernelInitializer: dn.initializers.varianceScaling({ mode: "fanAvg", distribution: "uniform" }),
  });
  const sum = dn.layers.add({ name: "sum" }).apply([shared.apply(a), shared.apply(b)]);
  const out = dn.layers.dense({ units: 2, activation: "sigmoid", name: "head" }).apply(sum);
  const model = dn.model({ inputs: [a, b], outputs: out });
  const xa = uniform(12, 12), xb = uniform(12, 13);
  await roundTripToTfjs(model, [xa, xb], [[4, 3], [4, 3]], "functional model to TF.js");
});

/**
 * Saves an untrained TF.js model (weights from its initialisers), loads it here and compares;
 * then saves ours and loads that in TF.js, and compares again.
 */
async function bothWays(model: tfl.LayersModel, xs: Float32Array[], shapes: number[][]) {
  const dir = await Deno.makeTempDir();
  try {
    await model.save(tfjsSaveTo(dir));
    const ours = await loadLayersModel<dn.LayersModel>(`${dir}/model.json`);
    assertClose(
      dnPredict(ours, xs, shapes),
      await tfjsPredict(model, xs, shapes),
      TOL,
      model.name,
    );
    await roundTripToTfjs(ours, xs, shapes, `${model.name} saved back`);
    ours.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loadLayersModel() and saveLayersModel() predict as TF.js for the other image layers: padding, depthwise, separable and transposed convolutions, upsampling, cropping, normalization, global pooling, activations", async () => {
  const model = tfl.sequential({ name: "image_layers" });
  model.add(tfl.layers.zeroPadding2d({ padding: [[1, 0], [0, 2]], inputShape: [6, 5, 2] }));
  model.add(tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, useBias: true }));
  model.add(tfl.layers.separableConv2d({ filters: 3, kernelSize: 2, padding: "same" }));
  model.add(tfl.layers.leakyReLU({ alpha: 0.1 }));
  model.add(tfl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }));
  model.add(tfl.layers.cropping2D({ cropping: [[1, 1], [2, 0]] }));
  model.add(tfl.layers.upSampling2d({ size: [1, 2] }));
  model.add(tfl.layers.layerNormalization({}));
  model.add(tfl.layers.elu({}));
  model.add(tfl.layers.globalAveragePooling2d({}));
  model.add(tfl.layers.dense({ units: 3 }));
  model.add(tfl.layers.softmax({}));
  await bothWays(model, [uniform(2 * 6 * 5 * 2, 20)], [[2, 6, 5, 2]]);
});

Deno.test("loadLayersModel() and saveLayersModel() predict as TF.js for the other sequence and merge layers: Conv1D, TimeDistributed, RepeatVector, Permute, Reshape, noise, Add, Multiply, Maximum, Minimum, Average", async () => {
  const x = tfl.input({ shape: [6, 3], name: "seq" });
  const c = tfl.layers.conv1d({ filters: 4, kernelSize: 2, activation: "relu" })
    .apply(x) as tfl.SymbolicTensor;
  const t = tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 4 }) })
    .apply(c) as tfl.SymbolicTensor;
  const p = tfl.layers.permute({ dims: [2, 1] }).apply(t) as tfl.SymbolicTensor;
  const r = tfl.layers.reshape({ targetShape: [5, 4] }).apply(p) as tfl.SymbolicTensor;
  const noisy = tfl.layers.gaussianNoise({ stddev: 0.5 }).apply(r) as tfl.SymbolicTensor;
  const dropped = tfl.layers.gaussianDropout({ rate: 0.2 }).apply(t) as tfl.SymbolicTensor;
  const sum = tfl.layers.add().apply([noisy, dropped]) as tfl.SymbolicTensor;
  const prod = tfl.layers.multiply().apply([sum, t]) as tfl.SymbolicTensor;
  const most = tfl.layers.maximum().apply([prod, t]) as tfl.SymbolicTensor;
  const least = tfl.layers.minimum().apply([prod, t]) as tfl.SymbolicTensor;
  const mean = tfl.layers.average().apply([most, least]) as tfl.SymbolicTensor;
  const flat = tfl.layers.flatten().apply(mean) as tfl.SymbolicTensor;
  const act = tfl.layers.activation({ activation: "selu" }).apply(flat) as tfl.SymbolicTensor;
  const rep = tfl.layers.repeatVector({ n: 2 }).apply(act) as tfl.SymbolicTensor;
  const out = tfl.layers.reLU({ maxValue: 1.5 }).apply(rep) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: x, outputs: out, name: "sequence_layers" });
  await bothWays(model, [uniform(2 * 6 * 3, 21)], [[2, 6, 3]]);
});
