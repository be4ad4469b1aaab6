/**
 * Public reductions (`dn.sum`, `dn.mean`, `dn.max`, `dn.argMax`) and `dn.softmax`/`dn.logSoftmax`
 * against the float64 references (STYLE C8): every axis (also negative), several axes, all axes,
 * with and without `keepDims`, on shapes whose reduced and kept lengths straddle the SIMD widths.
 *
 * Tolerances (STYLE C9), ε = ε32:
 *   sum     an f32 sum of `count` terms in [-1, 1]: `Tol.dot(count)`.
 *   mean    that sum times 1/count (one more rounding), so `Tol.dot(count + 1)`; looser than the
 *           mean needs (its absolute error is the sum's divided by count) but derived the same way.
 *   max, argMax   exact.
 *   softmax, logSoftmax   exp of x - max (relative error ε·spread from the subtraction plus the
 *           2-ulp exp), a sum of `cols` positive terms (cols·ε), a division or a log: within
 *           `Tol.dot(cols + spread + 4)`, spread the largest |x - max| that is not negligible.
 * Zero-size: summing an empty axis gives 0 and its mean NaN (0 / 0, as NumPy); max and argMax
 * over an empty axis throw a RangeError; reducing a non-empty axis of an empty tensor is empty.
 */
import * as dn from "../../mod.ts";
import { reduceAxes, type ReduceKind } from "../_reference/broadcast.ts";
import { logSoftmax, reduceArgmax, softmax } from "../_reference/reduce.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol, type Tolerance } from "../_util/assert_close.ts";
import { input, toTensor } from "./_inputs.ts";

const SHAPES: number[][] = [[1], [129], [7, 13], [4, 8], [3, 4, 5], [2, 3, 4, 5], [1, 17, 1, 9]];

/** Every single axis (as given and negative), every pair, and all axes (undefined). */
function axisSets(rank: number): (number | number[] | undefined)[] {
  const sets: (number | number[] | undefined)[] = [undefined];
  for (let a = 0; a < rank; a++) sets.push(a, a - rank);
  for (let a = 0; a < rank; a++) for (let b = a + 1; b < rank; b++) sets.push([b, a]);
  if (rank >= 3) sets.push([0, rank - 1, 1]);
  return sets;
}

const OPS: Record<ReduceKind, typeof dn.sum> = { sum: dn.sum, mean: dn.mean, max: dn.max };

function tolerance(kind: ReduceKind, count: number): Tolerance {
  if (kind === "max") return Tol.exact;
  return Tol.dot(kind === "mean" ? count + 1 : count);
}

for (const kind of ["sum", "mean", "max"] as const) {
  for (const shape of SHAPES) {
    Deno.test(
      `${kind}() over each axis, pairs and all axes matches f64 reference on [${shape}]`,
      () => {
        const x = input(shape, 10 * shape.length + shape[0]);
        using t = toTensor(x);
        for (const axis of axisSets(shape.length)) {
          const list = axis === undefined ? shape.map((_, i) => i) : [axis].flat();
          const axes = list.map((a) => (a < 0 ? a + shape.length : a));
          const ref = reduceAxes(kind, x.data, shape, axes);
          const count = axes.reduce((p, a) => p * shape[a], 1);
          for (const keepDims of [false, true]) {
            using y = OPS[kind](t, axis, { keepDims });
            const want = keepDims ? ref.shape : shape.filter((_, i) => !axes.includes(i));
            const what = `${kind} [${shape}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`;
            assertEquals(y.shape, want, what);
            assertClose(y.dataSync(), ref.y, tolerance(kind, count), what);
          }
        }
      },
    );
  }
}

Deno.test("sum() and max() of a 1000 x 1025 matrix match f64 reference over both axes", () => {
  const x = input([1000, 1025], 42);
  using t = toTensor(x);
  for (const axis of [0, 1]) {
    using s = dn.sum(t, axis);
    assertClose(s.dataSync(), reduceAxes("sum", x.data, x.shape, [axis]).y, Tol.dot(1025), "sum");
    using m = dn.max(t, axis);
    assertClose(m.dataSync(), reduceAxes("max", x.data, x.shape, [axis]).y, Tol.exact, "max");
  }
});

Deno.test("max() propagates NaN along the reduced axis only, and sum() too", () => {
  using x = dn.tensor([[1, NaN, 3], [4, 5, -Infinity]]);
  using m0 = dn.max(x, 0);
  assertEquals([...m0.dataSync()], [4, NaN, 3]);
  using m1 = dn.max(x, 1);
  assertEquals([...m1.dataSync()], [NaN, 5]);
  using all = dn.max(x);
  assertEquals([...all.dataSync()], [NaN]);
  using s = dn.sum(x, 1);
  assertEquals([...s.dataSync()], [NaN, -Infinity]);
  using neg = dn.max(dn.tensor([-Infinity, -Infinity]));
  assertEquals([...neg.dataSync()], [-Infinity]);
});

Deno.test("argMax() matches the reference on every axis and takes the first of ties", () => {
  for (const shape of [[129], [7, 13], [3, 4, 5], [2, 3, 4, 5]]) {
    // Values rounded to a few levels, so that most rows hold ties.
    const x = input(shape, 70 + shape.length, -2, 2);
    x.data.forEach((v, i) => (x.data[i] = Math.round(v)));
    using t = toTensor(x);
    for (let axis = 0; axis < shape.length; axis++) {
      const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
      const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      using y = dn.argMax(t, axis - (axis % 2 === 1 ? shape.length : 0));
      assertEquals(y.shape, shape.filter((_, i) => i !== axis));
      const expected = reduceArgmax(x.data, outer, shape[axis], inner);
      assertClose(y.dataSync(), expected, Tol.exact, `argMax [${shape}] axis ${axis}`);
    }
  }
  using first = dn.argMax(dn.tensor([[1, 3, 3], [2, 2, 2], [NaN, 1, NaN]]), 1);
  assertEquals([...first.dataSync()], [1, 0, 0]);
  using defaultAxis = dn.argMax(dn.tensor([[1, 9], [5, 2]]));
  assertEquals([...defaultAxis.dataSync()], [1, 0]);
});

Deno.test("sum() and mean() over an empty axis give 0 and NaN, max() and argMax() throw", () => {
  using x = dn.zeros([0, 3]);
  using s0 = dn.sum(x, 0);
  assertEquals([s0.shape, [...s0.dataSync()]], [[3], [0, 0, 0]]);
  using sAll = dn.sum(x);
  assertEquals([sAll.shape, [...sAll.dataSync()]], [[], [0]]);
  using m0 = dn.mean(x, 0, { keepDims: true });
  assertEquals([m0.shape, [...m0.dataSync()]], [[1, 3], [NaN, NaN, NaN]]);
  assertThrows(() => dn.max(x, 0), RangeError, 'Cannot run max(): axis 0 of "x" must not be empty');
  assertThrows(() => dn.max(x), RangeError, "must not be empty");
  assertThrows(() => dn.argMax(x, 0), RangeError, "must not be empty");
});

Deno.test("sum(), mean(), max() and argMax() over a non-empty axis of an empty tensor are empty", () => {
  using x = dn.zeros([0, 3]);
  for (const y of [dn.sum(x, 1), dn.mean(x, -1), dn.max(x, 1), dn.argMax(x, 1)]) {
    assertEquals(y.shape, [0]);
    assertEquals(y.dataSync().length, 0);
    y.dispose();
  }
  using k = dn.max(x, 1, { keepDims: true });
  assertEquals(k.shape, [0, 1]);
});

/** `Tol.dot(cols + spread + 4)`: see the header. */
const softmaxTol = (cols: number, spread: number) => Tol.dot(cols + spread + 4);

const SOFTMAX_SHAPES: number[][] = [[1], [9], [1, 1], [3, 7], [4, 8], [5, 129], [2, 3, 4], [
  2,
  1025,
]];

for (const shape of SOFTMAX_SHAPES) {
  Deno.test(`softmax() and logSoftmax() match f64 reference over the last axis of [${shape}]`, () => {
    const spread = 10;
    const x = input(shape, 90 + shape.length + shape[0], -spread / 2, spread / 2);
    const cols = shape[shape.length - 1], rows = x.data.length / cols;
    using t = toTensor(x);
    using p = dn.softmax(t);
    using l = dn.logSoftmax(t);
    assertEquals([p.shape, l.shape], [shape, shape]);
    const tol = softmaxTol(cols, spread);
    assertClose(p.dataSync(), softmax(x.data, rows, cols), tol, `softmax [${shape}]`);
    assertClose(l.dataSync(), logSoftmax(x.data, rows, cols), tol, `logSoftmax [${shape}]`);
    using rowSums = dn.sum(p, -1);
    assertClose(rowSums.dataSync(), new Float64Array(rows).fill(1), tol, "row sums");
  });
}

Deno.test("softmax() and logSoftmax() on rows with entries of ±1000 have no NaN or Inf", () => {
  const rows = [
    [1000, -1000, 999.5, 0, -999, 1000, 3],
    [-1000, -1000, -1000, -1000, -1000, -1000, -1000],
    [1000, 1000, 1000, 1000, 1000, 1000, 1000],
    [-1000, 1000, -1000, -1000, -1000, -1000, -1000],
  ];
  const x = Float64Array.from(rows.flat());
  using t = dn.tensor(Float32Array.from(x), [4, 7]);
  using p = dn.softmax(t);
  using l = dn.logSoftmax(t);
  const pv = p.dataSync(), lv = l.dataSync();
  assert(pv.every(Number.isFinite) && lv.every(Number.isFinite), `${pv} / ${lv}`);
  // softmax: only entries within 0.5 of the row max are not negligible (spread 1); logSoftmax
  // keeps every entry, so its spread is the full 2000.
  assertClose(pv, softmax(x, 4, 7), softmaxTol(7, 1), "softmax ±1000");
  assertClose(lv, logSoftmax(x, 4, 7), softmaxTol(7, 2000), "logSoftmax ±1000");
});

Deno.test("softmax() and logSoftmax() of a zero-size tensor are empty", () => {
  for (const shape of [[0, 3], [3, 0], [0]]) {
    using x = dn.zeros(shape);
    using p = dn.softmax(x);
    using l = dn.logSoftmax(x);
    assertEquals([p.shape, l.shape, p.dataSync().length], [shape, shape, 0]);
  }
});

Deno.test("softmax() rejects a scalar", () => {
  using x = dn.tensor(1);
  assertThrows(() => dn.softmax(x), TypeError, 'argument "x" must have rank >= 1: got a scalar');
});
