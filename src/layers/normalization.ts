/**
 * Normalization layers: `BatchNormalization` (statistics over the batch, moving averages for
 * inference) and `LayerNormalization` (statistics over each sample's features), with Keras's
 * defaults, weight names and order (`gamma`, `beta`, `moving_mean`, `moving_variance`).
 *
 * @module
 */
import { checkFinite, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { withoutRecording } from "../autograd/tape.ts";
import { activeBackend } from "../backend/select.ts";
import { add, mul, sub } from "../ops/arithmetic.ts";
import { rsqrt } from "../ops/math.ts";
import { moments } from "../ops/moments.ts";
import { reshape } from "../ops/transform.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { checkInitializer, type Initializer, initializerConfig } from "./initializers.ts";
import { Layer, type LayerArgs } from "./layer.ts";
import type { Constraint } from "./constraints.ts";
import {
  checkWeightPenalties,
  type WeightPenalty,
  weightPenaltyConfig,
  weightPenaltyKeys,
} from "./_weight_penalties.ts";

/** Arguments `batchNormalization()` and `layerNormalization()` share. */
interface NormalizationArgs extends LayerArgs {
  /** Added to the variance before the square root; default 1e-3 (Keras). */
  epsilon?: number;
  /** Whether to add the learned offset `beta`; default true. */
  center?: boolean;
  /** Whether to multiply by the learned scale `gamma`; default true. */
  scale?: boolean;
  /** Default `"zeros"`. */
  betaInitializer?: Initializer;
  /** Default `"ones"`. */
  gammaInitializer?: Initializer;
  /** Penalty on `beta` (`dn.regularizers.l1/l2/l1l2`), added to the training loss. */
  betaRegularizer?: { l1?: number; l2?: number };
  /** Penalty on `gamma`. */
  gammaRegularizer?: { l1?: number; l2?: number };
  /** Projection of `beta` after each optimizer step (`dn.constraints`). */
  betaConstraint?: Constraint;
  /** Projection of `gamma` after each optimizer step. */
  gammaConstraint?: Constraint;
}

/** Arguments of `batchNormalization()`. */
export interface BatchNormalizationArgs extends NormalizationArgs {
  /** The feature axis (counting the batch axis as 0; negative from the end); default -1. */
  axis?: number;
  /** Weight of the old value in the moving averages; default 0.99. */
  momentum?: number;
  /** Default `"zeros"`. */
  movingMeanInitializer?: Initializer;
  /** Default `"ones"`. */
  movingVarianceInitializer?: Initializer;
}

/** Arguments of `layerNormalization()`. */
export interface LayerNormalizationArgs extends NormalizationArgs {
  /** The axis or axes normalized over (counting the batch axis as 0); default -1. */
  axis?: number | number[];
}

const SHARED_KEYS = [
  "epsilon",
  "center",
  "scale",
  "betaInitializer",
  "gammaInitializer",
  ...weightPenaltyKeys(["beta", "gamma"]),
];

function checkBool(value: unknown, fallback: boolean, arg: string, fn: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be a boolean: got ${fmtValue(value)}`,
    );
  }
  return value;
}

function checkEpsilon(value: unknown, fn: string): number {
  const eps = checkFinite(value ?? 1e-3, "epsilon", fn);
  if (!(eps > 0)) {
    throw new RangeError(`Cannot run ${fn}(): argument "epsilon" must be > 0: got ${eps}`);
  }
  return eps;
}

/** Integer axes (batch counted as 0), validated only in type here: the rank is known at build. */
function checkAxes(value: unknown, fn: string): number[] {
  const axes = Array.isArray(value) ? value : [value];
  if (axes.length === 0 || !axes.every((a) => Number.isInteger(a))) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "axis" must be an integer or a non-empty list of integers: got ${
        fmtValue(value)
      }`,
    );
  }
  return axes as number[];
}

/**
 * The shared part: `gamma` and `beta` over the feature dims, the normalization
 * `(x - mean) · rsqrt(variance + epsilon) · gamma + beta`.
 */
abstract class Normalization extends Layer {
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  /** The regularisers and constraints of `beta` and `gamma`. */
  readonly penalties: Record<"beta" | "gamma", WeightPenalty>;
  protected readonly axisArg: number[];
  protected readonly fn: string;
  #gamma: Tensor | null = null;
  #beta: Tensor | null = null;

  constructor(
    args: NormalizationArgs & { axis?: number | number[] },
    prefix: string,
    fn: string,
    keys: string[],
  ) {
    super(args ?? {}, prefix, [...SHARED_KEYS, ...keys, "axis"], fn);
    this.fn = fn;
    this.axisArg = checkAxes(args?.axis ?? -1, fn);
    this.epsilon = checkEpsilon(args?.epsilon, fn);
    this.center = checkBool(args?.center, true, "center", fn);
    this.scale = checkBool(args?.scale, true, "scale", fn);
    this.betaInitializer = checkInitializer(
      args?.betaInitializer ?? "zeros",
      "betaInitializer",
      fn,
    );
    this.gammaInitializer = checkInitializer(
      args?.gammaInitializer ?? "ones",
      "gammaInitializer",
      fn,
    );
    const penaltyArgs = (args ?? {}) as unknown as Record<string, unknown>;
    this.penalties = checkWeightPenalties(penaltyArgs, ["beta", "gamma"], fn);
  }

  /** The feature axes of a batch of samples `inputShape` (0 is the batch axis), sorted. */
  protected featureAxes(inputShape: readonly number[]): number[] {
    const rank = inputShape.length + 1;
    const axes = this.axisArg.map((a) => (a < 0 ? a + rank : a));
    if (axes.some((a) => a < 1 || a >= rank) || new Set(axes).size !== axes.length) {
      throw new RangeError(
        `Cannot build ${this.fn} layer "${this.name}": "axis" ${
          fmtValue(this.axisArg)
        } must name distinct non-batch axes of inputs of rank ${rank}: got samples ${
          fmtShape(inputShape)
        }`,
      );
    }
    return axes.sort((a, b) => a - b);
  }

  /** Shape of `gamma`/`beta` (the sizes of the feature axes). */
  protected paramShape(inputShape: readonly number[]): number[] {
    return this.featureAxes(inputShape).map((a) => inputShape[a - 1]);
  }

  /**
   * Builds for the feature axes only (the others read as 1): as Keras's, the other dims (steps,
   * height, width) may vary between calls.
   */
  override ensureBuilt(inputShape: readonly number[]): void {
    const axes = this.featureAxes(inputShape);
    super.ensureBuilt(inputShape.map((d, i) => (axes.includes(i + 1) ? d : 1)));
  }

  override weightShapes(inputShape: readonly number[]): { name: string; shape: number[] }[] {
    const shape = this.paramShape(inputShape);
    return [
      ...(this.scale ? [{ name: "gamma", shape }] : []),
      ...(this.center ? [{ name: "beta", shape }] : []),
    ];
  }

  protected override build(inputShape: readonly number[]): void {
    const shape = this.paramShape(inputShape);
    const { beta, gamma } = this.penalties;
    if (this.scale) this.#gamma = this.addWeight("gamma", shape, this.gammaInitializer, gamma);
    if (this.center) this.#beta = this.addWeight("beta", shape, this.betaInitializer, beta);
  }

  /** `p` (a parameter over the feature axes) reshaped to broadcast against `x`. */
  protected broadcastable(p: Tensor, x: Tensor): Tensor {
    const axes = this.featureAxes(x.shape.slice(1));
    const trailing = axes.every((a, i) => a === x.rank - axes.length + i);
    return trailing ? p : reshape(p, x.shape.map((d, i) => (axes.includes(i) ? d : 1)));
  }

  /** `(x - mean) · rsqrt(variance + epsilon) · gamma + beta`, statistics broadcastable. */
  protected normalize(x: Tensor, mean: Tensor, variance: Tensor): Tensor {
    let y = mul(sub(x, mean), rsqrt(add(variance, this.epsilon)));
    if (this.#gamma) y = mul(y, this.broadcastable(this.#gamma, x));
    if (this.#beta) y = add(y, this.broadcastable(this.#beta, x));
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axisArg.length === 1 ? this.axisArg[0] : [...this.axisArg],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: initializerConfig(this.betaInitializer),
      gammaInitializer: initializerConfig(this.gammaInitializer),
      ...weightPenaltyConfig(this.penalties),
    };
  }
}

/**
 * Batch normalization (Keras `BatchNormalization`): in training, normalizes with the batch's
 * mean and (population) variance over every axis but `axis`, and moves
 * `moving = moving · momentum + batch · (1 - momentum)`; at inference, normalizes with the moving
 * statistics. Weights `gamma`, `beta` (trainable), `moving_mean`, `moving_variance` (not). A
 * frozen layer (`trainable: false`) runs in inference mode even in training, as in Keras.
 */
export class BatchNormalization extends Normalization {
  readonly className = "BatchNormalization";
  readonly momentum: number;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  #movingMean: Tensor | null = null;
  #movingVariance: Tensor | null = null;

  /** @param args See `BatchNormalizationArgs`. */
  constructor(args: BatchNormalizationArgs = {}) {
    super(args, "batch_normalization", "batchNormalization", [
      "momentum",
      "movingMeanInitializer",
      "movingVarianceInitializer",
    ]);
    const fn = this.fn;
    if (this.axisArg.length !== 1) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "axis" must be one integer: got ${fmtValue(args.axis)}`,
      );
    }
    const momentum = checkFinite(args.momentum ?? 0.99, "momentum", fn);
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "momentum" must be in [0, 1]: got ${momentum}`,
      );
    }
    this.momentum = momentum;
    this.movingMeanInitializer = checkInitializer(
      args.movingMeanInitializer ?? "zeros",
      "movingMeanInitializer",
      fn,
    );
    this.movingVarianceInitializer = checkInitializer(
      args.movingVarianceInitializer ?? "ones",
      "movingVarianceInitializer",
      fn,
    );
  }

  override weightShapes(inputShape: readonly number[]): { name: string; shape: number[] }[] {
    const shape = this.paramShape(inputShape);
    return [
      ...super.weightShapes(inputShape),
      { name: "moving_mean", shape },
      { name: "moving_variance", shape },
    ];
  }

  protected override build(inputShape: readonly number[]): void {
    super.build(inputShape);
    const shape = this.paramShape(inputShape);
    const add = (name: string, init: Initializer) =>
      this.addWeight(name, shape, init, 0, undefined, false);
    this.#movingMean = add("moving_mean", this.movingMeanInitializer);
    this.#movingVariance = add("moving_variance", this.movingVarianceInitializer);
  }

  call(x: Tensor, training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    this.ensureBuilt(x.shape.slice(1));
    // A frozen layer runs in inference mode, its moving statistics untouched (as Keras).
    if (!training || !this.trainable) {
      return this.normalize(
        x,
        this.broadcastable(this.#movingMean!, x),
        this.broadcastable(this.#movingVariance!, x),
      );
    }
    const axis = this.featureAxes(x.shape.slice(1))[0];
    const others = x.shape.map((_, i) => i).filter((i) => i !== axis);
    const { mean, variance } = moments(x, others, true);
    withoutRecording(() =>
      tidy(() => {
        const backend = activeBackend();
        for (
          const [moving, batch] of [[this.#movingMean!, mean], [this.#movingVariance!, variance]]
        ) {
          const next = add(
            mul(moving, this.momentum),
            mul(reshape(batch, moving.shape), 1 - this.momentum),
          );
          backend.copy(next.storage, 0, moving.storage, 0, moving.size);
        }
      })
    );
    return this.normalize(x, mean, variance);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      momentum: this.momentum,
      movingMeanInitializer: initializerConfig(this.movingMeanInitializer),
      movingVarianceInitializer: initializerConfig(this.movingVarianceInitializer),
    };
  }
}

/**
 * Layer normalization (Keras `LayerNormalization`): normalizes each sample with the mean and
 * (population) variance over `axis`, in training and at inference alike. Weights `gamma`,
 * `beta` over the `axis` dims.
 */
export class LayerNormalization extends Normalization {
  readonly className = "LayerNormalization";

  /** @param args See `LayerNormalizationArgs`. */
  constructor(args: LayerNormalizationArgs = {}) {
    super(args, "layer_normalization", "layerNormalization", []);
  }

  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    this.ensureBuilt(x.shape.slice(1));
    const { mean, variance } = moments(x, this.featureAxes(x.shape.slice(1)), true);
    return this.normalize(x, mean, variance);
  }
}
