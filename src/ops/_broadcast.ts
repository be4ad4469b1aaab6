/**
 * Broadcasting (NumPy rules) reduced to the backend's four-dimensional strided plan: dimensions
 * of size 1 in the output are dropped and neighbouring dimensions that both inputs read
 * contiguously (or both broadcast) are merged.
 */
import type { BroadcastPlan } from "../backend/backend.ts";
import { fmtShape } from "../_check.ts";

/** The broadcast output shape of `a` and `b`; throws a RangeError naming `fn` when incompatible. */
export function broadcastShape(a: readonly number[], b: readonly number[], fn: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1, db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `Cannot broadcast in ${fn}(): shapes of "a" ${fmtShape(a)} and "b" ${
          fmtShape(b)
        } must be equal or 1 in every aligned dimension: got ${da} and ${db} at dimension ${i}`,
      );
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

function strides(shape: readonly number[], out: readonly number[]): number[] {
  const rank = out.length;
  const s = new Array<number>(rank).fill(0);
  let step = 1;
  for (let i = rank - 1; i >= 0; i--) {
    const d = shape[shape.length - rank + i] ?? 1;
    s[i] = d === 1 ? 0 : step;
    step *= d;
  }
  return s;
}

/**
 * The plan for `a op b` with output shape `out`, or null when it needs more than four
 * dimensions after merging.
 */
export function broadcastPlan(
  a: readonly number[],
  b: readonly number[],
  out: readonly number[],
): BroadcastPlan | null {
  const sa = strides(a, out), sb = strides(b, out);
  const dims: number[] = [], as: number[] = [], bs: number[] = [];
  for (let i = 0; i < out.length; i++) {
    if (out[i] === 1) continue;
    const last = dims.length - 1;
    if (
      last >= 0 && as[last] === sa[i] * out[i] && bs[last] === sb[i] * out[i]
    ) {
      dims[last] *= out[i];
      as[last] = sa[i];
      bs[last] = sb[i];
    } else {
      dims.push(out[i]);
      as.push(sa[i]);
      bs.push(sb[i]);
    }
  }
  if (dims.length > 4) return null;
  while (dims.length < 4) {
    dims.unshift(1);
    as.unshift(0);
    bs.unshift(0);
  }
  return {
    dims: dims as BroadcastPlan["dims"],
    aStrides: as as BroadcastPlan["aStrides"],
    bStrides: bs as BroadcastPlan["bStrides"],
  };
}
