/**
 * Gather and scatter-add along one axis, mirroring assembly/gather.ts: x and dx seen as
 * `[outer, len, inner]`, y and dy `[outer, n, inner]`, `n` indices read as u32 words: i32, or f32
 * holding integers when the uniform `floatIndices` is 1. Elements are 4-byte words copied as bits
 * by gather (float32 and int32 alike). WebGPU cannot read indices back synchronously, so
 * `src/ops/` cannot check them before the dispatch: the kernels check them. An index that is not
 * an integer in [0, len) (NaN included) reads nothing: gather writes zeros for it and records the
 * error in the device's flag (see ../index_errors.ts for its layout and how the next read reports
 * it); scatter-add skips it.
 *
 * Scatter-add is deterministic without atomics: one invocation per dx element visits the indices
 * in order 0..n-1 and adds the dy entries of the ones that hit its row, so each element sums its
 * contributions in index order, as the wasm kernel does (the same bits: additions only). The
 * cost is outer·len·inner·n index reads (uniform across a row's invocations); fine for the
 * vocabulary sizes and batches the conformance suite and small models use, a sort-based scatter
 * would be the next step for large vocabularies.
 *
 * @module
 */
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";

/** Launch size: `n` elements of y (gather) or of dx (scatter-add). */
export interface GatherParams {
  n: number;
}

/**
 * `rowOf(w, len)`: the row index the index word `w` names, or `len` when it is not an integer in
 * [0, len). Float words: NaN and infinities are caught on the bits, because WGSL lets a compiler
 * assume that float comparisons never see them; `r < len` then bounds every access.
 */
const ROW_OF = /* wgsl */ `
fn rowOf(w: u32, len: u32) -> u32 {
  if (u.floatIndices == 0u) {
    let r = bitcast<i32>(w);
    if (r >= 0 && u32(r) < len) { return u32(r); }
    return len;
  }
  let v = bitcast<f32>(w);
  if ((w & 0x7f800000u) == 0x7f800000u) { return len; }
  let r = u32(v);
  if (v >= 0.0 && f32(r) == v && r < len) { return r; }
  return len;
}`;

/**
 * `reportBadIndex(i)`: records flat position `i` of gather call `u.call` in the error flag,
 * keeping the first bad call and its first bad position (complements under atomicMax, so that a
 * cleared flag means none).
 */
const REPORT_BAD_INDEX = /* wgsl */ `
fn reportBadIndex(i: u32) {
  let call = ~u.call;
  if (atomicMax(&errors[0], call) <= call) {
    atomicMax(&errors[1], ~i);
    atomicStore(&errors[2], u.len);
  }
}`;

/** `y[o, i, :] = x[o, indices[i], :]`, or zeros and a recorded error for a bad index. */
export const f32Gather: WgslProgram<GatherParams> = {
  key: () => "f32_gather",
  bindings: [
    { name: "x", access: "read", type: "array<u32>" },
    { name: "indices", access: "read", type: "array<u32>" },
    { name: "y", access: "read_write", type: "array<u32>" },
    { name: "errors", access: "read_write", type: "array<atomic<u32>>" },
  ],
  uniforms: {
    total: "u32",
    len: "u32",
    inner: "u32",
    n: "u32",
    floatIndices: "u32",
    call: "u32",
  },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () => ROW_OF + REPORT_BAD_INDEX,
  body: () => /* wgsl */ `
  if (gi >= u.total) { return; }
  let j = gi % u.inner;
  let q = gi / u.inner;
  let i = q % u.n;
  let o = q / u.n;
  let r = rowOf(indices[i], u.len);
  if (r < u.len) {
    y[gi] = x[(o * u.len + r) * u.inner + j];
    return;
  }
  y[gi] = 0u;
  if (j == 0u && o == 0u) { reportBadIndex(i); }`,
};

/** Launch size of a scatter-add, and whether it adds i32 (else f32). */
export interface ScatterAddParams extends GatherParams {
  int32: boolean;
}

/**
 * `dx[o, indices[i], :] += dy[o, i, :]` for i in 0..n-1, in index order; bad indices skipped.
 * f32, or i32 (wrapping adds, as the wasm kernel) when `int32`.
 */
export const f32ScatterAdd: WgslProgram<ScatterAddParams> = {
  key: (p) => p.int32 ? "i32_scatter_add" : "f32_scatter_add",
  bindings: [
    { name: "dy", access: "read", type: "array<u32>" },
    { name: "indices", access: "read", type: "array<u32>" },
    { name: "dx", access: "read_write", type: "array<u32>" },
  ],
  uniforms: { total: "u32", len: "u32", inner: "u32", n: "u32", floatIndices: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () => ROW_OF,
  body: (p) => {
    const t = p.int32 ? "i32" : "f32";
    return /* wgsl */ `
  if (gi >= u.total) { return; }
  let j = gi % u.inner;
  let q = gi / u.inner;
  let r = q % u.len;
  let o = q / u.len;
  var acc = bitcast<${t}>(dx[gi]);
  for (var i = 0u; i < u.n; i = i + 1u) {
    if (rowOf(indices[i], u.len) == r) { acc = acc + bitcast<${t}>(dy[(o * u.n + i) * u.inner + j]); }
  }
  dx[gi] = bitcast<u32>(acc);`;
  },
};
