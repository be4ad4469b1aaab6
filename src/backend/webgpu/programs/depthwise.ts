/**
 * The depthwise 2-D convolution over NHWC tensors, forward and gradients, mirroring
 * assembly/depthwise.ts (same layouts, taps and summation order; see that header and
 * `DepthwiseConv2dArgs` in backend.ts): one invocation per output element, no atomics.
 *
 * Forward: y[b, oy, ox, c·m + k] = bias + Σ over taps (kh, kw) in row-major order of
 * x[b, iy, ix, c] · f[kh, kw, c, k]. Input gradient: dx[b, iy, ix, c] = Σ over taps in row-major
 * order whose output (oy, ox) exists, then k, of dy · f. Filter gradient: df[kh, kw, c, k] = Σ over
 * (b, oy, ox) in row-major order of x · dy.
 *
 * Tested against tests/_reference/depthwise.ts through the op suite (webgpu_test.ts).
 *
 * @module
 */
import {
  linearDispatch,
  linearWorkgroup,
  type ProgramLimits,
  type Vec3,
  type WgslProgram,
} from "../program.ts";

/** Launch size: `n` output elements. */
export interface DepthwiseParams {
  n: number;
}

const UNIFORMS = {
  n: "u32",
  batch: "u32",
  h: "u32",
  w: "u32",
  c: "u32",
  m: "u32",
  oh: "u32",
  ow: "u32",
  fh: "u32",
  fw: "u32",
  sh: "i32",
  sw: "i32",
  dh: "i32",
  dw: "i32",
  padTop: "i32",
  padLeft: "i32",
  hasBias: "u32",
} as const;

const common = {
  uniforms: UNIFORMS,
  workgroupSize: linearWorkgroup,
  dispatch: (p: DepthwiseParams, wg: Vec3, limits: ProgramLimits) =>
    linearDispatch(p.n, wg, limits),
};

/** `y` = the depthwise convolution of `x` with `f`, plus `bias` when `hasBias`. */
export const f32DepthwiseConv2dNhwc: WgslProgram<DepthwiseParams> = {
  ...common,
  key: () => "f32_depthwise_conv2d_nhwc",
  bindings: [
    { name: "x", access: "read" },
    { name: "f", access: "read" },
    { name: "bias", access: "read" },
    { name: "y", access: "read_write" },
  ],
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let cm = u.c * u.m;
  let j = gi % cm;
  let ch = j / u.m;
  var r = gi / cm;
  let ox = r % u.ow;
  r = r / u.ow;
  let oy = r % u.oh;
  let b = r / u.oh;
  var acc = 0.0;
  if (u.hasBias != 0u) { acc = bias[j]; }
  for (var kh = 0u; kh < u.fh; kh = kh + 1u) {
    let iy = i32(oy) * u.sh - u.padTop + i32(kh) * u.dh;
    if (iy < 0 || iy >= i32(u.h)) { continue; }
    for (var kw = 0u; kw < u.fw; kw = kw + 1u) {
      let ix = i32(ox) * u.sw - u.padLeft + i32(kw) * u.dw;
      if (ix < 0 || ix >= i32(u.w)) { continue; }
      acc = acc + x[((b * u.h + u32(iy)) * u.w + u32(ix)) * u.c + ch] * f[(kh * u.fw + kw) * cm + j];
    }
  }
  y[gi] = acc;`,
};

/** `dx` = the input gradient from `dy` and `f`. */
export const f32DepthwiseConv2dNhwcBwdData: WgslProgram<DepthwiseParams> = {
  ...common,
  key: () => "f32_depthwise_conv2d_nhwc_bwd_data",
  bindings: [
    { name: "dy", access: "read" },
    { name: "f", access: "read" },
    { name: "dx", access: "read_write" },
  ],
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let cm = u.c * u.m;
  let ch = gi % u.c;
  var r = gi / u.c;
  let ix = r % u.w;
  r = r / u.w;
  let iy = r % u.h;
  let b = r / u.h;
  var acc = 0.0;
  for (var kh = 0u; kh < u.fh; kh = kh + 1u) {
    let ty = i32(iy) + u.padTop - i32(kh) * u.dh;
    if (ty < 0 || ty % u.sh != 0 || ty / u.sh >= i32(u.oh)) { continue; }
    let oy = u32(ty / u.sh);
    for (var kw = 0u; kw < u.fw; kw = kw + 1u) {
      let tx = i32(ix) + u.padLeft - i32(kw) * u.dw;
      if (tx < 0 || tx % u.sw != 0 || tx / u.sw >= i32(u.ow)) { continue; }
      let ox = u32(tx / u.sw);
      let g = ((b * u.oh + oy) * u.ow + ox) * cm + ch * u.m;
      let t = (kh * u.fw + kw) * cm + ch * u.m;
      for (var k = 0u; k < u.m; k = k + 1u) {
        acc = acc + dy[g + k] * f[t + k];
      }
    }
  }
  dx[gi] = acc;`,
};

/** `df` = the filter gradient from `x` and `dy`. */
export const f32DepthwiseConv2dNhwcBwdFilter: WgslProgram<DepthwiseParams> = {
  ...common,
  key: () => "f32_depthwise_conv2d_nhwc_bwd_filter",
  bindings: [
    { name: "x", access: "read" },
    { name: "dy", access: "read" },
    { name: "df", access: "read_write" },
  ],
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let cm = u.c * u.m;
  let j = gi % cm;
  let ch = j / u.m;
  let t = gi / cm;
  let kh = t / u.fw;
  let kw = t % u.fw;
  var acc = 0.0;
  for (var b = 0u; b < u.batch; b = b + 1u) {
    for (var oy = 0u; oy < u.oh; oy = oy + 1u) {
      let iy = i32(oy) * u.sh - u.padTop + i32(kh) * u.dh;
      if (iy < 0 || iy >= i32(u.h)) { continue; }
      for (var ox = 0u; ox < u.ow; ox = ox + 1u) {
        let ix = i32(ox) * u.sw - u.padLeft + i32(kw) * u.dw;
        if (ix < 0 || ix >= i32(u.w)) { continue; }
        acc = acc + x[((b * u.h + u32(iy)) * u.w + u32(ix)) * u.c + ch] *
          dy[((b * u.oh + oy) * u.ow + ox) * cm + j];
      }
    }
  }
  df[gi] = acc;`,
};
