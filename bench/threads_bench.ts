/**
 * The threads backend against one thread, and against ONNX Runtime Web's wasm backend with
 * `numThreads: 2` (a one-node MatMul model built in bench/_onnx.ts).
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/threads_bench.ts
 *
 * GEMM groups (backend level, C = A·B, inputs reused, no read-back): "wasm 1 thread" (baseline),
 * "threads 2", and "onnxruntime-web 2 threads" where its session starts (its `run()` is async, so
 * it is timed separately, not in the interleaved pass). A LeNet-5 training step (batch 64, SGD
 * with momentum, MNIST-shaped random data) runs on the threads backend with 1 and then 2 threads,
 * alternating rounds (`ready()` restarts the pool on the same memory between rounds, outside the
 * timing), after a phase on the single-thread wasm backend (plain memory, ~10% faster per thread
 * than the shared memory the pool needs: "x wasm" is the speedup over that). Quote the interleaved
 * tables: on a shared two-core machine the sequential `deno bench` rows drift by ±30%.
 *
 * The "p20" columns compare the fastest fifth of each side's single calls (bench/_util.ts,
 * `QUIET`): on this VM other work takes one of the two cores for seconds at a time, and a
 * two-thread call run then is as slow as one thread's, so medians measure the host's load as much
 * as the code.
 *
 * `--split` adds a pass that times each kernel family at growing sizes on 1 and 2 threads (the
 * threshold measurements quoted in src/backend/threads/threads_backend.ts).
 *
 * @module
 */
import * as dn from "../mod.ts";
import type { Backend } from "../src/backend/backend.ts";
import { ThreadsBackend } from "../src/backend/threads/threads_backend.ts";
import { WasmBackend } from "../src/backend/wasm/wasm_backend.ts";
import { poolGeometry } from "../src/ops/_pool.ts";
import { lenetModel } from "./_lenet.ts";
import { onnxMatMul } from "./_onnx.ts";
import {
  backendGemm,
  comparePaired,
  gemmFlops,
  gemmGroup,
  gflops,
  median,
  printTable,
  quantile,
  QUIET,
  QUIET_LABEL,
  type Rounds,
  rounds,
  type Row,
  timed,
  timeRound,
  values,
} from "./_util.ts";

const THREADS = 2;
const ROUNDS = 10;

const single = new WasmBackend("shared");
const threaded = await ThreadsBackend.start({ threads: THREADS });

// GEMM: Deno.bench groups, interleaved at unload.
const onnxRows: Row[] = [];
for (const [m, n, k] of [[64, 64, 64], [256, 256, 256], [1024, 1024, 1024], [64, 512, 784]]) {
  const group = gemmGroup(m, n, k);
  const flops = gemmFlops(m, n, k);
  Deno.bench({
    group,
    name: "wasm 1 thread",
    baseline: true,
    fn: timed(group, "wasm 1 thread", flops, backendGemm(single, m, n, k)),
  });
  Deno.bench({
    group,
    name: `threads ${THREADS}`,
    fn: timed(group, `threads ${THREADS}`, flops, backendGemm(threaded, m, n, k)),
  });
  try {
    const ort = await onnxMatMul(m, n, k, values(m * k, 1 + m), values(k * n, 2 + n), THREADS);
    await ort.run();
    const ms: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let calls = 0;
      const t0 = performance.now();
      do {
        await ort.run();
        calls++;
      } while (performance.now() - t0 < 50);
      ms.push((performance.now() - t0) / calls);
    }
    onnxRows.push({
      group,
      name: `onnxruntime-web ${ort.threads} threads`,
      "median ms": median(ms).toFixed(4),
      "GFLOP/s": gflops(flops, median(ms)).toFixed(2),
    });
  } catch (e) {
    onnxRows.push({ group, name: "onnxruntime-web", "median ms": `failed: ${e}`, "GFLOP/s": "" });
  }
}
comparePaired(ROUNDS, 50);
printTable(onnxRows, `onnxruntime-web (wasm, numThreads ${THREADS}), ${ROUNDS} rounds of >= 50 ms`);

// LeNet-5 training step, 1 thread vs THREADS threads on the same model and memory.
async function lenetStep(): Promise<Row[]> {
  // The single-thread wasm backend (plain memory) first, in its own phase: a backend switch
  // leaves its tensors behind, so it cannot alternate with the pool round by round.
  await dn.ready({ backend: "wasm" });
  const wasm = lenetModel();
  wasm.step();
  const wasmMs = rounds();
  for (let r = 0; r < ROUNDS; r++) timeRound(wasmMs, wasm.step, 200);
  await dn.ready({ backend: "threads", threads: 1 });
  const { step } = lenetModel();
  const timedOn: Record<number, Rounds> = { 1: rounds(), [THREADS]: rounds() };
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of [1, THREADS]) {
      await dn.ready({ backend: "threads", threads: t });
      step();
      timeRound(timedOn[t], step, 200);
    }
  }
  await dn.shutdown();
  const ms = (t: number) => timedOn[t].means;
  const quiet = (t: number) => quantile(timedOn[t].calls, QUIET);
  const name = "LeNet-5 train, batch 64";
  return [
    { step: name, backend: "wasm (plain memory)", "median ms": median(wasmMs.means).toFixed(2) },
    {
      step: name,
      backend: "threads, 1 thread",
      "median ms": median(ms(1)).toFixed(2),
      [`${QUIET_LABEL} ms`]: quiet(1).toFixed(2),
    },
    {
      step: name,
      backend: `threads, ${THREADS} threads`,
      "median ms": median(ms(THREADS)).toFixed(2),
      [`${QUIET_LABEL} ms`]: quiet(THREADS).toFixed(2),
      "x 1 thread": median(ms(1).map((v, r) => v / ms(THREADS)[r])).toFixed(2),
      [`x 1 thread, ${QUIET_LABEL}`]: (quiet(1) / quiet(THREADS)).toFixed(2),
      "x wasm": (median(wasmMs.means) / median(ms(THREADS))).toFixed(2),
    },
  ];
}
printTable(
  await lenetStep(),
  `LeNet-5 training step: wasm, then threads 1 and ${THREADS} interleaved; ${ROUNDS} rounds of >= 200 ms`,
);

// Optional: each split family at growing sizes (threshold measurements).
if (Deno.args.includes("--split")) {
  const always = await ThreadsBackend.start({ threads: THREADS, splitAlways: true });
  const rows: Row[] = [];
  /** 2x2 max pooling of `n` images of 10x10x16 (LeNet-5's second pooling layer at batch n). */
  const pool = (n: number) => poolGeometry([n, 10, 10, 16], [2, 2], [2, 2], "valid", "bench");
  const families: [string, number[], (b: Backend, n: number) => () => void][] = [
    ["relu (floats)", [8192, 16384, 32768, 65536, 131072, 524288], (b, n) => {
      const [x, y] = [b.alloc(n), b.alloc(n)];
      b.write(x, values(n, 3));
      return () => b.unary("relu", x, y, n);
    }],
    ["relu backward (floats)", [8192, 16384, 32768, 65536, 131072, 524288], (b, n) => {
      const [dy, x, dx] = [b.alloc(n), b.alloc(n), b.alloc(n)];
      b.write(dy, values(n, 3));
      b.write(x, values(n, 4));
      return () => b.unaryBackward("relu", dy, x, dx, n);
    }],
    ["exp (floats)", [2048, 4096, 8192, 16384, 32768, 131072], (b, n) => {
      const [x, y] = [b.alloc(n), b.alloc(n)];
      b.write(x, values(n, 3));
      return () => b.unary("exp", x, y, n);
    }],
    ["gemm (n^3)", [32, 48, 64, 80, 96, 128], (b, n) => backendGemm(b, n, n, n)],
    ["softmax (rows x 100)", [16, 32, 64, 256, 1024], (b, n) => {
      const [x, y] = [b.alloc(n * 100), b.alloc(n * 100)];
      b.write(x, values(n * 100, 4));
      return () => b.softmax("softmax", x, y, n, 100);
    }],
    ["reduce sum (n x 16 x 10 -> n x 10)", [64, 256, 640, 2048], (b, n) => {
      const [x, y] = [b.alloc(n * 160), b.alloc(n * 10)];
      b.write(x, values(n * 160, 5));
      return () => b.reduce("sum", x, y, n, 16, 10, 1);
    }],
    ["maxpool 2x2 (batch of 10x10x16)", [8, 16, 32, 64, 256], (b, n) => {
      const [x, y] = [b.alloc(n * 1600), b.alloc(n * 400)];
      b.write(x, values(n * 1600, 6));
      return () => b.maxPool2d(x, y, pool(n));
    }],
    ["maxpool 2x2 backward (same)", [8, 16, 32, 64, 256], (b, n) => {
      const [x, y, dy, dx] = [
        b.alloc(n * 1600),
        b.alloc(n * 400),
        b.alloc(n * 400),
        b.alloc(n * 1600),
      ];
      b.write(x, values(n * 1600, 6));
      b.write(dy, values(n * 400, 7));
      b.maxPool2d(x, y, pool(n));
      return () => b.maxPool2dBackward(x, y, dy, dx, pool(n));
    }],
  ];
  for (const [family, sizes, make] of families) {
    for (const n of sizes) {
      const one = make(single, n), two = make(always, n);
      const t1 = rounds(), t2 = rounds();
      for (let r = 0; r < ROUNDS; r++) {
        timeRound(t1, one, 20);
        timeRound(t2, two, 20);
      }
      const [q1, q2] = [quantile(t1.calls, QUIET), quantile(t2.calls, QUIET)];
      rows.push({
        family,
        size: n,
        [`1 thread us, ${QUIET_LABEL}`]: (q1 * 1000).toFixed(1),
        [`${THREADS} threads us, ${QUIET_LABEL}`]: (q2 * 1000).toFixed(1),
        speedup: (q1 / q2).toFixed(2),
      });
    }
  }
  await always.shutdown();
  printTable(rows, `Split thresholds: 1 thread vs ${THREADS}, every call split, interleaved`);
}
