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
 * additions for four inner positions at once (y[j] = y[j - 1] + x[j] row by row), which gives each
 * output the same operations as the scalar loop, so the bits depend on neither the vectorisation
 * nor the split. (Scanning four rows at once, four running sums to hide the addition's latency,
 * measured no faster: 0.8 ms for 1024 x 1024 along rows either way.) The error of y[j] is within
 * the recursive bound (j - 1)·2^-24·Σ|x| (first order).
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
  for (let o = begin; o < end; o++) {
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
