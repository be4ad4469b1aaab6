/**
 * `cumsum`: cumulative sums along an axis (the backend's scan), with its gradient.
 *
 * @module
 */
import { checkArity, checkAxis, checkTensor, fmtValue } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";

function checkFlag(value: unknown, arg: string): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(
      `Cannot run cumsum(): argument "${arg}" must be a boolean: got ${fmtValue(value)}`,
    );
  }
  return value;
}

function scan(x: Tensor, axis: number, exclusive: boolean, reverse: boolean): Tensor {
  const y = output(x.shape, "cumsum");
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  if (y.size > 0) {
    activeBackend().scan(x.storage, y.storage, outer, x.shape[axis], inner, exclusive, reverse);
  }
  return record(y, [x], (dy) => [scan(dy, axis, exclusive, !reverse)]);
}

/**
 * Cumulative sums along `axis`, as `tf.cumsum`: `y[j] = Σ x[t]` over `t <= j` (`t < j` when
 * `exclusive`; `t >= j`, `t > j` when `reverse`), added in sequence from the scan's start. The
 * gradient is the cumulative sum of `dy` in the other direction.
 *
 * @param x A float32 tensor of rank >= 1.
 * @param axis The axis (default 0); negative counts from the end.
 * @param exclusive Leave each element's own term out (default false).
 * @param reverse Sum from the end of the axis (default false).
 * @returns A tensor of `x`'s shape.
 * @throws {TypeError} When `x` is not a live float32 tensor of rank >= 1, a flag is not a boolean,
 *   or more than four arguments are passed.
 * @throws {RangeError} When the axis is out of range.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([1, 2, 3, 4]);
 * assert.deepEqual([...dn.cumsum(x).dataSync()], [1, 3, 6, 10]);
 * assert.deepEqual([...dn.cumsum(x, 0, true).dataSync()], [0, 1, 3, 6]);
 * assert.deepEqual([...dn.cumsum(x, 0, false, true).dataSync()], [10, 9, 7, 4]);
 * ```
 */
export function cumsum(x: Tensor, axis = 0, exclusive = false, reverse = false): Tensor {
  checkArity(arguments, ["x", "axis", "exclusive", "reverse"], "cumsum");
  checkTensor(x, "x", "cumsum");
  if (x.rank === 0) {
    throw new TypeError(`Cannot run cumsum(): argument "x" must have rank >= 1: got a scalar`);
  }
  const a = checkAxis(axis, x.rank, "axis", "cumsum");
  return scan(x, a, checkFlag(exclusive, "exclusive"), checkFlag(reverse, "reverse"));
}
