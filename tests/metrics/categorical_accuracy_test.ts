import * as dn from "../../mod.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { evalScalar } from "../losses/_helpers.ts";

const { metrics } = dn;

Deno.test("categoricalAccuracy() compares the argMax of targets and predictions", () => {
  const t = [0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1];
  // Rows: right, wrong, right (tie goes to the first maximum), wrong.
  const p = [0.1, 0.2, 0.7, 0.6, 0.3, 0.1, 5, 5, -1, 0.5, 0.4, 0.1];
  const acc = evalScalar(metrics.categoricalAccuracy, { data: t, shape: [4, 3] }, {
    data: p,
    shape: [4, 3],
  });
  assertEquals(acc, 0.5);
});

Deno.test("sparseCategoricalAccuracy() compares labels [batch] or [batch, 1] with the argMax", () => {
  const p = { data: [0.1, 0.2, 0.7, 0.6, 0.3, 0.1, 5, 5, -1, 9, 0, 0], shape: [4, 3] };
  const labels = [2, 1, 0, 3]; // right, wrong, right (first maximum), never (out of range)
  assertEquals(evalScalar(metrics.sparseCategoricalAccuracy, { data: labels, shape: [4] }, p), 0.5);
  assertEquals(
    evalScalar(metrics.sparseCategoricalAccuracy, { data: labels, shape: [4, 1] }, p),
    0.5,
  );
});

Deno.test("categoricalAccuracy() and sparseCategoricalAccuracy() reject bad shapes", () => {
  using a = dn.zeros([2, 3]);
  using b = dn.zeros([2, 2]);
  assertThrows(
    () => metrics.categoricalAccuracy(a, b),
    RangeError,
    'Cannot run categoricalAccuracy(): shapes of "yTrue" [2, 3] and "yPred" [2, 2] must match',
  );
  using labels = dn.zeros([2, 2]);
  assertThrows(
    () => metrics.sparseCategoricalAccuracy(labels, a),
    RangeError,
    'Cannot run sparseCategoricalAccuracy(): shape of "yTrue" [2, 2] must be [2] or [2, 1]',
  );
});
