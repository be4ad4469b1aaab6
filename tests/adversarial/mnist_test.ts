/**
 * Adversarial examples on real digits: an MLP trained on 2,000 MNIST digits loses far more
 * held-out accuracy to FGSM than to random sign noise of the same ε (the perturbation is not
 * random), and the same MLP trained with the adversarial step keeps more accuracy under FGSM.
 */
import * as dn from "../../mod.ts";
import { mnist } from "../../datasets.ts";
import { assert } from "../_util/assert.ts";

await dn.ready({ backend: "wasm" });

const EPS = 0.1;

async function trained(adversarial: boolean, xTrain: dn.Tensor, yTrain: dn.Tensor) {
  dn.setSeed(0);
  const model = dn.sequential([
    dn.layers.dense({ units: 64, activation: "relu", inputShape: [784] }),
    dn.layers.dense({ units: 10, activation: "softmax" }),
  ]);
  model.compile({
    optimizer: dn.optimizers.adam({ learningRate: 2e-3 }),
    loss: "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  if (adversarial) {
    model.trainStep = dn.adversarial.trainStep(model, { epsilon: EPS, clipMin: 0, clipMax: 1 });
  }
  await model.fit(xTrain, yTrain, { epochs: 4, batchSize: 32, verbose: 0 });
  return model;
}

Deno.test("fgsm() lowers MNIST accuracy far more than random sign noise; adversarial training resists it", async () => {
  const { xTrain, yTrain, xTest, yTest } = await mnist({ trainSize: 2_000, testSize: 500 });
  const accuracy = async (model: dn.Sequential, x: dn.Tensor) =>
    (await model.evaluate(x, yTest))[1];
  const baseline = await trained(false, xTrain, yTrain);
  const clean = await accuracy(baseline, xTest);
  dn.setSeed(1);
  using noise = dn.clipByValue(
    dn.add(xTest, dn.mul(dn.sign(dn.randomUniform(xTest.shape, { minval: -1, maxval: 1 })), EPS)),
    0,
    1,
  );
  const noisy = await accuracy(baseline, noise);
  const options = { epsilon: EPS, clipMin: 0, clipMax: 1, batchSize: 500 };
  using adv = dn.adversarial.fgsm(baseline, xTest, yTest, options);
  const attacked = await accuracy(baseline, adv);
  const robust = await trained(true, xTrain, yTrain);
  using advRobust = dn.adversarial.fgsm(robust, xTest, yTest, options);
  const robustClean = await accuracy(robust, xTest);
  const robustAttacked = await accuracy(robust, advRobust);
  console.log(
    `MNIST MLP, eps ${EPS}: baseline clean ${clean}, sign noise ${noisy}, FGSM ${attacked}; adversarially trained clean ${robustClean}, FGSM ${robustAttacked}`,
  );
  assert(clean > 0.85, `clean accuracy ${clean}`);
  assert(noisy > clean - 0.1, `sign noise: ${noisy} vs clean ${clean}`);
  assert(attacked < noisy - 0.3, `FGSM: ${attacked} vs sign noise ${noisy}`);
  assert(robustAttacked > attacked + 0.2, `FGSM on the trained: ${robustAttacked} vs ${attacked}`);
  assert(robustClean > clean - 0.05, `clean: ${robustClean} vs ${clean}`);
  for (const t of [baseline, robust, xTrain, yTrain, xTest, yTest]) t.dispose();
});
