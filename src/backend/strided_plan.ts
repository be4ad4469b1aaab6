/**
 * The strided-copy plan as the kernels take it: exactly six dimensions, shorter plans padded in
 * front with extent 1 and stride 0, shared by the wasm and webgpu backends.
 *
 * @module
 */
import type { StridedCopyPlan } from "./backend.ts";

/** Dimensions a strided-copy kernel walks. */
export const STRIDED_RANK = 6;

/** Six numbers, outermost dimension first. */
export type Six = [number, number, number, number, number, number];

/** `plan`'s dims and strides padded in front to six; the elements copied (0 when empty). */
export function stridedDims6(plan: StridedCopyPlan): {
  dims: Six;
  xStrides: Six;
  yStrides: Six;
  size: number;
} {
  const pad = STRIDED_RANK - plan.dims.length;
  if (pad < 0) {
    throw new RangeError(
      `Cannot run stridedCopy(): a plan has at most ${STRIDED_RANK} dimensions: got ${plan.dims.length}`,
    );
  }
  const front = (fill: number, xs: readonly number[]) => [...Array(pad).fill(fill), ...xs] as Six;
  return {
    dims: front(1, plan.dims),
    xStrides: front(0, plan.xStrides),
    yStrides: front(0, plan.yStrides),
    size: plan.dims.reduce((a, b) => a * b, 1),
  };
}
