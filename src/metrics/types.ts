/**
 * Types shared by the metrics.
 *
 * @module
 */
import type { Tensor } from "../tensor.ts";

/** A metric: targets and predictions in, a scalar (mean over the batch) out. */
export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;
