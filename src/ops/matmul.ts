/**
 * Matrix multiplication with the fused GEMM epilogue (bias along the columns, activation), batched
 * over broadcast batch dimensions; `dot` and `outerProduct` (products.ts) are composed from it.
 *
 * @module
 */
import {
  checkArity,
  checkOneOf,
  checkOptions,
  checkTensor,
  fmtShape,
  fmtValue,
} from "../_check.ts";
import { ACTIVATIONS } from "../backend/activations.ts";
import type { Activation } from "../backend/backend.ts";
import type { Tensor } from "../tensor.ts";
import { record } from "../autograd/tape.ts";
import { batchGemm, batchShape } from "./_batch_gemm.ts";
import { sumTo } from "./arithmetic.ts";
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
 * Matrix product `activation(op(a)·op(b) + bias)` (`tf.matMul`): rank 2, or batched for rank >= 3
 * with the batch dimensions (all but the last two) broadcast as NumPy does (a rank-2 operand is
 * one matrix for every item). Each batch item is one fused GEMM on views of the operands, no copy.
 * The gradient of an operand whose batch dimensions were broadcast sums over them.
 *
 * Call it as TF.js does, `matmul(a, b, transposeA, transposeB)`, or with an options object,
 * `matmul(a, b, { transposeA, transposeB, bias, activation })` (Dendrite's fused epilogue).
 *
 * @param a `[..., m, k]`, or `[..., k, m]` with `transposeA`.
 * @param b `[..., k, n]`, or `[..., n, k]` with `transposeB`.
 * @param transposeA A boolean (default false), or the options: `transposeA`, `transposeB`,
 *   `bias` (`[n]`, added to every row), `activation`.
 * @param transposeB Multiply by the transpose of `b` (default false); only with a boolean third
 *   argument.
 * @returns The `[...batch, m, n]` product.
 * @throws {TypeError} When an argument is not a live float32 tensor, has rank < 2, a transpose flag
 *   is not a boolean, or the activation is unknown.
 * @throws {RangeError} When the inner dimensions, the batch dimensions or the bias length do not
 *   match.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const a = dn.tensor([[1, 2], [3, 4]]);
 * const b = dn.tensor([[5, 6], [7, 8]]);
 * assert.deepEqual([...dn.matmul(a, b).dataSync()], [19, 22, 43, 50]);
 * assert.deepEqual([...dn.matmul(a, b, false, true).dataSync()], [17, 23, 39, 53]);
 * assert.deepEqual([...dn.matmul(a, b, { transposeB: true }).dataSync()], [17, 23, 39, 53]);
 * const batch = dn.matmul(dn.ones([3, 2, 4]), dn.ones([4, 5]));
 * assert.deepEqual(batch.shape, [3, 2, 5]);
 * ```
 */
export function matmul(
  a: Tensor,
  b: Tensor,
  transposeA: boolean | MatmulOptions = false,
  transposeB = false,
): Tensor {
  const fn = "matmul";
  checkArity(arguments, ["a", "b", "transposeA", "transposeB"], fn);
  checkTensor(a, "a", fn);
  checkTensor(b, "b", fn);
  const options = matmulOptions(transposeA, transposeB, arguments.length, fn);
  for (const [x, name] of [[a, "a"], [b, "b"]] as const) {
    if (x.rank < 2) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "${name}" must have rank >= 2: got rank ${x.rank} (shape ${
          fmtShape(x.shape)
        })`,
      );
    }
  }
  const transA = options.transposeA ?? false, transB = options.transposeB ?? false;
  const [ar, ac] = a.shape.slice(-2), [br, bc] = b.shape.slice(-2);
  const ka = transA ? ar : ac;
  const [kb, n] = transB ? [bc, br] : [br, bc];
  if (ka !== kb) {
    throw new RangeError(
      `Cannot multiply matrices in ${fn}(): inner dimensions of "a" ${fmtShape(a.shape)}${
        transA ? " (transposed)" : ""
      } and "b" ${fmtShape(b.shape)}${
        transB ? " (transposed)" : ""
      } must match: got ${ka} and ${kb}`,
    );
  }
  batchShape(a, b, fn);
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
  const c = batchGemm(a, b, transA, transB, bias ?? null, activation);
  const inputs = bias ? [a, b, bias] : [a, b];
  return record(c, inputs, (dc, [a, b, c], needs) => {
    // relu's derivative from its output equals the one from its input: c > 0 exactly when z > 0.
    const dz = activation === "linear" ? dc : fused(activation, dc, c);
    // op(a)·op(b) = z: d op(a) = dz·op(b)ᵀ and d op(b) = op(a)ᵀ·dz, transposed back where stored
    // so; each over the full batch, then summed over the batch dimensions broadcasting expanded.
    const da = !needs[0] ? null : sumTo(
      transA
        ? batchGemm(b, dz, transB, true, null, "linear")
        : batchGemm(dz, b, false, !transB, null, "linear"),
      a.shape,
    );
    const db = !needs[1] ? null : sumTo(
      transB
        ? batchGemm(dz, a, true, transA, null, "linear")
        : batchGemm(a, dz, !transA, false, null, "linear"),
      b.shape,
    );
    if (!bias) return [da, db];
    return [da, db, needs[2] ? sum(dz, dz.shape.slice(0, -1).map((_, i) => i)) : null];
  }, [a, b, c]);
}

/** The options of either calling form, checked. */
function matmulOptions(
  transposeA: unknown,
  transposeB: unknown,
  count: number,
  fn: string,
): MatmulOptions {
  if (typeof transposeA === "boolean") {
    // Defaults already applied: an undefined flag arrives as false.
    if (typeof transposeB !== "boolean") {
      throw new TypeError(
        `Cannot run ${fn}(): argument "transposeB" must be a boolean: got ${fmtValue(transposeB)}`,
      );
    }
    return { transposeA, transposeB };
  }
  if (count > 3) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "transposeB" must be absent when the third argument is an options object: got ${
        fmtValue(transposeB)
      }`,
    );
  }
  checkOptions(transposeA, ["transposeA", "transposeB", "bias", "activation"], fn);
  const options = (transposeA ?? {}) as MatmulOptions;
  for (const key of ["transposeA", "transposeB"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "boolean") {
      throw new TypeError(
        `Cannot run ${fn}(): option "${key}" must be a boolean: got ${fmtValue(options[key])}`,
      );
    }
  }
  return options;
}
