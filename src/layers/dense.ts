/**
 * `dense`: `activation(x·kernel + bias)` with kernel `[inputDim, units]` and bias `[units]`
 * (Keras layouts), in one fused GEMM when the kernel fuses the activation (linear, relu, sigmoid,
 * tanh); any other activation runs as its own op after the product.
 *
 * @module
 */
import { checkPositiveInt, checkTensor, fmtShape } from "../_check.ts";
import { matmul } from "../ops/matmul.ts";
import { tidy } from "../scope.ts";
import { reshape } from "../ops/transform.ts";
import type { Tensor } from "../tensor.ts";
import {
  checkKernelLayerArgs,
  KERNEL_LAYER_KEYS,
  kernelLayerConfig,
  kernelLayerPenalties,
} from "./_args.ts";
import { activationFn, type ActivationName, splitActivation } from "./activations.ts";
import type { Initializer } from "./initializers.ts";
import { Layer, type LayerArgs } from "./layer.ts";
import type { Constraint } from "./constraints.ts";
import { addActivityLoss } from "./activity.ts";
import type { Regularizer } from "./regularizers.ts";

/** Arguments of `dense()`. */
export interface DenseArgs extends LayerArgs {
  /** Output size. */
  units: number;
  /** Default `"linear"`. */
  activation?: ActivationName;
  /** Default true. */
  useBias?: boolean;
  /** Default `"glorotUniform"`. */
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

/** A fully connected layer. */
export class Dense extends Layer {
  readonly className = "Dense";
  readonly units: number;
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

  /** @param args See `DenseArgs`. */
  constructor(args: DenseArgs) {
    super(args, "dense", ["units", ...KERNEL_LAYER_KEYS]);
    const fn = "dense";
    this.units = checkPositiveInt(args?.units, "units", fn);
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
    const inputDim = inputShape[inputShape.length - 1];
    if (inputShape.length === 0 || !(inputDim > 0)) {
      throw new RangeError(
        `Cannot build dense layer "${this.name}": samples must have a last dimension >= 1: got ${
          fmtShape(inputShape)
        }`,
      );
    }
    const kernel = { name: "kernel", shape: [inputDim, this.units] };
    return this.useBias ? [kernel, { name: "bias", shape: [this.units] }] : [kernel];
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape.slice(0, -1), this.units];
  }

  /** Builds for the last axis only: as Keras's Dense, leading sample dimensions may vary. */
  override ensureBuilt(inputShape: readonly number[]): void {
    super.ensureBuilt(inputShape.slice(-1));
  }

  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    this.ensureBuilt(x.shape.slice(1));
    const y = this.#apply(x, this.activation);
    addActivityLoss(y, this.activityRegularizer);
    return y;
  }

  /** The layer before its softmax (logits), for fused softmax cross-entropy losses. */
  callLogits(x: Tensor): Tensor {
    checkTensor(x, "x", `${this.name}.callLogits`);
    this.ensureBuilt(x.shape.slice(1));
    const z = this.#apply(x, "linear");
    addActivityLoss(() => activationFn(this.activation)(z), this.activityRegularizer);
    return z;
  }

  /** The product, bias and activation; intermediates (views, the pre-activation) are freed. */
  #apply(x: Tensor, activation: ActivationName): Tensor {
    return tidy(() => {
      const flat = x.rank === 2 ? x : reshape(x, [-1, x.shape[x.rank - 1]]);
      const { fused, after } = splitActivation(activation);
      let y = matmul(flat, this.#kernel!, { bias: this.#bias ?? undefined, activation: fused });
      if (after) y = after(y);
      return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), this.units]);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      ...kernelLayerConfig(this),
    };
  }
}
