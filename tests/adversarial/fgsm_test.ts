/**
 * FGSM: exact against the analytic gradient of softmax regression; on a CNN the input gradient
 * runs no weight-gradient kernel (counted on the backend) and equals the input gradient computed
 * beside the weights' bitwise; typed errors for bad input.
 */
import * as dn from "../../mod.ts";
import { activeBackend } from "../../src/backend/select.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";
import { checkFgsmExact, softmaxRegression } from "./_softmax_regression.ts";

await dn.ready({ backend: "wasm" });

Deno.test("fgsm() on softmax regression equals x ± eps·sign(Wᵀ(p − y)) exactly", checkFgsmExact);

/** Runs `fn` and counts the calls of each backend method in `names` it makes. */
function countCalls(names: string[], fn: () => void): Record<string, number> {
  const be = activeBackend() as unknown as Record<string, (...args: unknown[]) => unknown>;
  const calls: Record<string, number> = {};
  for (const name of names) {
    const original = be[name];
    calls[name] = 0;
    be[name] = function (this: unknown, ...args: unknown[]) {
      calls[name]++;
      return original.apply(this, args);
    };
  }
  try {
    fn();
  } finally {
    for (const name of names) delete be[name];
  }
  return calls;
}

function cnn(): dn.Sequential {
  dn.setSeed(5);
  const model = dn.sequential([
    dn.layers.conv2d({ filters: 3, kernelSize: 3, activation: "relu", inputShape: [8, 8, 1] }),
    dn.layers.maxPooling2d({ poolSize: 2 }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 6, activation: "relu" }),
    dn.layers.dense({ units: 4, activation: "softmax" }),
  ]);
  model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
  return model;
}

Deno.test("fgsm() computes the input gradient without any weight gradient", () => {
  const model = cnn();
  using x = dn.tensor(Float32Array.from(randomF32(5 * 64, 4), (v) => (v + 1) / 2), [5, 8, 8, 1]);
  using y = dn.tensor([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0]]);
  const kernels = ["conv2d", "conv2dBackwardData", "conv2dBackwardFilter", "gemm"];
  const forward = countCalls(kernels, () => void model.predict(x).dispose());
  let adv: dn.Tensor | null = null;
  const attack = countCalls(
    kernels,
    () => (adv = dn.adversarial.fgsm(model, x, y, { epsilon: 0.1 })),
  );
  // Forward again, then dx of the first conv (the input's gradient) and one GEMM per dense layer
  // for its dX: no filter gradient, no dW GEMM.
  assertEquals(attack, {
    conv2d: forward.conv2d,
    conv2dBackwardData: 1,
    conv2dBackwardFilter: 0,
    gemm: forward.gemm + 2,
  });
  // The same input gradient as when the weights' gradients are computed beside it.
  const weights = model.trainableWeights;
  const loss = (xx: dn.Tensor) =>
    dn.losses.categoricalCrossentropy(y, model.apply(xx, { training: false }));
  const { value, grads } = dn.valueAndGrads((xx: dn.Tensor, ..._ws: dn.Tensor[]) => loss(xx))([
    x,
    ...weights,
  ]);
  const step = dn.mul(dn.sign(grads[0]), 0.1);
  assertEquals([...adv!.dataSync()], [...dn.add(x, step).dataSync()]);
  assert([...grads[1].dataSync()].some((v) => v !== 0), "the weights' gradient was computed there");
  for (const t of [value, ...grads, step, adv!]) t.dispose();
  model.dispose();
});

Deno.test("fgsm() clips to [clipMin, clipMax] and takes a loss or a function model", async () => {
  const { model, x, y } = softmaxRegression();
  const clipped = dn.adversarial.fgsm(model, x, y, { epsilon: 0.5, clipMin: 0, clipMax: 1 });
  const v = await clipped.data();
  assert(v.every((a) => a >= 0 && a <= 1) && v.some((a) => a === 0) && v.some((a) => a === 1));
  // The same model as a function of x with its loss given: the same sign (probabilities and the
  // clipped log lose no sign at this confidence), so the same examples.
  const asFunction = dn.adversarial.fgsm((t) => model.predict(t) as dn.Tensor, x, y, {
    epsilon: 0.5,
    clipMin: 0,
    clipMax: 1,
    loss: "categoricalCrossentropy",
  });
  assertEquals([...await asFunction.data()], [...v]);
  // Sparse labels through a loss given by name.
  const labels = dn.tensor(Float32Array.from({ length: 12 }, (_, i) => i % 10), [12]);
  const sparse = dn.adversarial.fgsm(model, x, labels, {
    epsilon: 0.5,
    clipMin: 0,
    clipMax: 1,
    loss: "sparseCategoricalCrossentropy",
  });
  assertEquals([...await sparse.data()], [...v]);
  for (const t of [clipped, asFunction, sparse, labels, model, x, y]) t.dispose();
});

Deno.test("fgsm() rejects bad input with typed errors", () => {
  const { model, x, y } = softmaxRegression();
  const fgsm = dn.adversarial.fgsm;
  assertThrows(() => fgsm(model, x, y, { epsilon: -0.1 }), RangeError, '"epsilon" must be >= 0');
  assertThrows(
    () => fgsm(model, x, y, { epsilon: NaN }),
    RangeError,
    '"epsilon" must be a finite number',
  );
  assertThrows(
    () => fgsm(model, x, y, undefined as unknown as { epsilon: number }),
    TypeError,
    'must give "epsilon"',
  );
  assertThrows(
    () => fgsm(model, x, y, { epsilon: 0.1, eps: 1 } as { epsilon: number }),
    TypeError,
    'option "eps" is not known',
  );
  using wrongClasses = dn.zeros([12, 9]);
  assertThrows(
    () => fgsm(model, x, wrongClasses, { epsilon: 0.1, targeted: true }),
    RangeError,
    'argument "y" must have shape [12, 10]',
  );
  using wrongBatch = dn.zeros([11, 10]);
  assertThrows(
    () => fgsm(model, x, wrongBatch, { epsilon: 0.1, targeted: true }),
    RangeError,
    'argument "y" must hold one label row per sample of "x" (12): got shape [11, 10]',
  );
  using wrongX = dn.zeros([12, 21]);
  assertThrows(
    () => fgsm(model, wrongX, y, { epsilon: 0.1 }),
    RangeError,
    'argument "x" must have shape [batch, 20]: got [12, 21]',
  );
  assertThrows(
    () => fgsm(model, x, y, { epsilon: 0.1, targeted: "yes" as unknown as boolean }),
    TypeError,
    '"targeted" must be a boolean',
  );
  assertThrows(
    () => fgsm(model, x, y, { epsilon: 0.1, clipMin: 1, clipMax: 0 }),
    RangeError,
    '"clipMin" must not exceed "clipMax"',
  );
  const uncompiled = dn.sequential([dn.layers.dense({ units: 10, inputShape: [20] })]);
  assertThrows(
    () => fgsm(uncompiled, x, y, { epsilon: 0.1 }),
    TypeError,
    "there is no loss to differentiate",
  );
  assertThrows(
    () => fgsm((t) => dn.relu(t), x, y, { epsilon: 0.1 }),
    TypeError,
    'argument "loss" must be given for a model given as a function',
  );
  assertThrows(
    () => fgsm(model, x, y, { epsilon: 0.1, loss: () => dn.zeros([2]) }),
    TypeError,
    "the loss must return a float32 scalar",
  );
  assertThrows(
    () => fgsm(model, x, y, { epsilon: 0.1, loss: "hingeLoss" }),
    TypeError,
    'argument "loss" must be one of',
  );
  assertThrows(
    () => fgsm({} as dn.Sequential, x, y, { epsilon: 0.1 }),
    TypeError,
    'argument "model" must be a model',
  );
  assertThrows(
    () => fgsm(model, x, [1] as unknown as dn.Tensor, { epsilon: 0.1 }),
    TypeError,
    'argument "y" must be a Tensor',
  );
  for (const t of [model, uncompiled, x, y]) t.dispose();
});
