/**
 * `gaussianNoise()` and `gaussianDropout()`: identity at inference, the noise's moments and its
 * reproducibility (`seed`, `dn.setSeed`) in training, gradients (1 through the added noise, the
 * noise itself through the multiplied one), configs and typed errors.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

function moments(v: ArrayLike<number>): [number, number] {
  let m = 0, s = 0;
  for (let i = 0; i < v.length; i++) m += v[i] / v.length;
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2 / v.length;
  return [m, Math.sqrt(s)];
}

Deno.test("gaussianNoise() passes through at inference and adds N(0, stddev) in training", () => {
  const layer = dn.layers.gaussianNoise({ stddev: 0.3, seed: 7 });
  using x = dn.tensor(Float32Array.from(randomF32(20000, 1)), [100, 200]);
  assertEquals(layer.call(x, false), x);
  using y = layer.call(x, true);
  const xv = x.dataSync(), yv = y.dataSync();
  const [m, s] = moments(yv.map((v, i) => v - xv[i]));
  // 20000 draws: the mean's standard error is 0.3 / 141 = 0.002, the std's 0.0015.
  assert(Math.abs(m) < 0.01 && Math.abs(s - 0.3) < 0.01, `mean ${m} std ${s}`);
  using y2 = layer.call(x, true);
  assert(y2.dataSync().some((v, i) => v !== yv[i]), "each call draws new noise");
  const again = dn.layers.gaussianNoise({ stddev: 0.3, seed: 7 });
  using y3 = again.call(x, true);
  assertEquals(y3.dataSync(), yv);
});

Deno.test("gaussianDropout() multiplies by N(1, sqrt(rate / (1 - rate))) in training", () => {
  const layer = dn.layers.gaussianDropout({ rate: 0.5, seed: 3 });
  using x = dn.fill([100, 200], 2);
  assertEquals(layer.call(x, false), x);
  using y = layer.call(x, true);
  const [m, s] = moments(y.dataSync().map((v) => v / 2));
  assert(Math.abs(m - 1) < 0.03 && Math.abs(s - 1) < 0.03, `mean ${m} std ${s}`);
});

Deno.test("noise layers draw from the global generator (dn.setSeed) without a seed", () => {
  using x = dn.zeros([4, 5]);
  const draw = () => {
    dn.setSeed(42);
    using y = dn.layers.gaussianNoise({ stddev: 1 }).call(x, true);
    return [...y.dataSync()];
  };
  assertEquals(draw(), draw());
});

Deno.test("noise layers' training gradients: 1 through added noise, the noise through multiplied", () => {
  using x = dn.tensor(Float32Array.from(randomF32(30, 2)), [5, 6]);
  for (
    const [layer, expected] of [
      [dn.layers.gaussianNoise({ stddev: 0.5, seed: 1 }), (_y: number, _x: number) => 1],
      [dn.layers.gaussianDropout({ rate: 0.3, seed: 1 }), (y: number, x: number) => y / x],
    ] as const
  ) {
    let out: Float32Array | undefined;
    using g = dn.grad((v: dn.Tensor) => {
      const y = layer.call(v, true);
      out = y.dataSync() as Float32Array;
      return dn.sum(y);
    })(x);
    const xv = x.dataSync(), gv = g.dataSync();
    for (let i = 0; i < 30; i++) {
      const want = expected(out![i], xv[i]);
      assert(Math.abs(gv[i] - want) <= 1e-5 * Math.max(1, Math.abs(want)), `${layer.name} [${i}]`);
    }
  }
});

Deno.test("noise layers' configs rebuild them, and bad arguments throw typed errors", () => {
  const noise = dn.layers.gaussianNoise({ stddev: 0.1, seed: 5 });
  assertEquals(
    new dn.layers.GaussianNoise(noise.getConfig() as unknown as dn.layers.GaussianNoiseArgs)
      .getConfig(),
    noise.getConfig(),
  );
  const drop = dn.layers.gaussianDropout({ rate: 0.25 });
  assertEquals(drop.getConfig().rate, 0.25);
  assertThrows(
    () => dn.layers.gaussianNoise({ stddev: -1 }),
    RangeError,
    'Cannot run gaussianNoise(): argument "stddev" must be >= 0: got -1',
  );
  assertThrows(
    () => dn.layers.gaussianDropout({ rate: 1 }),
    RangeError,
    'Cannot run gaussianDropout(): argument "rate" must be in [0, 1): got 1',
  );
  assertThrows(
    () => dn.layers.gaussianNoise({ stdDev: 1 } as unknown as dn.layers.GaussianNoiseArgs),
    TypeError,
    "stdDev",
  );
});
