import * as dn from "../../mod.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { evalScalar } from "../losses/_helpers.ts";

const { metrics } = dn;

Deno.test("binaryAccuracy() counts predictions strictly above 0.5 as 1", () => {
  const t = [1, 0, 1, 0, 1, 0, 1, 0];
  const p = [0.9, 0.1, 0.5, 0.5, 0.50001, NaN, NaN, 1];
  // Right: 0.9->1, 0.1->0, 0.5->0 (t=0), 0.50001->1, NaN->0 (t=0).
  // Wrong: 0.5->0 (t=1), NaN->0 (t=1), 1->1 (t=0).
  const acc = evalScalar(metrics.binaryAccuracy, { data: t, shape: [4, 2] }, {
    data: p,
    shape: [4, 2],
  });
  assertEquals(acc, 5 / 8);
});

Deno.test("binaryAccuracy() takes a threshold; accuracy() is the 0.5 default", () => {
  const t = { data: [1, 1, 0, 0], shape: [4] };
  const p = { data: [0.95, 0.6, 0.3, 0.8], shape: [4] };
  assertEquals(evalScalar(metrics.accuracy, t, p), 0.75);
  assertEquals(evalScalar((a, b) => metrics.binaryAccuracy(a, b, { threshold: 0.7 }), t, p), 0.5);
  assertEquals(
    evalScalar((a, b) => metrics.binaryAccuracy(a, b, { threshold: -Infinity }), t, p),
    0.5,
  );
});

Deno.test("binaryAccuracy() rejects mismatched shapes and a bad threshold", () => {
  using a = dn.zeros([2, 1]);
  using b = dn.zeros([2]);
  assertThrows(
    () => metrics.binaryAccuracy(a, b),
    RangeError,
    'Cannot run binaryAccuracy(): shapes of "yTrue" [2, 1] and "yPred" [2] must match',
  );
  assertThrows(
    () => metrics.binaryAccuracy(a, a, { threshold: NaN }),
    TypeError,
    'option "threshold" must be a number: got NaN',
  );
  assertThrows(
    () => metrics.accuracy(a, {} as never),
    TypeError,
    'argument "yPred" must be a Tensor',
  );
});
