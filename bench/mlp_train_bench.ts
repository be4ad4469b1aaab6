/**
 * MNIST-MLP training throughput (samples/s): Dendrite against TensorFlow.js (tfjs-layers on its
 * WebAssembly backend, XNNPACK SIMD, one thread) in the same process. Both train 784-128-10
 * (relu, softmax) with SGD (momentum 0.9), categorical cross-entropy, batch 64, on the same
 * seeded 8,000 MNIST digits.
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/mlp_train_bench.ts
 */
import * as tfl from "@tensorflow/tfjs-layers";
import * as dn from "../mod.ts";
import { mnist } from "../datasets.ts";
import { initTfjsWasm } from "./_tfjs.ts";
import { printTable } from "./_util.ts";

const tf = await initTfjsWasm();
const BATCH = 64, STEPS = 20;
const { xTrain, yTrain } = await mnist({ seed: 0 });
const xs = xTrain.dataSync(), ys = yTrain.dataSync();

const dnModel = dn.sequential([
  dn.layers.dense({ units: 128, activation: "relu", inputShape: [784] }),
  dn.layers.dense({ units: 10, activation: "softmax" }),
]);
dnModel.compile({
  optimizer: dn.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }),
  loss: "categoricalCrossentropy",
});
const dnBatches = Array.from({ length: STEPS }, (_, i) => [
  dn.tensor(xs.subarray(i * BATCH * 784, (i + 1) * BATCH * 784), [BATCH, 784]),
  dn.tensor(ys.subarray(i * BATCH * 10, (i + 1) * BATCH * 10), [BATCH, 10]),
]);

const tfModel = tfl.sequential({
  layers: [
    tfl.layers.dense({ units: 128, activation: "relu", inputShape: [784] }),
    tfl.layers.dense({ units: 10, activation: "softmax" }),
  ],
});
tfModel.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: "categoricalCrossentropy" });
const tfBatches = Array.from({ length: STEPS }, (_, i) => [
  tf.tensor2d(xs.subarray(i * BATCH * 784, (i + 1) * BATCH * 784), [BATCH, 784]),
  tf.tensor2d(ys.subarray(i * BATCH * 10, (i + 1) * BATCH * 10), [BATCH, 10]),
]);

async function dnEpoch(): Promise<void> {
  for (const [x, y] of dnBatches) await dnModel.trainOnBatch(x, y);
}
async function tfEpoch(): Promise<void> {
  for (const [x, y] of tfBatches) await tfModel.trainOnBatch(x, y);
}

const group = `MLP 784-128-10 training, ${STEPS} batches of ${BATCH}`;
const ms: Record<string, number[]> = { "tfjs-layers wasm": [], "dendrite wasm": [] };
function timedAsync(name: string, f: () => void | Promise<void>): () => Promise<void> {
  return async () => {
    const t0 = performance.now();
    await f();
    ms[name].push(performance.now() - t0);
  };
}
Deno.bench({
  group,
  name: "tfjs-layers wasm",
  baseline: true,
  fn: timedAsync("tfjs-layers wasm", tfEpoch),
});
Deno.bench({ group, name: "dendrite wasm", fn: timedAsync("dendrite wasm", dnEpoch) });

globalThis.addEventListener("unload", () => {
  const median = (v: number[]) => v.toSorted((a, b) => a - b)[v.length >> 1];
  const rate = (name: string) => (STEPS * BATCH) / (median(ms[name]) / 1000);
  printTable(
    Object.keys(ms).map((name) => ({
      name,
      "samples/s (median)": rate(name).toFixed(0),
      "vs tfjs": (rate(name) / rate("tfjs-layers wasm")).toFixed(2),
    })),
    group,
  );
});
