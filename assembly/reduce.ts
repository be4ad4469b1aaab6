/**
 * f32 reductions and softmax.
 *
 * Layout: x is viewed as [outer, len, inner] (row-major, contiguous), y is [outer, inner]; the
 * softmax family works on [rows, cols] rows. Pointers are byte offsets, sizes in elements.
 * Work range: [begin, end) over outer (reductions) or rows (softmax); each output's order of
 * operations depends only on its own row, so a threaded split is bitwise equal to one call.
 * Preconditions (asserted in the debug build): 0 <= begin <= end <= outer/rows; len >= 1 for
 * max/min/argmax/argmin (len == 0 gives a sum of 0 and a product of 1); inner >= 1; cols >= 1. y
 * must not overlap x, except that the softmax family may run in place (y == x, dx == dy).
 *
 * Combining order (sum, max, min, prod alike): inner == 1 combines a contiguous row in two f32x4
 * accumulators (8 lanes, folded to one, then the 4-wide step, (l0 op l1) op (l2 op l3), then the
 * tail in order); inner > 1 combines the len slices in order, vectorised across inner: up to 16
 * inner positions in registers (the last vector partial), wider slices into y row by row (a short
 * y row reloaded every slice waits on its own store: 1792 x 28 x 6, a LeNet conv bias gradient,
 * 145 -> 59 us; 1024 x 64 x 8 194 -> 63 us; 64 x 500 x 84 306 us either way). Sums and products
 * stay within the recursive bounds (len - 1)·2^-24·sum|x| and (len - 1)·2^-24·|prod| (first
 * order).
 *
 * NaN: sum, prod, max and min propagate NaN (wasm min/max are NaN-propagating; max(-0, +0) = +0,
 * min(-0, +0) = -0); argmax/argmin treat NaN as the extreme value, so they return the index of
 * the first NaN if there is one (as numpy does), else of the first maximum/minimum, written as
 * i32. softmax is max-subtracted (exp(x - max) <= 1), so rows with entries of ±1e3 give no NaN or
 * Inf; a row containing NaN or +inf, or of only -inf, gives NaN.
 *
 * i32_reduce_sum sums int32 values with wrap-around (TF.js's int32 sum), the same [begin, end)
 * contract. f32_reduce_logsumexp is max-shifted (softmax's terms); inner == 1 takes reduceRow's
 * and expSumRow's order, inner > 1 the slices in order.
 *
 * Tested against tests/_reference/reduce.ts (float64 loops) by tests/kernels/reduce_test.ts.
 */
import { f32x4_exp, f32x4_hmax, f32x4_hsum, f32x4_log, loadN, storeN } from "./simd";

// @ts-ignore: decorator
@inline const SUM = 0;
// @ts-ignore: decorator
@inline const MAX = 1;
// @ts-ignore: decorator
@inline const MIN = 2;
// @ts-ignore: decorator
@inline const PROD = 3;

// op is a constant at every call site, so each combine folds to one instruction.
// @ts-ignore: decorator
@inline function combine(op: i32, a: v128, b: v128): v128 {
  if (op == SUM) return f32x4.add(a, b);
  if (op == MAX) return f32x4.max(a, b);
  if (op == MIN) return f32x4.min(a, b);
  return f32x4.mul(a, b);
}

// @ts-ignore: decorator
@inline function combine1(op: i32, a: f32, b: f32): f32 {
  if (op == SUM) return a + b;
  if (op == MAX) return max(a, b);
  if (op == MIN) return min(a, b);
  return a * b;
}

// (l0 op l1) op (l2 op l3): f32x4_hsum's and f32x4_hmax's order for every op.
// @ts-ignore: decorator
@inline function combineLanes(op: i32, v: v128): f32 {
  if (op == SUM) return f32x4_hsum(v);
  if (op == MAX) return f32x4_hmax(v);
  return combine1(op,
    combine1(op, f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)),
    combine1(op, f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

// The value an empty reduction gives: 0, -inf, +inf, 1.
// @ts-ignore: decorator
@inline function identity(op: i32): f32 {
  if (op == SUM) return 0;
  if (op == MAX) return -Infinity;
  if (op == MIN) return Infinity;
  return 1;
}

// op over n contiguous floats (n == 0: identity(op)).
// @ts-ignore: decorator
@inline function reduceRow(op: i32, x: usize, n: i32): f32 {
  let acc0 = f32x4.splat(identity(op));
  let acc1 = acc0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = <usize>i << 2;
    acc0 = combine(op, acc0, v128.load(x + p));
    acc1 = combine(op, acc1, v128.load(x + p, 16));
  }
  acc0 = combine(op, acc0, acc1);
  if (i + 4 <= n) {
    acc0 = combine(op, acc0, v128.load(x + (<usize>i << 2)));
    i += 4;
  }
  let s = combineLanes(op, acc0);
  for (; i < n; i++) s = combine1(op, s, load<f32>(x + (<usize>i << 2)));
  return s;
}

// y[i] = y[i] op x[i], i in [0, n).
// @ts-ignore: decorator
@inline function accumulateRow(op: i32, x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = <usize>i << 2;
    const y0 = combine(op, v128.load(y + p), v128.load(x + p));
    const y1 = combine(op, v128.load(y + p, 16), v128.load(x + p, 16));
    v128.store(y + p, y0);
    v128.store(y + p, y1, 16);
  }
  if (i + 4 <= n) {
    const p = <usize>i << 2;
    v128.store(y + p, combine(op, v128.load(y + p), v128.load(x + p)));
    i += 4;
  }
  for (; i < n; i++) {
    const p = <usize>i << 2;
    store<f32>(y + p, combine1(op, load<f32>(y + p), load<f32>(x + p)));
  }
}

// y[i] = x[i] · s, i in [0, n) (x may equal y).
// @ts-ignore: decorator
@inline function scaleRow(x: usize, y: usize, s: f32, n: i32): void {
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = <usize>i << 2;
    const v0 = f32x4.mul(v128.load(x + p), vs);
    const v1 = f32x4.mul(v128.load(x + p, 16), vs);
    v128.store(y + p, v0);
    v128.store(y + p, v1, 16);
  }
  if (i + 4 <= n) {
    const p = <usize>i << 2;
    v128.store(y + p, f32x4.mul(v128.load(x + p), vs));
    i += 4;
  }
  for (; i < n; i++) {
    const p = <usize>i << 2;
    store<f32>(y + p, load<f32>(x + p) * s);
  }
}

// y[0, i] = op over the len slices of x[0, :, i] in order (then · scale for sums), for inner <= 16
// held in v (a constant at each call site) vectors of registers: lanes(k) is 4 for the full ones,
// inner's remainder for the last, 0 (nothing read or written: folded away) past it. Same order
// as the memory-accumulating path, without a store and reload per slice.
// @ts-ignore: decorator
@inline function shortSlices(op: i32, x: usize, y: usize, len: i32, inner: i32, scale: f32, v: i32): void {
  const last = inner - 4 * (v - 1);
  const n0 = v > 1 ? 4 : last;
  const n1 = v > 2 ? 4 : v == 2 ? last : 0;
  const n2 = v > 3 ? 4 : v == 3 ? last : 0;
  const n3 = v == 4 ? last : 0;
  const rowBytes = <usize>inner << 2;
  let a0 = loadN(x, n0), a1 = loadN(x + 16, n1), a2 = loadN(x + 32, n2), a3 = loadN(x + 48, n3);
  let p = x;
  for (let j = 1; j < len; j++) {
    p += rowBytes;
    a0 = combine(op, a0, loadN(p, n0));
    if (v > 1) a1 = combine(op, a1, loadN(p + 16, n1));
    if (v > 2) a2 = combine(op, a2, loadN(p + 32, n2));
    if (v > 3) a3 = combine(op, a3, loadN(p + 48, n3));
  }
  const vs = f32x4.splat(scale);
  storeN(y, op == SUM ? f32x4.mul(a0, vs) : a0, n0);
  storeN(y + 16, op == SUM ? f32x4.mul(a1, vs) : a1, n1);
  storeN(y + 32, op == SUM ? f32x4.mul(a2, vs) : a2, n2);
  storeN(y + 48, op == SUM ? f32x4.mul(a3, vs) : a3, n3);
}

// @ts-ignore: decorator
@inline function reduceLoop(op: i32, x: usize, y: usize, outer: i32, len: i32, inner: i32, scale: f32, begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end && end <= outer, "need 0 <= begin <= end <= outer");
  assert(inner >= 1 && len >= (op == SUM || op == PROD ? 0 : 1), "need inner >= 1 and len >= 1 (len >= 0 for sum, prod)");
  const slice = <usize>len * <usize>inner << 2;
  for (let o = begin; o < end; o++) {
    const xo = x + <usize>o * slice;
    const yo = y + (<usize>o * <usize>inner << 2);
    if (inner == 1) {
      const s = reduceRow(op, xo, len);
      store<f32>(yo, op == SUM ? s * scale : s);
      continue;
    }
    if (len == 0) {
      for (let i = 0; i < inner; i++) store<f32>(yo + (<usize>i << 2), identity(op));
      continue;
    }
    if (inner <= 16) {
      // Short slices: the running results stay in registers, as many vectors as inner needs.
      const v = (inner + 3) >> 2;
      if (v == 1) shortSlices(op, xo, yo, len, inner, scale, 1);
      else if (v == 2) shortSlices(op, xo, yo, len, inner, scale, 2);
      else if (v == 3) shortSlices(op, xo, yo, len, inner, scale, 3);
      else shortSlices(op, xo, yo, len, inner, scale, 4);
      continue;
    }
    // The first slice is copied (x·1 is exact), then the others are combined in order.
    scaleRow(xo, yo, 1, inner);
    for (let j = 1; j < len; j++) accumulateRow(op, xo + (<usize>j * <usize>inner << 2), yo, inner);
    if (op == SUM) scaleRow(yo, yo, scale, inner);
  }
}

/** y[o, i] = scale · sum_j x[o, j, i], outer rows [begin, end) (scale = 1/len gives the mean). */
export function f32_reduce_sum(x: usize, y: usize, outer: i32, len: i32, inner: i32, scale: f32, begin: i32, end: i32): void {
  reduceLoop(SUM, x, y, outer, len, inner, scale, begin, end);
}

/** y[o, i] = max_j x[o, j, i] (NaN propagates), outer rows [begin, end). */
export function f32_reduce_max(x: usize, y: usize, outer: i32, len: i32, inner: i32, begin: i32, end: i32): void {
  reduceLoop(MAX, x, y, outer, len, inner, 1, begin, end);
}

/** y[o, i] = min_j x[o, j, i] (NaN propagates), outer rows [begin, end). */
export function f32_reduce_min(x: usize, y: usize, outer: i32, len: i32, inner: i32, begin: i32, end: i32): void {
  reduceLoop(MIN, x, y, outer, len, inner, 1, begin, end);
}

/** y[o, i] = prod_j x[o, j, i] (1 for len 0), outer rows [begin, end). */
export function f32_reduce_prod(x: usize, y: usize, outer: i32, len: i32, inner: i32, begin: i32, end: i32): void {
  reduceLoop(PROD, x, y, outer, len, inner, 1, begin, end);
}

/**
 * y[o, i] = m + log(sum_j e^(x[o, j, i] - m)) with m = max_j x[o, j, i], outer rows [begin, end):
 * two passes over each slice, none of its terms overflows (entries of ±1e3 are fine); a slice
 * holding NaN or +inf, or of only -inf, gives NaN (as TF.js's composition).
 */
export function f32_reduce_logsumexp(x: usize, y: usize, outer: i32, len: i32, inner: i32, begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end && end <= outer, "need 0 <= begin <= end <= outer");
  assert(inner >= 1 && len >= 1, "need inner >= 1 and len >= 1");
  const rowBytes = <usize>inner << 2;
  const slice = <usize>len * rowBytes;
  for (let o = begin; o < end; o++) {
    const xo = x + <usize>o * slice;
    const yo = y + <usize>o * rowBytes;
    if (inner == 1) {
      const m = reduceRow(MAX, xo, len);
      const ls = f32x4.extract_lane(f32x4_log(f32x4.splat(expSumRow(xo, 0, m, len))), 0);
      store<f32>(yo, m + ls);
      continue;
    }
    // Sixteen inner positions at a time (whole 64-byte lines of each slice: 1024 x 1024 along
    // columns 3.8 -> 2.8 ms against four at a time), each lane's slices in order.
    let i = 0;
    for (; i + 16 <= inner; i += 16) logSumExpColumns(xo + (<usize>i << 2), yo + (<usize>i << 2), len, rowBytes, 16, 4);
    const left = inner - i;
    const p = <usize>i << 2;
    if (left > 12) logSumExpColumns(xo + p, yo + p, len, rowBytes, left, 4);
    else if (left > 8) logSumExpColumns(xo + p, yo + p, len, rowBytes, left, 3);
    else if (left > 4) logSumExpColumns(xo + p, yo + p, len, rowBytes, left, 2);
    else if (left > 0) logSumExpColumns(xo + p, yo + p, len, rowBytes, left, 1);
  }
}

// y[0, i] = the log-sum-exp of x[:, i] over len slices for the first n <= 16 inner positions,
// held in v (a constant at each call site) vectors; lanes past n read and write nothing.
// @ts-ignore: decorator
@inline function logSumExpColumns(x: usize, y: usize, len: i32, rowBytes: usize, n: i32, v: i32): void {
  const n0 = min(n, 4), n1 = min(n - 4, 4), n2 = min(n - 8, 4), n3 = n - 12;
  let m0 = loadN(x, n0), m1 = loadN(x + 16, n1), m2 = loadN(x + 32, n2), m3 = loadN(x + 48, n3);
  for (let j = 1; j < len; j++) {
    const q = x + <usize>j * rowBytes;
    m0 = f32x4.max(m0, loadN(q, n0));
    if (v > 1) m1 = f32x4.max(m1, loadN(q + 16, n1));
    if (v > 2) m2 = f32x4.max(m2, loadN(q + 32, n2));
    if (v > 3) m3 = f32x4.max(m3, loadN(q + 48, n3));
  }
  let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
  for (let j = 0; j < len; j++) {
    const q = x + <usize>j * rowBytes;
    s0 = f32x4.add(s0, f32x4_exp(f32x4.sub(loadN(q, n0), m0)));
    if (v > 1) s1 = f32x4.add(s1, f32x4_exp(f32x4.sub(loadN(q + 16, n1), m1)));
    if (v > 2) s2 = f32x4.add(s2, f32x4_exp(f32x4.sub(loadN(q + 32, n2), m2)));
    if (v > 3) s3 = f32x4.add(s3, f32x4_exp(f32x4.sub(loadN(q + 48, n3), m3)));
  }
  storeN(y, f32x4.add(m0, f32x4_log(s0)), n0);
  if (v > 1) storeN(y + 16, f32x4.add(m1, f32x4_log(s1)), n1);
  if (v > 2) storeN(y + 32, f32x4.add(m2, f32x4_log(s2)), n2);
  if (v > 3) storeN(y + 48, f32x4.add(m3, f32x4_log(s3)), n3);
}

/**
 * y[o, i] = sum_j x[o, j, i] over i32 with two's complement wrap-around (as TF.js), outer rows
 * [begin, end); integer sums do not depend on their order.
 */
export function i32_reduce_sum(x: usize, y: usize, outer: i32, len: i32, inner: i32, begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end && end <= outer, "need 0 <= begin <= end <= outer");
  assert(inner >= 1 && len >= 0, "need inner >= 1 and len >= 0");
  const rowBytes = <usize>inner << 2;
  const slice = <usize>len * rowBytes;
  for (let o = begin; o < end; o++) {
    const xo = x + <usize>o * slice;
    const yo = y + <usize>o * rowBytes;
    if (inner == 1) {
      let acc = i32x4.splat(0);
      let i = 0;
      for (; i + 4 <= len; i += 4) acc = i32x4.add(acc, v128.load(xo + (<usize>i << 2)));
      let s = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) +
        i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
      for (; i < len; i++) s += load<i32>(xo + (<usize>i << 2));
      store<i32>(yo, s);
      continue;
    }
    memory.fill(yo, 0, rowBytes);
    for (let j = 0; j < len; j++) {
      const xj = xo + <usize>j * rowBytes;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const p = <usize>i << 2;
        v128.store(yo + p, i32x4.add(v128.load(yo + p), v128.load(xj + p)));
      }
      for (; i < inner; i++) {
        const p = <usize>i << 2;
        store<i32>(yo + p, load<i32>(yo + p) + load<i32>(xj + p));
      }
    }
  }
}

// y[o, i] = the first j holding the extreme of x[o, j, i] (the first NaN wins), as i32.
// @ts-ignore: decorator
@inline function argLoop(isMax: bool, x: usize, y: usize, outer: i32, len: i32, inner: i32, begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end && end <= outer, "need 0 <= begin <= end <= outer");
  assert(inner >= 1 && len >= 1, "need inner >= 1 and len >= 1");
  const slice = <usize>len * <usize>inner << 2;
  const rowBytes = <usize>inner << 2;
  for (let o = begin; o < end; o++) {
    const xo = x + <usize>o * slice;
    const yo = y + (<usize>o * <usize>inner << 2);
    let i = 0;
    // Four inner positions at a time: lanes take j where x beats best, or x is the first NaN.
    for (; i + 4 <= inner; i += 4) {
      const p = <usize>i << 2;
      let best = v128.load(xo + p);
      let bestJ = i32x4.splat(0);
      for (let j = 1; j < len; j++) {
        const v = v128.load(xo + <usize>j * rowBytes + p);
        const beats = isMax ? f32x4.gt(v, best) : f32x4.lt(v, best);
        const take = v128.or(beats, v128.andnot(f32x4.ne(v, v), f32x4.ne(best, best)));
        best = v128.bitselect(v, best, take);
        bestJ = v128.bitselect(i32x4.splat(j), bestJ, take);
      }
      v128.store(yo + p, bestJ);
    }
    for (; i < inner; i++) {
      const p = <usize>i << 2;
      let best = load<f32>(xo + p);
      let bestJ = 0;
      for (let j = 1; j < len; j++) {
        const v = load<f32>(xo + <usize>j * rowBytes + p);
        if ((isMax ? v > best : v < best) || (v != v && best == best)) {
          best = v;
          bestJ = j;
        }
      }
      store<i32>(yo + p, bestJ);
    }
  }
}

/** y[o, i] = the first j maximising x[o, j, i] as i32 (first NaN wins), outer rows [begin, end). */
export function f32_reduce_argmax(x: usize, y: usize, outer: i32, len: i32, inner: i32, begin: i32, end: i32): void {
  argLoop(true, x, y, outer, len, inner, begin, end);
}

/** y[o, i] = the first j minimising x[o, j, i] as i32 (first NaN wins), outer rows [begin, end). */
export function f32_reduce_argmin(x: usize, y: usize, outer: i32, len: i32, inner: i32, begin: i32, end: i32): void {
  argLoop(false, x, y, outer, len, inner, begin, end);
}

// Writes e^(x[i] - m) to y (unless y == 0) and returns their sum, in reduceRow's order.
// @ts-ignore: decorator
@inline function expSumRow(x: usize, y: usize, m: f32, n: i32): f32 {
  const vm = f32x4.splat(m);
  let acc0 = f32x4.splat(0);
  let acc1 = acc0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = <usize>i << 2;
    const e0 = f32x4_exp(f32x4.sub(v128.load(x + p), vm));
    const e1 = f32x4_exp(f32x4.sub(v128.load(x + p, 16), vm));
    if (y) {
      v128.store(y + p, e0);
      v128.store(y + p, e1, 16);
    }
    acc0 = f32x4.add(acc0, e0);
    acc1 = f32x4.add(acc1, e1);
  }
  acc0 = f32x4.add(acc0, acc1);
  if (i + 4 <= n) {
    const p = <usize>i << 2;
    const e0 = f32x4_exp(f32x4.sub(v128.load(x + p), vm));
    if (y) v128.store(y + p, e0);
    acc0 = f32x4.add(acc0, e0);
    i += 4;
  }
  let s = f32x4_hsum(acc0);
  for (; i < n; i++) {
    const p = <usize>i << 2;
    const e = f32x4.extract_lane(f32x4_exp(f32x4.splat(load<f32>(x + p) - m)), 0);
    if (y) store<f32>(y + p, e);
    s += e;
  }
  return s;
}

// Sum of a[i]·b[i] over a row, in reduceRow's order.
// @ts-ignore: decorator
@inline function dotRow(a: usize, b: usize, n: i32): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = acc0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = <usize>i << 2;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + p), v128.load(b + p)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + p, 16), v128.load(b + p, 16)));
  }
  acc0 = f32x4.add(acc0, acc1);
  if (i + 4 <= n) {
    const p = <usize>i << 2;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + p), v128.load(b + p)));
    i += 4;
  }
  let s = f32x4_hsum(acc0);
  for (; i < n; i++) s += load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>i << 2));
  return s;
}

// @ts-ignore: decorator
@inline function checkRows(rows: i32, cols: i32, begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end && end <= rows, "need 0 <= begin <= end <= rows");
  assert(cols >= 1, "need cols >= 1");
}

/** y = e^(x - max) / sum(e^(x - max)) per row of cols, rows [begin, end); y may equal x. */
export function f32_softmax(x: usize, y: usize, rows: i32, cols: i32, begin: i32, end: i32): void {
  checkRows(rows, cols, begin, end);
  for (let r = begin; r < end; r++) {
    const off = <usize>r * <usize>cols << 2;
    const m = reduceRow(MAX, x + off, cols);
    const s = expSumRow(x + off, y + off, m, cols);
    // Division, not multiplication by 1/s: one rounding.
    const vs = f32x4.splat(s);
    const yr = y + off;
    let i = 0;
    for (; i + 8 <= cols; i += 8) {
      const p = <usize>i << 2;
      const v0 = f32x4.div(v128.load(yr + p), vs);
      const v1 = f32x4.div(v128.load(yr + p, 16), vs);
      v128.store(yr + p, v0);
      v128.store(yr + p, v1, 16);
    }
    if (i + 4 <= cols) {
      v128.store(yr + (<usize>i << 2), f32x4.div(v128.load(yr + (<usize>i << 2)), vs));
      i += 4;
    }
    for (; i < cols; i++) store<f32>(yr + (<usize>i << 2), load<f32>(yr + (<usize>i << 2)) / s);
  }
}

/** y = (x - max) - log(sum(e^(x - max))) per row of cols, rows [begin, end); y may equal x. */
export function f32_log_softmax(x: usize, y: usize, rows: i32, cols: i32, begin: i32, end: i32): void {
  checkRows(rows, cols, begin, end);
  for (let r = begin; r < end; r++) {
    const off = <usize>r * <usize>cols << 2;
    const xr = x + off;
    const yr = y + off;
    const m = reduceRow(MAX, xr, cols);
    const ls = f32x4.extract_lane(f32x4_log(f32x4.splat(expSumRow(xr, 0, m, cols))), 0);
    const vm = f32x4.splat(m);
    const vl = f32x4.splat(ls);
    let i = 0;
    for (; i + 8 <= cols; i += 8) {
      const p = <usize>i << 2;
      const v0 = f32x4.sub(f32x4.sub(v128.load(xr + p), vm), vl);
      const v1 = f32x4.sub(f32x4.sub(v128.load(xr + p, 16), vm), vl);
      v128.store(yr + p, v0);
      v128.store(yr + p, v1, 16);
    }
    if (i + 4 <= cols) {
      const p = <usize>i << 2;
      v128.store(yr + p, f32x4.sub(f32x4.sub(v128.load(xr + p), vm), vl));
      i += 4;
    }
    for (; i < cols; i++) {
      const p = <usize>i << 2;
      store<f32>(yr + p, (load<f32>(xr + p) - m) - ls);
    }
  }
}

/** dx = y·(dy - sum(dy·y)) per row, y = softmax output, rows [begin, end); dx may equal dy. */
export function f32_softmax_bwd(dy: usize, y: usize, dx: usize, rows: i32, cols: i32, begin: i32, end: i32): void {
  checkRows(rows, cols, begin, end);
  for (let r = begin; r < end; r++) {
    const off = <usize>r * <usize>cols << 2;
    const gr = dy + off;
    const yr = y + off;
    const xr = dx + off;
    const s = dotRow(gr, yr, cols);
    const vs = f32x4.splat(s);
    let i = 0;
    for (; i + 8 <= cols; i += 8) {
      const p = <usize>i << 2;
      const v0 = f32x4.mul(v128.load(yr + p), f32x4.sub(v128.load(gr + p), vs));
      const v1 = f32x4.mul(v128.load(yr + p, 16), f32x4.sub(v128.load(gr + p, 16), vs));
      v128.store(xr + p, v0);
      v128.store(xr + p, v1, 16);
    }
    if (i + 4 <= cols) {
      const p = <usize>i << 2;
      v128.store(xr + p, f32x4.mul(v128.load(yr + p), f32x4.sub(v128.load(gr + p), vs)));
      i += 4;
    }
    for (; i < cols; i++) {
      const p = <usize>i << 2;
      store<f32>(xr + p, load<f32>(yr + p) * (load<f32>(gr + p) - s));
    }
  }
}

/** dx = dy - e^y·sum(dy) per row, y = log-softmax output, rows [begin, end); dx may equal dy. */
export function f32_log_softmax_bwd(dy: usize, y: usize, dx: usize, rows: i32, cols: i32, begin: i32, end: i32): void {
  checkRows(rows, cols, begin, end);
  for (let r = begin; r < end; r++) {
    const off = <usize>r * <usize>cols << 2;
    const gr = dy + off;
    const yr = y + off;
    const xr = dx + off;
    const s = reduceRow(SUM, gr, cols);
    const vs = f32x4.splat(s);
    let i = 0;
    for (; i + 8 <= cols; i += 8) {
      const p = <usize>i << 2;
      const v0 = f32x4.sub(v128.load(gr + p), f32x4.mul(f32x4_exp(v128.load(yr + p)), vs));
      const v1 = f32x4.sub(v128.load(gr + p, 16), f32x4.mul(f32x4_exp(v128.load(yr + p, 16)), vs));
      v128.store(xr + p, v0);
      v128.store(xr + p, v1, 16);
    }
    if (i + 4 <= cols) {
      const p = <usize>i << 2;
      v128.store(xr + p, f32x4.sub(v128.load(gr + p), f32x4.mul(f32x4_exp(v128.load(yr + p)), vs)));
      i += 4;
    }
    for (; i < cols; i++) {
      const p = <usize>i << 2;
      const e = f32x4.extract_lane(f32x4_exp(f32x4.splat(load<f32>(yr + p))), 0);
      store<f32>(xr + p, load<f32>(gr + p) - e * s);
    }
  }
}
