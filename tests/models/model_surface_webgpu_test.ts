/**
 * Freezing, cloning, a custom `trainStep` and `predict` under `dn.grad` on threads and webgpu as
 * on wasm: the same logs (1e-5 relative on webgpu, other summation order; bitwise on threads),
 * a frozen layer and a clone's original bitwise unchanged, the recorded input gradient the same.
 * The webgpu run is skipped without an adapter, failed instead under `DENDRITE_REQUIRE_WEBGPU=1`.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals } from "../_util/assert.ts";
import { testWebgpu } from "../_util/backends.ts";

const { backend: gpu } = await testWebgpu();

async function read(ts: dn.Tensor[]): Promise<number[][]> {
  return await Promise.all(ts.map(async (t) => [...await t.data()]));
}

/** Runs the scenario on `backend`; returns the losses, the input gradient and what must not move. */
async function scenario(backend: "wasm" | "threads" | "webgpu") {
  await dn.ready({ backend });
  dn.setSeed(11);
  const frozen = dn.layers.dense({
    units: 4,
    activation: "tanh",
    inputShape: [3],
    trainable: false,
  });
  const model = dn.sequential([frozen, dn.layers.dense({ units: 1 })]);
  model.compile({ optimizer: dn.optimizers.sgd({ learningRate: 0.1 }), loss: "meanSquaredError" });
  const values = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i));
  const x = dn.tensor(values, [8, 3]), y = dn.sum(x, 1, true);
  const clone = dn.cloneModel(model);
  const frozenBefore = await read(frozen.getWeights());
  const cloneBefore = await read(clone.getWeights());
  model.trainStep = ([xb], [yb]) => {
    const weights = model.trainableWeights;
    const { value, grads } = dn.valueAndGrads(() =>
      dn.losses.meanSquaredError(yb, model.apply(dn.mul(xb, 0.5), { training: true }))
    )(weights);
    model.optimizer.applyGradients(weights, grads);
    return { loss: value, half: 0.5 };
  };
  try {
    const history = await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
    assertEquals(history.history.half, [0.5, 0.5, 0.5]);
    assertEquals(await read(frozen.getWeights()), frozenBefore);
    assertEquals(await read(clone.getWeights()), cloneBefore);
    const g = dn.grad((t: dn.Tensor) => dn.sum(dn.square(model.predict(t, { batchSize: 3 }))))(x);
    return { losses: history.history.loss, grad: [...await g.data()] };
  } finally {
    for (const t of [model, clone, x, y]) t.dispose();
  }
}

function close(got: number[], want: number[], tol: number, what: string): void {
  want.forEach((w, i) =>
    assert(
      Math.abs(got[i] - w) <= tol * Math.max(1e-3, Math.abs(w)),
      `${what} ${i}: ${got[i]} vs ${w}`,
    )
  );
}

Deno.test("freezing, cloning, a custom trainStep and predict under grad on threads as on wasm", async () => {
  const want = await scenario("wasm");
  assert(want.grad.some((v) => v !== 0));
  const got = await scenario("threads");
  await dn.ready({ backend: "wasm" });
  assertEquals(got, want);
});

Deno.test({
  name: "freezing, cloning, a custom trainStep and predict under grad on webgpu as on wasm",
  ignore: gpu === null,
  async fn() {
    const want = await scenario("wasm");
    const got = await scenario("webgpu");
    await dn.ready({ backend: "wasm" });
    close(got.losses, want.losses, 1e-5, "loss");
    close(got.grad, want.grad, 1e-4, "grad");
  },
});
