/**
 * Training under the threads backend gives bitwise the same weights as under the single-thread
 * wasm backend for the same seed: an MLP (GEMM, softmax, Adam, dropout) and a LeNet-style CNN
 * (convolutions, their filter-gradient batch groups, max pooling), with the real thresholds.
 */
import * as dn from "../../mod.ts";
import { activeBackend } from "../../src/backend/select.ts";
import { ThreadsBackend } from "../../src/backend/threads/threads_backend.ts";
import { assert, assertEquals } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

interface Run {
  model: () => dn.Sequential;
  x: Float32Array;
  xShape: number[];
  classes: number;
}

async function train(
  backend: "wasm" | "threads",
  threads: number,
  { model, x, xShape, classes }: Run,
): Promise<{ bits: Uint32Array[]; runs: number }> {
  await dn.ready({ backend, threads });
  const n = xShape[0];
  const labels = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) labels[i * classes + ((i * 7) % classes)] = 1;
  const xs = dn.tensor(x, xShape), ys = dn.tensor(labels, [n, classes]);
  const m = model();
  await m.fit(xs, ys, { epochs: 2, batchSize: 32, verbose: 0 });
  const bits = m.getWeights().map((w) => {
    const v = w.dataSync();
    w.dispose();
    return new Uint32Array(v.buffer);
  });
  m.dispose();
  xs.dispose();
  ys.dispose();
  const b = activeBackend();
  const runs = b instanceof ThreadsBackend ? b.poolForTest?.runs ?? 0 : 0;
  return { bits, runs };
}

const MLP: Run = {
  model: () => {
    dn.setSeed(11);
    const m = dn.sequential([
      dn.layers.dense({ units: 128, activation: "relu", inputShape: [784] }),
      dn.layers.dropout({ rate: 0.2 }),
      dn.layers.dense({ units: 10, activation: "softmax" }),
    ]);
    m.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
    return m;
  },
  x: Float32Array.from(randomF32(96 * 784, 3)),
  xShape: [96, 784],
  classes: 10,
};

const LENET: Run = {
  model: () => {
    dn.setSeed(12);
    const m = dn.sequential([
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
      dn.layers.dense({ units: 84, activation: "relu" }),
      dn.layers.dense({ units: 10, activation: "softmax" }),
    ]);
    m.compile({
      optimizer: dn.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }),
      loss: "categoricalCrossentropy",
    });
    return m;
  },
  x: Float32Array.from(randomF32(64 * 784, 4)),
  xShape: [64, 28, 28, 1],
  classes: 10,
};

for (const [name, run] of [["MLP", MLP], ["LeNet", LENET]] as const) {
  Deno.test(`fit() of an ${name} on 2 threads gives bitwise the weights of one thread`, async () => {
    try {
      const single = await train("wasm", 1, run);
      const threaded = await train("threads", 2, run);
      assert(threaded.runs > 0, "the threads backend split some work");
      assertEquals(threaded.bits.length, single.bits.length);
      threaded.bits.forEach((b, i) => assertEquals(b, single.bits[i], `weight ${i}`));
    } finally {
      await dn.shutdown();
      await dn.ready({ backend: "wasm" });
    }
  });
}
