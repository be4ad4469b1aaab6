/**
 * Recurrent layers inside `dn.sequential`: training lowers the loss, and a model using every
 * recurrent layer class (embedding, bidirectional LSTM, GRU, simple RNN, time-distributed dense)
 * survives `toBytes()` / `loadModel()` with bitwise identical predictions and topology.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals } from "../_util/assert.ts";

function bits(t: dn.Tensor): number[] {
  const v = t.dataSync();
  return [...new Uint32Array(v.buffer, v.byteOffset, v.length)];
}

Deno.test("sequential model of every recurrent layer fits, predicts and round-trips through loadModel", async () => {
  dn.setSeed(7);
  const [n, steps, vocab] = [48, 6, 7];
  const model = dn.sequential([
    dn.layers.embedding({ inputDim: vocab, outputDim: 5, inputShape: [steps] }),
    dn.layers.bidirectional(dn.layers.lstm({ units: 6, returnSequences: true }), {
      mergeMode: "concat",
    }),
    dn.layers.gru({ units: 5, returnSequences: true, truncate: 4 }),
    dn.layers.simpleRNN({ units: 4, returnSequences: true, goBackwards: true }),
    dn.layers.timeDistributed(dn.layers.dense({ units: vocab, activation: "softmax" })),
  ]);
  model.compile({
    optimizer: dn.optimizers.adam({ learningRate: 0.02 }),
    loss: "sparseCategoricalCrossentropy",
    metrics: ["accuracy"],
  });
  // Target: each step's token shifted by one (mod vocab).
  const xs = Float32Array.from(
    { length: n * steps },
    (_, i) => (i * 5 + Math.floor(i / 7)) % vocab,
  );
  const x = dn.tensor(xs, [n, steps]);
  const y = dn.tensor(xs.map((v) => (v + 1) % vocab), [n, steps]);
  const history = await model.fit(x, y, { epochs: 6, batchSize: 16, verbose: 0 });
  const losses = history.history.loss;
  assert(losses[losses.length - 1] < losses[0], `loss fell: ${losses.join(", ")}`);
  assertEquals(model.predict(x).shape, [n, steps, vocab]);

  const copy = await dn.loadModel(model.toBytes());
  assertEquals(
    copy.layers.map((l) => [l.className, l.getConfig()]),
    model.layers.map((l) => [l.className, l.getConfig()]),
  );
  using pa = model.predict(x);
  using pb = copy.predict(x);
  assertEquals(bits(pb), bits(pa));
  assertEquals(model.layers[1].weights.map((w) => w.name), [
    "forward/kernel",
    "forward/recurrent_kernel",
    "forward/bias",
    "backward/kernel",
    "backward/recurrent_kernel",
    "backward/bias",
  ]);
  for (const t of [model, copy, x, y]) t.dispose();
});

Deno.test("lstm in a sequential classifier trains with flat memory", async () => {
  dn.setSeed(3);
  const model = dn.sequential([
    dn.layers.lstm({ units: 8, inputShape: [5, 2] }),
    dn.layers.dense({ units: 1, activation: "sigmoid" }),
  ]);
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  const n = 32;
  const xs = Float32Array.from({ length: n * 10 }, (_, i) => Math.sin(i * 1.7));
  const x = dn.tensor(xs, [n, 5, 2]);
  const y = dn.tensor(Float32Array.from({ length: n }, (_, i) => xs[i * 10] > 0 ? 1 : 0), [n, 1]);
  await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  const before = dn.memory().numTensors;
  await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
  assertEquals(dn.memory().numTensors, before);
  for (const t of [model, x, y]) t.dispose();
});
