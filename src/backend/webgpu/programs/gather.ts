/**
 * Row gather and scatter-add over a table (an embedding lookup and its gradient), mirroring
 * assembly/gather.ts: table and dtable `[rows, cols]`, y and dy `[n, cols]`, indices `[n]` as
 * float32. WebGPU cannot read indices back synchronously, so `src/ops/` cannot check them before
 * the dispatch: the kernels check them. An index that is not an integer in [0, rows) (NaN
 * included) reads nothing: gather writes zeros for it and records the error in the device's flag
 * (see ../index_errors.ts for its layout and how the next read reports it); scatter-add skips it.
 *
 * Scatter-add is deterministic without atomics: one invocation per dtable element visits the
 * indices in order 0..n-1 and adds the dy entries of the rows that hit it, so each element sums
 * its contributions in index order, as the wasm kernel does (the same bits: additions only). The
 * cost is rows·cols·n index reads (uniform across a row's invocations); fine for the vocabulary
 * sizes and batches the conformance suite and small models use, a sort-based scatter would be
 * the next step for large vocabularies.
 *
 * @module
 */
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";

/** Launch size: `n` elements of y (gather) or of dtable (scatter-add). */
export interface GatherParams {
  n: number;
}

/**
 * `tableRow(v, rows)`: the row index `v` names, or `rows` when `v` is not an integer in
 * [0, rows). NaN and infinities are caught on the bits, because WGSL lets a compiler assume that
 * float comparisons never see them; `r < rows` then bounds every table access.
 */
const TABLE_ROW = /* wgsl */ `
fn tableRow(v: f32, rows: u32) -> u32 {
  if ((bitcast<u32>(v) & 0x7f800000u) == 0x7f800000u) { return rows; }
  let r = u32(v);
  if (v >= 0.0 && f32(r) == v && r < rows) { return r; }
  return rows;
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
    atomicStore(&errors[2], u.rows);
  }
}`;

/** `y[i, :] = table[indices[i], :]`, or zeros and a recorded error for a bad index. */
export const f32GatherRows: WgslProgram<GatherParams> = {
  key: () => "f32_gather_rows",
  bindings: [
    { name: "table", access: "read" },
    { name: "indices", access: "read" },
    { name: "y", access: "read_write" },
    { name: "errors", access: "read_write", type: "array<atomic<u32>>" },
  ],
  uniforms: { n: "u32", cols: "u32", rows: "u32", call: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () => TABLE_ROW + REPORT_BAD_INDEX,
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let i = gi / u.cols;
  let j = gi % u.cols;
  let r = tableRow(indices[i], u.rows);
  if (r < u.rows) {
    y[gi] = table[r * u.cols + j];
    return;
  }
  y[gi] = 0.0;
  if (j == 0u) { reportBadIndex(i); }`,
};

/** `dtable[indices[i], :] += dy[i, :]` for i in 0..count-1, in index order; bad indices skipped. */
export const f32ScatterAddRows: WgslProgram<GatherParams> = {
  key: () => "f32_scatter_add_rows",
  bindings: [
    { name: "dy", access: "read" },
    { name: "indices", access: "read" },
    { name: "dtable", access: "read_write" },
  ],
  uniforms: { n: "u32", cols: "u32", rows: "u32", count: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () => TABLE_ROW,
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let r = gi / u.cols;
  let j = gi % u.cols;
  var acc = dtable[gi];
  for (var i = 0u; i < u.count; i = i + 1u) {
    if (tableRow(indices[i], u.rows) == r) { acc = acc + dy[i * u.cols + j]; }
  }
  dtable[gi] = acc;`,
};
