/**
 * sgd() against a float64 model of Keras SGD (tests/_reference/optim.ts), with and without
 * (Nesterov) momentum, clipping and a schedule.
 *
 * Bound (STYLE C9), first order in ε = 2^-24, with C = max(|w|, |v|, lr·|g|) on the model's
 * trajectory. Per step s the kernel's inputs carry: the learning rate rounded to f32 (0.5εC in
 * lr·g) and, with clipNorm, the scale c/norm rounded to f32 and the scaled gradient rounded
 * (2εC); clipValue is exact.
 *   v = μv - lr·g: the previous error (μ < 1), three roundings (3εC), the inputs (2.5εC), so
 *                  |Δv_s| <= 5.5sεC.
 *   w += v:         |Δv_s| + εC;   nesterov w += μv - lr·g: |Δv_s| + 6.5εC;   μ = 0: 4.5εC.
 * Hence |Δw_t| <= εC·Σ_{s<=t} (5.5s + 6.5) = εC·(2.75t(t+1) + 6.5t).
 */
import * as dn from "../../mod.ts";
import * as optimizers from "../../src/optimizers/mod.ts";
import { sgdStep } from "../_reference/optim.ts";
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

function sgdModel(lr: (k: number) => number, momentum: number, nesterov: boolean): () => Model {
  return () => {
    let v: Float64Array | null = null;
    let c = 0, t = 0;
    return {
      step(w, g, k) {
        v ??= new Float64Array(w.length);
        c = Math.max(c, maxAbs(w), lr(k) * maxAbs(g));
        sgdStep(w, g, v, lr(k), Math.fround(momentum), nesterov);
        c = Math.max(c, maxAbs(w), maxAbs(v));
        t++;
      },
      bound: () => EPS32 * c * (2.75 * t * (t + 1) + 6.5 * t),
    };
  };
}

const VARIANTS = [
  { momentum: 0, nesterov: false },
  { momentum: 0.9, nesterov: false },
  { momentum: 0.9, nesterov: true },
] as const;

for (const { momentum, nesterov } of VARIANTS) {
  for (const clip of CLIPS) {
    const name = `sgd() with momentum ${momentum}${nesterov ? " (nesterov)" : ""}${clipName(clip)}`;
    Deno.test(`${name} matches the Keras formula over 6 steps`, () => {
      const opt = optimizers.sgd({ learningRate: 0.1, momentum, nesterov, ...clip });
      checkAgainstModel(name, opt, sgdModel(() => 0.1, momentum, nesterov), clip as Clip);
    });
  }
}

Deno.test("sgd() with an exponentialDecay schedule uses the rate of step iterations", () => {
  const options = { initialLearningRate: 0.2, decaySteps: 2, decayRate: 0.5 };
  const lr = optimizers.schedules.exponentialDecay(options);
  const opt = optimizers.sgd({ learningRate: lr, momentum: 0.5, nesterov: true });
  const keras = (k: number) => 0.2 * 0.5 ** (k / 2);
  checkAgainstModel("sgd() with exponentialDecay", opt, sgdModel(keras, 0.5, true), {});
});

Deno.test("sgd() with learning rate 0 leaves the weights unchanged", () => {
  using w = dn.tensor([1, -2, 3]);
  using g = dn.tensor([5, 5, 5]);
  using opt = optimizers.sgd({ learningRate: 0, momentum: 0.9 });
  opt.applyGradients([w], [g]);
  opt.applyGradients([w], [g]);
  assertEquals([...w.dataSync()], [1, -2, 3]);
});

Deno.test("sgd() without momentum keeps no state", () => {
  using w = dn.tensor([1, 2]);
  using g = dn.tensor([1, 1]);
  using opt = optimizers.sgd();
  const before = dn.memory();
  opt.applyGradients([w], [g]);
  assertEquals(dn.memory(), before);
  assertEquals(opt.getConfig(), {
    className: "SGD",
    config: { learningRate: 0.01, momentum: 0, nesterov: false },
  });
});

Deno.test("sgd() with momentum keeps one velocity per weight, freed by dispose()", () => {
  using w = dn.tensor([1, 2]);
  using g = dn.tensor([1, 1]);
  const opt = optimizers.sgd({ momentum: 0.5 });
  const before = dn.memory();
  opt.applyGradients([w], [g]);
  assertEquals(dn.memory().numTensors, before.numTensors + 1);
  opt.applyGradients([w], [g]);
  assertEquals(dn.memory().numTensors, before.numTensors + 1);
  opt.dispose();
  assertEquals(dn.memory(), before);
});

Deno.test("sgd() frees the velocity of a weight disposed between updates", () => {
  using g = dn.tensor([1, 1]);
  using opt = optimizers.sgd({ momentum: 0.5 });
  const before = dn.memory();
  for (let i = 0; i < 3; i++) {
    using w = dn.tensor([1, 2]);
    opt.applyGradients([w], [g]);
  }
  using w = dn.tensor([1, 2]);
  opt.applyGradients([w], [g]);
  assertEquals(dn.memory().numTensors, before.numTensors + 2); // w and its velocity
});

Deno.test("sgd() skips an empty weight", () => {
  using w = dn.zeros([0, 3]);
  using g = dn.zeros([0, 3]);
  using opt = optimizers.sgd({ momentum: 0.9 });
  opt.applyGradients([w], [g]);
  assertEquals(opt.iterations, 1);
});
