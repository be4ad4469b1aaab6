/**
 * `embedding` on webgpu: a tiny model (embedding, flatten, softmax dense) takes a few training
 * steps from the same seed on wasm and on webgpu, which runs the gather forward and its
 * scatter-add backward on the device; the per-epoch losses and the trained table agree.
 *
 * Tolerance 1e-5 relative, as tests/models/cnn_rnn_webgpu_test.ts argues: the backends differ
 * only in summation order, fma contraction and WGSL's exp, a few layers deep over 4 steps, while
 * a wrong row or a lost gradient moves the results by percents. Skipped without an adapter,
 * failed instead under `DENDRITE_REQUIRE_WEBGPU=1`.
 */
import * as dn from "../../mod.ts";
import { assert } from "../_util/assert.ts";
import { assertClose } from "../_util/assert_close.ts";
import { testWebgpu } from "../_util/backends.ts";

const { backend: gpu } = await testWebgpu();
const TOL = { rel: 1e-5, abs: 1e-7 };

/** Token sequences of length 4 over a vocabulary of 6; class 1 when token 5 occurs. */
function data(): { x: Float32Array; y: Float32Array } {
  const x = Float32Array.from({ length: 8 * 4 }, (_, i) => (i * 7 + Math.floor(i / 5)) % 6);
  const y = Float32Array.from(
    { length: 8 },
    (_, s) => x.subarray(4 * s, 4 * s + 4).includes(5) ? 1 : 0,
  );
  return { x, y };
}

/** Per-epoch losses and the trained embedding table on `backend`. */
async function train(backend: "wasm" | "webgpu"): Promise<{ loss: number[]; table: Float32Array }> {
  await dn.ready({ backend });
  dn.setSeed(3);
  const embedding = dn.layers.embedding({ inputDim: 6, outputDim: 3, inputShape: [4] });
  const model = dn.sequential([
    embedding,
    dn.layers.flatten(),
    dn.layers.dense({ units: 2, activation: "softmax" }),
  ]);
  model.compile({
    optimizer: dn.optimizers.sgd({ learningRate: 0.5 }),
    loss: "sparseCategoricalCrossentropy",
  });
  const { x, y } = data();
  using xs = dn.tensor(x, [8, 4]), ys = dn.tensor(y, [8]);
  try {
    const history = await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0 });
    return { loss: history.history.loss, table: await embedding.weights[0].value.data() };
  } finally {
    model.dispose();
  }
}

Deno.test({
  name: "embedding() trains on webgpu with the wasm losses and table",
  ignore: gpu === null,
  fn: async () => {
    try {
      const wasm = await train("wasm"), webgpu = await train("webgpu");
      assert(wasm.loss.every(Number.isFinite), `wasm losses ${wasm.loss}`);
      assertClose(webgpu.loss, wasm.loss, TOL, "per-epoch loss on webgpu vs wasm");
      assertClose(webgpu.table, wasm.table, TOL, "trained embedding table on webgpu vs wasm");
    } finally {
      await dn.ready({ backend: "wasm" });
    }
  },
});
