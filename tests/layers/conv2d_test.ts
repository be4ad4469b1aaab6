/**
 * `conv2d()` layer: Keras weight layouts and shapes, parameter counts, the glorot fans of a conv
 * kernel, gradients by central differences (STYLE C12), save/load round trips, and typed errors.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { gradInput } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";
import { conv2dReference, type ConvGeometry, convOutput } from "../_reference/conv.ts";
import { checkLayerGrads } from "./_helpers.ts";

Deno.test("conv2d() layer creates a [kh, kw, inC, filters] kernel and a [filters] bias", () => {
  const layer = dn.layers.conv2d({ filters: 6, kernelSize: [5, 3], inputShape: [28, 28, 3] });
  using y = layer.call(dn.zeros([2, 28, 28, 3]));
  assertEquals(y.shape, [2, 24, 26, 6]);
  assertEquals(layer.weights.map((w) => [w.name, w.value.shape]), [
    ["kernel", [5, 3, 3, 6]],
    ["bias", [6]],
  ]);
  assertEquals(layer.countParams(), 5 * 3 * 3 * 6 + 6);
  layer.dispose();
});

Deno.test("conv2d() layer computes TensorFlow output shapes for same/valid, strides, dilation", () => {
  const shape = (args: Partial<dn.layers.Conv2DArgs>, input: number[]) =>
    dn.layers.conv2d({ filters: 4, kernelSize: 3, ...args }).computeOutputShape(input);
  assertEquals(shape({}, [28, 28, 1]), [26, 26, 4]);
  assertEquals(shape({ padding: "same" }, [17, 17, 2]), [17, 17, 4]);
  assertEquals(shape({ padding: "same", strides: 2 }, [17, 17, 2]), [9, 9, 4]);
  assertEquals(shape({ strides: [2, 1] }, [9, 8, 2]), [4, 6, 4]);
  assertEquals(shape({ dilationRate: 2 }, [9, 9, 2]), [5, 5, 4]);
  assertEquals(shape({ kernelSize: 1, useBias: false }, [3, 5, 7]), [3, 5, 4]);
});

Deno.test("conv2d() layer without bias has only a kernel; height and width may vary", () => {
  const layer = dn.layers.conv2d({ filters: 2, kernelSize: 3, padding: "same", useBias: false });
  using a = layer.call(dn.ones([1, 5, 5, 3]));
  using b = layer.call(dn.ones([2, 8, 6, 3]));
  assertEquals([a.shape, b.shape], [[1, 5, 5, 2], [2, 8, 6, 2]]);
  assertEquals(layer.countParams(), 3 * 3 * 3 * 2);
  assertThrows(() => layer.call(dn.ones([1, 5, 5, 4])), RangeError, "built for samples");
  layer.dispose();
});

Deno.test("conv2d() layer glorotUniform uses fans = receptive field x channels", () => {
  dn.setSeed(1);
  const layer = dn.layers.conv2d({ filters: 32, kernelSize: 5 });
  layer.call(dn.zeros([1, 8, 8, 16])).dispose();
  const values = layer.weights[0].value.dataSync();
  const limit = Math.sqrt(6 / (25 * 16 + 25 * 32));
  const maxAbs = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  assert(maxAbs <= limit && maxAbs > 0.95 * limit, `max |w| ${maxAbs}, limit ${limit}`);
  layer.dispose();
});

/** The layer in float64: the conv reference, then the activation. */
function reference(g: ConvGeometry, activation: "linear" | "relu" | "tanh" | "softmax") {
  return (x: Float64Array, [w, b]: Float64Array[]): Float64Array => {
    const act = activation === "linear" || activation === "softmax" ? "none" : activation;
    const { y } = conv2dReference(g, x, w, b, act);
    if (activation !== "softmax") return y;
    for (let i = 0; i < y.length; i += g.outC) {
      const row = y.subarray(i, i + g.outC);
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, v) => a + v, 0);
      row.set(e.map((v) => v / s));
    }
    return y;
  };
}

for (const activation of ["linear", "tanh", "softmax"] as const) {
  Deno.test(`conv2d() layer with "${activation}" has central-difference gradients`, () => {
    const [batch, h, w, c, filters] = [2, 5, 4, 2, 3];
    const layer = dn.layers.conv2d({ filters, kernelSize: [3, 2], padding: "same", activation });
    layer.call(dn.zeros([1, h, w, c])).dispose();
    dn.tidy(() =>
      layer.setWeights([
        dn.tensor(Float32Array.from(randomF32(3 * 2 * c * filters, 5)), [3, 2, c, filters]),
        dn.tensor(Float32Array.from(randomF32(filters, 6)), [filters]),
      ])
    );
    const rows = convOutput(h, 3, 1, 1, "same"), cols = convOutput(w, 2, 1, 1, "same");
    const g: ConvGeometry = {
      batch,
      inH: h,
      inW: w,
      inC: c,
      outH: rows.out,
      outW: cols.out,
      outC: filters,
      fh: 3,
      fw: 2,
      strideH: 1,
      strideW: 1,
      dilH: 1,
      dilW: 1,
      padTop: rows.before,
      padLeft: cols.before,
    };
    const r = randomF32(batch * g.outH * g.outW * filters, 7);
    checkLayerGrads(
      `conv2d ${activation}`,
      layer,
      gradInput([batch, h, w, c], 8),
      r,
      reference(g, activation),
      { rel: 1e-3, abs: 1e-4 },
    );
    layer.dispose();
  });
}

Deno.test("loadModel(toBytes()) restores a conv model that predicts bitwise identically", async () => {
  dn.setSeed(2);
  const model = dn.sequential([
    dn.layers.conv2d({
      filters: 4,
      kernelSize: 3,
      padding: "same",
      activation: "relu",
      inputShape: [8, 8, 2],
      kernelRegularizer: { l2: 1e-4 },
    }),
    dn.layers.conv2d({ filters: 3, kernelSize: [2, 3], strides: 2, useBias: false }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 5, activation: "softmax" }),
  ]);
  using x = dn.tensor(Float32Array.from(randomF32(3 * 8 * 8 * 2, 9)), [3, 8, 8, 2]);
  using before = model.predict(x);
  const copy = await dn.loadModel(model.toBytes());
  using after = copy.predict(x);
  assertEquals(after.shape, [3, 5]);
  assertEquals(
    new Uint32Array(after.dataSync().buffer),
    new Uint32Array(before.dataSync().buffer),
  );
  assertEquals(
    copy.layers.map((l) => [l.className, l.getConfig()]),
    model.layers.map((l) => [l.className, l.getConfig()]),
  );
  model.dispose();
  copy.dispose();
});

Deno.test("conv2d() layer trains: loss falls on a learnable pattern", async () => {
  dn.setSeed(4);
  // Class = whether the bright pixel of a 6x6 image is in the left or right half.
  const n = 64;
  const xs = new Float32Array(n * 36), ys = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const right = i % 2, row = (i >> 1) % 6, col = 3 * right + ((i >> 2) % 3);
    xs[i * 36 + row * 6 + col] = 1;
    ys[i * 2 + right] = 1;
  }
  const model = dn.sequential([
    dn.layers.conv2d({ filters: 4, kernelSize: 3, activation: "relu", inputShape: [6, 6, 1] }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 2, activation: "softmax" }),
  ]);
  model.compile({
    optimizer: dn.optimizers.adam({ learningRate: 0.05 }),
    loss: "categoricalCrossentropy",
  });
  using x = dn.tensor(xs, [n, 6, 6, 1]);
  using y = dn.tensor(ys, [n, 2]);
  const history = await model.fit(x, y, { epochs: 15, batchSize: 16, verbose: 0 });
  const loss = history.history.loss as number[];
  assert(loss[loss.length - 1] < 0.5 * loss[0], `loss ${loss[0]} -> ${loss[loss.length - 1]}`);
  model.dispose();
});

Deno.test("conv2d() layer throws typed errors for invalid arguments", () => {
  // deno-lint-ignore no-explicit-any
  const make = (args: any) => () => dn.layers.conv2d(args);
  assertThrows(make({ filters: 0, kernelSize: 3 }), RangeError, '"filters"');
  assertThrows(make({ filters: 2.5, kernelSize: 3 }), RangeError, '"filters"');
  assertThrows(make({ filters: 2, kernelSize: 0 }), RangeError, '"kernelSize"');
  assertThrows(make({ filters: 2 }), TypeError, '"kernelSize"');
  assertThrows(make({ filters: 2, kernelSize: 3, strides: -1 }), RangeError, '"strides"');
  assertThrows(
    make({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }),
    RangeError,
    "cannot both exceed 1",
  );
  assertThrows(make({ filters: 2, kernelSize: 3, padding: "causal" }), TypeError, '"padding"');
  assertThrows(make({ filters: 2, kernelSize: 3, activation: "mish" }), TypeError, '"activation"');
  assertThrows(
    make({ filters: 2, kernelSize: 3, kernelInitializer: "identity" }),
    TypeError,
    '"kernelInitializer"',
  );
  assertThrows(
    make({ filters: 2, kernelSize: 3, kernelRegularizer: { l2: -1 } }),
    RangeError,
    "kernelRegularizer.l2",
  );
  const layer = dn.layers.conv2d({ filters: 2, kernelSize: 5 });
  assertThrows(() => layer.computeOutputShape([4, 4, 1]), RangeError, "must fit");
  assertThrows(() => layer.computeOutputShape([16, 1]), RangeError, "[height, width, channels]");
});
