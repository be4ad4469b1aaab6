/**
 * Types shared by the losses.
 *
 * @module
 */
import type { Tensor } from "../tensor.ts";

/** A loss: targets and predictions of the same shape in, a scalar (mean over the batch) out. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Options of the crossentropy losses. */
export interface CrossentropyOptions {
  /**
   * Whether `yPred` holds logits (unnormalised scores) rather than probabilities (default false).
   * Logits take a numerically stable path that needs no clipping.
   */
  fromLogits?: boolean;
}

/** Keras `backend.epsilon()`: probabilities are clipped into `[EPSILON, 1 - EPSILON]`. */
export const EPSILON = 1e-7;
