/**
 * Adversarial training's step: the loss `(Σ_clean L + λ Σ_adv L) / ((m − k) + λk)` and the SGD
 * update it gives against a float64 hand computation, with a given attack and with "fgsm";
 * typed errors for bad options.
 */
import * as dn from "../../mod.ts";
import { assert, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";

await dn.ready({ backend: "wasm" });

const W = [0.5, -0.3, 0.2, -0.4, 0.1, 0.6], B = [0.05, -0.1, 0.02]; // [2, 3], [3]
const X = [[0.1, 0.9], [0.7, 0.2], [0.4, 0.4], [0.9, 0.8], [0.3, 0.05]];
const LABELS = [0, 2, 1, 1, 0];
const LR = 0.5, LAMBDA = 0.3;

function model(): dn.Sequential {
  const m = dn.sequential([dn.layers.dense({ units: 3, activation: "softmax", inputShape: [2] })]);
  m.compile({
    optimizer: dn.optimizers.sgd({ learningRate: LR }),
    loss: "categoricalCrossentropy",
  });
  m.setWeights([dn.tensor(W, [2, 3]), dn.tensor(B)]);
  return m;
}

/**
 * Float64 loss `(Σ_{i ≥ k} CE(x_i) + λ Σ_{i < k} CE(x_i)) / ((m − k) + λk)` over `rows` (the first
 * k adversarial) and the weights after one SGD step on it.
 */
function reference(rows: number[][], k: number): { loss: number; w: number[]; b: number[] } {
  const m = rows.length, denominator = m - k + LAMBDA * k;
  let loss = 0;
  const gw = new Array(6).fill(0), gb = new Array(3).fill(0);
  rows.forEach((x, i) => {
    const weight = (i < k ? LAMBDA : 1) / denominator;
    const z = [0, 1, 2].map((c) => B[c] + x[0] * W[c] + x[1] * W[3 + c]);
    const total = z.reduce((a, v) => a + Math.exp(v), 0);
    const p = z.map((v) => Math.exp(v) / total);
    loss += weight * -Math.log(p[LABELS[i]]);
    p.forEach((pc, c) => {
      const r = weight * (pc - (c === LABELS[i] ? 1 : 0));
      gw[c] += x[0] * r;
      gw[3 + c] += x[1] * r;
      gb[c] += r;
    });
  });
  return { loss, w: W.map((v, j) => v - LR * gw[j]), b: B.map((v, c) => v - LR * gb[c]) };
}

const labels = () => dn.oneHot(dn.tensor(LABELS), 3);

Deno.test("trainStep() weighs the loss (Σ clean + λ Σ adv) / ((m − k) + λk) and steps on it", async () => {
  const net = model();
  // k = round(0.4 · 5) = 2 rows replaced by x + 0.1.
  net.trainStep = dn.adversarial.trainStep(net, {
    epsilon: 0.1,
    fraction: 0.4,
    lossWeight: LAMBDA,
    attack: (x) => dn.add(x, 0.1),
  });
  using x = dn.tensor(X), y = labels();
  const [loss] = await net.trainOnBatch(x, y);
  const rows = X.map((r, i) => (i < 2 ? r.map((v) => v + 0.1) : r));
  const want = reference(rows, 2);
  assertClose(new Float32Array([loss]), Float64Array.of(want.loss), Tol.dot(6), "loss");
  const [w, b] = net.getWeights().map((t) => t.dataSync());
  assertClose(w, Float64Array.from(want.w), Tol.dot(12), "kernel after the step");
  assertClose(b, Float64Array.from(want.b), Tol.dot(12), "bias after the step");
  net.dispose();
});

Deno.test("trainStep() with 'fgsm' trains on the FGSM examples of the current model", async () => {
  const net = model();
  using x = dn.tensor(X), y = labels();
  // The examples FGSM crafts from the model before the step, for the first k = round(0.6 · 5) = 3.
  using head = dn.slice(x, [0], [3]), headY = dn.slice(y, [0], [3]);
  using adv = dn.adversarial.fgsm(net, head, headY, { epsilon: 0.2, clipMin: 0, clipMax: 1 });
  const advRows = [...adv.dataSync()];
  net.trainStep = dn.adversarial.trainStep(net, {
    epsilon: 0.2,
    fraction: 0.6,
    lossWeight: LAMBDA,
    clipMin: 0,
    clipMax: 1,
  });
  const [loss] = await net.trainOnBatch(x, y);
  const rows = X.map((r, i) => (i < 3 ? advRows.slice(2 * i, 2 * i + 2) : r));
  assert(rows[0][0] !== X[0][0], "the first rows were replaced");
  const want = reference(rows, 3);
  assertClose(new Float32Array([loss]), Float64Array.of(want.loss), Tol.dot(6), "loss");
  assertClose(net.getWeights()[0].dataSync(), Float64Array.from(want.w), Tol.dot(12), "kernel");
  net.dispose();
});

Deno.test("trainStep() rejects bad options with typed errors", async () => {
  const net = model();
  const step = dn.adversarial.trainStep;
  assertThrows(() => step(net, { epsilon: -0.1 }), RangeError, '"epsilon" must be >= 0: got -0.1');
  assertThrows(
    () => step(net, { epsilon: 0.1, fraction: 1.5 }),
    RangeError,
    '"fraction" must be in [0, 1]: got 1.5',
  );
  assertThrows(
    () => step(net, { epsilon: 0.1, lossWeight: 0 }),
    RangeError,
    '"lossWeight" must be > 0: got 0',
  );
  assertThrows(
    () => step(net, { epsilon: 0.1, attack: "cw" as "fgsm" }),
    TypeError,
    'argument "attack" must be "fgsm", "pgd" or a function',
  );
  assertThrows(
    () => step(net, { epsilon: 0.1, ratio: 0.5 } as { epsilon: number }),
    TypeError,
    'option "ratio" is not known',
  );
  assertThrows(
    () => step((() => 0) as unknown as dn.Sequential, { epsilon: 0.1 }),
    TypeError,
    'argument "model" must be a model',
  );
  const uncompiled = dn.sequential([dn.layers.dense({ units: 3, inputShape: [2] })]);
  uncompiled.trainStep = step(uncompiled, { epsilon: 0.1 });
  using x = dn.tensor(X), y = labels();
  let error: unknown;
  try {
    await uncompiled.trainOnBatch(x, y);
  } catch (e) {
    error = e;
  }
  assert(error instanceof TypeError && /must be compiled first/.test(error.message), `${error}`);
  net.dispose();
  uncompiled.dispose();
});
