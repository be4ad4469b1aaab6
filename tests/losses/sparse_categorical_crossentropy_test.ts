import * as dn from "../../mod.ts";
import * as ref from "../_reference/losses.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose } from "../_util/assert_close.ts";
import { gradInput } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";
import { evalScalar, gradcheckLoss, labelsAndOneHot, lossTol } from "./_helpers.ts";

const scce = dn.losses.sparseCategoricalCrossentropy;
const scceLogits = (t: dn.Tensor, p: dn.Tensor) => scce(t, p, { fromLogits: true });
const LOG_SCALE = 16;

Deno.test("sparseCategoricalCrossentropy() matches the reference for labels [batch] and [batch, 1]", () => {
  const shape = [6, 4];
  const { labels } = labelsAndOneHot(6, 4, 1);
  const p = gradInput(shape, 2, 0, 1).data;
  const x = randomF32(24, 3).map((v) => 5 * v);
  for (const labelShape of [[6], [6, 1]]) {
    const t = { data: labels, shape: labelShape };
    const probs = evalScalar(scce, t, { data: p, shape });
    assertClose(
      [probs],
      [ref.sparseCategoricalCrossentropy(labels, p, 4, false)],
      lossTol(24, LOG_SCALE),
      `probs ${labelShape}`,
    );
    const logits = evalScalar(scceLogits, t, { data: x, shape });
    assertClose(
      [logits],
      [ref.sparseCategoricalCrossentropy(labels, x, 4, true)],
      lossTol(24, 10),
      `logits ${labelShape}`,
    );
  }
});

Deno.test("sparseCategoricalCrossentropy() equals categoricalCrossentropy() of the one-hot labels", () => {
  using labels = dn.tensor([2, 0, 1]);
  using x = dn.tensor([[1, 2, 3], [0, 0, 9], [-1, 4, 1]]);
  dn.tidy(() => {
    const sparse = scceLogits(labels, x).dataSync()[0];
    const dense = dn.losses.categoricalCrossentropy(dn.oneHot(labels, 3), x, { fromLogits: true });
    assertEquals(sparse, dense.dataSync()[0]);
  });
});

Deno.test("sparseCategoricalCrossentropy() is finite at probabilities 0/1 and logits +-1000", () => {
  const labels = [0, 2];
  const p = [0, 1, 0, 0, 0, 1];
  const probs = evalScalar(scce, { data: labels, shape: [2] }, { data: p, shape: [2, 3] });
  assertClose(
    [probs],
    [ref.sparseCategoricalCrossentropy(labels, p, 3, false)],
    lossTol(6, LOG_SCALE),
    "0/1",
  );
  const x = [1000, -1000, 0, -1000, 1000, -1000];
  const logits = evalScalar(scceLogits, { data: labels, shape: [2] }, { data: x, shape: [2, 3] });
  assert(Number.isFinite(logits));
  assertClose(
    [logits],
    [ref.sparseCategoricalCrossentropy(labels, x, 3, true)],
    lossTol(6, 2000),
    "+-1000",
  );
});

Deno.test("sparseCategoricalCrossentropy() gradient matches central differences", () => {
  const shape = [5, 3];
  const { labels } = labelsAndOneHot(5, 3, 4);
  const t = { data: labels, shape: [5] };
  gradcheckLoss(
    "sparseCategoricalCrossentropy probabilities 5x3",
    scce,
    (t, p) => ref.sparseCategoricalCrossentropy(t, p, 3, false),
    t,
    gradInput(shape, 5, 0.1, 1),
  );
  gradcheckLoss(
    "sparseCategoricalCrossentropy logits 5x3",
    scceLogits,
    (t, p) => ref.sparseCategoricalCrossentropy(t, p, 3, true),
    t,
    gradInput(shape, 6, -4, 4),
  );
});

Deno.test("sparseCategoricalCrossentropy() rejects labels out of range and mismatched shapes", () => {
  using x = dn.zeros([2, 3]);
  using bad = dn.tensor([0, 3]);
  assertThrows(
    () => scce(bad, x),
    RangeError,
    'Cannot run sparseCategoricalCrossentropy(): argument "yTrue" must hold integers in [0, 3): got 3',
  );
  using frac = dn.tensor([0.5, 1]);
  assertThrows(() => scce(frac, x), RangeError, "got 0.5 at flat index 0");
  using wrong = dn.zeros([3]);
  assertThrows(
    () => scce(wrong, x),
    RangeError,
    'shape of "yTrue" [3] must be [2] or [2, 1] (one class index per row of "yPred" [2, 3])',
  );
  using s = dn.tensor(0);
  assertThrows(() => scce(s, s), TypeError, 'argument "yPred" must have rank >= 1');
});
