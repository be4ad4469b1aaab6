/**
 * Gemm and MatMul on our fused GEMM: the bias (Gemm's C, or a constant vector added right after a
 * MatMul) and a following Relu/Sigmoid/Tanh run in the GEMM epilogue (the planner fuses them).
 *
 * @module
 */
import type { Activation } from "../../backend/backend.ts";
import { recording } from "../../autograd/tape.ts";
import { matmul } from "../../ops/matmul.ts";
import { batchGemm } from "../../ops/_batch_gemm.ts";
import type { Tensor } from "../../tensor.ts";
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

/**
 * `act(op(a)·op(w) + bias)`. Two float matrices outside a gradient computation take the raw GEMM
 * with the node's shapes checked here (matmul's argument checks and tape record cost about a
 * microsecond per call, a batch-1 layer's whole arithmetic); anything else goes through `matmul`.
 */
function product(
  ctx: NodeCtx,
  a: Tensor,
  w: Tensor,
  transposeA: boolean,
  transposeB: boolean,
  bias: Tensor | undefined,
  activation: Activation | undefined,
): Tensor {
  const n = transposeB ? w.shape[0] : w.shape[1];
  const raw = a.rank === 2 && w.rank === 2 && a.dtype === "float32" && w.dtype === "float32" &&
    !recording() && (!bias || bias.shape[0] === n);
  if (!raw) return matmul(a, w, { transposeA, transposeB, bias, activation });
  const k = transposeA ? a.shape[0] : a.shape[1], kw = transposeB ? w.shape[1] : w.shape[0];
  if (k !== kw) {
    throw new RangeError(
      `Cannot run ONNX model: ${ctx.where} multiplies [${a.shape}] by [${w.shape}]${
        transposeB ? " transposed" : ""
      }: inner sizes ${k} and ${kw} differ`,
    );
  }
  return batchGemm(a, w, transposeA, transposeB, bias ?? null, activation ?? "linear");
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
      if (fast) return [product(ctx, a!, w, transposeA, transposeB, bias, activation)];
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
      let y = product(ctx, a2, b2, false, false, bias, activation);
      if (a!.rank === 1) y = squeeze(y, -2);
      if (b!.rank === 1) y = squeeze(y, -1);
      return [y];
    },
  };
}

/** Gemm and MatMul. */
export const DENSE: Record<string, KernelBuilder> = { Gemm: gemm, MatMul: matMul };
