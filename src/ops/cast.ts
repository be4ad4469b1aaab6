/**
 * Dtype conversion: `cast`.
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkTensor } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import { activeBackend } from "../backend/select.ts";
import type { DType, Tensor } from "../tensor.ts";
import { checkDType } from "./creation.ts";
import { output, view } from "./_output.ts";

/**
 * Converts `x` to `dtype`, as `tf.cast`: float32 to int32 truncates toward zero and saturates at
 * the int32 range (NaN gives 0); anything to bool is `x != 0` (NaN gives true); bool to a number
 * gives 0 or 1; int32 to float32 rounds to the nearest float. Casting to the same dtype returns a
 * view of `x` (no copy). The gradient flows through float32 to float32 only (as TF.js).
 *
 * @param x A float32, int32 or bool tensor.
 * @param dtype "float32", "int32" or "bool".
 * @returns A new tensor of the same shape and `dtype`.
 * @throws {TypeError} When `x` is not a live tensor or `dtype` is not a dtype name.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const i = dn.cast(dn.tensor([1.7, -1.7, 0]), "int32");
 * assert.deepEqual([...i.dataSync<"int32">()], [1, -1, 0]);
 * const b = dn.cast(i, "bool");
 * assert.deepEqual([...b.dataSync<"bool">()], [1, 1, 0]);
 * assert.deepEqual([...dn.cast(b, "float32").dataSync()], [1, 1, 0]);
 * ```
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkArity(arguments, ["x", "dtype"], "cast");
  checkTensor(x, "x", "cast", ANY_DTYPE);
  const to = checkDType(dtype, "dtype", "cast");
  if (to === x.dtype) return record(view(x, x.shape), [x], (dy) => [dy]);
  const y = output(x.shape, "cast", to);
  if (y.size > 0) activeBackend().cast(x.storage, x.dtype, y.storage, to, x.size);
  return y;
}
