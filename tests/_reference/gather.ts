/**
 * Float64 definitions of gather (any axis, batch dimensions), gatherND and scatterND, written from
 * TensorFlow's documentation with plain index loops (STYLE C8).
 */

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** `tf.gather(x, indices, axis, batchDims)`: values and output shape. */
export function gather(
  x: ArrayLike<number>,
  shape: readonly number[],
  indices: ArrayLike<number>,
  indicesShape: readonly number[],
  axis: number,
  batchDims = 0,
): { shape: number[]; values: Float64Array } {
  const batch = size(shape.slice(0, batchDims));
  const outer = size(shape.slice(batchDims, axis));
  const len = shape[axis], inner = size(shape.slice(axis + 1));
  const n = size(indicesShape.slice(batchDims));
  const out = [...shape.slice(0, axis), ...indicesShape.slice(batchDims), ...shape.slice(axis + 1)];
  const y = new Float64Array(size(out));
  let at = 0;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) {
        const r = indices[b * n + i];
        for (let j = 0; j < inner; j++) y[at++] = x[((b * outer + o) * len + r) * inner + j];
      }
    }
  }
  return { shape: out, values: y };
}

/** The row of `shape[:k]` each index tuple names (tuples of `k` in `indices`). */
function tupleRows(indices: ArrayLike<number>, shape: readonly number[], k: number): number[] {
  const n = k === 0 ? 0 : indices.length / k;
  return Array.from({ length: n }, (_, t) => {
    let r = 0;
    for (let j = 0; j < k; j++) r = r * shape[j] + indices[t * k + j];
    return r;
  });
}

/** `tf.gatherND(x, indices)`. */
export function gatherND(
  x: ArrayLike<number>,
  shape: readonly number[],
  indices: ArrayLike<number>,
  indicesShape: readonly number[],
): { shape: number[]; values: Float64Array } {
  const k = indicesShape[indicesShape.length - 1];
  const inner = size(shape.slice(k));
  const out = [...indicesShape.slice(0, -1), ...shape.slice(k)];
  const y = new Float64Array(size(out));
  tupleRows(indices, shape, k).forEach((r, t) => {
    for (let j = 0; j < inner; j++) y[t * inner + j] = x[r * inner + j];
  });
  return { shape: out, values: y };
}

/** `tf.scatterND(indices, updates, shape)`: duplicates summed. */
export function scatterND(
  indices: ArrayLike<number>,
  indicesShape: readonly number[],
  updates: ArrayLike<number>,
  shape: readonly number[],
): Float64Array {
  const k = indicesShape[indicesShape.length - 1];
  const inner = size(shape.slice(k));
  const y = new Float64Array(size(shape));
  tupleRows(indices, shape, k).forEach((r, t) => {
    for (let j = 0; j < inner; j++) y[r * inner + j] += updates[t * inner + j];
  });
  return y;
}
