/**
 * Float64 references for the losses and metrics (STYLE C8), written from the Keras 3 formulas
 * (`keras/src/losses/losses.py`, `keras/src/backend/numpy/nn.py`), as plain loops over rows of
 * `cols` values. Every loss is the mean over rows of a per-row value (Keras `sum_over_batch_size`):
 *
 *   meanSquaredError         row: mean_j (p_j - t_j)^2
 *   binaryCrossentropy       row: mean_j of  -(t log q + (1 - t) log(1 - q)),  q = clip(p, lo, hi)
 *                            logits: mean_j of  log(1 + e^x) - x t   (computed without overflow)
 *   categoricalCrossentropy  row: -sum_j t_j log q_j,  q = clip(p / sum_k p_k, lo, hi)
 *                            logits: -sum_j t_j (x_j - logsumexp(x))
 *   sparse                   the categorical value with t = one-hot(label)
 *
 * The clip bounds are the float32 values Keras clips to in float32: `lo = f32(1e-7)` and
 * `hi = f32(1 - 1e-7) = 1 - 2^-23` (0.99999988...), not the float64 1 - 1e-7; at p = 1 the
 * loss is -log(1 - hi) = 15.94, not 16.12.
 *
 * @module
 */

/** Keras's probability clip bounds, as float32 values. */
export const CLIP_LO: number = Math.fround(1e-7);
/** See `CLIP_LO`. */
export const CLIP_HI: number = Math.fround(1 - 1e-7);

function clip(p: number): number {
  return Math.min(Math.max(p, CLIP_LO), CLIP_HI);
}

/** Mean over rows of `perRow(row)`, rows of `cols` values. */
function meanOverRows(n: number, cols: number, perRow: (start: number) => number): number {
  const rows = n / cols;
  let total = 0;
  for (let r = 0; r < rows; r++) total += perRow(r * cols);
  return total / rows;
}

/** Mean squared error. */
export function meanSquaredError(t: ArrayLike<number>, p: ArrayLike<number>, cols: number): number {
  return meanOverRows(t.length, cols, (s) => {
    let row = 0;
    for (let j = s; j < s + cols; j++) row += (p[j] - t[j]) ** 2;
    return row / cols;
  });
}

/** `log(1 + e^x)` without overflow or loss of precision. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Binary crossentropy on probabilities (clipped) or logits. */
export function binaryCrossentropy(
  t: ArrayLike<number>,
  p: ArrayLike<number>,
  cols: number,
  fromLogits: boolean,
): number {
  return meanOverRows(t.length, cols, (s) => {
    let row = 0;
    for (let j = s; j < s + cols; j++) {
      if (fromLogits) {
        row += softplus(p[j]) - p[j] * t[j];
      } else {
        const q = clip(p[j]);
        row += -(t[j] * Math.log(q) + (1 - t[j]) * Math.log(1 - q));
      }
    }
    return row / cols;
  });
}

/** Categorical crossentropy on probabilities (normalised, clipped) or logits. */
export function categoricalCrossentropy(
  t: ArrayLike<number>,
  p: ArrayLike<number>,
  cols: number,
  fromLogits: boolean,
): number {
  return meanOverRows(t.length, cols, (s) => {
    let max = -Infinity, sumExp = 0, sum = 0;
    for (let j = s; j < s + cols; j++) {
      max = Math.max(max, p[j]);
      sum += p[j];
    }
    for (let j = s; j < s + cols; j++) sumExp += Math.exp(p[j] - max);
    const logSumExp = max + Math.log(sumExp);
    let row = 0;
    for (let j = s; j < s + cols; j++) {
      const logQ = fromLogits ? p[j] - logSumExp : Math.log(clip(p[j] / sum));
      row -= t[j] * logQ;
    }
    return row;
  });
}

/** Sparse categorical crossentropy: `labels` holds one class index per row of `p`. */
export function sparseCategoricalCrossentropy(
  labels: ArrayLike<number>,
  p: ArrayLike<number>,
  cols: number,
  fromLogits: boolean,
): number {
  const t = new Float64Array(p.length);
  for (let r = 0; r < labels.length; r++) t[r * cols + labels[r]] = 1;
  return categoricalCrossentropy(t, p, cols, fromLogits);
}

/** `sum_i w_i · clip(x_i, lo, hi)`: a scalar of the clip for gradient checks. */
export function weightedClipSum(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  lo: number,
  hi: number,
): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) total += w[i] * Math.min(Math.max(x[i], lo), hi);
  return total;
}
