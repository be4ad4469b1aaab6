/**
 * Whole-`fit()` timings of an MLP, a LeNet-5 and an LSTM on synthetic data (best of 3 after one
 * warm-up), for before/after comparisons of changes to the training path. Pass the root of a
 * checkout to time another tree (a copy of this file runs against an older commit too).
 *
 *   deno run -A --v8-flags=--no-liftoff bench/fit_timing.ts [root] [wasm|threads]
 *
 * @module
 */
const root = Deno.args[0] ?? new URL("..", import.meta.url).href.replace(/\/$/, "");
const dn = await import(`${root}/mod.ts`);
await dn.ready({ backend: Deno.args[1] ?? "wasm" });
dn.setSeed(1);
const n = 4096;
const x = dn.randomUniform([n, 784]);
const yIdx = new Float32Array(n * 10);
for (let i = 0; i < n; i++) yIdx[i * 10 + (i % 10)] = 1;
const y = dn.tensor(yIdx, [n, 10]);
const mlp = dn.sequential([
  dn.layers.dense({ units: 128, activation: "relu", inputShape: [784] }),
  dn.layers.dense({ units: 10, activation: "softmax" }),
]);
mlp.compile({
  optimizer: dn.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }),
  loss: "categoricalCrossentropy",
});
const xi = dn.reshape(x, [n, 28, 28, 1]);
const lenet = dn.sequential([
  dn.layers.conv2d({
    filters: 6,
    kernelSize: 5,
    padding: "same",
    activation: "relu",
    inputShape: [28, 28, 1],
  }),
  dn.layers.maxPooling2d({ poolSize: 2 }),
  dn.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu" }),
  dn.layers.maxPooling2d({ poolSize: 2 }),
  dn.layers.flatten(),
  dn.layers.dense({ units: 120, activation: "relu" }),
  dn.layers.dense({ units: 84, activation: "relu" }),
  dn.layers.dense({ units: 10, activation: "softmax" }),
]);
lenet.compile({
  optimizer: dn.optimizers.adam({ learningRate: 0.001 }),
  loss: "categoricalCrossentropy",
});
const seqX = dn.randomUniform([32, 50, 32]);
const seqY = dn.tensor(new Float32Array(32 * 10).map((_, i) => (i % 10 === 0 ? 1 : 0)), [32, 10]);
const rnn = dn.sequential([
  dn.layers.lstm({ units: 128, inputShape: [50, 32] }),
  dn.layers.dense({ units: 10, activation: "softmax" }),
]);
rnn.compile({
  optimizer: dn.optimizers.adam({ learningRate: 0.001 }),
  loss: "categoricalCrossentropy",
});
const res: Record<string, string> = {};
async function t(name: string, fn: () => Promise<unknown>, reps = 3) {
  await fn();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const s = performance.now();
    await fn();
    ts.push(performance.now() - s);
  }
  ts.sort((a, b) => a - b);
  res[name] = ts[0].toFixed(1);
}
await t(
  "mlp fit 1 epoch (4096, b64) ms",
  () => mlp.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 }),
);
await t(
  "lenet fit 1 epoch (4096, b64) ms",
  () => lenet.fit(xi, y, { epochs: 1, batchSize: 64, verbose: 0 }),
);
await t(
  "lstm fit 5 epochs (32x50x32, u128) ms",
  () => rnn.fit(seqX, seqY, { epochs: 5, batchSize: 32, verbose: 0 }),
);
console.table(res);
