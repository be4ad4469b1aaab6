/**
 * gather(), gatherND() and scatterND() reject bad input at the boundary (STYLE C14) with a typed
 * error naming the function, the argument, what was expected and what came.
 */
import * as dn from "../../mod.ts";
import { assertThrows } from "../_util/assert.ts";

const int = (values: number[], shape?: number[]) => dn.tensor(values, shape, "int32");

Deno.test("gather() rejects an axis outside the rank of x, or a fractional one", () => {
  using x = dn.zeros([2, 3]);
  using i = int([0]);
  assertThrows(() => dn.gather(x, i, 2), RangeError, '"axis" must be an integer in [-2, 2): got 2');
  assertThrows(() => dn.gather(x, i, -3), RangeError, "got -3");
  assertThrows(() => dn.gather(x, i, 0.5), RangeError, "got 0.5");
});

Deno.test("gather() rejects indices out of range, negative or fractional, naming the position", () => {
  using x = dn.zeros([2, 3]);
  using big = int([0, 3]);
  assertThrows(
    () => dn.gather(x, big, 1),
    RangeError,
    'Cannot run gather(): argument "indices" must hold integers in [0, 3): got 3 at flat position 1',
  );
  using neg = int([-1]);
  assertThrows(() => dn.gather(x, neg), RangeError, "got -1 at flat position 0");
  using frac = dn.tensor([0.5]);
  assertThrows(() => dn.gather(x, frac), RangeError, "got 0.5 at flat position 0");
});

Deno.test("gather() rejects bool indices and a scalar x", () => {
  using x = dn.zeros([2, 3]);
  using b = dn.tensor([true]);
  assertThrows(
    () => dn.gather(x, b),
    TypeError,
    'argument "indices" must be a int32 or float32 tensor: got a bool tensor',
  );
  using i = int([0]);
  using s = dn.tensor(1);
  assertThrows(() => dn.gather(s, i), TypeError, 'argument "x" must have rank >= 1: got a scalar');
});

Deno.test("gather() rejects batchDims out of range, above axis, or with unequal batch dimensions", () => {
  using x = dn.zeros([2, 3, 4]);
  using i = int([0, 1, 0, 1], [2, 2]);
  assertThrows(
    () => dn.gather(x, i, 1, 3),
    RangeError,
    '"batchDims" must be an integer in [-2, 2]',
  );
  assertThrows(
    () => dn.gather(x, i, 0, 1),
    RangeError,
    '"batchDims" must not exceed "axis" 0: got 1',
  );
  using j = int([0, 1, 0, 1, 0, 1], [3, 2]);
  assertThrows(
    () => dn.gather(x, j, 1, 1),
    RangeError,
    'the first 1 dimensions of "x" [2, 3, 4] and "indices" [3, 2] must match',
  );
});

Deno.test("gather() rejects an extra argument and a non-tensor", () => {
  using x = dn.zeros([2, 3]);
  using i = int([0]);
  const untyped = dn.gather as (...a: unknown[]) => dn.Tensor;
  assertThrows(() => untyped(x, i, 0, 0, 1), TypeError, "Cannot run gather(): it takes at most 4");
  assertThrows(() => untyped(x, [0]), TypeError, 'argument "indices" must be a Tensor');
});

Deno.test("gatherND() rejects tuples longer than the rank of x and components out of range", () => {
  using x = dn.zeros([2, 3]);
  using long = int([0, 0, 0], [1, 3]);
  assertThrows(
    () => dn.gatherND(x, long),
    RangeError,
    'the last dimension of "indices" [1, 3] must not exceed the rank of "x" [2, 3]: got 3',
  );
  using bad = int([1, 3], [1, 2]);
  assertThrows(
    () => dn.gatherND(x, bad),
    RangeError,
    "must hold integers in [0, 3) in component 1: got 3 at flat position 1",
  );
  using s = int([1], []);
  assertThrows(() => dn.gatherND(x, s), TypeError, "must have rank >= 1");
  using f = dn.tensor([[0, 1]]);
  assertThrows(() => dn.gatherND(x, f), TypeError, 'argument "indices" must be a');
});

Deno.test("scatterND() rejects updates of the wrong shape, bool updates and a bad shape", () => {
  using i = int([0, 2], [2, 1]);
  using u = dn.zeros([3]);
  assertThrows(
    () => dn.scatterND(i, u, [4]),
    RangeError,
    'argument "updates" must have shape [2] (indices.shape[:-1] + shape[1:]): got [3]',
  );
  using ub = dn.tensor([true, false]);
  assertThrows(
    () => dn.scatterND(i, ub, [4]),
    TypeError,
    'argument "updates" must be a float32 or int32 tensor: got a bool tensor',
  );
  using u2 = dn.zeros([2]);
  assertThrows(
    () => dn.scatterND(i, u2, [-1]),
    RangeError,
    'Cannot run scatterND(): argument "shape"',
  );
  assertThrows(() => dn.scatterND(i, u2, [2]), RangeError, "got 2 at flat position 1");
});
