/**
 * The wasm SIMD arithmetic peak of one core: independent chains of `acc = acc * s + t` on f32x4,
 * no memory traffic, compiled at startup with the pinned AssemblyScript compiler.
 *
 * Each chain step is one `f32x4.mul` and one `f32x4.add` (group "mul+add"), or one
 * `f32x4.relaxed_madd` (group "fma": a vfmadd where the CPU has FMA, which the GEMM microkernel
 * uses), 8 FLOP either way. One chain is latency-bound, so the rate grows with the number of
 * chains until the FP pipes are full; past about 12 chains the accumulators no longer fit in the
 * 16 XMM registers and V8 spills. The best row of each group is the ceiling for an f32 kernel of
 * that kind on this machine (measured here: 52 GFLOP/s mul+add, 58 fma).
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/peak_bench.ts
 *
 * Without `--no-liftoff`, V8 first runs each function as Liftoff (baseline) code, about 7x slower
 * on these loops, and tiers up only after a few hundred milliseconds of calls; `deno bench` can
 * finish a whole row inside that window and report the baseline code's speed.
 *
 * @module
 */
import { peakKernels, peakModule } from "./_peak.ts";
import { timed } from "./_util.ts";

const CHAINS = [1, 4, 8, 12, 14, 16];
const STEPS = 1 << 20;

const kernels = peakKernels(await peakModule(CHAINS));
for (const kind of ["peak", "fma"] as const) {
  const group = `wasm f32x4 ${
    kind === "fma" ? "fma" : "mul+add"
  } peak, 1 core (${STEPS} steps per chain)`;
  for (const chains of CHAINS) {
    const name = `${chains} chain${chains > 1 ? "s" : ""}`;
    const kernel = kernels[`${kind}${chains}`];
    const flops = chains * 8 * STEPS;
    let sink = 0;
    Deno.bench({
      group,
      name,
      baseline: chains === CHAINS.at(-1),
      fn: timed(group, name, flops, () => {
        sink += kernel(STEPS, 0.9999, 1e-4);
        if (!Number.isFinite(sink)) throw new Error(`${kind}${chains} diverged: ${sink}`);
      }),
    });
  }
}
