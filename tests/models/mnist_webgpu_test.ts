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
import { BAR, checkMnistMlp } from "./_mnist.ts";

const { backend: gpu } = await testWebgpu();

Deno.test({
  name: `an MLP 784-128-10 on webgpu reaches >= ${BAR} held-out accuracy on MNIST in 4 epochs`,
  ignore: gpu === null,
  fn: async () => {
    await dn.ready({ backend: "webgpu" });
    await checkMnistMlp(" on webgpu", async (model, xTest, yTest) => {
      const [batchLoss] = await model.trainOnBatch(xTest, yTest);
      assert(Number.isFinite(batchLoss), `trainOnBatch loss ${batchLoss}`);
    });
    await dn.ready({ backend: "wasm" });
  },
});
