/**
 * Float64 reference for NHWC 2-D convolution and its gradients (STYLE C8), as direct loops from
 * the definition (not im2col):
 *
 *   y[n, oy, ox, o] = act( bias[o] + sum_{kh, kw, c} x[n, iy, ix, c] * w[kh, kw, c, o] )
 *   iy = oy * strideH - padTop + kh * dilH,  ix = ox * strideW - padLeft + kw * dilW
 *
 * with taps outside the input reading zero. The gradients follow from the same sum:
 * dx[n, iy, ix, c] = sum of dz[n, oy, ox, o] * w[kh, kw, c, o] over the taps reaching (iy, ix),
 * dw[kh, kw, c, o] = sum over n, oy, ox of x[n, iy, ix, c] * dz[n, oy, ox, o], dbias[o] = sum dz.
 *
 * @module
 */
import { activate, type GemmActivation } from "./gemm.ts";

/** Geometry of one convolution; out sizes and top/left padding already resolved. */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  fh: number;
  fw: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padTop: number;
  padLeft: number;
}

/** Output size and top/left padding as TensorFlow computes them for "same" and "valid". */
export function convOutput(
  inSize: number,
  filter: number,
  stride: number,
  dilation: number,
  padding: "same" | "valid",
): { out: number; before: number } {
  const eff = (filter - 1) * dilation + 1;
  if (padding === "valid") return { out: Math.ceil((inSize - eff + 1) / stride), before: 0 };
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + eff - inSize, 0);
  return { out, before: Math.floor(total / 2) };
}

/**
 * The geometry of convolving x `[batch, inH, inW, inC]` with a filter `[fh, fw, inC, outC]`
 * (given as `[fh, fw, outC]`); strides and dilations are one number for both axes or a pair.
 */
export function convGeometry(
  [batch, inH, inW, inC]: readonly number[],
  [fh, fw, outC]: readonly number[],
  strides: number | readonly [number, number] = 1,
  dilations: number | readonly [number, number] = 1,
  padding: "same" | "valid" = "valid",
): ConvGeometry {
  const [strideH, strideW] = typeof strides === "number" ? [strides, strides] : strides;
  const [dilH, dilW] = typeof dilations === "number" ? [dilations, dilations] : dilations;
  const rows = convOutput(inH, fh, strideH, dilH, padding);
  const cols = convOutput(inW, fw, strideW, dilW, padding);
  return {
    batch,
    inH,
    inW,
    inC,
    outH: rows.out,
    outW: cols.out,
    outC,
    fh,
    fw,
    strideH,
    strideW,
    dilH,
    dilW,
    padTop: rows.before,
    padLeft: cols.before,
  };
}

/** Calls `f(n, oy, ox, kh, kw, xBase, yBase, wBase)` for every in-image tap of every output. */
function forEachTap(
  g: ConvGeometry,
  f: (xAt: number, yAt: number, wAt: number) => void,
): void {
  for (let n = 0; n < g.batch; n++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const yAt = ((n * g.outH + oy) * g.outW + ox) * g.outC;
        for (let kh = 0; kh < g.fh; kh++) {
          const iy = oy * g.strideH - g.padTop + kh * g.dilH;
          if (iy < 0 || iy >= g.inH) continue;
          for (let kw = 0; kw < g.fw; kw++) {
            const ix = ox * g.strideW - g.padLeft + kw * g.dilW;
            if (ix < 0 || ix >= g.inW) continue;
            f(((n * g.inH + iy) * g.inW + ix) * g.inC, yAt, (kh * g.fw + kw) * g.inC * g.outC);
          }
        }
      }
    }
  }
}

/** The pre-activation z and y = act(z), both `[batch, outH, outW, outC]`. */
export function conv2dReference(
  g: ConvGeometry,
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  bias?: ArrayLike<number>,
  act: GemmActivation = "none",
): { z: Float64Array; y: Float64Array } {
  const z = new Float64Array(g.batch * g.outH * g.outW * g.outC);
  if (bias) { for (let i = 0; i < z.length; i++) z[i] = bias[i % g.outC]; }
  forEachTap(g, (xAt, yAt, wAt) => {
    for (let c = 0; c < g.inC; c++) {
      const xv = x[xAt + c];
      for (let o = 0; o < g.outC; o++) z[yAt + o] += xv * w[wAt + c * g.outC + o];
    }
  });
  return { z, y: z.map((v) => activate(v, act)) };
}

/** dx `[batch, inH, inW, inC]` from the gradient `dz` of the pre-activation. */
export function conv2dBackwardDataReference(
  g: ConvGeometry,
  dz: ArrayLike<number>,
  w: ArrayLike<number>,
): Float64Array {
  const dx = new Float64Array(g.batch * g.inH * g.inW * g.inC);
  forEachTap(g, (xAt, yAt, wAt) => {
    for (let c = 0; c < g.inC; c++) {
      let s = 0;
      for (let o = 0; o < g.outC; o++) s += dz[yAt + o] * w[wAt + c * g.outC + o];
      dx[xAt + c] += s;
    }
  });
  return dx;
}

/** dw `[fh, fw, inC, outC]` from x and the gradient `dz` of the pre-activation. */
export function conv2dBackwardFilterReference(
  g: ConvGeometry,
  x: ArrayLike<number>,
  dz: ArrayLike<number>,
): Float64Array {
  const dw = new Float64Array(g.fh * g.fw * g.inC * g.outC);
  forEachTap(g, (xAt, yAt, wAt) => {
    for (let c = 0; c < g.inC; c++) {
      const xv = x[xAt + c];
      for (let o = 0; o < g.outC; o++) dw[wAt + c * g.outC + o] += xv * dz[yAt + o];
    }
  });
  return dw;
}
