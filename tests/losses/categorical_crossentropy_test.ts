import * as dn from "../../mod.ts";
import * as ref from "../_reference/losses.ts";
import { assert, assertThrows } from "../_util/assert.ts";
import { assertClose } from "../_util/assert_close.ts";
import { gradInput } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";
import { evalScalar, gradcheckLoss, labelsAndOneHot, lossTol } from "./_helpers.ts";

const cce = dn.losses.categoricalCrossentropy;
const cceLogits = (t: dn.Tensor, p: dn.Tensor) => cce(t, p, { fromLogits: true });
const LOG_SCALE = 16;

Deno.test("categoricalCrossentropy() matches the reference on seeded unnormalised scores", () => {
  const shape = [7, 5];
  const p = gradInput(shape, 1, 0, 2).data;
  const { oneHot } = labelsAndOneHot(7, 5, 2);
  const soft = gradInput(shape, 3, 0, 0.4).data;
  for (const [name, t] of [["one-hot", oneHot], ["soft", soft]] as const) {
    const actual = evalScalar(cce, { data: t, shape }, { data: p, shape });
    const expected = ref.categoricalCrossentropy(t, p, 5, false);
    assertClose([actual], [expected], lossTol(35, LOG_SCALE), `categoricalCrossentropy ${name}`);
  }
});

Deno.test("categoricalCrossentropy() clips probabilities 0 and 1 to a finite loss", () => {
  const shape = [3, 3];
  const t = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const p = [0, 1, 0, 0, 1, 0, 0.5, 0.5, 0];
  const actual = evalScalar(cce, { data: t, shape }, { data: p, shape });
  assert(Number.isFinite(actual));
  const expected = ref.categoricalCrossentropy(t, p, 3, false);
  assertClose([actual], [expected], lossTol(9, LOG_SCALE), "categoricalCrossentropy at 0 and 1");
});

Deno.test("categoricalCrossentropy() from logits matches the reference, finite at +-1000", () => {
  const shape = [4, 6];
  const { oneHot } = labelsAndOneHot(4, 6, 4);
  const cases: [string, Float64Array, number][] = [
    ["seeded", randomF32(24, 5).map((v) => 10 * v), 20],
    [
      "extreme",
      Float64Array.from({ length: 24 }, (_, i) => [1000, -1000, 0, 999, -1000, 1000][(i * 5) % 6]),
      2000,
    ],
  ];
  for (const [name, x, scale] of cases) {
    const actual = evalScalar(cceLogits, { data: oneHot, shape }, { data: x, shape });
    assert(Number.isFinite(actual), `${name}: ${actual}`);
    const expected = ref.categoricalCrossentropy(oneHot, x, 6, true);
    assertClose([actual], [expected], lossTol(24, scale), `categoricalCrossentropy logits ${name}`);
  }
});

Deno.test("categoricalCrossentropy() reduces a rank-3 batch and a single rank-1 row", () => {
  const p = gradInput([2, 3, 4], 6, 0.1, 1).data;
  const t = labelsAndOneHot(6, 4, 7).oneHot;
  const actual = evalScalar(cce, { data: t, shape: [2, 3, 4] }, { data: p, shape: [2, 3, 4] });
  assertClose(
    [actual],
    [ref.categoricalCrossentropy(t, p, 4, false)],
    lossTol(24, LOG_SCALE),
    "r3",
  );
  const row = evalScalar(cce, { data: [0, 1], shape: [2] }, { data: [0.25, 0.75], shape: [2] });
  assertClose([row], [-Math.log(0.75)], lossTol(2, LOG_SCALE), "rank 1");
});

Deno.test("categoricalCrossentropy() gradient matches central differences for probabilities", () => {
  const shape = [3, 4];
  // Scores in [0.1, 1]: normalised probabilities stay far inside the clip range.
  const p = gradInput(shape, 8, 0.1, 1);
  for (const t of [labelsAndOneHot(3, 4, 9).oneHot, gradInput(shape, 10, 0, 0.5).data]) {
    gradcheckLoss(
      "categoricalCrossentropy 3x4",
      cce,
      (t, p) => ref.categoricalCrossentropy(t, p, 4, false),
      { data: t, shape },
      p,
    );
  }
});

Deno.test("categoricalCrossentropy() gradient matches central differences for logits", () => {
  const shape = [4, 5];
  const x = gradInput(shape, 11, -4, 4);
  for (const t of [labelsAndOneHot(4, 5, 12).oneHot, gradInput(shape, 13, 0, 0.4).data]) {
    gradcheckLoss(
      "categoricalCrossentropy logits 4x5",
      cceLogits,
      (t, p) => ref.categoricalCrossentropy(t, p, 5, true),
      { data: t, shape },
      x,
    );
  }
});

Deno.test("categoricalCrossentropy() gradient of logits +-1000 is finite: softmax - target", () => {
  using t = dn.tensor([[0, 1, 0], [1, 0, 0]]);
  using x = dn.tensor([[1000, -1000, 0], [-1000, 1000, 1000]]);
  const [g] = dn.grads((p) => cceLogits(t, p))([x]);
  assertClose(g.dataSync(), [0.5, -0.5, 0, -0.5, 0.25, 0.25], { rel: 0, abs: 1e-7 }, "grad");
  g.dispose();
});

Deno.test("categoricalCrossentropy() rejects mismatched shapes, a scalar, and a non-tensor", () => {
  using a = dn.zeros([2, 3]);
  using b = dn.zeros([2, 4]);
  assertThrows(
    () => cce(a, b),
    RangeError,
    'Cannot run categoricalCrossentropy(): shapes of "yTrue" [2, 3] and "yPred" [2, 4] must match',
  );
  using s = dn.tensor(1);
  assertThrows(() => cce(s, s), TypeError, 'argument "yPred" must have rank >= 1');
  assertThrows(
    () => cce(null as never, a),
    TypeError,
    'Cannot run categoricalCrossentropy(): argument "yTrue" must be a Tensor: got null',
  );
});
