/**
 * `maskingNoise()`: identity at inference; in training it zeroes about `rate` of the values and
 * leaves the rest unscaled, a fresh mask each call, reproducible from `seed` or `dn.setSeed`;
 * the gradient is the mask; config and save/load round trips; typed errors. (Bitwise values on
 * every backend: tests/ops/suite/cases/autoencoder_layers.ts.)
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

Deno.test("maskingNoise() zeroes a fraction rate of the values in training without rescaling", () => {
  const layer = dn.layers.maskingNoise({ rate: 0.3, seed: 11 });
  using x = dn.tensor(Float32Array.from(randomF32(20000, 3)), [40, 500]);
  assertEquals(layer.call(x, false), x);
  using y = layer.call(x, true);
  const xv = x.dataSync(), yv = y.dataSync();
  let zeroed = 0;
  for (let i = 0; i < xv.length; i++) {
    if (yv[i] === 0) zeroed++;
    else assertEquals(yv[i], xv[i], `kept value [${i}] is not rescaled`);
  }
  // 20000 draws: the zeroed fraction's standard error is sqrt(0.3 * 0.7 / 20000) = 0.0032.
  assert(Math.abs(zeroed / xv.length - 0.3) < 0.015, `zeroed ${zeroed / xv.length}`);
  using y2 = layer.call(x, true);
  assert(y2.dataSync().some((v, i) => v !== yv[i]), "each call draws a new mask");
  using y3 = dn.layers.maskingNoise({ rate: 0.3, seed: 11 }).call(x, true);
  assertEquals(y3.dataSync(), yv);
  using none = dn.layers.maskingNoise({ rate: 0 }).call(x, true);
  assertEquals(none, x);
});

Deno.test("maskingNoise() draws from the global generator (dn.setSeed) without a seed", () => {
  using x = dn.ones([8, 9]);
  const draw = () => {
    dn.setSeed(5);
    using y = dn.layers.maskingNoise({ rate: 0.5 }).call(x, true);
    return [...y.dataSync()];
  };
  const a = draw();
  assertEquals(draw(), a);
  assert(a.includes(0) && a.includes(1), "a mask of zeros and ones");
});

Deno.test("maskingNoise()'s training gradient is its mask", () => {
  const layer = dn.layers.maskingNoise({ rate: 0.4, seed: 2 });
  using x = dn.tensor(Float32Array.from(randomF32(60, 4)), [6, 10]);
  let out: Float32Array | undefined;
  using g = dn.grad((v: dn.Tensor) => {
    const y = layer.call(v, true);
    out = y.dataSync() as Float32Array;
    return dn.sum(y);
  })(x);
  assertEquals([...g.dataSync()], [...out!].map((v) => (v === 0 ? 0 : 1)));
});

Deno.test("maskingNoise() in a model saves, loads and passes through at predict", async () => {
  dn.setSeed(1);
  const model = dn.sequential([
    dn.layers.maskingNoise({ rate: 0.25, seed: 9, inputShape: [6] }),
    dn.layers.dense({ units: 2 }),
  ]);
  const copy = await dn.loadModel(model.toBytes());
  assertEquals(copy.layers[0].className, "MaskingNoise");
  assertEquals(copy.layers[0].getConfig(), model.layers[0].getConfig());
  using x = dn.tensor(Float32Array.from(randomF32(24, 8)), [4, 6]);
  using a = model.predict(x) as dn.Tensor, b = copy.predict(x) as dn.Tensor;
  assertEquals(b.dataSync(), a.dataSync());
  model.dispose();
  copy.dispose();
});

Deno.test("maskingNoise() throws typed errors on a bad rate, unknown keys or a non-tensor", () => {
  for (const rate of [1, -0.1, NaN, "0.3"]) {
    assertThrows(
      () => dn.layers.maskingNoise({ rate } as unknown as dn.layers.MaskingNoiseArgs),
      RangeError,
      'Cannot run maskingNoise(): argument "rate" must be in [0, 1)',
    );
  }
  assertThrows(
    () => dn.layers.maskingNoise({ rate: 0.1, rescale: false } as never),
    TypeError,
    '"rescale" is not known',
  );
  assertThrows(
    () => dn.layers.maskingNoise({ rate: 0.1 }).call([1, 2] as never, true),
    TypeError,
    'argument "x" must be a Tensor',
  );
});
