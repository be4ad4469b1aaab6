/**
 * Tiled f32 GEMM, mirroring assembly/gemm.ts: `c = act(op(a)·op(b) + beta·c + bias)`, row-major,
 * `op` transposing when asked (a is `[m, k]` or, transposed, `[k, m]`; b is `[k, n]` or `[n, k]`).
 *
 * Tile: a workgroup of T x T invocations (T = 16 when the device allows 256 invocations per
 * workgroup, else 8) computes a T x T block of c; each step stages a T x T block of op(a) and of
 * op(b) in workgroup memory, so every element of a and b is read from storage m/T resp. n/T
 * times instead of n resp. m. Edge tiles load zeros outside the matrices (any m, n, k >= 1).
 * Each output sums its k products in order 0..k-1 (like the wasm kernel, possibly with fma).
 * Transposes change the loads and are part of the pipeline key (4 variants); bias, beta and the
 * activation are uniforms (uniform control flow, one pipeline).
 *
 * @module
 */
import type { ProgramLimits, Vec3, WgslProgram } from "../program.ts";
import { WGSL_ACT } from "./activation.ts";

function tile(limits: ProgramLimits): number {
  return limits.maxComputeInvocationsPerWorkgroup >= 256 ? 16 : 8;
}

/** GEMM with fused bias, activation and beta epilogue (workgroup-memory tiles). */
export const f32GemmTiled: WgslProgram<{ transA: boolean; transB: boolean; m: number; n: number }> =
  {
    key: ({ transA, transB }) => `f32_gemm_${transA ? "t" : "n"}${transB ? "t" : "n"}`,
    bindings: [
      { name: "a", access: "read" },
      { name: "b", access: "read" },
      { name: "bias", access: "read" },
      { name: "c", access: "read_write" },
    ],
    uniforms: { m: "u32", n: "u32", k: "u32", hasBias: "u32", act: "u32", beta: "f32" },
    workgroupSize: (limits): Vec3 => [tile(limits), tile(limits), 1],
    dispatch: ({ m, n }, wg) => [Math.ceil(n / wg[0]), Math.ceil(m / wg[1]), 1],
    helpers: (_, wg) => /* wgsl */ `
const T: u32 = ${wg[0]}u;
var<workgroup> As: array<f32, ${wg[0] * wg[0]}>;
var<workgroup> Bs: array<f32, ${wg[0] * wg[0]}>;
${WGSL_ACT}`,
    body: ({ transA, transB }) => /* wgsl */ `
  let row = wid.y * T + lid.y;
  let col = wid.x * T + lid.x;
  var acc = 0.0;
  for (var t = 0u; t < u.k; t = t + T) {
    let ak = t + lid.x;
    var av = 0.0;
    if (row < u.m && ak < u.k) { av = a[${transA ? "ak * u.m + row" : "row * u.k + ak"}]; }
    As[lid.y * T + lid.x] = av;
    let bk = t + lid.y;
    var bv = 0.0;
    if (bk < u.k && col < u.n) { bv = b[${transB ? "col * u.k + bk" : "bk * u.n + col"}]; }
    Bs[lid.y * T + lid.x] = bv;
    workgroupBarrier();
    for (var kk = 0u; kk < T; kk = kk + 1u) {
      acc = acc + As[lid.y * T + kk] * Bs[kk * T + lid.x];
    }
    workgroupBarrier();
  }
  if (row < u.m && col < u.n) {
    let at = row * u.n + col;
    var v = acc;
    if (u.beta != 0.0) { v = v + u.beta * c[at]; }
    if (u.hasBias != 0u) { v = v + bias[col]; }
    c[at] = act_f32(v, u.act);
  }`,
  };

/**
 * The same GEMM without workgroup memory: each invocation computes a 4 x 4 block of c straight
 * from storage (16 accumulators, 4 + 4 loads per k step), 8 x 8 invocations per workgroup. No
 * barriers: CPU implementations (llvmpipe) run barriers as context switches, so this variant is
 * the one for software adapters; hardware GPUs take the tiled one.
 */
export const f32GemmBlocked: WgslProgram<
  { transA: boolean; transB: boolean; m: number; n: number }
> = {
  key: ({ transA, transB }) => `f32_gemm_blocked_${transA ? "t" : "n"}${transB ? "t" : "n"}`,
  bindings: f32GemmTiled.bindings,
  uniforms: f32GemmTiled.uniforms,
  workgroupSize: (): Vec3 => [8, 8, 1],
  dispatch: ({ m, n }, wg) => [Math.ceil(n / (4 * wg[0])), Math.ceil(m / (4 * wg[1])), 1],
  helpers: (p, wg) => f32GemmTiled.helpers!(p, wg).replace(/var<workgroup>.*\n/g, ""),
  body: ({ transA, transB }) => /* wgsl */ `
  let r0 = gid.y * 4u;
  let c0 = gid.x * 4u;
  if (r0 >= u.m || c0 >= u.n) { return; }
  // Rows and columns past the edge alias the last valid one (XNNPACK style): no branch in k.
  let ra = vec4<u32>(r0, min(r0 + 1u, u.m - 1u), min(r0 + 2u, u.m - 1u), min(r0 + 3u, u.m - 1u));
  let cb = vec4<u32>(c0, min(c0 + 1u, u.n - 1u), min(c0 + 2u, u.n - 1u), min(c0 + 3u, u.n - 1u));
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var p = 0u; p < u.k; p = p + 1u) {
    let av = vec4<f32>(${
    [0, 1, 2, 3].map((i) => `a[${transA ? `p * u.m + ra[${i}]` : `ra[${i}] * u.k + p`}]`).join(", ")
  });
    let bv = vec4<f32>(${
    [0, 1, 2, 3].map((i) => `b[${transB ? `cb[${i}] * u.k + p` : `p * u.n + cb[${i}]`}]`).join(", ")
  });
    acc0 = acc0 + av.x * bv;
    acc1 = acc1 + av.y * bv;
    acc2 = acc2 + av.z * bv;
    acc3 = acc3 + av.w * bv;
  }
  let accs = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < 4u; i = i + 1u) {
    let row = r0 + i;
    if (row < u.m) {
      for (var j = 0u; j < 4u; j = j + 1u) {
        let col = c0 + j;
        if (col < u.n) {
          let at = row * u.n + col;
          var v = accs[i][j];
          if (u.beta != 0.0) { v = v + u.beta * c[at]; }
          if (u.hasBias != 0u) { v = v + bias[col]; }
          c[at] = act_f32(v, u.act);
        }
      }
    }
  }`,
};

/** Rows the small-m GEMM keeps accumulators for (its callers send m <= this). */
export const SMALL_M_ROWS = 8;

/**
 * The GEMM for m <= 8 (batch-1 inference), after assembly/gemm_stream.ts: each invocation owns 4
 * columns of c for every row and walks k once, reading one 4-column vector of op(b) per step
 * (columns past n alias the last one) and one value of op(a) per row, so b is read exactly once
 * in all, with no workgroup memory and no barrier; 64 invocations per workgroup along n. (The
 * tiled and blocked tiles span 16 resp. 4 rows, mostly idle at m = 1.) Each output sums its k
 * products in order 0..k-1, like the other variants. Tested on llvmpipe for correctness only.
 */
export const f32GemmSmallM: WgslProgram<
  { transA: boolean; transB: boolean; m: number; n: number }
> = {
  key: ({ transA, transB }) => `f32_gemm_small_m_${transA ? "t" : "n"}${transB ? "t" : "n"}`,
  bindings: f32GemmTiled.bindings,
  uniforms: f32GemmTiled.uniforms,
  workgroupSize: (): Vec3 => [64, 1, 1],
  dispatch: ({ n }, wg) => [Math.ceil(n / (4 * wg[0])), 1, 1],
  helpers: () => WGSL_ACT,
  body: ({ transA, transB }) => /* wgsl */ `
  let c0 = gid.x * 4u;
  if (c0 >= u.n) { return; }
  let cb = vec4<u32>(c0, min(c0 + 1u, u.n - 1u), min(c0 + 2u, u.n - 1u), min(c0 + 3u, u.n - 1u));
  var acc: array<vec4<f32>, ${SMALL_M_ROWS}>;
  for (var p = 0u; p < u.k; p = p + 1u) {
    let bv = vec4<f32>(${
    [0, 1, 2, 3].map((i) => `b[${transB ? `cb[${i}] * u.k + p` : `p * u.n + cb[${i}]`}]`).join(", ")
  });
    for (var i = 0u; i < u.m; i = i + 1u) {
      acc[i] = acc[i] + a[${transA ? "p * u.m + i" : "i * u.k + p"}] * bv;
    }
  }
  for (var i = 0u; i < u.m; i = i + 1u) {
    for (var j = 0u; j < 4u; j = j + 1u) {
      let col = c0 + j;
      if (col < u.n) {
        let at = i * u.n + col;
        var v = acc[i][j];
        if (u.beta != 0.0) { v = v + u.beta * c[at]; }
        if (u.hasBias != 0u) { v = v + bias[col]; }
        c[at] = act_f32(v, u.act);
      }
    }
  }`,
};
