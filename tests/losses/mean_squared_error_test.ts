import * as dn from "../../mod.ts";
import * as ref from "../_reference/losses.ts";
import { assertThrows } from "../_util/assert.ts";
import { assertClose } from "../_util/assert_close.ts";
import { gradInput } from "../_util/gradcheck.ts";
import { evalScalar, gradcheckLoss, lossTol } from "./_helpers.ts";

const mse = dn.losses.meanSquaredError;

Deno.test("meanSquaredError() matches the reference on seeded rank-2 and rank-3 inputs", () => {
  for (const shape of [[9, 7], [2, 3, 5], [1, 1], [17]]) {
    const n = shape.reduce((a, b) => a * b, 1);
    const t = gradInput(shape, n, -3, 3).data;
    const p = gradInput(shape, n + 1, -3, 3).data;
    const actual = evalScalar(mse, { data: t, shape }, { data: p, shape });
    const expected = ref.meanSquaredError(t, p, shape[shape.length - 1]);
    assertClose([actual], [expected], lossTol(n, 36), `meanSquaredError [${shape}]`);
  }
});

Deno.test("meanSquaredError() gradient matches central differences", () => {
  const shape = [4, 6];
  const t = gradInput(shape, 1).data;
  gradcheckLoss("meanSquaredError 4x6", mse, (t, p) => ref.meanSquaredError(t, p, 6), {
    data: t,
    shape,
  }, gradInput(shape, 2));
});

Deno.test("meanSquaredError() rejects mismatched shapes and non-tensors", () => {
  using a = dn.zeros([2, 3]);
  using b = dn.zeros([3, 2]);
  assertThrows(
    () => mse(a, b),
    RangeError,
    'Cannot run meanSquaredError(): shapes of "yTrue" [2, 3] and "yPred" [3, 2] must match',
  );
  assertThrows(
    () => mse(a, 1 as never),
    TypeError,
    'Cannot run meanSquaredError(): argument "yPred" must be a Tensor: got 1',
  );
});
