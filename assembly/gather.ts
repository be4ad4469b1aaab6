/**
 * f32 row gather and scatter-add over a table, the kernels of an embedding lookup and its
 * gradient. Indices arrive as float32 holding integers (Dendrite has one dtype); `src/ops/`
 * checks every index is an integer in [0, rows) before calling, so the kernels never see an
 * out-of-range row (asserted in the debug build).
 *
 * Layout: table and dtable [rows, cols], y and dy [n, cols], indices [n]; row-major, contiguous,
 * pointers as byte offsets, sizes in elements.
 *
 * Work ranges. Gather: output rows [begin, end). Scatter-add: *table* rows [rowBegin, rowEnd):
 * every index is visited in order 0..n-1 and only the ones that fall in the range are added, so a
 * split by table rows writes disjoint memory and each table row sums its contributions in index
 * order whatever the split (bitwise equal to one call).
 *
 * Tested against the definitions in tests/kernels/gather_test.ts.
 */

// @ts-ignore: decorator
@inline function index(indices: usize, i: i32): i32 {
  return <i32>load<f32>(indices + (<usize>i << 2));
}

/** y[i, :] = table[indices[i], :] for i in [begin, end). */
export function f32_gather_rows(
  table: usize, indices: usize, y: usize, rows: i32, cols: i32, begin: i32, end: i32,
): void {
  assert(rows >= 0 && cols >= 0, "need sizes >= 0");
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
  const rb = <usize>cols << 2;
  for (let i = begin; i < end; i++) {
    const r = index(indices, i);
    assert(r >= 0 && r < rows, "index out of range");
    const src = table + <usize>r * rb, dst = y + <usize>i * rb;
    let j = 0;
    for (; j + 4 <= cols; j += 4) v128.store(dst + (<usize>j << 2), v128.load(src + (<usize>j << 2)));
    for (; j < cols; j++) store<u32>(dst + (<usize>j << 2), load<u32>(src + (<usize>j << 2)));
  }
}

/** dtable[indices[i], :] += dy[i, :] for i in [0, n) whose index lies in [rowBegin, rowEnd). */
export function f32_scatter_add_rows(
  dy: usize, indices: usize, dtable: usize, n: i32, cols: i32, rowBegin: i32, rowEnd: i32,
): void {
  assert(n >= 0 && cols >= 0, "need sizes >= 0");
  assert(rowBegin >= 0 && rowBegin <= rowEnd, "need 0 <= rowBegin <= rowEnd");
  const rb = <usize>cols << 2;
  for (let i = 0; i < n; i++) {
    const r = index(indices, i);
    if (r < rowBegin || r >= rowEnd) continue;
    const src = dy + <usize>i * rb, dst = dtable + <usize>r * rb;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const p = <usize>j << 2;
      v128.store(dst + p, f32x4.add(v128.load(dst + p), v128.load(src + p)));
    }
    for (; j < cols; j++) {
      const p = <usize>j << 2;
      store<f32>(dst + p, load<f32>(dst + p) + load<f32>(src + p));
    }
  }
}
