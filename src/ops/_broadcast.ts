/**
 * Broadcasting (NumPy rules) reduced to the backend's four-dimensional strided plans: dimensions
 * of size 1 in the output are dropped and neighbouring dimensions that every operand reads
 * contiguously (or broadcasts) are merged. Two operands give a `BroadcastPlan` (binary, compare),
 * three a `SelectPlan` (`where`).
 */
import type { BroadcastPlan, SelectPlan } from "../backend/backend.ts";
import { fmtShape } from "../_check.ts";

type Dims4 = [number, number, number, number];

/**
 * The broadcast output shape of the named operand shapes; throws a RangeError naming `fn` and the
 * two operands that disagree when they are incompatible.
 */
export function broadcastShapes(
  operands: readonly (readonly [name: string, shape: readonly number[]])[],
  fn: string,
): number[] {
  if (allEqual(operands.map(([, s]) => s))) return [...operands[0][1]];
  const rank = Math.max(...operands.map(([, s]) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1, from = -1;
    operands.forEach(([, s], k) => {
      const dk = s[s.length - rank + i] ?? 1;
      if (dk === 1 || dk === d) return;
      if (d !== 1) {
        const [na, sa] = operands[from], [nb, sb] = operands[k];
        throw new RangeError(
          `Cannot broadcast in ${fn}(): shapes of "${na}" ${fmtShape(sa)} and "${nb}" ${
            fmtShape(sb)
          } must be equal or 1 in every aligned dimension: got ${d} and ${dk} at dimension ${i}`,
        );
      }
      d = dk;
      from = k;
    });
    out.push(d);
  }
  return out;
}

/** The broadcast output shape of `a` and `b`; throws a RangeError naming `fn` when incompatible. */
export function broadcastShape(a: readonly number[], b: readonly number[], fn: string): number[] {
  return broadcastShapes([["a", a], ["b", b]], fn);
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

/** Innermost extents from which a free dimension is used to cut the row (see splitLongRow). */
const LONG_ROW = 1 << 16;

/**
 * Cuts a long innermost dimension L into (L / c, c) rows when a dimension is free, with c the
 * largest power of two dividing L up to 4096 (at least 256): the kernels split their work by
 * rows (threads), and a same-shape op is otherwise one row. Each element is computed as before.
 */
function splitLongRow(dims: number[], strides: number[][]): void {
  const last = dims.length - 1;
  if (last < 0 || dims.length === 4 || dims[last] < LONG_ROW) return;
  const c = Math.min(4096, dims[last] & -dims[last]);
  if (c < 256) return;
  dims.splice(last, 1, dims[last] / c, c);
  for (const s of strides) s.splice(last, 1, s[last] * c, s[last]);
}

/** Whether every shape has the same dimensions as the first (the common, broadcast-free case). */
function allEqual(shapes: readonly (readonly number[])[]): boolean {
  const first = shapes[0];
  for (let k = 1; k < shapes.length; k++) {
    const s = shapes[k];
    if (s.length !== first.length) return false;
    for (let i = 0; i < s.length; i++) if (s[i] !== first[i]) return false;
  }
  return true;
}

/** Merged dims and per-operand strides, padded in front to four, or null when more remain. */
function merge(
  shapes: readonly (readonly number[])[],
  out: readonly number[],
): { dims: Dims4; strides: Dims4[] } | null {
  const dims: number[] = [], st: number[][] = shapes.map(() => []);
  if (allEqual([out, ...shapes])) {
    // Equal shapes read one contiguous row: what the general merge below comes to.
    const size = out.reduce((p, d) => p * d, 1);
    if (size !== 1) {
      dims.push(size);
      for (const s of st) s.push(1);
    }
    return pad(dims, st);
  }
  const full = shapes.map((s) => strides(s, out));
  for (let i = 0; i < out.length; i++) {
    if (out[i] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && full.every((f, k) => st[k][last] === f[i] * out[i])) {
      dims[last] *= out[i];
      full.forEach((f, k) => st[k][last] = f[i]);
    } else {
      dims.push(out[i]);
      full.forEach((f, k) => st[k].push(f[i]));
    }
  }
  if (dims.length > 4) return null;
  return pad(dims, st);
}

/** `dims` and `st` with a long row cut (splitLongRow), padded in front to four dimensions. */
function pad(dims: number[], st: number[][]): { dims: Dims4; strides: Dims4[] } {
  splitLongRow(dims, st);
  while (dims.length < 4) {
    dims.unshift(1);
    st.forEach((s) => s.unshift(0));
  }
  return { dims: dims as Dims4, strides: st as Dims4[] };
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
  const m = merge([a, b], out);
  return m && { dims: m.dims, aStrides: m.strides[0], bStrides: m.strides[1] };
}

/** The plan for `cond ? a : b` with output shape `out`, or null as for `broadcastPlan`. */
export function selectPlan(
  cond: readonly number[],
  a: readonly number[],
  b: readonly number[],
  out: readonly number[],
): SelectPlan | null {
  const m = merge([cond, a, b], out);
  return m &&
    { dims: m.dims, condStrides: m.strides[0], aStrides: m.strides[1], bStrides: m.strides[2] };
}

/**
 * The output shape and plan of a broadcasting op over the named operand shapes (two: a
 * `BroadcastPlan`; three, the condition first: a `SelectPlan`); throws a RangeError naming `fn`
 * when they do not broadcast or need more than four dimensions after merging.
 */
export function planOf<P extends BroadcastPlan>(
  operands: readonly (readonly [name: string, shape: readonly number[]])[],
  fn: string,
): { shape: number[]; plan: P } {
  const shape = broadcastShapes(operands, fn);
  const shapes = operands.map(([, s]) => s);
  const plan = shapes.length === 3
    ? selectPlan(shapes[0], shapes[1], shapes[2], shape)
    : broadcastPlan(shapes[0], shapes[1], shape);
  if (!plan) {
    throw new RangeError(
      `Cannot broadcast in ${fn}(): shapes ${
        operands.map(([n, s]) => `of "${n}" ${fmtShape(s)}`).join(", ")
      } must collapse to at most 4 alternating broadcast dimensions: got more`,
    );
  }
  return { shape, plan: plan as P };
}
