/**
 * Top-k, mirroring assembly/topk.ts: `x` is `[rows, cols]`, `values` (f32) and `indices` (i32)
 * are `[rows, k]`. One invocation per row selects its entries in rank order, each pass taking
 * the first-ranked entry that ranks after the previous pick (O(k·cols) per row: correct, not
 * fast); with `sorted` 0 the k picks are then insertion-sorted by index. An entry ranks before
 * another when it is NaN and the other is not (NaN tested by its bits), or larger, or equal with
 * a lower index; the result is the wasm kernel's, bit for bit. f32TopkBwd scatters the gradient
 * of the values back to their columns.
 *
 * @module
 */
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";

/** Top-k parameters: `rows` rows. */
export interface TopkParams {
  rows: number;
}

/** `values[r, :]`, `indices[r, :]` = the `k` first-ranked entries of row r and their columns. */
export const f32Topk: WgslProgram<TopkParams> = {
  key: () => "f32_topk",
  bindings: [
    { name: "x", access: "read" },
    { name: "values", access: "read_write" },
    { name: "indices", access: "read_write", type: "array<i32>" },
  ],
  uniforms: { rows: "u32", cols: "u32", k: "u32", sorted: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: ({ rows }, wg, limits) => linearDispatch(rows, wg, limits),
  helpers: () => /* wgsl */ `
fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn before(va: f32, ia: u32, vb: f32, ib: u32) -> bool {
  let an = isNan(va);
  let bn = isNan(vb);
  if (an || bn) { return an && (!bn || ia < ib); }
  return va > vb || (va == vb && ia < ib);
}`,
  body: () => /* wgsl */ `
  if (gi >= u.rows) { return; }
  let xr = gi * u.cols;
  let out = gi * u.k;
  const NONE = 0xffffffffu;
  var pv = 0.0;
  var pi = NONE;
  for (var t = 0u; t < u.k; t = t + 1u) {
    var bv = 0.0;
    var bi = NONE;
    for (var j = 0u; j < u.cols; j = j + 1u) {
      let v = x[xr + j];
      if ((pi == NONE || before(pv, pi, v, j)) && (bi == NONE || before(v, j, bv, bi))) {
        bv = v;
        bi = j;
      }
    }
    values[out + t] = bv;
    indices[out + t] = i32(bi);
    pv = bv;
    pi = bi;
  }
  if (u.sorted == 0u) {
    for (var t = 1u; t < u.k; t = t + 1u) {
      let v = values[out + t];
      let ix = indices[out + t];
      var p = t;
      while (p > 0u && indices[out + p - 1u] > ix) {
        values[out + p] = values[out + p - 1u];
        indices[out + p] = indices[out + p - 1u];
        p = p - 1u;
      }
      values[out + p] = v;
      indices[out + p] = ix;
    }
  }`,
};

/** `dx[r, :]` = zeros except `dy[r, t]` at column `indices[r, t]`; one invocation per row. */
export const f32TopkBwd: WgslProgram<TopkParams> = {
  key: () => "f32_topk_bwd",
  bindings: [
    { name: "dy", access: "read" },
    { name: "indices", access: "read", type: "array<i32>" },
    { name: "dx", access: "read_write" },
  ],
  uniforms: { rows: "u32", cols: "u32", k: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: ({ rows }, wg, limits) => linearDispatch(rows, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.rows) { return; }
  for (var j = 0u; j < u.cols; j = j + 1u) { dx[gi * u.cols + j] = 0.0; }
  for (var t = 0u; t < u.k; t = t + 1u) {
    dx[gi * u.cols + u32(indices[gi * u.k + t])] = dy[gi * u.k + t];
  }`,
};
