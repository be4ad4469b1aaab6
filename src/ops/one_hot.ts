/**
 * One-hot encoding of class indices: `oneHot`.
 *
 * @module
 */
import { checkArity, checkPositiveInt, checkTensor, fmtShape } from "../_check.ts";
import type { Tensor } from "../tensor.ts";
import { cast } from "./cast.ts";
import { equal } from "./compare.ts";
import { tensor } from "./creation.ts";
import { reshape } from "./transform.ts";

/**
 * `oneHot` with the caller's name and argument in messages (the losses and metrics call it),
 * computed on the device as `indices[..., None] == [0 .. depth)`. On the CPU backends the indices
 * are read back first and validated. WebGPU cannot read synchronously, so there they are not: an
 * index that is fractional or out of range gives a row of zeros (as TensorFlow.js does on its GPU
 * backends).
 */
export function oneHotFor(indices: Tensor, depth: number, arg: string, fn: string): Tensor {
  checkTensor(indices, arg, fn, ["int32", "float32"]);
  checkPositiveInt(depth, "depth", fn);
  if (indices.backend.supports("readSync")) {
    indices.dataSync().forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= depth) {
        throw new RangeError(
          `Cannot run ${fn}(): argument "${arg}" must hold integers in [0, ${depth}): got ${v} at flat index ${i} of shape ${
            fmtShape(indices.shape)
          }`,
        );
      }
    });
  }
  using classes = tensor(Float32Array.from({ length: depth }, (_, i) => i), [depth]);
  using column = reshape(indices, [...indices.shape, 1]);
  using hot = equal(column, classes);
  return cast(hot, "float32");
}

/**
 * One-hot encoding: each index `k` becomes a row of `depth` values, 1 at position `k` and 0
 * elsewhere. Not differentiable (indices are discrete).
 *
 * @param indices Any shape; int32 (as TF.js) or float32 values holding integers in `[0, depth)`.
 * @param depth Number of classes, a positive integer.
 * @returns A new float32 tensor of shape `[...indices.shape, depth]`.
 * @throws {TypeError} When `indices` is not a live int32 or float32 tensor.
 * @throws {RangeError} When `depth` is not a positive integer, or an index is fractional or
 *   outside `[0, depth)`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.oneHot(dn.tensor([2, 0]), 3);
 * assert.deepEqual(y.shape, [2, 3]);
 * assert.deepEqual([...y.dataSync()], [0, 0, 1, 1, 0, 0]);
 * assert.deepEqual([...dn.oneHot(dn.tensor([1], [1], "int32"), 2).dataSync()], [0, 1]);
 * ```
 */
export function oneHot(indices: Tensor, depth: number): Tensor {
  checkArity(arguments, ["indices", "depth"], "oneHot");
  return oneHotFor(indices, depth, "indices", "oneHot");
}
