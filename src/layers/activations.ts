/**
 * Activation functions by TF.js/Keras name, as used by `dense({ activation })`,
 * `conv2d({ activation })` and `activation()`. The GEMM and convolution epilogues fuse the four
 * kernel activations (src/backend/activations.ts); a layer applies any other one as its own op
 * after the product ({@linkcode splitActivation}).
 *
 * @module
 */
import { checkOneOf } from "../_check.ts";
import { ACTIVATIONS as FUSED } from "../backend/activations.ts";
import type { Activation } from "../backend/backend.ts";
import { add, div, mul } from "../ops/arithmetic.ts";
import { elu, gelu, leakyRelu, selu, softplus, swish } from "../ops/activations.ts";
import { clipByValue } from "../ops/clip.ts";
import { softmax } from "../ops/softmax.ts";
import { abs, relu, sigmoid, tanh } from "../ops/unary.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";

/**
 * Activation names: TF.js's identifiers (`leakyRelu` is Keras 3's `leaky_relu`, slope 0.2;
 * `hardSigmoid` is TF.js's and Keras 2's `clip(0.2·x + 0.5, 0, 1)`; `gelu` the exact erf form).
 */
export type ActivationName =
  | "linear"
  | "relu"
  | "sigmoid"
  | "tanh"
  | "softmax"
  | "leakyRelu"
  | "elu"
  | "selu"
  | "gelu"
  | "swish"
  | "softplus"
  | "softsign"
  | "hardSigmoid";

const FUNCTIONS: Readonly<Record<ActivationName, (x: Tensor) => Tensor>> = {
  linear: (x) => x,
  relu,
  sigmoid,
  tanh,
  softmax: (x) => softmax(x),
  leakyRelu: (x) => leakyRelu(x, 0.2),
  elu,
  selu,
  gelu: (x) => gelu(x),
  swish,
  softplus,
  softsign: (x) => tidy(() => div(x, add(abs(x), 1))),
  hardSigmoid: (x) => tidy(() => clipByValue(add(mul(x, 0.2), 0.5), 0, 1)),
};

/** All activation names, for validation. */
export const ACTIVATIONS: readonly ActivationName[] = Object.freeze(
  Object.keys(FUNCTIONS) as ActivationName[],
);

/** The function of an activation name. */
export function activationFn(name: ActivationName): (x: Tensor) => Tensor {
  return FUNCTIONS[name];
}

/**
 * How a layer with a fused epilogue applies `name`: the activation its kernel fuses, and the
 * function to apply to the kernel's output afterwards (`null` when the kernel did it all).
 */
export function splitActivation(
  name: ActivationName,
): { fused: Activation; after: ((x: Tensor) => Tensor) | null } {
  return (FUSED as readonly string[]).includes(name)
    ? { fused: name as Activation, after: null }
    : { fused: "linear", after: FUNCTIONS[name] };
}

/** Validates an activation name for `fn`. */
export function checkActivation(name: unknown, fn: string): ActivationName {
  return checkOneOf(name ?? "linear", ACTIVATIONS, "activation", fn);
}
