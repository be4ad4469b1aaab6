/**
 * Gather and scatter-add along one axis of a tensor seen as `[outer, len, inner]`: the kernels of
 * `gather` (any axis), `gatherND`, `scatterND`, the embedding lookup and their gradients. Elements
 * are 4 bytes moved as bits, so `f32_gather` serves float32 and int32 tensors alike; scatter-add
 * adds f32 (`f32_scatter_add`) or i32 (`i32_scatter_add`, for int32 scatterND).
 *
 * Indices: `n` of them, i32, or f32 holding integers when `floatIndices` is 1 (Dendrite accepts
 * float32 index tensors, and fit's batch rows are written once per epoch). `src/ops/` checks every
 * index is an integer in [0, len) before calling, so the kernels never see an out-of-range row
 * (asserted in the debug build).
 *
 * Layout: x and dx `[outer, len, inner]`, y and dy `[outer, n, inner]`; row-major, contiguous,
 * pointers as byte offsets, sizes in elements.
 *
 * Work ranges. Gather: output rows q = o·n + i in [begin, end), each `inner` elements. Scatter-add:
 * *dx* rows p = o·len + r in [begin, end): for each outer item o that meets the range, every index
 * is visited in order 0..n-1 and only the ones whose row falls in the range are added, so a split
 * by dx rows writes disjoint memory and each dx row sums its contributions in index order whatever
 * the split (bitwise equal to one call).
 *
 * Tested against the definitions in tests/kernels/gather_test.ts.
 */

// @ts-ignore: decorator
@inline function index(indices: usize, floatIndices: i32, i: i32): i32 {
  const p = indices + (<usize>i << 2);
  return floatIndices ? <i32>load<f32>(p) : load<i32>(p);
}

/** Copies `count` 4-byte elements from `src` to `dst` (non-overlapping). */
// @ts-ignore: decorator
@inline function copyRow(src: usize, dst: usize, count: i32): void {
  if (count == 1) {
    store<u32>(dst, load<u32>(src));
    return;
  }
  if (count >= 64) {
    memory.copy(dst, src, <usize>count << 2);
    return;
  }
  let j = 0;
  for (; j + 4 <= count; j += 4) v128.store(dst + (<usize>j << 2), v128.load(src + (<usize>j << 2)));
  for (; j < count; j++) store<u32>(dst + (<usize>j << 2), load<u32>(src + (<usize>j << 2)));
}

/** y[o, i, :] = x[o, indices[i], :] for output rows o·n + i in [begin, end). */
export function f32_gather(
  x: usize, indices: usize, floatIndices: i32, y: usize,
  len: i32, inner: i32, n: i32, begin: i32, end: i32,
): void {
  assert(len >= 0 && inner >= 0 && n >= 0, "need sizes >= 0");
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
  if (begin >= end) return;
  const rb = <usize>inner << 2;
  let o = begin / n, i = begin - o * n;
  let src = x + <usize>o * <usize>len * rb, dst = y + <usize>begin * rb;
  for (let q = begin; q < end; q++) {
    const r = index(indices, floatIndices, i);
    assert(r >= 0 && r < len, "index out of range");
    copyRow(src + <usize>r * rb, dst, inner);
    dst += rb;
    if (++i == n) {
      i = 0;
      src += <usize>len * rb;
    }
  }
}

/** The scatter-add of f32_scatter_add and i32_scatter_add, adding T (f32 or i32) lanes. */
// @ts-ignore: decorator
@inline function scatterAdd<T>(
  dy: usize, indices: usize, floatIndices: i32, dx: usize,
  len: i32, inner: i32, n: i32, begin: i32, end: i32,
): void {
  assert(len >= 0 && inner >= 0 && n >= 0, "need sizes >= 0");
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
  if (begin >= end) return;
  const rb = <usize>inner << 2;
  const oEnd = (end - 1) / len + 1;
  for (let o = begin / len; o < oEnd; o++) {
    const base = o * len;
    const lo = max(begin - base, 0), hi = min(end - base, len);
    const src = dy + <usize>o * <usize>n * rb, dst = dx + <usize>base * rb;
    for (let i = 0; i < n; i++) {
      const r = index(indices, floatIndices, i);
      if (r < lo || r >= hi) continue;
      const s = src + <usize>i * rb, d = dst + <usize>r * rb;
      let j = 0;
      for (; j + 4 <= inner; j += 4) {
        const p = <usize>j << 2;
        const sum = isInteger<T>()
          ? i32x4.add(v128.load(d + p), v128.load(s + p))
          : f32x4.add(v128.load(d + p), v128.load(s + p));
        v128.store(d + p, sum);
      }
      for (; j < inner; j++) {
        const p = <usize>j << 2;
        store<T>(d + p, load<T>(d + p) + load<T>(s + p));
      }
    }
  }
}

/** dx[o, indices[i], :] += dy[o, i, :] for the dx rows o·len + indices[i] in [begin, end). */
export function f32_scatter_add(
  dy: usize, indices: usize, floatIndices: i32, dx: usize,
  len: i32, inner: i32, n: i32, begin: i32, end: i32,
): void {
  scatterAdd<f32>(dy, indices, floatIndices, dx, len, inner, n, begin, end);
}

/** f32_scatter_add on i32 elements (wrapping adds, as TF.js's int32 scatterND). */
export function i32_scatter_add(
  dy: usize, indices: usize, floatIndices: i32, dx: usize,
  len: i32, inner: i32, n: i32, begin: i32, end: i32,
): void {
  scatterAdd<i32>(dy, indices, floatIndices, dx, len, inner, n, begin, end);
}
