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
 * max, min and prod propagate NaN; argMax and argMin return, as int32, the first index of a NaN,
 * else of the first extreme (NaN is tested by its bits: WGSL leaves min, max and comparisons on
 * NaN unspecified). logSumExp (max-shifted) and int32 sums (i32ReduceSum) take one invocation
 * per output. Softmax rows run one workgroup each, max subtracted first, so ±1000 entries give no
 * Inf or NaN.
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

const IS_NAN = /* wgsl */ `
fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }`;

/** `comb(a, b)` of the combining reductions other than sum, NaN-propagating. */
const COMBINE: Record<"max" | "min" | "prod" | "logSumExp", string> = {
  max: /* wgsl */ `
fn comb(a: f32, b: f32) -> f32 {
  if (isNan(a)) { return a; }
  if (isNan(b)) { return b; }
  return max(a, b);
}`,
  min: /* wgsl */ `
fn comb(a: f32, b: f32) -> f32 {
  if (isNan(a)) { return a; }
  if (isNan(b)) { return b; }
  return min(a, b);
}`,
  prod: /* wgsl */ `
fn comb(a: f32, b: f32) -> f32 { return a * b; }`,
  // The maximum that shifts the exponentials.
  logSumExp: /* wgsl */ `
fn comb(a: f32, b: f32) -> f32 {
  if (isNan(a)) { return a; }
  if (isNan(b)) { return b; }
  return max(a, b);
}`,
};

/** `beats(v, j, s, i)`: entry (v, j) wins over (s, i): the first NaN, else the first extreme. */
const BEATS = (cmp: ">" | "<") => /* wgsl */ `
fn beats(v: f32, j: u32, s: f32, i: u32) -> bool {
  let vn = isNan(v);
  let sn = isNan(s);
  if (vn || sn) { return vn && (!sn || j < i); }
  return v ${cmp} s || (v == s && j < i);
}`;

function opHelpers(op: ReduceOp): string {
  if (op === "sum") return "";
  if (op === "argMax" || op === "argMin") return IS_NAN + BEATS(op === "argMax" ? ">" : "<");
  return IS_NAN + COMBINE[op];
}

const THREAD_SUM = /* wgsl */ `
  var s = 0.0;
  for (var j = 0u; j < u.len; j = j + 1u) { s = s + x[base + j * u.inner]; }
  y[gi] = s * u.scale;`;

const THREAD_COMBINE = /* wgsl */ `
  var s = x[base];
  for (var j = 1u; j < u.len; j = j + 1u) { s = comb(s, x[base + j * u.inner]); }
  y[gi] = s;`;

const THREAD_LOG_SUM_EXP = /* wgsl */ `
  var m = x[base];
  for (var j = 1u; j < u.len; j = j + 1u) { m = comb(m, x[base + j * u.inner]); }
  var s = 0.0;
  for (var j = 0u; j < u.len; j = j + 1u) { s = s + exp(x[base + j * u.inner] - m); }
  y[gi] = m + log(s);`;

const THREAD_ARG = /* wgsl */ `
  var s = x[base];
  var at = 0u;
  for (var j = 1u; j < u.len; j = j + 1u) {
    let v = x[base + j * u.inner];
    if (beats(v, j, s, at)) { s = v; at = j; }
  }
  y[gi] = i32(at);`;

function groupSize(limits: ProgramLimits): Vec3 {
  const size = linearWorkgroup(limits)[0];
  return [2 ** Math.floor(Math.log2(size)), 1, 1]; // a power of two for the tree
}

const GROUP_SUM = /* wgsl */ `
  var s = 0.0;
  for (var j = lid.x; j < u.len; j = j + WG_X) { s = s + x[base + j * u.inner]; }
  sv[lid.x] = s;
  workgroupBarrier();
  for (var h = WG_X / 2u; h > 0u; h = h / 2u) {
    if (lid.x < h) { sv[lid.x] = sv[lid.x] + sv[lid.x + h]; }
    workgroupBarrier();
  }
  if (lid.x == 0u && wi < u.outputs) { y[wi] = sv[0] * u.scale; }`;

// si[l] says whether invocation l read any term (a row shorter than the workgroup leaves some
// without), so no identity value (±inf) is needed.
const GROUP_COMBINE = /* wgsl */ `
  var s = 0.0;
  var seen = false;
  for (var j = lid.x; j < u.len; j = j + WG_X) {
    let v = x[base + j * u.inner];
    s = select(comb(s, v), v, !seen);
    seen = true;
  }
  sv[lid.x] = s;
  si[lid.x] = select(0u, 1u, seen);
  workgroupBarrier();
  for (var h = WG_X / 2u; h > 0u; h = h / 2u) {
    if (lid.x < h && si[lid.x + h] != 0u) {
      sv[lid.x] = select(comb(sv[lid.x], sv[lid.x + h]), sv[lid.x + h], si[lid.x] == 0u);
      si[lid.x] = 1u;
    }
    workgroupBarrier();
  }
  if (lid.x == 0u && wi < u.outputs) { y[wi] = sv[0]; }`;

const GROUP_ARG = /* wgsl */ `
  var s = 0.0;
  var at = 0xffffffffu;
  for (var j = lid.x; j < u.len; j = j + WG_X) {
    let v = x[base + j * u.inner];
    if (at == 0xffffffffu || beats(v, j, s, at)) { s = v; at = j; }
  }
  sv[lid.x] = s;
  si[lid.x] = at;
  workgroupBarrier();
  for (var h = WG_X / 2u; h > 0u; h = h / 2u) {
    if (lid.x < h) {
      let j = si[lid.x + h];
      let i = si[lid.x];
      if (j != 0xffffffffu && (i == 0xffffffffu || beats(sv[lid.x + h], j, sv[lid.x], i))) {
        sv[lid.x] = sv[lid.x + h];
        si[lid.x] = j;
      }
    }
    workgroupBarrier();
  }
  if (lid.x == 0u && wi < u.outputs) { y[wi] = i32(si[0]); }`;

function reduceBody(op: ReduceOp, shape: "thread" | "group"): string {
  const arg = op === "argMax" || op === "argMin";
  if (op === "logSumExp") return THREAD_LOG_SUM_EXP; // always the thread shape
  if (shape === "thread") return op === "sum" ? THREAD_SUM : arg ? THREAD_ARG : THREAD_COMBINE;
  return op === "sum" ? GROUP_SUM : arg ? GROUP_ARG : GROUP_COMBINE;
}

/** A reduction program writing `yType` elements. */
function reduceProgram(yType: "array<f32>" | "array<i32>"): WgslProgram<ReduceParams> {
  return {
    key: ({ op, shape }) => `f32_reduce_${op}_${shape}`,
    bindings: [{ name: "x", access: "read" }, { name: "y", access: "read_write", type: yType }],
    uniforms: { outputs: "u32", len: "u32", inner: "u32", scale: "f32" },
    workgroupSize: (limits, { shape }) =>
      shape === "group" ? groupSize(limits) : linearWorkgroup(limits),
    dispatch: ({ shape, n }, wg, limits) =>
      shape === "group" ? groupDispatch(n, limits) : linearDispatch(n, wg, limits),
    helpers: ({ op, shape }, wg) =>
      opHelpers(op) +
      (shape === "group"
        ? `\nvar<workgroup> sv: array<f32, ${wg[0]}>;\nvar<workgroup> si: array<u32, ${wg[0]}>;`
        : ""),
    body: ({ op, shape }) =>
      shape === "thread"
        ? `  if (gi >= u.outputs) { return; }
  let base = (gi / u.inner) * u.len * u.inner + gi % u.inner;${reduceBody(op, shape)}`
        : `  let o = min(wi, u.outputs - 1u);
  let base = (o / u.inner) * u.len * u.inner + o % u.inner;${reduceBody(op, shape)}`,
  };
}

/** `y[o, i] = reduce_j x[o, j, i]` for sum (times `scale`), max, min, prod and logSumExp. */
export const f32Reduce: WgslProgram<ReduceParams> = reduceProgram("array<f32>");

/** `y[o, i]` = the int32 index j of the first NaN or extreme of `x[o, j, i]` (argMax, argMin). */
export const f32ArgReduce: WgslProgram<ReduceParams> = reduceProgram("array<i32>");

/** `y[o, i] = Σ_j x[o, j, i]` over int32 (wrapping, as WGSL's i32 addition), one per output. */
export const i32ReduceSum: WgslProgram<{ n: number }> = {
  key: () => "i32_reduce_sum",
  bindings: [
    { name: "x", access: "read", type: "array<i32>" },
    { name: "y", access: "read_write", type: "array<i32>" },
  ],
  uniforms: { outputs: "u32", len: "u32", inner: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: ({ n }, wg, limits) => linearDispatch(n, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.outputs) { return; }
  let base = (gi / u.inner) * u.len * u.inner + gi % u.inner;
  var s = 0i;
  for (var j = 0u; j < u.len; j = j + 1u) { s = s + x[base + j * u.inner]; }
  y[gi] = s;`,
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
