/**
 * Float64 reference of a dense layer (STYLE C8), written from the definition:
 *
 *   y[r, j] = act(sum_i x[r, i]·kernel[i, j] + bias[j])   kernel [inDim, units], bias [units]
 *   act: linear, relu max(z, 0), sigmoid 1 / (1 + e^-z), tanh, softmax over j (max subtracted)
 *
 * Inputs of any rank are `rows` samples of `inDim` values (the last axis), as Keras applies Dense.
 *
 * @module
 */

/** The activations of the dense layer. */
export type DenseActivation = "linear" | "relu" | "sigmoid" | "tanh" | "softmax";

/** `act(x·kernel + bias)` for `x` of `rows · inDim` values; `bias` may be null. */
export function denseReference(
  x: ArrayLike<number>,
  kernel: ArrayLike<number>,
  bias: ArrayLike<number> | null,
  inDim: number,
  units: number,
  activation: DenseActivation,
): Float64Array {
  const rows = x.length / inDim;
  const y = new Float64Array(rows * units);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < units; j++) {
      let z = bias ? bias[j] : 0;
      for (let i = 0; i < inDim; i++) z += x[r * inDim + i] * kernel[i * units + j];
      y[r * units + j] = z;
    }
    const row = y.subarray(r * units, (r + 1) * units);
    if (activation === "softmax") {
      const m = Math.max(...row);
      let s = 0;
      for (let j = 0; j < units; j++) s += row[j] = Math.exp(row[j] - m);
      for (let j = 0; j < units; j++) row[j] /= s;
    } else {
      for (let j = 0; j < units; j++) row[j] = activate(row[j], activation);
    }
  }
  return y;
}

function activate(z: number, activation: Exclude<DenseActivation, "softmax">): number {
  switch (activation) {
    case "linear":
      return z;
    case "relu":
      return Math.max(z, 0);
    case "sigmoid":
      return 1 / (1 + Math.exp(-z));
    case "tanh":
      return Math.tanh(z);
  }
}
