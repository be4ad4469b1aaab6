/**
 * Reductions over axes: `sum`, `mean`, `max`, `argMax`.
 *
 * @module
 */
import { checkArity, checkAxis, checkOptions, checkTensor, fmtValue } from "../_check.ts";
import type { ReduceOp } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { output, view } from "./_output.ts";
import { record } from "../autograd/tape.ts";
import { add, equal, mul } from "./arithmetic.ts";
import { fill } from "./creation.ts";
import { reshape } from "./transform.ts";

/**
 * Options of `sum()`, `mean()` and `max()`; TensorFlow.js's positional form (`max(x, axis, true)`)
 * passes `keepDims` as a boolean instead.
 */
export interface ReduceOptions {
  /** Keep reduced axes as dimensions of size 1 (default false). */
  keepDims?: boolean;
}

function axesOf(axis: unknown, rank: number, fn: string): number[] {
  if (axis === undefined || axis === null) return [...Array(rank).keys()];
  const list = Array.isArray(axis) ? axis : [axis];
  const axes = list.map((a) => checkAxis(a, rank, "axis", fn));
  if (new Set(axes).size !== axes.length) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "axis" must not repeat an axis: got ${fmtValue(axis)}`,
    );
  }
  return axes.sort((a, b) => b - a);
}

/** Reduces one axis of a tensor of `shape` held in `x`; returns the new tensor (keepDims shape). */
function reduceAxis(op: ReduceOp, x: Tensor, axis: number, fn: string, mean: boolean): Tensor {
  const shape = x.shape;
  const len = shape[axis];
  if (len === 0 && op !== "sum") {
    throw new RangeError(
      `Cannot run ${fn}(): axis ${axis} of "x" must not be empty: got shape [${shape.join(", ")}]`,
    );
  }
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const y = output(shape.map((d, i) => (i === axis ? 1 : d)), fn);
  const backend = activeBackend();
  if (y.size > 0) {
    if (len === 0) backend.fill(y.storage, mean ? NaN : 0, y.size);
    else backend.reduce(op, x.storage, y.storage, outer, len, inner, mean ? 1 / len : 1);
  }
  return y;
}

/** `keepDims` from an options object or TensorFlow.js's positional boolean. */
function keepDimsOf(options: unknown, fn: string): boolean {
  if (typeof options === "boolean") return options;
  const keepDims = checkOptions(options, ["keepDims"], fn).keepDims ?? false;
  if (typeof keepDims !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): option "keepDims" must be a boolean: got ${fmtValue(keepDims)}`,
    );
  }
  return keepDims;
}

function reduce(
  op: ReduceOp,
  x: Tensor,
  axis: number | number[] | undefined,
  keepDims: boolean,
  fn: string,
  mean = false,
): Tensor {
  checkTensor(x, "x", fn);
  const axes = axesOf(axis, x.rank, fn);
  let current = x;
  for (const a of axes) {
    const next = reduceAxis(op, current, a, fn, mean);
    if (current !== x) current.dispose();
    current = next;
  }
  const kept = current.shape;
  const shape = keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
  const result = view(current, shape);
  if (current !== x) current.dispose();
  if (op === "argMax") return result;
  return record(result, [x], (dy, saved) => {
    // dy (kept dims) broadcasts back over the reduced axes; mean scales the small dy, not the
    // spread; max sends it to every maximum (ties share it) through the broadcasting mul.
    const g = reshape(dy, kept);
    if (op === "sum") {
      return [add(fill(x.shape, 0), mean ? mul(g, kept.reduce((a, d) => a * d, 1) / x.size) : g)];
    }
    const [input, maxima] = saved;
    return [mul(equal(input, reshape(maxima, kept)), g)];
  }, op === "max" ? [x, result] : []);
}

/**
 * Sum over `axis` (all axes when omitted).
 *
 * @param x Any shape.
 * @param axis An axis, a list of axes, or undefined for all; negative axes count from the end.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns The sums.
 * @throws {TypeError} When `x` is not a live tensor, an option is unknown or `keepDims` is not a
 *   boolean, or more than three arguments are passed.
 * @throws {RangeError} When an axis is out of range or repeated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([[1, 2, 3], [4, 5, 6]]);
 * assert.deepEqual([...dn.sum(x, 0).dataSync()], [5, 7, 9]);
 * assert.deepEqual([...dn.sum(x).dataSync()], [21]);
 * ```
 */
export function sum(
  x: Tensor,
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): Tensor {
  checkArity(arguments, ["x", "axis", "options"], "sum");
  return reduce("sum", x, axis, keepDimsOf(options, "sum"), "sum");
}

/**
 * Mean over `axis` (all axes when omitted).
 *
 * @param x Any shape.
 * @param axis An axis, a list of axes, or undefined for all; negative axes count from the end.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns The means.
 * @throws {TypeError} When `x` is not a live tensor, an option is unknown or `keepDims` is not a
 *   boolean, or more than three arguments are passed.
 * @throws {RangeError} When an axis is out of range or repeated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.mean(dn.tensor([[1, 2], [3, 4]]), 1).dataSync()], [1.5, 3.5]);
 * ```
 */
export function mean(
  x: Tensor,
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): Tensor {
  checkArity(arguments, ["x", "axis", "options"], "mean");
  return reduce("sum", x, axis, keepDimsOf(options, "mean"), "mean", true);
}

/**
 * Maximum over `axis` (all axes when omitted); NaN wins.
 *
 * @param x Any shape.
 * @param axis An axis, a list of axes, or undefined for all; negative axes count from the end.
 * @param options `keepDims`, or `keepDims` itself as a boolean (TensorFlow.js's positional form).
 * @returns The maxima.
 * @throws {TypeError} When `x` is not a live tensor, an option is unknown or `keepDims` is not a
 *   boolean, or more than three arguments are passed.
 * @throws {RangeError} When an axis is out of range, repeated, or empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.max(dn.tensor([[1, 5], [7, 2]]), -1).dataSync()], [5, 7]);
 * ```
 */
export function max(
  x: Tensor,
  axis?: number | number[],
  options: ReduceOptions | boolean = {},
): Tensor {
  checkArity(arguments, ["x", "axis", "options"], "max");
  return reduce("max", x, axis, keepDimsOf(options, "max"), "max");
}

/**
 * Index of the first maximum along `axis`, as float32 values (exact up to 2^24).
 *
 * @param x Any shape of rank >= 1.
 * @param axis The axis (default 0, as in TensorFlow.js); negative counts from the end.
 * @returns The indices, with `axis` removed from the shape.
 * @throws {TypeError} When `x` is not a live tensor.
 * @throws {RangeError} When the axis is out of range or empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.argMax(dn.tensor([[1, 5, 2], [9, 0, 9]]), 1).dataSync()], [1, 0]);
 * ```
 */
export function argMax(x: Tensor, axis = 0): Tensor {
  checkArity(arguments, ["x", "axis"], "argMax");
  checkTensor(x, "x", "argMax");
  return reduce("argMax", x, checkAxis(axis, x.rank, "axis", "argMax"), false, "argMax");
}
