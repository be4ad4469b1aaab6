/**
 * Small-m GEMM (batch-1 inference): Dendrite's `matmul` against TensorFlow.js's wasm backend
 * (XNNPACK, SIMD, one thread) in the same process, interleaved (STYLE C15).
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/gemm_small_m_bench.ts
 *
 * Groups:
 * - `m x k · k x n` for m = 1, 2, 4, 8 and k = n = 1024, 4096: `dn.matmul` + `dataSync` against
 *   `tf.matMul` + `dataSync`, inputs reused, results freed inside the timed call. The weights are
 *   the same tensor on every call, as in inference: tfjs caches its XNNPACK operator (packed
 *   weights) per weight tensor, Dendrite packs B once per weights below its packing cache's size
 *   or (m <= 8) streams B unpacked.
 * - the 784-128-10 MLP (dense relu, dense softmax) `predict` on one sample: `dn.sequential`
 *   against tfjs-layers with the same weights.
 * - the threads backend with 2 threads against one thread (the wasm backend, plain memory) on
 *   1 x 4096 · 4096 x 4096, backend level (no tensor, no read-back).
 *
 * Quote the interleaved tables (rounds alternate between the functions of a group): on a shared
 * two-core machine the sequential `deno bench` rows drift by ±30%.
 *
 * @module
 */
import * as tfl from "@tensorflow/tfjs-layers";
import * as dn from "../mod.ts";
import { ThreadsBackend } from "../src/backend/threads/threads_backend.ts";
import { WasmBackend } from "../src/backend/wasm/wasm_backend.ts";
import { initTfjsWasm } from "./_tfjs.ts";
import { benchMatmulPair } from "./_matmul_pair.ts";
import {
  backendGemm,
  checkAgree,
  comparePaired,
  gemmFlops,
  gemmGroup,
  timed,
  values,
} from "./_util.ts";

const tf = await initTfjsWasm();
await dn.ready({ backend: "wasm" });

for (const size of [1024, 4096]) {
  const n = size, k = size;
  const bData = values(k * n, 2 + n);
  const tb = tf.tensor2d(bData, [k, n]);
  const db = dn.tensor(bData, [k, n]);
  for (const m of [1, 2, 4, 8]) {
    const aData = values(m * k, 1 + m);
    benchMatmulPair(tf, [m, n, k], [tf.tensor2d(aData, [m, k]), tb], [
      dn.tensor(aData, [m, k]),
      db,
    ]);
  }
}

// The MNIST MLP on one sample, same weights on both sides.
{
  const dnModel = dn.sequential([
    dn.layers.dense({ units: 128, activation: "relu", inputShape: [784] }),
    dn.layers.dense({ units: 10, activation: "softmax" }),
  ]);
  const tfModel = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 128, activation: "relu", inputShape: [784] }),
      tfl.layers.dense({ units: 10, activation: "softmax" }),
    ],
  });
  const shapes = [[784, 128], [128], [128, 10], [10]];
  const weights = shapes.map((s, i) => values(s.reduce((x, y) => x * y), 10 + i, 0.1));
  dnModel.setWeights(weights.map((w, i) => dn.tensor(w, shapes[i])));
  tfModel.setWeights(weights.map((w, i) => tf.tensor(w, shapes[i])));
  const xData = values(784, 7).map((v) => (v + 1) / 2);
  const dx = dn.tensor(xData, [1, 784]), tx = tf.tensor2d(xData, [1, 784]);
  const group = "MLP 784-128-10 predict, 1 sample";
  const flops = gemmFlops(1, 128, 784) + gemmFlops(1, 10, 128);
  const dnPredict = () => {
    const y = dnModel.predict(dx);
    y.dataSync();
    y.dispose();
  };
  const tfPredict = () => {
    const y = tfModel.predict(tx) as ReturnType<typeof tf.tensor>;
    y.dataSync();
    y.dispose();
  };
  const want = tf.tidy(() => (tfModel.predict(tx) as ReturnType<typeof tf.tensor>).dataSync());
  const y = dnModel.predict(dx);
  checkAgree(group, y.dataSync(), want, 784);
  y.dispose();
  Deno.bench({
    group,
    name: "tfjs-layers wasm",
    baseline: true,
    fn: timed(group, "tfjs-layers wasm", flops, tfPredict),
  });
  Deno.bench({ group, name: "dendrite wasm", fn: timed(group, "dendrite wasm", flops, dnPredict) });
}

// Threads: 2 threads against one on 1 x 4096 · 4096 x 4096, backend level.
{
  const single = new WasmBackend("plain");
  const threaded = await ThreadsBackend.start({ threads: 2 });
  const [m, n, k] = [1, 4096, 4096];
  const group = `${gemmGroup(m, n, k)}, backend level`;
  const flops = gemmFlops(m, n, k);
  Deno.bench({
    group,
    name: "wasm 1 thread",
    baseline: true,
    fn: timed(group, "wasm 1 thread", flops, backendGemm(single, m, n, k)),
  });
  Deno.bench({
    group,
    name: "threads 2",
    fn: timed(group, "threads 2", flops, backendGemm(threaded, m, n, k)),
  });
}

comparePaired();
