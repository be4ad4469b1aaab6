/**
 * One `deno bench` group timing `dn.matmul` against TensorFlow.js's `tf.matMul` on the same
 * operands (multiply plus read-back of C, the result freed inside the timed call), after checking
 * that both agree; shared by gemm_bench.ts and gemm_small_m_bench.ts. A GEMM case of
 * `_op_pair.ts`, with the rate in GFLOP/s.
 *
 * @module
 */
import * as dn from "../mod.ts";
import { benchOpPair, type TfTensor } from "./_op_pair.ts";
import type { Tfjs } from "./_tfjs.ts";
import { gemmFlops, gemmGroup } from "./_util.ts";

/** Registers the group `m x n x k`: TF.js (baseline) and Dendrite multiplying the same A and B. */
export function benchMatmulPair(
  tf: Tfjs,
  [m, n, k]: [m: number, n: number, k: number],
  [ta, tb]: [a: TfTensor, b: TfTensor],
  [da, db]: [a: dn.Tensor, b: dn.Tensor],
): void {
  benchOpPair({
    group: gemmGroup(m, n, k),
    work: gemmFlops(m, n, k),
    dendrite: () => dn.matmul(da, db),
    tfjs: () => tf.matMul(ta, tb),
    // Inputs below 1 in magnitude: every output is a sum of k terms below 1, and 1e-5·k is far
    // above float32 summation-order noise (bench/_util.ts checkAgree).
    tol: { abs: 1e-5 * k, rel: 0 },
  });
}
