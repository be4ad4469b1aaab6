/**
 * Clipping values into a range: `clipByValue`.
 *
 * @module
 */
import { checkArity, checkTensor, fmtValue } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import { fused } from "../backend/fused_defaults.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { equal } from "./compare.ts";
import { where } from "./where.ts";
import { output } from "./_output.ts";

function checkBound(value: unknown, arg: string): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(
      `Cannot run clipByValue(): argument "${arg}" must be a number: got ${fmtValue(value)}`,
    );
  }
  return value;
}

/**
 * Clips every element into `[lo, hi]`: `min(max(x, lo), hi)`; NaN stays NaN. The gradient is `dy`
 * where `lo <= x <= hi` and 0 elsewhere (and at NaN).
 *
 * @param x Any shape.
 * @param lo Lower bound; may be `-Infinity`.
 * @param hi Upper bound, `>= lo`; may be `Infinity`. Both bounds are rounded to float32.
 * @returns A new tensor of the shape of `x`.
 * @throws {TypeError} When `x` is not a live tensor or a bound is not a number (or NaN).
 * @throws {RangeError} When `lo > hi`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.clipByValue(dn.tensor([-2, 0.5, 3]), 0, 1);
 * assert.deepEqual([...y.dataSync()], [0, 0.5, 1]);
 * ```
 */
export function clipByValue(x: Tensor, lo: number, hi: number): Tensor {
  checkArity(arguments, ["x", "lo", "hi"], "clipByValue");
  checkTensor(x, "x", "clipByValue");
  checkBound(lo, "lo");
  checkBound(hi, "hi");
  if (lo > hi) {
    throw new RangeError(
      `Cannot run clipByValue(): argument "lo" must not exceed "hi": got ${lo} and ${hi}`,
    );
  }
  const y = output(x.shape, "clipByValue");
  if (y.size > 0) fused(activeBackend()).clip(x.storage, y.storage, y.size, lo, hi);
  // Where the clip left x unchanged (lo <= x <= hi), y equals x and dy passes; NaN equals nothing.
  return record(y, [x], (dy, [x, y]) => [where(equal(y, x), dy, 0)], [x, y]);
}
