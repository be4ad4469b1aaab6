/**
 * Elementwise comparisons with broadcasting, writing bool: `equal`, `notEqual`, `greater`,
 * `greaterEqual`, `less`, `lessEqual`; and the float tests composed from them, `isNaN`,
 * `isFinite`, `isInf`. Operands of any dtype are promoted to one (bool < int32 < float32,
 * _operands.ts); NaN is unequal to everything, itself included, and neither greater nor less.
 * Not differentiable (no gradient flows through a bool).
 *
 * @module
 */
import { checkArity, checkTensor } from "../_check.ts";
import type { CompareOp } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { DType, Tensor } from "../tensor.ts";
import { planOf } from "./_broadcast.ts";
import { operands } from "./_operands.ts";
import { output } from "./_output.ts";
import { abs } from "./unary.ts";

/** `a op b` as bool over operands of `accepts`, promoted to one dtype (logical.ts shares it). */
export function compareOp(
  op: CompareOp,
  a: unknown,
  b: unknown,
  fn: string,
  accepts: readonly DType[],
): Tensor {
  const { tensors: [ta, tb], dtype, owned } = operands([["a", a], ["b", b]], fn, accepts);
  try {
    const { shape, plan } = planOf([["a", ta.shape], ["b", tb.shape]], fn);
    const y = output(shape, fn, "bool");
    if (y.size > 0) activeBackend().compare(op, ta.storage, tb.storage, y.storage, plan, dtype);
    return y;
  } finally {
    for (const t of owned) t.dispose();
  }
}

const ANY: readonly DType[] = ["float32", "int32", "bool"];

/**
 * Elementwise `a == b` as bool, broadcasting as NumPy does; NaN equals nothing.
 *
 * @param a A tensor (float32, int32 or bool), a number or a boolean.
 * @param b A tensor, a number or a boolean.
 * @returns A new bool tensor of the broadcast shape.
 * @throws {TypeError} When an argument is not a live tensor, a number or a boolean.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.equal(dn.tensor([1, 2, 3]), 2);
 * assert.equal(y.dtype, "bool");
 * assert.deepEqual([...y.dataSync<"bool">()], [0, 1, 0]);
 * ```
 */
export function equal(a: Tensor | number | boolean, b: Tensor | number | boolean): Tensor {
  checkArity(arguments, ["a", "b"], "equal");
  return compareOp("equal", a, b, "equal", ANY);
}

/**
 * Elementwise `a != b` as bool, broadcasting as NumPy does; NaN is unequal to everything.
 *
 * @param a A tensor (float32, int32 or bool), a number or a boolean.
 * @param b A tensor, a number or a boolean.
 * @returns A new bool tensor of the broadcast shape.
 * @throws {TypeError} When an argument is not a live tensor, a number or a boolean.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.notEqual(dn.tensor([1, 2, NaN]), 2).dataSync<"bool">()], [1, 0, 1]);
 * ```
 */
export function notEqual(a: Tensor | number | boolean, b: Tensor | number | boolean): Tensor {
  checkArity(arguments, ["a", "b"], "notEqual");
  return compareOp("notEqual", a, b, "notEqual", ANY);
}

/**
 * Elementwise `a > b` as bool, broadcasting as NumPy does (bool: true > false; NaN: false).
 *
 * @param a A tensor (float32, int32 or bool), a number or a boolean.
 * @param b A tensor, a number or a boolean.
 * @returns A new bool tensor of the broadcast shape.
 * @throws {TypeError} When an argument is not a live tensor, a number or a boolean.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.greater(dn.tensor([1, 2, 3]), 2).dataSync<"bool">()], [0, 0, 1]);
 * ```
 */
export function greater(a: Tensor | number | boolean, b: Tensor | number | boolean): Tensor {
  checkArity(arguments, ["a", "b"], "greater");
  return compareOp("greater", a, b, "greater", ANY);
}

/**
 * Elementwise `a >= b` as bool, broadcasting as NumPy does (NaN: false).
 *
 * @param a A tensor (float32, int32 or bool), a number or a boolean.
 * @param b A tensor, a number or a boolean.
 * @returns A new bool tensor of the broadcast shape.
 * @throws {TypeError} When an argument is not a live tensor, a number or a boolean.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.greaterEqual(dn.tensor([1, 2, 3]), 2).dataSync<"bool">()], [0, 1, 1]);
 * ```
 */
export function greaterEqual(a: Tensor | number | boolean, b: Tensor | number | boolean): Tensor {
  checkArity(arguments, ["a", "b"], "greaterEqual");
  return compareOp("greaterEqual", a, b, "greaterEqual", ANY);
}

/**
 * Elementwise `a < b` as bool, broadcasting as NumPy does (NaN: false).
 *
 * @param a A tensor (float32, int32 or bool), a number or a boolean.
 * @param b A tensor, a number or a boolean.
 * @returns A new bool tensor of the broadcast shape.
 * @throws {TypeError} When an argument is not a live tensor, a number or a boolean.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.less(dn.tensor([1, 2, 3]), 2).dataSync<"bool">()], [1, 0, 0]);
 * ```
 */
export function less(a: Tensor | number | boolean, b: Tensor | number | boolean): Tensor {
  checkArity(arguments, ["a", "b"], "less");
  return compareOp("less", a, b, "less", ANY);
}

/**
 * Elementwise `a <= b` as bool, broadcasting as NumPy does (NaN: false).
 *
 * @param a A tensor (float32, int32 or bool), a number or a boolean.
 * @param b A tensor, a number or a boolean.
 * @returns A new bool tensor of the broadcast shape.
 * @throws {TypeError} When an argument is not a live tensor, a number or a boolean.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.lessEqual(dn.tensor([1, 2, 3]), 2).dataSync<"bool">()], [1, 1, 0]);
 * ```
 */
export function lessEqual(a: Tensor | number | boolean, b: Tensor | number | boolean): Tensor {
  checkArity(arguments, ["a", "b"], "lessEqual");
  return compareOp("lessEqual", a, b, "lessEqual", ANY);
}

const NUMERIC: readonly DType[] = ["float32", "int32"];

/**
 * Whether each element of `x` is NaN, as bool (`x != x`; never for int32).
 *
 * @param x A float32 or int32 tensor.
 * @returns A new bool tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 or int32 tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.isNaN(dn.tensor([1, NaN, Infinity])).dataSync<"bool">()], [0, 1, 0]);
 * ```
 */
export function isNaN(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "isNaN");
  checkTensor(x, "x", "isNaN", NUMERIC);
  return compareOp("notEqual", x, x, "isNaN", NUMERIC);
}

/**
 * Whether each element of `x` is finite (neither ±Infinity nor NaN), as bool (`|x| < Infinity`;
 * always for int32).
 *
 * @param x A float32 or int32 tensor.
 * @returns A new bool tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 or int32 tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.isFinite(dn.tensor([1, NaN, -Infinity]));
 * assert.deepEqual([...y.dataSync<"bool">()], [1, 0, 0]);
 * ```
 */
export function isFinite(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "isFinite");
  checkTensor(x, "x", "isFinite", NUMERIC);
  if (x.dtype === "int32") return compareOp("equal", x, x, "isFinite", NUMERIC);
  using m = abs(x);
  return compareOp("less", m, Infinity, "isFinite", NUMERIC);
}

/**
 * Whether each element of `x` is +Infinity or -Infinity, as bool (`|x| == Infinity`; never for
 * int32).
 *
 * @param x A float32 or int32 tensor.
 * @returns A new bool tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 or int32 tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.isInf(dn.tensor([1, NaN, -Infinity]));
 * assert.deepEqual([...y.dataSync<"bool">()], [0, 0, 1]);
 * ```
 */
export function isInf(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "isInf");
  checkTensor(x, "x", "isInf", NUMERIC);
  if (x.dtype === "int32") return compareOp("notEqual", x, x, "isInf", NUMERIC);
  using m = abs(x);
  return compareOp("equal", m, Infinity, "isInf", NUMERIC);
}
