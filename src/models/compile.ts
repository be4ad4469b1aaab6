/**
 * What `compile()` resolves: the optimizer, the loss and metric functions by Keras name, and
 * whether the loss can be computed from the last layer's logits (softmax or sigmoid fused into
 * the cross-entropy, as Keras does, for numerical stability).
 *
 * @module
 */
import { checkOptions, fmtValue } from "../_check.ts";
import type { ActivationName } from "../layers/activations.ts";
import type { Layer } from "../layers/layer.ts";
import * as losses from "../losses/mod.ts";
import * as metrics from "../metrics/mod.ts";
import * as optimizers from "../optimizers/mod.ts";
import type { Optimizer } from "../optimizers/optimizer.ts";
import type { Tensor } from "../tensor.ts";

/** A loss or metric: targets and predictions to a scalar. */
export type LossOrMetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Arguments of `compile()`. */
export interface CompileArgs {
  /** An optimizer, or `"sgd"`, `"adam"`, `"rmsprop"` with Keras defaults. */
  optimizer: Optimizer | "sgd" | "adam" | "rmsprop";
  /** A Keras loss name or a function. */
  loss: string | LossOrMetricFn;
  /** Keras metric names (`"accuracy"`, `"categoricalAccuracy"`, `"mse"`, ...) or functions. */
  metrics?: Array<string | LossOrMetricFn>;
}

/** The resolved training configuration. */
export interface Compiled {
  optimizer: Optimizer;
  /** The loss name, when given by name (saved with the model). */
  lossName: string | null;
  loss: LossOrMetricFn;
  metricNames: string[];
  metrics: LossOrMetricFn[];
  /** Loss from the last layer's logits and the activation it replaces, when fusable. */
  fromLogits: { loss: LossOrMetricFn; activation: ActivationName } | null;
}

const OPTIMIZERS = { sgd: optimizers.sgd, adam: optimizers.adam, rmsprop: optimizers.rmsprop };

/** Resolves `compile()` arguments for a model whose layers are `layers`. */
export function compileArgs(args: CompileArgs, layers: readonly Layer[]): Compiled {
  const fn = "compile";
  if (args === null || typeof args !== "object") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "args" must be an object: got ${fmtValue(args)}`,
    );
  }
  checkOptions(args, ["optimizer", "loss", "metrics"], fn, "args");
  const optimizer = typeof args.optimizer === "string"
    ? optimizerByName(args.optimizer, fn)
    : args.optimizer;
  if (!optimizer || typeof optimizer.applyGradients !== "function") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "optimizer" must be an optimizer or "sgd", "adam", "rmsprop": got ${
        fmtValue(args.optimizer)
      }`,
    );
  }
  const loss = losses.getLoss(args.loss);
  const lossName = typeof args.loss === "string" ? args.loss : null;
  const metricList = args.metrics ?? [];
  if (!Array.isArray(metricList)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "metrics" must be an array of names or functions: got ${
        fmtValue(metricList)
      }`,
    );
  }
  return {
    optimizer,
    lossName,
    loss,
    metricNames: metricList.map((m, i) => (typeof m === "string" ? m : m.name || `metric_${i}`)),
    metrics: metricList.map((m) => metrics.getMetric(m, lossName ?? undefined)),
    fromLogits: fusedLoss(lossName, layers[layers.length - 1]),
  };
}

function optimizerByName(name: string, fn: string): Optimizer {
  if (!Object.hasOwn(OPTIMIZERS, name)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "optimizer" must be an optimizer or "sgd", "adam", "rmsprop": got "${name}"`,
    );
  }
  return OPTIMIZERS[name as keyof typeof OPTIMIZERS]({});
}

function fusedLoss(
  lossName: string | null,
  last: Layer | undefined,
): Compiled["fromLogits"] {
  const activation = (last as { activation?: ActivationName } | undefined)?.activation;
  if (!last || !("callLogits" in last) || !activation) return null;
  const fromLogits = { fromLogits: true };
  if (activation === "softmax" && lossName === "categoricalCrossentropy") {
    return { loss: (t, p) => losses.categoricalCrossentropy(t, p, fromLogits), activation };
  }
  if (activation === "softmax" && lossName === "sparseCategoricalCrossentropy") {
    return { loss: (t, p) => losses.sparseCategoricalCrossentropy(t, p, fromLogits), activation };
  }
  if (activation === "sigmoid" && lossName === "binaryCrossentropy") {
    return { loss: (t, p) => losses.binaryCrossentropy(t, p, fromLogits), activation };
  }
  return null;
}
