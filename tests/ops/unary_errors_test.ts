/**
 * Bad inputs to the unary math ops, activations and clipByNorm (STYLE C14): each is rejected with
 * the error class and a message naming the function, the argument, what was expected and what
 * came.
 */
import * as dn from "../../mod.ts";
import { assertThrows } from "../_util/assert.ts";

/** Every op of one tensor argument, under its public name. */
const ONE_ARG: Record<string, (x: dn.Tensor) => dn.Tensor> = {
  sign: dn.sign,
  floor: dn.floor,
  ceil: dn.ceil,
  round: dn.round,
  reciprocal: dn.reciprocal,
  rsqrt: dn.rsqrt,
  log1p: dn.log1p,
  expm1: dn.expm1,
  sin: dn.sin,
  cos: dn.cos,
  tan: dn.tan,
  erf: dn.erf,
  softplus: dn.softplus,
  elu: dn.elu,
  selu: dn.selu,
  leakyRelu: dn.leakyRelu,
  gelu: dn.gelu,
  silu: dn.silu,
  swish: dn.swish,
};

for (const [name, op] of Object.entries(ONE_ARG)) {
  Deno.test(`${name}() rejects a non-tensor, a disposed tensor and int32 or bool tensors`, () => {
    assertThrows(
      () => op([1, 2] as never),
      TypeError,
      `Cannot run ${name}(): argument "x" must be a Tensor: got [1, 2]`,
    );
    const t = dn.tensor([1, 2]);
    t.dispose();
    assertThrows(() => op(t), TypeError, `${name}(): argument "x" is a disposed tensor`);
    using i = dn.tensor([1, 2], [2], "int32");
    assertThrows(
      () => op(i),
      TypeError,
      `${name}(): argument "x" must be a float32 tensor: got a int32 tensor of shape [2]`,
    );
    using b = dn.tensor([1, 0], [2], "bool");
    assertThrows(() => op(b), TypeError, `${name}(): argument "x" must be a float32 tensor`);
  });
}

for (const name of ["sign", "sin", "erf", "elu", "selu", "silu", "swish", "softplus"]) {
  Deno.test(`${name}() rejects an extra argument`, () => {
    using x = dn.tensor([1]);
    const op = ONE_ARG[name] as (...a: unknown[]) => dn.Tensor;
    assertThrows(() => op(x, 2), TypeError, `Cannot run ${name}(): it takes at most 1 argument`);
  });
}

Deno.test("leakyRelu() rejects a bad alpha and a third argument", () => {
  using x = dn.tensor([1, -1]);
  assertThrows(
    () => dn.leakyRelu(x, "0.1" as never),
    TypeError,
    'leakyRelu(): argument "alpha" must be a number: got "0.1"',
  );
  assertThrows(
    () => dn.leakyRelu(x, NaN),
    RangeError,
    'leakyRelu(): argument "alpha" must be a finite number: got NaN',
  );
  assertThrows(() => dn.leakyRelu(x, Infinity), RangeError, "got Infinity");
  assertThrows(
    () => (dn.leakyRelu as (...a: unknown[]) => dn.Tensor)(x, 0.1, 3),
    TypeError,
    "leakyRelu(): it takes at most 2 arguments",
  );
});

Deno.test("gelu() rejects an unknown option and a non-boolean approximate", () => {
  using x = dn.tensor([1]);
  assertThrows(
    () => dn.gelu(x, { approximat: true } as never),
    TypeError,
    'gelu(): option "approximat" is not known: use one of "approximate"',
  );
  assertThrows(
    () => dn.gelu(x, { approximate: "tanh" } as never),
    TypeError,
    'gelu(): option "approximate" must be a boolean: got "tanh"',
  );
  assertThrows(
    () => dn.gelu(x, true as never),
    TypeError,
    'gelu(): argument "options" must be an object: got true',
  );
});

Deno.test("clipByNorm() rejects a bad x, clipNorm or axes, and a fourth argument", () => {
  using x = dn.tensor([[3, 4]]);
  assertThrows(
    () => dn.clipByNorm(null as never, 1),
    TypeError,
    'clipByNorm(): argument "x" must be a Tensor: got null',
  );
  using i = dn.tensor([3, 4], [2], "int32");
  assertThrows(() => dn.clipByNorm(i, 1), TypeError, 'argument "x" must be a float32 tensor');
  assertThrows(
    () => dn.clipByNorm(x, "1" as never),
    TypeError,
    'clipByNorm(): argument "clipNorm" must be a number: got "1"',
  );
  for (const bad of [0, -1, NaN, Infinity]) {
    assertThrows(
      () => dn.clipByNorm(x, bad),
      RangeError,
      `clipByNorm(): argument "clipNorm" must be a finite number > 0: got ${bad}`,
    );
  }
  assertThrows(
    () => dn.clipByNorm(x, 1, 2),
    RangeError,
    'clipByNorm(): argument "axes" must be an integer in [-2, 2): got 2',
  );
  assertThrows(
    () => dn.clipByNorm(x, 1, [1, -1]),
    RangeError,
    'clipByNorm(): argument "axes" must not repeat an axis: got [1, -1]',
  );
  assertThrows(
    () => dn.clipByNorm(x, 1, "0" as never),
    TypeError,
    'clipByNorm(): argument "axes" must be an axis, a list of axes or undefined: got "0"',
  );
  assertThrows(
    () => (dn.clipByNorm as (...a: unknown[]) => dn.Tensor)(x, 1, 0, true),
    TypeError,
    "clipByNorm(): it takes at most 3 arguments",
  );
});
