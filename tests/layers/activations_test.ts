/**
 * Layer activations by name: every TF.js name in `dense`, `conv2d` and `activation`, the fused
 * ones in the GEMM epilogue and the others applied after it (values and gradients on every
 * backend: tests/ops/suite/cases/layer_activations.ts), saved and restored by name, unknown names
 * rejected naming the layer function.
 */
import * as dn from "../../mod.ts";
import { LAYER_ACTIVATION } from "../_reference/activations.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose } from "../_util/assert_close.ts";

const NAMES = Object.keys(LAYER_ACTIVATION) as dn.layers.ActivationName[];

Deno.test("activation() applies every TF.js activation name as its float64 reference", () => {
  const x = Float32Array.from({ length: 17 }, (_, i) => -4 + i / 2 + 0.01);
  using t = dn.tensor(x, [1, 17]);
  for (const activation of NAMES) {
    const y = dn.layers.activation({ activation }).call(t);
    const want = Float64Array.from(x, LAYER_ACTIVATION[activation]);
    assertClose(y.dataSync() as Float32Array, want, { abs: 2 ** -22, rel: 2 ** -20 }, activation);
    if (y !== t) y.dispose(); // "linear" returns its input
  }
});

Deno.test("conv2d() with an unfused activation equals the linear conv2d followed by it", () => {
  for (const activation of ["elu", "gelu", "leakyRelu", "hardSigmoid"] as const) {
    const conv = dn.layers.conv2d({ filters: 3, kernelSize: 2, activation });
    const linear = dn.layers.conv2d({ filters: 3, kernelSize: 2, biasInitializer: "ones" });
    using x = dn.randomNormal([2, 5, 4, 2], { seed: 3 });
    using z = linear.call(x);
    conv.ensureBuilt(x.shape.slice(1));
    conv.setWeights(linear.getWeights());
    using got = conv.call(x);
    using want = dn.layers.activation({ activation }).call(z);
    assertEquals([...got.dataSync()], [...want.dataSync()], activation);
    conv.dispose();
    linear.dispose();
  }
});

Deno.test("dense() trains with leakyRelu and elu and the names survive save and load", async () => {
  dn.setSeed(1);
  const model = dn.sequential([
    dn.layers.dense({ units: 8, activation: "leakyRelu", inputShape: [2] }),
    dn.layers.dense({ units: 8, activation: "elu" }),
    dn.layers.dense({ units: 1, activation: "hardSigmoid" }),
  ]);
  model.compile({ optimizer: "adam", loss: "mse" });
  using x = dn.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  using y = dn.tensor([[0], [1], [1], [0]]);
  const h = await model.fit(x, y, { epochs: 20, batchSize: 4, verbose: 0 });
  const loss = h.history.loss as number[];
  assertEquals(loss[loss.length - 1] < loss[0], true);
  const copy = await dn.loadModel(model.toBytes());
  assertEquals(
    copy.layers.map((l) => (l.getConfig() as { activation: string }).activation),
    ["leakyRelu", "elu", "hardSigmoid"],
  );
  using a = model.predict(x) as dn.Tensor;
  using b = copy.predict(x) as dn.Tensor;
  assertEquals([...b.dataSync()], [...a.dataSync()]);
  model.dispose();
  copy.dispose();
});

Deno.test("dense(), conv2d() and activation() reject an unknown activation naming the layer", () => {
  assertThrows(
    () => dn.layers.dense({ units: 2, activation: "leaky" as never }),
    TypeError,
    'Cannot run dense(): argument "activation" must be one of "linear", "relu"',
  );
  assertThrows(
    () => dn.layers.conv2d({ filters: 2, kernelSize: 1, activation: "mish" as never }),
    TypeError,
    'Cannot run conv2d(): argument "activation"',
  );
  assertThrows(
    () => dn.layers.activation({ activation: "relu7" as never }),
    TypeError,
    'Cannot run activation(): argument "activation"',
  );
});
