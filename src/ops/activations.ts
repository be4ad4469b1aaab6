/**
 * Activation functions as ops on float32 tensors: `softplus`, `elu`, `selu`, `leakyRelu`, `gelu`,
 * `silu` (and its alias `swish`). Each is one call of the backend's unary kernel by op code, with
 * its derivative kernel as the gradient (src/ops/_unary_math.ts); the algorithms and their accuracy
 * are in assembly/math.ts.
 *
 * @module
 */
import { checkArity, checkOptions, fmtValue } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { unaryMath } from "./_unary_math.ts";

/**
 * Softplus `ln(1 + e^x)`, computed as `max(x, 0) + log1p(e^-|x|)`: no overflow for large `x` and
 * full relative accuracy for very negative `x`. Gradient `dy · sigmoid(x)`.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.softplus(dn.tensor([0, 100])).dataSync()], [Math.fround(Math.LN2), 100]);
 * ```
 */
export function softplus(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "softplus");
  return unaryMath("softplus", x, "softplus");
}

/**
 * Exponential linear unit: `x` for `x > 0`, else `e^x - 1` (TF.js's `elu`, alpha 1). Gradient
 * `dy` for `x > 0`, else `dy · e^x`.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.elu(dn.tensor([2, 0, -Infinity])).dataSync()], [2, 0, -1]);
 * ```
 */
export function elu(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "elu");
  return unaryMath("elu", x, "elu", 1);
}

/**
 * Scaled exponential linear unit: `scale · x` for `x > 0`, else `scale · alpha · (e^x - 1)` with
 * TF.js's constants `scale = 1.0507009873554805` and `scale · alpha = 1.7580993408473769`.
 * Gradient `dy · scale` for `x > 0`, else `dy · scale · alpha · e^x`.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.selu(dn.tensor([0, 1]));
 * assert.deepEqual([...y.dataSync()], [0, Math.fround(1.0507009873554805)]);
 * ```
 */
export function selu(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "selu");
  return unaryMath("selu", x, "selu");
}

/**
 * Leaky rectified linear unit: `x` for `x > 0`, else `alpha · x` (TF.js's `leakyRelu`). Gradient
 * `dy` for `x > 0`, else `alpha · dy` (at 0 too, as TF.js).
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @param alpha The slope for `x <= 0`, a finite number (default 0.2, rounded to float32).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor, `alpha` is not a number, or more than
 *   two arguments are passed.
 * @throws {RangeError} When `alpha` is NaN or infinite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.leakyRelu(dn.tensor([-2, 3]), 0.5).dataSync()], [-1, 3]);
 * ```
 */
export function leakyRelu(x: Tensor, alpha = 0.2): Tensor {
  checkArity(arguments, ["x", "alpha"], "leakyRelu");
  if (typeof alpha !== "number") {
    throw new TypeError(
      `Cannot run leakyRelu(): argument "alpha" must be a number: got ${fmtValue(alpha)}`,
    );
  }
  if (!Number.isFinite(alpha)) {
    throw new RangeError(
      `Cannot run leakyRelu(): argument "alpha" must be a finite number: got ${alpha}`,
    );
  }
  return unaryMath("leakyRelu", x, "leakyRelu", alpha);
}

/** Options of {@linkcode gelu}. */
export interface GeluOptions {
  /** Use the tanh approximation instead of the exact erf form (default false, as Keras). */
  approximate?: boolean;
}

/**
 * Gaussian error linear unit `x · Φ(x)`, Φ the standard normal distribution function: by default
 * the exact `x/2 · (1 + erf(x/√2))` (Keras' `gelu(x, approximate=False)`), or with
 * `{ approximate: true }` the tanh form `x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`. Gradient
 * `dy · (Φ(x) + x · φ(x))` (of the chosen form). Within 1 ulp plus `|x| · 2^-24`: for `x < -1`
 * the exact form's `1 + erf` cancels (as in Keras), so there only the absolute error is small.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @param options `approximate`.
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor, an option is unknown, `approximate`
 *   is not a boolean, or more than two arguments are passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.gelu(dn.tensor([0, 10])).dataSync()], [0, 10]);
 * const y = dn.gelu(dn.tensor([1]), { approximate: true });
 * assert.ok(Math.abs(y.dataSync()[0] - 0.8411919906) < 1e-6);
 * ```
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  checkArity(arguments, ["x", "options"], "gelu");
  const { approximate = false } = checkOptions(options, ["approximate"], "gelu");
  if (typeof approximate !== "boolean") {
    throw new TypeError(
      `Cannot run gelu(): option "approximate" must be a boolean: got ${fmtValue(approximate)}`,
    );
  }
  return unaryMath(approximate ? "geluTanh" : "gelu", x, "gelu");
}

/**
 * Sigmoid linear unit `x · sigmoid(x)` (Keras' `silu`, also exported as {@linkcode swish}).
 * Gradient `dy · (s + x · s · (1 - s))` with `s = sigmoid(x)`.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.silu(dn.tensor([0, 100])).dataSync()], [0, 100]);
 * ```
 */
export function silu(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "silu");
  return unaryMath("silu", x, "silu");
}

/**
 * Swish `x · sigmoid(x)`: Keras' alias of {@linkcode silu} (beta 1), the same op under this name.
 *
 * @param x A float32 tensor of any shape (int32 and bool are rejected: cast them first).
 * @returns A new float32 tensor of the same shape.
 * @throws {TypeError} When `x` is not a live float32 tensor or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.swish(dn.tensor([0])).dataSync()], [0]);
 * ```
 */
export function swish(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "swish");
  return unaryMath("silu", x, "swish");
}
