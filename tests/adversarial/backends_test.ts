/**
 * The attacks and the adversarial training step on threads and webgpu as on wasm: FGSM exact
 * against the float64 analytic gradient, PGD inside the ε-ball and the pixel range, and fit with
 * the adversarial step giving wasm's losses (bitwise on threads, within `Tol.gpu` on webgpu: another
 * summation order). The webgpu run is skipped without an adapter, failed instead under
 * `DENDRITE_REQUIRE_WEBGPU=1`.
 */
import * as dn from "../../mod.ts";
import { assertEquals } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { testWebgpu } from "../_util/backends.ts";
import { checkFgsmExact, checkPgdBounds, softmaxRegression } from "./_softmax_regression.ts";

const { backend: gpu } = await testWebgpu();

/** Three epochs of fit with the FGSM training step; the losses. */
async function adversarialFit(): Promise<number[]> {
  const { model, x, y } = softmaxRegression();
  model.trainStep = dn.adversarial.trainStep(model, { epsilon: 0.1, clipMin: 0, clipMax: 1 });
  const history = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
  for (const t of [model, x, y]) t.dispose();
  return history.history.loss;
}

await dn.ready({ backend: "wasm" });
const wasmLosses = await adversarialFit();

for (const backend of ["threads", "webgpu"] as const) {
  Deno.test({
    name: `dn.adversarial on ${backend}: fgsm exact, pgd in bounds, trainStep as on wasm`,
    ignore: backend === "webgpu" && !gpu,
    fn: async () => {
      await dn.ready({ backend });
      try {
        await checkFgsmExact();
        await checkPgdBounds();
        const losses = await adversarialFit();
        if (backend === "threads") assertEquals(losses, wasmLosses);
        else assertClose(Float32Array.from(losses), Float64Array.from(wasmLosses), Tol.gpu, "loss");
      } finally {
        await dn.ready({ backend: "wasm" });
      }
    },
  });
}
