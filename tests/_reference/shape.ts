/**
 * Float64 references of the shape ops (STYLE C8): each output element is found by mapping its
 * multi-index back to the input's, written from the ops' definitions (TF.js semantics), with no
 * code shared with `src/`.
 *
 * @module
 */

/** Row-major multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** Flat row-major position of `idx` in `shape`. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  return idx.reduce((a, i, d) => a * shape[d] + i, 0);
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * The tensor of `shape` whose element at `o` is `x[from(o)]` (`x` of `xShape`), or `fill` where
 * `from` returns null.
 */
export function mapIndex(
  x: ArrayLike<number>,
  xShape: readonly number[],
  shape: readonly number[],
  from: (o: number[]) => number[] | null,
  fill = 0,
): Float64Array {
  const out = new Float64Array(count(shape));
  for (let f = 0; f < out.length; f++) {
    const i = from(unravel(f, shape));
    out[f] = i === null ? fill : x[ravel(i, xShape)];
  }
  return out;
}

/** `x[begin : begin + size]` per dimension. */
export const slice = (x: ArrayLike<number>, xShape: number[], begin: number[], size: number[]) =>
  mapIndex(x, xShape, size, (o) => o.map((i, d) => i + begin[d]));

/** `xs` joined along `axis`. */
export function concat(xs: ArrayLike<number>[], shapes: number[][], axis: number): Float64Array {
  const shape = [...shapes[0]];
  shape[axis] = shapes.reduce((a, s) => a + s[axis], 0);
  const out = new Float64Array(count(shape));
  for (let f = 0; f < out.length; f++) {
    const o = unravel(f, shape);
    let k = 0, at = o[axis];
    while (at >= shapes[k][axis]) at -= shapes[k++][axis];
    const i = [...o];
    i[axis] = at;
    out[f] = xs[k][ravel(i, shapes[k])];
  }
  return out;
}

/** `x` inside `[before, after]` borders of `value`. */
export const pad = (x: ArrayLike<number>, xShape: number[], paddings: number[][], value: number) =>
  mapIndex(
    x,
    xShape,
    xShape.map((n, d) => paddings[d][0] + n + paddings[d][1]),
    (o) => {
      const i = o.map((v, d) => v - paddings[d][0]);
      return i.every((v, d) => v >= 0 && v < xShape[d]) ? i : null;
    },
    value,
  );

/** `x` repeated `reps[d]` times along each dimension. */
export const tile = (x: ArrayLike<number>, xShape: number[], reps: number[]) =>
  mapIndex(x, xShape, xShape.map((n, d) => n * reps[d]), (o) => o.map((v, d) => v % xShape[d]));

/** `x` reversed along `axes`. */
export const reverse = (x: ArrayLike<number>, xShape: number[], axes: number[]) =>
  mapIndex(x, xShape, xShape, (o) => o.map((v, d) => (axes.includes(d) ? xShape[d] - 1 - v : v)));

/** `x` broadcast to `shape` (TF.js rules). */
export function broadcastTo(x: ArrayLike<number>, xShape: number[], shape: number[]): Float64Array {
  const lead = shape.length - xShape.length;
  return mapIndex(
    x,
    xShape,
    shape,
    (o) => xShape.map((n, d) => (n === 1 ? 0 : o[d + lead])),
  );
}

/** Output dimension `i` is input dimension `perm[i]`. */
export function transpose(x: ArrayLike<number>, xShape: number[], perm: number[]): Float64Array {
  const shape = perm.map((p) => xShape[p]);
  return mapIndex(x, xShape, shape, (o) => {
    const i = new Array<number>(xShape.length);
    perm.forEach((p, k) => (i[p] = o[k]));
    return i;
  });
}
