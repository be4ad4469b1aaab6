/**
 * Float64 reference for top-k (STYLE C8): each row of a [rows, cols] matrix fully sorted by
 * rank, the first k kept. An entry ranks before another when it is NaN and the other is not, or
 * larger, or equal with a lower index (TF.js's order; NaN counted as the largest value). With
 * `sorted` false the k kept entries come in index order.
 *
 * @module
 */

/** Whether (va, ia) ranks before (vb, ib). */
function before(va: number, ia: number, vb: number, ib: number): boolean {
  const an = Number.isNaN(va), bn = Number.isNaN(vb);
  if (an || bn) return an && (!bn || ia < ib);
  return va > vb || (va === vb && ia < ib);
}

/** The k first-ranked values of each row and their column indices. */
export function topk(
  x: ArrayLike<number>,
  rows: number,
  cols: number,
  k: number,
  sorted: boolean,
): { values: Float64Array; indices: Float64Array } {
  const values = new Float64Array(rows * k), indices = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const order = [...Array(cols).keys()];
    const v = (j: number) => x[r * cols + j];
    order.sort((a, b) => (before(v(a), a, v(b), b) ? -1 : 1));
    const kept = order.slice(0, k);
    if (!sorted) kept.sort((a, b) => a - b);
    kept.forEach((j, t) => {
      values[r * k + t] = v(j);
      indices[r * k + t] = j;
    });
  }
  return { values, indices };
}
