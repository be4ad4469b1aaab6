/**
 * Bad inputs to the binary math, comparison, logical and `where` ops (STYLE C14): each throws a
 * TypeError or RangeError naming the function, the argument, what was expected and what came.
 */
import * as dn from "../../mod.ts";
import { assertThrows } from "../_util/assert.ts";

const BINARY = [
  "maximum",
  "minimum",
  "pow",
  "mod",
  "floorDiv",
  "squaredDifference",
  "equal",
  "notEqual",
  "greater",
  "greaterEqual",
  "less",
  "lessEqual",
] as const;

for (const name of BINARY) {
  const op = dn[name] as (...args: unknown[]) => dn.Tensor;
  Deno.test(`${name}() rejects shapes that do not broadcast, naming both`, () => {
    using a = dn.zeros([2, 3]);
    using b = dn.zeros([4, 3]);
    assertThrows(
      () => op(a, b),
      RangeError,
      `Cannot broadcast in ${name}(): shapes of "a" [2, 3] and "b" [4, 3]`,
    );
  });

  Deno.test(`${name}() rejects a string, an array, a disposed tensor and a third argument`, () => {
    using a = dn.zeros([2]);
    assertThrows(() => op(a, "1"), TypeError, `${name}(): argument "b" must be a Tensor`);
    assertThrows(() => op([1, 2], a), TypeError, `${name}(): argument "a" must be a Tensor`);
    const gone = dn.zeros([2]);
    gone.dispose();
    assertThrows(() => op(a, gone), TypeError, 'argument "b" is a disposed tensor');
    assertThrows(() => op(a, a, 1), TypeError, `${name}(): it takes at most 2 arguments`);
  });
}

Deno.test("maximum() and equal() reject null and undefined operands, saying what they take", () => {
  using a = dn.zeros([2]);
  assertThrows(
    () => dn.maximum(a, null as never),
    TypeError,
    'maximum(): argument "b" must be a Tensor, a number or a boolean: got null',
  );
  assertThrows(
    () => dn.equal(undefined as never, a),
    TypeError,
    'equal(): argument "a" must be a Tensor, a number or a boolean: got undefined',
  );
});

Deno.test("broadcasting that needs more than 4 merged dimensions is rejected", () => {
  using a = dn.zeros([2, 1, 2, 1, 2]);
  using b = dn.zeros([1, 2, 1, 2, 1]);
  assertThrows(() => dn.greater(a, b), RangeError, "at most 4 alternating broadcast dimensions");
});

for (const name of ["logicalAnd", "logicalOr", "logicalXor"] as const) {
  Deno.test(`${name}() rejects float32 and int32 operands and numbers, asking for bool`, () => {
    using f = dn.zeros([3]);
    using i = dn.tensor([1, 0, 1], [3], "int32");
    using t = dn.tensor([true, false, true]);
    assertThrows(
      () => dn[name](f, t),
      TypeError,
      `${name}(): argument "a" must be a bool tensor: got a float32 tensor of shape [3]`,
    );
    assertThrows(
      () => dn[name](t, i),
      TypeError,
      'argument "b" must be a bool tensor: got a int32',
    );
    assertThrows(
      () => dn[name](t, 1 as never),
      TypeError,
      `${name}(): argument "b" must be a Tensor or a boolean: got 1`,
    );
    using u = dn.tensor([true, false]);
    assertThrows(() => dn[name](t, u), RangeError, `Cannot broadcast in ${name}()`);
  });
}

Deno.test("logicalNot() rejects a float32 tensor and a second argument", () => {
  using f = dn.zeros([3]);
  using t = dn.tensor([true]);
  assertThrows(
    () => dn.logicalNot(f),
    TypeError,
    'logicalNot(): argument "x" must be a bool tensor',
  );
  assertThrows(
    () => (dn.logicalNot as (...a: unknown[]) => dn.Tensor)(t, t),
    TypeError,
    "at most 1",
  );
});

for (const name of ["isNaN", "isFinite", "isInf"] as const) {
  Deno.test(`${name}() rejects a bool tensor and a number`, () => {
    using t = dn.tensor([true]);
    assertThrows(
      () => dn[name](t),
      TypeError,
      `${name}(): argument "x" must be a float32 or int32 tensor: got a bool tensor`,
    );
    assertThrows(() => dn[name](1 as never), TypeError, `${name}(): argument "x" must be a Tensor`);
  });
}

Deno.test("where() rejects a non-bool condition naming it", () => {
  using c = dn.tensor([1, 0]);
  using a = dn.zeros([2]);
  assertThrows(
    () => dn.where(c, a, a),
    TypeError,
    'where(): argument "condition" must be a bool tensor: got a float32 tensor of shape [2]',
  );
  assertThrows(
    () => dn.where(true as never, a, a),
    TypeError,
    'argument "condition" must be a Tensor',
  );
});

Deno.test("where() rejects branches of different dtypes", () => {
  using c = dn.tensor([true, false]);
  using a = dn.zeros([2]);
  using b = dn.tensor([1, 2], [2], "int32");
  assertThrows(
    () => dn.where(c, a, b),
    TypeError,
    'where(): arguments "a" and "b" must have the same dtype: got float32 [2] and int32 [2]',
  );
});

Deno.test("where() rejects shapes that do not broadcast, naming the two that disagree", () => {
  using c = dn.tensor([true, false, true]);
  using a = dn.zeros([2, 3]);
  using b = dn.zeros([2, 1]);
  using bad = dn.zeros([4, 1]);
  assertThrows(
    () => dn.where(c, a, bad),
    RangeError,
    'Cannot broadcast in where(): shapes of "a" [2, 3] and "b" [4, 1]',
  );
  using c2 = dn.tensor([true, false]);
  assertThrows(
    () => dn.where(c2, a, b),
    RangeError,
    'shapes of "condition" [2] and "a" [2, 3] must be equal or 1',
  );
});

Deno.test("where() rejects a fourth argument and a string branch", () => {
  using c = dn.tensor([true]);
  using a = dn.zeros([1]);
  const where = dn.where as (...args: unknown[]) => dn.Tensor;
  assertThrows(() => where(c, a, a, a), TypeError, "where(): it takes at most 3 arguments");
  assertThrows(() => where(c, a, "x"), TypeError, 'where(): argument "b" must be a Tensor');
});
