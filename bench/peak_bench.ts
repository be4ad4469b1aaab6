/**
 * The wasm SIMD arithmetic peak of one core: independent chains of `acc = acc * s + t` on f32x4,
 * no memory traffic, compiled at startup with the pinned AssemblyScript compiler.
 *
 * Each chain step is one `f32x4.mul` and one `f32x4.add`, 8 FLOP. One chain is latency-bound
 * (mul then add, about 6 cycles on Zen 3), so the rate grows with the number of chains until the
 * two multiply and two add pipes are full (16 FLOP per cycle); past about 12 chains the
 * accumulators no longer fit in the 16 XMM registers and V8 spills. The best row is the ceiling
 * for any f32 kernel without FMA on this machine.
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
function source(chains: number): string {
  const ids = Array.from({ length: chains }, (_, i) => i);
  return `export function peak${chains}(steps: i32, s: f32, t: f32): f32 {
  const vs = f32x4.splat(s);
  const vt = f32x4.splat(t);
  ${ids.map((i) => `let a${i} = f32x4.splat(t * ${i + 1}.0);`).join("\n  ")}
  for (let i = 0; i < steps; i++) {
    ${ids.map((i) => `a${i} = f32x4.add(f32x4.mul(a${i}, vs), vt);`).join("\n    ")}
  }
  return ${ids.map((i) => `f32x4.extract_lane(a${i}, 0)`).join(" + ")};
}
`;
}

async function compile(): Promise<Record<string, (steps: number, s: number, t: number) => number>> {
  const src = CHAINS.map(source).join("\n");
  const out = await asc.compileString(src, {
    runtime: "stub",
    optimizeLevel: 3,
    shrinkLevel: 0,
    noAssert: true,
    enable: ["simd"],
  });
  if (out.error || !out.binary) {
    throw new Error(`Cannot compile the peak kernels: ${out.error?.message}\n${out.stderr}`);
  }
  const module = new WebAssembly.Module(out.binary as Uint8Array<ArrayBuffer>);
  const instance = new WebAssembly.Instance(module);
  return instance.exports as Record<string, (steps: number, s: number, t: number) => number>;
}

const kernels = await compile();
const group = `wasm f32x4 mul+add peak, 1 core (${STEPS} steps per chain)`;
for (const chains of CHAINS) {
  const name = `${chains} chain${chains > 1 ? "s" : ""}`;
  const kernel = kernels[`peak${chains}`];
  const flops = chains * 8 * STEPS;
  let sink = 0;
  Deno.bench({
    group,
    name,
    baseline: chains === CHAINS.at(-1),
    fn: timed(group, name, flops, () => {
      sink += kernel(STEPS, 0.9999, 1e-4);
      if (!Number.isFinite(sink)) throw new Error(`peak${chains} diverged: ${sink}`);
    }),
  });
}
