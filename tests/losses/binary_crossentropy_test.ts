import * as dn from "../../mod.ts";
import * as ref from "../_reference/losses.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { gradInput } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";
import { binaryTargets, evalScalar, gradcheckLoss, lossTol } from "./_helpers.ts";

const bce = dn.losses.binaryCrossentropy;
const bceLogits = (t: dn.Tensor, p: dn.Tensor) => bce(t, p, { fromLogits: true });
/** -log of the clip bounds: the largest magnitude inside a probability loss. */
const LOG_SCALE = 16;

Deno.test("binaryCrossentropy() matches the reference on seeded probabilities and targets", () => {
  const shape = [6, 5];
  const p = gradInput(shape, 1, 0, 1).data;
  const soft = gradInput(shape, 3, 0, 1).data;
  for (const [name, t] of [["0/1", binaryTargets(30, 2)], ["soft", soft]] as const) {
    const actual = evalScalar(bce, { data: t, shape }, { data: p, shape });
    const expected = ref.binaryCrossentropy(t, p, 5, false);
    assertClose([actual], [expected], lossTol(30, LOG_SCALE), `binaryCrossentropy ${name} 6x5`);
  }
});

Deno.test("binaryCrossentropy() clips probabilities 0 and 1 to a finite loss", () => {
  const shape = [2, 3];
  const t = [1, 0, 1, 0, 1, 0];
  const p = [0, 1, 1, 0, 0.5, 0.5];
  const actual = evalScalar(bce, { data: t, shape }, { data: p, shape });
  assert(Number.isFinite(actual));
  const expected = ref.binaryCrossentropy(t, p, 3, false);
  assertClose([actual], [expected], lossTol(6, LOG_SCALE), "binaryCrossentropy at 0 and 1");
});

Deno.test("binaryCrossentropy() from logits matches the reference, finite at +-1000", () => {
  const shape = [4, 6];
  const cases: [string, Float64Array, number][] = [
    ["seeded", randomF32(24, 4).map((v) => 8 * v), 8],
    [
      "extreme",
      Float64Array.from({ length: 24 }, (_, i) => [1000, -1000, 100, -100, 0, 30][i % 6]),
      1000,
    ],
  ];
  const t = binaryTargets(24, 5);
  for (const [name, x, scale] of cases) {
    const actual = evalScalar(bceLogits, { data: t, shape }, { data: x, shape });
    assert(Number.isFinite(actual), `${name}: ${actual}`);
    const expected = ref.binaryCrossentropy(t, x, 6, true);
    assertClose([actual], [expected], lossTol(24, scale), `binaryCrossentropy logits ${name}`);
  }
});

Deno.test("binaryCrossentropy() accepts rank-1 targets and predictions", () => {
  const t = [1, 0, 1];
  const p = [0.9, 0.2, 0.3];
  const actual = evalScalar(bce, { data: t, shape: [3] }, { data: p, shape: [3] });
  const expected = ref.binaryCrossentropy(t, p, 3, false);
  assertClose([actual], [expected], lossTol(3, LOG_SCALE), "binaryCrossentropy rank 1");
});

Deno.test("binaryCrossentropy() gradient matches central differences for probabilities", () => {
  const shape = [4, 3];
  // Away from the clip edges, where the numeric difference would straddle the kink.
  const p = gradInput(shape, 6, 0.05, 0.95);
  for (const t of [binaryTargets(12, 7), gradInput(shape, 8, 0, 1).data]) {
    gradcheckLoss("binaryCrossentropy 4x3", bce, (t, p) => ref.binaryCrossentropy(t, p, 3, false), {
      data: t,
      shape,
    }, p);
  }
});

Deno.test("binaryCrossentropy() gradient matches central differences for logits", () => {
  const shape = [5, 2];
  const x = gradInput(shape, 9, -6, 6);
  for (const t of [binaryTargets(10, 10), gradInput(shape, 11, 0, 1).data]) {
    gradcheckLoss(
      "binaryCrossentropy logits 5x2",
      bceLogits,
      (t, p) => ref.binaryCrossentropy(t, p, 2, true),
      { data: t, shape },
      x,
    );
  }
});

Deno.test("binaryCrossentropy() gradient at logit 0 is (sigmoid(0) - t) / n", () => {
  using t = dn.tensor([[1], [0], [0.25], [1]]);
  using x = dn.zeros([4, 1]);
  const [g] = dn.grads((p) => bceLogits(t, p))([x]);
  assertEquals([...g.dataSync()], [-0.5 / 4, 0.5 / 4, 0.25 / 4, -0.5 / 4]);
  g.dispose();
});

Deno.test("binaryCrossentropy() gradient is finite at logits +-1000 and 0 beyond the clip", () => {
  using t = dn.tensor([1, 0, 1, 0]);
  using x = dn.tensor([1000, -1000, -1000, 1000]);
  const [gl] = dn.grads((p) => bceLogits(t, p))([x]);
  assertClose(gl.dataSync(), [0, 0, -0.25, 0.25], Tol.exact, "logits");
  using p = dn.tensor([1, 0, 0, 1]);
  const [gp] = dn.grads((q) => bce(t, q))([p]);
  assertClose(gp.dataSync(), [0, 0, 0, 0], Tol.exact, "probabilities");
  gl.dispose();
  gp.dispose();
});

Deno.test("binaryCrossentropy() rejects mismatched shapes, non-tensors, and a bad option", () => {
  using a = dn.zeros([2, 3]);
  using b = dn.zeros([2, 4]);
  assertThrows(
    () => bce(a, b),
    RangeError,
    'Cannot run binaryCrossentropy(): shapes of "yTrue" [2, 3] and "yPred" [2, 4] must match',
  );
  assertThrows(
    () => bce(a, [[0, 1]] as never),
    TypeError,
    'Cannot run binaryCrossentropy(): argument "yPred" must be a Tensor',
  );
  assertThrows(
    () => bce(a, a, { fromLogits: "yes" as never }),
    TypeError,
    'option "fromLogits" must be a boolean: got "yes"',
  );
  using e = dn.zeros([0, 3]);
  assertThrows(() => bce(e, e), RangeError, 'argument "yPred" must not be empty: got shape [0, 3]');
});
