/**
 * Starts the engine ("auto": threads on a multi-core machine), says which backend runs and why,
 * checks one product against a plain loop, and prints a GEMM throughput table on that backend.
 *
 *   deno run examples/gemm_throughput.ts
 */
import * as dn from "../mod.ts";

const info = await dn.ready({ backend: "auto" });
console.log(`backend: ${info.name} (${info.reason})`);

function gflops(m: number, n: number, k: number): number {
  using a = dn.randomUniform([m, k], { minval: -1, maxval: 1, seed: 1 });
  using b = dn.randomUniform([k, n], { minval: -1, maxval: 1, seed: 2 });
  dn.matmul(a, b).dispose();
  let reps = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < 400 || reps < 3) {
    dn.matmul(a, b).dispose();
    reps++;
    elapsed = performance.now() - start;
  }
  return (2 * m * n * k * reps) / (elapsed * 1e6);
}

{
  using a = dn.tensor([[1, 2, 3], [4, 5, 6]]);
  using b = dn.tensor([[1, 0], [0, 1], [1, 1]]);
  using c = dn.matmul(a, b);
  console.log(`[[1,2,3],[4,5,6]]·[[1,0],[0,1],[1,1]] = ${JSON.stringify([...c.dataSync()])}`);
}

const threads = info.name === "threads" ? " (all threads)" : "";
console.log("\n" + `GEMM on ${info.name}${threads}`.padEnd(30) + "GFLOP/s");
for (const [m, n, k] of [[64, 64, 64], [256, 256, 256], [512, 512, 512], [64, 512, 784]]) {
  console.log(`  ${`${m}x${k} · ${k}x${n}`.padEnd(24)} ${gflops(m, n, k).toFixed(1).padStart(7)}`);
}
const mem = dn.memory();
console.log(
  `\nlive tensors: ${mem.numTensors}, wasm memory: ${(mem.wasmBytes / 2 ** 20).toFixed(1)} MiB`,
);
