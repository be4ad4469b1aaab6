/**
 * `norm`: vector and matrix norms, composed from abs, square, sum, max, min and sqrt.
 *
 * @module
 */
import { checkArity, checkTensor, fmtValue } from "../_check.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { abs, sqrt, square } from "./unary.ts";
import { reshape } from "./transform.ts";
import { axesOf, keepDimsOf, reducedShape, type ReduceOptions } from "./_reduce.ts";
import { max, min, sum } from "./reduce.ts";

/** The orders `norm()` takes, as `tf.norm`: "euclidean", "fro", 1, 2, Infinity or -Infinity. */
export type NormOrd = "euclidean" | "fro" | number;

const VECTOR_ORDS: readonly unknown[] = ["euclidean", 1, 2, Infinity, -Infinity];
const MATRIX_ORDS: readonly unknown[] = ["euclidean", "fro", 1, Infinity, -Infinity];

function badOrd(ord: unknown, ords: readonly unknown[], what: string): TypeError {
  return new TypeError(
    `Cannot run norm(): argument "ord" must be one of ${
      ords.map(fmtValue).join(", ")
    } for a ${what} norm: got ${fmtValue(ord)}`,
  );
}

/** The vector norm of `x` over `axis` (one axis), keeping it. */
function vectorNorm(x: Tensor, ord: unknown, axis: number): Tensor {
  if (ord === 1) return sum(abs(x), axis, true);
  if (ord === Infinity) return max(abs(x), axis, true);
  if (ord === -Infinity) return min(abs(x), axis, true);
  if (ord === "euclidean" || ord === 2) return sqrt(sum(square(x), axis, true));
  throw badOrd(ord, VECTOR_ORDS, "vector");
}

/** The matrix norm of `x` with rows along `rowAxis` and columns along `colAxis`, keeping both. */
function matrixNorm(x: Tensor, ord: unknown, rowAxis: number, colAxis: number): Tensor {
  if (ord === 1) return max(sum(abs(x), rowAxis, true), colAxis, true);
  if (ord === Infinity) return max(sum(abs(x), colAxis, true), rowAxis, true);
  if (ord === -Infinity) return min(sum(abs(x), colAxis, true), rowAxis, true);
  if (ord === "euclidean" || ord === "fro") return sqrt(sum(square(x), [rowAxis, colAxis], true));
  throw badOrd(ord, MATRIX_ORDS, "matrix");
}

/**
 * The norm of `x`, as `tf.norm`: a vector norm over one axis (or over every element when `axis`
 * is omitted), a matrix norm over two. Vector orders: "euclidean" or 2 (√Σx²), 1 (Σ|x|),
 * Infinity (max |x|), -Infinity (min |x|). Matrix orders, rows along `axis[0]` and columns along
 * `axis[1]`: "euclidean" or "fro" (Frobenius), 1 (largest column sum of |x|), Infinity (largest
 * row sum), -Infinity (smallest row sum); the spectral norm (2) is not computed. Gradients flow
 * through the composition (at a zero vector the euclidean norm's is NaN, as TF.js).
 *
 * @param x A float32 tensor of any shape.
 * @param ord The order (default "euclidean").
 * @param axis An axis, a list of one or two axes, or undefined for every element.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns The norms.
 * @throws {TypeError} When `x` is not a live float32 tensor, `ord` is not an order of this kind
 *   of norm, an option is unknown or `keepDims` is not a boolean, or more than four arguments are
 *   passed.
 * @throws {RangeError} When an axis is out of range or repeated, or more than two are given.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.norm(dn.tensor([3, -4])).dataSync()], [5]);
 * assert.deepEqual([...dn.norm(dn.tensor([[1, -2], [3, 4]]), 1, [0, 1]).dataSync()], [6]);
 * assert.deepEqual([...dn.norm(dn.tensor([[1, -2], [3, 4]]), Infinity, 1).dataSync()], [2, 4]);
 * ```
 */
export function norm(
  x: Tensor,
  ord: NormOrd = "euclidean",
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): Tensor {
  checkArity(arguments, ["x", "ord", "axis", "options"], "norm");
  checkTensor(x, "x", "norm");
  const keepDims = keepDimsOf(options, "norm");
  const given = axis === undefined || axis === null ? undefined : axesOf(axis, x.rank, "norm");
  if (given !== undefined && given.length !== 1 && given.length !== 2) {
    throw new RangeError(
      `Cannot run norm(): argument "axis" must name one axis (a vector norm) or two (a matrix norm): got ${
        fmtValue(axis)
      }`,
    );
  }
  const axes = given ?? [...Array(x.rank).keys()];
  return tidy(() => {
    let kept: Tensor;
    if (x.rank === 0) kept = abs(x);
    else if (given === undefined) {
      kept = reshape(vectorNorm(reshape(x, [x.size]), ord, 0), x.shape.map(() => 1));
    } else if (given.length === 1) kept = vectorNorm(x, ord, given[0]);
    else {
      // The rows are the axis named first (axesOf sorted them).
      const [row, col] = (axis as number[]).map((a) => (a < 0 ? a + x.rank : a));
      kept = matrixNorm(x, ord, row, col);
    }
    return reshape(kept, reducedShape(x.shape, axes, keepDims));
  });
}
