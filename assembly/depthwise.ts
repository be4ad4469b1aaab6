/**
 * f32 depthwise 2-D convolution over NHWC tensors (TensorFlow's `depthwiseConv2d`): each input
 * channel ch convolved with its own `m` filters, output channel ch·m + k. Forward, and the
 * gradients with respect to the input and the filter.
 *
 * Layout: x and dx are [n, h, w, c], y and dy are [n, oh, ow, c·m], the filter and df are
 * [fh, fw, c, m], bias [c·m] (or 0 for none), all row-major and contiguous; pointers are byte
 * offsets, sizes in elements. Output (oy, ox) reads input row oy·sh - padTop + kh·dh and column
 * ox·sw - padLeft + kw·dw for tap (kh, kw); taps outside the input read zero (src/ops/conv.ts's
 * geometry: TensorFlow's "same"/"valid" sizes).
 *
 * Work ranges (each call fully overwrites the outputs of its range, so a threaded split is
 * bitwise equal to one call): the forward, rows [rowBegin, rowEnd) of the n·oh output rows; the
 * input gradient, rows [rowBegin, rowEnd) of the n·h dx rows; the filter gradient, channels
 * [chBegin, chEnd).
 *
 * Order: every output element is a sum in one fixed order whatever the path (a multiply then an
 * add per term, no FMA): the forward starts from the bias and adds the taps in row-major (kh, kw)
 * order; the input gradient adds, per tap in row-major order, its k = 0..m-1 terms; the filter
 * gradient adds the (b, oy, ox) terms in row-major order. Loop shape (STYLE C3): the forward and
 * the filter gradient run 4 channels·multipliers at a time as f32x4 when m = 1 (contiguous in
 * NHWC; the same multiply-then-add per lane as the scalar tail), a scalar loop otherwise.
 *
 * Preconditions (asserted in the debug build): n, h, w, c, m, oh, ow, fh, fw, sh, sw, dh, dw >= 1;
 * padTop, padLeft >= 0; the ranges within bounds; outputs do not overlap inputs.
 *
 * Tested against tests/_reference/depthwise.ts (float64 loops) by tests/kernels/depthwise_test.ts.
 */

// @ts-ignore: decorator
@inline function checkGeometry(
  n: i32, h: i32, w: i32, c: i32, m: i32, oh: i32, ow: i32, fh: i32, fw: i32, sh: i32, sw: i32,
  dh: i32, dw: i32, padTop: i32, padLeft: i32,
): void {
  assert(n >= 1 && h >= 1 && w >= 1 && c >= 1 && m >= 1 && oh >= 1 && ow >= 1, "need sizes >= 1");
  assert(fh >= 1 && fw >= 1 && sh >= 1 && sw >= 1 && dh >= 1 && dw >= 1, "need filter, strides, dilations >= 1");
  assert(padTop >= 0 && padLeft >= 0, "need padding >= 0");
}

/** y = depthwise(x, filter) + bias over output rows [rowBegin, rowEnd) of n·oh. */
export function f32_depthwise_conv2d_nhwc(
  x: usize, filter: usize, bias: usize, y: usize, n: i32, h: i32, w: i32, c: i32, m: i32,
  oh: i32, ow: i32, fh: i32, fw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32,
  padLeft: i32, rowBegin: i32, rowEnd: i32,
): void {
  checkGeometry(n, h, w, c, m, oh, ow, fh, fw, sh, sw, dh, dw, padTop, padLeft);
  assert(rowBegin >= 0 && rowBegin <= rowEnd && rowEnd <= n * oh, "need 0 <= rowBegin <= rowEnd <= n·oh");
  const cm = c * m;
  for (let r = rowBegin; r < rowEnd; r++) {
    const b = r / oh, oy = r % oh;
    for (let ox = 0; ox < ow; ox++) {
      const yp = y + ((<usize>r * <usize>ow + <usize>ox) * <usize>cm << 2);
      for (let j = 0; j < cm; j++) {
        store<f32>(yp + (<usize>j << 2), bias ? load<f32>(bias + (<usize>j << 2)) : 0);
      }
      for (let kh = 0; kh < fh; kh++) {
        const iy = oy * sh - padTop + kh * dh;
        if (iy < 0 || iy >= h) continue;
        for (let kw = 0; kw < fw; kw++) {
          const ix = ox * sw - padLeft + kw * dw;
          if (ix < 0 || ix >= w) continue;
          const xp = x + ((((<usize>b * <usize>h + <usize>iy) * <usize>w + <usize>ix) * <usize>c) << 2);
          const fp = filter + ((<usize>(kh * fw + kw) * <usize>cm) << 2);
          if (m == 1) {
            let j = 0;
            for (; j + 4 <= c; j += 4) {
              const o = <usize>j << 2;
              v128.store(yp + o, f32x4.add(v128.load(yp + o), f32x4.mul(v128.load(xp + o), v128.load(fp + o))));
            }
            for (; j < c; j++) {
              const o = <usize>j << 2;
              store<f32>(yp + o, load<f32>(yp + o) + load<f32>(xp + o) * load<f32>(fp + o));
            }
          } else {
            for (let ch = 0; ch < c; ch++) {
              const xv = load<f32>(xp + (<usize>ch << 2));
              for (let k = 0; k < m; k++) {
                const o = <usize>(ch * m + k) << 2;
                store<f32>(yp + o, load<f32>(yp + o) + xv * load<f32>(fp + o));
              }
            }
          }
        }
      }
    }
  }
}

/** dx = the input gradient of the depthwise convolution from dy, over dx rows [rowBegin, rowEnd) of n·h. */
export function f32_depthwise_conv2d_nhwc_bwd_data(
  dy: usize, filter: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, m: i32, oh: i32, ow: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  rowBegin: i32, rowEnd: i32,
): void {
  checkGeometry(n, h, w, c, m, oh, ow, fh, fw, sh, sw, dh, dw, padTop, padLeft);
  assert(rowBegin >= 0 && rowBegin <= rowEnd && rowEnd <= n * h, "need 0 <= rowBegin <= rowEnd <= n·h");
  const cm = c * m;
  for (let r = rowBegin; r < rowEnd; r++) {
    const b = r / h, iy = r % h;
    for (let ix = 0; ix < w; ix++) {
      const xp = dx + ((<usize>r * <usize>w + <usize>ix) * <usize>c << 2);
      for (let ch = 0; ch < c; ch++) store<f32>(xp + (<usize>ch << 2), 0);
      for (let kh = 0; kh < fh; kh++) {
        const ty = iy + padTop - kh * dh;
        if (ty < 0 || ty % sh != 0 || ty / sh >= oh) continue;
        const oy = ty / sh;
        for (let kw = 0; kw < fw; kw++) {
          const tx = ix + padLeft - kw * dw;
          if (tx < 0 || tx % sw != 0 || tx / sw >= ow) continue;
          const ox = tx / sw;
          const gp = dy + ((((<usize>b * <usize>oh + <usize>oy) * <usize>ow + <usize>ox) * <usize>cm) << 2);
          const fp = filter + ((<usize>(kh * fw + kw) * <usize>cm) << 2);
          for (let ch = 0; ch < c; ch++) {
            let acc = load<f32>(xp + (<usize>ch << 2));
            for (let k = 0; k < m; k++) {
              const o = <usize>(ch * m + k) << 2;
              acc += load<f32>(gp + o) * load<f32>(fp + o);
            }
            store<f32>(xp + (<usize>ch << 2), acc);
          }
        }
      }
    }
  }
}

/** df = the filter gradient of the depthwise convolution from x and dy, over channels [chBegin, chEnd). */
export function f32_depthwise_conv2d_nhwc_bwd_filter(
  x: usize, dy: usize, df: usize, n: i32, h: i32, w: i32, c: i32, m: i32, oh: i32, ow: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  chBegin: i32, chEnd: i32,
): void {
  checkGeometry(n, h, w, c, m, oh, ow, fh, fw, sh, sw, dh, dw, padTop, padLeft);
  assert(chBegin >= 0 && chBegin <= chEnd && chEnd <= c, "need 0 <= chBegin <= chEnd <= c");
  const cm = c * m;
  for (let t = 0; t < fh * fw; t++) {
    const kh = t / fw, kw = t % fw;
    const fp = df + ((<usize>t * <usize>cm) << 2);
    for (let j = chBegin * m; j < chEnd * m; j++) store<f32>(fp + (<usize>j << 2), 0);
    for (let b = 0; b < n; b++) {
      for (let oy = 0; oy < oh; oy++) {
        const iy = oy * sh - padTop + kh * dh;
        if (iy < 0 || iy >= h) continue;
        for (let ox = 0; ox < ow; ox++) {
          const ix = ox * sw - padLeft + kw * dw;
          if (ix < 0 || ix >= w) continue;
          const xp = x + ((((<usize>b * <usize>h + <usize>iy) * <usize>w + <usize>ix) * <usize>c) << 2);
          const gp = dy + ((((<usize>b * <usize>oh + <usize>oy) * <usize>ow + <usize>ox) * <usize>cm) << 2);
          if (m == 1) {
            let j = chBegin;
            for (; j + 4 <= chEnd; j += 4) {
              const o = <usize>j << 2;
              v128.store(fp + o, f32x4.add(v128.load(fp + o), f32x4.mul(v128.load(xp + o), v128.load(gp + o))));
            }
            for (; j < chEnd; j++) {
              const o = <usize>j << 2;
              store<f32>(fp + o, load<f32>(fp + o) + load<f32>(xp + o) * load<f32>(gp + o));
            }
          } else {
            for (let ch = chBegin; ch < chEnd; ch++) {
              const xv = load<f32>(xp + (<usize>ch << 2));
              for (let k = 0; k < m; k++) {
                const o = <usize>(ch * m + k) << 2;
                store<f32>(fp + o, load<f32>(fp + o) + xv * load<f32>(gp + o));
              }
            }
          }
        }
      }
    }
  }
}
