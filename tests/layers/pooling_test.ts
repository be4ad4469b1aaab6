/**
 * Pooling layers `maxPooling2d()` and `averagePooling2d()`: Keras defaults, output shapes,
 * configs that rebuild the layer (and a saved model), values against the f64 references, and
 * typed errors.
 */
import * as dn from "../../mod.ts";
import { avgPool, maxPool, poolGeometry } from "../_reference/pool.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { input, toTensor } from "../ops/_inputs.ts";

const LAYERS = {
  maxPooling2d: { make: dn.layers.maxPooling2d, className: "MaxPooling2D", ref: maxPool },
  averagePooling2d: {
    make: dn.layers.averagePooling2d,
    className: "AveragePooling2D",
    ref: avgPool,
  },
} as const;

for (const [name, { make, className, ref }] of Object.entries(LAYERS)) {
  Deno.test(`${name}() defaults to a 2x2 pool, stride 2 and "valid" padding`, () => {
    const layer = make();
    assertEquals(layer.className, className);
    assertEquals([layer.poolSize, layer.strides, layer.padding], [[2, 2], [2, 2], "valid"]);
    assertEquals(layer.computeOutputShape([28, 28, 8]), [14, 14, 8]);
    assertEquals(layer.computeOutputShape([5, 5, 3]), [2, 2, 3]);
    assertEquals(layer.countParams(), 0);
  });

  Deno.test(`${name}() computes TensorFlow output shapes and values`, () => {
    const cases: [
      number[],
      number | [number, number],
      number | [number, number] | undefined,
      "same" | "valid",
      number[],
    ][] = [
      [[7, 9, 3], 3, 2, "same", [4, 5, 3]],
      [[7, 9, 3], 3, 2, "valid", [3, 4, 3]],
      [[5, 5, 17], [2, 3], undefined, "same", [3, 2, 17]],
      [[6, 6, 1], 2, 1, "valid", [5, 5, 1]],
      [[1, 1, 4], 3, 3, "same", [1, 1, 4]],
    ];
    cases.forEach(([sample, poolSize, strides, padding, want], i) => {
      const layer = make({ poolSize, strides, padding });
      assertEquals(layer.computeOutputShape(sample), want);
      const x = input([2, ...sample], 20 + i);
      using xt = toTensor(x);
      using y = layer.call(xt, false);
      assertEquals(y.shape, [2, ...want]);
      const pair = (v: number | [number, number]): [number, number] =>
        typeof v === "number" ? [v, v] : v;
      const g = poolGeometry([2, ...sample], pair(poolSize), pair(strides ?? poolSize), padding);
      const tol = name === "maxPooling2d" ? Tol.exact : Tol.dot(g.ph * g.pw + 1);
      assertClose(y.dataSync(), ref(x.data, g), tol, `${name} case ${i}`);
    });
  });

  Deno.test(`${name}() getConfig() rebuilds an equal layer`, () => {
    const layer = make({ poolSize: [3, 2], strides: 1, padding: "same", name: `pool_${name}` });
    const config = layer.getConfig();
    assertEquals(config, {
      name: `pool_${name}`,
      poolSize: [3, 2],
      strides: [1, 1],
      padding: "same",
    });
    const copy = make(config as dn.layers.Pooling2dArgs);
    assertEquals(copy.getConfig(), config);
    assertEquals(copy.className, className);
  });

  Deno.test(`${name}() throws typed errors for bad arguments and samples`, () => {
    assertThrows(
      () => make({ poolSize: 0 }),
      RangeError,
      `Cannot run ${name}(): argument "poolSize"`,
    );
    assertThrows(
      () => make({ poolSize: 2.5 }),
      RangeError,
      'argument "poolSize" must hold positive',
    );
    assertThrows(
      () => make({ strides: [1, -1] }),
      RangeError,
      'argument "strides" must hold positive',
    );
    assertThrows(
      () => make({ poolSize: [2] as unknown as number }),
      TypeError,
      "an array of two numbers",
    );
    assertThrows(
      () => make({ padding: "causal" as "same" }),
      TypeError,
      'argument "padding" must be one of',
    );
    const layer = make({ poolSize: 3 });
    assertThrows(
      () => layer.computeOutputShape([2, 5, 1]),
      RangeError,
      'padding "valid": got [2, 5]',
    );
    assertThrows(() => layer.computeOutputShape([5, 5]), TypeError, "samples must have rank 3");
  });
}

Deno.test("maxPooling2d() trains in a saved and reloaded CNN-style model with the same predictions", async () => {
  dn.setSeed(11);
  const model = dn.sequential([
    dn.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same", inputShape: [7, 7, 3] }),
    dn.layers.averagePooling2d({ poolSize: 2 }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 2, activation: "softmax" }),
  ]);
  model.compile({
    optimizer: dn.optimizers.sgd({ learningRate: 0.1 }),
    loss: "categoricalCrossentropy",
  });
  using x = toTensor(input([8, 7, 7, 3], 5));
  const labels = dn.tensor(Float32Array.from({ length: 8 }, (_, i) => i % 2));
  using y = dn.oneHot(labels, 2);
  labels.dispose();
  await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
  const same = await dn.loadModel(model.toBytes());
  using a = model.predict(x);
  using b = same.predict(x);
  assertEquals(a.shape, [8, 2]);
  assertEquals([...b.dataSync()], [...a.dataSync()]);
  assertEquals(same.layers.map((l) => l.className).slice(0, 2), [
    "MaxPooling2D",
    "AveragePooling2D",
  ]);
  model.dispose();
  same.dispose();
});
