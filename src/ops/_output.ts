/** Allocates the output tensor of an op on the active backend. */
import { activeBackend } from "../backend/select.ts";
import { track } from "../scope.ts";
import { Tensor } from "../tensor.ts";

/** A new tensor of `shape` with uninitialised storage on the active backend, in the current scope. */
export function output(shape: readonly number[]): Tensor {
  const backend = activeBackend();
  const size = shape.reduce((a, b) => a * b, 1);
  return track(new Tensor(shape, backend, backend.alloc(size)));
}

/** A view of `x` under `shape`, in the current scope. */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  return track(Tensor.view(x, shape));
}
