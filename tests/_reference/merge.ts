/**
 * Float64 references of the merge layers (Keras semantics) on row-major batched inputs: the
 * elementwise merges with Keras's rank alignment and broadcasting, concatenation along an axis,
 * and `batch_dot` along a pair of axes (optionally L2-normalised first).
 */

/** Row-major strides of `shape`. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** The multi-index of flat offset `i` in `shape`. */
function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/**
 * Folds `op` over the inputs of batched `shapes` (lower ranks get 1s after the batch axis, then
 * numpy broadcasting); returns the shape and values.
 */
export function elementwiseReference(
  xs: readonly Float64Array[],
  shapes: readonly number[][],
  op: (a: number, b: number) => number,
  finish: (y: number) => number = (y) => y,
): { shape: number[]; values: Float64Array } {
  const rank = Math.max(...shapes.map((s) => s.length));
  const aligned = shapes.map((
    s,
  ) => [s[0], ...new Array<number>(rank - s.length).fill(1), ...s.slice(1)]);
  const shape = aligned[0].map((_, d) => Math.max(...aligned.map((s) => s[d])));
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    let acc = 0;
    aligned.forEach((s, k) => {
      const st = strides(s);
      const off = idx.reduce((o, v, d) => o + (s[d] === 1 ? 0 : v) * st[d], 0);
      acc = k === 0 ? xs[k][off] : op(acc, xs[k][off]);
    });
    values[i] = finish(acc);
  }
  return { shape, values };
}

/** Concatenation of inputs of batched `shapes` along `axis` (>= 0). */
export function concatReference(
  xs: readonly Float64Array[],
  shapes: readonly number[][],
  axis: number,
): { shape: number[]; values: Float64Array } {
  const shape = [...shapes[0]];
  shape[axis] = shapes.reduce((a, s) => a + s[axis], 0);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const values: number[] = [];
  for (let o = 0; o < outer; o++) {
    xs.forEach((x, k) => {
      const block = shapes[k].slice(axis).reduce((a, b) => a * b, 1);
      values.push(...x.subarray(o * block, (o + 1) * block));
    });
  }
  return { shape, values: Float64Array.from(values) };
}

/** `x / sqrt(max(Σ x², 1e-12))` along batched `axis`. */
function l2Normalize(x: Float64Array, shape: readonly number[], axis: number): Float64Array {
  const st = strides(shape);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const idx = unravel(i, shape);
    let s = 0;
    for (let j = 0; j < shape[axis]; j++) {
      const v = x[i + (j - idx[axis]) * st[axis]];
      s += v * v;
    }
    out[i] = x[i] / Math.sqrt(Math.max(s, 1e-12));
  }
  return out;
}

/**
 * Keras `batch_dot` of `x0` (batched `s0`) and `x1` (`s1`) over batched axes `a0`, `a1`: the
 * remaining axes of `x0` then of `x1`, `[batch, 1]` when none remain.
 */
export function dotReference(
  x0: Float64Array,
  s0: readonly number[],
  x1: Float64Array,
  s1: readonly number[],
  a0: number,
  a1: number,
  normalize = false,
): { shape: number[]; values: Float64Array } {
  if (normalize) [x0, x1] = [l2Normalize(x0, s0, a0), l2Normalize(x1, s1, a1)];
  const r0 = s0.filter((_, i) => i !== a0 && i !== 0),
    r1 = s1.filter((_, i) => i !== a1 && i !== 0);
  const rest = [...r0, ...r1];
  const shape = [s0[0], ...(rest.length ? rest : [1])];
  const n = shape.reduce((a, b) => a * b, 1);
  const st0 = strides(s0), st1 = strides(s1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const idx = rest.length ? unravel(i, [s0[0], ...rest]) : [i];
    const i0 = [idx[0], ...idx.slice(1, 1 + r0.length)];
    const i1 = [idx[0], ...idx.slice(1 + r0.length)];
    i0.splice(a0, 0, 0);
    i1.splice(a1, 0, 0);
    let s = 0;
    for (let j = 0; j < s0[a0]; j++) {
      i0[a0] = j;
      i1[a1] = j;
      s += x0[i0.reduce((o, v, d) => o + v * st0[d], 0)] *
        x1[i1.reduce((o, v, d) => o + v * st1[d], 0)];
    }
    values[i] = s;
  }
  return { shape, values };
}
