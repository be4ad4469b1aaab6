/**
 * The gather and scatter-add plumbing shared by `gather`, `gatherND`, `scatterND` and
 * `randomShuffle`: the index check on backends that read synchronously, and the backend calls
 * over `[batch, outer, len, inner]` views (one call per batch item, through storage views).
 *
 * @module
 */
import type { Backend, GatherGeometry } from "../backend/backend.ts";
import type { DType, Tensor } from "../tensor.ts";

/** The dtypes an index tensor may have: int32, or float32 holding integers. */
export const INDEX_DTYPES: readonly DType[] = ["int32", "float32"];

/**
 * Throws a RangeError unless every index is an integer in `[0, len)` when the backend reads
 * synchronously (wasm, threads); webgpu checks in the kernel and throws from the next read.
 */
export function checkIndices(indices: Tensor, len: number, arg: string, fn: string): void {
  if (!indices.backend.supports("readSync")) return;
  const values = indices.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && v >= 0 && v < len)) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "${arg}" must hold integers in [0, ${len}): got ${v} at flat position ${i}`,
      );
    }
  }
}

/** A gather along one axis of `batch` independent items, each `[outer, len, inner]` with `n` indices. */
export interface GatherPlan {
  batch: number;
  outer: number;
  len: number;
  inner: number;
  n: number;
}

/**
 * Runs `kernel` (the backend's gather or scatterAdd) once per batch item on views of `src`,
 * `indices` and `dst`; `srcPer`/`dstPer` are the elements of one item on either side.
 */
function perItem(
  be: Backend,
  kernel: "gather" | "scatterAdd",
  src: Tensor,
  indices: Tensor,
  dst: Tensor,
  p: GatherPlan,
  [srcPer, dstPer]: [number, number],
): void {
  const dtype = src.dtype === "int32" ? "int32" : "float32";
  const g: GatherGeometry = { ...p, floatIndices: indices.dtype === "float32", dtype };
  if (p.batch === 1) {
    be[kernel](src.storage, indices.storage, dst.storage, g);
    return;
  }
  for (let b = 0; b < p.batch; b++) {
    be[kernel](
      be.subarray(src.storage, b * srcPer, srcPer),
      be.subarray(indices.storage, b * p.n, p.n),
      be.subarray(dst.storage, b * dstPer, dstPer),
      g,
    );
  }
}

/** `y[b, o, i, :] = x[b, o, indices[b, i], :]`: fills all of `y`. */
export function runGather(be: Backend, x: Tensor, indices: Tensor, y: Tensor, p: GatherPlan): void {
  if (y.size === 0) return;
  perItem(be, "gather", x, indices, y, p, [p.outer * p.len * p.inner, p.outer * p.n * p.inner]);
}

/** `dx[b, o, indices[b, i], :] += dy[b, o, i, :]` into a zeroed `dx` of `dy`'s dtype. */
export function runScatterAdd(
  be: Backend,
  dy: Tensor,
  indices: Tensor,
  dx: Tensor,
  p: GatherPlan,
): void {
  if (dx.size === 0) return;
  be.fill(dx.storage, 0, dx.size);
  if (dy.size === 0) return;
  perItem(be, "scatterAdd", dy, indices, dx, p, [
    p.outer * p.n * p.inner,
    p.outer * p.len * p.inner,
  ]);
}
