/**
 * Deep belief nets: greedy pretraining of a 784-64-32 net on 1,000 MNIST digits, then `toModel`
 * fine-tuned to a held-out bar; the model carries the pretrained weights; samples and errors.
 */
import * as dn from "../../mod.ts";
import { mnist } from "../../datasets.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../_util/assert.ts";

await dn.ready({ backend: "wasm" });

// 1,000 training digits, 500 held out: this net fine-tuned 10 epochs reached 0.88 and 0.89 (seeds
// 3 and 4; 0.1 is chance); the bar leaves room for seed-to-seed spread.
const BAR = 0.85;

Deno.test("DBN 784-64-32: pretrain, toModel with the pretrained weights, fine-tune past the bar", async () => {
  const { xTrain, yTrain, xTest, yTest } = await mnist({ trainSize: 1000, testSize: 500 });
  dn.setSeed(3);
  const net = dn.dbn({ layers: [784, 64, 32] });
  const common = { epochs: 3, batchSize: 32, momentum: 0.5, verbose: 0 } as const;
  const histories = await net.pretrain(xTrain, [
    { ...common, learningRate: 0.05 },
    { ...common, learningRate: 0.02, persistent: true },
  ]);
  assertEquals(histories.length, 2);
  for (const h of histories) {
    const loss = h.history.loss;
    assert(loss[2] < loss[0], `reconstruction error falls: ${loss.join(", ")}`);
  }
  const model = net.toModel({ outputUnits: 10 });
  assertEquals(model.layers.map((l) => (l as dn.layers.Dense).units), [64, 32, 10]);
  // The first layer is the first RBM's up pass.
  const probs = net.rbms[0].transform(xTest), first = model.layers[0].apply(xTest) as dn.Tensor;
  assertEquals(first.dataSync(), probs.dataSync());
  model.compile({
    optimizer: dn.optimizers.adam({ learningRate: 3e-3 }),
    loss: "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  await model.fit(xTrain, yTrain, { epochs: 10, batchSize: 32, verbose: 0 });
  const [, accuracy] = await model.evaluate(xTest, yTest);
  console.log(`DBN 784-64-32 fine-tuned on 1,000 digits: held-out accuracy ${accuracy.toFixed(4)}`);
  assert(accuracy >= BAR, `held-out accuracy ${accuracy} < ${BAR}`);
  const samples = net.sample(4, { gibbsSteps: 20, seed: 2 });
  assertEquals(samples.shape, [4, 784]);
  assert(samples.dataSync().every((v) => v >= 0 && v <= 1));
  // Chains started from data: the same seed gives the same samples.
  const from = dn.slice(xTest, [0, 0], [4, 784]);
  const a = net.sample(4, { gibbsSteps: 5, seed: 9, start: from });
  const b = net.sample(4, { gibbsSteps: 5, seed: 9, start: from });
  assertEquals(a.dataSync(), b.dataSync());
  assertThrows(() => net.sample(3, { start: from }), RangeError, "n = 3 rows: got 4");
  for (const t of [from, a, b]) t.dispose();
  for (const t of [xTrain, yTrain, xTest, yTest, probs, first, samples]) t.dispose();
  model.dispose();
  net.dispose();
});

Deno.test("DBN bad input: typed errors", async () => {
  assertThrows(() => dn.dbn({ layers: [784] }), RangeError, "at least two layer sizes");
  assertThrows(() => dn.dbn({ layers: [4, 0] }), RangeError, "layers[1]");
  assertThrows(() => dn.dbn({ layers: [4, 2], units: 3 } as never), TypeError, '"units"');
  const net = dn.dbn({ layers: [4, 3, 2] });
  const x = dn.zeros([2, 5]);
  await assertRejects(() => net.pretrain(x), RangeError, "[n, 4] (the visible units): got [2, 5]");
  await assertRejects(
    () => net.pretrain(dn.zeros([2, 4]), [{}]),
    RangeError,
    "2 (one per RBM): got 1",
  );
  assertThrows(() => net.sample(0), RangeError, '"n"');
  assertThrows(() => net.sample(2, { gibbsSteps: 0 }), RangeError, '"gibbsSteps"');
  assertThrows(() => net.toModel({ outputUnits: 0 }), RangeError, '"outputUnits"');
  x.dispose();
  net.dispose();
});
