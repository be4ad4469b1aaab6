/**
 * f32 top-k: the k largest entries of each row, with their indices.
 *
 * Layout: x is [rows, cols] (row-major, contiguous); values (f32) and indices (i32) are
 * [rows, k]. Pointers are byte offsets, sizes in elements. Work range: [begin, end) over rows;
 * each row is selected on its own, so a split gives the same bytes as one call.
 * Preconditions (asserted in the debug build): 0 <= begin <= end <= rows; 0 <= k <= cols; the
 * outputs do not overlap the inputs; f32_topk_bwd's indices lie in [0, cols), distinct per row.
 *
 * Order: an entry ranks before another when it is NaN and the other is not, or larger, or equal
 * with a lower index (TF.js's order, NaN counted as the largest value as argmax does). The k
 * first-ranked entries are kept in a heap built in the output row whose root is the last-ranked
 * kept entry; the rest of the row is scanned four at a time against that root (most entries of a
 * long row lose, so the scan is one compare per entry), and a lane that beats it replaces the
 * root. sorted != 0 then heap-sorts the row first-ranked first; sorted == 0 sorts it by index
 * (ascending), the order the entries have in x. O(cols + (k + swaps)·log k) per row.
 *
 * f32_topk_bwd scatters the gradient of the values back to the kept columns (zeros elsewhere).
 *
 * Tested against tests/_reference/topk.ts (a full sort in float64) by tests/kernels/topk_test.ts.
 */

// a ranks before b: NaN first, then the larger value, then the lower index.
// @ts-ignore: decorator
@inline function before(va: f32, ia: i32, vb: f32, ib: i32): bool {
  const an = va != va, bn = vb != vb;
  if (an || bn) return an && (!bn || ia < ib);
  return va > vb || (va == vb && ia < ib);
}

// Whether heap slot a belongs nearer the root than slot b: it ranks later (by rank), or has the
// larger index (by index).
// @ts-ignore: decorator
@inline function above(v: usize, ix: usize, a: i32, b: i32, byIndex: bool): bool {
  const pa = <usize>a << 2, pb = <usize>b << 2;
  if (byIndex) return load<i32>(ix + pa) > load<i32>(ix + pb);
  return before(load<f32>(v + pb), load<i32>(ix + pb), load<f32>(v + pa), load<i32>(ix + pa));
}

// Restores the heap of n slots below slot at.
// @ts-ignore: decorator
@inline function siftDown(v: usize, ix: usize, n: i32, at: i32, byIndex: bool): void {
  let p = at;
  while (true) {
    let c = 2 * p + 1;
    if (c >= n) break;
    if (c + 1 < n && above(v, ix, c + 1, c, byIndex)) c++;
    if (!above(v, ix, c, p, byIndex)) break;
    const pp = <usize>p << 2, pc = <usize>c << 2;
    const tv = load<f32>(v + pp), ti = load<i32>(ix + pp);
    store<f32>(v + pp, load<f32>(v + pc));
    store<i32>(ix + pp, load<i32>(ix + pc));
    store<f32>(v + pc, tv);
    store<i32>(ix + pc, ti);
    p = c;
  }
}

// Heapifies n slots, then sorts them: the slot that belongs nearest the root goes last.
// @ts-ignore: decorator
@inline function heapSort(v: usize, ix: usize, n: i32, byIndex: bool): void {
  for (let p = n / 2 - 1; p >= 0; p--) siftDown(v, ix, n, p, byIndex);
  for (let last = n - 1; last > 0; last--) {
    const pl = <usize>last << 2;
    const tv = load<f32>(v), ti = load<i32>(ix);
    store<f32>(v, load<f32>(v + pl));
    store<i32>(ix, load<i32>(ix + pl));
    store<f32>(v + pl, tv);
    store<i32>(ix + pl, ti);
    siftDown(v, ix, last, 0, byIndex);
  }
}

// Offers x[j] to the heap whose root (the last-ranked kept entry) is root; entries come in index
// order, so an equal value never wins and a NaN root loses to nothing.
// @ts-ignore: decorator
@inline function offer(v: usize, ix: usize, k: i32, xv: f32, j: i32): void {
  const root = load<f32>(v);
  if (xv > root || (xv != xv && root == root)) {
    store<f32>(v, xv);
    store<i32>(ix, j);
    siftDown(v, ix, k, 0, false);
  }
}

/**
 * values[r, :], indices[r, :] = the k first-ranked entries of row r of x and their column
 * indices, first-ranked first (sorted != 0) or by index; rows [begin, end).
 */
export function f32_topk(x: usize, values: usize, indices: usize, rows: i32, cols: i32, k: i32, sorted: i32, begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end && end <= rows, "need 0 <= begin <= end <= rows");
  assert(k >= 0 && k <= cols, "need 0 <= k <= cols");
  if (k == 0) return;
  for (let r = begin; r < end; r++) {
    const xr = x + (<usize>r * <usize>cols << 2);
    const v = values + (<usize>r * <usize>k << 2);
    const ix = indices + (<usize>r * <usize>k << 2);
    for (let j = 0; j < k; j++) {
      store<f32>(v + (<usize>j << 2), load<f32>(xr + (<usize>j << 2)));
      store<i32>(ix + (<usize>j << 2), j);
    }
    for (let p = k / 2 - 1; p >= 0; p--) siftDown(v, ix, k, p, false);
    let j = k;
    for (; j + 4 <= cols; j += 4) {
      const root = load<f32>(v);
      if (root != root) break; // every kept entry is NaN: nothing later ranks before them
      const xs = v128.load(xr + (<usize>j << 2));
      if (!v128.any_true(v128.or(f32x4.gt(xs, f32x4.splat(root)), f32x4.ne(xs, xs)))) continue;
      offer(v, ix, k, f32x4.extract_lane(xs, 0), j);
      offer(v, ix, k, f32x4.extract_lane(xs, 1), j + 1);
      offer(v, ix, k, f32x4.extract_lane(xs, 2), j + 2);
      offer(v, ix, k, f32x4.extract_lane(xs, 3), j + 3);
    }
    for (; j < cols; j++) offer(v, ix, k, load<f32>(xr + (<usize>j << 2)), j);
    heapSort(v, ix, k, !sorted);
  }
}

/**
 * The gradient of top-k: dx[r, :] = 0 except dx[r, indices[r, t]] = dy[r, t] (the indices of a row
 * are distinct); rows [begin, end).
 */
export function f32_topk_bwd(dy: usize, indices: usize, dx: usize, rows: i32, cols: i32, k: i32, begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end && end <= rows, "need 0 <= begin <= end <= rows");
  assert(k >= 0 && k <= cols, "need 0 <= k <= cols");
  for (let r = begin; r < end; r++) {
    const dxr = dx + (<usize>r * <usize>cols << 2);
    memory.fill(dxr, 0, <usize>cols << 2);
    const off = <usize>r * <usize>k << 2;
    for (let t = 0; t < k; t++) {
      const p = off + (<usize>t << 2);
      store<f32>(dxr + (<usize>load<i32>(indices + p) << 2), load<f32>(dy + p));
    }
  }
}
