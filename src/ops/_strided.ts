/**
 * How the shape ops reach the `stridedCopy` primitive: a copy described over the op's own index
 * space (any rank) is simplified before it reaches a backend, so the kernel's inner loop runs as
 * long as it can. Dimensions of extent 1 are dropped, the rest ordered by y stride (y is then
 * written in address order, and its strides are nested as the primitive requires) and adjacent
 * dimensions that are contiguous in both x and y merged: a slice along axis 0 becomes one run, a
 * concat block one row per outer index. Plans still above six dimensions (tiles of rank > 3)
 * loop over their leading ones here.
 *
 * @module
 */
import type { Storage, StridedCopyPlan } from "../backend/backend.ts";
import { STRIDED_RANK } from "../backend/strided_plan.ts";
import { activeBackend } from "../backend/select.ts";
import type { DType, Tensor } from "../tensor.ts";

/** A copy over an index space: `y[yOffset + Σ i·yStrides] = x[xOffset + Σ i·xStrides]`. */
export interface Copy {
  dims: readonly number[];
  xStrides: readonly number[];
  yStrides: readonly number[];
  xOffset?: number;
  yOffset?: number;
}

/** Row-major strides of `shape`, in elements. */
export function rowMajor(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/** Bytes per element the primitive moves for `dtype`. */
export function elementBytes(dtype: DType): 4 | 1 {
  return dtype === "bool" ? 1 : 4;
}

/**
 * `c` with extent-1 dimensions dropped, negative y strides flipped (with x's, from the other
 * end), sorted by y stride (descending), and runs contiguous in both x and y merged.
 */
export function simplify(c: Copy): Required<Copy> & { dims: number[] } {
  let xOffset = c.xOffset ?? 0, yOffset = c.yOffset ?? 0;
  const order = c.dims.map((_, d) => d).filter((d) => c.dims[d] !== 1);
  const flip = order.map((d) => c.yStrides[d] < 0);
  const xsOf = (k: number) => (flip[k] ? -1 : 1) * c.xStrides[order[k]];
  const ysOf = (k: number) => (flip[k] ? -1 : 1) * c.yStrides[order[k]];
  order.forEach((d, k) => {
    if (!flip[k]) return;
    xOffset += (c.dims[d] - 1) * c.xStrides[d];
    yOffset += (c.dims[d] - 1) * c.yStrides[d];
  });
  const ks = order.map((_, k) => k).sort((a, b) => ysOf(b) - ysOf(a) || a - b);
  const dims: number[] = [], xStrides: number[] = [], yStrides: number[] = [];
  for (const k of ks) {
    const n = c.dims[order[k]], xs = xsOf(k), ys = ysOf(k);
    const last = dims.length - 1;
    if (last >= 0 && xStrides[last] === xs * n && yStrides[last] === ys * n) {
      dims[last] *= n;
      xStrides[last] = xs;
      yStrides[last] = ys;
    } else {
      dims.push(n);
      xStrides.push(xs);
      yStrides.push(ys);
    }
  }
  return { dims, xStrides, yStrides, xOffset, yOffset };
}

/**
 * Runs copy `c` from `x`'s storage to `y`'s (elements of `dtype`) on the active backend; an empty
 * index space copies nothing.
 */
export function copyStrided(x: Storage, y: Storage, dtype: DType, c: Copy): void {
  if (c.dims.some((d) => d === 0)) return;
  const s = simplify(c);
  const outer = Math.max(0, s.dims.length - STRIDED_RANK);
  const plan: StridedCopyPlan = {
    dims: s.dims.slice(outer),
    xStrides: s.xStrides.slice(outer),
    yStrides: s.yStrides.slice(outer),
    xOffset: s.xOffset,
    yOffset: s.yOffset,
    elementBytes: elementBytes(dtype),
  };
  const backend = activeBackend();
  const each = (d: number, xOffset: number, yOffset: number): void => {
    if (d === outer) {
      backend.stridedCopy(x, y, { ...plan, xOffset, yOffset });
      return;
    }
    for (let i = 0; i < s.dims[d]; i++) {
      each(d + 1, xOffset + i * s.xStrides[d], yOffset + i * s.yStrides[d]);
    }
  };
  each(0, plan.xOffset, plan.yOffset);
}

/**
 * Copies all of `x` (seen as `shape`, by default its own) into the block of `y` (row-major) that
 * starts at `begin`: the step of concat, stack and pad.
 */
export function copyInto(
  x: Tensor,
  y: Tensor,
  begin: readonly number[],
  shape: readonly number[] = x.shape,
): void {
  const ys = rowMajor(y.shape);
  copyStrided(x.storage, y.storage, x.dtype, {
    dims: shape,
    xStrides: rowMajor(shape),
    yStrides: ys,
    yOffset: begin.reduce((a, b, d) => a + b * ys[d], 0),
  });
}
