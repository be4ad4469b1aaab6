/**
 * `conv1d()`, `conv2dTranspose()`, `depthwiseConv2d()`, `separableConv2d()`: gradients with
 * respect to the input and every weight against central differences of the float64 references
 * (values on every backend are in tests/ops/suite/cases/layers_more.ts), Keras weight layouts,
 * a save/reload round trip, and typed errors (the layers' and the `conv2dTranspose` op's).
 *
 * Gradient bounds: an f32 sum of k products per output, differenced at h = 1e-6 against f64:
 * rel 1e-3, abs 1e-4 (as tests/layers/conv2d_test.ts).
 */
import * as dn from "../../mod.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { gradInput } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";
import { conv2dBackwardDataReference, conv2dReference, convGeometry } from "../_reference/conv.ts";
import { depthwiseReference } from "../_reference/depthwise.ts";
import { checkLayerGrads } from "./_helpers.ts";

const TOL = { rel: 1e-3, abs: 1e-4 };

/** Builds `layer` for `shape`, sets seeded weights in [-1, 1] and checks every gradient. */
function check(
  what: string,
  layer: dn.layers.Layer,
  shape: number[],
  ref: (x: Float64Array, ws: Float64Array[]) => Float64Array,
  outSize: number,
) {
  layer.ensureBuilt(shape.slice(1));
  const ws = layer.weights.map((w, i) =>
    dn.tensor(Float32Array.from(gradInput([...w.value.shape], 20 + i).data), w.value.shape)
  );
  layer.setWeights(ws);
  ws.forEach((w) => w.dispose());
  dn.tidy(() => checkLayerGrads(what, layer, gradInput(shape, 3), randomF32(outSize, 4), ref, TOL));
  layer.dispose();
}

Deno.test("conv1d() gradients (x, kernel [k, C, F], bias) match central differences, causal padding", () => {
  const [n, steps, c, k, f] = [2, 6, 3, 3, 4];
  const g = convGeometry([n, 1, steps + 2 * (k - 1), c], [1, k, f], 1, [1, 2], "valid");
  check(
    "conv1d causal",
    dn.layers.conv1d({ filters: f, kernelSize: k, dilationRate: 2, padding: "causal" }),
    [n, steps, c],
    (x, [w, b]) => {
      const front = 2 * (k - 1), xp = new Float64Array(n * (steps + front) * c);
      for (let i = 0; i < n; i++) {
        xp.set(x.subarray(i * steps * c, (i + 1) * steps * c), (i * (steps + front) + front) * c);
      }
      return conv2dReference(g, xp, w, b).y;
    },
    n * steps * f,
  );
});

Deno.test("conv2dTranspose() gradients (x, kernel [kh, kw, F, C], bias) match central differences", () => {
  const shape = [1, 3, 2, 2], f = 3;
  const g = convGeometry([1, 6, 4, f], [3, 3, 2], 2, 1, "same");
  check(
    "conv2dTranspose",
    dn.layers.conv2dTranspose({ filters: f, kernelSize: 3, strides: 2, padding: "same" }),
    shape,
    (x, [w, b]) => conv2dBackwardDataReference(g, x, w).map((v, i) => v + b[i % f]),
    6 * 4 * f,
  );
});

Deno.test("depthwiseConv2d() gradients (x, depthwise_kernel [kh, kw, C, M], bias) match central differences", () => {
  const shape = [2, 4, 5, 3], m = 2;
  const g = convGeometry(shape, [3, 2, 3 * m], 1, 1, "same");
  check(
    "depthwiseConv2d",
    dn.layers.depthwiseConv2d({ kernelSize: [3, 2], depthMultiplier: m, padding: "same" }),
    shape,
    (x, [w, b]) => depthwiseReference(g, m, x, w, b),
    2 * 4 * 5 * 3 * m,
  );
});

Deno.test("separableConv2d() gradients (x, depthwise_kernel, pointwise_kernel, bias) match central differences", () => {
  const shape = [1, 5, 4, 2], m = 2, f = 3;
  const g = convGeometry(shape, [2, 2, 2 * m], 2, 1, "valid");
  const pg = convGeometry([1, g.outH, g.outW, 2 * m], [1, 1, f]);
  const layer = dn.layers.separableConv2d({
    filters: f,
    kernelSize: 2,
    depthMultiplier: m,
    strides: 2,
    activation: "sigmoid",
  });
  layer.ensureBuilt(shape.slice(1));
  assertEquals(layer.weights.map((w) => [w.name, w.value.shape]), [
    ["depthwise_kernel", [2, 2, 2, m]],
    ["pointwise_kernel", [1, 1, 2 * m, f]],
    ["bias", [f]],
  ]);
  check(
    "separableConv2d",
    layer,
    shape,
    (x, [w, p, b]) => conv2dReference(pg, depthwiseReference(g, m, x, w), p, b, "sigmoid").y,
    g.outH * g.outW * f,
  );
});

Deno.test("a model of the new conv layers saves and reloads with identical predictions", async () => {
  const model = dn.sequential([
    dn.layers.separableConv2d({
      filters: 4,
      kernelSize: 3,
      padding: "same",
      inputShape: [6, 6, 2],
    }),
    dn.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, activation: "relu" }),
    dn.layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2 }),
    dn.layers.reshape({ targetShape: [100, 2] }),
    dn.layers.conv1d({ filters: 3, kernelSize: 5, strides: 5 }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 1 }),
  ]);
  model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  using x = dn.tensor(Float32Array.from(randomF32(4 * 72, 1)), [4, 6, 6, 2]);
  using y = dn.tensor(Float32Array.from(randomF32(4, 2)), [4, 1]);
  await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
  const copy = await dn.loadModel(model.toBytes());
  using a = model.predict(x) as dn.Tensor;
  using b = copy.predict(x) as dn.Tensor;
  assertEquals(b.dataSync(), a.dataSync());
  model.dispose();
  copy.dispose();
});

Deno.test("the conv layers and the conv2dTranspose and depthwiseConv2d ops reject bad input with typed errors", () => {
  assertThrows(
    () => dn.layers.conv1d({ filters: 2, kernelSize: 3, padding: "full" as "same" }),
    TypeError,
    'Cannot run conv1d(): argument "padding" must be one of "valid", "same", "causal": got "full"',
  );
  assertThrows(
    () =>
      dn.layers.conv2dTranspose(
        { filters: 2, kernelSize: 3, dilationRate: 2 } as dn.layers.Conv2DTransposeArgs,
      ),
    TypeError,
    "dilationRate",
  );
  assertThrows(
    () => dn.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 0 }),
    RangeError,
    'Cannot run depthwiseConv2d(): argument "depthMultiplier"',
  );
  assertThrows(
    () => dn.layers.separableConv2d({ kernelSize: 3 } as dn.layers.SeparableConv2DArgs),
    RangeError,
    'Cannot run separableConv2d(): argument "filters"',
  );
  using seq = dn.ones([1, 4]);
  assertThrows(
    () => dn.layers.conv1d({ filters: 2, kernelSize: 3 }).call(seq, false),
    RangeError,
    "samples must have shape [steps, channels]: got [4]",
  );
  using x = dn.ones([1, 3, 3, 2]);
  using w = dn.ones([3, 3, 4, 2]);
  assertThrows(
    () => dn.conv2dTranspose(x, w, [1, 6, 6, 5], 2, "same"),
    RangeError,
    'Cannot run conv2dTranspose(): "outputShape" must be [1, height, width, 4]',
  );
  assertThrows(
    () => dn.conv2dTranspose(x, w, [1, 9, 9, 4], 2, "same"),
    RangeError,
    "gives height and width [5, 5], not x's [3, 3]",
  );
  assertThrows(
    () => dn.conv2dTranspose(x, w, [1, 6, 6, 4], 2, "full" as "same"),
    TypeError,
    "padding",
  );
  using f = dn.ones([3, 3, 3, 1]);
  assertThrows(
    () => dn.depthwiseConv2d(x, f, 1, "same"),
    RangeError,
    'Cannot run depthwiseConv2d(): input channels of "x" and "filter" must match: got 2',
  );
  using f2 = dn.ones([3, 3, 2, 2]);
  assertThrows(
    () => dn.depthwiseConv2d(x, f2, 1, "same", "NCHW" as "NHWC"),
    TypeError,
    'argument "dataFormat" must be one of "NHWC"',
  );
  assertThrows(
    () => dn.depthwiseConv2d(x, f2, 2, "same", "NHWC", 2),
    RangeError,
    '"strides" and "dilations" cannot both exceed 1',
  );
  assertThrows(
    () =>
      (dn.depthwiseConv2d as (...args: unknown[]) => dn.Tensor)(x, f2, 1, "valid", "NHWC", 1, 0),
    TypeError,
    "it takes",
  );
});
