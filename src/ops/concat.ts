/**
 * `concat` and `stack`: tensors joined along an axis, each copied into its block of the output by
 * one strided copy (one row per outer index, `memory.copy`'d when long); the gradient slices each
 * block back out.
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkAxis, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";
import { copyInto } from "./_strided.ts";
import { sliceBox } from "./slice.ts";

/**
 * `xs` joined along `axis`, as TF.js's `tf.concat`: any dtype, all alike.
 *
 * @param xs One or more tensors of one dtype and rank, equal in every dimension but `axis`.
 * @param axis The axis to join along (default 0; negative counts from the end).
 * @returns A new tensor whose `axis` extent is the sum of the inputs'.
 * @throws {TypeError} When `xs` is not a non-empty array of live tensors, or their dtypes differ.
 * @throws {RangeError} When `axis` is out of range or the shapes disagree off `axis`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.concat([dn.tensor([[1, 2]]), dn.tensor([[3, 4]])], 1);
 * assert.deepEqual(y.shape, [1, 4]);
 * assert.deepEqual([...y.dataSync()], [1, 2, 3, 4]);
 * ```
 */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  checkArity(arguments, ["xs", "axis"], "concat");
  const fn = "concat";
  checkList(xs, fn);
  const first = xs[0];
  if (first.rank === 0) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "xs" must hold tensors of rank >= 1 (stack joins scalars): got a scalar`,
    );
  }
  const ax = checkAxis(axis, first.rank, "axis", fn);
  xs.forEach((x, i) => {
    const same = x.rank === first.rank && x.shape.every((n, d) => d === ax || n === first.shape[d]);
    if (!same) {
      throw new RangeError(
        `Cannot run ${fn}(): every tensor of "xs" must match xs[0] ${
          fmtShape(first.shape)
        } in every dimension but axis ${ax}: got ${fmtShape(x.shape)} at xs[${i}]`,
      );
    }
  });
  const shape = [...first.shape];
  shape[ax] = xs.reduce((a, x) => a + x.shape[ax], 0);
  return join(xs, xs.map((x) => x.shape), ax, shape, fn);
}

/**
 * `xs` stacked along a new axis `axis`, as TF.js's `tf.stack`: any dtype, all alike.
 *
 * @param xs One or more tensors of one dtype and shape.
 * @param axis Where the new axis goes, in `[-(rank + 1), rank]` (default 0).
 * @returns A new tensor of rank `rank + 1` whose `axis` extent is `xs.length`.
 * @throws {TypeError} When `xs` is not a non-empty array of live tensors, or their dtypes differ.
 * @throws {RangeError} When `axis` is out of range or the shapes differ.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.stack([dn.tensor([1, 2]), dn.tensor([3, 4])], 1);
 * assert.deepEqual(y.shape, [2, 2]);
 * assert.deepEqual([...y.dataSync()], [1, 3, 2, 4]);
 * ```
 */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  checkArity(arguments, ["xs", "axis"], "stack");
  const fn = "stack";
  checkList(xs, fn);
  const first = xs[0];
  const ax = checkAxis(axis, first.rank + 1, "axis", fn);
  xs.forEach((x, i) => {
    if (x.shape.join() !== first.shape.join()) {
      throw new RangeError(
        `Cannot run ${fn}(): every tensor of "xs" must have the shape of xs[0] ${
          fmtShape(first.shape)
        }: got ${fmtShape(x.shape)} at xs[${i}]`,
      );
    }
  });
  const one = [...first.shape.slice(0, ax), 1, ...first.shape.slice(ax)];
  const shape = [...one];
  shape[ax] = xs.length;
  return join(xs, xs.map(() => one), ax, shape, fn);
}

/** Throws unless `xs` is a non-empty array of live tensors of one dtype. */
function checkList(xs: unknown, fn: string): asserts xs is readonly Tensor[] {
  if (!Array.isArray(xs) || xs.length === 0) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "xs" must be a non-empty array of tensors: got ${fmtValue(xs)}`,
    );
  }
  xs.forEach((x, i) => checkTensor(x, `xs[${i}]`, fn, ANY_DTYPE));
  const dtype = (xs[0] as Tensor).dtype;
  xs.forEach((x: Tensor, i) => {
    if (x.dtype !== dtype) {
      throw new TypeError(
        `Cannot run ${fn}(): every tensor of "xs" must have the dtype of xs[0] (${dtype}): got ${x.dtype} at xs[${i}] (cast it with dn.cast)`,
      );
    }
  });
}

/** `xs` (each seen as `shapes[i]`) copied one after the other along `axis` into `shape`. */
function join(
  xs: readonly Tensor[],
  shapes: readonly (readonly number[])[],
  axis: number,
  shape: readonly number[],
  fn: string,
): Tensor {
  const y = output(shape, fn, xs[0].dtype);
  const starts: number[] = [];
  let at = 0;
  xs.forEach((x, i) => {
    const begin = shape.map((_, d) => (d === axis ? at : 0));
    starts.push(at);
    copyInto(x, y, begin, shapes[i]);
    at += shapes[i][axis];
  });
  return record(y, xs, (dy, _saved, needs) =>
    xs.map((x, i) => {
      if (!needs[i]) return null;
      return sliceBox(dy, shape.map((_, d) => (d === axis ? starts[i] : 0)), shapes[i], x.shape);
    }));
}
