/**
 * The weightless layers (`upSampling2d`, `zeroPadding2d`, `cropping2d`,
 * `repeatVector`, `permute`, global pooling, `reLU`, `leakyReLU`, `elu`, `softmax`, `lambda`)
 * and the model-level round trip of the new layers: a Sequential holding them saves and reloads
 * with bitwise-identical predictions (batch normalization's moving statistics included). Values
 * and gradients on every backend are in tests/ops/suite/cases/layers_more.ts.
 */
import * as dn from "../../mod.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

Deno.test("a Sequential with the new layers trains, saves and reloads with identical predictions", async () => {
  const model = dn.sequential([
    dn.layers.zeroPadding2d({ padding: 1, inputShape: [4, 4, 2] }),
    dn.layers.conv2d({ filters: 3, kernelSize: 3 }),
    dn.layers.batchNormalization({ momentum: 0.5 }),
    dn.layers.reLU({ maxValue: 6 }),
    dn.layers.upSampling2d(),
    dn.layers.cropping2d({ cropping: [[1, 1], [2, 0]] }),
    dn.layers.gaussianNoise({ stddev: 0.1, seed: 1 }),
    dn.layers.globalAveragePooling2d(),
    dn.layers.repeatVector({ n: 2 }),
    dn.layers.permute({ dims: [2, 1] }),
    dn.layers.layerNormalization({ axis: [1, 2] }),
    dn.layers.flatten(),
    dn.layers.leakyReLU(),
    dn.layers.elu({ alpha: 0.5 }),
    dn.layers.gaussianDropout({ rate: 0.1, seed: 2 }),
    dn.layers.dense({ units: 2 }),
    dn.layers.softmax(),
  ]);
  model.compile({ optimizer: "adam", loss: "meanSquaredError" });
  using x = dn.tensor(Float32Array.from(randomF32(6 * 32, 1)), [6, 4, 4, 2]);
  using y = dn.tensor(Float32Array.from(randomF32(12, 2)).map(Math.abs), [6, 2]);
  await model.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0 });
  const copy = await dn.loadModel(model.toBytes());
  using a = model.predict(x) as dn.Tensor;
  using b = copy.predict(x) as dn.Tensor;
  assertEquals(b.dataSync(), a.dataSync());
  const bn = copy.layers[2];
  assertEquals(bn.weights.map((w) => w.name), ["gamma", "beta", "moving_mean", "moving_variance"]);
  assertEquals(
    bn.weights.map((w) => [...w.value.dataSync()]),
    model.layers[2].weights.map((w) => [...w.value.dataSync()]),
  );
  model.dispose();
  copy.dispose();
});

Deno.test("lambda layers run their function, infer the output shape, and refuse to save", () => {
  const layer = dn.layers.lambda({ fn: (x) => dn.sum(x, -1, true) });
  assertEquals(layer.computeOutputShape([3, 5]), [3, 1]);
  const model = dn.sequential([dn.layers.dense({ units: 4, inputShape: [2] }), layer]);
  assertThrows(() => model.toBytes(), TypeError, 'Cannot save lambda layer "');
  assertThrows(
    () => dn.layers.lambda({ fn: 3 as unknown as (x: dn.Tensor) => dn.Tensor }),
    TypeError,
    'Cannot run lambda(): argument "fn" must be a function: got 3',
  );
  const bad = dn.layers.lambda({ fn: () => 1 as unknown as dn.Tensor });
  using x = dn.ones([1, 2]);
  assertThrows(() => bad.call(x, false), TypeError, "its function must return a tensor");
  model.dispose();
});

Deno.test("the weightless layers reject bad arguments and samples with typed errors", () => {
  assertThrows(
    () => dn.layers.zeroPadding2d({ padding: -1 as number }),
    TypeError,
    'Cannot run zeroPadding2d(): argument "padding" must be an integer >= 0',
  );
  assertThrows(
    () => dn.layers.upSampling2d({ interpolation: "bilinear" as "nearest" }),
    TypeError,
    'argument "interpolation" must be "nearest"',
  );
  assertThrows(
    () => dn.layers.permute({ dims: [1, 3] }),
    TypeError,
    'Cannot run permute(): argument "dims" must be a permutation of 1..n: got [1, 3]',
  );
  assertThrows(
    () => dn.layers.repeatVector({ n: 0 }),
    RangeError,
    'Cannot run repeatVector(): argument "n"',
  );
  assertThrows(
    () => dn.layers.reLU({ maxValue: -1 }),
    RangeError,
    'Cannot run reLU(): argument "maxValue" must be >= 0: got -1',
  );
  assertThrows(
    () => dn.layers.leakyReLU({ slope: 1 } as unknown as { alpha: number }),
    TypeError,
    "slope",
  );
  using img = dn.ones([1, 2, 2, 1]);
  assertThrows(
    () => dn.layers.cropping2d({ cropping: 1 }).call(img, false),
    RangeError,
    "leaves nothing of samples [2, 2, 1]",
  );
  using flat = dn.ones([2, 3]);
  assertThrows(
    () => dn.layers.globalMaxPooling2d().call(flat, false),
    RangeError,
    "samples must have shape [height, width, channels]: got [3]",
  );
  assertThrows(
    () => dn.layers.permute({ dims: [2, 1] }).call(flat, false),
    RangeError,
    "need samples of rank 2: got [3]",
  );
});
