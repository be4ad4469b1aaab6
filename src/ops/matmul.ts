/**
 * Matrix multiplication with the fused GEMM epilogue (bias along the columns, activation).
 *
 * @module
 */
import {
  checkArity,
  checkOneOf,
  checkOptions,
  checkRank,
  checkTensor,
  fmtShape,
} from "../_check.ts";
import { ACTIVATIONS } from "../backend/activations.ts";
import type { Activation } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";
import { record } from "../autograd/tape.ts";
import { sum } from "./reduce.ts";
import { fused } from "./unary.ts";

/** Options of `matmul()`. */
export interface MatmulOptions {
  /** Multiply by the transpose of `a` (default false). */
  transposeA?: boolean;
  /** Multiply by the transpose of `b` (default false). */
  transposeB?: boolean;
  /** Added to every row of the product: shape `[n]`. */
  bias?: Tensor;
  /** Applied after the bias (default `"linear"`). */
  activation?: Activation;
}

/**
 * Matrix product `activation(op(a)·op(b) + bias)` of two rank-2 tensors, in one fused kernel.
 *
 * @param a `[m, k]`, or `[k, m]` with `transposeA`.
 * @param b `[k, n]`, or `[n, k]` with `transposeB`.
 * @param options `transposeA`, `transposeB`, `bias` (`[n]`), `activation`.
 * @returns The `[m, n]` product.
 * @throws {TypeError} When an argument is not a live tensor, not rank 2, or the activation is
 *   unknown.
 * @throws {RangeError} When the inner dimensions or the bias length do not match.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const a = dn.tensor([[1, 2], [3, 4]]);
 * const b = dn.tensor([[5, 6], [7, 8]]);
 * assert.deepEqual([...dn.matmul(a, b).dataSync()], [19, 22, 43, 50]);
 * assert.deepEqual([...dn.matmul(a, b, { transposeB: true }).dataSync()], [17, 23, 39, 53]);
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  checkArity(arguments, ["a", "b", "options"], "matmul");
  const fn = "matmul";
  checkTensor(a, "a", fn);
  checkTensor(b, "b", fn);
  checkRank(a, 2, "a", fn);
  checkRank(b, 2, "b", fn);
  checkOptions(options, ["transposeA", "transposeB", "bias", "activation"], fn);
  const transA = options.transposeA ?? false, transB = options.transposeB ?? false;
  const ka = transA ? a.shape[0] : a.shape[1];
  const [kb, n] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (ka !== kb) {
    throw new RangeError(
      `Cannot multiply matrices in ${fn}(): inner dimensions of "a" ${fmtShape(a.shape)}${
        transA ? " (transposed)" : ""
      } and "b" ${fmtShape(b.shape)}${
        transB ? " (transposed)" : ""
      } must match: got ${ka} and ${kb}`,
    );
  }
  const activation = checkOneOf(options.activation ?? "linear", ACTIVATIONS, "activation", fn);
  const bias = options.bias;
  if (bias !== undefined) {
    checkTensor(bias, "bias", fn);
    if (bias.rank !== 1 || bias.shape[0] !== n) {
      throw new RangeError(
        `Cannot add bias in ${fn}(): argument "bias" must have shape [${n}]: got ${
          fmtShape(bias.shape)
        }`,
      );
    }
  }
  const c = gemm(a, b, transA, transB, bias ?? null, activation);
  const inputs = bias ? [a, b, bias] : [a, b];
  return record(c, inputs, (dc, [a, b, c], needs) => {
    // relu's derivative from its output equals the one from its input: c > 0 exactly when z > 0.
    const dz = activation === "linear" ? dc : fused(activation, dc, c);
    // op(a)·op(b) = z: d op(a) = dz·op(b)ᵀ and d op(b) = op(a)ᵀ·dz, transposed back where stored so.
    const da = !needs[0]
      ? null
      : transA
      ? gemm(b, dz, transB, true, null, "linear")
      : gemm(dz, b, false, !transB, null, "linear");
    const db = !needs[1]
      ? null
      : transB
      ? gemm(dz, a, true, transA, null, "linear")
      : gemm(a, dz, !transA, false, null, "linear");
    return bias ? [da, db, needs[2] ? sum(dz, 0) : null] : [da, db];
  }, [a, b, c]);
}

/** The raw fused product on the active backend (no checks, no recording). */
function gemm(
  a: Tensor,
  b: Tensor,
  transA: boolean,
  transB: boolean,
  bias: Tensor | null,
  activation: Activation,
): Tensor {
  const m = transA ? a.shape[1] : a.shape[0];
  const k = transA ? a.shape[0] : a.shape[1];
  const n = transB ? b.shape[0] : b.shape[1];
  const c = output([m, n], "matmul");
  activeBackend().gemm({
    a: a.storage,
    b: b.storage,
    c: c.storage,
    m,
    n,
    k,
    transA,
    transB,
    bias: bias?.storage ?? null,
    activation,
    beta: 0,
  });
  return c;
}
