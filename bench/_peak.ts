/**
 * Peak-rate wasm kernels: `peak<c>(steps, s, t)` / `fma<c>(steps, s, t)` run `c` independent
 * chains of `acc = acc * s + t` on f32x4 with no memory traffic (one `f32x4.mul` + `f32x4.add`,
 * or one `f32x4.relaxed_madd`, per chain step: 8 FLOP). Compiled at startup with the pinned
 * AssemblyScript compiler; used by bench/peak_bench.ts and the core probe in bench/_cores.ts.
 *
 * @module
 */
import asc from "assemblyscript/asc";

/** A peak kernel: returns a sum of the chains' lanes so that nothing is optimised away. */
export type PeakKernel = (steps: number, s: number, t: number) => number;

/** AssemblyScript source of `peak<c>` (mul + add) or `fma<c>` with `chains` accumulators. */
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

/** Compiles `peak<c>` and `fma<c>` for each chain count into one module (no imports). */
export async function peakModule(chains: readonly number[]): Promise<WebAssembly.Module> {
  const src = chains.flatMap((c) => [source(c, false), source(c, true)]).join("\n");
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
  return new WebAssembly.Module(out.binary as Uint8Array<ArrayBuffer>);
}

/** The exported kernels of an instance of `module`, by name (`peak12`, `fma12`, ...). */
export function peakKernels(module: WebAssembly.Module): Record<string, PeakKernel> {
  return new WebAssembly.Instance(module).exports as Record<string, PeakKernel>;
}
