/**
 * The arguments the kernel layers `dense` and `conv2d` share (activation, bias, initialisers and
 * the kernel's and bias's penalties): their validation (STYLE C14) with Keras's defaults, and their config.
 *
 * @module
 */
import { type ActivationName, checkActivation } from "./activations.ts";
import { checkRegularizer, type Regularizer, regularizerConfig } from "./regularizers.ts";
import { checkConstraint, type Constraint, constraintConfig } from "./constraints.ts";
import { checkInitializer, type Initializer, initializerConfig } from "./initializers.ts";
import type { WeightPenalty } from "./_weight_penalties.ts";

/** Keys of {@linkcode KernelLayerArgs}, for the unknown-key check of `dense()` and `conv2d()`. */
export const KERNEL_LAYER_KEYS = [
  "activation",
  "useBias",
  "kernelInitializer",
  "biasInitializer",
  "kernelRegularizer",
  "biasRegularizer",
  "activityRegularizer",
  "kernelConstraint",
  "biasConstraint",
] as const;

/** The arguments `dense()` and `conv2d()` share, as the user passes them. */
export interface KernelLayerArgs {
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
  /** `dn.regularizers.l1/l2/l1l2(...)`, or `{ l1?, l2? }`. */
  kernelRegularizer?: { l1?: number; l2?: number };
  /** As `kernelRegularizer`, for the bias. */
  biasRegularizer?: { l1?: number; l2?: number };
  /** Penalty on the layer's output in training (`dn.regularizers`), divided by the batch size. */
  activityRegularizer?: { l1?: number; l2?: number };
  /** `dn.constraints.maxNorm/nonNeg/unitNorm(...)`, applied after each optimizer step. */
  kernelConstraint?: Constraint;
  /** As `kernelConstraint`, for the bias. */
  biasConstraint?: Constraint;
}

/** The shared arguments, validated and with defaults filled in. */
export interface KernelLayerOptions {
  activation: ActivationName;
  useBias: boolean;
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
  /** The kernel's penalties. */
  l1: number;
  l2: number;
  kernelConstraint: Constraint | null;
  biasConstraint: Constraint | null;
  biasRegularizer: Regularizer;
  activityRegularizer: Regularizer;
}

/** Validates the shared arguments of the kernel layer `fn`; defaults as Keras's. */
export function checkKernelLayerArgs(args: KernelLayerArgs, fn: string): KernelLayerOptions {
  const activation = checkActivation(args.activation, fn);
  const init = (value: unknown, fallback: Initializer, arg: string) =>
    checkInitializer(value ?? fallback, arg, fn);
  const kernelInitializer = init(args.kernelInitializer, "glorotUniform", "kernelInitializer");
  const biasInitializer = init(args.biasInitializer, "zeros", "biasInitializer");
  const { l1, l2 } = checkRegularizer(args.kernelRegularizer, "kernelRegularizer", fn);
  return {
    activation,
    useBias: args.useBias ?? true,
    kernelInitializer,
    biasInitializer,
    l1,
    l2,
    kernelConstraint: checkConstraint(args.kernelConstraint, "kernelConstraint", fn),
    biasConstraint: checkConstraint(args.biasConstraint, "biasConstraint", fn),
    biasRegularizer: checkRegularizer(args.biasRegularizer, "biasRegularizer", fn),
    activityRegularizer: checkRegularizer(args.activityRegularizer, "activityRegularizer", fn),
  };
}

/** The shared arguments as Keras config entries, the regularizer only when set. */
export function kernelLayerConfig(layer: KernelLayerOptions): Record<string, unknown> {
  return {
    activation: layer.activation,
    useBias: layer.useBias,
    kernelInitializer: initializerConfig(layer.kernelInitializer),
    biasInitializer: initializerConfig(layer.biasInitializer),
    ...(layer.l1 || layer.l2 ? { kernelRegularizer: regularizerConfig(layer) } : {}),
    ...(layer.kernelConstraint
      ? { kernelConstraint: constraintConfig(layer.kernelConstraint) }
      : {}),
    ...(layer.biasConstraint ? { biasConstraint: constraintConfig(layer.biasConstraint) } : {}),
    ...(regularizerConfig(layer.biasRegularizer)
      ? { biasRegularizer: regularizerConfig(layer.biasRegularizer) }
      : {}),
    ...(regularizerConfig(layer.activityRegularizer)
      ? { activityRegularizer: regularizerConfig(layer.activityRegularizer) }
      : {}),
  };
}

/** The kernel's and the bias's penalties (`addWeight`'s last argument) of a kernel layer. */
export function kernelLayerPenalties(
  layer: KernelLayerOptions,
): { kernel: WeightPenalty; bias: WeightPenalty } {
  return {
    kernel: { regularizer: { l1: layer.l1, l2: layer.l2 }, constraint: layer.kernelConstraint },
    bias: { regularizer: layer.biasRegularizer, constraint: layer.biasConstraint },
  };
}
