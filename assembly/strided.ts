/**
 * Strided copy, the one kernel behind slice, concat, pad, tile, reverse, broadcastTo and
 * transposes of any rank: over the index space `dims` (six dimensions, outermost first),
 *
 *   y[i0·ys0 + ... + i5·ys5] = x[i0·xs0 + ... + i5·xs5]
 *
 * Pointers are byte offsets of element 0 (the caller adds its element offsets), strides are in
 * elements and may be 0 (broadcast) or negative (reverse). `x32_strided_copy` moves 4-byte
 * elements (float32 and int32 alike, bit for bit: NaN payloads survive), `x8_strided_copy` bytes
 * (bool).
 *
 * Work range: elements [begin, end) of the row-major index space, walked as rows along the
 * innermost dimension (`d5` elements; the first and last rows of a range may be partial, so a
 * single long run splits across threads too). Each element is written by one position of the
 * range, so a split writes disjoint memory and the result is the same bits however it is split
 * (a copy computes nothing). Rows are visited with an odometer over (i0..i4) that updates both
 * offsets by adding strides, so no row pays divisions or multiplications.
 *
 * Inner loops, chosen per call from the innermost strides: both 1 (the common case after the
 * caller merges contiguous dimensions: slices, concat blocks, pad interiors, tiles) moves the row
 * with `memory.copy` when it is long and with v128 loads below 128 bytes, where the call costs
 * more than the copy; x stride 0 (broadcast) splats the element; otherwise an element loop with
 * pointer increments (gathers of transposes, reverses).
 *
 * Preconditions (asserted in the debug build): every dim >= 1 (the caller skips empty copies),
 * 0 <= begin <= end <= d0·d1·d2·d3·d4·d5; every address read lies in x and every address written
 * in y; y's map is one-to-one and does not overlap x.
 *
 * Tested against the definition by tests/kernels/strided_test.ts.
 */

// Below this many bytes a row is moved by v128 loads: the memory.copy call costs more. 4 MB in
// rows of 64 B: 0.29 ms by v128 against 0.36 by memory.copy; rows of 128 B: 0.25 against 0.20
// (x32_strided_copy of strided rows, best of 15, dev VM).
// @ts-ignore: decorator
@inline const SHORT_ROW: usize = 128;

/** Moves `bytes` contiguous bytes from x to y (no overlap). */
// @ts-ignore: decorator
@inline function copyRun(x: usize, y: usize, bytes: usize): void {
  if (bytes >= SHORT_ROW) {
    memory.copy(y, x, bytes);
    return;
  }
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(y + i, v128.load(x + i));
  for (; i + 4 <= bytes; i += 4) store<u32>(y + i, load<u32>(x + i));
  for (; i < bytes; i++) store<u8>(y + i, load<u8>(x + i));
}

/** Writes `n` copies of the element at x to y, contiguous. */
// @ts-ignore: decorator
@inline function splatRun<T>(x: usize, y: usize, n: i32): void {
  const bytes = <usize>n * sizeof<T>();
  let v: v128;
  if (sizeof<T>() == 4) v = i32x4.splat(load<i32>(x));
  else v = i8x16.splat(load<i8>(x));
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(y + i, v);
  for (; i < bytes; i += sizeof<T>()) store<T>(y + i, load<T>(x));
}

/** One row of `n` elements, x stride `xs`, y stride `ys`. */
// @ts-ignore: decorator
@inline function copyRow<T>(x: usize, y: usize, n: i32, xs: i32, ys: i32): void {
  if (xs == 1 && ys == 1) {
    copyRun(x, y, <usize>n * sizeof<T>());
  } else if (xs == 0 && ys == 1) {
    splatRun<T>(x, y, n);
  } else {
    const xb = <usize>(xs * <i32>sizeof<T>()), yb = <usize>(ys * <i32>sizeof<T>());
    let px = x, py = y;
    for (let j = 0; j < n; j++) {
      store<T>(py, load<T>(px));
      px += xb;
      py += yb;
    }
  }
}

// @ts-ignore: decorator
@inline function stridedCopy<T>(
  x: usize, y: usize,
  d0: i32, d1: i32, d2: i32, d3: i32, d4: i32, d5: i32,
  xs0: i32, xs1: i32, xs2: i32, xs3: i32, xs4: i32, xs5: i32,
  ys0: i32, ys1: i32, ys2: i32, ys3: i32, ys4: i32, ys5: i32,
  begin: i32, end: i32,
): void {
  assert(d0 >= 1 && d1 >= 1 && d2 >= 1 && d3 >= 1 && d4 >= 1 && d5 >= 1, "need dims >= 1");
  assert(begin >= 0 && begin <= end && end <= d0 * d1 * d2 * d3 * d4 * d5, "need 0 <= begin <= end <= elements");
  if (begin >= end) return;
  let c = begin % d5;
  let t = begin / d5;
  let i4 = t % d4; t /= d4;
  let i3 = t % d3; t /= d3;
  let i2 = t % d2; t /= d2;
  let i1 = t % d1; t /= d1;
  const i0 = t;
  let xo = i0 * xs0 + i1 * xs1 + i2 * xs2 + i3 * xs3 + i4 * xs4;
  let yo = i0 * ys0 + i1 * ys1 + i2 * ys2 + i3 * ys3 + i4 * ys4;
  const size = <i32>sizeof<T>();
  let left = end - begin;
  while (true) {
    const n = min(d5 - c, left);
    copyRow<T>(x + <usize>((xo + c * xs5) * size), y + <usize>((yo + c * ys5) * size), n, xs5, ys5);
    left -= n;
    if (left == 0) return;
    c = 0;
    xo += xs4;
    yo += ys4;
    if (++i4 < d4) continue;
    i4 = 0;
    xo += xs3 - d4 * xs4;
    yo += ys3 - d4 * ys4;
    if (++i3 < d3) continue;
    i3 = 0;
    xo += xs2 - d3 * xs3;
    yo += ys2 - d3 * ys3;
    if (++i2 < d2) continue;
    i2 = 0;
    xo += xs1 - d2 * xs2;
    yo += ys1 - d2 * ys2;
    if (++i1 < d1) continue;
    i1 = 0;
    xo += xs0 - d1 * xs1;
    yo += ys0 - d1 * ys1;
  }
}

/** Strided copy of 4-byte elements [begin, end) of the index space (see the header). */
export function x32_strided_copy(
  x: usize, y: usize,
  d0: i32, d1: i32, d2: i32, d3: i32, d4: i32, d5: i32,
  xs0: i32, xs1: i32, xs2: i32, xs3: i32, xs4: i32, xs5: i32,
  ys0: i32, ys1: i32, ys2: i32, ys3: i32, ys4: i32, ys5: i32,
  begin: i32, end: i32,
): void {
  stridedCopy<u32>(
    x, y, d0, d1, d2, d3, d4, d5, xs0, xs1, xs2, xs3, xs4, xs5, ys0, ys1, ys2, ys3, ys4, ys5,
    begin, end,
  );
}

/** Strided copy of bytes [begin, end) of the index space (see the header). */
export function x8_strided_copy(
  x: usize, y: usize,
  d0: i32, d1: i32, d2: i32, d3: i32, d4: i32, d5: i32,
  xs0: i32, xs1: i32, xs2: i32, xs3: i32, xs4: i32, xs5: i32,
  ys0: i32, ys1: i32, ys2: i32, ys3: i32, ys4: i32, ys5: i32,
  begin: i32, end: i32,
): void {
  stridedCopy<u8>(
    x, y, d0, d1, d2, d3, d4, d5, xs0, xs1, xs2, xs3, xs4, xs5, ys0, ys1, ys2, ys3, ys4, ys5,
    begin, end,
  );
}
