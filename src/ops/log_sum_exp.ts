/**
 * `logSumExp`: the backend's max-shifted reduction, with the softmax as its gradient.
 *
 * @module
 */
import { checkArity, checkTensor } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { mul, sub } from "./arithmetic.ts";
import { exp, log } from "./unary.ts";
import { reshape } from "./transform.ts";
import { view } from "./_output.ts";
import { axesOf, keepDimsOf, reducedShape, reduceKept, type ReduceOptions } from "./_reduce.ts";
import { sum } from "./reduce.ts";

/**
 * `log(Σ exp(x))` over `axis` (all axes when omitted), as `tf.logSumExp`, computed as
 * `m + log(Σ exp(x - m))` with `m` the maximum, so entries of ±1e3 neither overflow nor vanish.
 * A slice holding NaN or +inf, or only -inf, gives NaN (as TF.js); an empty axis gives -inf.
 * Axes that are not adjacent reduce one run after the other (the log-sum-exp of log-sum-exps is
 * the whole one).
 * The gradient is the softmax of the slice, `exp(x - logSumExp(x))`.
 *
 * @param x A float32 tensor of any shape.
 * @param axis An axis, a list of axes, or undefined for all; negative axes count from the end.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns The log-sum-exps.
 * @throws {TypeError} When `x` is not a live float32 tensor, an option is unknown or `keepDims`
 *   is not a boolean, or more than three arguments are passed.
 * @throws {RangeError} When an axis is out of range or repeated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.logSumExp(dn.tensor([[1000, 1000], [0, Math.log(3)]]), 1);
 * const [a, b] = y.dataSync();
 * assert.ok(Math.abs(a - (1000 + Math.log(2))) < 1e-3 && Math.abs(b - Math.log(4)) < 1e-6);
 * ```
 */
export function logSumExp(
  x: Tensor,
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): Tensor {
  checkArity(arguments, ["x", "axis", "options"], "logSumExp");
  checkTensor(x, "x", "logSumExp");
  const keepDims = keepDimsOf(options, "logSumExp");
  const axes = axesOf(axis, x.rank, "logSumExp");
  if (x.size === 0) return tidy(() => log(sum(x, axes, keepDims)));
  const kept = reduceKept("logSumExp", x, axes, "logSumExp");
  const result = view(kept, reducedShape(x.shape, axes, keepDims));
  kept.dispose();
  return record(result, [x], (dy, [input, lse]) => {
    const shape = reducedShape(x.shape, axes, true);
    return [mul(reshape(dy, shape), exp(sub(input, reshape(lse, shape))))];
  }, [x, result]);
}
