/**
 * The convolution layers beyond `conv2d`, in Keras layouts over NHWC (NWC for 1-D) inputs:
 * `Conv1D` (conv2d's kernels through a height-1 view), `Conv2DTranspose` (the transposed
 * convolution over conv2d's backward-data kernel), `DepthwiseConv2D` (the depthwise kernels of
 * `dn.depthwiseConv2d`) and `SeparableConv2D` (depthwise, then a 1x1 conv2d).
 *
 * @module
 */
import {
  checkArity,
  checkOneOf,
  checkPair,
  checkPositiveInt,
  checkTensor,
  fmtShape,
  fmtValue,
} from "../_check.ts";
import { add } from "../ops/arithmetic.ts";
import { checkPadding } from "../ops/_geometry.ts";
import { conv2d, conv2dGeometry, type Conv2dPadding } from "../ops/conv.ts";
import { conv2dTranspose as conv2dTransposeOp } from "../ops/conv_transpose.ts";
import { depthwiseConv2d as depthwiseConv2dOp } from "../ops/depthwise_conv.ts";
import { pad } from "../ops/pad.ts";
import { reshape } from "../ops/transform.ts";
import type { Tensor } from "../tensor.ts";
import {
  checkKernelLayerArgs,
  KERNEL_LAYER_KEYS,
  type KernelLayerArgs,
  kernelLayerConfig,
  kernelLayerPenalties,
} from "./_args.ts";
import {
  activationFn,
  type ActivationName,
  checkActivation,
  splitActivation,
} from "./activations.ts";
import { checkInitializer, type Initializer, initializerConfig } from "./initializers.ts";
import { Layer, type LayerArgs } from "./layer.ts";
import { addActivityLoss } from "./activity.ts";
import type { Constraint } from "./constraints.ts";
import { checkRegularizer, type Regularizer, regularizerConfig } from "./regularizers.ts";
import {
  checkWeightPenalties,
  type WeightPenalty,
  weightPenaltyConfig,
  weightPenaltyKeys,
} from "./_weight_penalties.ts";

/** Throws unless samples have `rank` dims with channels last. */
function checkSamples(layer: Layer, inputShape: readonly number[], rank: number, what: string) {
  if (inputShape.length !== rank || !(inputShape[rank - 1] > 0)) {
    throw new RangeError(
      `Cannot apply ${layer.className} layer "${layer.name}": samples must have shape ${what}: got ${
        fmtShape(inputShape)
      }`,
    );
  }
}

/** Arguments of `conv1d()`. */
export interface Conv1DArgs extends LayerArgs, KernelLayerArgs {
  /** Output channels. */
  filters: number;
  /** Kernel width. */
  kernelSize: number;
  /** Default 1. */
  strides?: number;
  /** `"valid"` (default), `"same"` or `"causal"` (left padding: output t sees inputs <= t). */
  padding?: Conv2dPadding | "causal";
  /** Default 1; cannot exceed 1 together with `strides`. */
  dilationRate?: number;
}

/** A 1-D convolution over `[batch, steps, channels]`: kernel `[kernelSize, channels, filters]`. */
export class Conv1D extends Layer {
  readonly className = "Conv1D";
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Conv2dPadding | "causal";
  readonly dilationRate: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly l1: number;
  readonly l2: number;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly biasRegularizer: Regularizer;
  readonly activityRegularizer: Regularizer;
  #kernel: Tensor | null = null;
  #bias: Tensor | null = null;

  /** @param args See `Conv1DArgs`. */
  constructor(args: Conv1DArgs) {
    super(args, "conv1d", [
      "filters",
      "kernelSize",
      "strides",
      "padding",
      "dilationRate",
      ...KERNEL_LAYER_KEYS,
    ]);
    const fn = "conv1d";
    this.filters = checkPositiveInt(args?.filters, "filters", fn);
    this.kernelSize = checkPositiveInt(args.kernelSize, "kernelSize", fn);
    this.strides = checkPositiveInt(args.strides ?? 1, "strides", fn);
    this.dilationRate = checkPositiveInt(args.dilationRate ?? 1, "dilationRate", fn);
    this.padding = checkOneOf(
      args.padding ?? "valid",
      ["valid", "same", "causal"] as const,
      "padding",
      fn,
    );
    if (this.strides > 1 && this.dilationRate > 1) {
      throw new RangeError(
        `Cannot run ${fn}(): "strides" and "dilationRate" cannot both exceed 1: got ${this.strides} and ${this.dilationRate}`,
      );
    }
    ({
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
      l1: this.l1,
      l2: this.l2,
      kernelConstraint: this.kernelConstraint,
      biasConstraint: this.biasConstraint,
      biasRegularizer: this.biasRegularizer,
      activityRegularizer: this.activityRegularizer,
    } = checkKernelLayerArgs(args, fn));
  }

  override weightShapes(inputShape: readonly number[]): { name: string; shape: number[] }[] {
    const c = inputShape[inputShape.length - 1];
    const kernel = { name: "kernel", shape: [this.kernelSize, c, this.filters] };
    return this.useBias ? [kernel, { name: "bias", shape: [this.filters] }] : [kernel];
  }

  protected override build(inputShape: readonly number[]): void {
    const [kernel, bias] = this.weightShapes(inputShape);
    const penalties = kernelLayerPenalties(this);
    this.#kernel = this.addWeight("kernel", kernel.shape, this.kernelInitializer, penalties.kernel);
    if (bias) {
      this.#bias = this.addWeight("bias", bias.shape, this.biasInitializer, penalties.bias);
    }
  }

  /** Builds for the channels only: the number of steps may vary. */
  override ensureBuilt(inputShape: readonly number[]): void {
    checkSamples(this, inputShape, 2, "[steps, channels]");
    super.ensureBuilt(inputShape.slice(-1));
  }

  /** `[outSteps, filters]`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    checkSamples(this, inputShape, 2, "[steps, channels]");
    const [steps, c] = inputShape;
    const causal = this.padding === "causal";
    const g = conv2dGeometry(
      [1, 1, steps + (causal ? (this.kernelSize - 1) * this.dilationRate : 0), c],
      [1, this.kernelSize, c, this.filters],
      [1, this.strides],
      [1, this.dilationRate],
      causal ? "valid" : this.padding as Conv2dPadding,
      `${this.name}.computeOutputShape`,
    );
    return [g.outWidth, this.filters];
  }

  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    this.ensureBuilt(x.shape.slice(1));
    const [n, , c] = x.shape;
    const causal = this.padding === "causal";
    const xs = causal
      ? pad(x, [[0, 0], [(this.kernelSize - 1) * this.dilationRate, 0], [0, 0]])
      : x;
    const { fused, after } = splitActivation(this.activation);
    const y = conv2d(
      reshape(xs, [n, 1, xs.shape[1], c]),
      reshape(this.#kernel!, [1, this.kernelSize, c, this.filters]),
      {
        strides: [1, this.strides],
        padding: causal ? "valid" : this.padding as Conv2dPadding,
        dilations: [1, this.dilationRate],
        bias: this.#bias ?? undefined,
        activation: fused,
      },
    );
    const flat = reshape(y, [n, y.shape[2], this.filters]);
    const out = after ? after(flat) : flat;
    addActivityLoss(out, this.activityRegularizer);
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      ...kernelLayerConfig(this),
    };
  }
}

/** Arguments of `conv2dTranspose()`. */
export interface Conv2DTransposeArgs extends LayerArgs, KernelLayerArgs {
  /** Output channels. */
  filters: number;
  /** `[height, width]` of the kernel, or one number for both. */
  kernelSize: number | [number, number];
  /** Default 1. */
  strides?: number | [number, number];
  /** `"valid"` (default) or `"same"`. */
  padding?: Conv2dPadding;
}

/**
 * A transposed 2-D convolution over NHWC inputs: kernel `[kh, kw, filters, channels]` (Keras
 * layout), output size `in·stride` (`"same"`) or `in·stride + max(k - stride, 0)` (`"valid"`).
 */
export class Conv2DTranspose extends Layer {
  readonly className = "Conv2DTranspose";
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Conv2dPadding;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly l1: number;
  readonly l2: number;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly biasRegularizer: Regularizer;
  readonly activityRegularizer: Regularizer;
  #kernel: Tensor | null = null;
  #bias: Tensor | null = null;

  /** @param args See `Conv2DTransposeArgs`. */
  constructor(args: Conv2DTransposeArgs) {
    super(args, "conv2d_transpose", [
      "filters",
      "kernelSize",
      "strides",
      "padding",
      ...KERNEL_LAYER_KEYS,
    ], "conv2dTranspose");
    const fn = "conv2dTranspose";
    this.filters = checkPositiveInt(args?.filters, "filters", fn);
    this.kernelSize = checkPair(args.kernelSize, "kernelSize", fn);
    this.strides = checkPair(args.strides ?? 1, "strides", fn);
    this.padding = checkPadding(args.padding ?? "valid", fn);
    ({
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
      l1: this.l1,
      l2: this.l2,
      kernelConstraint: this.kernelConstraint,
      biasConstraint: this.biasConstraint,
      biasRegularizer: this.biasRegularizer,
      activityRegularizer: this.activityRegularizer,
    } = checkKernelLayerArgs(args, fn));
  }

  override weightShapes(inputShape: readonly number[]): { name: string; shape: number[] }[] {
    const c = inputShape[inputShape.length - 1];
    const kernel = { name: "kernel", shape: [...this.kernelSize, this.filters, c] };
    return this.useBias ? [kernel, { name: "bias", shape: [this.filters] }] : [kernel];
  }

  protected override build(inputShape: readonly number[]): void {
    const [kernel, bias] = this.weightShapes(inputShape);
    const penalties = kernelLayerPenalties(this);
    this.#kernel = this.addWeight("kernel", kernel.shape, this.kernelInitializer, penalties.kernel);
    if (bias) {
      this.#bias = this.addWeight("bias", bias.shape, this.biasInitializer, penalties.bias);
    }
  }

  /** Builds for the channels only: height and width may vary. */
  override ensureBuilt(inputShape: readonly number[]): void {
    checkSamples(this, inputShape, 3, "[height, width, channels]");
    super.ensureBuilt(inputShape.slice(-1));
  }

  /** `[outHeight, outWidth, filters]`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    checkSamples(this, inputShape, 3, "[height, width, channels]");
    const size = (n: number, k: number, s: number) =>
      this.padding === "same" ? n * s : n * s + Math.max(k - s, 0);
    return [
      size(inputShape[0], this.kernelSize[0], this.strides[0]),
      size(inputShape[1], this.kernelSize[1], this.strides[1]),
      this.filters,
    ];
  }

  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    this.ensureBuilt(x.shape.slice(1));
    const shape = [x.shape[0], ...this.computeOutputShape(x.shape.slice(1))];
    let y = conv2dTransposeOp(x, this.#kernel!, shape, this.strides, this.padding);
    if (this.#bias) y = add(y, this.#bias);
    const out = this.activation === "linear" ? y : activationFn(this.activation)(y);
    addActivityLoss(out, this.activityRegularizer);
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      ...kernelLayerConfig(this),
    };
  }
}

/** Arguments of `depthwiseConv2d()`. */
export interface DepthwiseConv2DArgs extends LayerArgs {
  /** `[height, width]` of the kernel, or one number for both. */
  kernelSize: number | [number, number];
  /** Filters per input channel; default 1. */
  depthMultiplier?: number;
  /** Default 1. */
  strides?: number | [number, number];
  /** `"valid"` (default) or `"same"`. */
  padding?: Conv2dPadding;
  /** Default 1; cannot exceed 1 together with `strides`. */
  dilationRate?: number | [number, number];
  /** Default `"linear"`. */
  activation?: ActivationName;
  /** Default true. */
  useBias?: boolean;
  /** Default `"glorotUniform"`. */
  depthwiseInitializer?: Initializer;
  /** Default `"zeros"`. */
  biasInitializer?: Initializer;
  /** Penalty on the depthwise kernel (`dn.regularizers`). */
  depthwiseRegularizer?: { l1?: number; l2?: number };
  /** Penalty on the bias. */
  biasRegularizer?: { l1?: number; l2?: number };
  /** Penalty on the layer's output (added to the loss in training). */
  activityRegularizer?: { l1?: number; l2?: number };
  /** Projection of the depthwise kernel after each step (`dn.constraints`). */
  depthwiseConstraint?: Constraint;
  /** Projection of the bias after each step. */
  biasConstraint?: Constraint;
}

/** Arguments of `separableConv2d()`. */
export interface SeparableConv2DArgs extends DepthwiseConv2DArgs {
  /** Output channels of the pointwise (1x1) convolution. */
  filters: number;
  /** Default `"glorotUniform"`. */
  pointwiseInitializer?: Initializer;
  /** Penalty on the pointwise kernel (`dn.regularizers`). */
  pointwiseRegularizer?: { l1?: number; l2?: number };
  /** Projection of the pointwise kernel after each step (`dn.constraints`). */
  pointwiseConstraint?: Constraint;
}

const DEPTHWISE_KEYS = [
  "kernelSize",
  "depthMultiplier",
  "strides",
  "padding",
  "dilationRate",
  "activation",
  "useBias",
  "depthwiseInitializer",
  "biasInitializer",
  ...weightPenaltyKeys(["depthwise", "bias"]),
  "activityRegularizer",
];

/** The shared part: the depthwise kernel, its arguments and its convolution. */
abstract class DepthwiseBase extends Layer {
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly padding: Conv2dPadding;
  readonly dilationRate: [number, number];
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  /** `depthwiseRegularizer`/`Constraint`, `biasRegularizer`/`Constraint` (and the pointwise pair). */
  readonly penalties: Record<string, WeightPenalty>;
  readonly activityRegularizer: Regularizer;
  protected depthwiseKernel: Tensor | null = null;

  constructor(
    args: DepthwiseConv2DArgs,
    prefix: string,
    fn: string,
    keys: string[],
    penalized: readonly string[],
  ) {
    super(args ?? {}, prefix, [...DEPTHWISE_KEYS, ...keys], fn);
    this.kernelSize = checkPair(args?.kernelSize, "kernelSize", fn);
    this.depthMultiplier = checkPositiveInt(args.depthMultiplier ?? 1, "depthMultiplier", fn);
    this.strides = checkPair(args.strides ?? 1, "strides", fn);
    this.dilationRate = checkPair(args.dilationRate ?? 1, "dilationRate", fn);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new RangeError(
        `Cannot run ${fn}(): "strides" and "dilationRate" cannot both exceed 1: got strides ${
          fmtShape(this.strides)
        } and dilationRate ${fmtShape(this.dilationRate)}`,
      );
    }
    this.padding = checkPadding(args.padding ?? "valid", fn);
    this.activation = checkActivation(args.activation, fn);
    if (args.useBias !== undefined && typeof args.useBias !== "boolean") {
      throw new TypeError(
        `Cannot run ${fn}(): argument "useBias" must be a boolean: got ${fmtValue(args.useBias)}`,
      );
    }
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = checkInitializer(
      args.depthwiseInitializer ?? "glorotUniform",
      "depthwiseInitializer",
      fn,
    );
    this.biasInitializer = checkInitializer(args.biasInitializer ?? "zeros", "biasInitializer", fn);
    this.penalties = checkWeightPenalties(
      args as unknown as Record<string, unknown>,
      penalized,
      fn,
    );
    this.activityRegularizer = checkRegularizer(
      args.activityRegularizer,
      "activityRegularizer",
      fn,
    );
  }

  /** Builds for the channels only: height and width may vary. */
  override ensureBuilt(inputShape: readonly number[]): void {
    checkSamples(this, inputShape, 3, "[height, width, channels]");
    super.ensureBuilt(inputShape.slice(-1));
  }

  /** The depthwise stage's `[outHeight, outWidth]`. */
  protected spatial(inputShape: readonly number[]): [number, number] {
    checkSamples(this, inputShape, 3, "[height, width, channels]");
    const c = inputShape[2];
    const g = conv2dGeometry(
      [1, ...inputShape],
      [...this.kernelSize, c, c * this.depthMultiplier],
      this.strides,
      this.dilationRate,
      this.padding,
      `${this.name}.computeOutputShape`,
    );
    return [g.outHeight, g.outWidth];
  }

  /** The depthwise convolution of `x` (output channel `c·M + m`, as TensorFlow's). */
  protected depthwise(x: Tensor, bias: Tensor | undefined, activation: ActivationName): Tensor {
    const y = depthwiseConv2dOp(
      x,
      this.depthwiseKernel!,
      this.strides,
      this.padding,
      "NHWC",
      this.dilationRate,
    );
    const z = bias ? add(y, bias) : y;
    return activation === "linear" ? z : activationFn(activation)(z);
  }

  /** Adds the bias weight, when the layer has one, with its penalties. */
  protected addBias(bias: { shape: number[] } | undefined): Tensor | null {
    return bias
      ? this.addWeight("bias", bias.shape, this.biasInitializer, this.penalties.bias)
      : null;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      depthMultiplier: this.depthMultiplier,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      activation: this.activation,
      useBias: this.useBias,
      depthwiseInitializer: initializerConfig(this.depthwiseInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      ...weightPenaltyConfig(this.penalties),
      ...(regularizerConfig(this.activityRegularizer)
        ? { activityRegularizer: regularizerConfig(this.activityRegularizer) }
        : {}),
    };
  }
}

/**
 * A depthwise 2-D convolution: each input channel convolved with its own `depthMultiplier`
 * filters; kernel `depthwise_kernel` `[kh, kw, channels, depthMultiplier]`, bias
 * `[channels·depthMultiplier]`.
 */
export class DepthwiseConv2D extends DepthwiseBase {
  readonly className = "DepthwiseConv2D";
  #bias: Tensor | null = null;

  /** @param args See `DepthwiseConv2DArgs`. */
  constructor(args: DepthwiseConv2DArgs) {
    super(args, "depthwise_conv2d", "depthwiseConv2d", [], ["depthwise", "bias"]);
  }

  override weightShapes(inputShape: readonly number[]): { name: string; shape: number[] }[] {
    const c = inputShape[inputShape.length - 1];
    const kernel = {
      name: "depthwise_kernel",
      shape: [...this.kernelSize, c, this.depthMultiplier],
    };
    return this.useBias ? [kernel, { name: "bias", shape: [c * this.depthMultiplier] }] : [kernel];
  }

  protected override build(inputShape: readonly number[]): void {
    const [kernel, bias] = this.weightShapes(inputShape);
    this.depthwiseKernel = this.addWeight(
      kernel.name,
      kernel.shape,
      this.depthwiseInitializer,
      this.penalties.depthwise,
    );
    this.#bias = this.addBias(bias);
  }

  /** `[outHeight, outWidth, channels·depthMultiplier]`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    return [...this.spatial(inputShape), inputShape[2] * this.depthMultiplier];
  }

  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    this.ensureBuilt(x.shape.slice(1));
    this.spatial(x.shape.slice(1));
    const out = this.depthwise(x, this.#bias ?? undefined, this.activation);
    addActivityLoss(out, this.activityRegularizer);
    return out;
  }
}

/**
 * A depthwise convolution followed by a pointwise (1x1) one: weights `depthwise_kernel`
 * `[kh, kw, channels, depthMultiplier]`, `pointwise_kernel` `[1, 1, channels·depthMultiplier,
 * filters]`, `bias` `[filters]` (Keras order); strides, padding and dilation apply to the
 * depthwise stage.
 */
export class SeparableConv2D extends DepthwiseBase {
  readonly className = "SeparableConv2D";
  readonly filters: number;
  readonly pointwiseInitializer: Initializer;
  #pointwise: Tensor | null = null;
  #bias: Tensor | null = null;

  /** @param args See `SeparableConv2DArgs`. */
  constructor(args: SeparableConv2DArgs) {
    super(args, "separable_conv2d", "separableConv2d", [
      "filters",
      "pointwiseInitializer",
      ...weightPenaltyKeys(["pointwise"]),
    ], ["depthwise", "pointwise", "bias"]);
    const fn = "separableConv2d";
    this.filters = checkPositiveInt(args.filters, "filters", fn);
    this.pointwiseInitializer = checkInitializer(
      args.pointwiseInitializer ?? "glorotUniform",
      "pointwiseInitializer",
      fn,
    );
  }

  override weightShapes(inputShape: readonly number[]): { name: string; shape: number[] }[] {
    const c = inputShape[inputShape.length - 1], m = this.depthMultiplier;
    return [
      { name: "depthwise_kernel", shape: [...this.kernelSize, c, m] },
      { name: "pointwise_kernel", shape: [1, 1, c * m, this.filters] },
      ...(this.useBias ? [{ name: "bias", shape: [this.filters] }] : []),
    ];
  }

  protected override build(inputShape: readonly number[]): void {
    const [depthwise, pointwise, bias] = this.weightShapes(inputShape);
    this.depthwiseKernel = this.addWeight(
      depthwise.name,
      depthwise.shape,
      this.depthwiseInitializer,
      this.penalties.depthwise,
    );
    this.#pointwise = this.addWeight(
      pointwise.name,
      pointwise.shape,
      this.pointwiseInitializer,
      this.penalties.pointwise,
    );
    this.#bias = this.addBias(bias);
  }

  /** `[outHeight, outWidth, filters]`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    return [...this.spatial(inputShape), this.filters];
  }

  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    this.ensureBuilt(x.shape.slice(1));
    this.spatial(x.shape.slice(1));
    const d = this.depthwise(x, undefined, "linear");
    const { fused, after } = splitActivation(this.activation);
    const y = conv2d(d, this.#pointwise!, { bias: this.#bias ?? undefined, activation: fused });
    const out = after ? after(y) : y;
    addActivityLoss(out, this.activityRegularizer);
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      pointwiseInitializer: initializerConfig(this.pointwiseInitializer),
    };
  }
}

/**
 * A 1-D convolution over `[batch, steps, channels]` (Keras `Conv1D`), on conv2d's kernels
 * through a height-1 view: kernel `[kernelSize, channels, filters]`, bias `[filters]`.
 *
 * @param args `filters`, `kernelSize`, `strides`, `padding` (`"valid"`, default, `"same"` or
 *   `"causal"`), `dilationRate`, `activation`, `useBias`, `kernelInitializer`,
 *   `biasInitializer`, `kernelRegularizer`, `biasRegularizer`, `activityRegularizer`,
 *   `kernelConstraint`, `biasConstraint`, and the common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `padding`, the activation or an initialiser name is unknown.
 * @throws {RangeError} When a size is not a positive integer, or strides and dilation both
 *   exceed 1.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.conv1d({ filters: 4, kernelSize: 3, padding: "causal" });
 * assert.deepEqual(layer.call(dn.ones([2, 10, 5])).shape, [2, 10, 4]);
 * assert.deepEqual(layer.weights.map((w) => w.value.shape), [[3, 5, 4], [4]]);
 * ```
 */
export function conv1d(args: Conv1DArgs): Conv1D {
  checkArity(arguments, ["args"], "conv1d");
  return new Conv1D(args);
}

/**
 * A transposed 2-D convolution over NHWC inputs (Keras `Conv2DTranspose`), the upsampling half
 * of convolutional autoencoders and GAN generators: kernel `[kh, kw, filters, channels]`,
 * bias `[filters]`.
 *
 * @param args `filters`, `kernelSize`, `strides`, `padding` (`"valid"`, default, or `"same"`),
 *   `activation`, `useBias`, `kernelInitializer`, `biasInitializer`, `kernelRegularizer`,
 *   `biasRegularizer`, `activityRegularizer`, `kernelConstraint`, `biasConstraint`, and the
 *   common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `padding`, the activation or an initialiser name is unknown.
 * @throws {RangeError} When a size is not a positive integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: "same" });
 * assert.deepEqual(layer.call(dn.ones([1, 7, 7, 8])).shape, [1, 14, 14, 3]);
 * assert.deepEqual(layer.weights[0].value.shape, [3, 3, 3, 8]);
 * ```
 */
export function conv2dTranspose(args: Conv2DTransposeArgs): Conv2DTranspose {
  checkArity(arguments, ["args"], "conv2dTranspose");
  return new Conv2DTranspose(args);
}

/**
 * A depthwise 2-D convolution over NHWC inputs (Keras `DepthwiseConv2D`): each channel with its
 * own `depthMultiplier` filters, output channel `c·depthMultiplier + m` (the kernels of
 * `dn.depthwiseConv2d`).
 *
 * @param args `kernelSize`, `depthMultiplier` (1), `strides`, `padding`, `dilationRate`,
 *   `activation`, `useBias`, `depthwiseInitializer`, `biasInitializer`,
 *   `depthwiseRegularizer`, `biasRegularizer`, `activityRegularizer`, `depthwiseConstraint`,
 *   `biasConstraint`, and the common layer arguments.
 * @returns The layer; weights `depthwise_kernel` `[kh, kw, channels, depthMultiplier]`, `bias`.
 * @throws {TypeError} When `padding`, the activation or an initialiser name is unknown.
 * @throws {RangeError} When a size is not a positive integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: "same" });
 * assert.deepEqual(layer.call(dn.ones([1, 8, 8, 4])).shape, [1, 8, 8, 8]);
 * assert.equal(layer.countParams(), 3 * 3 * 4 * 2 + 8);
 * ```
 */
export function depthwiseConv2d(args: DepthwiseConv2DArgs): DepthwiseConv2D {
  checkArity(arguments, ["args"], "depthwiseConv2d");
  return new DepthwiseConv2D(args);
}

/**
 * A depthwise-separable 2-D convolution (Keras `SeparableConv2D`): a depthwise convolution
 * (strides, padding, dilation) then a pointwise 1x1 convolution to `filters`, with the bias and
 * activation after the pointwise one.
 *
 * @param args `filters`, `kernelSize`, `depthMultiplier` (1), `strides`, `padding`,
 *   `dilationRate`, `activation`, `useBias`, `depthwiseInitializer`, `pointwiseInitializer`,
 *   `biasInitializer`, `depthwiseRegularizer`, `pointwiseRegularizer`, `biasRegularizer`,
 *   `activityRegularizer`, `depthwiseConstraint`, `pointwiseConstraint`, `biasConstraint`, and
 *   the common layer arguments.
 * @returns The layer; weights `depthwise_kernel`, `pointwise_kernel`, `bias` (Keras order).
 * @throws {TypeError} When `padding`, the activation or an initialiser name is unknown.
 * @throws {RangeError} When a size is not a positive integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.separableConv2d({ filters: 16, kernelSize: 3, activation: "relu" });
 * assert.deepEqual(layer.call(dn.ones([2, 9, 9, 8])).shape, [2, 7, 7, 16]);
 * assert.deepEqual(layer.weights.map((w) => w.value.shape), [[3, 3, 8, 1], [1, 1, 8, 16], [16]]);
 * ```
 */
export function separableConv2d(args: SeparableConv2DArgs): SeparableConv2D {
  checkArity(arguments, ["args"], "separableConv2d");
  return new SeparableConv2D(args);
}
