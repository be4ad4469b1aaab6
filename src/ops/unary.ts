/**
 * Elementwise functions of one tensor: activations and math.
 *
 * @module
 */
import { checkArity, checkTensor } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import type { UnaryGradOp, UnaryMathOp, UnaryOp } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { div, mul, sub } from "./arithmetic.ts";
import { output } from "./_output.ts";

/** The ops of this file; the ones run by op code are in math.ts and activations.ts. */
type BasicOp = Exclude<UnaryOp, UnaryMathOp>;

function forward(op: BasicOp, x: Tensor): Tensor {
  checkTensor(x, "x", op);
  const y = output(x.shape, op);
  if (y.size > 0) activeBackend().unary(op, x.storage, y.storage, x.size);
  return y;
}

/** `dy · f'` by the fused derivative kernel, from the saved input (relu) or output. */
export function fused(op: UnaryGradOp, dy: Tensor, saved: Tensor): Tensor {
  const dx = output(dy.shape);
  if (dx.size > 0) {
    activeBackend().unaryBackward(op, dy.storage, saved.storage, dx.storage, dy.size);
  }
  return dx;
}

/** Each op's derivative and whether it needs the input (`x`) or the output (`y`). */
const BACKWARD: Record<BasicOp, { save: "x" | "y"; dx: (dy: Tensor, s: Tensor) => Tensor }> = {
  relu: { save: "x", dx: (dy, x) => fused("relu", dy, x) },
  sigmoid: { save: "y", dx: (dy, y) => fused("sigmoid", dy, y) },
  tanh: { save: "y", dx: (dy, y) => fused("tanh", dy, y) },
  exp: { save: "y", dx: (dy, y) => mul(dy, y) },
  log: { save: "x", dx: (dy, x) => div(dy, x) },
  neg: { save: "x", dx: (dy) => forward("neg", dy) },
  sqrt: { save: "y", dx: (dy, y) => div(dy, mul(y, 2)) },
  square: { save: "x", dx: (dy, x) => mul(dy, mul(x, 2)) },
  abs: {
    save: "x",
    dx: (dy, x) => sub(fused("relu", dy, x), fused("relu", dy, forward("neg", x))),
  },
};

function unary(op: BasicOp, x: Tensor): Tensor {
  const y = forward(op, x);
  const { save, dx } = BACKWARD[op];
  return record(y, [x], (dy, [s]) => [dx(dy, s)], [save === "x" ? x : y]);
}

/**
 * Rectified linear unit `max(x, 0)`; NaN stays NaN.
 *
 * @param x Any shape.
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `x` is not a live tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.relu(dn.tensor([-1, 0, 2])).dataSync()], [0, 0, 2]);
 * ```
 */
export function relu(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "relu");
  return unary("relu", x);
}

/**
 * Logistic sigmoid `1 / (1 + exp(-x))`.
 *
 * @param x Any shape.
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `x` is not a live tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.sigmoid(dn.tensor([0])).dataSync()], [0.5]);
 * ```
 */
export function sigmoid(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "sigmoid");
  return unary("sigmoid", x);
}

/**
 * Hyperbolic tangent.
 *
 * @param x Any shape.
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `x` is not a live tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.tanh(dn.tensor([0])).dataSync()], [0]);
 * ```
 */
export function tanh(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "tanh");
  return unary("tanh", x);
}

/**
 * Natural exponential `e^x`.
 *
 * @param x Any shape.
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `x` is not a live tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.exp(dn.tensor([0])).dataSync()], [1]);
 * ```
 */
export function exp(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "exp");
  return unary("exp", x);
}

/**
 * Natural logarithm; `log(0)` is -Infinity and negative inputs give NaN.
 *
 * @param x Any shape.
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `x` is not a live tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.log(dn.tensor([1])).dataSync()], [0]);
 * ```
 */
export function log(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "log");
  return unary("log", x);
}

/**
 * Negation `-x`.
 *
 * @param x Any shape.
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `x` is not a live tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.neg(dn.tensor([1, -2])).dataSync()], [-1, 2]);
 * ```
 */
export function neg(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "neg");
  return unary("neg", x);
}

/**
 * Square root; negative inputs give NaN.
 *
 * @param x Any shape.
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `x` is not a live tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.sqrt(dn.tensor([4, 9])).dataSync()], [2, 3]);
 * ```
 */
export function sqrt(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "sqrt");
  return unary("sqrt", x);
}

/**
 * Square `x * x`.
 *
 * @param x Any shape.
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `x` is not a live tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.square(dn.tensor([3, -2])).dataSync()], [9, 4]);
 * ```
 */
export function square(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "square");
  return unary("square", x);
}

/**
 * Absolute value.
 *
 * @param x Any shape.
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `x` is not a live tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.abs(dn.tensor([-3, 2])).dataSync()], [3, 2]);
 * ```
 */
export function abs(x: Tensor): Tensor {
  checkArity(arguments, ["x"], "abs");
  return unary("abs", x);
}
