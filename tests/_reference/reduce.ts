/**
 * Float64 references for the reductions and the softmax family (STYLE C8), from the definitions.
 * x is viewed as [outer, len, inner] and reduced over len into [outer, inner]; softmax works on
 * the rows of a [rows, cols] matrix:
 *
 *   sum      scale · Σ_j x[o, j, i]
 *   max      max_j x[o, j, i], NaN if any term is NaN
 *   min      min_j x[o, j, i], NaN if any term is NaN
 *   prod     Π_j x[o, j, i] (1 for no terms)
 *   argmax   the first j holding a NaN, else the first j holding the maximum
 *   argmin   the first j holding a NaN, else the first j holding the minimum
 *   logsumexp  m + log Σ_j e^(x[o, j, i] - m), m = max_j x[o, j, i] (the same value as
 *              log Σ e^x, written max-shifted so that float64 does not overflow at |x| = 1e3)
 *   softmax       e^(x_i - m) / Σ_j e^(x_j - m),  m = max_j x_j (the same value as e^x_i / Σ e^x_j,
 *                 written max-subtracted so that float64 does not overflow at |x| = 1e3)
 *   log-softmax   (x_i - m) - log Σ_j e^(x_j - m)
 *   softmax'      dx_i = y_i·(dy_i - Σ_j dy_j·y_j)          (y = softmax output)
 *   log-softmax'  dx_i = dy_i - e^(y_i)·Σ_j dy_j             (y = log-softmax output)
 *
 * @module
 */

/** y[o, i] = f(lane) for every (o, i), where lane(j) = x[o, j, i]. */
function overLanes(
  x: ArrayLike<number>,
  outer: number,
  len: number,
  inner: number,
  f: (lane: (j: number) => number) => number,
): Float64Array {
  const y = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) y[o * inner + i] = f((j) => x[(o * len + j) * inner + i]);
  }
  return y;
}

/** y[o, i] = scale · Σ_j x[o, j, i]. */
export function reduceSum(
  x: ArrayLike<number>,
  outer: number,
  len: number,
  inner: number,
  scale: number,
): Float64Array {
  return overLanes(x, outer, len, inner, (lane) => {
    let s = 0;
    for (let j = 0; j < len; j++) s += lane(j);
    return scale * s;
  });
}

/** y[o, i] = max_j x[o, j, i] (NaN if any term is NaN). */
export function reduceMax(
  x: ArrayLike<number>,
  outer: number,
  len: number,
  inner: number,
): Float64Array {
  return overLanes(x, outer, len, inner, (lane) => {
    let m = -Infinity;
    for (let j = 0; j < len; j++) {
      const v = lane(j);
      if (Number.isNaN(v)) return NaN;
      if (v > m) m = v;
    }
    return m;
  });
}

/** y[o, i] = min_j x[o, j, i] (NaN if any term is NaN). */
export function reduceMin(
  x: ArrayLike<number>,
  outer: number,
  len: number,
  inner: number,
): Float64Array {
  return overLanes(x, outer, len, inner, (lane) => {
    let m = Infinity;
    for (let j = 0; j < len; j++) {
      const v = lane(j);
      if (Number.isNaN(v)) return NaN;
      if (v < m) m = v;
    }
    return m;
  });
}

/** y[o, i] = Π_j x[o, j, i]. */
export function reduceProd(
  x: ArrayLike<number>,
  outer: number,
  len: number,
  inner: number,
): Float64Array {
  return overLanes(x, outer, len, inner, (lane) => {
    let p = 1;
    for (let j = 0; j < len; j++) p *= lane(j);
    return p;
  });
}

/** y[o, i] = log Σ_j e^(x[o, j, i]), max-shifted. */
export function reduceLogSumExp(
  x: ArrayLike<number>,
  outer: number,
  len: number,
  inner: number,
): Float64Array {
  return overLanes(x, outer, len, inner, (lane) => {
    let m = -Infinity, s = 0;
    for (let j = 0; j < len; j++) m = Math.max(m, lane(j));
    for (let j = 0; j < len; j++) s += Math.exp(lane(j) - m);
    return m + Math.log(s);
  });
}

/** y[o, i] = the first j with x[o, j, i] NaN, else the first j with x[o, j, i] maximal. */
export function reduceArgmax(
  x: ArrayLike<number>,
  outer: number,
  len: number,
  inner: number,
): Float64Array {
  return overLanes(x, outer, len, inner, (lane) => {
    let best = -1;
    for (let j = 0; j < len; j++) {
      const v = lane(j);
      if (Number.isNaN(v)) return j;
      if (best < 0 || v > lane(best)) best = j;
    }
    return best;
  });
}

/** y[o, i] = the first j with x[o, j, i] NaN, else the first j with x[o, j, i] minimal. */
export function reduceArgmin(
  x: ArrayLike<number>,
  outer: number,
  len: number,
  inner: number,
): Float64Array {
  return overLanes(x, outer, len, inner, (lane) => {
    let best = -1;
    for (let j = 0; j < len; j++) {
      const v = lane(j);
      if (Number.isNaN(v)) return j;
      if (best < 0 || v < lane(best)) best = j;
    }
    return best;
  });
}

/** The row's max m and Σ e^(x - m), the shifted terms of softmax. */
function rowExpSum(x: ArrayLike<number>, start: number, cols: number): { m: number; s: number } {
  let m = -Infinity, s = 0;
  for (let j = 0; j < cols; j++) m = Math.max(m, x[start + j]);
  for (let j = 0; j < cols; j++) s += Math.exp(x[start + j] - m);
  return { m, s };
}

/** Row-wise softmax of a [rows, cols] matrix. */
export function softmax(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const { m, s } = rowExpSum(x, r * cols, cols);
    for (let j = 0; j < cols; j++) y[r * cols + j] = Math.exp(x[r * cols + j] - m) / s;
  }
  return y;
}

/** Row-wise log-softmax of a [rows, cols] matrix. */
export function logSoftmax(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const { m, s } = rowExpSum(x, r * cols, cols);
    for (let j = 0; j < cols; j++) y[r * cols + j] = (x[r * cols + j] - m) - Math.log(s);
  }
  return y;
}

/** dx = y·(dy - Σ dy·y) per row; y is the softmax output. */
export function softmaxBackward(
  dy: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  cols: number,
): Float64Array {
  const dx = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += dy[r * cols + j] * y[r * cols + j];
    for (let j = 0; j < cols; j++) dx[r * cols + j] = y[r * cols + j] * (dy[r * cols + j] - s);
  }
  return dx;
}

/** dx = dy - e^y·Σ dy per row; y is the log-softmax output. */
export function logSoftmaxBackward(
  dy: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  cols: number,
): Float64Array {
  const dx = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += dy[r * cols + j];
    for (let j = 0; j < cols; j++) {
      dx[r * cols + j] = dy[r * cols + j] - Math.exp(y[r * cols + j]) * s;
    }
  }
  return dx;
}

/**
 * Reduces `x` of `shape` over `axes` (non-negative, any set): `f` maps each slice's values, in
 * row-major order, to its result. Returns the keepDims values and shape.
 */
export function reduceSlices(
  x: ArrayLike<number>,
  shape: readonly number[],
  axes: readonly number[],
  f: (slice: number[]) => number,
): { y: Float64Array; shape: number[] } {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = outShape.reduce((p, d) => p * d, 1);
  const slices: number[][] = Array.from({ length: outSize }, () => []);
  const index = shape.map(() => 0);
  for (let i = 0; i < x.length; i++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) o = o * outShape[d] + (axes.includes(d) ? 0 : index[d]);
    slices[o].push(x[i]);
    for (let d = shape.length - 1; d >= 0 && ++index[d] === shape[d]; d--) index[d] = 0;
  }
  return { y: Float64Array.from(slices, f), shape: outShape };
}
