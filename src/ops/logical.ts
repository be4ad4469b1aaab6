/**
 * Elementwise logic on bool tensors, broadcasting as NumPy does: `logicalAnd`, `logicalOr`,
 * `logicalXor`, and `logicalNot` (composed as `x xor true`). Operands must be bool tensors or
 * booleans, as in TF.js; cast numbers first (`dn.cast(x, "bool")` is `x != 0`). No gradient.
 *
 * @module
 */
import { checkArity, checkTensor } from "../_check.ts";
import type { DType, Tensor } from "../tensor.ts";
import { compareOp } from "./compare.ts";

const BOOL: readonly DType[] = ["bool"];

/**
 * Elementwise `a && b` of bool tensors, broadcasting as NumPy does.
 *
 * @param a A bool tensor or a boolean.
 * @param b A bool tensor or a boolean.
 * @returns A new bool tensor of the broadcast shape.
 * @throws {TypeError} When an argument is not a live bool tensor or a boolean.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.logicalAnd(dn.tensor([true, true, false]), dn.tensor([true, false, false]));
 * assert.deepEqual([...y.dataSync<"bool">()], [1, 0, 0]);
 * ```
 */
export function logicalAnd(a: Tensor | boolean, b: Tensor | boolean): Tensor {
  checkArity(arguments, ["a", "b"], "logicalAnd");
  return compareOp("logicalAnd", a, b, "logicalAnd", BOOL);
}

/**
 * Elementwise `a || b` of bool tensors, broadcasting as NumPy does.
 *
 * @param a A bool tensor or a boolean.
 * @param b A bool tensor or a boolean.
 * @returns A new bool tensor of the broadcast shape.
 * @throws {TypeError} When an argument is not a live bool tensor or a boolean.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.logicalOr(dn.tensor([true, false]), false);
 * assert.deepEqual([...y.dataSync<"bool">()], [1, 0]);
 * ```
 */
export function logicalOr(a: Tensor | boolean, b: Tensor | boolean): Tensor {
  checkArity(arguments, ["a", "b"], "logicalOr");
  return compareOp("logicalOr", a, b, "logicalOr", BOOL);
}

/**
 * Elementwise exclusive or of bool tensors (`a != b`), broadcasting as NumPy does.
 *
 * @param a A bool tensor or a boolean.
 * @param b A bool tensor or a boolean.
 * @returns A new bool tensor of the broadcast shape.
 * @throws {TypeError} When an argument is not a live bool tensor or a boolean.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.logicalXor(dn.tensor([true, true, false]), dn.tensor([true, false, false]));
 * assert.deepEqual([...y.dataSync<"bool">()], [0, 1, 0]);
 * ```
 */
export function logicalXor(a: Tensor | boolean, b: Tensor | boolean): Tensor {
  checkArity(arguments, ["a", "b"], "logicalXor");
  return compareOp("logicalXor", a, b, "logicalXor", BOOL);
}

/**
 * Elementwise `!x` of a bool tensor.
 *
 * @param x A bool tensor.
 * @returns A new bool tensor of the same shape.
 * @throws {TypeError} When `x` is not a live bool tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.logicalNot(dn.tensor([true, false])).dataSync<"bool">()], [0, 1]);
 * ```
 */
export function logicalNot(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "logicalNot");
  checkTensor(x, "x", "logicalNot", BOOL);
  return compareOp("logicalXor", x, true, "logicalNot", BOOL);
}
