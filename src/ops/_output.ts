/** Allocates the output tensor of an op on the active backend, after checking that it fits. */
import { fmtShape } from "../_check.ts";
import type { Backend } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import { MAX_PAGES } from "../backend/wasm/module.ts";
import { track } from "../scope.ts";
import { type DType, storageUnits, Tensor, tensorMemory } from "../tensor.ts";

/** Most bytes the wasm memory (wasm and threads backends) can hold: 1 GiB. */
const WASM_MAX_BYTES = MAX_PAGES * 65536;

/**
 * Throws a RangeError, before anything is allocated or the memory grows, when a tensor of `shape`
 * and `dtype` cannot fit in the wasm memory: larger than its maximum, or than what the live tensors
 * leave of it. The allocator stays the last word (alignment, non-tensor scratch), and it too
 * refuses before growing the memory. WebGPU buffers have device limits of their own, not checked
 * here.
 */
export function checkFits(
  shape: readonly number[],
  fn: string | undefined,
  backend: Backend = activeBackend(),
  dtype: DType = "float32",
): void {
  if (backend.name === "webgpu") return;
  const bytes = storageUnits(dtype, shape.reduce((a, b) => a * b, 1)) * 4;
  if (bytes <= WASM_MAX_BYTES - tensorMemory(backend).numBytes) return;
  const inUse = tensorMemory(backend).numBytes;
  const what = `a ${dtype} tensor of shape ${fmtShape(shape)} needs ${bytes} bytes`;
  throw new RangeError(
    `${
      fn ? `Cannot run ${fn}(): the output does not fit in memory` : "Cannot allocate a tensor"
    }: ${what} and the wasm memory holds at most ${WASM_MAX_BYTES} bytes (1 GiB), ${inUse} of them used by live tensors`,
  );
}

/**
 * A new tensor of `shape` and `dtype` (default float32) with uninitialised storage on the active
 * backend, in the current scope. `fn` names the op in the error thrown when the tensor cannot fit
 * in memory.
 */
export function output(shape: readonly number[], fn?: string, dtype: DType = "float32"): Tensor {
  const backend = activeBackend();
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  const size = storageUnits(dtype, n);
  // checkFits (which throws) only past the quick test, without its second pass over the shape.
  if (size * 4 > WASM_MAX_BYTES - tensorMemory(backend).numBytes) {
    checkFits(shape, fn, backend, dtype);
  }
  return track(new Tensor(shape, backend, backend.alloc(size), undefined, dtype));
}

/** A view of `x` under `shape`, in the current scope. */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  return track(Tensor.view(x, shape));
}
