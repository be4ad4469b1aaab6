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
import asc from "assemblyscript/asc";
import { timed } from "./_util.ts";

const CHAINS = [1, 4, 8, 12, 14, 16];
const STEPS = 1 << 20;

/** AssemblyScript source of `peak<c>(steps, s, t)` with `c` independent accumulators. */
function source(chains: number, fma: boolean): string {
  const ids = Array.from({ length: chains }, (_, i) => i);
  const step = (i: number) =>
    fma
      ? `a${i} = f32x4.relaxed_madd(a${i}, vs, vt);`
      : `a${i} = f32x4.add(f32x4.mul(a${i}, vs), vt);`;
  return `export function ${fma ? "fma" : "peak"}${chains}(steps: i32, s: f32, t: f32): f32 {
  const vs = f32x4.splat(s);
  const vt = f32x4.splat(t);
  ${ids.map((i) => `let a${i} = f32x4.splat(t * ${i + 1}.0);`).join("\n  ")}
  for (let i = 0; i < steps; i++) {
    ${ids.map(step).join("\n    ")}
  }
  return ${ids.map((i) => `f32x4.extract_lane(a${i}, 0)`).join(" + ")};
}
`;
}

async function compile(): Promise<Record<string, (steps: number, s: number, t: number) => number>> {
  const src = CHAINS.flatMap((c) => [source(c, false), source(c, true)]).join("\n");
  const out = await asc.compileString(src, {
    runtime: "stub",
    optimizeLevel: 3,
    shrinkLevel: 0,
    noAssert: true,
    enable: ["simd", "relaxed-simd"],
  });
  if (out.error || !out.binary) {
    throw new Error(`Cannot compile the peak kernels: ${out.error?.message}\n${out.stderr}`);
  }
  const module = new WebAssembly.Module(out.binary as Uint8Array<ArrayBuffer>);
  const instance = new WebAssembly.Instance(module);
  return instance.exports as Record<string, (steps: number, s: number, t: number) => number>;
}

const kernels = await compile();
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
