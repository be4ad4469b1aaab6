/**
 * Freezing (`layer.trainable`, `model.trainable`) and layer ownership: a frozen layer's weights
 * (a batch normalization's moving statistics included) are bitwise unchanged by `fit`, training
 * resumes after unfreezing without a new `compile()`, the flag is saved and reloaded, and a layer
 * shared by two models keeps its weights until the last model holding it is disposed.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";

function data(n: number, cols: number, seed: number): dn.Tensor {
  let s = seed;
  const v = Float32Array.from({ length: n * cols }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
  return dn.tensor(v, [n, cols]);
}

function values(ts: dn.Tensor[]): number[][] {
  return ts.map((t) => [...t.dataSync()]);
}

Deno.test("a frozen layer's weights are bitwise unchanged by fit; unfreezing fine-tunes them", async () => {
  dn.setSeed(3);
  const frozen = dn.layers.dense({
    units: 6,
    activation: "relu",
    inputShape: [4],
    trainable: false,
  });
  const norm = dn.layers.batchNormalization();
  const head = dn.layers.dense({ units: 1 });
  const model = dn.sequential([frozen, norm, head]);
  model.compile({ optimizer: "adam", loss: "meanSquaredError" });
  const x = data(32, 4, 1), y = dn.sum(x, 1, true);
  assertEquals(frozen.trainableWeights.length, 0);
  assertEquals(frozen.nonTrainableWeights.length, 2);
  assertEquals(model.trainableWeights.length, 4); // gamma, beta, head kernel and bias
  assertEquals(model.nonTrainableWeights.length, 4); // frozen kernel and bias, moving statistics
  const before = values(frozen.getWeights());
  const headBefore = values(head.getWeights());
  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  assertEquals(values(frozen.getWeights()), before);
  assert(values(head.getWeights()).flat().some((v, i) => v !== headBefore.flat()[i]));

  // The whole model frozen: nothing moves, batch normalization's statistics included.
  model.trainable = false;
  assertEquals([frozen.trainable, norm.trainable, head.trainable], [false, false, false]);
  assertEquals(model.trainableWeights.length, 0);
  const all = values(model.getWeights());
  await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  assertEquals(values(model.getWeights()), all);

  // Unfrozen without compiling again: the first layer trains and the loss goes down.
  model.trainable = true;
  const loss0 = (await model.evaluate(x, y))[0];
  await model.fit(x, y, { epochs: 20, batchSize: 8, verbose: 0 });
  assert(values(frozen.getWeights()).flat().some((v, i) => v !== before.flat()[i]));
  assert((await model.evaluate(x, y))[0] < loss0);
  model.dispose();
});

Deno.test("a frozen layer keeps its constraint's projection off and its regularizer out of the update", async () => {
  dn.setSeed(4);
  const frozen = dn.layers.dense({
    units: 3,
    inputShape: [2],
    trainable: false,
    kernelConstraint: dn.constraints.nonNeg(),
    kernelRegularizer: dn.regularizers.l2({ l2: 0.5 }),
  });
  const model = dn.sequential([frozen, dn.layers.dense({ units: 1 })]);
  model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  const before = values(frozen.getWeights());
  assert(before[0].some((v) => v < 0)); // the constraint would change it
  await model.fit(data(8, 2, 2), data(8, 1, 3), { epochs: 2, verbose: 0 });
  assertEquals(values(frozen.getWeights()), before);
  model.dispose();
});

Deno.test("trainable is saved in the layer config and restored by loadModel, for layers and models", async () => {
  const inner = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3] })], {
    name: "inner",
    trainable: false,
  });
  const x = dn.input({ shape: [3] });
  const out = dn.layers.dense({ units: 1, name: "out", trainable: false }).apply(inner.apply(x));
  const model = dn.model({ inputs: x, outputs: out });
  assertEquals(model.getLayer("out").getConfig().trainable, false);
  assert(!("trainable" in model.getConfig()));
  const copy = await dn.loadModel<dn.Functional>(model.toBytes());
  assertEquals(copy.getLayer("out").trainable, false);
  assertEquals(copy.getLayer("inner").trainable, false);
  // A model frozen by its constructor argument freezes its layers, as model.trainable = false.
  assertEquals((copy.getLayer("inner") as dn.Sequential).layers[0].trainable, false);
  assertEquals(copy.trainable, true);
  assertEquals(copy.trainableWeights.length, 0);
  model.trainable = false;
  const frozenCopy = await dn.loadModel<dn.Functional>(model.toBytes());
  assertEquals(frozenCopy.trainable, false);
  for (const m of [model, copy, frozenCopy]) m.dispose();
});

Deno.test("trainable is a boolean: other values are rejected, naming the layer", () => {
  assertThrows(
    () => dn.layers.dense({ units: 1, trainable: 1 as unknown as boolean }),
    TypeError,
    'Cannot run dense(): "trainable" must be a boolean: got 1',
  );
  const layer = dn.layers.dense({ units: 1, name: "d" });
  assertThrows(
    () => (layer.trainable = "no" as unknown as boolean),
    TypeError,
    'Cannot set d.trainable: "trainable" must be a boolean',
  );
  assertThrows(
    () => dn.sequential([], { trainable: null as unknown as boolean }),
    TypeError,
    "trainable",
  );
});

Deno.test("a layer shared by two models keeps its weights until the last model holding it is disposed", () => {
  const shared = dn.layers.dense({ units: 3, inputShape: [2], name: "shared" });
  const a = dn.sequential([shared, dn.layers.dense({ units: 1 })]);
  const b = dn.sequential([shared, dn.layers.dense({ units: 2 })]);
  const x = data(4, 2, 5);
  a.predict(x).dispose();
  b.predict(x).dispose();
  const before = values(shared.getWeights());
  const kernel = shared.weights[0].value;
  a.dispose();
  assert(!kernel.isDisposed);
  assertEquals(values(shared.getWeights()), before); // not re-initialised
  assertEquals(b.predict(x).shape, [4, 2]);
  assertEquals(values(shared.getWeights()), before);
  a.dispose(); // twice is harmless and still leaves b's layer alone
  assert(!kernel.isDisposed);
  b.dispose();
  assert(kernel.isDisposed);

  // An encoder cut from an autoencoder: disposing either leaves the other's weights.
  const input = dn.input({ shape: [4] });
  const code = dn.layers.dense({ units: 2, name: "code" }).apply(input);
  const auto = dn.model({ inputs: input, outputs: dn.layers.dense({ units: 4 }).apply(code) });
  const encoder = dn.model({ inputs: input, outputs: code });
  const codeKernel = encoder.getLayer("code").weights[0].value;
  encoder.dispose();
  assert(!codeKernel.isDisposed);
  assertEquals((auto.predict(data(1, 4, 6)) as dn.Tensor).shape, [1, 4]);
  auto.dispose();
  assert(codeKernel.isDisposed);
});

Deno.test("every layer takes trainable in its args and saves it in its config", async () => {
  const made: dn.Layer[] = [
    dn.layers.dense({ units: 2, trainable: false }),
    dn.layers.conv2d({ filters: 2, kernelSize: 3, trainable: false }),
    dn.layers.conv1d({ filters: 2, kernelSize: 3, trainable: false }),
    dn.layers.conv2dTranspose({ filters: 2, kernelSize: 3, trainable: false }),
    dn.layers.depthwiseConv2d({ kernelSize: 3, trainable: false }),
    dn.layers.separableConv2d({ filters: 2, kernelSize: 3, trainable: false }),
    dn.layers.activation({ activation: "relu", trainable: false }),
    dn.layers.dropout({ rate: 0.5, trainable: false }),
    dn.layers.flatten({ trainable: false }),
    dn.layers.reshape({ targetShape: [2], trainable: false }),
    dn.layers.maxPooling2d({ trainable: false }),
    dn.layers.averagePooling2d({ trainable: false }),
    dn.layers.globalAveragePooling2d({ trainable: false }),
    dn.layers.globalMaxPooling2d({ trainable: false }),
    dn.layers.simpleRNN({ units: 2, trainable: false }),
    dn.layers.lstm({ units: 2, trainable: false }),
    dn.layers.gru({ units: 2, trainable: false }),
    dn.layers.bidirectional(dn.layers.lstm({ units: 2 }), { trainable: false }),
    dn.layers.timeDistributed(dn.layers.dense({ units: 2 }), { trainable: false }),
    dn.layers.embedding({ inputDim: 4, outputDim: 2, trainable: false }),
    dn.layers.batchNormalization({ trainable: false }),
    dn.layers.layerNormalization({ trainable: false }),
    dn.layers.gaussianNoise({ stddev: 0.1, trainable: false }),
    dn.layers.gaussianDropout({ rate: 0.1, trainable: false }),
    dn.layers.upSampling2d({ trainable: false }),
    dn.layers.zeroPadding2d({ trainable: false }),
    dn.layers.cropping2d({ cropping: 1, trainable: false }),
    dn.layers.repeatVector({ n: 2, trainable: false }),
    dn.layers.permute({ dims: [1], trainable: false }),
    dn.layers.reLU({ trainable: false }),
    dn.layers.leakyReLU({ trainable: false }),
    dn.layers.elu({ trainable: false }),
    dn.layers.softmax({ trainable: false }),
    dn.layers.lambda({ fn: (t) => t, trainable: false }),
  ];
  for (const layer of made) {
    assertEquals(layer.trainable, false, layer.className);
    if (layer.className !== "Lambda") {
      assertEquals(layer.getConfig().trainable, false, layer.className);
    }
  }
  // Restored by loadModel.
  const model = dn.sequential([
    dn.layers.dense({ units: 2, inputShape: [3], trainable: false }),
    dn.layers.batchNormalization({ trainable: false }),
  ]);
  const copy = await dn.loadModel(model.toBytes());
  assertEquals(copy.layers.map((l) => l.trainable), [false, false]);
  assertEquals(copy.trainableWeights.length, 0);
  model.dispose();
  copy.dispose();
});

Deno.test("a model frozen at construction freezes its layers: fit moves nothing, statistics included", async () => {
  dn.setSeed(9);
  const inner = dn.sequential([
    dn.layers.dense({ units: 3, inputShape: [2] }),
    dn.layers.batchNormalization(),
  ], { trainable: false });
  const x = dn.input({ shape: [2] });
  const model = dn.model({
    inputs: x,
    outputs: dn.layers.dense({ units: 1 }).apply(inner.apply(x)),
  });
  model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  assertEquals(inner.layers.map((l) => l.trainable), [false, false]);
  assertEquals(model.trainableWeights.length, 2);
  const before = values(inner.getWeights());
  await model.fit(data(8, 2, 8), data(8, 1, 9), { epochs: 2, batchSize: 4, verbose: 0 });
  assertEquals(values(inner.getWeights()), before);
  model.dispose();
});
