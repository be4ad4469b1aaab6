/**
 * NHWC 2-D convolution and its two backwards as implicit GEMMs, mirroring assembly/conv.ts (same
 * layouts, same geometry; see that header and `Conv2dGeometry` in backend.ts). No im2col matrix
 * is built: each invocation gathers its patch values straight from x (or dy) while it runs the
 * blocked GEMM of gemm.ts's `f32GemmBlocked` (a 4 x 4 block of the output, 16 accumulators, no
 * workgroup memory, so no barriers on software adapters). Blocks are numbered over a 1-D launch
 * (`gi`, tile columns fastest), so neighbouring invocations share their patch reads and read
 * consecutive filter columns; block rows and columns past the edge alias the last valid one
 * (XNNPACK style) and are not stored. Taps outside the input read 0 through a clamped index and
 * a mask, never out of range.
 *
 *   forward        rows = output pixels (batch·outH·outW), cols = outC, K = fh·fw·inC in tap
 *                  order; epilogue `y = act(acc + bias)` (activation.ts `act_f32`).
 *   backward data  rows = input pixels (batch·inH·inW), cols = inC; for tap (kh, kw) the output
 *                  pixel is (iy + padTop - kh·dilH) / strideH when that divides evenly and lies in
 *                  [0, outH) (same for x), K runs over taps then outC. A gather per dx element
 *                  (no atomics, no scatter): every element of dx is written.
 *   backward filt  rows = filter taps × inC, cols = outC, the sum runs over the R = batch·outH·
 *                  outW output pixels. R is cut into `slices` contiguous ranges (a count that
 *                  depends on the shape only, see {@linkcode filterSlices}); each writes its
 *                  partial dw, summed afterwards in slice order by the reduce program, so the
 *                  result is deterministic run to run; one slice writes dw directly. dw is
 *                  overwritten, as the Backend method documents.
 *
 * Each output sums its products in a fixed order; that order differs from the wasm kernel's
 * (which may also skip fma), within the f32 dot-product error bound. Tested against
 * tests/_reference/conv.ts by tests/backend/webgpu_conformance_cnn_test.ts.
 *
 * @module
 */
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";
import { WGSL_ACT } from "./activation.ts";

/** Blocks of a `rows x cols` output (4 x 4 each) and slices of the sum: the launch size. */
export interface ConvParams {
  n: number;
}

/** Uniforms shared by the three programs: the geometry and the block grid. */
const GEOMETRY = {
  tiles: "u32",
  tilesN: "u32",
  rows: "u32",
  cols: "u32",
  inH: "u32",
  inW: "u32",
  inC: "u32",
  outH: "u32",
  outW: "u32",
  outC: "u32",
  fh: "u32",
  fw: "u32",
  sh: "i32",
  sw: "i32",
  dh: "i32",
  dw: "i32",
  padTop: "i32",
  padLeft: "i32",
} as const;

/** Block origin and the 4 aliased columns; `rb`/`cb` are the aliased rows and columns. */
const BLOCK = /* wgsl */ `
  let t = gi % u.tiles;
  let r0 = (t / u.tilesN) * 4u;
  let c0 = (t % u.tilesN) * 4u;
  let rb = vec4<u32>(r0, min(r0 + 1u, u.rows - 1u), min(r0 + 2u, u.rows - 1u), min(r0 + 3u, u.rows - 1u));
  let cb = vec4<u32>(c0, min(c0 + 1u, u.cols - 1u), min(c0 + 2u, u.cols - 1u), min(c0 + 3u, u.cols - 1u));
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);`;

/** Which lanes of `v` lie in [0, hi). */
const INSIDE = /* wgsl */ `
fn inside(v: vec4<i32>, hi: u32) -> vec4<bool> {
  return (v >= vec4<i32>(0)) & (v < vec4<i32>(i32(hi)));
}`;

/** Stores the block: `target = value` for each in-range (row, col), with `at`, `col`, `v` in scope. */
function storeBlock(target: string, value: string): string {
  return /* wgsl */ `
  let accs = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < 4u; i = i + 1u) {
    let row = r0 + i;
    if (row < u.rows) {
      for (var j = 0u; j < 4u; j = j + 1u) {
        let col = c0 + j;
        if (col < u.cols) {
          let at = row * u.cols + col;
          let v = accs[i][j];
          ${target} = ${value};
        }
      }
    }
  }`;
}

/** `acc_i += a[i] · b` for the block's 4 rows. */
const FMA4 = /* wgsl */ `
      acc0 = acc0 + av.x * bv;
      acc1 = acc1 + av.y * bv;
      acc2 = acc2 + av.z * bv;
      acc3 = acc3 + av.w * bv;`;

/** `y = act(conv2d(x, w) + bias)`. */
export const f32Conv2dNhwc: WgslProgram<ConvParams> = {
  key: () => "f32_conv2d_nhwc",
  bindings: [
    { name: "x", access: "read" },
    { name: "w", access: "read" },
    { name: "bias", access: "read" },
    { name: "y", access: "read_write" },
  ],
  uniforms: { n: "u32", ...GEOMETRY, hasBias: "u32", act: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () =>
    /* wgsl */ `${WGSL_ACT}${INSIDE}
fn bias_at(col: u32) -> f32 {
  if (u.hasBias != 0u) { return bias[col]; }
  return 0.0;
}`,
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }${BLOCK}
  // Per block row: batch item base in x and the window origin (oy·sh - padTop, ox·sw - padLeft).
  let pix = u.outH * u.outW;
  let rem = rb % vec4<u32>(pix);
  let xb = (rb / vec4<u32>(pix)) * (u.inH * u.inW * u.inC);
  let oy0 = vec4<i32>(rem / vec4<u32>(u.outW)) * u.sh - u.padTop;
  let ox0 = vec4<i32>(rem % vec4<u32>(u.outW)) * u.sw - u.padLeft;
  let zero = vec4<f32>(0.0);
  for (var kh = 0u; kh < u.fh; kh = kh + 1u) {
    let iy = oy0 + i32(kh) * u.dh;
    let vy = inside(iy, u.inH);
    for (var kw = 0u; kw < u.fw; kw = kw + 1u) {
      let ix = ox0 + i32(kw) * u.dw;
      let valid = vy & inside(ix, u.inW);
      let xa = select(vec4<u32>(0u), xb + (vec4<u32>(iy) * u.inW + vec4<u32>(ix)) * u.inC, valid);
      let wa = (kh * u.fw + kw) * u.inC;
      for (var c = 0u; c < u.inC; c = c + 1u) {
        let av = select(zero, vec4<f32>(x[xa.x + c], x[xa.y + c], x[xa.z + c], x[xa.w + c]), valid);
        let wr = (wa + c) * u.outC;
        let bv = vec4<f32>(w[wr + cb.x], w[wr + cb.y], w[wr + cb.z], w[wr + cb.w]);${FMA4}
      }
    }
  }${storeBlock("y[at]", "act_f32(v + bias_at(col), u.act)")}`,
};

/** `dx` = the gradient of `conv2d(x, w)` with respect to x, from `dy` (overwrites dx). */
export const f32Conv2dNhwcBwdData: WgslProgram<ConvParams> = {
  key: () => "f32_conv2d_nhwc_bwd_data",
  bindings: [
    { name: "dy", access: "read" },
    { name: "w", access: "read" },
    { name: "dx", access: "read_write" },
  ],
  uniforms: { n: "u32", ...GEOMETRY },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () => INSIDE,
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }${BLOCK}
  let pix = u.inH * u.inW;
  let rem = rb % vec4<u32>(pix);
  let yb = (rb / vec4<u32>(pix)) * (u.outH * u.outW);
  let ty0 = vec4<i32>(rem / vec4<u32>(u.inW)) + u.padTop;
  let tx0 = vec4<i32>(rem % vec4<u32>(u.inW)) + u.padLeft;
  let zero = vec4<f32>(0.0);
  for (var kh = 0u; kh < u.fh; kh = kh + 1u) {
    let ty = ty0 - i32(kh) * u.dh;
    let oy = ty / u.sh;
    let vy = inside(oy, u.outH) & (ty >= vec4<i32>(0)) & ((ty % u.sh) == vec4<i32>(0));
    for (var kw = 0u; kw < u.fw; kw = kw + 1u) {
      let tx = tx0 - i32(kw) * u.dw;
      let ox = tx / u.sw;
      let valid = vy & inside(ox, u.outW) & (tx >= vec4<i32>(0)) & ((tx % u.sw) == vec4<i32>(0));
      let ya = select(vec4<u32>(0u), (yb + vec4<u32>(oy) * u.outW + vec4<u32>(ox)) * u.outC, valid);
      let wa = (kh * u.fw + kw) * u.inC;
      let wc = (vec4<u32>(wa) + cb) * u.outC;
      for (var o = 0u; o < u.outC; o = o + 1u) {
        let av = select(zero, vec4<f32>(dy[ya.x + o], dy[ya.y + o], dy[ya.z + o], dy[ya.w + o]), valid);
        let bv = vec4<f32>(w[wc.x + o], w[wc.y + o], w[wc.z + o], w[wc.w + o]);${FMA4}
      }
    }
  }${storeBlock("dx[at]", "v")}`,
};

/**
 * Partial filter gradients: slice `s` of the output pixels, `[begin, end)` with `len` pixels per
 * slice, into `dw[s · rows · cols ...]` (dw itself when there is one slice).
 */
export const f32Conv2dNhwcBwdFilter: WgslProgram<ConvParams> = {
  key: () => "f32_conv2d_nhwc_bwd_filter",
  bindings: [
    { name: "x", access: "read" },
    { name: "dy", access: "read" },
    { name: "dw", access: "read_write" },
  ],
  uniforms: { n: "u32", ...GEOMETRY, pixels: "u32", sliceLen: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () => INSIDE,
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }${BLOCK}
  let s = gi / u.tiles;
  // Per block row k = (kh·fw + kw)·inC + c: its channel and the tap offset (kh·dh - padTop, ...).
  let ch = rb % vec4<u32>(u.inC);
  let tap = rb / vec4<u32>(u.inC);
  let offY = vec4<i32>(tap / vec4<u32>(u.fw)) * u.dh - u.padTop;
  let offX = vec4<i32>(tap % vec4<u32>(u.fw)) * u.dw - u.padLeft;
  let zero = vec4<f32>(0.0);
  let pix = u.outH * u.outW;
  let begin = s * u.sliceLen;
  let end = min(begin + u.sliceLen, u.pixels);
  for (var r = begin; r < end; r = r + 1u) {
    let b = r / pix;
    let rem = r % pix;
    let iy = vec4<i32>(i32(rem / u.outW) * u.sh) + offY;
    let ix = vec4<i32>(i32(rem % u.outW) * u.sw) + offX;
    let valid = inside(iy, u.inH) & inside(ix, u.inW);
    let xa = select(vec4<u32>(0u),
      ((vec4<u32>(b * u.inH) + vec4<u32>(iy)) * u.inW + vec4<u32>(ix)) * u.inC + ch, valid);
    let av = select(zero, vec4<f32>(x[xa.x], x[xa.y], x[xa.z], x[xa.w]), valid);
    let yr = r * u.outC;
    let bv = vec4<f32>(dy[yr + cb.x], dy[yr + cb.y], dy[yr + cb.z], dy[yr + cb.w]);${FMA4}
  }${storeBlock("dw[s * u.rows * u.cols + at]", "v")}`,
};

/** Most partial dw buffers one filter-gradient call may use (floats), 16 MiB. */
const PARTIAL_FLOATS = 1 << 22;

/**
 * Slices of the filter-gradient sum over `pixels` output pixels for a dw of `size` floats: about
 * 256 pixels each, at most 64 slices and {@linkcode PARTIAL_FLOATS} floats of partials. Depends on
 * the shape only, so a given problem always sums in the same order.
 */
export function filterSlices(pixels: number, size: number): number {
  return Math.max(
    1,
    Math.min(64, Math.ceil(pixels / 256), Math.floor(PARTIAL_FLOATS / Math.max(1, size))),
  );
}
