/**
 * adagrad(), adadelta(), adamax(), nadam() and adamw() against float64 models of the Keras 3
 * formulas (tests/_reference/optim.ts), with each clipping case, over 6 steps; their Keras
 * defaults, configs and bad options.
 *
 * Bound (STYLE C9), first order in ε = 2^-24, per element: each update is a chain of at most 12
 * f32 operations (a rounding each) on the state, whose own relative error grows by a few ε per
 * step (a decay, an add, a square); so step t adds ε|w| (the subtraction) and (12 + 3t)·ε·U,
 * U the step's largest update magnitude in the model, plus 2ε·U for the f32 learning rate and
 * clipNorm's scaled gradient. Adadelta's Δ carries the errors of two square roots of states
 * (both ~(2t + 1)ε/2) into its own state, so its (12 + 3t) is doubled.
 */
import * as dn from "../../mod.ts";
import * as optimizers from "../../src/optimizers/mod.ts";
import * as ref from "../_reference/optim.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";
import {
  checkAgainstModel,
  type Clip,
  clipName,
  CLIPS,
  EPS32,
  maxAbs,
  type Model,
} from "./_harness.ts";

type Step = (w: Float64Array, g: Float64Array, s: Float64Array[], t: number) => void;

/** A model from a reference step over `slots` state arrays; `growth` scales the per-step term. */
function model(slots: number, step: Step, growth = 1): () => Model {
  return () => {
    let state: Float64Array[] | null = null;
    let peakW = 0, sum = 0, t = 0;
    return {
      step(w, g, k) {
        state ??= Array.from({ length: slots }, () => new Float64Array(w.length));
        t = k + 1;
        const before = Float64Array.from(w);
        peakW = Math.max(peakW, maxAbs(w));
        step(w, g, state, t);
        peakW = Math.max(peakW, maxAbs(w));
        sum += (14 + 3 * t * growth) * maxAbs(before.map((v, i) => v - w[i]));
      },
      bound: () => EPS32 * (t * peakW + sum),
    };
  };
}

const f = Math.fround;
const adam = { lr: 0.01, beta1: f(0.9), beta2: f(0.999), epsilon: f(1e-7) };

const CASES: { name: string; make: (clip: Clip) => optimizers.Optimizer; model: () => Model }[] = [
  {
    name: "adagrad() with initialAccumulatorValue 0.1",
    make: (clip) => optimizers.adagrad({ learningRate: 0.01, ...clip }),
    model: model(1, (w, g, [acc], t) => {
      if (t === 1) acc.fill(f(0.1));
      ref.adagradStep(w, g, acc, 0.01, f(1e-7));
    }),
  },
  {
    name: "adadelta() with rho 0.9, epsilon 1e-3",
    make: (clip) => optimizers.adadelta({ learningRate: 1, rho: 0.9, epsilon: 1e-3, ...clip }),
    model: model(2, (w, g, [a, d]) => ref.adadeltaStep(w, g, a, d, 1, f(0.9), f(1e-3)), 2),
  },
  {
    name: "adamax()",
    make: (clip) => optimizers.adamax({ learningRate: 0.01, ...clip }),
    model: model(2, (w, g, [m, u], t) => ref.adamaxStep(w, g, m, u, adam, t)),
  },
  {
    name: "nadam()",
    make: (clip) => optimizers.nadam({ learningRate: 0.01, ...clip }),
    model: model(2, (w, g, [m, v], t) => ref.nadamStep(w, g, m, v, adam, t)),
  },
  {
    name: "adamw() with weightDecay 0.5",
    make: (clip) => optimizers.adamw({ learningRate: 0.01, weightDecay: 0.5, ...clip }),
    model: model(
      2,
      (w, g, [m, v], t) => ref.adamwStep(w, g, m, v, { ...adam, weightDecay: 0.5 }, t),
    ),
  },
];

for (const { name, make, model } of CASES) {
  for (const clip of CLIPS) {
    Deno.test(`${name}${clipName(clip)} matches the Keras formula over 6 steps`, () => {
      checkAgainstModel(`${name}${clipName(clip)}`, make(clip), model, clip as Clip);
    });
  }
}

Deno.test("adagrad(), adadelta(), adamax(), nadam() and adamw() have the Keras defaults", () => {
  const configs = [
    [optimizers.adagrad(), "Adagrad", { initialAccumulatorValue: 0.1, epsilon: 1e-7 }],
    [optimizers.adadelta(), "Adadelta", { rho: 0.95, epsilon: 1e-7 }],
    [optimizers.adamax(), "Adamax", { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
    [optimizers.nadam(), "Nadam", { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
    [optimizers.adamw(), "AdamW", { weightDecay: 0.004, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
  ] as const;
  for (const [opt, className, rest] of configs) {
    assertEquals(opt.getConfig(), { className, config: { learningRate: 0.001, ...rest } });
    const copy = optimizers.fromConfig(JSON.parse(JSON.stringify(opt.getConfig())));
    assertEquals(copy.getConfig(), opt.getConfig());
    assertEquals(copy.className, className);
    opt.dispose();
    copy.dispose();
  }
});

Deno.test("adagrad(), adadelta(), adamax(), nadam() and adamw() reject bad options", () => {
  assertThrows(
    () => optimizers.adagrad({ initialAccumulatorValue: -1 }),
    RangeError,
    'Cannot run adagrad(): option "initialAccumulatorValue" must be a finite number >= 0: got -1',
  );
  assertThrows(
    () => optimizers.adadelta({ rho: 1 }),
    RangeError,
    'Cannot run adadelta(): option "rho"',
  );
  assertThrows(
    () => optimizers.adamax({ epsilon: 0 }),
    RangeError,
    'Cannot run adamax(): option "epsilon" must be a finite number > 0: got 0',
  );
  assertThrows(
    () => optimizers.nadam({ beta1: -0.1 }),
    RangeError,
    'Cannot run nadam(): option "beta1"',
  );
  assertThrows(
    () => optimizers.adamw({ weightDecay: NaN }),
    RangeError,
    'Cannot run adamw(): option "weightDecay"',
  );
  assertThrows(() => optimizers.adamw({ decay: 0.1 } as never), TypeError, '"decay"');
});

Deno.test("the composed optimizers free their scratch and train a small model", async () => {
  for (
    const make of [
      optimizers.adagrad,
      optimizers.adadelta,
      optimizers.adamax,
      optimizers.nadam,
      optimizers.adamw,
    ]
  ) {
    dn.setSeed(2);
    const model = dn.sequential([
      dn.layers.dense({ units: 4, activation: "tanh", inputShape: [2] }),
      dn.layers.dense({ units: 1 }),
    ]);
    const opt = make === optimizers.adadelta
      ? make({ learningRate: 1 })
      : make({ learningRate: 0.05 });
    model.compile({ optimizer: opt, loss: "mse" });
    using x = dn.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    using y = dn.tensor([[0], [1], [1], [0]]);
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    const before = dn.memory().numBytes;
    const h = await model.fit(x, y, { epochs: 30, batchSize: 4, verbose: 0 });
    assertEquals(dn.memory().numBytes, before, `${opt.className}: memory flat`);
    const loss = h.history.loss as number[];
    assertEquals(loss[loss.length - 1] < loss[0], true, `${opt.className}: ${loss}`);
    model.dispose();
    opt.dispose();
  }
});

Deno.test("compile() takes the new optimizers by name and loadModel() restores them", async () => {
  for (
    const [name, className] of [
      ["adagrad", "Adagrad"],
      ["adadelta", "Adadelta"],
      ["adamax", "Adamax"],
      ["nadam", "Nadam"],
      ["adamw", "AdamW"],
    ] as const
  ) {
    const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [2] })]);
    model.compile({ optimizer: name, loss: "mse" });
    const copy = await dn.loadModel(model.toBytes());
    assertEquals(copy.compiled?.optimizer.getConfig(), model.compiled?.optimizer.getConfig());
    assertEquals(copy.compiled?.optimizer.className, className);
    model.dispose();
    copy.dispose();
  }
  const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [2] })]);
  assertThrows(
    () => model.compile({ optimizer: "ftrl" as never, loss: "mse" }),
    TypeError,
    '"adamw": got "ftrl"',
  );
  model.dispose();
});
