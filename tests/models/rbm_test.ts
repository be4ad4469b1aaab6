/**
 * Restricted Boltzmann machines on the wasm backend: CD-1 learns bars and stripes, free energy,
 * pseudo-likelihood and one CD-k update against float64 references given the same draws, typed
 * errors, callbacks, and the safetensors round trip.
 */
import { assert, assertEquals, assertRejects, assertThrows } from "../_util/assert.ts";
import * as dn from "../../mod.ts";
import { assertClose, type Tolerance } from "../_util/assert_close.ts";
import { rng } from "../_util/rng.ts";
import {
  cdUpdate,
  freeEnergy,
  pseudoLikelihood,
  type RbmParams,
  type RbmVelocity,
} from "../_reference/rbm.ts";

await dn.ready({ backend: "wasm" });

/** The 4x4 bars-and-stripes patterns: every on/off choice of the rows, and of the columns. */
function barsAndStripes(): number[][] {
  const out: number[][] = [];
  for (let m = 0; m < 16; m++) {
    const rows: number[] = [], cols: number[] = [];
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        rows.push((m >> r) & 1);
        cols.push((m >> c) & 1);
      }
    }
    out.push(rows, cols);
  }
  return out;
}

/** Random parameters, written to `r` and returned in float64. */
function randomParams(r: dn.Rbm, seed: number, scale = 0.5): RbmParams {
  const g = rng(seed);
  const [nv, nh] = [r.visibleUnits, r.hiddenUnits];
  const w = Float32Array.from({ length: nv * nh }, () => g() * scale);
  const b = Float32Array.from({ length: nv }, () => g() * scale);
  const c = Float32Array.from({ length: nh }, () => g() * scale);
  const ts = [dn.tensor(w, [nv, nh]), dn.tensor(b), dn.tensor(c)];
  r.setWeights(ts);
  ts.forEach((t) => t.dispose());
  return {
    visible: nv,
    hidden: nh,
    gaussian: r.visibleType === "gaussian",
    w: Float64Array.from(w),
    b: Float64Array.from(b),
    c: Float64Array.from(c),
  };
}

function binary(n: number, seed: number): Float32Array {
  const g = rng(seed);
  return Float32Array.from({ length: n }, () => (g() > 0 ? 1 : 0));
}

/** f32 dot products of `terms` terms of size <= `size` against float64. */
const dotTol = (terms: number, size = 1): Tolerance => ({
  rel: 4 * terms * 2 ** -24,
  abs: 4 * terms * size * 2 ** -24,
});

Deno.test("CD-1 on 4x4 bars and stripes: Gibbs samples from noise are valid patterns >= 90%", async () => {
  dn.setSeed(1);
  const patterns = barsAndStripes();
  const valid = new Set(patterns.map((p) => p.join("")));
  const x = dn.tensor(patterns);
  const r = dn.rbm({ visibleUnits: 16, hiddenUnits: 32, initStdDev: 0.1 });
  const history = await r.fit(x, {
    epochs: 1500,
    batchSize: 8,
    learningRate: 0.1,
    momentum: 0.5,
    verbose: 0,
  });
  assertEquals(history.history.loss.length, 1500);
  assert(history.history.loss[1499] < history.history.loss[0] / 10, "reconstruction error falls");
  const n = 500;
  const noise = dn.randomBernoulli(dn.fill([n, 16], 0.5), 3);
  const samples = r.gibbs(noise, 100, { seed: 5 });
  const d = samples.dataSync();
  let ok = 0;
  for (let i = 0; i < n; i++) if (valid.has(d.subarray(i * 16, i * 16 + 16).join(""))) ok++;
  assert(ok / n >= 0.9, `valid samples ${ok / n} < 0.9`);
  for (const t of [x, noise, samples]) t.dispose();
  r.dispose();
});

Deno.test("freeEnergy and pseudoLikelihood match float64 references (Bernoulli and Gaussian)", () => {
  const [n, nv, nh] = [9, 13, 7];
  for (const visibleType of ["bernoulli", "gaussian"] as const) {
    const r = dn.rbm({ visibleUnits: nv, hiddenUnits: nh, visibleType });
    const p = randomParams(r, 11);
    const data = visibleType === "bernoulli" ? binary(n * nv, 12) : Float32Array.from(
      { length: n * nv },
      rng(13),
    );
    const v = dn.tensor(data, [n, nv]);
    const fe = r.freeEnergy(v);
    assertEquals(fe.shape, [n]);
    // Each free energy sums nh softplus of nv-term dot products and nv visible terms.
    assertClose(fe.dataSync(), freeEnergy(p, data, n), dotTol(nv * nh + nv, 4), `${visibleType} F`);
    if (visibleType === "bernoulli") {
      const indices = Array.from({ length: n }, (_, i) => (i * 5) % nv);
      const pl = r.pseudoLikelihood(v, { indices });
      assertClose(
        pl.dataSync(),
        pseudoLikelihood(p, data, n, indices),
        dotTol(nv * nh, 8 * nv),
        "PL",
      );
      assert(pl.dataSync().every((x) => x <= 0));
      // Drawn indices: the same seed gives the same flips.
      const a = r.pseudoLikelihood(v, { seed: 4 }), b = r.pseudoLikelihood(v, { seed: 4 });
      assertEquals(a.dataSync(), b.dataSync());
      for (const t of [pl, a, b]) t.dispose();
    } else {
      assertThrows(() => r.pseudoLikelihood(v), TypeError, '"bernoulli"');
    }
    fe.dispose();
    v.dispose();
    r.dispose();
  }
});

Deno.test("one CD-k update (k = 1, 3) with momentum and weight decay matches float64 given the same draws", async () => {
  const [n, nv, nh] = [6, 11, 9];
  for (const k of [1, 3]) {
    const r = dn.rbm({ visibleUnits: nv, hiddenUnits: nh });
    const p = randomParams(r, 21 + k);
    const vel: RbmVelocity = {
      w: new Float64Array(nv * nh),
      b: new Float64Array(nv),
      c: new Float64Array(nh),
    };
    const opts = { k, lr: 0.3, momentum: 0.6, decay: 0.01 };
    for (const [step, seed] of [[0, 1234], [1, 99]]) {
      const data = Float32Array.from({ length: n * nv }, (_, i) => ((i * 7 + step) % 5) / 4);
      const v = dn.tensor(data, [n, nv]);
      const loss = await r.trainOnBatch(v, {
        k,
        learningRate: opts.lr,
        momentum: opts.momentum,
        weightDecay: opts.decay,
        seed,
      });
      const want = cdUpdate(p, vel, data, n, { ...opts, seed });
      assertClose([loss], [want], dotTol(nh * 4, 4), `k=${k} step ${step} loss`);
      const [w, b, c] = r.getWeights();
      // Two steps: the second starts from the first one's (f32) weights and velocity.
      const tol = dotTol(4 * n * nh, 2);
      assertClose(w.dataSync(), p.w, tol, `k=${k} step ${step} W`);
      assertClose(b.dataSync(), p.b, tol, `k=${k} step ${step} b`);
      assertClose(c.dataSync(), p.c, tol, `k=${k} step ${step} c`);
      for (const t of [v, w, b, c]) t.dispose();
    }
    r.dispose();
  }
});

Deno.test("persistent CD and momentum train bars and stripes too; earlyStopping watches the loss", async () => {
  dn.setSeed(2);
  const x = dn.tensor(barsAndStripes());
  const r = dn.rbm({ visibleUnits: 16, hiddenUnits: 16, initStdDev: 0.1 });
  const seen: number[] = [];
  const history = await r.fit(x, {
    epochs: 400,
    batchSize: 7, // a smaller last batch takes the chain's first rows
    k: 2,
    persistent: true,
    momentum: 0.5,
    weightDecay: 1e-4,
    verbose: 0,
    callbacks: [
      { onEpochEnd: (e) => void seen.push(e) },
      dn.callbacks.earlyStopping({ monitor: "loss", patience: 5, minDelta: 1e-3 }),
    ],
  });
  const losses = history.history.loss;
  assert(losses.length < 400, `early stopping ended training (${losses.length} epochs)`);
  assertEquals(seen.length, losses.length);
  assert(losses.at(-1)! < losses[0] / 3, `loss ${losses[0]} -> ${losses.at(-1)}`);
  x.dispose();
  r.dispose();
});

Deno.test("RBM bad input: typed errors naming what was expected", async () => {
  const r = dn.rbm({ visibleUnits: 4, hiddenUnits: 3 });
  const wrong = dn.zeros([2, 5]);
  for (const f of [() => r.transform(wrong), () => r.gibbs(wrong), () => r.freeEnergy(wrong)]) {
    assertThrows(f, RangeError, "[n, 4] (the visible units): got [2, 5]");
  }
  await assertRejects(() => r.fit(wrong), RangeError, "[n, 4]");
  const x = dn.tensor([[0, 1, 1, 0], [1, 0, 0.5, 1]]);
  await assertRejects(() => r.fit(x, { k: 0 }), RangeError, '"k" must be a positive integer');
  await assertRejects(() => r.fit(x, { momentum: 1 }), RangeError, '"momentum" must be in [0, 1)');
  await assertRejects(() => r.fit(x, { lr: 0.1 } as never), TypeError, 'option "lr" is not known');
  await assertRejects(
    () => r.fit(x, { checkBinary: true, verbose: 0 }),
    RangeError,
    "0 or 1 (checkBinary): got 0.5 at [1, 2]",
  );
  const nan = dn.tensor([[0, NaN, 1, 0]]);
  await assertRejects(() => r.fit(nan, { verbose: 0 }), RangeError, "finite: got NaN at [0, 1]");
  const big = dn.tensor([[0, 2, 1, 0]]);
  await assertRejects(() => r.fit(big, { verbose: 0 }), RangeError, "in [0, 1] for Bernoulli");
  await assertRejects(() => r.trainOnBatch(x, { k: 1.5 }), RangeError, '"k"');
  assertThrows(() => r.gibbs(x, 0), RangeError, '"steps"');
  assertThrows(() => r.pseudoLikelihood(x, { indices: [0, 4] }), RangeError, "[0, 4)");
  assertThrows(() => dn.rbm({ visibleUnits: 0, hiddenUnits: 3 }), RangeError, "visibleUnits");
  assertThrows(
    () => dn.rbm({ visibleUnits: 3, hiddenUnits: 3, visibleType: "binary" as never }),
    TypeError,
    "visibleType",
  );
  assertThrows(
    () => dn.rbm({ visibleUnits: 3, hiddenUnits: 3, units: 2 } as never),
    TypeError,
    "units",
  );
  assertThrows(() => r.setWeights([wrong]), RangeError, "3 tensors");
  for (const t of [wrong, x, nan, big]) t.dispose();
  r.dispose();
});

Deno.test("RBM save and load round trip (bytes and path), and a wrong file is refused", async () => {
  dn.setSeed(5);
  const r = dn.rbm({ visibleUnits: 6, hiddenUnits: 4, visibleType: "gaussian" });
  randomParams(r, 31);
  const back = await dn.loadRbm(r.toBytes());
  assertEquals(back.getConfig(), r.getConfig());
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  await r.save(path);
  const fromFile = await dn.loadRbm(path);
  const v = dn.tensor(Float32Array.from({ length: 18 }, rng(32)), [3, 6]);
  const want = r.reconstruct(v).dataSync();
  assertEquals(back.reconstruct(v).dataSync(), want);
  assertEquals(fromFile.reconstruct(v).dataSync(), want);
  const model = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3] })]);
  await assertRejects(() => dn.loadRbm(model.toBytes()), TypeError, '"dendrite.rbm"');
  await Deno.remove(path);
  for (const m of [r, back, fromFile]) m.dispose();
  v.dispose();
  model.dispose();
});
