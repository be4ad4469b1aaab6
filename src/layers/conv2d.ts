/**
 * `conv2d`: `activation(conv2d(x, kernel) + bias)` over NHWC inputs, kernel
 * `[kernelHeight, kernelWidth, inChannels, filters]` and bias `[filters]` (Keras layouts), with
 * the bias and activation fused into the convolution's GEMM when the kernel fuses the activation
 * (linear, relu, sigmoid, tanh); any other activation runs as its own op afterwards.
 *
 * @module
 */
import { checkPair, checkPositiveInt, checkTensor, fmtShape } from "../_check.ts";
import { checkPadding } from "../ops/_geometry.ts";
import { conv2d, conv2dGeometry, type Conv2dPadding } from "../ops/conv.ts";
import type { Tensor } from "../tensor.ts";
import {
  checkKernelLayerArgs,
  KERNEL_LAYER_KEYS,
  kernelLayerConfig,
  kernelLayerPenalties,
} from "./_args.ts";
import { type ActivationName, splitActivation } from "./activations.ts";
import type { Initializer } from "./initializers.ts";
import { Layer, type LayerArgs } from "./layer.ts";
import type { Constraint } from "./constraints.ts";
import { addActivityLoss } from "./activity.ts";
import type { Regularizer } from "./regularizers.ts";

/** Arguments of `conv2d()`. */
export interface Conv2DArgs extends LayerArgs {
  /** Output channels. */
  filters: number;
  /** `[height, width]` of the kernel, or one number for both. */
  kernelSize: number | [number, number];
  /** Default 1. */
  strides?: number | [number, number];
  /** `"valid"` (default) or `"same"`. */
  padding?: Conv2dPadding;
  /** Spacing between kernel taps (default 1); cannot exceed 1 together with `strides`. */
  dilationRate?: number | [number, number];
  /** Default `"linear"`. */
  activation?: ActivationName;
  /** Default true. */
  useBias?: boolean;
  /** Default `"glorotUniform"` (fans: receptive field times channels). */
  kernelInitializer?: Initializer;
  /** Default `"zeros"`. */
  biasInitializer?: Initializer;
  /** Penalty on the kernel (`dn.regularizers.l1/l2/l1l2`): adds `l1 · Σ|kernel| + l2 · Σkernel²` to the loss. */
  kernelRegularizer?: { l1?: number; l2?: number };
  /** Penalty on the bias (`dn.regularizers`), as `kernelRegularizer`. */
  biasRegularizer?: { l1?: number; l2?: number };
  /** Projection of the kernel after each optimizer step (`dn.constraints`). */
  kernelConstraint?: Constraint;
  /** Projection of the bias after each optimizer step (`dn.constraints`). */
  biasConstraint?: Constraint;
  /** Penalty on the output in training (`dn.regularizers`), divided by the batch size. */
  activityRegularizer?: { l1?: number; l2?: number };
}

/** A 2-D convolution layer over NHWC inputs (channels last, as Keras's default). */
export class Conv2D extends Layer {
  readonly className = "Conv2D";
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Conv2dPadding;
  readonly dilationRate: [number, number];
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

  /** @param args See `Conv2DArgs`. */
  constructor(args: Conv2DArgs) {
    super(args, "conv2d", [
      "filters",
      "kernelSize",
      "strides",
      "padding",
      "dilationRate",
      ...KERNEL_LAYER_KEYS,
    ]);
    const fn = "conv2d";
    this.filters = checkPositiveInt(args?.filters, "filters", fn);
    this.kernelSize = checkPair(args.kernelSize, "kernelSize", fn);
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

  protected override build(inputShape: readonly number[]): void {
    const [kernel, bias] = this.weightShapes(inputShape);
    const penalties = kernelLayerPenalties(this);
    this.#kernel = this.addWeight("kernel", kernel.shape, this.kernelInitializer, penalties.kernel);
    if (bias) {
      this.#bias = this.addWeight("bias", bias.shape, this.biasInitializer, penalties.bias);
    }
  }

  override weightShapes(inputShape: readonly number[]): { name: string; shape: number[] }[] {
    const inChannels = inputShape[inputShape.length - 1];
    if (!(inChannels > 0)) {
      throw new RangeError(
        `Cannot build conv2d layer "${this.name}": samples must be [height, width, channels] with channels >= 1: got ${
          fmtShape(inputShape)
        }`,
      );
    }
    const kernel = { name: "kernel", shape: [...this.kernelSize, inChannels, this.filters] };
    return this.useBias ? [kernel, { name: "bias", shape: [this.filters] }] : [kernel];
  }

  /** `[outHeight, outWidth, filters]` for samples `[height, width, channels]`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3) {
      throw new RangeError(
        `Cannot apply conv2d layer "${this.name}": samples must have shape [height, width, channels]: got ${
          fmtShape(inputShape)
        }`,
      );
    }
    const g = conv2dGeometry(
      [1, ...inputShape],
      [...this.kernelSize, inputShape[2], this.filters],
      this.strides,
      this.dilationRate,
      this.padding,
      `${this.name}.computeOutputShape`,
    );
    return [g.outHeight, g.outWidth, this.filters];
  }

  /** Builds for the channel axis only: as Keras's Conv2D, height and width may vary. */
  override ensureBuilt(inputShape: readonly number[]): void {
    super.ensureBuilt(inputShape.slice(-1));
  }

  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    this.ensureBuilt(x.shape.slice(1));
    const { fused, after } = splitActivation(this.activation);
    const y = conv2d(x, this.#kernel!, {
      strides: this.strides,
      padding: this.padding,
      dilations: this.dilationRate,
      bias: this.#bias ?? undefined,
      activation: fused,
    });
    const out = after ? after(y) : y;
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
