/**
 * Boundary errors of the reductions, cumsum and topk (STYLE C14): each names the function, the
 * argument, what was expected and what came, with the built-in class the house style gives it.
 */
import * as dn from "../../mod.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";

type Reduction = (x: dn.Tensor, axis?: number | number[], keepDims?: boolean) => unknown;

const AXIS_REDUCTIONS: [string, Reduction][] = [
  ["sum", dn.sum],
  ["mean", dn.mean],
  ["max", dn.max],
  ["min", dn.min],
  ["prod", dn.prod],
  ["logSumExp", dn.logSumExp],
  ["moments", dn.moments],
];

for (const [name, fn] of AXIS_REDUCTIONS) {
  Deno.test(`${name}() rejects an out-of-range, repeated or non-integer axis`, () => {
    using x = dn.zeros([2, 3]);
    assertThrows(
      () => fn(x, 2),
      RangeError,
      `Cannot run ${name}(): argument "axis" must be an integer in [-2, 2): got 2`,
    );
    assertThrows(() => fn(x, [0, -3]), RangeError, "got -3");
    assertThrows(() => fn(x, 0.5), RangeError, "got 0.5");
    assertThrows(
      () => fn(x, [1, -1]),
      RangeError,
      `Cannot run ${name}(): argument "axis" must not repeat an axis: got [1, -1]`,
    );
    assertThrows(
      () => fn(x, "0" as never),
      TypeError,
      'must be an axis, a list of axes or undefined: got "0"',
    );
  });

  Deno.test(`${name}() rejects a bad keepDims, an unknown option and an extra argument`, () => {
    using x = dn.zeros([2, 3]);
    assertThrows(() => fn(x, 0, 1 as never), TypeError, `Cannot run ${name}(): `);
    assertThrows(
      () => fn(x, 0, { keepDims: "yes" } as never),
      TypeError,
      'option "keepDims" must be a boolean: got "yes"',
    );
    assertThrows(() => fn(x, 0, { keep: true } as never), TypeError, '"keep"');
    assertThrows(
      () => (fn as (...a: unknown[]) => unknown)(x, 0, true, 1),
      TypeError,
      `Cannot run ${name}(): it takes at most 3 arguments`,
    );
  });

  Deno.test(`${name}() rejects a non-tensor${name === "sum" ? "" : " and an int32 tensor"}`, () => {
    using i = dn.tensor([1, 2], [2], "int32");
    assertThrows(
      () => fn([1, 2] as never),
      TypeError,
      `Cannot run ${name}(): argument "x" must be a Tensor`,
    );
    // sum() takes every dtype (int32 and bool sum to int32).
    if (name === "sum") return;
    assertThrows(
      () => fn(i),
      TypeError,
      'argument "x" must be a float32 tensor: got a int32 tensor',
    );
  });
}

Deno.test("max(), min(), argMax() and argMin() reject an empty axis; sum(), prod() and logSumExp() do not", () => {
  using x = dn.zeros([0, 3]);
  assertThrows(
    () => dn.max(x, 0),
    RangeError,
    'Cannot run max(): axis 0 of "x" must not be empty: got shape [0, 3]',
  );
  assertThrows(() => dn.min(x), RangeError, 'Cannot run min(): axis 0 of "x" must not be empty');
  assertThrows(() => dn.argMax(x, 0), RangeError, "Cannot run argMax(): axis 0");
  assertThrows(() => dn.argMin(x, -2), RangeError, "Cannot run argMin(): axis 0");
  using s = dn.sum(x, 0);
  using p = dn.prod(x, 0);
  using l = dn.logSumExp(x, 0);
  assertEquals(
    [[...s.dataSync()], [...p.dataSync()], [...l.dataSync()]],
    [[0, 0, 0], [1, 1, 1], [-Infinity, -Infinity, -Infinity]],
  );
});

Deno.test("argMax() and argMin() take one axis and at most two arguments", () => {
  using x = dn.zeros([2, 3]);
  for (const [name, fn] of [["argMax", dn.argMax], ["argMin", dn.argMin]] as const) {
    assertThrows(
      () => fn(x, [0, 1] as never),
      RangeError,
      `Cannot run ${name}(): argument "axis" must be an integer`,
    );
    assertThrows(() => fn(x, 2), RangeError, "got 2");
    assertThrows(
      () => (fn as (...a: unknown[]) => unknown)(x, 1, true),
      TypeError,
      `Cannot run ${name}(): it takes at most 2 arguments`,
    );
  }
});

Deno.test("cumsum() rejects a bad axis, non-boolean flags, a scalar and an extra argument", () => {
  using x = dn.zeros([2, 3]);
  assertThrows(
    () => dn.cumsum(x, 2),
    RangeError,
    'Cannot run cumsum(): argument "axis" must be an integer in [-2, 2): got 2',
  );
  assertThrows(() => dn.cumsum(x, [0] as never), RangeError, "got [0]");
  assertThrows(
    () => dn.cumsum(x, 0, 1 as never),
    TypeError,
    'argument "exclusive" must be a boolean: got 1',
  );
  assertThrows(
    () => dn.cumsum(x, 0, false, "no" as never),
    TypeError,
    'argument "reverse" must be a boolean: got "no"',
  );
  assertThrows(
    () => (dn.cumsum as (...a: unknown[]) => unknown)(x, 0, false, false, 1),
    TypeError,
    "Cannot run cumsum(): it takes at most 4 arguments",
  );
  using s = dn.tensor(1);
  assertThrows(() => dn.cumsum(s), TypeError, 'argument "x" must have rank >= 1: got a scalar');
});

Deno.test("topk() rejects k beyond the last dimension, a scalar, a bad sorted and an extra argument", () => {
  using x = dn.zeros([2, 3]);
  assertThrows(
    () => dn.topk(x, 4),
    RangeError,
    'Cannot run topk(): argument "k" must be an integer in [0, 3] (the last dimension of "x" [2, 3]): got 4',
  );
  assertThrows(() => dn.topk(x, -1), RangeError, "got -1");
  assertThrows(() => dn.topk(x, 1.5), RangeError, "got 1.5");
  assertThrows(
    () => dn.topk(x, 1, 1 as never),
    TypeError,
    'argument "sorted" must be a boolean: got 1',
  );
  using s = dn.tensor(1);
  assertThrows(() => dn.topk(s), TypeError, 'argument "x" must have rank >= 1: got a scalar');
  assertThrows(
    () => (dn.topk as (...a: unknown[]) => unknown)(x, 1, true, 0),
    TypeError,
    "Cannot run topk(): it takes at most 3 arguments",
  );
});

Deno.test("all() and any() reject non-bool input, bad axes and extra arguments", () => {
  using f = dn.zeros([2, 3]);
  using b = dn.tensor([1, 0, 1, 1, 0, 0], [2, 3], "bool");
  for (const [name, fn] of [["all", dn.all], ["any", dn.any]] as const) {
    assertThrows(
      () => fn(f),
      TypeError,
      `Cannot run ${name}(): argument "x" must be a bool tensor: got a float32 tensor of shape [2, 3]`,
    );
    assertThrows(() => fn(b, 2), RangeError, "got 2");
    assertThrows(() => fn(b, [0, 0]), RangeError, "must not repeat an axis");
    assertThrows(
      () => (fn as (...a: unknown[]) => unknown)(b, 0, true, 1),
      TypeError,
      `Cannot run ${name}(): it takes at most 3 arguments`,
    );
  }
});

Deno.test("norm() rejects an order of the wrong kind, three axes and extra arguments", () => {
  using x = dn.zeros([2, 3, 4]);
  assertThrows(
    () => dn.norm(x, "fro", 1),
    TypeError,
    'Cannot run norm(): argument "ord" must be one of "euclidean", 1, 2, Infinity, -Infinity for a vector norm: got "fro"',
  );
  assertThrows(() => dn.norm(x, 2, [0, 1]), TypeError, "for a matrix norm: got 2");
  assertThrows(() => dn.norm(x, 3), TypeError, "got 3");
  assertThrows(
    () => dn.norm(x, "euclidean", [0, 1, 2]),
    RangeError,
    'argument "axis" must name one axis (a vector norm) or two (a matrix norm): got [0, 1, 2]',
  );
  assertThrows(() => dn.norm(x, "euclidean", [0, 0]), RangeError, "must not repeat an axis");
  assertThrows(
    () => (dn.norm as (...a: unknown[]) => unknown)(x, 1, 0, false, 1),
    TypeError,
    "Cannot run norm(): it takes at most 4 arguments",
  );
});
