/**
 * matmul() (batched), dot() and outerProduct() reject bad input at the boundary (STYLE C14).
 */
import * as dn from "../../mod.ts";
import { assertThrows } from "../_util/assert.ts";

const untyped = (f: unknown) => f as (...a: unknown[]) => dn.Tensor;

Deno.test("matmul() rejects batch dimensions that do not broadcast, naming both shapes", () => {
  using a = dn.zeros([2, 3, 4]);
  using b = dn.zeros([3, 4, 5]);
  assertThrows(
    () => dn.matmul(a, b),
    RangeError,
    'Cannot broadcast in matmul(): shapes of "a" [2] and "b" [3]',
  );
});

Deno.test("matmul() rejects mismatched inner dimensions of batched operands", () => {
  using a = dn.zeros([2, 3, 4]);
  using b = dn.zeros([2, 5, 4]);
  assertThrows(() => dn.matmul(a, b), RangeError, 'inner dimensions of "a" [2, 3, 4]');
  dn.matmul(a, b, false, true).dispose();
});

Deno.test("matmul() rejects a non-boolean transpose flag and a flag after the options", () => {
  using a = dn.zeros([2, 2]);
  assertThrows(
    () => untyped(dn.matmul)(a, a, true, 1),
    TypeError,
    '"transposeB" must be a boolean: got 1',
  );
  assertThrows(
    () => untyped(dn.matmul)(a, a, { transposeA: true }, true),
    TypeError,
    '"transposeB" must be absent when the third argument is an options object',
  );
  assertThrows(
    () => untyped(dn.matmul)(a, a, { transposeA: 1 }),
    TypeError,
    'option "transposeA" must be a boolean: got 1',
  );
  assertThrows(
    () => untyped(dn.matmul)(a, a, "yes"),
    TypeError,
    'argument "options" must be an object',
  );
});

Deno.test("dot() rejects rank 3 and mismatched inner dimensions", () => {
  using v = dn.zeros([3]);
  using m = dn.zeros([4, 2]);
  using c = dn.zeros([1, 3, 3]);
  assertThrows(() => dn.dot(c, v), TypeError, 'argument "t1" must have rank 1 or 2: got rank 3');
  assertThrows(
    () => dn.dot(v, m),
    RangeError,
    'inner dimensions of "t1" [3] and "t2" [4, 2] must match: got 3 and 4',
  );
  assertThrows(() => untyped(dn.dot)(v, v, 1), TypeError, "Cannot run dot(): it takes at most 2");
});

Deno.test("outerProduct() rejects a matrix and an int32 vector", () => {
  using v = dn.zeros([3]);
  using m = dn.zeros([3, 1]);
  using i = dn.tensor([1, 2], [2], "int32");
  assertThrows(
    () => dn.outerProduct(m, v),
    TypeError,
    'argument "v1" must have rank 1: got rank 2',
  );
  assertThrows(() => dn.outerProduct(v, i), TypeError, 'argument "v2" must be a float32 tensor');
});
