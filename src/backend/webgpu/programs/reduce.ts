/**
 * Reductions and softmax, mirroring assembly/reduce.ts. `x` is viewed as `[outer, len, inner]`,
 * `y` as `[outer, inner]`; the softmax family works on `[rows, cols]`.
 *
 * Two reduction shapes, chosen in TypeScript by size and part of the pipeline key:
 *   - `thread`: one invocation per output sums its `len` terms in order (like the wasm kernel);
 *     for many outputs or short rows.
 *   - `group`: one workgroup per output; invocations take strided partial sums which a tree in
 *     workgroup memory combines; for few outputs of long rows (a loss, a norm), where one
 *     invocation per output would leave the GPU idle. The summation order differs from wasm's,
 *     within the same recursive-summation error bound.
 * argMax returns the first index of the maximum. Softmax rows run one workgroup each, max
 * subtracted first, so ±1000 entries give no Inf or NaN.
 *
 * @module
 */
import type { ReduceOp, SoftmaxOp } from "../../backend.ts";
import {
  groupDispatch,
  linearDispatch,
  linearWorkgroup,
  type ProgramLimits,
  type Vec3,
  type WgslProgram,
} from "../program.ts";

/** Reduction parameters: `n` outputs. */
export interface ReduceParams {
  op: ReduceOp;
  shape: "thread" | "group";
  n: number;
}

/** Which shape a reduction of `outputs` results over rows of `len` takes. */
export function reduceShape(outputs: number, len: number): "thread" | "group" {
  return len >= 256 && outputs <= 1024 ? "group" : "thread";
}

const THREAD_BODY: Record<ReduceOp, string> = {
  sum: /* wgsl */ `
  var s = 0.0;
  for (var j = 0u; j < u.len; j = j + 1u) { s = s + x[base + j * u.inner]; }
  y[gi] = s * u.scale;`,
  max: /* wgsl */ `
  var s = x[base];
  for (var j = 1u; j < u.len; j = j + 1u) { s = max(s, x[base + j * u.inner]); }
  y[gi] = s;`,
  argMax: /* wgsl */ `
  var s = x[base];
  var at = 0u;
  for (var j = 1u; j < u.len; j = j + 1u) {
    let v = x[base + j * u.inner];
    if (v > s) { s = v; at = j; }
  }
  y[gi] = f32(at);`,
};

function groupSize(limits: ProgramLimits): Vec3 {
  const size = linearWorkgroup(limits)[0];
  return [2 ** Math.floor(Math.log2(size)), 1, 1]; // a power of two for the tree
}

const GROUP_BODY: Record<ReduceOp, string> = {
  sum: /* wgsl */ `
  var s = 0.0;
  for (var j = lid.x; j < u.len; j = j + WG_X) { s = s + x[base + j * u.inner]; }
  sv[lid.x] = s;
  workgroupBarrier();
  for (var h = WG_X / 2u; h > 0u; h = h / 2u) {
    if (lid.x < h) { sv[lid.x] = sv[lid.x] + sv[lid.x + h]; }
    workgroupBarrier();
  }
  if (lid.x == 0u && wi < u.outputs) { y[wi] = sv[0] * u.scale; }`,
  max: /* wgsl */ `
  var s = -3.4028235e38;
  var any = false;
  for (var j = lid.x; j < u.len; j = j + WG_X) {
    let v = x[base + j * u.inner];
    s = select(max(s, v), v, !any);
    any = true;
  }
  sv[lid.x] = s;
  si[lid.x] = select(0u, 1u, any);
  workgroupBarrier();
  for (var h = WG_X / 2u; h > 0u; h = h / 2u) {
    if (lid.x < h && si[lid.x + h] != 0u) {
      sv[lid.x] = select(max(sv[lid.x], sv[lid.x + h]), sv[lid.x + h], si[lid.x] == 0u);
      si[lid.x] = 1u;
    }
    workgroupBarrier();
  }
  if (lid.x == 0u && wi < u.outputs) { y[wi] = sv[0]; }`,
  argMax: /* wgsl */ `
  var s = 0.0;
  var at = 0xffffffffu;
  for (var j = lid.x; j < u.len; j = j + WG_X) {
    let v = x[base + j * u.inner];
    if (at == 0xffffffffu || v > s) { s = v; at = j; }
  }
  sv[lid.x] = s;
  si[lid.x] = at;
  workgroupBarrier();
  for (var h = WG_X / 2u; h > 0u; h = h / 2u) {
    if (lid.x < h) {
      let j = si[lid.x + h];
      let i = si[lid.x];
      let v = sv[lid.x + h];
      if (j != 0xffffffffu && (i == 0xffffffffu || v > sv[lid.x] || (v == sv[lid.x] && j < i))) {
        sv[lid.x] = v;
        si[lid.x] = j;
      }
    }
    workgroupBarrier();
  }
  if (lid.x == 0u && wi < u.outputs) { y[wi] = f32(si[0]); }`,
};

/** `y[o, i] = reduce_j x[o, j, i]` (sums times `scale`). */
export const f32Reduce: WgslProgram<ReduceParams> = {
  key: ({ op, shape }) => `f32_reduce_${op}_${shape}`,
  bindings: [{ name: "x", access: "read" }, { name: "y", access: "read_write" }],
  uniforms: { outputs: "u32", len: "u32", inner: "u32", scale: "f32" },
  workgroupSize: (limits, { shape }) =>
    shape === "group" ? groupSize(limits) : linearWorkgroup(limits),
  dispatch: ({ shape, n }, wg, limits) =>
    shape === "group" ? groupDispatch(n, limits) : linearDispatch(n, wg, limits),
  helpers: ({ shape }, wg) =>
    shape === "group"
      ? `var<workgroup> sv: array<f32, ${wg[0]}>;\nvar<workgroup> si: array<u32, ${wg[0]}>;`
      : "",
  body: ({ op, shape }) =>
    shape === "thread"
      ? `  if (gi >= u.outputs) { return; }
  let base = (gi / u.inner) * u.len * u.inner + gi % u.inner;${THREAD_BODY[op]}`
      : `  let o = min(wi, u.outputs - 1u);
  let base = (o / u.inner) * u.len * u.inner + o % u.inner;${GROUP_BODY[op]}`,
};

/** Softmax-family parameters: `rows` rows, one workgroup each. */
export interface SoftmaxParams {
  op: SoftmaxOp;
  rows: number;
}

/** A workgroup-wide reduction of `v` into `red[0]` (sum or max); every invocation calls it. */
const ROW_HELPERS = (wg: Vec3) => /* wgsl */ `
var<workgroup> red: array<f32, ${wg[0]}>;
fn rowReduce(v: f32, lidx: u32, isMax: bool) -> f32 {
  red[lidx] = v;
  workgroupBarrier();
  for (var h = WG_X / 2u; h > 0u; h = h / 2u) {
    if (lidx < h) {
      red[lidx] = select(red[lidx] + red[lidx + h], max(red[lidx], red[lidx + h]), isMax);
    }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}`;

const SOFTMAX_BODY = {
  softmax: /* wgsl */ `
  var m = -3.4028235e38;
  for (var j = lid.x; j < u.cols; j = j + WG_X) { m = max(m, x[base + j]); }
  m = rowReduce(m, lid.x, true);
  var s = 0.0;
  for (var j = lid.x; j < u.cols; j = j + WG_X) { s = s + exp(x[base + j] - m); }
  s = rowReduce(s, lid.x, false);
  if (live) {
    for (var j = lid.x; j < u.cols; j = j + WG_X) { y[base + j] = exp(x[base + j] - m) / s; }
  }`,
  logSoftmax: /* wgsl */ `
  var m = -3.4028235e38;
  for (var j = lid.x; j < u.cols; j = j + WG_X) { m = max(m, x[base + j]); }
  m = rowReduce(m, lid.x, true);
  var s = 0.0;
  for (var j = lid.x; j < u.cols; j = j + WG_X) { s = s + exp(x[base + j] - m); }
  let ls = log(rowReduce(s, lid.x, false));
  if (live) {
    for (var j = lid.x; j < u.cols; j = j + WG_X) { y[base + j] = (x[base + j] - m) - ls; }
  }`,
};

const SOFTMAX_BWD_BODY = {
  softmax: /* wgsl */ `
  var s = 0.0;
  for (var j = lid.x; j < u.cols; j = j + WG_X) { s = s + dy[base + j] * y[base + j]; }
  s = rowReduce(s, lid.x, false);
  if (live) {
    for (var j = lid.x; j < u.cols; j = j + WG_X) { dx[base + j] = y[base + j] * (dy[base + j] - s); }
  }`,
  logSoftmax: /* wgsl */ `
  var s = 0.0;
  for (var j = lid.x; j < u.cols; j = j + WG_X) { s = s + dy[base + j]; }
  s = rowReduce(s, lid.x, false);
  if (live) {
    for (var j = lid.x; j < u.cols; j = j + WG_X) { dx[base + j] = dy[base + j] - exp(y[base + j]) * s; }
  }`,
};

function rowSize(limits: ProgramLimits): Vec3 {
  return [Math.min(64, groupSize(limits)[0]), 1, 1];
}

/** Softmax / log-softmax of each row. */
export const f32Softmax: WgslProgram<SoftmaxParams> = {
  key: ({ op }) => `f32_${op}`,
  bindings: [{ name: "x", access: "read" }, { name: "y", access: "read_write" }],
  uniforms: { rows: "u32", cols: "u32" },
  workgroupSize: rowSize,
  dispatch: ({ rows }, _, limits) => groupDispatch(rows, limits),
  helpers: (_, wg) => ROW_HELPERS(wg),
  body: ({ op }) =>
    `  let live = wi < u.rows;
  let base = min(wi, u.rows - 1u) * u.cols;${SOFTMAX_BODY[op]}`,
};

/** Gradient of softmax / log-softmax rows from their output `y`. */
export const f32SoftmaxBwd: WgslProgram<SoftmaxParams> = {
  key: ({ op }) => `f32_${op}_bwd`,
  bindings: [
    { name: "dy", access: "read" },
    { name: "y", access: "read" },
    { name: "dx", access: "read_write" },
  ],
  uniforms: { rows: "u32", cols: "u32" },
  workgroupSize: rowSize,
  dispatch: ({ rows }, _, limits) => groupDispatch(rows, limits),
  helpers: (_, wg) => ROW_HELPERS(wg),
  body: ({ op }) =>
    `  let live = wi < u.rows;
  let base = min(wi, u.rows - 1u) * u.cols;${SOFTMAX_BWD_BODY[op]}`,
};
