/**
 * A small functional model (two inputs, a shared dense layer, two outputs) trains on webgpu from
 * the same seed as on wasm, with per-epoch losses within 1e-5 relative (the tolerance and its
 * reasons as in cnn_rnn_webgpu_test.ts: same f32 math, other summation order). Skipped without an
 * adapter, failed instead under `DENDRITE_REQUIRE_WEBGPU=1`.
 */
import * as dn from "../../mod.ts";
import { assert } from "../_util/assert.ts";
import { testWebgpu } from "../_util/backends.ts";

const { backend: gpu } = await testWebgpu();

async function losses(backend: "wasm" | "webgpu"): Promise<number[]> {
  await dn.ready({ backend });
  dn.setSeed(7);
  const a = dn.input({ shape: [3], name: "a" }), b = dn.input({ shape: [3], name: "b" });
  const shared = dn.layers.dense({ units: 4, activation: "tanh" });
  const outA = dn.layers.dense({ units: 1, name: "outA" }).apply(
    shared.apply(a),
  );
  const outB = dn.layers.dense({ units: 1, name: "outB" }).apply(
    shared.apply(b),
  );
  const model = dn.model({ inputs: [a, b], outputs: [outA, outB] });
  model.compile({ optimizer: "adam", loss: "meanSquaredError" });
  const values = Float32Array.from({ length: 48 }, (_, i) => Math.sin(i));
  const xa = dn.tensor(values.slice(0, 24), [8, 3]), xb = dn.tensor(values.slice(24), [8, 3]);
  const ya = dn.sum(xa, 1, true), yb = dn.sum(xb, 1, true);
  try {
    const history = await model.fit([xa, xb], [ya, yb], { epochs: 3, batchSize: 4, verbose: 0 });
    return history.history.loss;
  } finally {
    for (const t of [model, xa, xb, ya, yb]) t.dispose();
  }
}

Deno.test({
  name: "a two-input, two-output functional model trains on webgpu as on wasm",
  ignore: gpu === null,
  async fn() {
    const want = await losses("wasm");
    const got = await losses("webgpu");
    await dn.ready({ backend: "wasm" });
    want.forEach((w, i) =>
      assert(Math.abs(got[i] - w) <= 1e-5 * Math.abs(w), `epoch ${i}: ${got[i]} vs ${w}`)
    );
  },
});
