/**
 * `pad`: a tensor inside a border of a constant. The output is filled by a broadcasting strided
 * copy of the constant (x stride 0), then `x` is copied into its interior; the gradient slices
 * the interior back out.
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import type { Storage } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { DType, Tensor } from "../tensor.ts";
import { output } from "./_output.ts";
import { copyInto, copyStrided, rowMajor } from "./_strided.ts";
import { sliceBox } from "./slice.ts";

/**
 * `x` surrounded by `constantValue`, as TF.js's `tf.pad`: any dtype.
 *
 * @param x Any rank.
 * @param paddings One `[before, after]` pair of non-negative integers per dimension of `x`.
 * @param constantValue The border's value (default 0): an integer for int32, 0 or 1 for bool.
 * @returns A new tensor of shape `before + x.shape[d] + after` per dimension, of `x`'s dtype.
 * @throws {TypeError} When `x` is not a live tensor or `paddings` is not an array of pairs.
 * @throws {RangeError} When `paddings` does not have one pair per dimension, a padding is
 *   negative or not an integer, or `constantValue` does not fit the dtype.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.pad(dn.tensor([[1, 2]]), [[1, 0], [0, 1]], 9);
 * assert.deepEqual(y.shape, [2, 3]);
 * assert.deepEqual([...y.dataSync()], [9, 9, 9, 1, 2, 9]);
 * ```
 */
export function pad(
  x: Tensor,
  paddings: readonly (readonly [number, number])[],
  constantValue = 0,
): Tensor {
  checkArity(arguments, ["x", "paddings", "constantValue"], "pad");
  const fn = "pad";
  checkTensor(x, "x", fn, ANY_DTYPE);
  if (
    !Array.isArray(paddings) ||
    paddings.some((p) =>
      !Array.isArray(p) || p.length !== 2 || p.some((v) => typeof v !== "number")
    )
  ) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "paddings" must be an array of [before, after] pairs: got ${
        fmtValue(paddings)
      }`,
    );
  }
  if (paddings.length !== x.rank) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "paddings" must hold one pair per dimension of x ${
        fmtShape(x.shape)
      }: got ${paddings.length} pairs`,
    );
  }
  if (paddings.some((p) => p.some((v: number) => !Number.isInteger(v) || v < 0))) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "paddings" must hold non-negative integers: got ${
        fmtValue(paddings)
      }`,
    );
  }
  const unit = constantUnit(constantValue, x.dtype, fn);
  const shape = x.shape.map((n, d) => paddings[d][0] + n + paddings[d][1]);
  const y = output(shape, fn, x.dtype);
  if (y.size > x.size) {
    const backend = activeBackend();
    const c: Storage = backend.alloc(1);
    try {
      backend.write(c, unit);
      copyStrided(c, y.storage, x.dtype, {
        dims: shape,
        xStrides: shape.map(() => 0),
        yStrides: rowMajor(shape),
      });
    } finally {
      backend.free(c);
    }
  }
  copyInto(x, y, paddings.map((p) => p[0]));
  return record(y, [x], (dy) => [sliceBox(dy, paddings.map((p) => p[0]), x.shape)]);
}

/** The storage unit holding `value` as an element of `dtype` (bool: its byte, four times). */
function constantUnit(value: unknown, dtype: DType, fn: string): Float32Array {
  const ok = typeof value === "number" &&
    (dtype === "float32" ||
      (dtype === "int32" && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) ||
      (dtype === "bool" && (value === 0 || value === 1)));
  if (!ok) {
    const want = dtype === "float32"
      ? "a number"
      : dtype === "int32"
      ? "an integer in the int32 range"
      : "0 or 1";
    throw new RangeError(
      `Cannot run ${fn}(): argument "constantValue" must be ${want} for a ${dtype} tensor: got ${
        fmtValue(value)
      }`,
    );
  }
  if (dtype === "float32") return Float32Array.of(value);
  if (dtype === "int32") return new Float32Array(Int32Array.of(value).buffer);
  return new Float32Array(Uint8Array.of(value, value, value, value).buffer);
}
