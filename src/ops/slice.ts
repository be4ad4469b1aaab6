/**
 * `slice`: a box of a tensor, copied by one strided copy; its gradient pads the box back.
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";
import { checkIntOrArray, checkLength } from "./_shape_args.ts";
import { copyStrided, rowMajor } from "./_strided.ts";
import { pad } from "./pad.ts";
import { reshape } from "./transform.ts";

/**
 * The box of `x` that starts at `begin` and spans `size`, as TF.js's `tf.slice`: any dtype.
 *
 * @param x Any rank.
 * @param begin Start index per dimension; a number is the start along the first dimension, and
 *   missing trailing entries are 0.
 * @param size Extent per dimension; `-1` (or a missing trailing entry, or no `size` at all)
 *   takes everything from `begin` to the end.
 * @returns A new tensor of shape `size` (with `-1` resolved), of `x`'s dtype.
 * @throws {TypeError} When `x` is not a live tensor, or `begin`/`size` are not integers.
 * @throws {RangeError} When `begin` or `size` have more entries than `x` has dimensions, or the
 *   box leaves `x`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([[1, 2, 3], [4, 5, 6]]);
 * const y = dn.slice(x, [0, 1], [2, -1]);
 * assert.deepEqual(y.shape, [2, 2]);
 * assert.deepEqual([...y.dataSync()], [2, 3, 5, 6]);
 * ```
 */
export function slice(
  x: Tensor,
  begin: number | readonly number[],
  size?: number | readonly number[],
): Tensor {
  checkArity(arguments, ["x", "begin", "size"], "slice");
  const fn = "slice";
  checkTensor(x, "x", fn, ANY_DTYPE);
  const b = checkIntOrArray(begin, "begin", fn);
  checkLength(b, x.rank, "begin", fn, x.shape, true);
  const s = size === undefined ? [] : checkIntOrArray(size, "size", fn);
  checkLength(s, x.rank, "size", fn, x.shape, true);
  const starts = x.shape.map((_, d) => b[d] ?? 0);
  const sizes = x.shape.map((n, d) => {
    const start = starts[d];
    if (start < 0 || start > n) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "begin" must lie in x ${
          fmtShape(x.shape)
        }: got ${start} for dimension ${d} (extent ${n}) in ${fmtValue(begin)}`,
      );
    }
    const want = s[d] ?? -1;
    const got = want === -1 ? n - start : want;
    if (got < 0 || start + got > n) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "size" must keep the box in x ${
          fmtShape(x.shape)
        } (non-negative, or -1 to the end): got ${want} from begin ${start} in dimension ${d} (extent ${n})`,
      );
    }
    return got;
  });
  return sliceBox(x, starts, sizes);
}

/**
 * The box `[begin, begin + size)` of `x`, arguments already checked (gradients, split, unstack),
 * shaped as `shape` (the box's own shape by default; unstack drops the sliced axis); `fn` names
 * the op in the error thrown when the output does not fit in memory.
 */
export function sliceBox(
  x: Tensor,
  begin: readonly number[],
  size: readonly number[],
  shape: readonly number[] = size,
  fn = "slice",
): Tensor {
  const y = output(shape, fn, x.dtype);
  const xs = rowMajor(x.shape);
  copyStrided(x.storage, y.storage, x.dtype, {
    dims: size,
    xStrides: xs,
    yStrides: rowMajor(size),
    xOffset: begin.reduce((a, b, d) => a + b * xs[d], 0),
  });
  return record(y, [x], (dy) => [
    pad(
      shape === size ? dy : reshape(dy, size),
      x.shape.map((n, d) => [begin[d], n - begin[d] - size[d]]),
    ),
  ]);
}
