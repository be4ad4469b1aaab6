/**
 * Row gather and scatter-add over a table (an embedding lookup and its gradient), mirroring
 * assembly/gather.ts: table and dtable `[rows, cols]`, y and dy `[n, cols]`, indices `[n]` as
 * float32 holding integers already checked to lie in [0, rows) by `src/ops/`.
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

/** `y[i, :] = table[indices[i], :]`. */
export const f32GatherRows: WgslProgram<GatherParams> = {
  key: () => "f32_gather_rows",
  bindings: [
    { name: "table", access: "read" },
    { name: "indices", access: "read" },
    { name: "y", access: "read_write" },
  ],
  uniforms: { n: "u32", cols: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let i = gi / u.cols;
  let j = gi % u.cols;
  y[gi] = table[u32(indices[i]) * u.cols + j];`,
};

/** `dtable[indices[i], :] += dy[i, :]` for i in 0..count-1, in index order. */
export const f32ScatterAddRows: WgslProgram<GatherParams> = {
  key: () => "f32_scatter_add_rows",
  bindings: [
    { name: "dy", access: "read" },
    { name: "indices", access: "read" },
    { name: "dtable", access: "read_write" },
  ],
  uniforms: { n: "u32", cols: "u32", count: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let r = gi / u.cols;
  let j = gi % u.cols;
  var acc = dtable[gi];
  for (var i = 0u; i < u.count; i = i + 1u) {
    if (u32(indices[i]) == r) { acc = acc + dy[i * u.cols + j]; }
  }
  dtable[gi] = acc;`,
};
