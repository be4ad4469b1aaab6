/**
 * One `deno bench` group timing `dn.matmul` against TensorFlow.js's `tf.matMul` on the same
 * operands (multiply plus read-back of C, the result freed inside the timed call), after checking
 * that both agree; shared by gemm_bench.ts and gemm_small_m_bench.ts.
 *
 * @module
 */
import * as dn from "../mod.ts";
import type { Tfjs } from "./_tfjs.ts";
import { checkAgree, gemmFlops, gemmGroup, timed } from "./_util.ts";

/** TF.js tensors of A (m x k) and B (k x n). */
type TfPair = [a: ReturnType<Tfjs["tensor2d"]>, b: ReturnType<Tfjs["tensor2d"]>];

/** Registers the group `m x n x k`: TF.js (baseline) and Dendrite multiplying the same A and B. */
export function benchMatmulPair(
  tf: Tfjs,
  [m, n, k]: [m: number, n: number, k: number],
  [ta, tb]: TfPair,
  [da, db]: [a: dn.Tensor, b: dn.Tensor],
): void {
  const group = gemmGroup(m, n, k);
  const flops = gemmFlops(m, n, k);
  const tfjsMatMul = () => {
    const c = tf.matMul(ta, tb);
    c.dataSync();
    c.dispose();
  };
  const dnMatMul = () => {
    const c = dn.matmul(da, db);
    c.dataSync();
    c.dispose();
  };
  const want = tf.tidy(() => tf.matMul(ta, tb).dataSync<"float32">());
  const c = dn.matmul(da, db);
  checkAgree(group, c.dataSync(), want, k);
  c.dispose();
  Deno.bench({
    group,
    name: "tfjs-backend-wasm",
    baseline: true,
    fn: timed(group, "tfjs-backend-wasm", flops, tfjsMatMul),
  });
  Deno.bench({ group, name: "dendrite wasm", fn: timed(group, "dendrite wasm", flops, dnMatMul) });
}
