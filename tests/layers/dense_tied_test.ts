/**
 * `denseTied()`: the decoder of a tied autoencoder reads its encoder's kernel, transposed. The
 * gradients of a reconstruction loss with respect to the shared kernel (both uses summed) and the
 * two biases match central differences of a float64 reference; one SGD step with an L2
 * `kernelRegularizer` on the encoder matches the reference update; saving, loading and cloning
 * (a Sequential, and a functional model of nested encoder and decoder models) keep the tie to the
 * rebuilt encoder; bad arguments throw typed errors. (Forward on every backend:
 * tests/ops/suite/cases/autoencoder_layers.ts.)
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

const N = 6, D = 7, U = 3;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Float64 `mean((sigmoid(sigmoid(x·K + b1)·Kᵀ + b2) - x)²) + l2·ΣK²`, K `[D, U]`. */
function lossReference(x: Float64Array, [k, b1, b2]: Float64Array[], l2 = 0): number {
  let loss = 0;
  for (let r = 0; r < N; r++) {
    const h = Array.from({ length: U }, (_, j) => {
      let z = b1[j];
      for (let i = 0; i < D; i++) z += x[r * D + i] * k[i * U + j];
      return sigmoid(z);
    });
    for (let i = 0; i < D; i++) {
      let z = b2[i];
      for (let j = 0; j < U; j++) z += h[j] * k[i * U + j];
      loss += (sigmoid(z) - x[r * D + i]) ** 2 / (N * D);
    }
  }
  return loss + l2 * k.reduce((s, v) => s + v * v, 0);
}

/** Central differences (h = 1e-6) of `lossReference` with respect to every weight value. */
function numericGrads(x: Float64Array, ws: Float64Array[], l2 = 0): Float64Array[] {
  return ws.map((w, which) =>
    Float64Array.from(w, (v, j) => {
      const at = (value: number) => {
        const copy = ws.map((a) => Float64Array.from(a));
        copy[which][j] = value;
        return lossReference(x, copy, l2);
      };
      return (at(v + 1e-6) - at(v - 1e-6)) / 2e-6;
    })
  );
}

/** A tied autoencoder D -> U -> D with seeded non-zero biases, and its input batch. */
function tiedAutoencoder(l2 = 0) {
  dn.setSeed(4);
  const encoder = dn.layers.dense({
    units: U,
    activation: "sigmoid",
    inputShape: [D],
    biasInitializer: dn.initializers.randomUniform({ minval: -0.5, maxval: 0.5 }),
    ...(l2 ? { kernelRegularizer: dn.regularizers.l2({ l2 }) } : {}),
  });
  const decoder = dn.layers.denseTied({
    tiedTo: encoder,
    activation: "sigmoid",
    biasInitializer: dn.initializers.randomUniform({ minval: -0.5, maxval: 0.5 }),
  });
  const model = dn.sequential([encoder, decoder]);
  const x = dn.tensor(Float32Array.from(randomF32(N * D, 9), (v) => (v + 1) / 2), [N, D]);
  (model.predict(x) as dn.Tensor).dispose(); // builds the weights
  return { encoder, decoder, model, x };
}

const f64 = (t: dn.Tensor) => Float64Array.from(t.dataSync());

Deno.test("denseTied() gradients reach the shared kernel from both uses, as central differences", () => {
  const { encoder, decoder, model, x } = tiedAutoencoder();
  const weights = [encoder.weights[0].value, encoder.weights[1].value, decoder.weights[0].value];
  assertEquals(decoder.weights.map((w) => w.name), ["bias"]);
  const grads = dn.grads(() => dn.mean(dn.square(dn.sub(model.apply(x), x))))(weights);
  const numeric = numericGrads(f64(x), weights.map(f64));
  grads.forEach((g, which) => {
    const got = g.dataSync();
    numeric[which].forEach((want, j) => {
      assert(
        Math.abs(got[j] - want) <= 1e-5 + 1e-3 * Math.abs(want),
        `weight ${which} [${j}]: analytic ${got[j]}, numeric ${want}`,
      );
    });
    g.dispose();
  });
  model.dispose();
  x.dispose();
});

Deno.test("denseTied() autoencoder: one SGD step with an L2 kernelRegularizer as the reference", async () => {
  const l2 = 0.01, lr = 0.5;
  const { encoder, decoder, model, x } = tiedAutoencoder(l2);
  model.compile({ optimizer: dn.optimizers.sgd({ learningRate: lr }), loss: "meanSquaredError" });
  const before = [encoder.weights[0].value, encoder.weights[1].value, decoder.weights[0].value]
    .map(f64);
  const [loss] = await model.trainOnBatch(x, x);
  const want = lossReference(f64(x), before, l2);
  assert(Math.abs(loss - want) <= 1e-6 + 1e-5 * want, `loss ${loss}, reference ${want}`);
  const grads = numericGrads(f64(x), before, l2);
  const after = [encoder.weights[0].value, encoder.weights[1].value, decoder.weights[0].value];
  after.forEach((w, which) => {
    const got = w.dataSync();
    before[which].forEach((v, j) => {
      const expected = v - lr * grads[which][j];
      assert(
        Math.abs(got[j] - expected) <= 1e-6,
        `weight ${which} [${j}]: ${got[j]} vs ${expected}`,
      );
    });
  });
  model.dispose();
  x.dispose();
});

Deno.test("denseTied() saved and loaded (or cloned) stays tied to the rebuilt encoder", async () => {
  const { model, x } = tiedAutoencoder();
  const copy = await dn.loadModel(model.toBytes());
  const clone = dn.cloneModel(model);
  for (const m of [copy, clone]) {
    const tied = m.layers[1] as dn.layers.DenseTied;
    assert(tied.tiedTo === m.layers[0], "tied to its own model's encoder");
    assertEquals(m.countParams(), D * U + U + D);
    using a = model.predict(x) as dn.Tensor, b = m.predict(x) as dn.Tensor;
    assertEquals(b.dataSync(), a.dataSync());
  }
  // The copy's decoder reads the copy's kernel: zero it, and the decoder's output is its bias.
  using zeros = dn.zeros([D, U]), bias = dn.zeros([U]);
  copy.layers[0].setWeights([zeros, bias]);
  using y = copy.predict(x) as dn.Tensor;
  const b2 = copy.layers[1].weights[0].value.dataSync();
  y.dataSync().forEach((v, i) => assert(Math.abs(v - sigmoid(b2[i % D])) < 1e-6, `[${i}]`));
  for (const m of [model, copy, clone]) m.dispose();
  x.dispose();
});

Deno.test("denseTied() in nested encoder and decoder models of a functional model loads tied", async () => {
  dn.setSeed(8);
  const e1 = dn.layers.dense({ units: 5, activation: "relu" });
  const e2 = dn.layers.dense({ units: 2 });
  const encoder = dn.sequential([e1, e2], { name: "encoder" });
  const decoder = dn.sequential([
    dn.layers.denseTied({ tiedTo: e2, activation: "relu" }),
    dn.layers.denseTied({ tiedTo: e1, activation: "sigmoid" }),
  ], { name: "decoder" });
  const input = dn.input({ shape: [D] });
  const autoencoder = dn.model({ inputs: input, outputs: decoder.apply(encoder.apply(input)) });
  const copy = await dn.loadModel<dn.Functional>(autoencoder.toBytes());
  const [enc, dec] = ["encoder", "decoder"].map((n) => copy.getLayer(n) as dn.Sequential);
  assert((dec.layers[0] as dn.layers.DenseTied).tiedTo === enc.layers[1], "decoder 0 -> e2 copy");
  assert((dec.layers[1] as dn.layers.DenseTied).tiedTo === enc.layers[0], "decoder 1 -> e1 copy");
  using x = dn.tensor(Float32Array.from(randomF32(3 * D, 1)), [3, D]);
  using a = autoencoder.predict(x) as dn.Tensor, b = copy.predict(x) as dn.Tensor;
  assertEquals(b.dataSync(), a.dataSync());
  autoencoder.dispose();
  copy.dispose();
});

Deno.test("denseTied() throws typed errors on a bad tie, an early call or a wrong width", () => {
  assertThrows(
    () => dn.layers.denseTied({ tiedTo: dn.layers.flatten() as never }),
    TypeError,
    'Cannot run denseTied(): argument "tiedTo" must be a Dense layer: got Flatten',
  );
  assertThrows(
    () => dn.layers.denseTied({ tiedTo: "no_such_layer_x" as never }),
    RangeError,
    'argument "tiedTo" names "no_such_layer_x", which must be a dense layer rebuilt before',
  );
  const encoder = dn.layers.dense({ units: 4 });
  const tied = dn.layers.denseTied({ tiedTo: encoder });
  using h = dn.ones([2, 4]);
  assertThrows(() => tied.call(h), RangeError, 'the layer it is tied to, "dense_');
  encoder.ensureBuilt([6]);
  using wrong = dn.ones([2, 5]);
  assertThrows(() => tied.call(wrong), RangeError, "must have a last dimension of 4");
  using y = tied.call(h);
  assertEquals(y.shape, [2, 6]);
  assertThrows(
    () => dn.layers.denseTied({ tiedTo: encoder, units: 5 }).call(h),
    RangeError,
    'argument "units" must be the input size of "dense_',
  );
  assertThrows(
    () => dn.layers.denseTied({ tiedTo: encoder, kernelRegularizer: { l2: 1 } } as never),
    TypeError,
    '"kernelRegularizer" is not known',
  );
  encoder.dispose();
  tied.dispose();
});
