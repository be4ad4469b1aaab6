/**
 * Elementwise math of one float32 tensor beyond src/ops/unary.ts: rounding, reciprocals,
 * `log1p`/`expm1`, trigonometry and `erf`, each one call of the backend's unary kernel by op code
 * with its derivative kernel as the gradient (src/ops/_unary_math.ts). Accuracy is stated per op;
 * the algorithms are in assembly/math.ts.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { unaryMath } from "./_unary_math.ts";

/**
 * Sign of each element: -1, 0 or 1; NaN and ±0 give 0 (TF.js's `sign`). The gradient is zero.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.sign(dn.tensor([-2, 0, 3])).dataSync()], [-1, 0, 1]);
 * ```
 */
export function sign(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "sign");
  return unaryMath("sign", x, "sign");
}

/**
 * Largest integer not above each element (`Math.floor`); ±0, ±Infinity and NaN pass through. The
 * gradient is zero.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.floor(dn.tensor([-1.5, 0.5, 2])).dataSync()], [-2, 0, 2]);
 * ```
 */
export function floor(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "floor");
  return unaryMath("floor", x, "floor");
}

/**
 * Smallest integer not below each element (`Math.ceil`); ±0, ±Infinity and NaN pass through. The
 * gradient is zero.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.ceil(dn.tensor([-1.5, 0.5, 2])).dataSync()], [-1, 1, 2]);
 * ```
 */
export function ceil(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "ceil");
  return unaryMath("ceil", x, "ceil");
}

/**
 * Nearest integer to each element, halves to even as TF.js's `round` (`round(2.5)` is 2,
 * `round(-0.5)` is -0). The gradient is zero.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.round(dn.tensor([0.5, 1.5, 2.5, -1.7])).dataSync()], [0, 2, 2, -2]);
 * ```
 */
export function round(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "round");
  return unaryMath("round", x, "round");
}

/**
 * Reciprocal `1 / x` (correctly rounded); `1 / ±0` is ±Infinity. Gradient `-dy / x²`.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.reciprocal(dn.tensor([2, -4])).dataSync()], [0.5, -0.25]);
 * ```
 */
export function reciprocal(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "reciprocal");
  return unaryMath("reciprocal", x, "reciprocal");
}

/**
 * Reciprocal square root `1 / sqrt(x)` (within 1.5 ulp); 0 gives Infinity, negative inputs NaN.
 * Gradient `-dy / (2 x^1.5)`.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.rsqrt(dn.tensor([4, 16])).dataSync()], [0.5, 0.25]);
 * ```
 */
export function rsqrt(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "rsqrt");
  return unaryMath("rsqrt", x, "rsqrt");
}

/**
 * `ln(1 + x)`, accurate for tiny `x` (`log1p(1e-10)` is 1e-10, within 1.5 ulp everywhere); -1 gives
 * -Infinity, `x < -1` NaN. Gradient `dy / (1 + x)`.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.log1p(dn.tensor([0, -1, 1e-10])).dataSync()], [0, -Infinity,
 * Math.fround(1e-10)]);
 * ```
 */
export function log1p(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "log1p");
  return unaryMath("log1p", x, "log1p");
}

/**
 * `e^x - 1`, accurate for tiny `x` (within 1.6 ulp everywhere); -Infinity gives -1. Gradient `dy ·
 * e^x`.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.expm1(dn.tensor([0, -Infinity])).dataSync()], [0, -1]);
 * ```
 */
export function expm1(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "expm1");
  return unaryMath("expm1", x, "expm1");
}

/**
 * Sine, within 2 ulp for every finite float32 (the argument is reduced exactly, so large inputs
 * stay accurate); ±Infinity gives NaN. Gradient `dy · cos(x)`.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.sin(dn.tensor([0, Math.PI / 2])).dataSync()], [0, 1]);
 * ```
 */
export function sin(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "sin");
  return unaryMath("sin", x, "sin");
}

/**
 * Cosine, within 2 ulp for every finite float32 (exact argument reduction); ±Infinity gives NaN.
 * Gradient `-dy · sin(x)`.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.cos(dn.tensor([0, Math.PI])).dataSync()], [1, -1]);
 * ```
 */
export function cos(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "cos");
  return unaryMath("cos", x, "cos");
}

/**
 * Tangent, within 3.5 ulp for every finite float32 (exact argument reduction); ±Infinity gives NaN.
 * Gradient `dy / cos²(x)`.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.tan(dn.tensor([0])).dataSync()], [0]);
 * ```
 */
export function tan(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "tan");
  return unaryMath("tan", x, "tan");
}

/**
 * Gauss error function `2/√π ∫₀ˣ e^(-t²) dt`, within 1.1 ulp; ±Infinity gives ±1. Gradient `dy ·
 * 2/√π · e^(-x²)`.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.erf(dn.tensor([0, Infinity, -Infinity])).dataSync()], [0, 1, -1]);
 * ```
 */
export function erf(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "erf");
  return unaryMath("erf", x, "erf");
}
