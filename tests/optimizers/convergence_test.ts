/**
 * End to end: each optimizer minimises a small quadratic through dn.valueAndGrads(), and repeated
 * updates keep memory flat.
 */
import * as dn from "../../mod.ts";
import * as optimizers from "../../src/optimizers/mod.ts";
import { assert, assertEquals } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

const CASES: [string, () => optimizers.Optimizer][] = [
  ["sgd()", () => optimizers.sgd({ learningRate: 0.1 })],
  ["sgd() with momentum", () => optimizers.sgd({ learningRate: 0.05, momentum: 0.9 })],
  [
    "sgd() with nesterov momentum",
    () => optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
  ],
  ["adam()", () => optimizers.adam({ learningRate: 0.05 })],
  ["adam() with cosineDecay", () =>
    optimizers.adam({
      learningRate: optimizers.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 500 }),
    })],
  ["rmsprop()", () => optimizers.rmsprop({ learningRate: 0.01 })],
  ["rmsprop() with exponentialDecay", () =>
    optimizers.rmsprop({
      learningRate: optimizers.schedules.exponentialDecay({
        initialLearningRate: 0.05,
        decaySteps: 100,
        decayRate: 0.5,
      }),
    })],
  // Clipping on SGD: RMSprop and Adam normalise the gradient's scale away, and with a constant
  // rate they end in a limit cycle of size ~lr (RMSprop with clipNorm 0.1 stops 5e-3 away, in
  // the float64 reference as well).
  ["sgd() with clipNorm", () => optimizers.sgd({ learningRate: 0.1, clipNorm: 0.5 })],
  ["adam() with clipValue", () => optimizers.adam({ learningRate: 0.05, clipValue: 0.1 })],
];

const loss = (w: dn.Tensor, target: dn.Tensor) => dn.sum(dn.square(dn.sub(w, target)));
const valueAndGrads = dn.valueAndGrads(loss);

/** One training step: gradients of the loss w.r.t. the weights, applied; temporaries disposed. */
function step(opt: optimizers.Optimizer, weights: dn.Tensor[], targets: dn.Tensor[]): void {
  dn.tidy(() => {
    const grads = weights.map((w, i) => valueAndGrads([w, targets[i]]).grads[0]);
    opt.applyGradients(weights, grads);
  });
}

for (const [name, make] of CASES) {
  Deno.test(`${name} minimises sum((w - target)²) to within 1e-3 in 500 steps`, () => {
    const target = randomF32(7, 5);
    using t = dn.tensor(Float32Array.from(target));
    using w = dn.zeros([7]);
    using opt = make();
    for (let i = 0; i < 500; i++) step(opt, [w], [t]);
    const got = w.dataSync();
    target.forEach((x, i) =>
      assert(Math.abs(got[i] - x) < 1e-3, `${name}: w[${i}] = ${got[i]}, target ${x}`)
    );
  });

  Deno.test(`${name} keeps memory() flat over 1,000 steps on two weights`, () => {
    const shapes = [[17], [3, 5]];
    const targets = shapes.map((s, i) => dn.randomUniform(s, { seed: 10 + i }));
    const weights = shapes.map((s) => dn.zeros(s));
    const opt = make();
    step(opt, weights, targets); // allocates the slots (and the clipping scratch)
    const before = dn.memory();
    for (let i = 0; i < 1000; i++) step(opt, weights, targets);
    assertEquals(dn.memory(), before);
    opt.dispose();
    [...weights, ...targets].forEach((t) => t.dispose());
  });
}

Deno.test("applyGradients() with clipValue keeps memory() flat as gradient sizes vary", () => {
  using opt = optimizers.adam({ clipValue: 0.1 });
  const weights = [dn.zeros([5]), dn.zeros([40]), dn.zeros([3])];
  const targets = weights.map((w) => dn.ones(w.shape));
  step(opt, weights, targets);
  const before = dn.memory();
  for (let i = 0; i < 1000; i++) step(opt, weights, targets);
  assertEquals(dn.memory(), before);
  [...weights, ...targets].forEach((t) => t.dispose());
});
