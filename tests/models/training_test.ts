/**
 * `fit()`, `evaluate()`, `predict()` and `summary()` of `Sequential`: reproducibility, memory,
 * validation, callbacks, early stopping, verbosity, batching and typed errors.
 */
import * as dn from "../../mod.ts";
import { assertClose } from "../_util/assert_close.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

const FEATURES = 6, CLASSES = 3;

/** `n` seeded samples in [-1, 1]^6, labelled one-hot by the argmax of three fixed projections. */
function dataset(n: number, seed: number): { x: dn.Tensor; y: dn.Tensor } {
  const x = randomF32(n * FEATURES, seed);
  const w = randomF32(FEATURES * CLASSES, 1_000);
  const y = new Float32Array(n * CLASSES);
  for (let r = 0; r < n; r++) {
    let best = 0, bestScore = -Infinity;
    for (let c = 0; c < CLASSES; c++) {
      let s = 0;
      for (let i = 0; i < FEATURES; i++) s += x[r * FEATURES + i] * w[i * CLASSES + c];
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    y[r * CLASSES + best] = 1;
  }
  return {
    x: dn.tensor(Float32Array.from(x), [n, FEATURES]),
    y: dn.tensor(y, [n, CLASSES]),
  };
}

/** Rows `[start, end)` of `t` as a new tensor. */
function rows(t: dn.Tensor, start: number, end: number): dn.Tensor {
  const per = t.size / t.shape[0];
  return dn.tensor(t.dataSync().slice(start * per, end * per), [end - start, ...t.shape.slice(1)]);
}

/** An MLP with dropout (drawn from the global generator) and an L2 penalty, seeded by `seed`. */
function mlp(seed: number, optimizer: dn.optimizers.Optimizer | "adam" = "adam"): dn.Sequential {
  dn.setSeed(seed);
  const model = dn.sequential([
    dn.layers.dense({
      units: 16,
      activation: "relu",
      inputShape: [FEATURES],
      kernelRegularizer: { l2: 1e-4 },
    }),
    dn.layers.dropout({ rate: 0.25 }),
    dn.layers.dense({ units: CLASSES, activation: "softmax" }),
  ]);
  model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return model;
}

function weightBits(model: dn.Sequential): Uint32Array[] {
  return model.getWeights().map((w) => {
    const v = w.dataSync();
    w.dispose();
    return new Uint32Array(v.buffer);
  });
}

/** Runs `fn` with console.log captured; returns the lines. */
async function captureLog(fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.log = log;
  }
  return lines;
}

Deno.test("fit() with the same seed gives bitwise-identical weights (dropout, shuffle)", async () => {
  const { x, y } = dataset(50, 1);
  const run = async (seed: number) => {
    const model = mlp(seed);
    const history = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    const bits = weightBits(model);
    model.dispose();
    return { bits, history };
  };
  const a = await run(7), b = await run(7), c = await run(8);
  assertEquals(b.bits, a.bits);
  assertEquals(b.history, a.history);
  assert(c.bits[0].some((v, i) => v !== a.bits[0][i]), "another seed trains other weights");
  x.dispose();
  y.dispose();
});

Deno.test("2,000 training steps leave memory() flat after warm-up", async () => {
  const { x, y } = dataset(64, 2);
  const model = mlp(3);
  // Warm-up: the first step creates the optimizer state and grows the wasm memory once.
  await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, validationSplit: 0.25 });
  model.predict(x).dispose();
  const before = dn.memory();
  await model.fit(x, y, { epochs: 250, batchSize: 8, verbose: 0 }); // 8 steps per epoch
  assertEquals(dn.memory(), before);
  await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, validationSplit: 0.25 });
  await model.evaluate(x, y, { batchSize: 5 });
  model.predict(x, { batchSize: 5 }).dispose();
  assertEquals(dn.memory(), before);
  model.dispose();
  x.dispose();
  y.dispose();
});

Deno.test("fit() validationSplit holds out the last fraction before shuffling", async () => {
  const { x, y } = dataset(64, 4);
  const split = mlp(5);
  const h1 = await split.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, validationSplit: 0.25 });
  assertEquals(Object.keys(h1.history).sort(), ["accuracy", "loss", "val_accuracy", "val_loss"]);
  const [xTrain, yTrain, xVal, yVal] = [
    rows(x, 0, 48),
    rows(y, 0, 48),
    rows(x, 48, 64),
    rows(y, 48, 64),
  ];
  const explicit = mlp(5);
  const h2 = await explicit.fit(xTrain, yTrain, {
    epochs: 3,
    batchSize: 8,
    verbose: 0,
    validationData: [xVal, yVal],
  });
  assertEquals(h2, h1);
  assertEquals(weightBits(explicit), weightBits(split));
  assertEquals(await split.evaluate(xVal, yVal, { batchSize: 8 }), [
    h1.history.val_loss[2],
    h1.history.val_accuracy[2],
  ]);
  for (const t of [split, explicit, x, y, xTrain, yTrain, xVal, yVal]) t.dispose();
});

Deno.test("fit() validationSplit splits at floor(n·(1 - split)) as Keras: 7 samples, 0.3 -> 3 held out", async () => {
  const { x, y } = dataset(7, 6);
  const model = mlp(1);
  const history = await model.fit(x, y, {
    epochs: 1,
    batchSize: 7,
    verbose: 0,
    validationSplit: 0.3,
  });
  using xVal = rows(x, 4, 7);
  using yVal = rows(y, 4, 7);
  assertEquals(
    (await model.evaluate(xVal, yVal, { batchSize: 7 }))[0],
    history.history.val_loss[0],
  );
  for (const t of [model, x, y]) t.dispose();
});

Deno.test("fit() validationData is evaluated after every epoch and wins over validationSplit", async () => {
  const { x, y } = dataset(40, 7);
  const { x: xv, y: yv } = dataset(13, 8);
  const a = mlp(2);
  const ha = await a.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, validationData: [xv, yv] });
  assertEquals(ha.history.val_loss.length, 2);
  assertEquals(await a.evaluate(xv, yv, { batchSize: 16 }), [
    ha.history.val_loss[1],
    ha.history.val_accuracy[1],
  ]);
  const b = mlp(2);
  const hb = await b.fit(x, y, {
    epochs: 2,
    batchSize: 16,
    verbose: 0,
    validationData: [xv, yv],
    validationSplit: 0.5,
  });
  assertEquals(hb, ha);
  for (const t of [a, b, x, y, xv, yv]) t.dispose();
});

Deno.test("fit() calls every callback hook the right number of times and awaits async ones", async () => {
  const { x, y } = dataset(50, 9);
  const model = mlp(4);
  const events: string[] = [];
  const batchLogs: dn.Logs[] = [];
  let seenModel: dn.Sequential | null = null;
  const delay = () => new Promise((resolve) => setTimeout(resolve, 2));
  const history = await model.fit(x, y, {
    epochs: 3,
    batchSize: 16,
    verbose: 0,
    callbacks: [{
      setModel: (m) => (seenModel = m),
      onTrainBegin: async () => {
        await delay();
        events.push("trainBegin");
      },
      onEpochBegin: (epoch) => void events.push(`epochBegin ${epoch}`),
      onBatchEnd: async (batch, logs) => {
        await delay();
        events.push(`batch ${batch}`);
        batchLogs.push({ ...logs });
      },
      onEpochEnd: async (epoch, logs) => {
        await delay();
        events.push(`epochEnd ${epoch} ${Object.keys(logs).sort().join(",")}`);
      },
      onTrainEnd: () => void events.push("trainEnd"),
    }],
  });
  assert(seenModel === model);
  const perEpoch = (e: number) => [
    `epochBegin ${e}`,
    "batch 0",
    "batch 1",
    "batch 2",
    "batch 3",
    `epochEnd ${e} accuracy,loss`,
  ];
  assertEquals(events, ["trainBegin", ...perEpoch(0), ...perEpoch(1), ...perEpoch(2), "trainEnd"]);
  assertEquals(batchLogs.map((l) => l.size), [16, 16, 16, 2, 16, 16, 16, 2, 16, 16, 16, 2]);
  assert(batchLogs.every((l) => Number.isFinite(l.loss) && l.accuracy >= 0 && l.accuracy <= 1));
  // The epoch loss is the sample-weighted mean of the batch losses.
  for (let e = 0; e < 3; e++) {
    const batches = batchLogs.slice(4 * e, 4 * e + 4);
    const mean = batches.reduce((s, l) => s + l.loss * l.size, 0) / 50;
    assertClose([history.history.loss[e]], [mean], { rel: 1e-12, abs: 0 }, `epoch ${e} loss`);
  }
  for (const t of [model, x, y]) t.dispose();
});

Deno.test("fit() stops after the epoch in which a callback sets stopTraining", async () => {
  const { x, y } = dataset(20, 10);
  const model = mlp(4);
  const history = await model.fit(x, y, {
    epochs: 10,
    verbose: 0,
    callbacks: { onEpochEnd: (epoch) => void (epoch === 1 && (model.stopTraining = true)) },
  });
  assertEquals(history.epoch, [0, 1]);
  const again = await model.fit(x, y, { epochs: 2, verbose: 0 });
  assertEquals(again.epoch, [0, 1], "the flag is reset by the next fit()");
  for (const t of [model, x, y]) t.dispose();
});

for (const restoreBestWeights of [true, false]) {
  Deno.test(`earlyStopping() with patience 2 and restoreBestWeights ${restoreBestWeights}`, async () => {
    const { x, y } = dataset(64, 11);
    const { x: xv, y: yv } = dataset(32, 12);
    // 4 steps per epoch: a sane rate for 5 epochs, then one large enough to make val_loss worse.
    const lr = dn.optimizers.schedules.stepDecay({
      initialLearningRate: 0.1,
      boundaries: [20],
      values: [30],
    });
    const model = mlp(13, dn.optimizers.sgd({ learningRate: lr, momentum: 0.9 }));
    const snapshots: Uint32Array[][] = [];
    const patience = 2;
    const history = await model.fit(x, y, {
      epochs: 40,
      batchSize: 16,
      verbose: 0,
      validationData: [xv, yv],
      callbacks: [
        { onEpochEnd: () => void snapshots.push(weightBits(model)) },
        dn.callbacks.earlyStopping({ patience, restoreBestWeights }),
      ],
    });
    const val = history.history.val_loss;
    const best = val.indexOf(Math.min(...val.filter((v) => !Number.isNaN(v))));
    assert(best >= 3 && val.slice(best + 1).every((v) => !(v <= val[best])), `val_loss ${val}`);
    // Keras: stop once `patience` epochs in a row fail to improve on the best.
    assertEquals(history.epoch.length, best + patience + 1);
    const last = snapshots.at(-1)!;
    assert(last.some((w, i) => w.some((v, j) => v !== snapshots[best][i][j])));
    assertEquals(weightBits(model), restoreBestWeights ? snapshots[best] : last);
    for (const t of [model, x, y, xv, yv]) t.dispose();
  });
}

Deno.test("earlyStopping() rejects a bad patience and an unlogged monitor", async () => {
  for (const patience of [-1, 1.5]) {
    assertThrows(
      () => dn.callbacks.earlyStopping({ patience }),
      RangeError,
      'argument "patience" must be a non-negative integer',
    );
  }
  const { x, y } = dataset(8, 16);
  const model = mlp(1);
  await assertRejects(
    () => model.fit(x, y, { verbose: 0, callbacks: dn.callbacks.earlyStopping() }),
    RangeError,
    'monitored value "val_loss" is not logged: got loss, accuracy',
  );
  for (const t of [model, x, y]) t.dispose();
});

Deno.test("fit() verbose 0 prints nothing and verbose 2 prints one line per epoch", async () => {
  const { x, y } = dataset(20, 17);
  const model = mlp(1);
  assertEquals(await captureLog(() => model.fit(x, y, { epochs: 2, verbose: 0 })), []);
  const lines = await captureLog(() =>
    model.fit(x, y, { epochs: 3, verbose: 2, validationSplit: 0.2 })
  );
  assertEquals(lines.length, 3);
  lines.forEach((line, e) =>
    assert(
      new RegExp(
        `^Epoch ${
          e + 1
        }/3 - \\d+\\.\\ds - loss: \\d+\\.\\d{4} - accuracy: \\d\\.\\d{4} - val_loss: \\d+\\.\\d{4} - val_accuracy: \\d\\.\\d{4}$`,
      ).test(line),
      line,
    )
  );
  for (const t of [model, x, y]) t.dispose();
});

Deno.test("fit() returns a History with epoch indices and one value per epoch and key", async () => {
  const { x, y } = dataset(30, 18);
  const model = mlp(1);
  const history = await model.fit(x, y, { epochs: 4, verbose: 0, validationSplit: 0.2 });
  assertEquals(history.epoch, [0, 1, 2, 3]);
  assertEquals(Object.keys(history.history).sort(), [
    "accuracy",
    "loss",
    "val_accuracy",
    "val_loss",
  ]);
  for (const values of Object.values(history.history)) {
    assertEquals(values.length, 4);
    assert(values.every(Number.isFinite));
  }
  assertEquals(await model.fit(x, y, { epochs: 0, verbose: 0 }), {
    epoch: [],
    history: {},
    params: { epochs: 0, batches: 1, samples: 30 },
  });
  for (const t of [model, x, y]) t.dispose();
});

Deno.test("predict() and evaluate() give the same results for any batch size", async () => {
  const { x, y } = dataset(37, 19);
  const model = mlp(6);
  await model.fit(x, y, { epochs: 2, verbose: 0 });
  using whole = model.predict(x, { batchSize: 37 });
  assertEquals(whole.shape, [37, CLASSES]);
  for (const batchSize of [1, 5, 32, 36, 100]) {
    using part = model.predict(x, { batchSize });
    assertEquals(part.dataSync(), whole.dataSync(), `predict batchSize ${batchSize}`);
    // Batch means are recombined by sample counts: equal up to the f32 sums of 37 terms.
    assertClose(
      await model.evaluate(x, y, { batchSize }),
      await model.evaluate(x, y, { batchSize: 37 }),
      { rel: 1e-5, abs: 1e-6 },
      `evaluate batchSize ${batchSize}`,
    );
  }
  for (const t of [model, x, y]) t.dispose();
});

Deno.test("summary() lists output shapes and parameter counts", async () => {
  const model = mlp(1);
  const text = model.summary(false);
  const names = model.layers.map((l) => l.name);
  assert(new RegExp(`${names[0]} \\(Dense\\) +\\[null, 16\\] +112`).test(text), text);
  assert(new RegExp(`${names[1]} \\(Dropout\\) +\\[null, 16\\] +0`).test(text), text);
  assert(new RegExp(`${names[2]} \\(Dense\\) +\\[null, 3\\] +51`).test(text), text);
  assert(text.endsWith("Total params: 163"), text);
  assertEquals(await captureLog(() => Promise.resolve(model.summary())), [text]);
  model.dispose();
});

Deno.test("fit(), evaluate() and predict() reject bad calls with typed errors", async () => {
  const { x, y } = dataset(10, 20);
  using y9 = dn.zeros([9, CLASSES]);
  using x0 = dn.zeros([0, FEATURES]);
  using y0 = dn.zeros([0, CLASSES]);
  using wide = dn.zeros([10, FEATURES + 1]);
  const raw = dn.sequential([dn.layers.dense({ units: 3, inputShape: [FEATURES] })]);
  await assertRejects(() => raw.fit(x, y), TypeError, "the model must be compiled first");
  assertThrows(() => raw.evaluate(x, y), TypeError, "the model must be compiled first");
  const model = mlp(1);
  const fit = (options: dn.FitOptions, xs = x, ys = y) =>
    model.fit(xs, ys, { verbose: 0, ...options });
  await assertRejects(() => fit({}, x, y9), RangeError, "must have the same number of samples");
  await assertRejects(() => fit({}, x0, y0), RangeError, "must hold at least one sample");
  await assertRejects(
    () => fit({}, [] as unknown as dn.Tensor),
    TypeError,
    'argument "x" must be a Tensor',
  );
  for (const batchSize of [0, -1, 1.5]) {
    await assertRejects(
      () => fit({ batchSize }),
      RangeError,
      'argument "batchSize" must be a positive integer',
    );
  }
  for (const epochs of [-1, 1.5, NaN]) {
    await assertRejects(
      () => fit({ epochs }),
      RangeError,
      'argument "epochs" must be a non-negative integer',
    );
  }
  for (const validationSplit of [1, -0.1, NaN]) {
    await assertRejects(
      () => fit({ validationSplit }),
      RangeError,
      'argument "validationSplit" must be in [0, 1)',
    );
  }
  await assertRejects(
    () => fit({ validationSplit: 0.95 }),
    RangeError,
    'argument "validationSplit" must leave at least one training and one validation sample',
  );
  await assertRejects(
    () => fit({ verbose: 3 as 0 }),
    RangeError,
    'argument "verbose" must be 0, 1 or 2',
  );
  assertThrows(() => model.evaluate(x, y9), RangeError, "must have the same number of samples");
  assertThrows(
    () => model.evaluate(x, y, { batchSize: 0 }),
    RangeError,
    '"batchSize" must be a positive integer',
  );
  assertThrows(
    () => model.predict(wide),
    RangeError,
    'argument "x" must have shape [batch, 6]: got [10, 7]',
  );
  assertThrows(
    () => model.predict(x, { batchSize: 2.5 }),
    RangeError,
    '"batchSize" must be a positive integer',
  );
  assertThrows(
    () => dn.sequential([dn.layers.dense({ units: 2 })]).compile({ optimizer: "sgd", loss: "mse" }),
    TypeError,
    'first layer must be given an "inputShape"',
  );
  const layer = dn.layers.dense({ units: 2, inputShape: [2] });
  assertThrows(() => dn.sequential([layer, layer]), RangeError, "is already in the model");
  for (const t of [raw, model, x, y]) t.dispose();
});
