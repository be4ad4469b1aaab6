/**
 * f32 2-D pooling over NHWC tensors: max and average, forward and backward.
 *
 * Layout: x and dx are [n, h, w, c], y and dy are [n, oh, ow, c], all row-major and contiguous;
 * pointers are byte offsets, sizes in elements. Window (oy, ox) covers input rows
 * [oy·sh - padTop, oy·sh - padTop + ph) and columns [ox·sw - padLeft, ox·sw - padLeft + pw),
 * clipped to the input: padding is never read (the bottom/right padding is implied by the clip,
 * so only the top/left amounts are passed; src/ops/pool.ts derives them from "same"/"valid" as
 * TensorFlow does).
 * Work range: batch items [batchBegin, batchEnd). The backwards fully overwrite the dx items of
 * their range (zeroed first, then accumulated), so ranges never share an output and a threaded
 * split is bitwise equal to one call.
 * Preconditions (asserted in the debug build): 0 <= batchBegin <= batchEnd <= n; h, w, c, oh,
 * ow, ph, pw, sh, sw >= 1; 0 <= padTop < ph and 0 <= padLeft < pw; every window holds at least
 * one input element ((oh - 1)·sh - padTop < h, same for w); outputs do not overlap inputs.
 *
 * Loop shape (STYLE C3): SIMD across channels, which are contiguous in NHWC. Forwards and the max
 * backward: per output pixel, 16 channels (four v128 chains held in registers over the whole
 * window, which hides the add/max latency), then 4 at a time; in the forwards a tail of 1-3
 * channels (c >= 4) is one more vector over [c - 4, c), overlapping channels already written
 * (recomputing them stores the same bits; XNNPACK's aliasing trick), and c < 4 is one partial
 * vector (loadN/storeN: only the c lanes are read and written); the max backward's tail is a
 * partial vector too, since its accumulation cannot run twice; the avg backward (independent
 * read-modify-writes, no chain) uses 8, then 4, then a scalar tail. Each
 * channel's result is computed in the same order on every path, so it does not depend on the
 * path that c's split gives it.
 *
 * Max: acc = pmax(acc, v) = acc < v ? v : acc from -inf, so y is the window's first maximum
 * (-0 before +0 gives -0) and padding never wins. pmax ignores NaN, so NaN lanes are tracked in
 * a mask (ne(v, v)) and the result is NaN where any element was: three instructions per vector on
 * x86, where the NaN-propagating f32x4.max lowers to about eight (measured 2-4x faster overall).
 * Backward (TF semantics): dy goes to the first element of the window, in row-major window
 * order, that equals the forward output y (or, when y is NaN, the first NaN). The kernel reads
 * y, saved by the op, instead of argmax indices: no index buffer, and one branch-free pass over
 * the window (compare, mask the lanes still open, accumulate) with no scatter.
 * Avg: the sum over the valid (non-padded) elements in row-major window order, divided by their
 * count (TF/Keras "same" semantics). Backward: g = dy / count added to every valid element.
 * Backward accumulation: output pixels in row-major order add into dx, so overlapping windows
 * (stride < pool) sum their contributions in that fixed order.
 *
 * Tested against tests/_reference/pool.ts (float64 loops) by tests/kernels/pool_test.ts.
 */

import { loadN, storeN } from "./simd";

// @ts-ignore: decorator
@inline const MAX = 0;
// @ts-ignore: decorator
@inline const AVG = 1;

// @ts-ignore: decorator
@inline function checkGeometry(
  n: i32, h: i32, w: i32, c: i32, ph: i32, pw: i32, sh: i32, sw: i32,
  padTop: i32, padLeft: i32, oh: i32, ow: i32, batchBegin: i32, batchEnd: i32,
): void {
  assert(batchBegin >= 0 && batchBegin <= batchEnd && batchEnd <= n, "need 0 <= batchBegin <= batchEnd <= n");
  assert(h >= 1 && w >= 1 && c >= 1 && oh >= 1 && ow >= 1, "need h, w, c, oh, ow >= 1");
  assert(ph >= 1 && pw >= 1 && sh >= 1 && sw >= 1, "need pool sizes and strides >= 1");
  assert(padTop >= 0 && padTop < ph && padLeft >= 0 && padLeft < pw, "need 0 <= padding < pool size");
  assert((oh - 1) * sh - padTop < h && (ow - 1) * sw - padLeft < w, "need every window to hold an input element");
}

// One window step. MAX: pmax(acc, v) = acc < v ? v : acc keeps the first maximum (so -0 before
// +0 stays -0) and ignores NaN, which `nan` records instead: two or three instructions on x86
// where the NaN-propagating f32x4.max lowers to about eight.
// @ts-ignore: decorator
@inline function step(op: i32, acc: v128, v: v128): v128 {
  return op == MAX ? f32x4.pmax(acc, v) : f32x4.add(acc, v);
}

// @ts-ignore: decorator
@inline function nanStep(op: i32, nan: v128, v: v128): v128 {
  return op == MAX ? v128.or(nan, f32x4.ne(v, v)) : nan;
}

// @ts-ignore: decorator
@inline function finish(op: i32, acc: v128, nan: v128, count: v128): v128 {
  return op == MAX ? v128.bitselect(f32x4.splat(NaN), acc, nan) : f32x4.div(acc, count);
}

// Max or mean of one window over the first t lanes (t = 4: a whole vector, 1-3: reading nothing
// past them) from `corner`, the window's first element.
// @ts-ignore: decorator
@inline function windowVector(
  op: i32, corner: usize, rowBytes: usize, pixBytes: usize, y0: i32, y1: i32, x0: i32, x1: i32,
  vcount: v128, t: i32,
): v128 {
  let acc = f32x4.splat(op == MAX ? -Infinity : 0);
  let nan = i32x4.splat(0);
  let rp = corner;
  for (let r = y0; r < y1; r++, rp += rowBytes) {
    let p = rp;
    for (let s = x0; s < x1; s++, p += pixBytes) {
      const v = loadN(p, t);
      acc = step(op, acc, v);
      nan = nanStep(op, nan, v);
    }
  }
  return finish(op, acc, nan, vcount);
}

// y[b, oy, ox, :] = max or mean over the window, for b in [batchBegin, batchEnd).
// @ts-ignore: decorator
@inline function poolForward(
  op: i32, x: usize, y: usize, n: i32, h: i32, w: i32, c: i32, ph: i32, pw: i32, sh: i32, sw: i32,
  padTop: i32, padLeft: i32, oh: i32, ow: i32, batchBegin: i32, batchEnd: i32,
): void {
  checkGeometry(n, h, w, c, ph, pw, sh, sw, padTop, padLeft, oh, ow, batchBegin, batchEnd);
  const init: f32 = op == MAX ? -Infinity : 0;
  const none = i32x4.splat(0);
  const rowBytes = <usize>w * <usize>c << 2;
  const pixBytes = <usize>c << 2;
  for (let b = batchBegin; b < batchEnd; b++) {
    const xb = x + <usize>b * <usize>h * rowBytes;
    let yp = y + (<usize>b * <usize>oh * <usize>ow * <usize>c << 2);
    for (let oy = 0; oy < oh; oy++) {
      const iy = oy * sh - padTop;
      const y0 = max(iy, 0);
      const y1 = min(iy + ph, h);
      for (let ox = 0; ox < ow; ox++) {
        const ix = ox * sw - padLeft;
        const x0 = max(ix, 0);
        const x1 = min(ix + pw, w);
        const count = <f32>((y1 - y0) * (x1 - x0));
        const vcount = f32x4.splat(count);
        const corner = xb + <usize>y0 * rowBytes + <usize>x0 * pixBytes;
        let ch = 0;
        // 16 channels: four independent accumulator chains hide the add/max latency.
        for (; ch + 16 <= c; ch += 16) {
          let a0 = f32x4.splat(init), a1 = a0, a2 = a0, a3 = a0;
          let n0 = none, n1 = none, n2 = none, n3 = none;
          let rp = corner + (<usize>ch << 2);
          for (let r = y0; r < y1; r++, rp += rowBytes) {
            let p = rp;
            for (let s = x0; s < x1; s++, p += pixBytes) {
              const v0 = v128.load(p), v1 = v128.load(p, 16);
              const v2 = v128.load(p, 32), v3 = v128.load(p, 48);
              a0 = step(op, a0, v0);
              a1 = step(op, a1, v1);
              a2 = step(op, a2, v2);
              a3 = step(op, a3, v3);
              n0 = nanStep(op, n0, v0);
              n1 = nanStep(op, n1, v1);
              n2 = nanStep(op, n2, v2);
              n3 = nanStep(op, n3, v3);
            }
          }
          const q = yp + (<usize>ch << 2);
          v128.store(q, finish(op, a0, n0, vcount));
          v128.store(q, finish(op, a1, n1, vcount), 16);
          v128.store(q, finish(op, a2, n2, vcount), 32);
          v128.store(q, finish(op, a3, n3, vcount), 48);
        }
        for (; ch < c && c >= 4; ch += 4) {
          // With c >= 4, a tail of 1-3 channels is folded into one last vector over channels
          // [c - 4, c): it recomputes a few channels, which writes their same values again.
          if (ch + 4 > c) ch = c - 4;
          const q = <usize>ch << 2;
          v128.store(yp + q, windowVector(op, corner + q, rowBytes, pixBytes, y0, y1, x0, x1, vcount, 4));
        }
        // Fewer than 4 channels: one partial vector (loadN/storeN touch only the c lanes).
        if (c < 4) storeN(yp, windowVector(op, corner, rowBytes, pixBytes, y0, y1, x0, x1, vcount, c), c);
        yp += pixBytes;
      }
    }
  }
}

// Zeroes the dx items [batchBegin, batchEnd).
// @ts-ignore: decorator
@inline function zeroItems(dx: usize, itemFloats: usize, batchBegin: i32, batchEnd: i32): void {
  memory.fill(dx + <usize>batchBegin * itemFloats * 4, 0, <usize>(batchEnd - batchBegin) * itemFloats * 4);
}

/** y = max over each window (NaN propagates; padding never wins), batch items [batchBegin, batchEnd). */
export function f32_maxpool2d_nhwc(
  x: usize, y: usize, n: i32, h: i32, w: i32, c: i32, ph: i32, pw: i32, sh: i32, sw: i32,
  padTop: i32, padLeft: i32, oh: i32, ow: i32, batchBegin: i32, batchEnd: i32,
): void {
  poolForward(MAX, x, y, n, h, w, c, ph, pw, sh, sw, padTop, padLeft, oh, ow, batchBegin, batchEnd);
}

/** y = mean over the valid elements of each window, batch items [batchBegin, batchEnd). */
export function f32_avgpool2d_nhwc(
  x: usize, y: usize, n: i32, h: i32, w: i32, c: i32, ph: i32, pw: i32, sh: i32, sw: i32,
  padTop: i32, padLeft: i32, oh: i32, ow: i32, batchBegin: i32, batchEnd: i32,
): void {
  poolForward(AVG, x, y, n, h, w, c, ph, pw, sh, sw, padTop, padLeft, oh, ow, batchBegin, batchEnd);
}

// One window element of the max-pool backward, over the first t lanes (t = 4: whole vectors; 1-3:
// a channel tail, reading and writing nothing past it): the lanes still `open` whose x equals the
// window's maximum m (or is NaN, possible only when m is NaN) take g; returns the lanes still open.
// Branch-free: a branch on "any lane hit" mispredicts on random data and measured slower.
// @ts-ignore: decorator
@inline function route(xp: usize, dxp: usize, m: v128, g: v128, open: v128, t: i32): v128 {
  const v = loadN(xp, t);
  const hit = v128.and(v128.or(f32x4.eq(v, m), f32x4.ne(v, v)), open);
  storeN(dxp, f32x4.add(loadN(dxp, t), v128.and(g, hit)), t);
  return v128.andnot(open, hit);
}

/**
 * dx = the max-pool gradient: each dy goes to the first element of its window equal to the
 * forward output y (the first NaN when y is NaN); dx items [batchBegin, batchEnd) are overwritten.
 */
export function f32_maxpool2d_nhwc_bwd(
  x: usize, y: usize, dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, ph: i32, pw: i32,
  sh: i32, sw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32, batchBegin: i32, batchEnd: i32,
): void {
  checkGeometry(n, h, w, c, ph, pw, sh, sw, padTop, padLeft, oh, ow, batchBegin, batchEnd);
  const rowBytes = <usize>w * <usize>c << 2;
  const pixBytes = <usize>c << 2;
  zeroItems(dx, <usize>h * <usize>w * <usize>c, batchBegin, batchEnd);
  const all = i32x4.splat(-1);
  for (let b = batchBegin; b < batchEnd; b++) {
    const item = <usize>b * <usize>h * rowBytes;
    let yo = <usize>b * <usize>oh * <usize>ow * <usize>c << 2;
    for (let oy = 0; oy < oh; oy++) {
      const iy = oy * sh - padTop;
      const y0 = max(iy, 0);
      const y1 = min(iy + ph, h);
      for (let ox = 0; ox < ow; ox++) {
        const ix = ox * sw - padLeft;
        const x0 = max(ix, 0);
        const x1 = min(ix + pw, w);
        const corner = item + <usize>y0 * rowBytes + <usize>x0 * pixBytes;
        let ch = 0;
        for (; ch + 16 <= c; ch += 16) {
          const cb = <usize>ch << 2;
          const m0 = v128.load(y + yo + cb), m1 = v128.load(y + yo + cb, 16);
          const m2 = v128.load(y + yo + cb, 32), m3 = v128.load(y + yo + cb, 48);
          const g0 = v128.load(dy + yo + cb), g1 = v128.load(dy + yo + cb, 16);
          const g2 = v128.load(dy + yo + cb, 32), g3 = v128.load(dy + yo + cb, 48);
          let o0 = all, o1 = all, o2 = all, o3 = all;
          let rp = corner + cb;
          for (let r = y0; r < y1; r++, rp += rowBytes) {
            let p = rp;
            for (let s = x0; s < x1; s++, p += pixBytes) {
              o0 = route(x + p, dx + p, m0, g0, o0, 4);
              o1 = route(x + p + 16, dx + p + 16, m1, g1, o1, 4);
              o2 = route(x + p + 32, dx + p + 32, m2, g2, o2, 4);
              o3 = route(x + p + 48, dx + p + 48, m3, g3, o3, 4);
            }
          }
        }
        for (; ch + 4 <= c; ch += 4) {
          const cb = <usize>ch << 2;
          const m = v128.load(y + yo + cb);
          const g = v128.load(dy + yo + cb);
          let open = all;
          let rp = corner + cb;
          for (let r = y0; r < y1; r++, rp += rowBytes) {
            let p = rp;
            for (let s = x0; s < x1; s++, p += pixBytes) open = route(x + p, dx + p, m, g, open, 4);
          }
        }
        if (ch < c) {
          // The last 1-3 channels: partial vectors over the c - ch lanes (kept apart from the
          // loop above: one helper for both measured 6-8% slower on c = 2 and 6).
          const cb = <usize>ch << 2;
          const t = c - ch;
          const m = loadN(y + yo + cb, t);
          const g = loadN(dy + yo + cb, t);
          let open = all;
          let rp = corner + cb;
          for (let r = y0; r < y1; r++, rp += rowBytes) {
            let p = rp;
            for (let s = x0; s < x1; s++, p += pixBytes) open = route(x + p, dx + p, m, g, open, t);
          }
        }
        yo += pixBytes;
      }
    }
  }
}

/**
 * dx = the average-pool gradient: dy / count added to every valid element of each window;
 * dx items [batchBegin, batchEnd) are overwritten.
 */
export function f32_avgpool2d_nhwc_bwd(
  dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, ph: i32, pw: i32, sh: i32, sw: i32,
  padTop: i32, padLeft: i32, oh: i32, ow: i32, batchBegin: i32, batchEnd: i32,
): void {
  checkGeometry(n, h, w, c, ph, pw, sh, sw, padTop, padLeft, oh, ow, batchBegin, batchEnd);
  const rowBytes = <usize>w * <usize>c << 2;
  const pixBytes = <usize>c << 2;
  zeroItems(dx, <usize>h * <usize>w * <usize>c, batchBegin, batchEnd);
  for (let b = batchBegin; b < batchEnd; b++) {
    const xb = dx + <usize>b * <usize>h * rowBytes;
    let gp = dy + (<usize>b * <usize>oh * <usize>ow * <usize>c << 2);
    for (let oy = 0; oy < oh; oy++) {
      const iy = oy * sh - padTop;
      const y0 = max(iy, 0);
      const y1 = min(iy + ph, h);
      for (let ox = 0; ox < ow; ox++) {
        const ix = ox * sw - padLeft;
        const x0 = max(ix, 0);
        const x1 = min(ix + pw, w);
        const count = <f32>((y1 - y0) * (x1 - x0));
        const vcount = f32x4.splat(count);
        const corner = xb + <usize>y0 * rowBytes + <usize>x0 * pixBytes;
        let ch = 0;
        for (; ch + 8 <= c; ch += 8) {
          const g0 = f32x4.div(v128.load(gp + (<usize>ch << 2)), vcount);
          const g1 = f32x4.div(v128.load(gp + (<usize>ch << 2), 16), vcount);
          let rp = corner + (<usize>ch << 2);
          for (let r = y0; r < y1; r++, rp += rowBytes) {
            let p = rp;
            for (let s = x0; s < x1; s++, p += pixBytes) {
              const d0 = f32x4.add(v128.load(p), g0);
              const d1 = f32x4.add(v128.load(p, 16), g1);
              v128.store(p, d0);
              v128.store(p, d1, 16);
            }
          }
        }
        if (ch + 4 <= c) {
          const g = f32x4.div(v128.load(gp + (<usize>ch << 2)), vcount);
          let rp = corner + (<usize>ch << 2);
          for (let r = y0; r < y1; r++, rp += rowBytes) {
            let p = rp;
            for (let s = x0; s < x1; s++, p += pixBytes) v128.store(p, f32x4.add(v128.load(p), g));
          }
          ch += 4;
        }
        for (; ch < c; ch++) {
          const g = load<f32>(gp + (<usize>ch << 2)) / count;
          let rp = corner + (<usize>ch << 2);
          for (let r = y0; r < y1; r++, rp += rowBytes) {
            let p = rp;
            for (let s = x0; s < x1; s++, p += pixBytes) store<f32>(p, load<f32>(p) + g);
          }
        }
        gp += pixBytes;
      }
    }
  }
}
