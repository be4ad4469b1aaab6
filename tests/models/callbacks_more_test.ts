/**
 * modelCheckpoint, reduceLROnPlateau, learningRateScheduler, csvLogger and the History that
 * fit() returns, on a small model, against the Keras counters and file formats; bad options.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../_util/assert.ts";

/** A 1 -> 1 dense model on y = 2x, compiled with plain SGD at `lr`. */
function small(
  lr = 0.05,
): { model: dn.Sequential; optimizer: dn.Optimizer; x: dn.Tensor; y: dn.Tensor } {
  dn.setSeed(1);
  const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [1] })]);
  const optimizer = dn.optimizers.sgd({ learningRate: lr });
  model.compile({ optimizer, loss: "mse" });
  return {
    model,
    optimizer,
    x: dn.tensor([[1], [2], [3], [4]]),
    y: dn.tensor([[2], [4], [6], [8]]),
  };
}

/** Runs `fit` with the callbacks and gives back the history, disposing everything. */
async function run(
  callbacks: dn.Callback[],
  options: { epochs: number; lr?: number; validation?: boolean } & Record<string, unknown>,
  inspect?: (optimizer: dn.Optimizer) => void,
): Promise<dn.History> {
  const { model, optimizer, x, y } = small(options.lr);
  try {
    const h = await model.fit(x, y, {
      epochs: options.epochs,
      batchSize: 4,
      verbose: 0,
      callbacks,
      ...(options.validation ? { validationData: [x, y] as [dn.Tensor, dn.Tensor] } : {}),
    });
    inspect?.(optimizer);
    return h;
  } finally {
    model.dispose();
    x.dispose();
    y.dispose();
  }
}

Deno.test("fit() returns Keras's History: epoch, history per logged name, params", async () => {
  const h = await run([], { epochs: 3, validation: true });
  assertEquals(h.epoch, [0, 1, 2]);
  assertEquals(Object.keys(h.history).sort(), ["loss", "val_loss"]);
  assertEquals(h.params, { epochs: 3, batches: 1, samples: 4 });
});

Deno.test("reduceLROnPlateau() follows Keras's wait, patience, cooldown and minLr", async () => {
  // A rising monitored value: every epoch after the first fails to improve.
  const rising: dn.Callback = { onEpochEnd: (epoch, logs) => void (logs.rising = epoch) };
  const lrs: number[] = [];
  let opt: dn.Optimizer | null = null;
  const record: dn.Callback = { onEpochEnd: () => void lrs.push(opt!.learningRate) };
  const plateau = dn.callbacks.reduceLROnPlateau({
    monitor: "rising",
    patience: 1,
    cooldown: 2,
    factor: 0.5,
    minLr: 0.01,
  });
  const { model, optimizer, x, y } = small(0.08);
  opt = optimizer;
  const h = await model.fit(x, y, {
    epochs: 8,
    batchSize: 4,
    verbose: 0,
    callbacks: [rising, plateau, record],
  });
  // Keras: epoch 0 sets best; 1 waits 1 >= 1 -> 0.04, cooldown 2; 2 cools down (counter 1);
  // 3 ends the cooldown (counter 0, so it counts) -> 0.02; 4 cools down; 5 -> 0.01 (minLr);
  // then never below.
  assertEquals(lrs, [0.08, 0.04, 0.04, 0.02, 0.02, 0.01, 0.01, 0.01]);
  // Each epoch logs the rate it trained with (Keras's learning_rate), kept in the history.
  assertEquals(h.history.learning_rate, [0.08, 0.08, 0.04, 0.04, 0.02, 0.02, 0.01, 0.01]);
  assertEquals(h.history.rising, [0, 1, 2, 3, 4, 5, 6, 7]);
  model.dispose();
  x.dispose();
  y.dispose();
});

Deno.test("reduceLROnPlateau() leaves the rate while the monitored value improves", async () => {
  const plateau = dn.callbacks.reduceLROnPlateau({ monitor: "loss", patience: 2, minDelta: 0 });
  await run([plateau], { epochs: 6 }, (opt) => assertEquals(opt.learningRate, 0.05));
});

Deno.test("learningRateScheduler() sets the rate before each epoch from (epoch, lr)", async () => {
  const seen: [number, number][] = [];
  const sched = dn.callbacks.learningRateScheduler((epoch, lr) => {
    seen.push([epoch, lr]);
    return 0.1 / (epoch + 1);
  });
  const h = await run([sched], { epochs: 3 }, (opt) => assertEquals(opt.learningRate, 0.1 / 3));
  assertEquals(seen, [[0, 0.05], [1, 0.1], [2, 0.05]]);
  assertEquals(h.history.learning_rate, [0.1, 0.05, 0.1 / 3]);
});

Deno.test("modelCheckpoint() saves weights only, every n batches, with {batch}; loadWeights restores them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dendrite_ckpt_" });
  try {
    const { model, x, y } = small();
    const after: number[][] = []; // the weights after each batch
    const keep: dn.Callback = {
      onBatchEnd: () => void after.push(model.getWeights().flatMap((w) => [...w.dataSync()])),
    };
    const ckpt = dn.callbacks.modelCheckpoint({
      filepath: `${dir}/e{epoch}-b{batch}.weights.safetensors`,
      saveWeightsOnly: true,
      saveFreq: 3,
    });
    // 2 batches per epoch, 3 epochs: batches 3 and 6 (counted across epochs) are saved.
    await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0, callbacks: [keep, ckpt] });
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assertEquals(names.sort(), ["e2-b1.weights.safetensors", "e3-b2.weights.safetensors"]);
    // A fresh model of the same architecture (other layer names) takes the weights back.
    dn.setSeed(9);
    const fresh = dn.sequential([dn.layers.dense({ units: 1, inputShape: [1] })]);
    await fresh.loadWeights(`${dir}/e2-b1.weights.safetensors`);
    assertEquals(fresh.getWeights().flatMap((w) => [...w.dataSync()]), after[2]);
    // A weights file is not a model, and a model file is not weights.
    await assertRejects(
      () => dn.loadModel(`${dir}/e3-b2.weights.safetensors`),
      TypeError,
      '"__metadata__.format" must be "dendrite.sequential"',
    );
    await assertRejects(
      () => fresh.loadWeights(model.toBytes()),
      TypeError,
      "a whole model: use dn.loadModel",
    );
    // Another architecture: nothing is written.
    const wider = dn.sequential([dn.layers.dense({ units: 2, inputShape: [1] })]);
    const before = wider.getWeights().flatMap((w) => [...w.dataSync()]);
    await assertRejects(
      () => wider.loadWeights(`${dir}/e2-b1.weights.safetensors`),
      RangeError,
      "must have shape [1, 2]: the file's",
    );
    assertEquals(wider.getWeights().flatMap((w) => [...w.dataSync()]), before);
    const deeper = dn.sequential([
      dn.layers.dense({ units: 1, inputShape: [1] }),
      dn.layers.dense({ units: 1 }),
    ]);
    const savedBytes = await model.saveWeights();
    await assertRejects(
      () => deeper.loadWeights(savedBytes),
      RangeError,
      "must hold 4 weights (the model's): got 2",
    );
    assertThrows(
      () => dn.callbacks.modelCheckpoint({ filepath: "x", saveFreq: 0 }),
      TypeError,
      'option "saveFreq" must be "epoch" or a positive integer (batches): got 0',
    );
    assertThrows(
      () =>
        dn.callbacks.modelCheckpoint({ filepath: "x", saveWeightsOnly: 1 as unknown as boolean }),
      TypeError,
      'option "saveWeightsOnly" must be a boolean: got 1',
    );
    for (const m of [model, fresh, wider, deeper]) m.dispose();
    x.dispose();
    y.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("modelCheckpoint() saves the best epoch by the monitored value, with placeholders", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dendrite_ckpt_" });
  try {
    // A monitored value best at epoch 2 (0-based): 3, 2, 1, 4, 5.
    const value = [3, 2, 1, 4, 5];
    const mark: dn.Callback = { onEpochEnd: (epoch, logs) => void (logs.score = value[epoch]) };
    const best = dn.callbacks.modelCheckpoint({
      filepath: `${dir}/best.safetensors`,
      monitor: "score",
      saveBestOnly: true,
    });
    const every = dn.callbacks.modelCheckpoint({
      filepath: `${dir}/e{epoch:02d}-{score:.1f}.safetensors`,
      monitor: "score",
    });
    const weights: number[][] = [];
    const { model, x, y } = small();
    const keep: dn.Callback = {
      onEpochEnd: () =>
        void weights.push([...model.getWeights().flatMap((w) => [...w.dataSync()])]),
    };
    await model.fit(x, y, {
      epochs: 5,
      batchSize: 4,
      verbose: 0,
      callbacks: [mark, best, every, keep],
    });
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assertEquals(names.sort(), [
      "best.safetensors",
      "e01-3.0.safetensors",
      "e02-2.0.safetensors",
      "e03-1.0.safetensors",
      "e04-4.0.safetensors",
      "e05-5.0.safetensors",
    ]);
    const saved = await dn.loadModel(`${dir}/best.safetensors`);
    assertEquals(saved.getWeights().flatMap((w) => [...w.dataSync()]), weights[2]);
    saved.dispose();
    model.dispose();
    x.dispose();
    y.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("csvLogger() writes Keras's header and rows, appends without a second header", async () => {
  const file = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    const h = await run([dn.callbacks.csvLogger({ filename: file, separator: ";" })], {
      epochs: 2,
      validation: true,
    });
    await run([dn.callbacks.csvLogger({ filename: file, separator: ";", append: true })], {
      epochs: 1,
      validation: true,
    });
    const lines = (await Deno.readTextFile(file)).trimEnd().split("\n");
    assertEquals(lines[0], "epoch;loss;val_loss");
    assertEquals(lines.length, 4);
    assertEquals(lines[1], `0;${h.history.loss[0]};${h.history.val_loss[0]}`);
    assert(lines[3].startsWith("0;"));
    await run([dn.callbacks.csvLogger({ filename: file })], { epochs: 1 });
    assertEquals((await Deno.readTextFile(file)).trimEnd().split("\n").length, 2, "overwritten");
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("the callbacks reject bad options and unlogged monitors with typed errors", async () => {
  assertThrows(
    () => dn.callbacks.reduceLROnPlateau({ factor: 1 }),
    RangeError,
    'Cannot run reduceLROnPlateau(): option "factor" must be a number in (0, 1): got 1',
  );
  assertThrows(
    () => dn.callbacks.reduceLROnPlateau({ patience: 1.5 }),
    RangeError,
    'option "patience" must be a finite integer >= 0',
  );
  assertThrows(() => dn.callbacks.reduceLROnPlateau({ mode: "up" as never }), TypeError, '"mode"');
  assertThrows(() => dn.callbacks.reduceLROnPlateau({ min_lr: 0 } as never), TypeError, "min_lr");
  assertThrows(
    () => dn.callbacks.modelCheckpoint({} as never),
    TypeError,
    'Cannot run modelCheckpoint(): option "filepath" must be a non-empty string',
  );
  assertThrows(
    () => dn.callbacks.modelCheckpoint({ filepath: "a", save_weights_only: true } as never),
    TypeError,
    "save_weights_only",
  );
  assertThrows(
    () => dn.callbacks.csvLogger({ filename: "" }),
    TypeError,
    'Cannot run csvLogger(): option "filename" must be a non-empty string',
  );
  assertThrows(
    () => dn.callbacks.learningRateScheduler(0.1 as never),
    TypeError,
    'argument "schedule" must be a function',
  );
  await assertRejects(
    () => run([dn.callbacks.reduceLROnPlateau()], { epochs: 1 }),
    RangeError,
    'Cannot run reduceLROnPlateau(): monitored value "val_loss" is not logged: got loss',
  );
  await assertRejects(
    () => run([dn.callbacks.learningRateScheduler(() => NaN)], { epochs: 1 }),
    TypeError,
    "the schedule must return a finite number >= 0: got NaN at epoch 0",
  );
  const scheduled = dn.optimizers.sgd({
    learningRate: dn.optimizers.schedules.exponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 1,
      decayRate: 0.5,
    }),
  });
  assertThrows(
    () => (scheduled.learningRate = 0.1),
    TypeError,
    "created with a learning rate schedule",
  );
  const plain = dn.optimizers.sgd();
  assertThrows(() => (plain.learningRate = -1), RangeError, "must be a finite number >= 0: got -1");
});
