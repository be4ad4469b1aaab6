/**
 * What `compile()` resolves: the optimizer, and per output of the model the loss and metric
 * functions by Keras name and whether the loss can be computed from the output layer's logits
 * (softmax or sigmoid fused into the cross-entropy, as Keras does, for numerical stability).
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
  /** An optimizer, or its name with Keras defaults (`"sgd"`, `"adam"`, `"rmsprop"`, ...). */
  optimizer: Optimizer | OptimizerName;
  /**
   * A Keras loss name or a function; for a model of several outputs one for all, a list (one per
   * output) or a map by output name (the output layer's name). The model minimises their sum.
   */
  loss:
    | string
    | LossOrMetricFn
    | (string | LossOrMetricFn)[]
    | Record<string, string | LossOrMetricFn>;
  /**
   * Keras metric names (`"accuracy"`, `"categoricalAccuracy"`, `"mse"`, ...) or functions, for
   * every output; or a map by output name.
   */
  metrics?: Array<string | LossOrMetricFn> | Record<string, Array<string | LossOrMetricFn>>;
}

/** The loss and metrics of one output. */
export interface Head {
  /** The loss name, when given by name. */
  lossName: string | null;
  loss: LossOrMetricFn;
  metrics: LossOrMetricFn[];
  /** Loss from the output layer's logits and the activation it replaces, when fusable. */
  fromLogits: { loss: LossOrMetricFn; activation: ActivationName } | null;
}

/** The resolved training configuration. */
export interface Compiled {
  optimizer: Optimizer;
  /** One per output of the model. */
  heads: Head[];
  /**
   * Names of the values reported after `loss`: the metric names for one output; for several,
   * `<output>_loss` per output, then `<output>_<metric>` (Keras's names).
   */
  metricNames: string[];
  /** `loss` and `metrics` as given, when all are names (saved with the model); else null. */
  saved: { loss: unknown; metrics: unknown } | null;
}

/** The optimizers `compile()` takes by name, with their Keras defaults. */
export type OptimizerName =
  | "sgd"
  | "adam"
  | "rmsprop"
  | "adagrad"
  | "adadelta"
  | "adamax"
  | "nadam"
  | "adamw";

const OPTIMIZERS: Readonly<Record<OptimizerName, (config: Record<string, never>) => Optimizer>> = {
  sgd: optimizers.sgd,
  adam: optimizers.adam,
  rmsprop: optimizers.rmsprop,
  adagrad: optimizers.adagrad,
  adadelta: optimizers.adadelta,
  adamax: optimizers.adamax,
  nadam: optimizers.nadam,
  adamw: optimizers.adamw,
};

/** `"sgd", "adam", ...` for messages. */
const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS).map((k) => `"${k}"`).join(", ");

/**
 * Resolves `compile()` arguments for a model whose outputs are named `outputs`; `last[i]` is the
 * layer making output `i` when its activation may be fused into the loss.
 */
export function compileArgs(
  args: CompileArgs,
  outputs: readonly string[],
  last: readonly (Layer | undefined)[],
): Compiled {
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
      `Cannot run ${fn}(): argument "optimizer" must be an optimizer or one of ${OPTIMIZER_NAMES}: got ${
        fmtValue(args.optimizer)
      }`,
    );
  }
  const lossSpecs = perOutput(args.loss, outputs, "loss", fn);
  const metricSpecs = perOutput(args.metrics ?? [], outputs, "metrics", fn);
  const several = outputs.length > 1;
  const metricNames = several ? outputs.map((o) => `${o}_loss`) : [];
  const heads = outputs.map((o, k): Head => {
    const spec = lossSpecs[k] as string | LossOrMetricFn;
    const lossName = typeof spec === "string" ? spec : null;
    const list = metricSpecs[k] ?? [];
    if (!Array.isArray(list)) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "metrics" must be an array of names or functions${
          several ? ` (or a map of them by output name)` : ""
        }: got ${fmtValue(list)}`,
      );
    }
    list.forEach((m, i) => {
      const name = typeof m === "string" ? m : m.name || `metric_${i}`;
      metricNames.push(several ? `${o}_${name}` : name);
    });
    return {
      lossName,
      loss: losses.getLoss(spec),
      metrics: list.map((m) => metrics.getMetric(m, lossName ?? undefined)),
      fromLogits: fusedLoss(lossName, last[k]),
    };
  });
  const named = (v: unknown): boolean =>
    typeof v === "string" || (Array.isArray(v) && v.every(named)) ||
    (v !== null && typeof v === "object" && Object.values(v).every(named));
  const saved = named(args.loss) && named(args.metrics ?? [])
    ? { loss: args.loss, metrics: args.metrics ?? [] }
    : null;
  return { optimizer, heads, metricNames, saved };
}

/**
 * One entry per output from a spec for all of them, a list (one per output) or a map by output
 * name. For `metrics`, a list is for all outputs (as Keras).
 */
function perOutput(spec: unknown, outputs: readonly string[], arg: string, fn: string): unknown[] {
  const isMap = spec !== null && typeof spec === "object" && !Array.isArray(spec);
  if (isMap) {
    for (const key of Object.keys(spec)) {
      if (!outputs.includes(key)) {
        throw new TypeError(
          `Cannot run ${fn}(): argument "${arg}" has key "${key}", which must be an output name (${
            outputs.map((o) => `"${o}"`).join(", ")
          })`,
        );
      }
    }
    return outputs.map((o) => {
      if (arg === "loss" && !Object.hasOwn(spec, o)) {
        throw new TypeError(
          `Cannot run ${fn}(): argument "loss" must have a loss for output "${o}"`,
        );
      }
      return (spec as Record<string, unknown>)[o];
    });
  }
  if (arg === "loss" && Array.isArray(spec)) {
    if (spec.length !== outputs.length) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "loss" must hold one loss per output (${outputs.length}): got ${spec.length}`,
      );
    }
    return spec;
  }
  return outputs.map(() => spec);
}

function optimizerByName(name: string, fn: string): Optimizer {
  if (!Object.hasOwn(OPTIMIZERS, name)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "optimizer" must be an optimizer or one of ${OPTIMIZER_NAMES}: got "${name}"`,
    );
  }
  return OPTIMIZERS[name as keyof typeof OPTIMIZERS]({});
}

function fusedLoss(
  lossName: string | null,
  last: Layer | undefined,
): Head["fromLogits"] {
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
