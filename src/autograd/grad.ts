/**
 * Gradient functions in the shape of TensorFlow.js's `tf.grad`, `tf.grads`, `tf.valueAndGrad`
 * and `tf.valueAndGrads`.
 *
 * @module
 */
import { checkArity, checkTensor, fmtValue } from "../_check.ts";
import { add } from "../ops/arithmetic.ts";
import { fill } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";
import { gradients } from "./tape.ts";

const OPS = { fill, add };

/** Throws unless `f` is a function, and unless the factory got `f` alone. */
function checkFactory(args: ArrayLike<unknown>, fn: string): void {
  checkArity(args, ["f"], fn);
  if (typeof args[0] !== "function") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "f" must be a function of tensors: got ${fmtValue(args[0])}`,
    );
  }
}

function checkInputs(xs: readonly Tensor[], dy: Tensor | undefined, fn: string): void {
  if (!Array.isArray(xs)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "xs" must be an array of tensors: got ${typeof xs}`,
    );
  }
  xs.forEach((x, i) => checkTensor(x, `xs[${i}]`, fn));
  if (dy !== undefined) checkTensor(dy, "dy", fn);
}

/** `checkInputs` for the one-input forms, whose argument is named `x`. */
function checkInput(x: Tensor, dy: Tensor | undefined, fn: string): void {
  checkTensor(x, "x", fn);
  if (dy !== undefined) checkTensor(dy, "dy", fn);
}

/**
 * The value of `f(...xs)` and its gradients with respect to every `x`.
 *
 * @param f A function of tensors returning a tensor (usually a scalar loss).
 * @returns `(xs, dy?) => { value, grads }`; `dy` seeds the backward pass (default: ones).
 * @throws {TypeError} When an input is not a live tensor or `f` does not return a tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const f = (a: dn.Tensor, b: dn.Tensor) => dn.sum(dn.mul(a, b));
 * const { value, grads } = dn.valueAndGrads(f)([dn.tensor([1, 2]), dn.tensor([3, 4])]);
 * assert.deepEqual([...value.dataSync()], [11]);
 * assert.deepEqual([...grads[0].dataSync()], [3, 4]);
 * ```
 */
export function valueAndGrads(
  f: (...xs: Tensor[]) => Tensor,
): (xs: readonly Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  checkFactory(arguments, "valueAndGrads");
  return (...args: unknown[]) => {
    checkArity(args, ["xs", "dy"], "valueAndGrads");
    const [xs, dy] = args as [readonly Tensor[], Tensor | undefined];
    checkInputs(xs, dy, "valueAndGrads");
    return gradients(() => f(...xs), xs, dy, "valueAndGrads", OPS);
  };
}

/**
 * The gradients of `f(...xs)` with respect to every `x`.
 *
 * @param f A function of tensors returning a tensor.
 * @returns `(xs, dy?) => grads`.
 * @throws {TypeError} When an input is not a live tensor or `f` does not return a tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const [da] = dn.grads((a: dn.Tensor) => dn.sum(dn.square(a)))([dn.tensor([1, -3])]);
 * assert.deepEqual([...da.dataSync()], [2, -6]);
 * ```
 */
export function grads(
  f: (...xs: Tensor[]) => Tensor,
): (xs: readonly Tensor[], dy?: Tensor) => Tensor[] {
  checkFactory(arguments, "grads");
  return (...args: unknown[]) => {
    checkArity(args, ["xs", "dy"], "grads");
    const [xs, dy] = args as [readonly Tensor[], Tensor | undefined];
    checkInputs(xs, dy, "grads");
    const { value, grads } = gradients(() => f(...xs), xs, dy, "grads", OPS);
    value.dispose();
    return grads;
  };
}

/**
 * The value of `f(x)` and its gradient with respect to `x`.
 *
 * @param f A function of one tensor returning a tensor.
 * @returns `(x, dy?) => { value, grad }`.
 * @throws {TypeError} When `x` is not a live tensor or `f` does not return a tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const { value, grad } = dn.valueAndGrad((x: dn.Tensor) => dn.sum(dn.square(x)))(dn.tensor([3]));
 * assert.deepEqual([...value.dataSync(), ...grad.dataSync()], [9, 6]);
 * ```
 */
export function valueAndGrad(
  f: (x: Tensor) => Tensor,
): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  checkFactory(arguments, "valueAndGrad");
  return (...args: unknown[]) => {
    checkArity(args, ["x", "dy"], "valueAndGrad");
    const [x, dy] = args as [Tensor, Tensor | undefined];
    checkInput(x, dy, "valueAndGrad");
    const { value, grads } = gradients(() => f(x), [x], dy, "valueAndGrad", OPS);
    return { value, grad: grads[0] };
  };
}

/**
 * The gradient of `f(x)` with respect to `x`.
 *
 * @param f A function of one tensor returning a tensor.
 * @returns `(x, dy?) => grad`.
 * @throws {TypeError} When `x` is not a live tensor or `f` does not return a tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const g = dn.grad((x: dn.Tensor) => dn.sum(dn.mul(x, 3)))(dn.tensor([1, 2]));
 * assert.deepEqual([...g.dataSync()], [3, 3]);
 * ```
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  checkFactory(arguments, "grad");
  return (...args: unknown[]) => {
    checkArity(args, ["x", "dy"], "grad");
    const [x, dy] = args as [Tensor, Tensor | undefined];
    checkInput(x, dy, "grad");
    const { value, grads } = gradients(() => f(x), [x], dy, "grad", OPS);
    value.dispose();
    return grads[0];
  };
}
