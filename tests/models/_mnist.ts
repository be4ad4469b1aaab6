/**
 * The MNIST bar shared by tests/models/mnist_test.ts (wasm) and mnist_webgpu_test.ts: an MLP
 * 784-128-10 (relu, softmax) trained with Adam (lr 1e-3, batch 32) for 4 epochs from seed 0 must
 * reach held-out accuracy >= 0.93 (the margin is derived in mnist_test.ts).
 */
import * as dn from "../../mod.ts";
import { mnist } from "../../datasets.ts";
import { assert, assertEquals } from "../_util/assert.ts";

/** The held-out accuracy the MLP must reach. */
export const BAR = 0.93;

/**
 * Trains the MLP on the active backend and asserts a falling training loss and the bar; then
 * runs `after` on the trained model and the test set, and disposes everything. `where` goes into
 * the logged line, e.g. `" on webgpu"`.
 */
export async function checkMnistMlp(
  where = "",
  after?: (model: dn.Sequential, xTest: dn.Tensor, yTest: dn.Tensor) => Promise<void>,
): Promise<void> {
  const { xTrain, yTrain, xTest, yTest } = await mnist();
  assertEquals([xTrain.shape, xTest.shape], [[8_000, 784], [2_000, 784]]);
  dn.setSeed(0);
  const model = dn.sequential([
    dn.layers.dense({ units: 128, activation: "relu", inputShape: [784] }),
    dn.layers.dense({ units: 10, activation: "softmax" }),
  ]);
  model.compile({
    optimizer: dn.optimizers.adam({ learningRate: 1e-3 }),
    loss: "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  const history = await model.fit(xTrain, yTrain, { epochs: 4, batchSize: 32, verbose: 0 });
  const loss = history.history.loss;
  assert(loss.every((v, i) => i === 0 || v < loss[i - 1]), `training loss ${loss.join(", ")}`);
  const [testLoss, accuracy] = await model.evaluate(xTest, yTest);
  console.log(
    `MNIST MLP${where}: test loss ${testLoss.toFixed(4)}, test accuracy ${accuracy.toFixed(4)}`,
  );
  assert(accuracy >= BAR, `held-out accuracy ${accuracy} < ${BAR}`);
  await after?.(model, xTest, yTest);
  for (const t of [model, xTrain, yTrain, xTest, yTest]) t.dispose();
}
