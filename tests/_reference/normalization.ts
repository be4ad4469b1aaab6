/**
 * Float64 references of the normalization layers: `(x - mean) / sqrt(variance + epsilon) · gamma
 * + beta` with the mean and population variance over `statAxes` (batch normalization in training:
 * every axis but the feature axis; layer normalization: the feature axes), or with given
 * statistics (batch normalization at inference), and Keras's moving-average update.
 */

/** Index of element `flat` of `shape` over `axes` only (row-major over those axes). */
function indexOver(flat: number, shape: readonly number[], axes: readonly number[]): number {
  let index = 0, rest = flat;
  const coords = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    coords[a] = rest % shape[a];
    rest = Math.floor(rest / shape[a]);
  }
  for (const a of axes) index = index * shape[a] + coords[a];
  return index;
}

/** What the reference computes. */
export interface NormalizeResult {
  y: Float64Array;
  /** Per group of the axes not in `statAxes` (row-major over them). */
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * Normalizes `x` of `shape` with statistics over `statAxes` (or `stats`, indexed like the
 * parameters), scaled by `gamma` and shifted by `beta` (null for none) indexed over `paramAxes`.
 */
export function normalizeReference(
  x: Float64Array,
  shape: readonly number[],
  statAxes: readonly number[],
  paramAxes: readonly number[],
  gamma: Float64Array | null,
  beta: Float64Array | null,
  epsilon: number,
  stats?: { mean: Float64Array; variance: Float64Array },
): NormalizeResult {
  const groupAxes = shape.map((_, i) => i).filter((i) => !statAxes.includes(i));
  const groups = groupAxes.reduce((n, a) => n * shape[a], 1);
  const count = x.length / groups;
  let mean: Float64Array, variance: Float64Array;
  if (stats) {
    ({ mean, variance } = stats);
  } else {
    mean = new Float64Array(groups);
    variance = new Float64Array(groups);
    for (let i = 0; i < x.length; i++) mean[indexOver(i, shape, groupAxes)] += x[i] / count;
    for (let i = 0; i < x.length; i++) {
      const g = indexOver(i, shape, groupAxes);
      variance[g] += (x[i] - mean[g]) ** 2 / count;
    }
  }
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const g = stats ? indexOver(i, shape, paramAxes) : indexOver(i, shape, groupAxes);
    const p = indexOver(i, shape, paramAxes);
    y[i] = (x[i] - mean[g]) / Math.sqrt(variance[g] + epsilon) * (gamma ? gamma[p] : 1) +
      (beta ? beta[p] : 0);
  }
  return { y, mean, variance };
}

/** Keras's moving average: `moving · momentum + batch · (1 - momentum)`. */
export function movingAverage(
  moving: Float64Array,
  batch: Float64Array,
  momentum: number,
): Float64Array {
  return moving.map((m, i) => m * momentum + batch[i] * (1 - momentum));
}
