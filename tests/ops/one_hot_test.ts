import * as dn from "../../mod.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";

Deno.test("oneHot() encodes a vector of indices as rows", () => {
  using i = dn.tensor([2, 0, 1]);
  using y = dn.oneHot(i, 3);
  assertEquals(y.shape, [3, 3]);
  assertEquals([...y.dataSync()], [0, 0, 1, 1, 0, 0, 0, 1, 0]);
});

Deno.test("oneHot() appends the depth axis to any shape, including a scalar", () => {
  using i = dn.tensor([[1], [0]]);
  using y = dn.oneHot(i, 2);
  assertEquals(y.shape, [2, 1, 2]);
  assertEquals([...y.dataSync()], [0, 1, 1, 0]);
  using s = dn.tensor(4);
  using z = dn.oneHot(s, 5);
  assertEquals(z.shape, [5]);
  assertEquals([...z.dataSync()], [0, 0, 0, 0, 1]);
});

Deno.test("oneHot() of an empty tensor is empty", () => {
  using i = dn.zeros([0]);
  using y = dn.oneHot(i, 4);
  assertEquals(y.shape, [0, 4]);
});

Deno.test("oneHot() rejects indices that are fractional, negative or not below depth", () => {
  using frac = dn.tensor([0, 1.5]);
  assertThrows(
    () => dn.oneHot(frac, 3),
    RangeError,
    'Cannot run oneHot(): argument "indices" must hold integers in [0, 3): got 1.5 at flat index 1',
  );
  using neg = dn.tensor([-1]);
  assertThrows(() => dn.oneHot(neg, 3), RangeError, "got -1 at flat index 0");
  using big = dn.tensor([[0, 3]]);
  assertThrows(() => dn.oneHot(big, 3), RangeError, "got 3 at flat index 1 of shape [1, 2]");
  using nan = dn.tensor([NaN]);
  assertThrows(() => dn.oneHot(nan, 3), RangeError, "got NaN");
});

Deno.test("oneHot() rejects a depth that is not a positive integer, and a non-tensor", () => {
  using i = dn.tensor([0]);
  assertThrows(
    () => dn.oneHot(i, 0),
    RangeError,
    'argument "depth" must be a positive integer: got 0',
  );
  assertThrows(() => dn.oneHot(i, 2.5), RangeError, "got 2.5");
  assertThrows(() => dn.oneHot([0] as never, 2), TypeError, 'argument "indices" must be a Tensor');
});

Deno.test("oneHot() takes int32 indices, as TF.js, and rejects bool", () => {
  using i = dn.tensor([[2, 0], [1, 2]], undefined, "int32");
  using y = dn.oneHot(i, 3);
  assertEquals(y.dtype, "float32");
  assertEquals(y.shape, [2, 2, 3]);
  assertEquals([...y.dataSync()], [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  using bad = dn.tensor([3], [1], "int32");
  assertThrows(() => dn.oneHot(bad, 3), RangeError, "must hold integers in [0, 3): got 3");
  using b = dn.tensor([true, false]);
  assertThrows(() => dn.oneHot(b, 2), TypeError, '"indices"');
});
