/**
 * f32 GEMM, C[m, n] = A[m, k] · B[k, n]: Dendrite's `matmul` against TensorFlow.js's wasm backend
 * (XNNPACK, SIMD, one thread) as the baseline (STYLE C15).
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/gemm_bench.ts
 *
 * Both sides multiply the same inputs, are checked against each other once before timing, and are
 * timed for the multiply plus the read-back of C (`dataSync`), with the result freed inside the
 * timed call; inputs are reused. Shapes: squares across the cache levels and the first layer of
 * the MNIST MLP (a batch of 64 through 784→512). `--no-liftoff` makes both sides run optimised
 * wasm from the first call (see `peak_bench.ts`). Quote the interleaved pass for "x faster than
 * tfjs": on a shared two-core machine the sequential `deno bench` rows drift by ±30%.
 *
 * @module
 */
import * as dn from "../mod.ts";
import { initTfjsWasm } from "./_tfjs.ts";
import { benchMatmulPair } from "./_matmul_pair.ts";
import { comparePaired, values } from "./_util.ts";

const SHAPES: [m: number, n: number, k: number][] = [
  [64, 64, 64],
  [256, 256, 256],
  [512, 512, 512],
  [1024, 1024, 1024],
  [64, 512, 784],
];

const tf = await initTfjsWasm();
await dn.ready({ backend: "wasm" });

for (const [m, n, k] of SHAPES) {
  const aData = values(m * k, 1 + m), bData = values(k * n, 2 + n);
  benchMatmulPair(
    tf,
    [m, n, k],
    [tf.tensor2d(aData, [m, k]), tf.tensor2d(bData, [k, n])],
    [dn.tensor(aData, [m, k]), dn.tensor(bData, [k, n])],
  );
}

comparePaired();
