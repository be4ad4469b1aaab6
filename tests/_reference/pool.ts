/**
 * Float64 references for 2-D pooling over NHWC tensors (STYLE C8), direct loops over the
 * definitions. Window (oy, ox) covers input rows oy·sh - padTop + ky (ky in [0, ph)) and columns
 * ox·sw - padLeft + kx (kx in [0, pw)); positions outside the input are padding and are skipped:
 *
 *   max      the first maximum of the valid window elements (-0 before +0 gives -0); NaN if any
 *            is NaN
 *   avg      sum of the valid elements / their count (TF/Keras "same" semantics)
 *   max'     dx[first argmax of the window] += dy, the first in (ky, kx) order holding a NaN if
 *            there is one, else the first holding the maximum (TF routes to one element)
 *   avg'     dx[every valid element] += dy / count
 *
 * Output size and padding (TensorFlow): "valid" oh = ceil((h - ph + 1) / sh), no padding;
 * "same" oh = ceil(h / sh), total padding max((oh - 1)·sh + ph - h, 0), top = floor(total / 2).
 *
 * @module
 */

/** Pooling geometry in elements, as the kernels take it. */
export interface PoolGeometry {
  n: number;
  h: number;
  w: number;
  c: number;
  ph: number;
  pw: number;
  sh: number;
  sw: number;
  padTop: number;
  padLeft: number;
  oh: number;
  ow: number;
}

/** The TensorFlow geometry of a pooling of `[n, h, w, c]` inputs. */
export function poolGeometry(
  [n, h, w, c]: readonly number[],
  [ph, pw]: readonly [number, number],
  [sh, sw]: readonly [number, number],
  padding: "same" | "valid",
): PoolGeometry {
  if (padding === "valid") {
    const oh = Math.ceil((h - ph + 1) / sh), ow = Math.ceil((w - pw + 1) / sw);
    return { n, h, w, c, ph, pw, sh, sw, padTop: 0, padLeft: 0, oh, ow };
  }
  const oh = Math.ceil(h / sh), ow = Math.ceil(w / sw);
  const padTop = Math.floor(Math.max((oh - 1) * sh + ph - h, 0) / 2);
  const padLeft = Math.floor(Math.max((ow - 1) * sw + pw - w, 0) / 2);
  return { n, h, w, c, ph, pw, sh, sw, padTop, padLeft, oh, ow };
}

/** Calls `visit(outIndex, inIndex)` for every valid window element, in (b, oy, ox, ky, kx, ch) order. */
function forEachWindow(
  g: PoolGeometry,
  visit: (o: number, i: number, count: number, first: boolean) => void,
): void {
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const cells: number[] = [];
        for (let ky = 0; ky < g.ph; ky++) {
          const iy = oy * g.sh - g.padTop + ky;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.pw; kx++) {
            const ix = ox * g.sw - g.padLeft + kx;
            if (ix >= 0 && ix < g.w) cells.push((b * g.h + iy) * g.w + ix);
          }
        }
        const out = (b * g.oh + oy) * g.ow + ox;
        for (let ch = 0; ch < g.c; ch++) {
          cells.forEach((cell, j) => visit(out * g.c + ch, cell * g.c + ch, cells.length, j === 0));
        }
      }
    }
  }
}

/** Max pooling forward. */
export function maxPool(x: ArrayLike<number>, g: PoolGeometry): Float64Array {
  const y = new Float64Array(g.n * g.oh * g.ow * g.c);
  forEachWindow(g, (o, i, _count, first) => {
    const v = x[i];
    if (first) y[o] = v;
    else if (!Number.isNaN(y[o]) && (Number.isNaN(v) || v > y[o])) y[o] = v;
  });
  return y;
}

/** Average pooling forward. */
export function avgPool(x: ArrayLike<number>, g: PoolGeometry): Float64Array {
  const y = new Float64Array(g.n * g.oh * g.ow * g.c);
  forEachWindow(g, (o, i, count) => (y[o] += x[i] / count));
  return y;
}

/** Max pooling backward: each dy to the first NaN of its window, else its first maximum. */
export function maxPoolBackward(
  x: ArrayLike<number>,
  dy: ArrayLike<number>,
  g: PoolGeometry,
): Float64Array {
  const arg = new Int32Array(dy.length);
  forEachWindow(g, (o, i, _count, first) => {
    const best = x[arg[o]];
    if (first) arg[o] = i;
    else if (!Number.isNaN(best) && (Number.isNaN(x[i]) || x[i] > best)) arg[o] = i;
  });
  const dx = new Float64Array(g.n * g.h * g.w * g.c);
  for (let o = 0; o < dy.length; o++) dx[arg[o]] += dy[o];
  return dx;
}

/** Average pooling backward. */
export function avgPoolBackward(dy: ArrayLike<number>, g: PoolGeometry): Float64Array {
  const dx = new Float64Array(g.n * g.h * g.w * g.c);
  forEachWindow(g, (o, i, count) => (dx[i] += dy[o] / count));
  return dx;
}
