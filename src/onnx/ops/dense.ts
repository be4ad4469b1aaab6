/**
 * Gemm and MatMul on our fused GEMM: the bias (Gemm's C, or a constant vector added right after a
 * MatMul) and a following Relu/Sigmoid/Tanh run in the GEMM epilogue (the planner fuses them).
 *
 * @module
 */
import { matmul } from "../../ops/matmul.ts";
import { add, mul } from "../../ops/arithmetic.ts";
import { reshape, squeeze } from "../../ops/transform.ts";
import type { Kernel, KernelBuilder, NodeCtx } from "../_kernel.ts";
import type { HostTensor } from "../_proto.ts";
import { permuted, scaled, toTensor } from "./_constants.ts";

/** Gemm's C as a `[n]` bias when it is a constant vector (or `[1, n]`), else undefined. */
function biasVector(c: HostTensor | undefined, beta: number): HostTensor | undefined {
  if (!c || c.dtype !== "float32") return undefined;
  const n = c.shape[c.shape.length - 1] ?? 1;
  if (c.shape.length > 2 || c.data.length !== n) return undefined;
  return scaled({ dtype: "float32", shape: [n], data: c.data }, beta);
}

function gemm(ctx: NodeCtx): Kernel {
  const alpha = ctx.float("alpha", 1);
  const beta = ctx.float("beta", 1);
  const transposeA = ctx.int("transA", 0) === 1;
  const bHost = ctx.constant(1);
  // Constant weights stored [n, k] (PyTorch's Linear) are transposed once, here: the GEMM then
  // reads them in its faster [k, n] order.
  const constantB = bHost?.shape.length === 2 && bHost.dtype === "float32"
    ? ctx.keep(toTensor(ctx.int("transB", 0) === 1 ? permuted(bHost, [1, 0]) : bHost))
    : undefined;
  const transposeB = !constantB && ctx.int("transB", 0) === 1;
  const cHost = biasVector(ctx.constant(2), beta);
  const fast = alpha === 1 && (!ctx.has(2) || cHost !== undefined);
  const bias = fast && cHost ? ctx.keep(toTensor(cHost)) : undefined;
  const activation = ctx.fusedActivation;
  return {
    run: ([a, b, c]) => {
      const w = constantB ?? b!;
      if (fast) return [matmul(a!, w, { transposeA, transposeB, bias, activation })];
      let y = matmul(a!, w, { transposeA, transposeB });
      if (alpha !== 1) y = mul(y, alpha);
      if (c) y = add(y, beta === 1 ? c : mul(c, beta));
      return [ctx.applyFused(y)];
    },
  };
}

function matMul(ctx: NodeCtx): Kernel {
  const bias = ctx.fusedBias ? ctx.keep(toTensor(ctx.fusedBias)) : undefined;
  const activation = ctx.fusedActivation;
  return {
    run: ([a, b]) => {
      const a2 = a!.rank === 1 ? reshape(a!, [1, a!.size]) : a!;
      const b2 = b!.rank === 1 ? reshape(b!, [b!.size, 1]) : b!;
      let y = matmul(a2, b2, { bias, activation });
      if (a!.rank === 1) y = squeeze(y, -2);
      if (b!.rank === 1) y = squeeze(y, -1);
      return [y];
    },
  };
}

/** Gemm and MatMul. */
export const DENSE: Record<string, KernelBuilder> = { Gemm: gemm, MatMul: matMul };
