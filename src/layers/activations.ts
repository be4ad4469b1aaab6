/**
 * Activation functions by Keras name, as used by `dense({ activation })` and `activation()`.
 *
 * @module
 */
import { checkOneOf } from "../_check.ts";
import { softmax } from "../ops/softmax.ts";
import { relu, sigmoid, tanh } from "../ops/unary.ts";
import type { Tensor } from "../tensor.ts";

/** Activation names. */
export type ActivationName = "linear" | "relu" | "sigmoid" | "tanh" | "softmax";

/** All activation names, for validation. */
export const ACTIVATIONS: readonly ActivationName[] = [
  "linear",
  "relu",
  "sigmoid",
  "tanh",
  "softmax",
];

/** The function of an activation name. */
export function activationFn(name: ActivationName): (x: Tensor) => Tensor {
  switch (name) {
    case "relu":
      return relu;
    case "sigmoid":
      return sigmoid;
    case "tanh":
      return tanh;
    case "softmax":
      return softmax;
    case "linear":
      return (x) => x;
  }
}

/** Validates an activation name for `fn`. */
export function checkActivation(name: unknown, fn: string): ActivationName {
  return checkOneOf(name ?? "linear", ACTIVATIONS, "activation", fn);
}
