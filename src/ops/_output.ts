/** Allocates the output tensor of an op on the active backend. */
import { activeBackend } from "../backend/select.ts";
import { Tensor } from "../tensor.ts";

/** A new tensor of `shape` with uninitialised storage on the active backend. */
export function output(shape: readonly number[]): Tensor {
  const backend = activeBackend();
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(shape, backend, backend.alloc(size));
}
