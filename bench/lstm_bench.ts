/**
 * LSTM over a sequence (batch 32, 50 steps, 128 features, 256 units): Dendrite's fused `lstm` op
 * against TensorFlow.js's `tf.layers.lstm` on its wasm backend (XNNPACK, SIMD, one thread) in the
 * same process, as the baseline (STYLE C15).
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/lstm_bench.ts
 *
 * Both sides use the same weights (Keras layouts, sigmoid gates; tfjs's default hardSigmoid is
 * overridden) and are checked against each other once before timing. Timed calls:
 *   forward   the whole sequence, last output read back (`dataSync`).
 *   train     forward, backward through time and an SGD update of the three weights, with the
 *             loss `mean(out²)` read back.
 * GFLOP counts only the GEMMs: forward 2·B·T·(F + u)·4u (x·W for all steps and h·U per step);
 * a training step adds the backward's dW (x·dz, 2·B·T·F·4u) and, per step, dU and dh (2 · 2·B·u·4u):
 * 2·B·T·(2F + 3u)·4u in all, 2.67x the forward. The input gradient dx (x is data) is not counted:
 * Dendrite does not compute it (src/autograd/tape.ts `needs`). The same count for both sides,
 * although Dendrite skips the first step's h·U when the initial state is zero (2% of the
 * forward's flops here).
 *
 * @module
 */
import * as tfl from "@tensorflow/tfjs-layers";
import * as dn from "../mod.ts";
import { lstm } from "../src/ops/recurrent.ts";
import { initTfjsWasm } from "./_tfjs.ts";
import { comparePaired, timed, values } from "./_util.ts";

const [B, T, F, U] = [32, 50, 128, 256];
const tf = await initTfjsWasm();
await dn.ready({ backend: "wasm" });

const xData = values(B * T * F, 1);
const wData = [values(F * 4 * U, 2, 0.08), values(U * 4 * U, 3, 0.06), values(4 * U, 4, 0.1)];
const shapes = [[F, 4 * U], [U, 4 * U], [4 * U]];

// TensorFlow.js
// Zero initialisers: the weights are set below, and tfjs's orthogonal initialiser calls chained
// tensor methods that the tfjs-core node entry does not register (the union package does).
// The forward runs on `layer`, whose weights stay fixed; training updates a second layer with the
// same initial weights, so the forward timing does not drift as training moves the weights.
const tx = tf.tensor3d(xData, [B, T, F]);
const tfLstm = () => {
  const l = tfl.layers.lstm({
    units: U,
    recurrentActivation: "sigmoid",
    kernelInitializer: "zeros",
    recurrentInitializer: "zeros",
  });
  tf.tidy(() => void l.apply(tx));
  l.setWeights(wData.map((w, i) => tf.tensor(w, shapes[i])));
  return l;
};
const layer = tfLstm(), trained = tfLstm();
const tfOpt = tf.train.sgd(1e-3);
const tfForward = () => tf.tidy(() => void (layer.apply(tx) as typeof tx).dataSync());
const tfTrain = () => {
  const loss = tfOpt.minimize(() => tf.mean(tf.square(trained.apply(tx) as typeof tx)), true);
  loss!.dataSync();
  loss!.dispose();
};

// Dendrite
const x = dn.tensor(xData, [B, T, F]);
const [kernel, recurrentKernel, bias] = wData.map((w, i) => dn.tensor(w, shapes[i]));
const weights = wData.map((w, i) => dn.tensor(w, shapes[i]));
const dnOpt = dn.optimizers.sgd({ learningRate: 1e-3 });
const run = (k: dn.Tensor, r: dn.Tensor, b: dn.Tensor) => lstm(x, k, r, { bias: b }).output;
const dnForward = () => {
  const y = run(kernel, recurrentKernel, bias);
  y.dataSync();
  y.dispose();
};
const dnTrain = () => {
  const { value, grads } = dn.valueAndGrads((k, r, b) => dn.mean(dn.square(run(k, r, b))))(weights);
  dnOpt.applyGradients(weights, grads);
  value.dataSync();
  for (const t of [value, ...grads]) t.dispose();
};

// Same weights, same answer (a sanity check, not an accuracy test).
const want = tf.tidy(() => (layer.apply(tx) as typeof tx).dataSync());
const got = run(kernel, recurrentKernel, bias);
const worst = got.dataSync().reduce((m, v, i) => Math.max(m, Math.abs(v - want[i])), 0);
got.dispose();
if (!(worst < 1e-4)) throw new Error(`dendrite and tfjs LSTM disagree: max |diff| ${worst}`);

const fwdFlops = 2 * B * T * (F + U) * 4 * U;
const trainFlops = 2 * B * T * (2 * F + 3 * U) * 4 * U;
const fwd = `lstm forward B=${B} T=${T} F=${F} u=${U} (${(fwdFlops / 1e9).toFixed(3)} GFLOP)`;
const train = `lstm train step B=${B} T=${T} F=${F} u=${U} (${
  (trainFlops / 1e9).toFixed(3)
} GFLOP)`;
Deno.bench({
  group: fwd,
  name: "tfjs-layers wasm",
  baseline: true,
  fn: timed(fwd, "tfjs-layers wasm", fwdFlops, tfForward),
});
Deno.bench({
  group: fwd,
  name: "dendrite wasm",
  fn: timed(fwd, "dendrite wasm", fwdFlops, dnForward),
});
Deno.bench({
  group: train,
  name: "tfjs-layers wasm",
  baseline: true,
  fn: timed(train, "tfjs-layers wasm", trainFlops, tfTrain),
});
Deno.bench({
  group: train,
  name: "dendrite wasm",
  fn: timed(train, "dendrite wasm", trainFlops, dnTrain),
});

comparePaired(6, 200);
