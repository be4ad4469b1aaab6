/**
 * rmsprop() against a float64 model of Keras RMSprop without momentum, not centered
 * (tests/_reference/optim.ts), with clipping and a schedule.
 *
 * Bound (STYLE C9), first order in ε = 2^-24, per element. As ms >= (1-ρ)g², the update
 * lr·|g| / (sqrt(ms) + ε) is at most A = lr / sqrt(1-ρ). As tests/kernels/optim_test.ts derives,
 * step t adds ε|w| + (4.5 + t)εA to |Δw| (the update's operations and ms's accumulated relative
 * error (2t + 1)ε, halved by the square root); the learning rate rounded to f32 adds 0.5εA and
 * clipNorm's scaled gradient (2ε relative) 2εA through g and 2εA through sqrt(ms): (9 + t)εA.
 */
import * as dn from "../../mod.ts";
import * as optimizers from "../../src/optimizers/mod.ts";
import { rmspropStep } from "../_reference/optim.ts";
import { assertEquals } from "../_util/assert.ts";
import {
  checkAgainstModel,
  type Clip,
  clipName,
  CLIPS,
  EPS32,
  maxAbs,
  type Model,
} from "./_harness.ts";

function rmspropModel(lr: (k: number) => number, rho: number, epsilon: number): () => Model {
  const r = Math.fround(rho), eps = Math.fround(epsilon);
  return () => {
    let ms: Float64Array | null = null;
    let peakW = 0, sum = 0, t = 0;
    return {
      step(w, g, k) {
        ms ??= new Float64Array(w.length);
        t = k + 1;
        peakW = Math.max(peakW, maxAbs(w));
        rmspropStep(w, g, ms, lr(k), r, eps);
        peakW = Math.max(peakW, maxAbs(w));
        sum += (9 + t) * lr(k) / Math.sqrt(1 - r);
      },
      bound: () => EPS32 * (t * peakW + sum),
    };
  };
}

for (const { rho, epsilon } of [{ rho: 0.9, epsilon: 1e-7 }, { rho: 0.5, epsilon: 1e-2 }]) {
  for (const clip of CLIPS) {
    const name = `rmsprop() with rho ${rho}, epsilon ${epsilon}${clipName(clip)}`;
    Deno.test(`${name} matches the Keras formula over 6 steps`, () => {
      const opt = optimizers.rmsprop({ learningRate: 0.01, rho, epsilon, ...clip });
      checkAgainstModel(name, opt, rmspropModel(() => 0.01, rho, epsilon), clip as Clip);
    });
  }
}

Deno.test("rmsprop() with a stepDecay schedule uses the rate of step iterations", () => {
  const lr = optimizers.schedules.stepDecay({
    initialLearningRate: 0.01,
    boundaries: [1, 3],
    values: [0.005, 0.001],
  });
  const opt = optimizers.rmsprop({ learningRate: lr });
  const keras = (k: number) => k <= 1 ? 0.01 : k <= 3 ? 0.005 : 0.001;
  checkAgainstModel("rmsprop() with stepDecay", opt, rmspropModel(keras, 0.9, 1e-7), {});
});

Deno.test("rmsprop() has the Keras defaults", () => {
  using opt = optimizers.rmsprop();
  assertEquals(opt.getConfig(), {
    className: "RMSprop",
    config: { learningRate: 0.001, rho: 0.9, epsilon: 1e-7 },
  });
});

Deno.test("rmsprop() keeps one mean square per weight, freed by dispose()", () => {
  using w = dn.tensor([1, 2, 3]);
  using g = dn.tensor([1, 1, 1]);
  const opt = optimizers.rmsprop();
  const before = dn.memory();
  opt.applyGradients([w], [g]);
  opt.applyGradients([w], [g]);
  assertEquals(dn.memory().numTensors, before.numTensors + 1);
  opt.dispose();
  assertEquals(dn.memory(), before);
});
