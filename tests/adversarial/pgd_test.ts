/**
 * PGD and BIM: iterates inside the ε-ball and the pixel range; BIM is deterministic, PGD's random
 * start follows the seeded generator; a targeted attack reaches its targets; typed errors.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { checkPgdBounds, oneHot, softmaxRegression } from "./_softmax_regression.ts";

await dn.ready({ backend: "wasm" });

Deno.test("pgd() and bim() stay inside the eps-ball and the pixel range", checkPgdBounds);

Deno.test("bim() is deterministic; pgd()'s random start follows dn.setSeed", () => {
  const { model, x, y } = softmaxRegression();
  const options = { epsilon: 0.05, iterations: 2, stepSize: 0.01, clipMin: 0, clipMax: 1 };
  const run = (attack: typeof dn.adversarial.pgd, seed: number) => {
    dn.setSeed(seed);
    using adv = attack(model, x, y, options);
    return [...adv.dataSync()];
  };
  assertEquals(run(dn.adversarial.bim, 1), run(dn.adversarial.bim, 2));
  assertEquals(run(dn.adversarial.pgd, 1), run(dn.adversarial.pgd, 1));
  const a = run(dn.adversarial.pgd, 1), b = run(dn.adversarial.pgd, 2);
  // Two steps of 0.01 from different random points of a ball of radius 0.05 rarely meet.
  assert(a.filter((v, i) => v !== b[i]).length > a.length / 2, "the random starts differ");
  // Without a random start PGD is BIM.
  assertEquals(
    run((m, xx, yy, o) => dn.adversarial.pgd(m, xx, yy, { ...o, randomStart: false }), 3),
    run(dn.adversarial.bim, 4),
  );
  for (const t of [model, x, y]) t.dispose();
});

Deno.test("pgd() with targeted labels moves predictions to the targets", async () => {
  const { model, x, y } = softmaxRegression();
  const targets = oneHot((i) => (i + 5) % 10);
  const accuracy = async (t: dn.Tensor) => {
    model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    return (await model.evaluate(t, targets))[1];
  };
  const before = await accuracy(x);
  using adv = dn.adversarial.pgd(model, x, targets, {
    epsilon: 0.5,
    iterations: 20,
    targeted: true,
    clipMin: 0,
    clipMax: 1,
  });
  const after = await accuracy(adv);
  assert(before < 0.3 && after > 0.9, `target accuracy ${before} -> ${after}`);
  for (const t of [model, x, y, targets]) t.dispose();
});

Deno.test("the attacks free every intermediate, also when they throw, and take an empty batch", () => {
  const { model, x, y } = softmaxRegression();
  model.predict(x).dispose(); // builds the model
  const before = dn.memory().numTensors;
  const options = { epsilon: 0.1, batchSize: 5 };
  for (const attack of [dn.adversarial.fgsm, dn.adversarial.pgd, dn.adversarial.bim]) {
    attack(model, x, y, options).dispose();
    assertEquals(dn.memory().numTensors, before, attack.name);
  }
  assertThrows(
    () => dn.adversarial.pgd(model, x, y, { ...options, loss: () => dn.zeros([2]) }),
    TypeError,
  );
  assertEquals(dn.memory().numTensors, before, "after an error");
  using empty = dn.zeros([0, 20]), noLabels = dn.zeros([0, 10]);
  using adv = dn.adversarial.pgd(model, empty, noLabels, options);
  assertEquals(adv.shape, [0, 20]);
  for (const t of [model, x, y]) t.dispose();
});

Deno.test("pgd() and bim() reject bad input with typed errors", () => {
  const { model, x, y } = softmaxRegression();
  const { pgd, bim } = dn.adversarial;
  assertThrows(() => pgd(model, x, y, { epsilon: -1 }), RangeError, '"epsilon" must be >= 0');
  assertThrows(
    () => pgd(model, x, y, { epsilon: 0.1, iterations: 0 }),
    RangeError,
    '"iterations" must be a positive integer: got 0',
  );
  assertThrows(
    () => pgd(model, x, y, { epsilon: 0.1, stepSize: -0.01 }),
    RangeError,
    '"stepSize" must be >= 0',
  );
  assertThrows(
    () => pgd(model, x, y, { epsilon: 0.1, randomStart: 1 as unknown as boolean }),
    TypeError,
    '"randomStart" must be a boolean',
  );
  assertThrows(
    () => bim(model, x, y, { epsilon: 0.1, randomStart: true } as { epsilon: number }),
    TypeError,
    'option "randomStart" is not known',
  );
  using wrong = dn.zeros([12, 3]);
  assertThrows(
    () => pgd(model, x, wrong, { epsilon: 0.1, targeted: true }),
    RangeError,
    'argument "y" must have shape [12, 10]',
  );
  assertThrows(
    () => pgd(model, x, y, { epsilon: 0.1, steps: 3 } as { epsilon: number }),
    TypeError,
    'option "steps" is not known',
  );
  for (const t of [model, x, y]) t.dispose();
});
