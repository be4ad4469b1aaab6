/**
 * What the reductions share: reading `axis` (a number, a list, or undefined for all) and
 * `keepDims` (an options object or TF.js's positional boolean), and reducing a tensor over a set
 * of axes by one backend reduce per run of adjacent axes, the last run first.
 *
 * @module
 */
import { checkAxis, checkOptions, fmtShape, fmtValue } from "../_check.ts";
import type { ReduceOp } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { output, view } from "./_output.ts";

/**
 * Options of the reductions; TensorFlow.js's positional form (`max(x, axis, true)`) passes
 * `keepDims` as a boolean instead.
 */
export interface ReduceOptions {
  /** Keep reduced axes as dimensions of size 1 (default false). */
  keepDims?: boolean;
}

/**
 * The axes `axis` names for a tensor of rank `rank`, normalised and sorted from the last: all
 * of them when undefined, none for an empty list.
 */
export function axesOf(axis: unknown, rank: number, fn: string): number[] {
  if (axis === undefined || axis === null) return [...Array(rank).keys()].reverse();
  if (typeof axis !== "number" && !Array.isArray(axis)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "axis" must be an axis, a list of axes or undefined: got ${
        fmtValue(axis)
      }`,
    );
  }
  const list: unknown[] = Array.isArray(axis) ? axis : [axis];
  const axes = list.map((a) => checkAxis(a, rank, "axis", fn));
  if (new Set(axes).size !== axes.length) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "axis" must not repeat an axis: got ${fmtValue(axis)}`,
    );
  }
  return axes.sort((a, b) => b - a);
}

/** `keepDims` from an options object or TensorFlow.js's positional boolean. */
export function keepDimsOf(options: unknown, fn: string): boolean {
  if (typeof options === "boolean") return options;
  const keepDims = checkOptions(options, ["keepDims"], fn).keepDims ?? false;
  if (typeof keepDims !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): option "keepDims" must be a boolean: got ${fmtValue(keepDims)}`,
    );
  }
  return keepDims;
}

/** `shape` with `axes` set to 1 (keepDims) or removed. */
export function reducedShape(
  shape: readonly number[],
  axes: readonly number[],
  keepDims: boolean,
): number[] {
  return keepDims
    ? shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : shape.filter((_, i) => !axes.includes(i));
}

/** Throws a RangeError when one of `axes` of `x` is empty (a max or min of nothing). */
function checkNotEmpty(x: Tensor, axes: readonly number[], fn: string): void {
  const empty = axes.find((a) => x.shape[a] === 0);
  if (empty !== undefined) {
    throw new RangeError(
      `Cannot run ${fn}(): axis ${empty} of "x" must not be empty: got shape ${fmtShape(x.shape)}`,
    );
  }
}

/**
 * Reduces `x` over the adjacent axes `[first, first + count)` in one pass, seen as
 * `[outer, len, inner]`, into a new tensor of `x`'s shape with those axes 1 (sums times `scale`;
 * an empty slice gives `empty` everywhere).
 */
function reduceRun(
  op: ReduceOp,
  x: Tensor,
  first: number,
  count: number,
  fn: string,
  mean: boolean,
  empty: number,
): Tensor {
  const shape = x.shape;
  const size = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
  const outer = size(shape.slice(0, first));
  const len = size(shape.slice(first, first + count));
  const inner = size(shape.slice(first + count));
  const int = x.dtype === "int32";
  const dtype = int || op === "argMax" || op === "argMin" ? "int32" : "float32";
  const y = output(shape.map((d, i) => (i >= first && i < first + count ? 1 : d)), fn, dtype);
  const backend = activeBackend();
  if (y.size > 0) {
    if (len === 0) backend.fill(y.storage, empty, y.size);
    else {
      const scale = mean ? 1 / len : 1;
      backend.reduce(op, x.storage, y.storage, outer, len, inner, scale, int ? "int32" : "float32");
    }
  }
  return y;
}

/**
 * `x` (float32, or int32 for a sum) reduced by `op` over `axes` (from axesOf), in `x`'s shape with
 * the reduced axes 1 (keepDims); `mean` scales sums by 1/len. Each run of adjacent axes reduces
 * in one pass (all axes of a tensor: one pass), the last run first. A view of `x` for no axes.
 */
export function reduceKept(
  op: ReduceOp,
  x: Tensor,
  axes: readonly number[],
  fn: string,
  mean = false,
): Tensor {
  if (op !== "sum" && op !== "prod") checkNotEmpty(x, axes, fn);
  const empty = op === "prod" ? 1 : mean ? NaN : 0;
  let current = x;
  for (let r = 0; r < axes.length;) {
    // axes are sorted from the last: a run is axes[r], axes[r] - 1, ...
    let count = 1;
    while (r + count < axes.length && axes[r + count] === axes[r] - count) count++;
    const next = reduceRun(op, current, axes[r] - count + 1, count, fn, mean, empty);
    if (current !== x) current.dispose();
    current = next;
    r += count;
  }
  return current === x ? view(x, x.shape) : current;
}
