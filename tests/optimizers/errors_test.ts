/** Typed errors at the optimizer boundary (STYLE C14): class and message fragment. */
import * as dn from "../../mod.ts";
import * as optimizers from "../../src/optimizers/mod.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";

const { cosineDecay, exponentialDecay, scheduleFromConfig, stepDecay } = optimizers.schedules;
// Untyped options, as JavaScript callers and loaded configs pass them.
const sgd = (o: unknown) => optimizers.sgd(o as never);
const adam = (o: unknown) => optimizers.adam(o as never);
const rmsprop = (o: unknown) => optimizers.rmsprop(o as never);

const RANGE_CASES: [string, () => unknown, string][] = [
  ["sgd() NaN learningRate", () => sgd({ learningRate: NaN }), 'sgd(): option "learningRate"'],
  ["adam() negative learningRate", () => adam({ learningRate: -1 }), "finite number >= 0"],
  ["rmsprop() infinite learningRate", () => rmsprop({ learningRate: Infinity }), "got Infinity"],
  ["sgd() momentum 1", () => sgd({ momentum: 1 }), 'option "momentum" must be in [0, 1): got 1'],
  ["sgd() negative momentum", () => sgd({ momentum: -0.1 }), '"momentum" must be in [0, 1)'],
  ["adam() beta1 1", () => adam({ beta1: 1 }), 'adam(): option "beta1" must be in [0, 1)'],
  ["adam() beta2 -0.5", () => adam({ beta2: -0.5 }), 'option "beta2" must be in [0, 1)'],
  ["rmsprop() rho 1.5", () => rmsprop({ rho: 1.5 }), 'option "rho" must be in [0, 1)'],
  ["adam() epsilon 0", () => adam({ epsilon: 0 }), 'option "epsilon" must be a finite number > 0'],
  ["rmsprop() negative epsilon", () => rmsprop({ epsilon: -1e-7 }), '"epsilon" must be'],
  ["sgd() clipNorm 0", () => sgd({ clipNorm: 0 }), 'option "clipNorm" must be a finite number > 0'],
  ["adam() clipValue NaN", () => adam({ clipValue: NaN }), '"clipValue" must be a finite'],
  [
    "sgd() both clip options",
    () => sgd({ clipNorm: 1, clipValue: 1 }),
    'set at most one of options "clipNorm" and "clipValue"',
  ],
  [
    "exponentialDecay() decaySteps 0",
    () => exponentialDecay({ initialLearningRate: 1, decaySteps: 0, decayRate: 0.5 }),
    'exponentialDecay(): option "decaySteps" must be a finite number > 0: got 0',
  ],
  [
    "exponentialDecay() negative decayRate",
    () => exponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: -0.5 }),
    '"decayRate" must be a finite number >= 0',
  ],
  [
    "cosineDecay() alpha 2",
    () => cosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 2 }),
    'cosineDecay(): option "alpha" must be in [0, 1]: got 2',
  ],
  [
    "stepDecay() unsorted boundaries",
    () => stepDecay({ initialLearningRate: 1, boundaries: [5, 5], values: [1, 2] }),
    '"boundaries" must hold strictly increasing finite numbers: got [5, 5]',
  ],
  [
    "stepDecay() too few values",
    () => stepDecay({ initialLearningRate: 1, boundaries: [5, 6], values: [1] }),
    '"values" must have one rate per boundary (2): got 1',
  ],
  [
    "stepDecay() negative value",
    () => stepDecay({ initialLearningRate: 1, boundaries: [5], values: [-1] }),
    'option "values[0]" must be a finite number >= 0',
  ],
  [
    "schedule called at a negative step",
    () => cosineDecay({ initialLearningRate: 1, decaySteps: 10 })(-1),
    'Cannot evaluate cosineDecay() schedule: argument "step" must be a finite number >= 0',
  ],
];

for (const [name, fn, message] of RANGE_CASES) {
  Deno.test(`${name} throws a RangeError naming the option`, () => {
    assertThrows(fn, RangeError, message);
  });
}

const TYPE_CASES: [string, () => unknown, string][] = [
  ["sgd() a misspelt option", () => sgd({ learning_rate: 0.1 }), 'option "learning_rate" is not'],
  ["rmsprop() momentum", () => rmsprop({ momentum: 0.9 }), 'rmsprop(): option "momentum"'],
  ["adam() options null", () => adam(null), 'argument "options" must be an object: got null'],
  ["sgd() nesterov as a string", () => sgd({ nesterov: "yes" }), '"nesterov" must be a boolean'],
  ["sgd() learningRate as a string", () => sgd({ learningRate: "0.1" }), "or a schedule"],
  [
    "adam() learningRate as a plain function",
    () => adam({ learningRate: (s: number) => 1 / (1 + s) }),
    'adam(): option "learningRate" must be a finite number >= 0 or a schedule',
  ],
  [
    "exponentialDecay() without decayRate",
    () => exponentialDecay({ initialLearningRate: 1, decaySteps: 1 } as never),
    'option "decayRate" is required',
  ],
  [
    "stepDecay() values not an array",
    () => stepDecay({ initialLearningRate: 1, boundaries: [1], values: 0.5 as never }),
    'option "values" must be an array of numbers: got 0.5',
  ],
  [
    "fromConfig() an unknown class",
    () => optimizers.fromConfig({ className: "Ftrl", config: {} }),
    'fromConfig(): "className" must be one of "SGD", "Adam", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "AdamW": got "Ftrl"',
  ],
  [
    "scheduleFromConfig() an unknown class",
    () => scheduleFromConfig({ className: "PolynomialDecay", config: {} }),
    'got "PolynomialDecay"',
  ],
];

for (const [name, fn, message] of TYPE_CASES) {
  Deno.test(`${name} throws a TypeError naming the option`, () => {
    assertThrows(fn, TypeError, message);
  });
}

Deno.test("applyGradients() rejects weights and grads of different lengths", () => {
  using w = dn.zeros([2]);
  using opt = optimizers.sgd();
  assertThrows(
    () => opt.applyGradients([w, w], [w]),
    RangeError,
    'SGD.applyGradients(): arguments "weights" and "grads" must have the same length: got 2 and 1',
  );
});

Deno.test("applyGradients() rejects a gradient of another shape and updates nothing", () => {
  using a = dn.tensor([1, 2]);
  using b = dn.zeros([2, 3]);
  using ga = dn.ones([2]);
  using gb = dn.zeros([3, 2]);
  using opt = optimizers.adam();
  assertThrows(
    () => opt.applyGradients([a, b], [ga, gb]),
    RangeError,
    'Adam.applyGradients(): "grads[1]" must have the shape of "weights[1]" [2, 3]: got [3, 2]',
  );
  assertEquals([...a.dataSync()], [1, 2]);
  assertEquals(opt.iterations, 0);
});

Deno.test("applyGradients() rejects disposed tensors and non-arrays", () => {
  using w = dn.zeros([2]);
  const g = dn.zeros([2]);
  g.dispose();
  using opt = optimizers.rmsprop();
  assertThrows(
    () => opt.applyGradients([w], [g]),
    TypeError,
    'RMSprop.applyGradients(): argument "grads[0]" is a disposed tensor of shape [2]',
  );
  assertThrows(
    () => opt.applyGradients(w as never, [w]),
    TypeError,
    'argument "weights" must be an array of tensors',
  );
  assertThrows(
    () => opt.applyGradients([[1, 2]] as never, [w]),
    TypeError,
    'argument "weights[0]" must be a Tensor: got [1, 2]',
  );
});

Deno.test("applyGradients() rejects a disposed optimizer", () => {
  using w = dn.zeros([2]);
  const opt = optimizers.sgd({ momentum: 0.9 });
  opt.applyGradients([w], [w]);
  opt.dispose();
  opt.dispose();
  assertThrows(
    () => opt.applyGradients([w], [w]),
    TypeError,
    "Cannot run SGD.applyGradients(): the optimizer was disposed",
  );
});

Deno.test("applyGradients() rejects a schedule that gives a negative rate", () => {
  using w = dn.zeros([2]);
  const bad = Object.assign((s: number) => 1 - s, {
    getConfig: () => ({ className: "Linear", config: {} }),
  });
  using opt = optimizers.sgd({ learningRate: bad });
  opt.applyGradients([w], [w]);
  opt.applyGradients([w], [w]);
  assertThrows(
    () => opt.applyGradients([w], [w]),
    RangeError,
    "the learning rate schedule must give a finite number >= 0: got -1 at step 2",
  );
  assertEquals(opt.iterations, 2);
});
