/**
 * The same RBM run (two CD-2 updates with momentum and weight decay, then transform, free energy,
 * pseudo-likelihood and Gibbs samples) on every backend: wasm first, then threads (3 threads, every
 * kernel call split) bit for bit equal to it, and webgpu (when an adapter exists) within float32
 * rounding. The draws come from (seed, index) on every backend, so the samples agree too.
 */
import * as dn from "../../mod.ts";
import { activeBackend } from "../../src/backend/select.ts";
import type { ThreadsBackend } from "../../src/backend/threads/threads_backend.ts";
import { probeAdapter } from "../../src/backend/webgpu/device.ts";
import { assertEquals } from "../_util/assert.ts";
import { assertClose } from "../_util/assert_close.ts";
import { webgpuRequired } from "../_util/backends.ts";
import { rng } from "../_util/rng.ts";

// Rows straddle the 4-row tiles, columns the 8- and 4-column tiles.
const [N, NV, NH] = [19, 37, 29];

/** The run on the active backend: every output, read back. */
async function run(): Promise<Float32Array[]> {
  const g = rng(7);
  const r = dn.rbm({ visibleUnits: NV, hiddenUnits: NH });
  const params = [[NV, NH], [NV], [NH]].map((s) =>
    dn.tensor(Float32Array.from({ length: s.reduce((a, b) => a * b) }, () => g() * 0.3), s)
  );
  r.setWeights(params);
  const v = dn.tensor(Float32Array.from({ length: N * NV }, () => (g() > 0 ? 1 : 0)), [N, NV]);
  const out: Float32Array[] = [];
  for (const seed of [11, 12]) {
    const loss = await r.trainOnBatch(v, {
      k: 2,
      learningRate: 0.2,
      momentum: 0.5,
      weightDecay: 1e-3,
      seed,
    });
    out.push(Float32Array.of(loss));
  }
  const results = [
    ...r.getWeights(),
    r.transform(v),
    r.freeEnergy(v),
    r.pseudoLikelihood(v, { seed: 3 }),
    r.gibbs(v, 2, { seed: 4 }),
  ];
  for (const t of results) out.push(await t.data() as Float32Array);
  for (const t of [...results, ...params, v]) t.dispose();
  r.dispose();
  return out;
}

const NAMES = ["loss 1", "loss 2", "W", "vBias", "hBias", "transform", "freeEnergy", "PL", "gibbs"];

await dn.ready({ backend: "wasm" });
const onWasm = await run();

Deno.test("RBM training and inference on threads equal wasm bit for bit", async () => {
  const info = await dn.ready({ backend: "threads", threads: 3 });
  assertEquals(info.name, "threads");
  const threads = activeBackend() as ThreadsBackend;
  await threads.restart({ threads: 3, splitAlways: true });
  const got = await run();
  got.forEach((x, i) => assertEquals(x, onWasm[i], `${NAMES[i]} differs`));
});

const probe = await probeAdapter();
const skip = probe.adapter === null && !webgpuRequired();
Deno.test({
  name: "RBM training and inference on webgpu match wasm within float32 rounding",
  ignore: skip,
  async fn() {
    await dn.ready({ backend: "webgpu" });
    const got = await run();
    // Sums of at most 2·N·NH products of size <= 1 in another order (and fma): a few ulps of
    // those sums; the samples (Bernoulli draws of the same u against probabilities that differ by
    // ulps) agree.
    const tol = { rel: 1e-4, abs: 1e-5 * NV };
    got.forEach((x, i) => assertClose(x, onWasm[i], tol, NAMES[i]));
  },
});
