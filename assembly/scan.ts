/**
 * f32 cumulative sums (scans) along an axis.
 *
 * Layout: x and y are viewed as [outer, len, inner] (row-major, contiguous); the scan runs along
 * len. Pointers are byte offsets, sizes in elements. Work range: [begin, end) over outer.
 * Preconditions (asserted in the debug build): 0 <= begin <= end <= outer; inner >= 1; len >= 0;
 * y must not overlap x.
 *
 * Definition and order: s = 0, then along len (from the last slice when reverse != 0) every
 * output is the running sum s = s + x[j] taken after (inclusive) or before (exclusive != 0) its
 * own term, one addition per term in sequence, as TF.js's loop does. inner > 1 runs the same
 * additions for four inner positions at once (y[j] = y[j - 1] + x[j] row by row), and inner == 1
 * scans four rows at once (four independent running sums: 1024 x 1024 along rows in a third of the
 * time), which gives each output the same operations as one scalar loop, so the bits depend on
 * neither the vectorisation nor the split. The error of y[j] is within the recursive bound
 * (j - 1)·2^-24·Σ|x| (first order).
 *
 * Tested against tests/_reference/scan.ts (float64 loops) by tests/kernels/scan_test.ts.
 */

// y[i] = a[i] + b[i] for i in [0, n), or 0 + b[i] when a == 0 (the first slice: s starts at 0).
// @ts-ignore: decorator
@inline function addRow(a: usize, b: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 2;
    v128.store(y + p, f32x4.add(a ? v128.load(a + p) : zero, v128.load(b + p)));
  }
  for (; i < n; i++) {
    const p = <usize>i << 2;
    store<f32>(y + p, (a ? load<f32>(a + p) : <f32>0) + load<f32>(b + p));
  }
}

// Scans four contiguous rows of len floats (row r at x + r·slice), each in its own sequence.
// @ts-ignore: decorator
@inline function scanRows4(x: usize, y: usize, slice: usize, len: i32, step: isize, exclusive: bool): void {
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
  for (let t = 0; t < len; t++) {
    const p = <usize>(<isize>t * step);
    const x0 = load<f32>(x + p), x1 = load<f32>(x + slice + p);
    const x2 = load<f32>(x + 2 * slice + p), x3 = load<f32>(x + 3 * slice + p);
    if (exclusive) {
      store<f32>(y + p, s0);
      store<f32>(y + slice + p, s1);
      store<f32>(y + 2 * slice + p, s2);
      store<f32>(y + 3 * slice + p, s3);
    }
    s0 += x0;
    s1 += x1;
    s2 += x2;
    s3 += x3;
    if (!exclusive) {
      store<f32>(y + p, s0);
      store<f32>(y + slice + p, s1);
      store<f32>(y + 2 * slice + p, s2);
      store<f32>(y + 3 * slice + p, s3);
    }
  }
}

/**
 * y[o, j, i] = Σ x[o, t, i] over t <= j (t < j when exclusive; t >= j, t > j when reverse), in
 * sequence from the scan's start; outer rows [begin, end).
 */
export function f32_cumsum(x: usize, y: usize, outer: i32, len: i32, inner: i32, exclusive: i32, reverse: i32, begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end && end <= outer, "need 0 <= begin <= end <= outer");
  assert(inner >= 1 && len >= 0, "need inner >= 1 and len >= 0");
  const rowBytes = <usize>inner << 2;
  const slice = <usize>len * rowBytes;
  // The scan visits slices start, start + step, ...; step is ±1 slice in bytes.
  const start: usize = reverse ? <usize>(len - 1) * rowBytes : 0;
  const step: isize = reverse ? -<isize>rowBytes : <isize>rowBytes;
  let o = begin;
  if (inner == 1 && len > 0) {
    // Four rows at a time: four independent running sums hide the latency of each addition.
    for (; o + 4 <= end; o += 4) {
      const xo = x + <usize>o * slice + start;
      const yo = y + <usize>o * slice + start;
      scanRows4(xo, yo, slice, len, step, exclusive != 0);
    }
  }
  for (; o < end; o++) {
    const xo = x + <usize>o * slice + start;
    const yo = y + <usize>o * slice + start;
    if (len == 0) continue;
    if (inner == 1) {
      let s: f32 = 0;
      if (exclusive) {
        for (let t = 0; t < len; t++) {
          const p = <usize>(<isize>t * step);
          store<f32>(yo + p, s);
          s += load<f32>(xo + p);
        }
      } else {
        for (let t = 0; t < len; t++) {
          const p = <usize>(<isize>t * step);
          s += load<f32>(xo + p);
          store<f32>(yo + p, s);
        }
      }
      continue;
    }
    if (exclusive) memory.fill(yo, 0, rowBytes);
    else addRow(0, xo, yo, inner);
    for (let t = 1; t < len; t++) {
      const p = <usize>(<isize>t * step);
      const prev = <usize>(<isize>(t - 1) * step);
      addRow(yo + prev, xo + (exclusive ? prev : p), yo + p, inner);
    }
  }
}
