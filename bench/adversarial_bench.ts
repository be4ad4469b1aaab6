/**
 * FGSM throughput (examples/s) on the LeNet-sized CNN of `_lenet.ts` (conv 6@5x5 same, pool,
 * conv 16@5x5, pool, dense 120, 84, 10): `dn.adversarial.fgsm` against the same computation with
 * TensorFlow.js on its wasm backend (XNNPACK, SIMD, one thread) in the same process:
 * `tf.grad` of the softmax cross-entropy with respect to the input, `x + ε·sign(g)` clipped to
 * [0, 1]. Both models hold the same weights (copied from Dendrite's), both take the loss from the
 * logits, both compute no weight gradient, and both read the adversarial batch back. The results
 * are compared once before timing.
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/adversarial_bench.ts
 *
 * @module
 */
import * as tfl from "@tensorflow/tfjs-layers";
import * as dn from "../mod.ts";
import { lenet } from "./_lenet.ts";
import { initTfjsWasm } from "./_tfjs.ts";
import { median, printTable, values } from "./_util.ts";

const tf = await initTfjsWasm();
await dn.ready({ backend: "wasm" });
const BATCH = 64, EPS = 0.1;

const model = lenet();
model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });

// The same network in tfjs-layers with a linear last layer: the loss takes its logits, as
// Dendrite's compiled loss does (softmax fused into the cross-entropy).
const tfModel = tfl.sequential({
  layers: [
    tfl.layers.conv2d({
      filters: 6,
      kernelSize: 5,
      padding: "same",
      activation: "relu",
      inputShape: [28, 28, 1],
    }),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu" }),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 120, activation: "relu" }),
    tfl.layers.dense({ units: 84, activation: "relu" }),
    tfl.layers.dense({ units: 10 }),
  ],
});
tfModel.setWeights(
  model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])),
);

const xData = values(BATCH * 784, 9).map((v) => (v + 1) / 2);
const labels = new Float32Array(BATCH * 10);
for (let i = 0; i < BATCH; i++) labels[i * 10 + (i % 10)] = 1;
const x = dn.tensor(xData, [BATCH, 28, 28, 1]), y = dn.tensor(labels, [BATCH, 10]);
const tx = tf.tensor4d(xData, [BATCH, 28, 28, 1]), ty = tf.tensor2d(labels, [BATCH, 10]);

const options = { epsilon: EPS, clipMin: 0, clipMax: 1, batchSize: BATCH };
function dnFgsm(): Float32Array {
  using adv = dn.adversarial.fgsm(model, x, y, options);
  return adv.dataSync() as Float32Array;
}
const lossOf = (t: unknown) =>
  tf.losses.softmaxCrossEntropy(ty, tfModel.apply(t as typeof tx) as typeof ty);
const inputGrad = tf.grad(lossOf);
function tfFgsm(): Float32Array {
  const adv = tf.tidy(() => tf.clipByValue(tf.add(tx, tf.mul(tf.sign(inputGrad(tx)), EPS)), 0, 1));
  const data = adv.dataSync() as Float32Array;
  adv.dispose();
  return data;
}

// The same examples: signs agree wherever the gradient is not ~0 (summation orders differ).
const a = dnFgsm(), b = tfFgsm();
const same = a.filter((v, i) => Math.abs(v - b[i]) < 1e-6).length / a.length;
if (same < 0.99) throw new Error(`dendrite and tfjs FGSM examples differ: ${same} agree`);

const group = `FGSM on the LeNet-sized CNN, batch ${BATCH}`;
const ms: Record<string, number[]> = { "tfjs wasm (tf.grad)": [], "dendrite wasm": [] };
const timedCall = (name: string, f: () => unknown) => () => {
  const t0 = performance.now();
  f();
  ms[name].push(performance.now() - t0);
};
Deno.bench({
  group,
  name: "tfjs wasm (tf.grad)",
  baseline: true,
  fn: timedCall("tfjs wasm (tf.grad)", tfFgsm),
});
Deno.bench({ group, name: "dendrite wasm", fn: timedCall("dendrite wasm", dnFgsm) });

globalThis.addEventListener("unload", () => {
  // An interleaved pass: rounds alternate the two sides, so a slow spell of a shared machine
  // lands on both.
  const paired: Record<string, number[]> = { "tfjs wasm (tf.grad)": [], "dendrite wasm": [] };
  for (let round = 0; round < 10; round++) {
    for (const [name, f] of [["tfjs wasm (tf.grad)", tfFgsm], ["dendrite wasm", dnFgsm]] as const) {
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) f();
      paired[name].push((performance.now() - t0) / 5);
    }
  }
  const rate = (v: number[]) => BATCH / (median(v) / 1000);
  const base = "tfjs wasm (tf.grad)";
  printTable(
    Object.keys(ms).map((name) => ({
      name,
      "examples/s (bench median)": rate(ms[name]).toFixed(0),
      "examples/s (interleaved)": rate(paired[name]).toFixed(0),
      "vs tfjs (interleaved)": (rate(paired[name]) / rate(paired[base])).toFixed(2),
    })),
    `${group}: examples per second`,
  );
});
