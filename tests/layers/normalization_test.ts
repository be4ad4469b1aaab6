/**
 * `batchNormalization()` and `layerNormalization()`: forward in training and inference mode,
 * the moving statistics, gradients (training mode through the batch statistics) against the
 * float64 references of tests/_reference/normalization.ts, Keras weight layouts, config round
 * trips and typed errors.
 *
 * Tolerances: a mean and a variance of n terms (`Tol.dot(n)`) feed a subtraction, an rsqrt
 * (1.5 ulp), two products and a sum; normalized values are O(3), so relative and absolute
 * `Tol.dot(n + 16)` covers them.
 */
import * as dn from "../../mod.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { gradcheck, gradInput } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";
import { movingAverage, normalizeReference } from "../_reference/normalization.ts";
import { checkLayerGrads } from "./_helpers.ts";

const f64 = (t: dn.Tensor) => Float64Array.from(t.dataSync() as Float32Array);

/** `[shape, axis]`: channels last, channels first, rank 2, tile-edge sizes. */
const BN_CONFIGS: [number[], number][] = [[[6, 3], -1], [[4, 3, 5, 2], -1], [[3, 2, 4], 1], [
  [5, 17],
  1,
]];

for (const [shape, axis] of BN_CONFIGS) {
  const rank = shape.length;
  const a = axis < 0 ? axis + rank : axis;
  const others = shape.map((_, i) => i).filter((i) => i !== a);
  const c = shape[a];
  const n = shape.reduce((p, d) => p * d, 1) / c;
  const tol = Tol.dot(n + 16);

  Deno.test(`batchNormalization() [${shape}] axis ${axis}: training, moving statistics, inference match Keras in f64`, () => {
    const layer = dn.layers.batchNormalization({ axis, momentum: 0.9 });
    const x = gradInput(shape, 3, -2, 3);
    using xt = dn.tensor(Float32Array.from(x.data), shape);
    layer.ensureBuilt(shape.slice(1));
    assertEquals(layer.weights.map((w) => [w.name, w.value.shape, w.trainable ?? true]), [
      ["gamma", [c], true],
      ["beta", [c], true],
      ["moving_mean", [c], false],
      ["moving_variance", [c], false],
    ]);
    const gamma = gradInput([c], 4, 0.5, 1.5).data, beta = gradInput([c], 5).data;
    const mm = gradInput([c], 6).data, mv = gradInput([c], 7, 0.5, 2).data;
    const ws = [gamma, beta, mm, mv].map((v) => dn.tensor(Float32Array.from(v), [c]));
    layer.setWeights(ws);
    ws.forEach((w) => w.dispose());
    // Training: batch statistics, then the moving averages move.
    const want = normalizeReference(x.data, shape, others, [a], gamma, beta, 1e-3);
    const y = dn.tidy(() => dn.keep(layer.call(xt, true)));
    assertClose(y.dataSync(), want.y, tol, "training output");
    y.dispose();
    const [, , newMean, newVar] = layer.weights.map((w) => f64(w.value));
    assertClose(newMean, movingAverage(mm, want.mean, 0.9), tol, "moving_mean");
    assertClose(newVar, movingAverage(mv, want.variance, 0.9), tol, "moving_variance");
    // Inference: the moving statistics.
    const inf = normalizeReference(x.data, shape, others, [a], gamma, beta, 1e-3, {
      mean: newMean,
      variance: newVar,
    });
    const yi = dn.tidy(() => dn.keep(layer.call(xt, false)));
    assertClose(yi.dataSync(), inf.y, tol, "inference output");
    yi.dispose();
    // Inference gradients (x and all four weights).
    const r = randomF32(x.data.length, 9);
    dn.tidy(() =>
      checkLayerGrads(
        "batchNormalization inference",
        layer,
        x,
        r,
        (v, [g, b, m, va]) =>
          normalizeReference(v, shape, others, [a], g, b, 1e-3, { mean: m, variance: va }).y,
        { rel: 1e-3, abs: 1e-4 },
      )
    );
    // Training gradients flow through the batch mean and variance.
    gradcheck(
      "batchNormalization training",
      (xv) => dn.sum(dn.mul(layer.call(xv, true), dn.tensor(Float32Array.from(r), shape))),
      ([xv]) => {
        const yv = normalizeReference(xv, shape, others, [a], gamma, beta, 1e-3).y;
        return yv.reduce((s, v, i) => s + v * r[i], 0);
      },
      [x],
      { rel: 2e-3, abs: 2e-4 },
    );
    layer.dispose();
  });
}

Deno.test("batchNormalization() leaves moving statistics out of trainableWeights and trains gamma and beta with fit", async () => {
  const model = dn.sequential([
    dn.layers.dense({ units: 4, inputShape: [3] }),
    dn.layers.batchNormalization(),
    dn.layers.dense({ units: 1 }),
  ]);
  model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  assertEquals(model.trainableWeights.length, 2 + 2 + 2);
  using x = dn.tensor(Float32Array.from(randomF32(24, 1)), [8, 3]);
  using yt = dn.tensor(Float32Array.from(randomF32(8, 2)), [8, 1]);
  const before = model.layers[1].weights.map((w) => f64(w.value));
  await model.fit(x, yt, { epochs: 2, batchSize: 8, verbose: 0 });
  const after = model.layers[1].weights.map((w) => f64(w.value));
  // gamma, beta trained; moving statistics moved by their average, not by the optimizer.
  for (let i = 0; i < 4; i++) {
    assertEquals(before[i].join() !== after[i].join(), true, `weight ${i}`);
  }
  model.dispose();
});

Deno.test("batchNormalization() config round trip (saved models reload)", () => {
  const layer = dn.layers.batchNormalization({
    axis: 1,
    momentum: 0.8,
    epsilon: 1e-5,
    center: false,
  });
  const config = layer.getConfig();
  assertEquals(config.axis, 1);
  assertEquals(config.momentum, 0.8);
  assertEquals(config.center, false);
  layer.ensureBuilt([3, 2]);
  assertEquals(layer.weights.map((w) => w.name), ["gamma", "moving_mean", "moving_variance"]);
  const copy = new dn.layers.BatchNormalization(config as dn.layers.BatchNormalizationArgs);
  assertEquals(copy.getConfig(), config);
  layer.dispose();
});

/** `[shape, axis]`. */
const LN_CONFIGS: [number[], number | number[]][] = [[[4, 6], -1], [[2, 3, 17], -1], [[3, 2, 5], [
  1,
  2,
]], [
  [2, 4, 3],
  1,
]];

for (const [shape, axis] of LN_CONFIGS) {
  const rank = shape.length;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a));
  const pshape = axes.map((a) => shape[a]);
  const p = pshape.reduce((q, d) => q * d, 1);
  const tol = Tol.dot(p + 16);
  Deno.test(`layerNormalization() [${shape}] axis ${JSON.stringify(axis)} matches its f64 definition and gradient`, () => {
    const layer = dn.layers.layerNormalization({ axis });
    const x = gradInput(shape, 11, -2, 3);
    using xt = dn.tensor(Float32Array.from(x.data), shape);
    layer.ensureBuilt(shape.slice(1));
    assertEquals(layer.weights.map((w) => [w.name, w.value.shape]), [["gamma", pshape], [
      "beta",
      pshape,
    ]]);
    const gamma = gradInput(pshape, 12, 0.5, 1.5).data, beta = gradInput(pshape, 13).data;
    const ws = [gamma, beta].map((v) => dn.tensor(Float32Array.from(v), pshape));
    layer.setWeights(ws);
    ws.forEach((w) => w.dispose());
    const ref = (v: Float64Array, [g, b]: Float64Array[]) =>
      normalizeReference(v, shape, axes, axes, g, b, 1e-3).y;
    for (const training of [false, true]) {
      const y = dn.tidy(() => dn.keep(layer.call(xt, training)));
      assertClose(y.dataSync(), ref(x.data, [gamma, beta]), tol, `training ${training}`);
      y.dispose();
    }
    dn.tidy(() =>
      checkLayerGrads("layerNormalization", layer, x, randomF32(x.data.length, 14), ref, {
        rel: 2e-3,
        abs: 2e-4,
      })
    );
    const copy = new dn.layers.LayerNormalization(
      layer.getConfig() as dn.layers.LayerNormalizationArgs,
    );
    assertEquals(copy.getConfig(), layer.getConfig());
    layer.dispose();
  });
}

Deno.test("normalization layers reject bad arguments with typed errors naming the factory", () => {
  assertThrows(
    () => dn.layers.batchNormalization({ momentum: 1.5 }),
    RangeError,
    'Cannot run batchNormalization(): argument "momentum" must be in [0, 1]: got 1.5',
  );
  assertThrows(
    () => dn.layers.batchNormalization({ axis: [1, 2] as unknown as number }),
    TypeError,
    'argument "axis" must be one integer',
  );
  assertThrows(
    () => dn.layers.layerNormalization({ epsilon: 0 }),
    RangeError,
    'Cannot run layerNormalization(): argument "epsilon" must be > 0: got 0',
  );
  assertThrows(
    () => dn.layers.layerNormalization({ center: 1 as unknown as boolean }),
    TypeError,
    'argument "center" must be a boolean',
  );
  assertThrows(
    () => dn.layers.batchNormalization({ gammaInitializer: "twos" as dn.layers.Initializer }),
    TypeError,
    'argument "gammaInitializer" must be one of',
  );
  assertThrows(
    () => dn.layers.batchNormalization({ momentom: 0.9 } as dn.layers.BatchNormalizationArgs),
    TypeError,
    "momentom",
  );
  const layer = dn.layers.batchNormalization({ axis: 0 });
  using x = dn.ones([2, 3]);
  assertThrows(() => layer.call(x, false), RangeError, "must name distinct non-batch axes");
});
