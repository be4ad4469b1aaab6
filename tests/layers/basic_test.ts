/**
 * Layers without weights: `activation()`, `dropout()`, `flatten()`, `reshape()`: values,
 * shapes, gradients and typed errors.
 */
import * as dn from "../../mod.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { gradInput } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";
import { type DenseActivation, denseReference } from "../_reference/dense.ts";
import { checkLayerGrads } from "./_helpers.ts";

const EPS32 = 2 ** -24;
const ACTIVATIONS: DenseActivation[] = ["linear", "relu", "sigmoid", "tanh", "softmax"];
/**
 * For layers that only move values: the analytic gradient is exact, and the numeric one carries
 * float64 rounding of the loss (|L| <= ~24) divided by 2h: ~24·2^-53 / 1e-6 ~ 3e-9.
 */
const MOVE_TOL = { rel: 0, abs: 1e-8 };

/** An activation alone is the dense reference with an identity kernel and no bias. */
function activationReference(x: Float64Array, cols: number, act: DenseActivation): Float64Array {
  const eye = new Float64Array(cols * cols);
  for (let i = 0; i < cols; i++) eye[i * cols + i] = 1;
  return denseReference(x, eye, null, cols, cols, act);
}

for (const act of ACTIVATIONS) {
  Deno.test(`activation() "${act}" matches its f64 definition and gradient`, () => {
    const layer = dn.layers.activation({ activation: act });
    const x = gradInput([4, 6], 3, -3, 3);
    using xt = dn.tensor(Float32Array.from(x.data), x.shape);
    const y = layer.call(xt, false);
    assertEquals(y.shape, [4, 6]);
    // A polynomial exp and, for softmax, a sum of 6 terms and a division: a few ulps.
    assertClose(y.dataSync(), activationReference(x.data, 6, act), Tol.ulps(16), act);
    if (y !== xt) y.dispose(); // "linear" returns its input itself, as TensorFlow.js does
    const r = randomF32(24, 4);
    checkLayerGrads(`activation ${act}`, layer, x, r, (v) => activationReference(v, 6, act), {
      rel: 64 * EPS32,
      abs: 64 * EPS32,
    });
  });
}

Deno.test("activation() rejects an unknown name with a TypeError", () => {
  assertThrows(
    () => dn.layers.activation({ activation: "mish" as dn.layers.ActivationName }),
    TypeError,
    'argument "activation" must be one of "linear", "relu", "sigmoid", "tanh", "softmax", "leakyRelu"',
  );
});

Deno.test("dropout() passes values through at inference", () => {
  const layer = dn.layers.dropout({ rate: 0.5, seed: 1 });
  using x = dn.tensor(Float32Array.from(randomF32(100, 1)), [10, 10]);
  using y = layer.call(x, false);
  assertEquals(y.dataSync(), x.dataSync());
});

Deno.test("dropout() in training zeroes ~rate of the values and scales the rest by 1/(1-rate)", () => {
  for (const rate of [0.1, 0.5, 0.8]) {
    const layer = dn.layers.dropout({ rate, seed: 5 });
    const n = 20_000;
    using x = dn.ones([20, n / 20]);
    using y = layer.call(x, true);
    const v = y.dataSync();
    const zeros = v.filter((e) => e === 0).length;
    // Binomial(n, rate): one standard deviation is sqrt(rate(1-rate)/n) <= 0.0036; allow ~5.
    assert(Math.abs(zeros / n - rate) < 0.018, `rate ${rate}: ${zeros / n} zeroed`);
    const scaled = Math.fround(1 / (1 - rate));
    assert(v.every((e) => e === 0 || e === scaled), `rate ${rate}: kept values must be ${scaled}`);
  }
});

Deno.test("dropout() with rate 0 is the identity in training", () => {
  using x = dn.tensor([[1, -2, 3]]);
  using y = dn.layers.dropout({ rate: 0 }).call(x, true);
  assertEquals([...y.dataSync()], [1, -2, 3]);
});

Deno.test("dropout() masks are reproducible from a seed or from setSeed()", () => {
  const mask = (layer: dn.layers.Dropout) => {
    using x = dn.ones([8, 50]);
    using y = layer.call(x, true);
    return y.dataSync();
  };
  const a = dn.layers.dropout({ rate: 0.3, seed: 12 });
  const b = dn.layers.dropout({ rate: 0.3, seed: 12 });
  const first = mask(a);
  assertEquals(first, mask(b));
  assert(mask(a).some((v, i) => v !== first[i]), "successive calls draw new masks");
  dn.setSeed(77);
  const g1 = mask(dn.layers.dropout({ rate: 0.3 }));
  dn.setSeed(77);
  assertEquals(mask(dn.layers.dropout({ rate: 0.3 })), g1);
});

Deno.test("dropout() gradient flows through the mask: d sum(r ⊙ y) / dx = r ⊙ mask", () => {
  const layer = dn.layers.dropout({ rate: 0.4, seed: 3 });
  using x = dn.tensor(Float32Array.from(randomF32(60, 8)), [6, 10]);
  const r = randomF32(60, 9);
  using rt = dn.tensor(Float32Array.from(r), [6, 10]);
  let mask: Float32Array | null = null;
  const { value, grads } = dn.valueAndGrads((input) => {
    const y = layer.call(input, true);
    // The mask is y / x (no x is 0): 0 or 1/(1-rate).
    const xs = input.dataSync();
    mask = y.dataSync().map((v, i) => v / xs[i]);
    return dn.sum(dn.mul(y, rt));
  })([x]);
  value.dispose();
  const g = grads[0].dataSync();
  grads[0].dispose();
  const m = mask!;
  assert(m.some((v) => v === 0) && m.some((v) => v !== 0));
  assertClose(g, Float64Array.from(r, (v, i) => v * m[i]), Tol.ulps(4), "dropout backward");
});

Deno.test("dropout() rejects a rate outside [0, 1) with a RangeError", () => {
  for (const rate of [1, -0.1, 1.5, NaN, "0.5"]) {
    assertThrows(
      () => dn.layers.dropout({ rate: rate as number }),
      RangeError,
      'argument "rate" must be in [0, 1)',
    );
  }
});

Deno.test("flatten() keeps the batch and row-major order; gradients reshape back", () => {
  const layer = dn.layers.flatten();
  const x = gradInput([2, 3, 4], 5);
  using xt = dn.tensor(Float32Array.from(x.data), x.shape);
  using y = layer.call(xt, false);
  assertEquals(y.shape, [2, 12]);
  assertEquals(y.dataSync(), xt.dataSync());
  assertEquals(layer.computeOutputShape([3, 4, 5]), [60]);
  const r = randomF32(24, 6);
  checkLayerGrads("flatten", layer, x, r, (v) => v, MOVE_TOL);
});

Deno.test("reshape() reshapes each sample, resolving one -1", () => {
  const layer = dn.layers.reshape({ targetShape: [-1, 2] });
  using x = dn.tensor(Float32Array.from({ length: 12 }, (_, i) => i), [2, 6]);
  using y = layer.call(x, false);
  assertEquals(y.shape, [2, 3, 2]);
  assertEquals([...y.dataSync()], [...x.dataSync()]);
  assertEquals(layer.computeOutputShape([2, 5]), [5, 2]);
  checkLayerGrads("reshape", layer, gradInput([2, 6], 7), randomF32(12, 8), (v) => v, MOVE_TOL);
});

Deno.test("reshape() rejects bad target shapes and incompatible samples with a RangeError", () => {
  for (const targetShape of [[-1, -1], [2, 1.5], [0, 3], [-2], "3"]) {
    assertThrows(
      () => dn.layers.reshape({ targetShape: targetShape as number[] }),
      RangeError,
      'argument "targetShape" must hold positive integers and at most one -1',
    );
  }
  const layer = dn.layers.reshape({ targetShape: [4, -1] });
  using x = dn.zeros([2, 6]);
  assertThrows(
    () => layer.call(x, false),
    RangeError,
    "samples of shape [6] cannot become [4, -1]",
  );
});

/** One fresh layer of each weightless kind. */
const weightless = () => [
  dn.layers.activation({ activation: "relu" }),
  dn.layers.dropout({ rate: 0.5 }),
  dn.layers.flatten(),
  dn.layers.reshape({ targetShape: [2] }),
];

Deno.test("weightless layers reject a non-tensor input with a TypeError", () => {
  for (const layer of weightless()) {
    for (const training of [false, true]) {
      assertThrows(
        () => layer.call([1, 2] as unknown as dn.Tensor, training),
        TypeError,
        'argument "x" must be a Tensor',
      );
    }
  }
});

Deno.test("weightless layers have no weights and count 0 parameters", () => {
  for (const layer of weightless()) {
    assertEquals(layer.countParams(), 0);
    assertEquals(layer.getWeights(), []);
  }
});
