/**
 * Float64 reference of the depthwise 2-D convolution (TensorFlow's `depthwiseConv2d`): NHWC `x`,
 * kernel `[fh, fw, C, M]`, output channel `c·M + m` = Σ over taps of `x[.., c] · w[kh, kw, c, m]`,
 * with `convGeometry`'s sizes and padding (its `outC` is C·M).
 */
import type { ConvGeometry } from "./conv.ts";

/** `[batch, outH, outW, C·M]`, plus `bias[C·M]` when given. */
export function depthwiseReference(
  g: ConvGeometry,
  multiplier: number,
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  bias?: ArrayLike<number>,
): Float64Array {
  const c = g.inC, m = multiplier;
  const y = new Float64Array(g.batch * g.outH * g.outW * c * m);
  for (let n = 0; n < g.batch; n++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        for (let ch = 0; ch < c; ch++) {
          for (let k = 0; k < m; k++) {
            let s = bias ? bias[ch * m + k] : 0;
            for (let kh = 0; kh < g.fh; kh++) {
              const iy = oy * g.strideH - g.padTop + kh * g.dilH;
              if (iy < 0 || iy >= g.inH) continue;
              for (let kw = 0; kw < g.fw; kw++) {
                const ix = ox * g.strideW - g.padLeft + kw * g.dilW;
                if (ix < 0 || ix >= g.inW) continue;
                s += x[((n * g.inH + iy) * g.inW + ix) * c + ch] *
                  w[((kh * g.fw + kw) * c + ch) * m + k];
              }
            }
            y[(((n * g.outH + oy) * g.outW + ox) * c + ch) * m + k] = s;
          }
        }
      }
    }
  }
  return y;
}

/** Visits every (output element, tap) pair: `f(xAt, yAt, fAt)` for channel 0, multiplier 0. */
function forEachTap(
  g: ConvGeometry,
  f: (xAt: number, yAt: number, fAt: number) => void,
): void {
  for (let n = 0; n < g.batch; n++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        for (let kh = 0; kh < g.fh; kh++) {
          const iy = oy * g.strideH - g.padTop + kh * g.dilH;
          if (iy < 0 || iy >= g.inH) continue;
          for (let kw = 0; kw < g.fw; kw++) {
            const ix = ox * g.strideW - g.padLeft + kw * g.dilW;
            if (ix < 0 || ix >= g.inW) continue;
            f(
              ((n * g.inH + iy) * g.inW + ix) * g.inC,
              ((n * g.outH + oy) * g.outW + ox) * g.outC,
              (kh * g.fw + kw) * g.outC,
            );
          }
        }
      }
    }
  }
}

/** The input gradient `[batch, inH, inW, C]` from `dy` `[batch, outH, outW, C·M]`. */
export function depthwiseBackwardDataReference(
  g: ConvGeometry,
  multiplier: number,
  dy: ArrayLike<number>,
  w: ArrayLike<number>,
): Float64Array {
  const dx = new Float64Array(g.batch * g.inH * g.inW * g.inC);
  forEachTap(g, (xAt, yAt, fAt) => {
    for (let j = 0; j < g.outC; j++) {
      dx[xAt + Math.floor(j / multiplier)] += dy[yAt + j] * w[fAt + j];
    }
  });
  return dx;
}

/** The filter gradient `[fh, fw, C, M]` from `x` and `dy`. */
export function depthwiseBackwardFilterReference(
  g: ConvGeometry,
  multiplier: number,
  x: ArrayLike<number>,
  dy: ArrayLike<number>,
): Float64Array {
  const df = new Float64Array(g.fh * g.fw * g.outC);
  forEachTap(g, (xAt, yAt, fAt) => {
    for (let j = 0; j < g.outC; j++) {
      df[fAt + j] += x[xAt + Math.floor(j / multiplier)] * dy[yAt + j];
    }
  });
  return df;
}
