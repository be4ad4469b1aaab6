/**
 * `stridedSlice`: TensorFlow's strided slice (Python's `x[b:e:s, ..., None, i]` with masks), one
 * strided copy whose x strides are the slice's steps (negative ones read backwards). The masks
 * are resolved as TensorFlow's `ValidateStridedSliceOp` does: the sparse spec (with its ellipsis,
 * new axes and shrunk axes) is expanded to one begin/end/stride per dimension of x, then each is
 * canonicalised and clamped. The gradient writes `dy` back into zeros at the same positions.
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";
import { checkIntArray } from "./_shape_args.ts";
import { copyStrided, rowMajor } from "./_strided.ts";

/** One dimension of x after resolving the spec: first index, step, count, and whether it stays. */
interface DenseDim {
  begin: number;
  stride: number;
  size: number;
  shrink: boolean;
}

/**
 * The strided slice of `x`, as TF.js's `tf.stridedSlice`: any dtype. Bit `i` of a mask refers to
 * entry `i` of `begin`/`end`/`strides`.
 *
 * @param x Any rank.
 * @param begin Start per entry (negative counts from the end).
 * @param end Stop (exclusive) per entry (negative counts from the end).
 * @param strides Step per entry, non-zero (default all 1; negative walks backwards).
 * @param beginMask Bits whose begin is ignored (the first element in the walk's direction).
 * @param endMask Bits whose end is ignored (through the last element in the walk's direction).
 * @param ellipsisMask At most one bit: that entry stands for as many full dimensions as needed.
 * @param newAxisMask Bits that insert a dimension of extent 1 (begin/end/stride ignored).
 * @param shrinkAxisMask Bits that take the single element at begin and drop the dimension.
 * @returns A new tensor.
 * @throws {TypeError} When `x` is not a live tensor or an argument is not integers.
 * @throws {RangeError} When the spec's lengths differ, a stride is 0, there is more than one
 *   ellipsis, the spec names more dimensions than x has, or a shrunk index is out of range.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([[1, 2, 3, 4], [5, 6, 7, 8]]);
 * const y = dn.stridedSlice(x, [0, 3], [2, 0], [1, -2]); // x[0:2, 3:0:-2]
 * assert.deepEqual(y.shape, [2, 2]);
 * assert.deepEqual([...y.dataSync()], [4, 2, 8, 6]);
 * ```
 */
export function stridedSlice(
  x: Tensor,
  begin: readonly number[],
  end: readonly number[],
  strides?: readonly number[],
  beginMask = 0,
  endMask = 0,
  ellipsisMask = 0,
  newAxisMask = 0,
  shrinkAxisMask = 0,
): Tensor {
  checkArity(arguments, [
    "x",
    "begin",
    "end",
    "strides",
    "beginMask",
    "endMask",
    "ellipsisMask",
    "newAxisMask",
    "shrinkAxisMask",
  ], "stridedSlice");
  const fn = "stridedSlice";
  checkTensor(x, "x", fn, ANY_DTYPE);
  const b = checkIntArray(begin, "begin", fn);
  const e = checkIntArray(end, "end", fn);
  const s = strides === undefined ? b.map(() => 1) : checkIntArray(strides, "strides", fn);
  if (e.length !== b.length || s.length !== b.length) {
    throw new RangeError(
      `Cannot run ${fn}(): arguments "begin", "end" and "strides" must have one length: got ${b.length}, ${e.length} and ${s.length}`,
    );
  }
  const masks = { beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask };
  for (const [name, m] of Object.entries(masks)) {
    if (!Number.isInteger(m) || m < 0 || m >= 2 ** 31) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "${name}" must be a non-negative integer bit mask: got ${
          fmtValue(m)
        }`,
      );
    }
  }
  if ((ellipsisMask & (ellipsisMask - 1)) !== 0) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "ellipsisMask" may set at most one bit: got ${ellipsisMask}`,
    );
  }
  const zero = s.indexOf(0);
  if (zero >= 0) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "strides" must be non-zero: got 0 at entry ${zero} of ${
        fmtValue(strides)
      }`,
    );
  }
  const { dense, shape } = resolve(x.shape, b, e, s, masks, fn);
  const y = output(shape, fn, x.dtype);
  const xs = rowMajor(x.shape);
  const copy = {
    dims: dense.map((d) => d.size),
    xStrides: dense.map((d, i) => d.stride * xs[i]),
    yStrides: rowMajor(dense.map((d) => d.size)),
    xOffset: dense.reduce((a, d, i) => a + (d.size > 0 ? d.begin * xs[i] : 0), 0),
  };
  copyStrided(x.storage, y.storage, x.dtype, copy);
  return record(y, [x], (dy) => {
    const dx = output(x.shape, fn);
    activeBackend().fill(dx.storage, 0, x.size);
    copyStrided(dy.storage, dx.storage, "float32", {
      dims: copy.dims,
      xStrides: copy.yStrides,
      yStrides: copy.xStrides,
      yOffset: copy.xOffset,
    });
    return [dx];
  });
}

/** TensorFlow's dense spec of a strided slice over `xShape`, and the output shape. */
function resolve(
  xShape: readonly number[],
  begin: readonly number[],
  end: readonly number[],
  strides: readonly number[],
  m: Record<
    "beginMask" | "endMask" | "ellipsisMask" | "newAxisMask" | "shrinkAxisMask",
    number
  >,
  fn: string,
): { dense: DenseDim[]; shape: number[] } {
  const bit = (mask: number, i: number) => ((mask >>> i) & 1) === 1;
  const n = begin.length;
  // No ellipsis: one is implied after the last entry (the remaining dimensions, whole).
  const ellipsis = m.ellipsisMask === 0 ? n : Math.log2(m.ellipsisMask);
  let newAfter = 0;
  for (let i = ellipsis + 1; i < n; i++) if (bit(m.newAxisMask, i)) newAfter++;
  const dense: DenseDim[] = [];
  const shape: number[] = [];
  const full = (d: number): DenseDim => ({ begin: 0, stride: 1, size: xShape[d], shrink: false });
  for (let i = 0; i <= n; i++) {
    if (i === ellipsis) {
      // The entries after the ellipsis that name dimensions of x.
      const named = n - i - 1 - newAfter;
      const until = xShape.length - Math.max(0, named);
      while (dense.length < until) {
        shape.push(xShape[dense.length]);
        dense.push(full(dense.length));
      }
      continue;
    }
    if (i === n) break;
    if (bit(m.newAxisMask, i)) {
      shape.push(1);
      continue;
    }
    const d = dense.length;
    if (d >= xShape.length) {
      throw new RangeError(
        `Cannot run ${fn}(): the slice spec names more dimensions than x ${
          fmtShape(xShape)
        } has: entry ${i} of ${n}`,
      );
    }
    const dim = dim1(xShape[d], begin[i], end[i], strides[i], {
      beginMasked: bit(m.beginMask, i),
      endMasked: bit(m.endMask, i),
      shrink: bit(m.shrinkAxisMask, i),
    });
    if (dim === null) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "begin" must index dimension ${d} of x ${
          fmtShape(xShape)
        } where shrinkAxisMask drops it: got ${begin[i]} (entry ${i})`,
      );
    }
    dense.push(dim);
    if (!dim.shrink) shape.push(dim.size);
  }
  return { dense, shape };
}

/** One dimension of extent `n` resolved (TensorFlow's canonical form); null for a bad shrink. */
function dim1(
  n: number,
  begin: number,
  end: number,
  stride: number,
  f: { beginMasked: boolean; endMasked: boolean; shrink: boolean },
): DenseDim | null {
  if (f.shrink) {
    const at = begin < 0 ? begin + n : begin;
    return at >= 0 && at < n ? { begin: at, stride: 1, size: 1, shrink: true } : null;
  }
  const lo = stride > 0 ? 0 : -1, hi = stride > 0 ? n : n - 1;
  const canonical = (v: number, masked: boolean, ifMasked: number) =>
    masked ? ifMasked : Math.min(hi, Math.max(lo, v < 0 ? v + n : v));
  const b = canonical(begin, f.beginMasked, stride > 0 ? lo : hi);
  const e = canonical(end, f.endMasked, stride > 0 ? hi : lo);
  const size = Math.max(0, Math.ceil((e - b) / stride));
  return { begin: b, stride, size, shrink: false };
}
