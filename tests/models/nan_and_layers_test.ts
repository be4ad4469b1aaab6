/**
 * No silent wrong answers in training: layer lists are checked at construction, a
 * non-finite loss is warned about once per fit() call and its metrics are NaN, terminateOnNaN()
 * stops at that batch, and stopTraining set in onBatchEnd stops right after that batch.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";

function call(f: unknown, ...args: unknown[]): unknown {
  return (f as (...a: unknown[]) => unknown)(...args);
}

/** A model whose huge learning rate turns its loss to Infinity, then NaN, within a few steps. */
function diverging(): { model: dn.Sequential; x: dn.Tensor; y: dn.Tensor } {
  dn.setSeed(3);
  const model = dn.sequential([
    dn.layers.dense({ units: 4, activation: "relu", inputShape: [2] }),
    dn.layers.dense({ units: 2, activation: "softmax" }),
  ]);
  model.compile({
    optimizer: dn.optimizers.sgd({ learningRate: 1e30 }),
    loss: "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  const x = dn.tensor([[1e3, -1e3], [-1e3, 1e3], [1e3, 1e3], [-1e3, -1e3]]);
  const y = dn.tensor([[1, 0], [0, 1], [1, 0], [0, 1]]);
  return { model, x, y };
}

/** Runs `f` with console.warn captured; returns the warnings. */
async function warnings(f: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...a: unknown[]) => void seen.push(a.join(" "));
  try {
    await f();
  } finally {
    console.warn = original;
  }
  return seen;
}

Deno.test("sequential() rejects a non-layer in its list, naming the position", () => {
  const dense = dn.layers.dense({ units: 1, inputShape: [1] });
  assertThrows(
    () => call(dn.sequential, [dense, 42]),
    TypeError,
    'Cannot run sequential(): argument "layers[1]" must be a layer',
  );
  assertThrows(() => call(dn.sequential, [dn.layers.dense]), TypeError, "got the function dense");
  assertThrows(() => call(dn.sequential, "dense"), TypeError, 'argument "layers" must be an array');
});

Deno.test("add() rejects a non-layer", () => {
  const model = dn.sequential();
  assertThrows(
    () => call(model.add.bind(model), "x"),
    TypeError,
    'Cannot run add(): argument "layer" must be a layer (e.g. dn.layers.dense({ units: 8 })): got "x"',
  );
  assertEquals(model.layers.length, 0);
});

Deno.test("fit() warns once per call when the loss turns non-finite, and reports NaN metrics", async () => {
  const { model, x, y } = diverging();
  let history: dn.History | undefined;
  const seen = await warnings(async () => {
    history = await model.fit(x, y, { epochs: 3, batchSize: 1, verbose: 0, shuffle: false });
  });
  assertEquals(seen.length, 1);
  assert(seen[0].startsWith("fit(): the loss is "), seen[0]);
  assert(seen[0].includes("terminateOnNaN()"), seen[0]);
  const h = history!.history;
  assertEquals(Number.isNaN(h.loss[2]), true);
  assertEquals(Number.isNaN(h.acc?.[2] ?? h.accuracy[2]), true);
  const again = await warnings(() => model.fit(x, y, { epochs: 1, verbose: 0 }));
  assertEquals(again.length, 1); // once per fit() call
});

Deno.test("trainOnBatch() warns once per model on a non-finite loss and gives NaN metrics", async () => {
  const { model, x, y } = diverging();
  let last: number[] = [];
  const seen = await warnings(async () => {
    for (let i = 0; i < 6; i++) last = await model.trainOnBatch(x, y);
  });
  assertEquals(seen.length, 1);
  assert(seen[0].startsWith("trainOnBatch(): the loss is "), seen[0]);
  assertEquals(Number.isNaN(last[0]), true);
  assertEquals(Number.isNaN(last[1]), true);
});

Deno.test("terminateOnNaN() stops fit() at the batch whose loss is not finite", async () => {
  const { model, x, y } = diverging();
  const losses: number[] = [];
  let epochsEnded = 0;
  await warnings(async () => {
    await model.fit(x, y, {
      epochs: 5,
      batchSize: 1,
      verbose: 0,
      shuffle: false,
      callbacks: [
        dn.callbacks.terminateOnNaN(),
        {
          onBatchEnd: (_b, logs) => void losses.push(logs.loss),
          onEpochEnd: () => void epochsEnded++,
        },
      ],
    });
  });
  assert(losses.length < 20, `ran ${losses.length} batches`);
  assertEquals(Number.isFinite(losses[losses.length - 1]), false);
  assertEquals(losses.slice(0, -1).every(Number.isFinite), true);
  assertEquals(epochsEnded, Math.ceil(losses.length / 4));
});

Deno.test("stopTraining set in onBatchEnd stops fit() right after that batch", async () => {
  const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [1] })]);
  model.compile({ optimizer: "sgd", loss: "mse" });
  const x = dn.ones([10, 1]);
  const batches: number[] = [];
  const history = await model.fit(x, x, {
    epochs: 3,
    batchSize: 2,
    verbose: 0,
    callbacks: {
      onBatchEnd: (b) => {
        batches.push(b);
        if (b === 1) model.stopTraining = true;
      },
    },
  });
  assertEquals(batches, [0, 1]);
  assertEquals(history.epoch, [0]);
  assert(Number.isFinite(history.history.loss[0]));
});
