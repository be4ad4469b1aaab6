/**
 * 2-D max and average pooling over NHWC tensors, forward and backward, mirroring assembly/pool.ts
 * (same layouts, windows and semantics; see that header and `Pool2dArgs` in backend.ts). Window
 * (oy, ox) covers input rows [oy·sh - padTop, + ph) and columns [ox·sw - padLeft, + pw), clipped
 * to the input: padding is never read.
 *
 * Forwards: one invocation per output element, scanning its window in row-major order. Max keeps
 * the first maximum (`v > acc` from the first element, so -0 before +0 gives -0) and gives NaN
 * when any element is NaN (as far as the GPU compiler keeps NaN, see elementwise.ts); avg divides
 * the sum of the valid elements by their count.
 *
 * Backwards: a gather, one invocation per dx element (no atomics, deterministic): it visits the
 * windows that contain its pixel in row-major output order (the order in which the wasm kernel
 * adds them) and sums their contributions, so every element of dx is written. Max: a window's dy
 * goes to its first element, in row-major window order, equal to the forward output y (the first
 * NaN when y is NaN; TF semantics), found by rescanning the window. Avg: dy / count.
 *
 * Tested against tests/_reference/pool.ts by tests/backend/webgpu_conformance_cnn_test.ts.
 *
 * @module
 */
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";

/** Launch size: `n` outputs (forwards) or dx elements (backwards). */
export interface PoolParams {
  op: "max" | "avg";
  n: number;
}

const UNIFORMS = {
  n: "u32",
  h: "u32",
  w: "u32",
  c: "u32",
  oh: "u32",
  ow: "u32",
  ph: "i32",
  pw: "i32",
  sh: "i32",
  sw: "i32",
  padTop: "i32",
  padLeft: "i32",
} as const;

/** The clipped window of output (oy, ox): rows [y0, y1), columns [x0, x1). */
const WINDOW = /* wgsl */ `
struct Window { y0: u32, y1: u32, x0: u32, x1: u32 }
fn window(oy: u32, ox: u32) -> Window {
  let iy = i32(oy) * u.sh - u.padTop;
  let ix = i32(ox) * u.sw - u.padLeft;
  return Window(u32(max(iy, 0)), u32(min(iy + u.ph, i32(u.h))), u32(max(ix, 0)),
    u32(min(ix + u.pw, i32(u.w))));
}
fn is_nan(v: f32) -> bool { return v != v; }`;

const FORWARD = {
  max: /* wgsl */ `
  var acc = x[((b * u.h + win.y0) * u.w + win.x0) * u.c + ch];
  var nan = false;
  for (var yy = win.y0; yy < win.y1; yy = yy + 1u) {
    for (var xx = win.x0; xx < win.x1; xx = xx + 1u) {
      let v = x[((b * u.h + yy) * u.w + xx) * u.c + ch];
      if (v > acc) { acc = v; }
      nan = nan || is_nan(v);
    }
  }
  y[gi] = select(acc, bitcast<f32>(0x7fc00000u), nan);`,
  avg: /* wgsl */ `
  var acc = 0.0;
  for (var yy = win.y0; yy < win.y1; yy = yy + 1u) {
    for (var xx = win.x0; xx < win.x1; xx = xx + 1u) {
      acc = acc + x[((b * u.h + yy) * u.w + xx) * u.c + ch];
    }
  }
  y[gi] = acc / f32((win.y1 - win.y0) * (win.x1 - win.x0));`,
};

/** `y` = max or mean of each window of `x`. */
export const f32Pool2dNhwc: WgslProgram<PoolParams> = {
  key: ({ op }) => `f32_${op}pool2d_nhwc`,
  bindings: [{ name: "x", access: "read" }, { name: "y", access: "read_write" }],
  uniforms: UNIFORMS,
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () => WINDOW,
  body: ({ op }) => /* wgsl */ `
  if (gi >= u.n) { return; }
  let ch = gi % u.c;
  var r = gi / u.c;
  let ox = r % u.ow;
  r = r / u.ow;
  let oy = r % u.oh;
  let b = r / u.oh;
  let win = window(oy, ox);${FORWARD[op]}`,
};

const BACKWARD = {
  max: /* wgsl */ `
      let ymax = y[o];
      var fy = win.y1;
      var fx = win.x1;
      for (var yy = win.y0; yy < win.y1 && fy == win.y1; yy = yy + 1u) {
        for (var xx = win.x0; xx < win.x1; xx = xx + 1u) {
          let v = x[((b * u.h + yy) * u.w + xx) * u.c + ch];
          if (v == ymax || (is_nan(ymax) && is_nan(v))) {
            fy = yy;
            fx = xx;
            break;
          }
        }
      }
      if (fy == iy && fx == ix) { acc = acc + dy[o]; }`,
  avg: /* wgsl */ `
      acc = acc + dy[o] / f32((win.y1 - win.y0) * (win.x1 - win.x0));`,
};

/**
 * `dx` from `dy`: max routes each window's gradient to its first element equal to `y`, avg
 * spreads it evenly over the valid elements. Max binds `x`, `y`, `dy`, `dx`; avg `dy`, `dx`.
 */
export const f32Pool2dNhwcBwd: WgslProgram<PoolParams> = {
  key: ({ op }) => `f32_${op}pool2d_nhwc_bwd`,
  bindings: [
    { name: "dy", access: "read" },
    { name: "dx", access: "read_write" },
    { name: "x", access: "read" },
    { name: "y", access: "read" },
  ],
  uniforms: UNIFORMS,
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () => WINDOW,
  body: ({ op }) => /* wgsl */ `
  if (gi >= u.n) { return; }
  let ch = gi % u.c;
  var r = gi / u.c;
  let ix = r % u.w;
  r = r / u.w;
  let iy = r % u.h;
  let b = r / u.h;
  // Windows holding (iy, ix): oy·sh - padTop <= iy < oy·sh - padTop + ph, clipped to [0, oh).
  let ty = i32(iy) + u.padTop;
  let tx = i32(ix) + u.padLeft;
  let oy0 = u32(max((ty - u.ph + u.sh) / u.sh, 0));
  let ox0 = u32(max((tx - u.pw + u.sw) / u.sw, 0));
  let oy1 = min(u32(ty / u.sh) + 1u, u.oh);
  let ox1 = min(u32(tx / u.sw) + 1u, u.ow);
  var acc = 0.0;
  for (var oy = oy0; oy < oy1; oy = oy + 1u) {
    for (var ox = ox0; ox < ox1; ox = ox + 1u) {
      let win = window(oy, ox);
      let o = ((b * u.oh + oy) * u.ow + ox) * u.c + ch;${BACKWARD[op]}
    }
  }
  dx[gi] = acc;`,
};
