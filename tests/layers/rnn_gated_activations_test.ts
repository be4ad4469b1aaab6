/**
 * lstm and gru with activations other than the fused kernel's tanh/sigmoid pair (relu,
 * hardSigmoid, elu, softsign...): composed from ops (src/layers/_rnn_composed.ts), against the
 * float64 sequence reference (tests/_reference/recurrent.ts) forward, with goBackwards, initial
 * and returned states, inside bidirectional, gradients of input and weights by central
 * differences, saved and loaded by name; the default pair keeps the fused kernel. Tolerance as
 * recurrent_test.ts: a dot per step carried through T steps, `Tol.dot(T·(F + u + 9))`.
 */
import * as dn from "../../mod.ts";
import {
  bidirectionalReference,
  type RecurrentWeights,
  sequenceReference,
} from "../_reference/recurrent.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { gradInput } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";
import { checkLayerGrads } from "./_helpers.ts";

type Gated = "lstm" | "gru";
const GATES = { lstm: 4, gru: 3 };

const values = (n: number, seed: number, scale = 0.5) =>
  randomF32(n, seed).map((v) => Math.fround(v * scale));

function weights(cell: Gated, f: number, u: number, seed: number): RecurrentWeights {
  const g = GATES[cell] * u;
  return {
    kernel: values(f * g, seed),
    recurrentKernel: values(u * g, seed + 1),
    bias: values(cell === "gru" ? 2 * g : g, seed + 2),
  };
}

function weightTensors(cell: Gated, w: RecurrentWeights, f: number, u: number): dn.Tensor[] {
  const g = GATES[cell] * u;
  return [
    dn.tensor(Float32Array.from(w.kernel), [f, g]),
    dn.tensor(Float32Array.from(w.recurrentKernel), [u, g]),
    dn.tensor(Float32Array.from(w.bias!), cell === "gru" ? [2, g] : [g]),
  ];
}

function setWeights(
  layer: dn.layers.Layer,
  cell: Gated,
  w: RecurrentWeights,
  f: number,
  u: number,
) {
  layer.ensureBuilt([1, f]);
  const ts = weightTensors(cell, w, f, u);
  layer.setWeights(ts);
  ts.forEach((t) => t.dispose());
}

const make = (cell: Gated, args: dn.layers.RecurrentArgs) =>
  cell === "lstm" ? dn.layers.lstm(args) : dn.layers.gru(args);

const PAIRS = [
  ["relu", "hardSigmoid"],
  ["elu", "sigmoid"],
  ["tanh", "hardSigmoid"],
  ["softsign", "swish"],
] as const;

for (const cell of ["lstm", "gru"] as const) {
  for (const [activation, recurrentActivation] of PAIRS) {
    Deno.test(`${cell}() "${activation}"/"${recurrentActivation}" matches the float64 reference, backwards, with states`, () => {
      const [b, t, f, u] = [3, 5, 4, 6];
      const x = values(b * t * f, 1, 1), w = weights(cell, f, u, 2);
      const init = cell === "lstm" ? [values(b * u, 7), values(b * u, 8)] : [values(b * u, 7)];
      for (const goBackwards of [false, true]) {
        const layer = make(cell, {
          units: u,
          activation,
          recurrentActivation,
          goBackwards,
          returnSequences: true,
        });
        setWeights(layer, cell, w, f, u);
        const want = sequenceReference(x, w, {
          cell,
          batch: b,
          steps: t,
          features: f,
          units: u,
          activation,
          recurrentActivation,
          goBackwards,
          returnSequences: true,
          initialState: init,
        });
        const before = dn.memory().numTensors;
        dn.tidy(() => {
          const xt = dn.tensor(Float32Array.from(x), [b, t, f]);
          const [out, ...states] = layer.callWithState(xt, {
            initialState: init.map((s) => dn.tensor(Float32Array.from(s), [b, u])),
          });
          const tol = Tol.dot(t * (f + u + 9));
          const what = `${cell} ${activation}/${recurrentActivation} goBackwards ${goBackwards}`;
          assertClose(out.dataSync(), want.output, tol, `${what} output`);
          assertEquals(states.length, want.states.length);
          states.forEach((s, i) =>
            assertClose(s.dataSync(), want.states[i], tol, `${what} state ${i}`)
          );
        });
        assertEquals(dn.memory().numTensors, before);
        layer.dispose();
      }
    });
  }

  Deno.test(`${cell}() "selu"/"hardSigmoid" gradients of input and weights match central differences`, () => {
    const [b, t, f, u] = [2, 4, 3, 3];
    const layer = make(cell, {
      units: u,
      activation: "selu",
      recurrentActivation: "hardSigmoid",
      returnSequences: true,
    });
    setWeights(layer, cell, weights(cell, f, u, 5), f, u);
    const ref = (x: Float64Array, ws: Float64Array[]) =>
      sequenceReference(x, { kernel: ws[0], recurrentKernel: ws[1], bias: ws[2] }, {
        cell,
        batch: b,
        steps: t,
        features: f,
        units: u,
        activation: "selu",
        recurrentActivation: "hardSigmoid",
        returnSequences: true,
      }).output;
    checkLayerGrads(
      `${cell} selu/hardSigmoid`,
      layer,
      gradInput([b, t, f], 9),
      values(b * t * u, 10, 1),
      ref,
      {
        rel: 1e-3,
        abs: 1e-4,
      },
    );
    layer.dispose();
  });

  Deno.test(`bidirectional(${cell} "relu"/"hardSigmoid") keeps the backward run in input order`, () => {
    const [b, t, f, u] = [2, 4, 3, 2];
    const x = values(b * t * f, 3, 1), fw = weights(cell, f, u, 4), bw = weights(cell, f, u, 8);
    const layer = dn.layers.bidirectional(
      make(cell, {
        units: u,
        activation: "relu",
        recurrentActivation: "hardSigmoid",
        returnSequences: true,
      }),
      { mergeMode: "concat" },
    );
    layer.ensureBuilt([t, f]);
    const ws = [fw, bw].flatMap((w) => weightTensors(cell, w, f, u));
    layer.setWeights(ws);
    ws.forEach((w) => w.dispose());
    const cfg = {
      cell,
      batch: b,
      steps: t,
      features: f,
      units: u,
      activation: "relu",
      recurrentActivation: "hardSigmoid",
      returnSequences: true,
    };
    using xt = dn.tensor(Float32Array.from(x), [b, t, f]);
    using y = layer.call(xt, false);
    assertClose(
      y.dataSync(),
      bidirectionalReference(x, fw, bw, cfg, "concat"),
      Tol.dot(t * (f + u + 9)),
      `bidirectional ${cell}`,
    );
    layer.dispose();
  });

  Deno.test(`${cell}() "relu"/"hardSigmoid" trains, saves by name and rejects truncate`, async () => {
    dn.setSeed(4);
    const model = dn.sequential([
      make(cell, {
        units: 4,
        activation: "relu",
        recurrentActivation: "hardSigmoid",
        inputShape: [5, 2],
      }),
      dn.layers.dense({ units: 1 }),
    ]);
    model.compile({ optimizer: "adam", loss: "mse" });
    using x = dn.randomNormal([8, 5, 2], { seed: 1 });
    using y = dn.tidy(() => dn.reshape(dn.sum(x, [1, 2]), [8, 1]));
    const h = await model.fit(x, y, { epochs: 10, batchSize: 8, verbose: 0 });
    assertEquals(h.history.loss[9] < h.history.loss[0], true);
    const copy = await dn.loadModel(model.toBytes());
    const config = copy.layers[0].getConfig() as Record<string, unknown>;
    assertEquals([config.activation, config.recurrentActivation], ["relu", "hardSigmoid"]);
    using a = model.predict(x) as dn.Tensor;
    using c = copy.predict(x) as dn.Tensor;
    assertEquals([...c.dataSync()], [...a.dataSync()]);
    model.dispose();
    copy.dispose();
    assertThrows(
      () => make(cell, { units: 2, recurrentActivation: "hardSigmoid", truncate: 2 }),
      TypeError,
      'argument "truncate" needs the activations of the fused kernel ("tanh" and recurrentActivation "sigmoid"): got "tanh" and "hardSigmoid"',
    );
    assertThrows(
      () => make(cell, { units: 2, recurrentActivation: "hard_sigmoid" as never }),
      TypeError,
      '"recurrentActivation" must be one of',
    );
  });

  Deno.test(`${cell}() keeps the fused kernel for tanh/sigmoid, bitwise`, () => {
    const [b, t, f, u] = [2, 3, 3, 4];
    const w = weights(cell, f, u, 11);
    const named = make(cell, { units: u, activation: "tanh", recurrentActivation: "sigmoid" });
    const plain = make(cell, { units: u });
    assertEquals([named.fused, plain.fused], [true, true]);
    setWeights(named, cell, w, f, u);
    setWeights(plain, cell, w, f, u);
    using x = dn.tensor(values(b * t * f, 12, 1), [b, t, f]);
    using y = named.call(x, false);
    using z = plain.call(x, false);
    assertEquals([...y.dataSync()], [...z.dataSync()]);
    named.dispose();
    plain.dispose();
  });
}

Deno.test("lstm() composed rejects a bad initial state naming the argument", () => {
  const layer = dn.layers.lstm({ units: 2, activation: "relu" });
  using x = dn.zeros([3, 4, 5]);
  using h0 = dn.zeros([3, 2]);
  assertThrows(
    () => layer.call(x, false, { initialState: [h0] }),
    RangeError,
    'argument "initialState" must be [h0, c0] of shape [3, 2]: got [3, 2]',
  );
  layer.dispose();
});
