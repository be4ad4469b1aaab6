/**
 * Recurrent layers (`simpleRNN`, `lstm`, `gru`), `bidirectional`, `timeDistributed` and
 * `embedding`: forward against the float64 equations of tests/_reference/recurrent.ts with the
 * weights set in Keras layouts, states through `callWithState`, gradients by central differences
 * (STYLE C12), Sequential fit/predict/save/load round trips, and the typed errors (C14).
 *
 * Forward tolerance as tests/ops/recurrent_test.ts: Tol.dot(T·(F + u + 9)) (a K-term f32 dot per
 * step, errors carried linearly through contractive cells), doubled for merged directions.
 */
import * as dn from "../../mod.ts";
import {
  bidirectionalReference,
  type Cell,
  GATE_COUNT,
  type MergeMode,
  type RecurrentWeights,
  sequenceReference,
} from "../_reference/recurrent.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { gradcheck, gradInput } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";
import { checkLayerGrads } from "./_helpers.ts";
import { gather } from "../../src/ops/gather.ts";

const FACTORY = { lstm: dn.layers.lstm, gru: dn.layers.gru, simpleRnn: dn.layers.simpleRNN };

function values(n: number, seed: number, scale = 1): Float64Array {
  return randomF32(n, seed).map((v) => Math.fround(v * scale));
}

function weightsFor(cell: Cell, f: number, u: number, seed: number): RecurrentWeights {
  const g = GATE_COUNT[cell] * u;
  return {
    kernel: values(f * g, seed, 0.5),
    recurrentKernel: values(u * g, seed + 1, 0.5),
    bias: values(cell === "gru" ? 2 * g : g, seed + 2, 0.5),
  };
}

function tensorsOf(cell: Cell, w: RecurrentWeights, f: number, u: number): dn.Tensor[] {
  const g = GATE_COUNT[cell] * u;
  return [
    dn.tensor(Float32Array.from(w.kernel), [f, g]),
    dn.tensor(Float32Array.from(w.recurrentKernel), [u, g]),
    dn.tensor(Float32Array.from(w.bias!), cell === "gru" ? [2, g] : [g]),
  ];
}

/** Builds `layer` for `f` features and sets the reference weights. */
function setWeights(layer: dn.layers.Layer, tensors: dn.Tensor[], f: number): void {
  layer.ensureBuilt([1, f]);
  layer.setWeights(tensors);
  for (const t of tensors) t.dispose();
}

const BI_CASES: [Cell, number, number, number, number, boolean, MergeMode][] = [
  ["lstm", 2, 5, 3, 4, true, "concat"],
  ["lstm", 3, 7, 2, 5, false, "concat"],
  ["lstm", 1, 4, 5, 9, true, "sum"],
  ["lstm", 4, 3, 1, 3, false, "mul"],
  ["gru", 2, 6, 4, 5, true, "ave"],
  ["gru", 5, 2, 3, 17, false, "concat"],
  ["gru", 1, 9, 2, 4, true, "concat"],
  ["simpleRnn", 3, 5, 3, 7, true, "sum"],
  ["simpleRnn", 2, 8, 6, 3, false, "ave"],
  ["simpleRnn", 1, 1, 1, 1, true, "concat"],
  ["lstm", 3, 11, 7, 8, true, "ave"],
  ["gru", 2, 4, 9, 12, false, "mul"],
];

for (const [cell, b, t, f, u, seq, mergeMode] of BI_CASES) {
  const name = `${cell} B=${b} T=${t} F=${f} u=${u}${seq ? " seq" : ""} "${mergeMode}"`;
  Deno.test(`bidirectional() matches two float64 runs merged for ${name}`, () => {
    const x = values(b * t * f, b * 100 + t);
    const fw = weightsFor(cell, f, u, 7), bw = weightsFor(cell, f, u, 70);
    const layer = dn.layers.bidirectional(FACTORY[cell]({ units: u, returnSequences: seq }), {
      mergeMode,
    });
    setWeights(layer, [...tensorsOf(cell, fw, f, u), ...tensorsOf(cell, bw, f, u)], f);
    const cfg = { cell, batch: b, steps: t, features: f, units: u, returnSequences: seq };
    const want = bidirectionalReference(x, fw, bw, cfg, mergeMode);
    using xt = dn.tensor(Float32Array.from(x), [b, t, f]);
    using y = layer.call(xt);
    assertEquals(y.shape, [b, ...layer.computeOutputShape([t, f])]);
    assertClose(y.dataSync(), want, Tol.dot(2 * t * (f + u + 9)), name);
    layer.dispose();
  });
}

for (const cell of ["lstm", "gru", "simpleRnn"] as const) {
  Deno.test(`${cell} layer with initial state and goBackwards matches the reference and returns states`, () => {
    const [b, t, f, u] = [3, 6, 4, 5];
    const x = values(b * t * f, 3);
    const w = weightsFor(cell, f, u, 11);
    const n = cell === "lstm" ? 2 : 1;
    const init = Array.from({ length: n }, (_, k) => values(b * u, 20 + k));
    const layer = FACTORY[cell]({ units: u, goBackwards: true, returnSequences: true });
    setWeights(layer, tensorsOf(cell, w, f, u), f);
    const want = sequenceReference(x, w, {
      cell,
      batch: b,
      steps: t,
      features: f,
      units: u,
      goBackwards: true,
      returnSequences: true,
      initialState: init,
    });
    dn.tidy(() => {
      const xt = dn.tensor(Float32Array.from(x), [b, t, f]);
      const initialState = init.map((s) => dn.tensor(Float32Array.from(s), [b, u]));
      const tol = Tol.dot(t * (f + u + 9));
      assertClose(
        layer.call(xt, false, { initialState }).dataSync(),
        want.output,
        tol,
        `${cell} call`,
      );
      const [out, ...states] = layer.callWithState(xt, { initialState });
      assertClose(out.dataSync(), want.output, tol, `${cell} callWithState output`);
      assertEquals(states.length, n);
      states.forEach((s, k) =>
        assertClose(s.dataSync(), want.states[k], tol, `${cell} state ${k}`)
      );
    });
    layer.dispose();
  });

  Deno.test(`${cell} layer gradients of input and weights match central differences`, () => {
    const [b, t, f, u] = [2, 4, 3, 5];
    const layer = FACTORY[cell]({ units: u, returnSequences: true });
    setWeights(layer, tensorsOf(cell, weightsFor(cell, f, u, 5), f, u), f);
    const ref = (x: Float64Array, ws: Float64Array[]) =>
      sequenceReference(x, { kernel: ws[0], recurrentKernel: ws[1], bias: ws[2] }, {
        cell,
        batch: b,
        steps: t,
        features: f,
        units: u,
        returnSequences: true,
      }).output;
    checkLayerGrads(`${cell} layer`, layer, gradInput([b, t, f], 9), values(b * t * u, 10), ref, {
      rel: 1e-3,
      abs: 1e-4,
    });
    layer.dispose();
  });
}

Deno.test("bidirectional() gradients (concat, both directions) match central differences", () => {
  const [b, t, f, u] = [2, 5, 3, 4];
  const layer = dn.layers.bidirectional(dn.layers.gru({ units: u, returnSequences: true }));
  const fw = weightsFor("gru", f, u, 1), bw = weightsFor("gru", f, u, 2);
  setWeights(layer, [...tensorsOf("gru", fw, f, u), ...tensorsOf("gru", bw, f, u)], f);
  const cfg = {
    cell: "gru" as const,
    batch: b,
    steps: t,
    features: f,
    units: u,
    returnSequences: true,
  };
  const w = (ws: Float64Array[], i: number) => ({
    kernel: ws[i],
    recurrentKernel: ws[i + 1],
    bias: ws[i + 2],
  });
  const ref = (x: Float64Array, ws: Float64Array[]) =>
    bidirectionalReference(x, w(ws, 0), w(ws, 3), cfg, "concat");
  checkLayerGrads(
    "bidirectional gru",
    layer,
    gradInput([b, t, f], 3),
    values(b * t * 2 * u, 4),
    ref,
    {
      rel: 1e-3,
      abs: 1e-4,
    },
  );
  layer.dispose();
});

Deno.test("lstm layer uses Keras layouts, unit forget bias and an orthogonal recurrent kernel", () => {
  dn.setSeed(1);
  const layer = dn.layers.lstm({ units: 6, inputShape: [5, 3] });
  layer.ensureBuilt([5, 3]);
  assertEquals(layer.weights.map((w) => [w.name, w.value.shape]), [
    ["kernel", [3, 24]],
    ["recurrent_kernel", [6, 24]],
    ["bias", [24]],
  ]);
  assertEquals(layer.weightShapes([5, 3]).map((w) => w.shape), [[3, 24], [6, 24], [24]]);
  const bias = [...layer.weights[2].value.dataSync()];
  assertEquals(bias, [...Array(6).fill(0), ...Array(6).fill(1), ...Array(12).fill(0)]);
  const U = layer.weights[1].value.dataSync();
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 6; j++) {
      let d = 0;
      for (let k = 0; k < 24; k++) d += U[i * 24 + k] * U[j * 24 + k];
      assert(Math.abs(d - (i === j ? 1 : 0)) < 1e-5, `U·Uᵀ[${i}, ${j}] = ${d}`);
    }
  }
  assertEquals(layer.computeOutputShape([5, 3]), [6]);
  const gru = dn.layers.gru({ units: 2, returnSequences: true });
  assertEquals(gru.weightShapes([7, 3]).map((w) => w.shape), [[3, 6], [2, 6], [2, 6]]);
  assertEquals(gru.computeOutputShape([7, 3]), [7, 2]);
  layer.dispose();
});

Deno.test("embedding() looks up rows and its gradient scatter-adds repeated indices", () => {
  const layer = dn.layers.embedding({ inputDim: 5, outputDim: 3 });
  using idx = dn.tensor([[4, 0, 4], [2, 4, 1]]);
  using y = layer.call(idx);
  assertEquals(y.shape, [2, 3, 3]);
  const table = layer.weights[0].value.dataSync();
  const got = y.dataSync();
  [4, 0, 4, 2, 4, 1].forEach((r, i) =>
    assertEquals([...got.subarray(3 * i, 3 * i + 3)], [...table.subarray(3 * r, 3 * r + 3)])
  );
  const r = values(18, 3);
  const indices = [4, 0, 4, 2, 4, 1];
  gradcheck(
    "embedding table",
    (t) => dn.sum(dn.mul(gather(t, idx), dn.tensor(Float32Array.from(r), [2, 3, 3]))),
    ([t]) =>
      indices.reduce(
        (s, row, i) => s + [0, 1, 2].reduce((a, j) => a + t[row * 3 + j] * r[3 * i + j], 0),
        0,
      ),
    [gradInput([5, 3], 8)],
  );
  assertThrows(
    () => layer.call(dn.tensor([[5]])),
    RangeError,
    'argument "indices" must hold integers in [0, 5): got 5',
  );
  assertThrows(() => layer.call(dn.tensor([[0.5]])), RangeError, "got 0.5");
  assertThrows(
    () => dn.layers.embedding({ inputDim: 0, outputDim: 3 }),
    RangeError,
    '"inputDim" must be a positive integer',
  );
  layer.dispose();
});

Deno.test("timeDistributed(dense) equals the dense layer applied to every step", () => {
  dn.setSeed(2);
  const dense = dn.layers.dense({ units: 3, activation: "tanh" });
  const layer = dn.layers.timeDistributed(dense);
  using x = dn.tensor(Float32Array.from(values(2 * 5 * 4, 1)), [2, 5, 4]);
  using y = layer.call(x);
  assertEquals(y.shape, [2, 5, 3]);
  assertEquals(layer.computeOutputShape([5, 4]), [5, 3]);
  using flat = dn.reshape(x, [10, 4]);
  using direct = dense.call(flat);
  assertEquals([...y.dataSync()], [...direct.dataSync()]);
  assertEquals(layer.weights.map((w) => w.name), ["kernel", "bias"]);
  assertThrows(() => layer.call(dn.ones([2, 4])), TypeError, "must have rank >= 3");
  layer.dispose();
});

Deno.test("recurrent layers throw typed errors naming the bad argument", () => {
  assertThrows(
    () => dn.layers.lstm({ units: 0 }),
    RangeError,
    '"units" must be a positive integer',
  );
  assertThrows(
    () => dn.layers.lstm({ units: 3, activation: "mish" as "tanh" }),
    TypeError,
    'argument "activation" must be one of',
  );
  assertThrows(
    () => dn.layers.gru({ units: 3, recurrentActivation: "hard_sigmoid" as "sigmoid" }),
    TypeError,
    'argument "recurrentActivation" must be one of',
  );
  assertThrows(
    () => dn.layers.gru({ units: 3, resetAfter: "no" as unknown as boolean }),
    TypeError,
    '"resetAfter" must be a boolean',
  );
  assertThrows(
    () => dn.layers.simpleRNN({ units: 3, activation: "mish" as "tanh" }),
    TypeError,
    '"activation" must be one of',
  );
  assertThrows(
    () => dn.layers.lstm({ units: 3, truncate: 1.5 }),
    RangeError,
    '"truncate" must be a positive integer',
  );
  assertThrows(
    () => dn.layers.bidirectional(dn.layers.dense({ units: 2 })),
    TypeError,
    "must be a simpleRNN, lstm or gru layer",
  );
  assertThrows(
    () => dn.layers.bidirectional(dn.layers.lstm({ units: 2 }), { mergeMode: "max" as "sum" }),
    TypeError,
    '"mergeMode" must be one of',
  );
  const layer = dn.layers.lstm({ units: 4 });
  dn.tidy(() => {
    assertThrows(() => layer.call(dn.ones([2, 3])), TypeError, 'argument "x" must have rank 3');
    layer.call(dn.ones([2, 3, 5]));
    assertThrows(
      () => layer.call(dn.ones([2, 3, 6])),
      RangeError,
      "it was built for samples of shape [5]: got [6]",
    );
    assertThrows(
      () =>
        layer.call(dn.ones([2, 3, 5]), false, { initialState: [dn.ones([2, 4]), dn.ones([2, 3])] }),
      RangeError,
      'argument "initialState[1]" must have shape [2, 4]',
    );
    assertThrows(
      () =>
        layer.callWithState(dn.ones([2, 3, 5]), {
          initialState: [dn.ones([3, 4]), dn.ones([3, 4])],
        }),
      RangeError,
      "initialState[0]",
    );
  });
  layer.dispose();
});
