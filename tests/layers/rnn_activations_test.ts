/**
 * simpleRNN with activations the fused recurrent kernel lacks (elu, gelu, leakyRelu, softsign...):
 * composed from ops (src/layers/_rnn_composed.ts), against the float64 sequence reference
 * (tests/_reference/recurrent.ts) forward, with goBackwards, initial state and returned state,
 * inside bidirectional, gradients of input and weights by central differences, saved and loaded
 * by name; `truncate` needs a fused activation. Tolerance as recurrent_test.ts: a dot per step
 * carried through T steps, `Tol.dot(T·(F + u + 9))`.
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

const values = (n: number, seed: number, scale = 0.5) =>
  randomF32(n, seed).map((v) => Math.fround(v * scale));

function weights(f: number, u: number, seed: number): RecurrentWeights {
  return {
    kernel: values(f * u, seed),
    recurrentKernel: values(u * u, seed + 1),
    bias: values(u, seed + 2),
  };
}

function setWeights(layer: dn.layers.Layer, w: RecurrentWeights, f: number, u: number): void {
  layer.ensureBuilt([1, f]);
  const ts = [
    dn.tensor(Float32Array.from(w.kernel), [f, u]),
    dn.tensor(Float32Array.from(w.recurrentKernel), [u, u]),
    dn.tensor(Float32Array.from(w.bias!), [u]),
  ];
  layer.setWeights(ts);
  ts.forEach((t) => t.dispose());
}

for (const activation of ["elu", "gelu", "leakyRelu", "softsign", "selu", "swish"] as const) {
  Deno.test(`simpleRNN() "${activation}" matches the float64 reference, backwards, with states`, () => {
    const [b, t, f, u] = [3, 5, 4, 6];
    const x = values(b * t * f, 1, 1), w = weights(f, u, 2), h0 = values(b * u, 7);
    for (const goBackwards of [false, true]) {
      const layer = dn.layers.simpleRNN({
        units: u,
        activation,
        goBackwards,
        returnSequences: true,
      });
      setWeights(layer, w, f, u);
      const cfg = {
        cell: "simpleRnn" as const,
        batch: b,
        steps: t,
        features: f,
        units: u,
        activation,
        goBackwards,
        returnSequences: true,
        initialState: [h0],
      };
      const want = sequenceReference(x, w, cfg);
      const before = dn.memory().numTensors;
      dn.tidy(() => {
        const xt = dn.tensor(Float32Array.from(x), [b, t, f]);
        const [out, h] = layer.callWithState(xt, {
          initialState: [dn.tensor(Float32Array.from(h0), [b, u])],
        });
        const tol = Tol.dot(t * (f + u + 9));
        assertClose(
          out.dataSync(),
          want.output,
          tol,
          `${activation} goBackwards ${goBackwards} output`,
        );
        assertClose(h.dataSync(), want.states[0], tol, `${activation} final state`);
      });
      assertEquals(dn.memory().numTensors, before);
      layer.dispose();
    }
  });
}

Deno.test('simpleRNN() "elu" gradients of input and weights match central differences', () => {
  const [b, t, f, u] = [2, 4, 3, 5];
  const layer = dn.layers.simpleRNN({ units: u, activation: "elu", returnSequences: true });
  setWeights(layer, weights(f, u, 5), f, u);
  const ref = (x: Float64Array, ws: Float64Array[]) =>
    sequenceReference(x, { kernel: ws[0], recurrentKernel: ws[1], bias: ws[2] }, {
      cell: "simpleRnn",
      batch: b,
      steps: t,
      features: f,
      units: u,
      activation: "elu",
      returnSequences: true,
    }).output;
  checkLayerGrads("simpleRNN elu", layer, gradInput([b, t, f], 9), values(b * t * u, 10, 1), ref, {
    rel: 1e-3,
    abs: 1e-4,
  });
  layer.dispose();
});

Deno.test('bidirectional(simpleRNN "gelu") keeps the backward run in input order', () => {
  const [b, t, f, u] = [2, 4, 3, 2];
  const x = values(b * t * f, 3, 1), fw = weights(f, u, 4), bw = weights(f, u, 8);
  const layer = dn.layers.bidirectional(
    dn.layers.simpleRNN({ units: u, activation: "gelu", returnSequences: true }),
    { mergeMode: "concat" },
  );
  layer.ensureBuilt([t, f]);
  const ws = [fw, bw].flatMap((w) => [
    dn.tensor(Float32Array.from(w.kernel), [f, u]),
    dn.tensor(Float32Array.from(w.recurrentKernel), [u, u]),
    dn.tensor(Float32Array.from(w.bias!), [u]),
  ]);
  layer.setWeights(ws);
  ws.forEach((w) => w.dispose());
  const cfg = {
    cell: "simpleRnn" as const,
    batch: b,
    steps: t,
    features: f,
    units: u,
    activation: "gelu",
    returnSequences: true,
  };
  using xt = dn.tensor(Float32Array.from(x), [b, t, f]);
  using y = layer.call(xt, false);
  assertClose(
    y.dataSync(),
    bidirectionalReference(x, fw, bw, cfg, "concat"),
    Tol.dot(t * (f + u + 9)),
    "bidirectional gelu",
  );
  layer.dispose();
});

Deno.test('simpleRNN() "elu" trains, saves by name and rejects truncate', async () => {
  dn.setSeed(4);
  const model = dn.sequential([
    dn.layers.simpleRNN({ units: 4, activation: "elu", inputShape: [5, 2] }),
    dn.layers.dense({ units: 1 }),
  ]);
  model.compile({ optimizer: "adam", loss: "mse" });
  using x = dn.randomNormal([8, 5, 2], { seed: 1 });
  using y = dn.tidy(() => dn.reshape(dn.sum(x, [1, 2]), [8, 1]));
  const h = await model.fit(x, y, { epochs: 10, batchSize: 8, verbose: 0 });
  assertEquals(h.history.loss[9] < h.history.loss[0], true);
  const copy = await dn.loadModel(model.toBytes());
  assertEquals((copy.layers[0].getConfig() as { activation: string }).activation, "elu");
  using a = model.predict(x) as dn.Tensor;
  using c = copy.predict(x) as dn.Tensor;
  assertEquals([...c.dataSync()], [...a.dataSync()]);
  model.dispose();
  copy.dispose();
  assertThrows(
    () => dn.layers.simpleRNN({ units: 2, activation: "elu", truncate: 2 }),
    TypeError,
    'argument "truncate" needs an activation of the fused kernel ("linear", "relu", "sigmoid", "tanh"): got "elu"',
  );
  assertThrows(
    () => dn.layers.simpleRNN({ units: 2, activation: "mish" as never }),
    TypeError,
    '"activation"',
  );
});

Deno.test('simpleRNN() "elu" rejects a bad initial state naming the argument', () => {
  const layer = dn.layers.simpleRNN({ units: 2, activation: "elu" });
  using x = dn.zeros([3, 4, 5]);
  using wrong = dn.zeros([3, 3]);
  assertThrows(
    () => layer.call(x, false, { initialState: [wrong] }),
    RangeError,
    'argument "initialState" must be [h0] of shape [3, 2]: got [3, 3]',
  );
  assertThrows(
    () => layer.call(x, false, { initialState: [1 as never] }),
    TypeError,
    '"initialState[0]"',
  );
  layer.dispose();
});
