/**
 * 2-D pooling over NHWC tensors: `maxPool2d` and `avgPool2d`, with TensorFlow's output sizes,
 * "same"/"valid" padding and gradients.
 *
 * @module
 */
import {
  checkArity,
  checkOptions,
  checkPair,
  checkRank,
  checkTensor,
  fmtValue,
} from "../_check.ts";
import { record } from "../autograd/tape.ts";
import type { Pool2dArgs } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { checkPadding } from "./_geometry.ts";
import { type Pool2dPadding, poolGeometry } from "./_pool.ts";
import { output } from "./_output.ts";

export type { Pool2dPadding } from "./_pool.ts";

/** Options of `maxPool2d` and `avgPool2d`. */
export interface Pool2dOptions {
  /** Window size: `[height, width]`, or one number for both. */
  poolSize: number | [number, number];
  /** Step between windows: `[height, width]`, or one number for both; default `poolSize`. */
  strides?: number | [number, number];
  /** `"valid"` (default): windows inside the input; `"same"`: output size `⌈input / stride⌉`. */
  padding?: Pool2dPadding;
}

function prepare(x: Tensor, options: Pool2dOptions, fn: string): Pool2dArgs {
  checkTensor(x, "x", fn);
  checkRank(x, 4, "x", fn);
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "options" must be an object with "poolSize": got ${
        fmtValue(options)
      }`,
    );
  }
  checkOptions(options, ["poolSize", "strides", "padding"], fn);
  const pool = checkPair(options.poolSize, "poolSize", fn);
  const strides = checkPair(options.strides ?? pool, "strides", fn);
  const padding = checkPadding(options.padding ?? "valid", fn);
  return poolGeometry(x.shape, pool, strides, padding, fn);
}

function outputShape(p: Pool2dArgs): number[] {
  return [p.batch, p.outHeight, p.outWidth, p.channels];
}

/**
 * Max pooling: the largest value of each window, per channel. Padding never wins (it is not
 * read), and a window holding NaN gives NaN. The gradient goes to the first maximum of each
 * window in row-major window order (as TensorFlow), summed where windows overlap.
 *
 * @param x NHWC `[batch, height, width, channels]`.
 * @param options `poolSize`, `strides` (default `poolSize`), `padding` (default `"valid"`).
 * @returns `[batch, outHeight, outWidth, channels]`: `⌈(h - poolHeight + 1) / strideHeight⌉`
 *   rows for `"valid"`, `⌈h / strideHeight⌉` for `"same"`; likewise for columns.
 * @throws {TypeError} When `x` is not a live rank-4 tensor, `poolSize`/`strides` are not a number
 *   or two numbers, or `padding` is unknown.
 * @throws {RangeError} When `poolSize`/`strides` are not positive integers, or a `"valid"` window
 *   is larger than the input.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
 * const y = dn.maxPool2d(x, { poolSize: 2, strides: 1 });
 * assert.deepEqual(y.shape, [1, 2, 2, 1]);
 * assert.deepEqual([...y.dataSync()], [5, 6, 8, 9]);
 * ```
 */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  checkArity(arguments, ["x", "options"], "maxPool2d");
  const p = prepare(x, options, "maxPool2d");
  const y = output(outputShape(p), "maxPool2d");
  if (y.size > 0) activeBackend().maxPool2d(x.storage, y.storage, p);
  return record(y, [x], (dy, [x, y]) => {
    const dx = output(x.shape);
    if (dx.size > 0) {
      activeBackend().maxPool2dBackward(x.storage, y.storage, dy.storage, dx.storage, p);
    }
    return [dx];
  }, [x, y]);
}

/**
 * Average pooling: the mean of each window, per channel, over the window's elements inside the
 * input only (with `"same"` padding, border windows divide by their smaller count, as
 * TensorFlow and Keras do). The gradient spreads each window's `dy` evenly over those elements.
 *
 * @param x NHWC `[batch, height, width, channels]`.
 * @param options `poolSize`, `strides` (default `poolSize`), `padding` (default `"valid"`).
 * @returns `[batch, outHeight, outWidth, channels]`, sized as for `maxPool2d`.
 * @throws {TypeError} When `x` is not a live rank-4 tensor, `poolSize`/`strides` are not a number
 *   or two numbers, or `padding` is unknown.
 * @throws {RangeError} When `poolSize`/`strides` are not positive integers, or a `"valid"` window
 *   is larger than the input.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
 * const y = dn.avgPool2d(x, { poolSize: 2, padding: "same" });
 * assert.deepEqual(y.shape, [1, 2, 2, 1]);
 * assert.deepEqual([...y.dataSync()], [3, 4.5, 7.5, 9]);
 * ```
 */
export function avgPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  checkArity(arguments, ["x", "options"], "avgPool2d");
  const p = prepare(x, options, "avgPool2d");
  const y = output(outputShape(p), "avgPool2d");
  if (y.size > 0) activeBackend().avgPool2d(x.storage, y.storage, p);
  return record(y, [x], (dy) => {
    const dx = output(x.shape);
    if (dx.size > 0) activeBackend().avgPool2dBackward(dy.storage, dx.storage, p);
    return [dx];
  });
}
