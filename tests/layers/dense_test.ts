/**
 * `dense()`: forward against the float64 reference, Keras weight layouts, initialiser
 * statistics, weight access, gradients by central differences (STYLE C12), and typed errors.
 */
import * as dn from "../../mod.ts";
import { assertClose, type Tolerance } from "../_util/assert_close.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { gradInput } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";
import { type DenseActivation, denseReference } from "../_reference/dense.ts";
import { checkLayerGrads } from "./_helpers.ts";

const EPS32 = 2 ** -24;
const ACTIVATIONS: DenseActivation[] = ["linear", "relu", "sigmoid", "tanh", "softmax"];

/**
 * Forward tolerance: the pre-activation is an f32 dot of `k` terms plus the bias (Tol.dot), and
 * the activation adds a few ulps (sigmoid, tanh and softmax use a polynomial exp; softmax also a
 * sum of `units` terms and a division). Inputs and weights are in [-1, 1], so terms are O(1).
 */
function forwardTol(k: number, units: number): Tolerance {
  const n = k + 1 + units + 8;
  return { rel: 2 * n * EPS32, abs: 2 * n * EPS32 };
}

/**
 * Gradient tolerance: each analytic coordinate is an f32 sum over the batch (kernel, bias) or
 * over the units (input) of products of O(1) factors, each carrying the forward error above;
 * `terms` bounds the total number of roundings along the way. The numeric side is float64 with
 * h = 1e-6 (truncation ~h², rounding ~1e-10): negligible next to this.
 */
function gradTol(terms: number): Tolerance {
  return { rel: 4 * terms * EPS32, abs: 4 * terms * EPS32 };
}

/** A built dense layer with seeded weights in [-1, 1] (bias included), as float64 copies. */
function seededDense(
  inDim: number,
  units: number,
  activation: DenseActivation,
  seed: number,
  useBias = true,
): { layer: dn.layers.Dense; kernel: Float64Array; bias: Float64Array | null } {
  const layer = dn.layers.dense({ units, activation, useBias, inputShape: [inDim] });
  const kernel = randomF32(inDim * units, seed);
  const bias = useBias ? randomF32(units, seed + 1) : null;
  dn.tidy(() => {
    layer.call(dn.zeros([1, inDim]));
    const ws = [dn.tensor(Float32Array.from(kernel), [inDim, units])];
    if (bias) ws.push(dn.tensor(Float32Array.from(bias), [units]));
    layer.setWeights(ws);
  });
  return { layer, kernel, bias };
}

for (const activation of ACTIVATIONS) {
  for (const [rows, inDim, units] of [[5, 7, 4], [3, 17, 9], [1, 1, 1], [9, 33, 10]]) {
    Deno.test(
      `dense() with "${activation}" matches act(x·kernel + bias) for ${rows}x${inDim} -> ${units}`,
      () => {
        const { layer, kernel, bias } = seededDense(inDim, units, activation, 11 * inDim + units);
        const x = randomF32(rows * inDim, rows);
        using xt = dn.tensor(Float32Array.from(x), [rows, inDim]);
        using y = layer.call(xt);
        assertEquals(y.shape, [rows, units]);
        const want = denseReference(x, kernel, bias, inDim, units, activation);
        assertClose(
          y.dataSync(),
          want,
          forwardTol(inDim, units),
          `dense ${rows}x${inDim}x${units}`,
        );
        layer.dispose();
      },
    );
  }
}

Deno.test("dense() applies to the last axis of rank-3 and rank-4 inputs, any leading sizes", () => {
  // Built on [1, 7] by seededDense(); as Keras's Dense, only the last axis is fixed.
  const { layer, kernel, bias } = seededDense(7, 5, "tanh", 3);
  for (const shape of [[2, 3, 7], [4, 1, 7], [1, 2, 3, 7]]) {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = randomF32(n, shape.length + shape[0]);
    using xt = dn.tensor(Float32Array.from(x), shape);
    using y = layer.call(xt);
    assertEquals(y.shape, [...shape.slice(0, -1), 5]);
    const want = denseReference(x, kernel, bias, 7, 5, "tanh");
    assertClose(y.dataSync(), want, forwardTol(7, 5), `dense on ${shape}`);
  }
  assertEquals(layer.computeOutputShape([3, 7]), [3, 5]);
  layer.dispose();
});

Deno.test("dense() uses Keras layouts: kernel [inputDim, units], bias [units]", () => {
  const layer = dn.layers.dense({ units: 3, inputShape: [2] });
  using x = dn.tensor([[1, 1], [1, 0]]);
  layer.call(x).dispose();
  assertEquals(layer.weights.map((w) => [w.name, w.value.shape]), [
    ["kernel", [2, 3]],
    ["bias", [3]],
  ]);
  using kernel = dn.tensor([[1, 2, 3], [4, 5, 6]]);
  using bias = dn.tensor([0.5, -1, 2]);
  layer.setWeights([kernel, bias]);
  using y = layer.call(x);
  assertEquals([...y.dataSync()], [5.5, 6, 11, 1.5, 1, 5]);
  layer.dispose();
});

Deno.test("dense() without bias has only a kernel and countParams() counts in·units", () => {
  const layer = dn.layers.dense({ units: 4, useBias: false, inputShape: [3] });
  assertEquals(layer.countParams(), 0);
  layer.call(dn.tidy(() => dn.zeros([2, 3]))).dispose();
  assertEquals(layer.weights.map((w) => w.name), ["kernel"]);
  assertEquals(layer.countParams(), 12);
  const biased = dn.layers.dense({ units: 4, inputShape: [3] });
  using z = dn.zeros([1, 3]);
  biased.call(z).dispose();
  assertEquals(biased.countParams(), 16);
  layer.dispose();
  biased.dispose();
});

/** Mean, standard deviation and largest magnitude of a built layer's kernel. */
function kernelStats(init: dn.layers.Initializer, inDim: number, units: number) {
  dn.setSeed(7);
  const layer = dn.layers.dense({ units, kernelInitializer: init, biasInitializer: init });
  using x = dn.zeros([1, inDim]);
  layer.call(x).dispose();
  const k = layer.weights[0].value.dataSync();
  const b = layer.weights[1].value.dataSync();
  layer.dispose();
  const mean = k.reduce((a, v) => a + v, 0) / k.length;
  const std = Math.sqrt(k.reduce((a, v) => a + (v - mean) ** 2, 0) / k.length);
  return { mean, std, maxAbs: k.reduce((a, v) => Math.max(a, Math.abs(v)), 0), k, b };
}

// 60,000 draws: the sample std of a uniform or truncated normal is within ~0.5% of the true one
// (one standard error ~0.3%), the sample mean within ~0.01 std; bounds are several errors wide.
const STAT_IN = 200, STAT_OUT = 300;

Deno.test("glorotUniform draws in ±sqrt(6/(in+out)) with the uniform's std", () => {
  const limit = Math.sqrt(6 / (STAT_IN + STAT_OUT));
  const s = kernelStats("glorotUniform", STAT_IN, STAT_OUT);
  assert(s.maxAbs <= limit && s.maxAbs > 0.99 * limit, `max |w| ${s.maxAbs}, limit ${limit}`);
  assert(Math.abs(s.std / (limit / Math.sqrt(3)) - 1) < 0.02, `std ${s.std}`);
  assert(Math.abs(s.mean) < 0.02 * s.std, `mean ${s.mean}`);
});

Deno.test("heUniform draws in ±sqrt(6/in)", () => {
  const limit = Math.sqrt(6 / STAT_IN);
  const s = kernelStats("heUniform", STAT_IN, STAT_OUT);
  assert(s.maxAbs <= limit && s.maxAbs > 0.99 * limit, `max |w| ${s.maxAbs}, limit ${limit}`);
  assert(Math.abs(s.std / (limit / Math.sqrt(3)) - 1) < 0.02, `std ${s.std}`);
});

for (
  const [init, std] of [
    ["heNormal", Math.sqrt(2 / STAT_IN)],
    ["glorotNormal", Math.sqrt(2 / (STAT_IN + STAT_OUT))],
  ] as const
) {
  Deno.test(`${init} has std ${std.toFixed(4)} truncated at two of Keras's sigmas`, () => {
    const s = kernelStats(init, STAT_IN, STAT_OUT);
    // Keras draws N(0, (std/0.8796)²) truncated at ±2 of that sigma, so the result has std `std`.
    const cut = (2 * std) / 0.87962566103423978;
    assert(s.maxAbs <= cut * (1 + 1e-6) && s.maxAbs > 0.99 * cut, `max |w| ${s.maxAbs}`);
    assert(Math.abs(s.std / std - 1) < 0.02, `std ${s.std}, expected ${std}`);
    assert(Math.abs(s.mean) < 0.02 * s.std, `mean ${s.mean}`);
  });
}

Deno.test("zeros and ones initialisers fill kernel and bias with 0 and 1", () => {
  const zeros = kernelStats("zeros", 3, 4);
  assert(zeros.k.every((v) => v === 0) && zeros.b.every((v) => v === 0));
  const ones = kernelStats("ones", 3, 4);
  assert(ones.k.every((v) => v === 1) && ones.b.every((v) => v === 1));
});

Deno.test("dense() default initialisers: glorotUniform kernel, zero bias, seeded by setSeed", () => {
  const draw = () => {
    dn.setSeed(99);
    const layer = dn.layers.dense({ units: 6 });
    using x = dn.zeros([1, 10]);
    layer.call(x).dispose();
    const [k, b] = layer.weights.map((w) => w.value.dataSync());
    layer.dispose();
    return { k, b };
  };
  const a = draw(), b = draw();
  assertEquals(a.k, b.k);
  assert(a.b.every((v) => v === 0));
  assert(a.k.every((v) => Math.abs(v) <= Math.sqrt(6 / 16)) && a.k.some((v) => v !== 0));
});

Deno.test("getWeights() returns copies and setWeights() copies its arguments", () => {
  const { layer, kernel } = seededDense(3, 2, "linear", 5);
  const before = dn.memory().numTensors;
  const copies = layer.getWeights();
  assertEquals(dn.memory().numTensors, before + 2);
  assert(copies.every((c, i) => c !== layer.weights[i].value));
  assertEquals([...copies[0].dataSync()], [...Float32Array.from(kernel)]);
  const fresh = [dn.ones([3, 2]), dn.zeros([2])];
  layer.setWeights(fresh);
  // The earlier copies keep the old values; disposing the arguments leaves the layer intact.
  assertEquals([...copies[0].dataSync()], [...Float32Array.from(kernel)]);
  for (const t of [...fresh, ...copies]) t.dispose();
  assertEquals(dn.memory().numTensors, before);
  assertEquals([...layer.weights[0].value.dataSync()], [1, 1, 1, 1, 1, 1]);
  using x = dn.tensor([[1, 2, 3]]);
  using y = layer.call(x);
  assertEquals([...y.dataSync()], [6, 6]);
  layer.dispose();
});

Deno.test("setWeights() rejects a wrong count, shape or type with a typed error", () => {
  const { layer } = seededDense(3, 2, "linear", 5);
  using k = dn.ones([3, 2]);
  using kt = dn.ones([2, 3]);
  using b = dn.zeros([2]);
  assertThrows(() => layer.setWeights([k]), RangeError, "must hold 2 tensors: got 1");
  assertThrows(() => layer.setWeights([k, b, b]), RangeError, "must hold 2 tensors: got 3");
  assertThrows(
    () => layer.setWeights([kt, b]),
    RangeError,
    'weights[0] ("kernel") must have shape [3, 2]: got [2, 3]',
  );
  assertThrows(
    () => layer.setWeights([k, [0, 0] as unknown as dn.Tensor]),
    TypeError,
    'argument "weights[1]" must be a Tensor',
  );
  layer.dispose();
});

for (const activation of ACTIVATIONS) {
  Deno.test(`dense() "${activation}" gradients w.r.t. kernel, bias and input match f64`, () => {
    const [rows, inDim, units] = [6, 5, 4];
    const { layer } = seededDense(inDim, units, activation, 21);
    const x = gradInput([rows, inDim], 22);
    const r = randomF32(rows * units, 23);
    const ref = (xv: Float64Array, [k, b]: Float64Array[]) =>
      denseReference(xv, k, b, inDim, units, activation);
    checkLayerGrads(`dense ${activation}`, layer, x, r, ref, gradTol(rows + inDim + units + 8));
    layer.dispose();
  });
}

Deno.test("dense() gradients through rank-3 inputs and without bias match f64", () => {
  const { layer } = seededDense(6, 3, "sigmoid", 31, false);
  const x = gradInput([2, 4, 6], 32);
  const r = randomF32(2 * 4 * 3, 33);
  const ref = (xv: Float64Array, [k]: Float64Array[]) =>
    denseReference(xv, k, null, 6, 3, "sigmoid");
  checkLayerGrads("dense rank-3", layer, x, r, ref, gradTol(8 + 6 + 3 + 8));
  layer.dispose();
});

Deno.test("dense() rejects bad arguments with typed errors", () => {
  for (const units of [0, -1, 1.5, NaN, "3"]) {
    assertThrows(
      () => dn.layers.dense({ units: units as number }),
      RangeError,
      'argument "units" must be a positive integer',
    );
  }
  assertThrows(
    () => dn.layers.dense({ units: 2, activation: "mish" as dn.layers.ActivationName }),
    TypeError,
    'argument "activation" must be one of "linear", "relu", "sigmoid", "tanh", "softmax", "leakyRelu"',
  );
  assertThrows(
    () => dn.layers.dense({ units: 2, kernelInitializer: "xavier" as dn.layers.Initializer }),
    TypeError,
    'argument "kernelInitializer" must be one of',
  );
  assertThrows(
    () => dn.layers.dense({ units: 2, biasInitializer: "random" as dn.layers.Initializer }),
    TypeError,
    'argument "biasInitializer" must be one of',
  );
  for (const l2 of [-0.1, NaN, Infinity]) {
    assertThrows(
      () => dn.layers.dense({ units: 2, kernelRegularizer: { l2 } }),
      RangeError,
      'argument "kernelRegularizer.l2" must be a finite number >= 0',
    );
  }
});

Deno.test("dense() rejects inputs of the wrong shape with a RangeError", () => {
  const layer = dn.layers.dense({ units: 2 });
  using x4 = dn.zeros([3, 4]);
  using x5 = dn.zeros([3, 5]);
  using v = dn.zeros([4]);
  assertThrows(() => layer.call(v), RangeError, "samples must have a last dimension >= 1: got []");
  layer.call(x4).dispose();
  assertThrows(
    () => layer.call(x5),
    RangeError,
    "it was built for samples of shape [4]: got [5]",
  );
  assertThrows(
    () => layer.call([[1, 2, 3, 4]] as unknown as dn.Tensor),
    TypeError,
    'argument "x" must be a Tensor',
  );
  layer.dispose();
});

/**
 * The gradient `fit()` applies, read back from one full-batch plain SGD step with learning rate
 * 1: `w - w'`. Recovering it costs one f32 rounding of `w'` (|w'| <= ~1, so <= 6e-8 absolute).
 */
async function stepGradients(model: dn.Sequential, x: dn.Tensor, y: dn.Tensor) {
  const read = () =>
    model.getWeights().map((w) => {
      const v = Float64Array.from(w.dataSync());
      w.dispose();
      return v;
    });
  const before = read();
  const history = await model.fit(x, y, {
    epochs: 1,
    batchSize: x.shape[0],
    shuffle: false,
    verbose: 0,
  });
  const after = read();
  return { before, grads: before.map((b, i) => b.map((v, j) => v - after[i][j])), history };
}

/** Central differences (h = 1e-6) of a float64 loss of [kernel, bias] at `at`. */
function numericGrads(loss: (ws: Float64Array[]) => number, at: Float64Array[]): Float64Array[] {
  const h = 1e-6;
  return at.map((w, which) =>
    w.map((v, j) => {
      const ws = at.map((a) => Float64Array.from(a));
      ws[which][j] = v + h;
      const up = loss(ws);
      ws[which][j] = v - h;
      return (up - loss(ws)) / (2 * h);
    })
  );
}

const STEP_CASES = [
  {
    what: "softmax + categoricalCrossentropy (fused logits) with kernelRegularizer l2 0.01",
    activation: "softmax",
    loss: "categoricalCrossentropy",
    l2: 0.01,
  },
  {
    what: "tanh + meanSquaredError with kernelRegularizer l2 0.05",
    activation: "tanh",
    loss: "meanSquaredError",
    l2: 0.05,
  },
  {
    what: "sigmoid + binaryCrossentropy (fused logits)",
    activation: "sigmoid",
    loss: "binaryCrossentropy",
    l2: 0,
  },
] as const;

for (const { what, activation, loss, l2 } of STEP_CASES) {
  Deno.test(`fit() step gradient of dense() ${what} matches f64`, async () => {
    const [rows, inDim, units] = [6, 5, 4];
    dn.setSeed(41);
    const model = dn.sequential([
      dn.layers.dense({
        units,
        activation,
        inputShape: [inDim],
        biasInitializer: "ones",
        ...(l2 ? { kernelRegularizer: { l2 } } : {}),
      }),
    ]);
    model.compile({ optimizer: dn.optimizers.sgd({ learningRate: 1 }), loss });
    const x = randomF32(rows * inDim, 42);
    const t = new Float64Array(rows * units);
    if (loss === "categoricalCrossentropy") {
      for (let r = 0; r < rows; r++) t[r * units + (r % units)] = 1;
    } else {
      randomF32(rows * units, 43).forEach((
        v,
        i,
      ) => (t[i] = loss === "meanSquaredError" ? v : v > 0 ? 1 : 0));
    }
    using xt = dn.tensor(Float32Array.from(x), [rows, inDim]);
    using yt = dn.tensor(Float32Array.from(t), [rows, units]);
    const { before, grads, history } = await stepGradients(model, xt, yt);
    const ref = ([k, b]: Float64Array[]) => {
      const p = denseReference(x, k, b, inDim, units, activation);
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        if (loss === "meanSquaredError") s += (p[i] - t[i]) ** 2;
        else if (loss === "binaryCrossentropy") {
          s -= t[i] * Math.log(p[i]) + (1 - t[i]) * Math.log(1 - p[i]);
        } else s -= t[i] * Math.log(p[i]);
      }
      const penalty = l2 * k.reduce((a, v) => a + v * v, 0);
      return s / (loss === "categoricalCrossentropy" ? rows : rows * units) + penalty;
    };
    const numeric = numericGrads(ref, before);
    const tol = gradTol(rows + inDim + units + 8);
    ["kernel", "bias"].forEach((name, i) =>
      assertClose(grads[i], numeric[i], tol, `${what}: d loss / d ${name}`)
    );
    // The logged loss includes the penalty, as Keras's does.
    assertClose([history.history.loss[0]], [ref(before)], forwardTol(rows * units, units), "loss");
    model.dispose();
  });
}
