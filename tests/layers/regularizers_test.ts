/**
 * `dn.regularizers` (`l1`, `l2`, `l1l2`) on the layers' kernel arguments: one SGD step on a
 * batch whose data loss has zero gradient moves a kernel by exactly the penalty's gradient,
 * `lr · (l1 · sign(w) + 2 · l2 · w)`; configs save and reload; bad factors throw typed errors.
 */
import * as dn from "../../mod.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";

Deno.test("regularizer factories have TF.js's defaults", () => {
  assertEquals(dn.regularizers.l1(), { l1: 0.01, l2: 0 });
  assertEquals(dn.regularizers.l2({ l2: 0.5 }), { l1: 0, l2: 0.5 });
  assertEquals(dn.regularizers.l1l2(), { l1: 0.01, l2: 0.01 });
});

for (
  const [what, make, kernelShape] of [
    [
      "dense",
      (r: dn.regularizers.Regularizer) =>
        dn.layers.dense({ units: 2, useBias: false, kernelRegularizer: r, inputShape: [3] }),
      [3, 2],
    ],
    [
      "conv1d",
      (r: dn.regularizers.Regularizer) =>
        dn.layers.conv1d({
          filters: 2,
          kernelSize: 3,
          useBias: false,
          kernelRegularizer: r,
          inputShape: [3, 1],
        }),
      [3, 1, 2],
    ],
    [
      "depthwiseConv2d",
      (r: dn.regularizers.Regularizer) =>
        dn.layers.depthwiseConv2d({
          kernelSize: 3,
          useBias: false,
          depthwiseRegularizer: r,
          inputShape: [3, 3, 2],
        }),
      [3, 3, 2, 1],
    ],
  ] as const
) {
  Deno.test(`${what}(): an L1+L2 kernel penalty moves the kernel by its gradient in fit`, async () => {
    const [l1, l2, lr] = [0.3, 0.2, 0.1];
    const layer = make(dn.regularizers.l1l2({ l1, l2 }));
    const model = dn.sequential([layer, dn.layers.flatten()]);
    model.compile({ optimizer: dn.optimizers.sgd({ learningRate: lr }), loss: "meanSquaredError" });
    const n = (kernelShape as readonly number[]).reduce((a, b) => a * b, 1);
    const w = Float32Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1) * (0.25 + i / n));
    using wt = dn.tensor(w, [...kernelShape]);
    layer.setWeights([wt]);
    const inShape = layer.inputShape!;
    using x = dn.zeros([2, ...inShape]);
    using y = dn.zeros([2, layer.computeOutputShape(inShape).reduce((a, b) => a * b, 1)]);
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    const want = Float64Array.from(w, (v) => v - lr * (l1 * Math.sign(v) + 2 * l2 * v));
    assertClose(layer.weights[0].value.dataSync(), want, Tol.ulps(8), what);
    const copy = await dn.loadModel(model.toBytes());
    const key = what === "depthwiseConv2d" ? "depthwiseRegularizer" : "kernelRegularizer";
    assertEquals(copy.layers[0].getConfig()[key], { l1, l2 });
    model.dispose();
    copy.dispose();
  });
}

Deno.test("regularizers reject negative or unknown factors with typed errors", () => {
  assertThrows(
    () => dn.regularizers.l2({ l2: -1 }),
    RangeError,
    'Cannot run l2(): argument "l2" must be a finite number >= 0: got -1',
  );
  assertThrows(
    () => dn.regularizers.l1({ l2: 1 } as unknown as { l1: number }),
    TypeError,
    'option "l2" is not known',
  );
  assertThrows(
    () => dn.layers.dense({ units: 1, kernelRegularizer: { l1: Number.NaN } }),
    RangeError,
    'Cannot run dense(): argument "kernelRegularizer.l1" must be a finite number >= 0: got NaN',
  );
  assertThrows(
    () =>
      dn.layers.conv2d({
        filters: 1,
        kernelSize: 1,
        kernelRegularizer: { l3: 1 } as unknown as { l2: number },
      }),
    TypeError,
    'option "l3" is not known',
  );
});

Deno.test("activityRegularizer adds (l1·Σ|y| + l2·Σy²) / batch of the output to the training loss", async () => {
  const [l1, l2] = [0.05, 0.2];
  const layer = dn.layers.dense({
    units: 2,
    useBias: false,
    inputShape: [3],
    activation: "tanh",
    activityRegularizer: dn.regularizers.l1l2({ l1, l2 }),
  });
  const model = dn.sequential([layer]);
  model.compile({ optimizer: dn.optimizers.sgd({ learningRate: 0 }), loss: "meanSquaredError" });
  const xv = [0.5, -1, 2, 1, 0.25, -0.75, -2, 1, 0.5, 0, 1, -1];
  const w = [0.3, -0.2, 0.1, 0.4, -0.5, 0.25];
  using wt = dn.tensor(w, [3, 2]);
  layer.setWeights([wt]);
  using x = dn.tensor(xv, [4, 3]);
  using y = dn.zeros([4, 2]);
  const h = await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  const out = Array.from({ length: 8 }, (_, i) => {
    const [r, c] = [Math.floor(i / 2), i % 2];
    return Math.tanh(
      [0, 1, 2].reduce((s, k) => s + Math.fround(xv[r * 3 + k]) * Math.fround(w[k * 2 + c]), 0),
    );
  });
  const data = out.reduce((s, v) => s + v * v, 0) / 8;
  const penalty =
    (l1 * out.reduce((s, v) => s + Math.abs(v), 0) + l2 * out.reduce((s, v) => s + v * v, 0)) / 4;
  assertClose([h.history.loss[0] as number], [data + penalty], Tol.ulps(64), "loss");
  assertEquals(layer.getConfig().activityRegularizer, { l1, l2 });
  model.dispose();
});
