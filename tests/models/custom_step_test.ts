/**
 * Custom training: a hand-written step (`dn.valueAndGrads` over `model.trainableWeights`, then
 * `model.optimizer.applyGradients`) matches `trainOnBatch`'s update bitwise; a model's
 * `trainStep` overridden (in a subclass or by assignment) is driven by `fit` with its batching,
 * callbacks and history, and by `trainOnBatch`.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../_util/assert.ts";

function data(n: number, cols: number, seed: number): dn.Tensor {
  let s = seed;
  const v = Float32Array.from({ length: n * cols }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
  return dn.tensor(v, [n, cols]);
}

function values(ts: dn.Tensor[]): number[][] {
  return ts.map((t) => [...t.dataSync()]);
}

function mlp(seed: number): dn.Sequential {
  dn.setSeed(seed);
  const model = dn.sequential([
    dn.layers.dense({ units: 4, activation: "tanh", inputShape: [3] }),
    dn.layers.dense({ units: 1 }),
  ]);
  model.buildAll(); // draws the weights now, from this seed
  return model;
}

Deno.test("a hand-written step over trainableWeights updates as trainOnBatch does", async () => {
  const a = mlp(1), b = mlp(1);
  for (const m of [a, b]) {
    m.compile({ optimizer: dn.optimizers.sgd({ learningRate: 0.1 }), loss: "meanSquaredError" });
  }
  b.layers[0].trainable = false; // frozen in both: the hand-written step reads trainableWeights
  a.layers[0].trainable = false;
  const x = data(8, 3, 2), y = dn.sum(x, 1, true);
  const [loss] = await a.trainOnBatch(x, y);

  const weights = b.trainableWeights;
  assertEquals(weights.length, 2);
  const { value, grads } = dn.valueAndGrads(() =>
    dn.losses.meanSquaredError(y, b.apply(x, { training: true }))
  )(weights);
  b.optimizer.applyGradients(weights, grads);
  assertEquals(value.dataSync()[0], loss);
  assertEquals(values(b.getWeights()), values(a.getWeights()));
  a.dispose();
  b.dispose();
});

/** A model whose step trains on its inputs plus Gaussian noise and logs the noise it drew. */
class NoisyModel extends dn.Sequential {
  seen: dn.Tensor[] = [];
  override trainStep([x]: dn.Tensor[], [y]: dn.Tensor[]): dn.StepLogs {
    const noisy = dn.add(x, dn.randomNormal(x.shape, { stdDev: 0.05 }));
    this.seen.push(dn.keep(dn.sub(noisy, x)));
    const weights = this.trainableWeights;
    const { value, grads } = dn.valueAndGrads(() =>
      dn.losses.meanSquaredError(y, this.apply(noisy, { training: true }))
    )(weights);
    this.optimizer.applyGradients(weights, grads);
    return {
      loss: value,
      noise: dn.mean(dn.abs(dn.sub(noisy, x))),
      step: this.optimizer.iterations,
    };
  }
}

Deno.test("an overridden trainStep is driven by fit with batching, callbacks and history", async () => {
  dn.setSeed(3);
  const model = new NoisyModel([
    dn.layers.dense({ units: 8, activation: "tanh", inputShape: [3] }),
    dn.layers.dense({ units: 1 }),
  ]);
  model.compile({
    optimizer: dn.optimizers.adam({ learningRate: 0.02 }),
    loss: "meanSquaredError",
  });
  const x = data(20, 3, 4), y = dn.sum(x, 1, true);
  const batches: dn.Logs[] = [];
  const epochs: dn.Logs[] = [];
  const before = (await model.evaluate(x, y))[0];
  const history = await model.fit(x, y, {
    epochs: 30,
    batchSize: 8,
    verbose: 0,
    validationData: [x, y],
    callbacks: {
      onBatchEnd: (_b, logs) => void batches.push({ ...logs }),
      onEpochEnd: (_e, logs) => void epochs.push({ ...logs }),
    },
  });
  assertEquals(batches.length, 30 * 3);
  assertEquals(Object.keys(batches[0]).sort(), ["batch", "loss", "noise", "size", "step"]);
  assertEquals(batches.map((l) => l.step), batches.map((_, i) => i + 1));
  assertEquals(batches[2].size, 4); // the last batch of 20 samples by 8
  assertEquals(Object.keys(history.history).sort(), ["loss", "noise", "step", "val_loss"]);
  // The step saw noisy inputs: a noise of standard deviation 0.05 has mean |n| ≈ 0.04.
  assertEquals(model.seen.length, 90);
  const noise = history.history.noise[0];
  assert(noise > 0.02 && noise < 0.06, `noise ${noise}`);
  assert(model.seen.every((n) => [...n.dataSync()].some((v) => v !== 0)));
  assert(history.history.val_loss[29] < before / 4, `${history.history.val_loss[29]} vs ${before}`);
  assertEquals(epochs[29].loss, history.history.loss[29]);
  // trainOnBatch runs the same step and returns its logs in order.
  const [loss, meanNoise, step] = await model.trainOnBatch(x, y);
  assert(loss > 0 && meanNoise > 0);
  assertEquals(step, 91);
  for (const t of model.seen) t.dispose();
  model.dispose();
});

Deno.test("a trainStep assigned to an uncompiled model trains with its own optimizer", async () => {
  const model = mlp(5);
  const x = data(16, 3, 6), y = dn.sum(x, 1, true);
  await assertRejects(() => model.fit(x, y, { verbose: 0 }), TypeError, "must be compiled first");
  const opt = dn.optimizers.adam({ learningRate: 0.05 });
  model.trainStep = ([xb], [yb]) => {
    const weights = model.trainableWeights;
    const { value, grads } = dn.valueAndGrads(() =>
      dn.losses.meanSquaredError(yb, model.apply(xb, { training: true }))
    )(weights);
    opt.applyGradients(weights, grads);
    return { loss: value };
  };
  const history = await model.fit(x, y, { epochs: 40, batchSize: 16, verbose: 0 });
  assert(history.history.loss[39] < history.history.loss[0] / 4);
  await assertRejects(
    () => model.fit(x, y, { validationSplit: 0.25, verbose: 0 }),
    TypeError,
    "validation runs the compiled loss",
  );
  assertThrows(() => model.optimizer, TypeError, "must be compiled first");
  model.trainStep = () => ({ loss: "high" as unknown as number });
  await assertRejects(
    () => model.fit(x, y, { verbose: 0 }),
    TypeError,
    'trainStep\'s "loss" must be a float32 scalar tensor or a number: got "high"',
  );
  opt.dispose();
  model.dispose();
});

Deno.test("fit(x) without targets drives a model's own step (an autoencoder's), batched and shuffled", async () => {
  const model = mlp(7);
  const x = data(24, 3, 8);
  // The compiled step needs targets: left out, y is named.
  model.compile({
    optimizer: dn.optimizers.adam({ learningRate: 0.05 }),
    loss: "meanSquaredError",
  });
  await assertRejects(() => model.fit(x), TypeError, 'argument "y" must be given');
  await assertRejects(() => model.trainOnBatch(x, null), TypeError, 'argument "y" must be given');
  // A step of its own that reconstructs the first input column from all three.
  const sizes: number[] = [];
  const targetsSeen: number[] = [];
  model.trainStep = ([xb], ys) => {
    sizes.push(xb.shape[0]);
    targetsSeen.push(ys.length);
    const target = dn.slice(xb, [0, 0], [-1, 1]);
    const weights = model.trainableWeights;
    const { value, grads } = dn.valueAndGrads(() =>
      dn.losses.meanSquaredError(target, model.apply(xb, { training: true }))
    )(weights);
    model.optimizer.applyGradients(weights, grads);
    return { loss: value };
  };
  const history = await model.fit(x, null, { epochs: 40, batchSize: 10, verbose: 0 });
  assertEquals(sizes.slice(0, 3), [10, 10, 4]);
  assert(targetsSeen.every((n) => n === 0));
  assert(history.history.loss[39] < history.history.loss[0] / 4, `${history.history.loss}`);
  const left = await model.fit(x, undefined, { epochs: 1, verbose: 0 }); // y left out as well
  assertEquals(left.epoch, [0]);
  assertEquals((await model.trainOnBatch(x)).length, 1);
  await assertRejects(
    () => model.fit(x, null, { validationSplit: 0.25, verbose: 0 }),
    TypeError,
    'argument "y" must be given with validation',
  );
  model.dispose();
});
