/**
 * Float64 references for NumPy-style broadcasting and reductions over any set of axes, on
 * row-major arrays of any rank (STYLE C8), written from the definitions:
 *
 *   broadcast  shapes are aligned at the right; each output dimension is the inputs' common size
 *              (a size-1 or missing dimension repeats). y[i] = a[i with broadcast coordinates
 *              set to 0] op b[likewise].
 *   reduce     y[i with reduced coordinates set to 0] accumulates x[i] over every i; the output
 *              keeps the reduced dimensions as size 1. sum Σ, mean Σ / count (0/0 = NaN when
 *              empty), max (NaN if any term is NaN, -Infinity when empty).
 *   transpose  y[j, i] = x[i, j].
 *
 * @module
 */

/** The multi-index of flat position `flat` in `shape` (row-major). */
function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** The flat position of `idx` in `shape`, reading coordinate 0 where the dimension is 1. */
function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + (shape[d] === 1 ? 0 : idx[d]);
  return flat;
}

/** The broadcast shape of `a` and `b`, or throws when a pair of dimensions differs and neither is 1. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const pa = [...Array(rank - a.length).fill(1), ...a];
  const pb = [...Array(rank - b.length).fill(1), ...b];
  return pa.map((da, i) => {
    const db = pb[i];
    if (da !== db && da !== 1 && db !== 1) throw new Error(`no broadcast: [${a}] and [${b}]`);
    return da === 1 ? db : da;
  });
}

/** y = f(a, b) elementwise under broadcasting; returns the values and the output shape. */
export function broadcastBinary(
  f: (a: number, b: number) => number,
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
): { y: Float64Array; shape: number[] } {
  const shape = broadcastShape(aShape, bShape);
  const rank = shape.length;
  const pa = [...Array(rank - aShape.length).fill(1), ...aShape];
  const pb = [...Array(rank - bShape.length).fill(1), ...bShape];
  const size = shape.reduce((p, d) => p * d, 1);
  const y = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const idx = unravel(i, shape);
    y[i] = f(a[ravel(idx, pa)], b[ravel(idx, pb)]);
  }
  return { y, shape };
}

/** The reductions `reduceAxes` computes. */
export type ReduceKind = "sum" | "mean" | "max";

/** Reduces `x` of `shape` over `axes` (non-negative); returns the keepDims values and shape. */
export function reduceAxes(
  kind: ReduceKind,
  x: ArrayLike<number>,
  shape: readonly number[],
  axes: readonly number[],
): { y: Float64Array; shape: number[] } {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = outShape.reduce((p, d) => p * d, 1);
  const count = axes.reduce((p, a) => p * shape[a], 1);
  const y = new Float64Array(outSize).fill(kind === "max" ? -Infinity : 0);
  for (let i = 0; i < x.length; i++) {
    const o = ravel(unravel(i, shape), outShape);
    if (kind === "max") {
      y[o] = Number.isNaN(x[i]) || Number.isNaN(y[o]) ? NaN : Math.max(y[o], x[i]);
    } else y[o] += x[i];
  }
  if (kind === "mean") { for (let o = 0; o < outSize; o++) y[o] /= count; }
  return { y, shape: outShape };
}

/** The transpose of a `[rows, cols]` matrix. */
export function transpose2d(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) y[j * rows + i] = x[i * cols + j];
  return y;
}
