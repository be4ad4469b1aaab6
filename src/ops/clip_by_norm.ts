/**
 * `clipByNorm`: rescaling a tensor so that its L2 norm over some axes is at most a bound, composed
 * from square, sum, sqrt, maximum and where (TensorFlow's `tf.clip_by_norm`).
 *
 * @module
 */
import { checkArity, checkAxis, checkTensor, fmtValue } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { tidy } from "../scope.ts";
import { div, maximum, mul } from "./arithmetic.ts";
import { greater } from "./compare.ts";
import { sum } from "./reduce.ts";
import { sqrt, square } from "./unary.ts";
import { where } from "./where.ts";

/** The axes `axes` names for rank `rank`, normalised, or undefined for all. */
function axesArg(axes: unknown, rank: number): number[] | undefined {
  if (axes === undefined) return undefined;
  if (typeof axes !== "number" && !Array.isArray(axes)) {
    throw new TypeError(
      `Cannot run clipByNorm(): argument "axes" must be an axis, a list of axes or undefined: got ${
        fmtValue(axes)
      }`,
    );
  }
  const list = (Array.isArray(axes) ? axes : [axes]).map((a) =>
    checkAxis(a, rank, "axes", "clipByNorm")
  );
  if (new Set(list).size !== list.length) {
    throw new RangeError(
      `Cannot run clipByNorm(): argument "axes" must not repeat an axis: got ${fmtValue(axes)}`,
    );
  }
  return list;
}

/**
 * Rescales `x` so that its L2 norm over `axes` is at most `clipNorm`: `x · clipNorm /
 * max(‖x‖₂, clipNorm)`, the norm taken over `axes` (every element when omitted) and broadcast
 * back, as TensorFlow's `tf.clip_by_norm` (TF.js has none; Keras clips gradients with it for an
 * optimizer's `clipnorm`). Slices whose norm is within the bound are unchanged. The gradient flows
 * through the composition, finite also where a slice is all zeros (the norm is taken as 0 there
 * without differentiating its square root, as TensorFlow does).
 *
 * @param x A float32 tensor of any shape.
 * @param clipNorm The bound, a finite number > 0.
 * @param axes An axis or a list of axes to take the norm over (negative counts from the end), or
 *   undefined for every element.
 * @returns A new float32 tensor of the shape of `x`.
 * @throws {TypeError} When `x` is not a live float32 tensor, `clipNorm` is not a number, `axes` is
 *   not an axis, a list of axes or undefined, or more than three arguments are passed.
 * @throws {RangeError} When `clipNorm` is not finite and > 0, or an axis is out of range or
 *   repeated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.clipByNorm(dn.tensor([[3, 4], [0.3, 0.4]]), 1, 1);
 * assert.deepEqual([...y.dataSync()], [0.6, 0.8, 0.3, 0.4].map(Math.fround));
 * ```
 */
export function clipByNorm(x: Tensor, clipNorm: number, axes?: number | number[]): Tensor {
  const fn = "clipByNorm";
  checkArity(arguments, ["x", "clipNorm", "axes"], fn);
  checkTensor(x, "x", fn);
  if (typeof clipNorm !== "number") {
    throw new TypeError(
      `Cannot run clipByNorm(): argument "clipNorm" must be a number: got ${fmtValue(clipNorm)}`,
    );
  }
  if (!(Number.isFinite(clipNorm) && clipNorm > 0)) {
    throw new RangeError(
      `Cannot run clipByNorm(): argument "clipNorm" must be a finite number > 0: got ${clipNorm}`,
    );
  }
  const list = axesArg(axes, x.rank);
  return tidy(() => {
    const l2sum = sum(square(x), list, true);
    const positive = greater(l2sum, 0);
    // sqrt only where the sum is positive, so that its derivative is never 1/0.
    const l2norm = where(positive, sqrt(where(positive, l2sum, 1)), l2sum);
    return div(mul(x, clipNorm), maximum(l2norm, clipNorm));
  });
}
