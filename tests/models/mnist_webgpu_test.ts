/**
 * The MNIST bar of tests/models/mnist_test.ts on the webgpu backend: the same MLP 784-128-10
 * (relu, softmax), Adam lr 1e-3, batch 32, 4 epochs, seed 0, held-out accuracy >= 0.93. The
 * GPU programs sum in other orders (and may use fma), so the weights differ from the wasm run in
 * the last bits and the accuracy by a few digits at most; the bar has a margin of 9+ digits. On
 * llvmpipe (software WebGPU, CI) it takes ~30 s: one readback per batch (loss and accuracy packed
 * into one tensor) and the barrier-free GEMM. Skipped without an adapter, failed instead under
 * `DENDRITE_REQUIRE_WEBGPU=1`.
 */
import * as dn from "../../mod.ts";
import { assert } from "../_util/assert.ts";
import { testWebgpu } from "../_util/backends.ts";

const BAR = 0.93;
const { backend: gpu } = await testWebgpu();

Deno.test({
  name: `an MLP 784-128-10 on webgpu reaches >= ${BAR} held-out accuracy on MNIST in 4 epochs`,
  ignore: gpu === null,
  fn: async () => {
    await dn.ready({ backend: "webgpu" });
    const { xTrain, yTrain, xTest, yTest } = await dn.datasets.mnist();
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
      `MNIST MLP on webgpu: test loss ${testLoss.toFixed(4)}, test accuracy ${accuracy.toFixed(4)}`,
    );
    assert(accuracy >= BAR, `held-out accuracy ${accuracy} < ${BAR}`);
    const [batchLoss] = await model.trainOnBatch(xTest, yTest);
    assert(Number.isFinite(batchLoss), `trainOnBatch loss ${batchLoss}`);
    for (const t of [model, xTrain, yTrain, xTest, yTest]) t.dispose();
    await dn.ready({ backend: "wasm" });
  },
});
