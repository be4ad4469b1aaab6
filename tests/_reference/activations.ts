/**
 * Float64 references of the layer activations that the GEMM epilogue does not fuse (STYLE C8),
 * from their TF.js/Keras definitions: leakyRelu slope 0.2 (Keras 3 `leaky_relu`), elu α = 1,
 * selu, exact gelu, swish `x·sigmoid(x)`, softplus, softsign `x / (1 + |x|)`, hardSigmoid
 * `clip(0.2·x + 0.5, 0, 1)` (TF.js, Keras 2).
 *
 * @module
 */
import { MATH } from "./math.ts";

/** The activations, by layer activation name. */
export const LAYER_ACTIVATION: Readonly<Record<string, (x: number) => number>> = {
  linear: (x) => x,
  relu: (x) => Math.max(x, 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  leakyRelu: (x) => MATH.leakyRelu(x, 0.2),
  elu: (x) => MATH.elu(x, 1),
  selu: MATH.selu,
  gelu: MATH.gelu,
  swish: MATH.silu,
  softplus: MATH.softplus,
  softsign: (x) => x / (1 + Math.abs(x)),
  hardSigmoid: (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1),
};

/** `act(x·kernel + bias)` for `rows · inDim` values of `x`: a dense layer with any activation. */
export function denseWith(
  activation: string,
  x: ArrayLike<number>,
  kernel: ArrayLike<number>,
  bias: ArrayLike<number>,
  inDim: number,
  units: number,
): Float64Array {
  const act = LAYER_ACTIVATION[activation];
  const rows = x.length / inDim;
  const y = new Float64Array(rows * units);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < units; j++) {
      let z = bias[j];
      for (let i = 0; i < inDim; i++) z += x[r * inDim + i] * kernel[i * units + j];
      y[r * units + j] = act(z);
    }
  }
  return y;
}
