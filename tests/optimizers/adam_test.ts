/**
 * adam() against a float64 model of Keras Adam (tests/_reference/optim.ts): moments m, v, and
 * alpha = lr·sqrt(1 - β2ᵗ) / (1 - β1ᵗ) at t = iterations + 1, with clipping and a schedule.
 *
 * Bound (STYLE C9), first order in ε = 2^-24, per element. With G the largest |g| it has seen,
 * |m| <= G and v >= (1-β2)β2^(t-1)G², so lrT·|m| / sqrt(v) <= A_t, with
 * A_t = lrT / sqrt((1-β2)β2^(t-1)).
 * As tests/kernels/optim_test.ts derives, step t adds ε|w| + (5.5 + 3t)εA_t to |Δw| (lrT rounded
 * to f32, the update's operations, and the moments' accumulated errors); clipNorm's scaled
 * gradient (2ε relative) adds 2εA_t through m and 2εA_t through sqrt(v): (9.5 + 3t)εA_t.
 */
import * as dn from "../../mod.ts";
import * as optimizers from "../../src/optimizers/mod.ts";
import { adamStep } from "../_reference/optim.ts";
import { assert, assertEquals } from "../_util/assert.ts";
import {
  checkAgainstModel,
  type Clip,
  clipName,
  CLIPS,
  EPS32,
  maxAbs,
  type Model,
} from "./_harness.ts";

interface Hyper {
  beta1: number;
  beta2: number;
  epsilon: number;
}

function adamModel(lr: (k: number) => number, { beta1, beta2, epsilon }: Hyper): () => Model {
  const b1 = Math.fround(beta1), b2 = Math.fround(beta2), eps = Math.fround(epsilon);
  return () => {
    let m: Float64Array | null = null, v: Float64Array | null = null;
    let peakW = 0, sum = 0, t = 0;
    return {
      step(w, g, k) {
        m ??= new Float64Array(w.length);
        v ??= new Float64Array(w.length);
        t = k + 1;
        peakW = Math.max(peakW, maxAbs(w));
        adamStep(w, g, m, v, { lr: lr(k), beta1: b1, beta2: b2, epsilon: eps }, t);
        peakW = Math.max(peakW, maxAbs(w));
        const lrT = lr(k) * Math.sqrt(1 - b2 ** t) / (1 - b1 ** t);
        sum += (9.5 + 3 * t) * lrT / Math.sqrt((1 - b2) * b2 ** (t - 1));
      },
      bound: () => EPS32 * (t * peakW + sum),
    };
  };
}

const HYPERS: Hyper[] = [
  { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  { beta1: 0.5, beta2: 0.99, epsilon: 1e-3 },
];

for (const hyper of HYPERS) {
  for (const clip of CLIPS) {
    const name = `adam() with beta1 ${hyper.beta1}, beta2 ${hyper.beta2}, epsilon ${hyper.epsilon}${
      clipName(clip)
    }`;
    Deno.test(`${name} matches the Keras formula over 6 steps`, () => {
      const opt = optimizers.adam({ learningRate: 0.05, ...hyper, ...clip });
      checkAgainstModel(name, opt, adamModel(() => 0.05, hyper), clip as Clip);
    });
  }
}

Deno.test("adam() with a cosineDecay schedule uses the rate of step iterations", () => {
  const lr = optimizers.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 4 });
  const opt = optimizers.adam({ learningRate: lr });
  const keras = (k: number) => 0.1 * 0.5 * (1 + Math.cos(Math.PI * Math.min(k, 4) / 4));
  checkAgainstModel("adam() with cosineDecay", opt, adamModel(keras, HYPERS[0]), {});
});

Deno.test("adam() has the Keras defaults", () => {
  using opt = optimizers.adam();
  assertEquals(opt.getConfig(), {
    className: "Adam",
    config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  });
});

Deno.test("adam() moves each weight by about lr on the first step (bias correction)", () => {
  using w = dn.tensor([0, 0, 0]);
  using g = dn.tensor([0.5, -2, 300]);
  using opt = optimizers.adam({ learningRate: 0.01 });
  opt.applyGradients([w], [g]);
  const got = w.dataSync();
  [-0.01, 0.01, -0.01].forEach((e, i) =>
    assert(Math.abs(got[i] - e) < 1e-6, `w[${i}] = ${got[i]}`)
  );
});

Deno.test("adam() keeps two moments per weight, freed by dispose()", () => {
  using a = dn.tensor([1, 2]);
  using b = dn.tensor([[1], [2], [3]]);
  using ga = dn.tensor([1, 1]);
  using gb = dn.tensor([[1], [1], [1]]);
  const opt = optimizers.adam();
  const before = dn.memory();
  opt.applyGradients([a, b], [ga, gb]);
  assertEquals(dn.memory().numTensors, before.numTensors + 4);
  assertEquals(dn.memory().numBytes, before.numBytes + 2 * 4 * (2 + 3));
  opt.dispose();
  assertEquals(dn.memory(), before);
});
