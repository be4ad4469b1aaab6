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

/**
 * The regression, margin and distribution losses (Keras 3 `losses.py`), each the mean over rows
 * of a per-row value:
 *
 *   meanAbsoluteError          row: mean_j |p_j - t_j|
 *   huber(delta)               row: mean_j of 0.5 e^2 (e <= delta), delta (e - delta / 2) beyond
 *   logCosh                    row: mean_j log cosh(p_j - t_j)
 *   hinge / squaredHinge       row: mean_j max(1 - s_j p_j, 0) (squared), s = 2t - 1 when every
 *                              target is 0 or 1, else t
 *   kullbackLeiblerDivergence  row: sum_j u_j log(u_j / q_j), u, q = clip(t, p) into [1e-7, 1]
 *   cosineSimilarity           row: -sum_j t_j p_j / (max(|t|^2, 1e-12) max(|p|^2, 1e-12))^0.5
 */
export function meanAbsoluteError(
  t: ArrayLike<number>,
  p: ArrayLike<number>,
  cols: number,
): number {
  return meanOverRows(t.length, cols, (s) => rowMean(s, cols, (j) => Math.abs(p[j] - t[j])));
}

/** Huber loss with threshold `delta`. */
export function huber(
  t: ArrayLike<number>,
  p: ArrayLike<number>,
  cols: number,
  delta = 1,
): number {
  return meanOverRows(t.length, cols, (s) =>
    rowMean(s, cols, (j) => {
      const e = Math.abs(p[j] - t[j]);
      return e <= delta ? 0.5 * e * e : delta * (e - 0.5 * delta);
    }));
}

/** Log-cosh loss, `|x| + log1p(e^(-2|x|)) - log 2` (no overflow). */
export function logCosh(t: ArrayLike<number>, p: ArrayLike<number>, cols: number): number {
  return meanOverRows(t.length, cols, (s) =>
    rowMean(s, cols, (j) => {
      const x = Math.abs(p[j] - t[j]);
      return x + Math.log1p(Math.exp(-2 * x)) - Math.LN2;
    }));
}

/** Hinge loss (`power` 1) or squared hinge loss (`power` 2). */
export function hinge(
  t: ArrayLike<number>,
  p: ArrayLike<number>,
  cols: number,
  power: 1 | 2,
): number {
  const binary = Array.from(t).every((v) => v === 0 || v === 1);
  return meanOverRows(
    t.length,
    cols,
    (s) => rowMean(s, cols, (j) => Math.max(1 - (binary ? 2 * t[j] - 1 : t[j]) * p[j], 0) ** power),
  );
}

/** Kullback-Leibler divergence of clipped distributions. */
export function kullbackLeiblerDivergence(
  t: ArrayLike<number>,
  p: ArrayLike<number>,
  cols: number,
): number {
  const c = (v: number) => Math.min(Math.max(v, CLIP_LO), 1);
  return meanOverRows(t.length, cols, (s) => {
    let row = 0;
    for (let j = s; j < s + cols; j++) row += c(t[j]) * Math.log(c(t[j]) / c(p[j]));
    return row;
  });
}

/** Cosine similarity loss (Keras sign: -cos). */
export function cosineSimilarity(t: ArrayLike<number>, p: ArrayLike<number>, cols: number): number {
  return meanOverRows(t.length, cols, (s) => {
    let tt = 0, pp = 0, tp = 0;
    for (let j = s; j < s + cols; j++) {
      tt += t[j] * t[j];
      pp += p[j] * p[j];
      tp += t[j] * p[j];
    }
    return -tp / Math.sqrt(Math.max(tt, 1e-12) * Math.max(pp, 1e-12));
  });
}

function rowMean(s: number, cols: number, f: (j: number) => number): number {
  let row = 0;
  for (let j = s; j < s + cols; j++) row += f(j);
  return row / cols;
}
