/**
 * Learning-rate schedules against the Keras formulas (keras/optimizers/schedules), their configs,
 * and optimizer configs through JSON.
 */
import * as dn from "../../mod.ts";
import * as optimizers from "../../src/optimizers/mod.ts";
import { assertClose } from "../_util/assert_close.ts";
import { assertEquals } from "../_util/assert.ts";

const { cosineDecay, exponentialDecay, scheduleFromConfig, stepDecay } = optimizers.schedules;
const STEPS = [0, 1, 2, 5, 9, 10, 11, 15, 99, 100, 101, 1000, 2.5];
// The schedules are a handful of f64 operations (pow, cos): a few ulps of the f64 formula.
const F64 = { rel: 8 * 2 ** -53, abs: 0 };

Deno.test("exponentialDecay() gives initial·rate^(step/decaySteps)", () => {
  const lr = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96 });
  assertClose(STEPS.map(lr), STEPS.map((s) => 0.1 * 0.96 ** (s / 10)), F64, "exponentialDecay");
  assertEquals(lr(0), 0.1);
});

Deno.test("exponentialDecay() with staircase floors the exponent", () => {
  const lr = exponentialDecay({
    initialLearningRate: 1,
    decaySteps: 10,
    decayRate: 0.5,
    staircase: true,
  });
  assertEquals([0, 9, 10, 19.5, 20, 35].map(lr), [1, 1, 0.5, 0.5, 0.25, 0.125]);
});

Deno.test("stepDecay() switches after each boundary, as Keras PiecewiseConstantDecay", () => {
  const lr = stepDecay({ initialLearningRate: 1, boundaries: [10, 20], values: [0.5, 0.1] });
  // Keras: values[0] for step <= boundaries[0], values[i] for b[i-1] < step <= b[i], last after.
  const keras = (s: number) => s <= 10 ? 1 : s <= 20 ? 0.5 : 0.1;
  assertEquals(STEPS.map(lr), STEPS.map(keras));
  assertEquals([10, 10.5, 20, 21].map(lr), [1, 0.5, 0.5, 0.1]);
});

Deno.test("stepDecay() without boundaries is constant", () => {
  const lr = stepDecay({ initialLearningRate: 0.3, boundaries: [], values: [] });
  assertEquals(STEPS.map(lr), STEPS.map(() => 0.3));
});

Deno.test("cosineDecay() follows half a cosine to alpha·initial, then stays", () => {
  const lr = cosineDecay({ initialLearningRate: 0.2, decaySteps: 100, alpha: 0.1 });
  const keras = (s: number) => {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * Math.min(s, 100) / 100));
    return 0.2 * ((1 - 0.1) * cosine + 0.1);
  };
  assertClose(STEPS.map(lr), STEPS.map(keras), F64, "cosineDecay");
  assertClose([lr(0), lr(50), lr(100), lr(1e6)], [0.2, 0.11, 0.02, 0.02], F64, "cosineDecay");
});

Deno.test("cosineDecay() defaults alpha to 0", () => {
  const lr = cosineDecay({ initialLearningRate: 1, decaySteps: 4 });
  assertClose([0, 2, 4, 8].map(lr), [1, 0.5, 0, 0], { rel: 0, abs: 1e-16 }, "cosineDecay");
  assertEquals(lr.getConfig(), {
    className: "CosineDecay",
    config: { initialLearningRate: 1, decaySteps: 4, alpha: 0 },
  });
});

Deno.test("scheduleFromConfig() rebuilds every schedule from JSON", () => {
  const schedules = [
    exponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.9, staircase: true }),
    stepDecay({ initialLearningRate: 0.1, boundaries: [2, 7], values: [0.05, 0.01] }),
    cosineDecay({ initialLearningRate: 0.1, decaySteps: 30, alpha: 0.2 }),
  ];
  for (const lr of schedules) {
    const copy = scheduleFromConfig(JSON.parse(JSON.stringify(lr.getConfig())));
    assertEquals(copy.getConfig(), lr.getConfig());
    assertEquals(STEPS.map(copy), STEPS.map(lr));
  }
});

Deno.test("stepDecay() copies its arrays: changing them or a config has no effect", () => {
  const boundaries = [5], values = [0.5];
  const lr = stepDecay({ initialLearningRate: 1, boundaries, values });
  boundaries[0] = 0;
  values[0] = 7;
  (lr.getConfig().config.values as number[])[0] = 9;
  assertEquals([lr(3), lr(6)], [1, 0.5]);
});

Deno.test("learningRate follows the schedule at iterations", () => {
  using w = dn.tensor([1]);
  using g = dn.tensor([1]);
  const lr = stepDecay({ initialLearningRate: 1, boundaries: [0, 1], values: [0.5, 0.25] });
  using opt = optimizers.sgd({ learningRate: lr });
  const seen = [];
  for (let i = 0; i < 4; i++) {
    seen.push(opt.learningRate);
    opt.applyGradients([w], [g]);
  }
  assertEquals(seen, [1, 0.5, 0.25, 0.25]);
  assertEquals([...w.dataSync()], [1 - 1 - 0.5 - 0.25 - 0.25]);
});

Deno.test("fromConfig() rebuilds each optimizer with its schedule from JSON", () => {
  const opts = [
    optimizers.sgd({ learningRate: 0.2, momentum: 0.8, nesterov: true, clipValue: 3 }),
    optimizers.adam({
      learningRate: cosineDecay({ initialLearningRate: 0.01, decaySteps: 5 }),
      beta1: 0.8,
      clipNorm: 1,
    }),
    optimizers.rmsprop({ rho: 0.95, epsilon: 1e-6 }),
  ];
  for (const opt of opts) {
    const saved = JSON.stringify(opt.getConfig());
    const copy = optimizers.fromConfig(JSON.parse(saved));
    assertEquals(copy.constructor, opt.constructor);
    assertEquals(copy.getConfig(), opt.getConfig());
    assertEquals(copy.iterations, 0);
    copy.dispose();
    opt.dispose();
  }
});
