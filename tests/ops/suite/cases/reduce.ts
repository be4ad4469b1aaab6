/**
 * The op suite's reduction, scan and top-k cases: sum mean max min prod logSumExp (single axes,
 * axis sets in any order, negative axes, all axes, keepDims; sum also of int32 and bool), argMax
 * argMin, moments, norm
 * (vector and matrix orders), cumsum (exclusive, reverse), topk (sorted and index order), all
 * and any over bool; on tile-edge lengths 1, 3, 17, 33, with NaN, ±inf and ties, and gradient
 * checks for every op that has one.
 *
 * Tolerances (STYLE C9): max, min, argMax, argMin, topk, all, any exact (they select a value);
 * sum of k terms `Tol.dot(k)`, mean `Tol.dot(k + 1)` (the 1/len scale); prod of k terms
 * `Tol.dot(k)` (k - 1 roundings, relative); logSumExp `Tol.dot(k + 8)` (k exp terms of a few ulps
 * summed, a log and an add); moments `Tol.dot(2k + 4)` (a mean, then the mean of squared
 * deviations); cumsum `Tol.dot(len)` (a running sum); norm `Tol.dot(k + 4)` (a sum of k squares
 * or absolute values, then a sqrt or a max).
 *
 * Gradient inputs stay away from kinks: max, min and the ∞-norms take distinct values (spacing
 * 2/n, far above the step 1e-3); prod is linear in each element, so its central differences are
 * exact even at the zeros its cases hold.
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { reduceSlices } from "../../../_reference/reduce.ts";
import { cumsum as cumsumRef } from "../../../_reference/scan.ts";
import { topk as topkRef } from "../../../_reference/topk.ts";
import { Tol } from "../../../_util/assert_close.ts";
import type { CaseInput, OpCase } from "../case.ts";
import { awayFrom, distinct, size } from "./_values.ts";

type Axis = number | number[] | undefined;

/** Non-negative axes of `axis` for rank `rank` (all when undefined). */
function axesOf(axis: Axis, rank: number): number[] {
  if (axis === undefined) return [...Array(rank).keys()];
  return (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a));
}

/** The output shape: `shape` with `axes` 1 (keepDims) or removed. */
function outShape(shape: number[], axes: number[], keepDims: boolean): number[] {
  return keepDims
    ? shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : shape.filter((_, i) => !axes.includes(i));
}

const fmt = (axis: Axis) => (axis === undefined ? "all axes" : `axis ${JSON.stringify(axis)}`);

/** [shape, axis, keepDims]: single axes, sets in any order, negative axes, all, tile edges. */
const AXIS_CASES: [number[], Axis, boolean][] = [
  [[1], undefined, false],
  [[3], 0, false],
  [[17], -1, true],
  [[33], undefined, true],
  [[3, 17], 0, false],
  [[3, 17], 1, true],
  [[33, 3], 0, false],
  [[3, 17], [0, 1], false],
  [[3, 17], undefined, true],
  [[2, 3, 17], [0, 2], false],
  [[2, 3, 17], [-1, 0], true],
  [[2, 3, 17], 1, true],
  [[4, 1, 3, 5], [3, 1], true],
  [[2, 3, 4], [], false],
];

const SUMS = (s: number[]) => s.reduce((a, b) => a + b, 0);

/** Each reduction: the op, its slice reference, inputs for a slice of `count`, its tolerance. */
const REDUCTIONS = {
  sum: { f: SUMS, tol: (k: number) => Tol.dot(k) },
  mean: { f: (s: number[]) => SUMS(s) / s.length, tol: (k: number) => Tol.dot(k + 1) },
  max: { f: (s: number[]) => Math.max(...s), tol: () => Tol.exact },
  min: { f: (s: number[]) => Math.min(...s), tol: () => Tol.exact },
  prod: { f: (s: number[]) => s.reduce((a, b) => a * b, 1), tol: (k: number) => Tol.dot(k) },
  logSumExp: {
    f: (s: number[]) => {
      const m = Math.max(...s);
      return m + Math.log(SUMS(s.map((v) => Math.exp(v - m))));
    },
    tol: (k: number) => Tol.dot(k + 8),
  },
} as const;
type Reduction = keyof typeof REDUCTIONS;

/** Seeded values for `op` on `shape`: distinct for max/min, away from 0 for prod. */
function valuesFor(op: Reduction, shape: number[], seed: number): CaseInput {
  const n = size(shape);
  if (op === "max" || op === "min") return { shape, values: distinct(n, seed) };
  if (op === "prod") return { shape, values: awayFrom(n, seed, [-1.5, 1.5], [0], 0.5) };
  return { shape, range: [-2, 2], seed };
}

function reductionCases(): OpCase[] {
  const cases: OpCase[] = [];
  for (const op of Object.keys(REDUCTIONS) as Reduction[]) {
    const { f, tol } = REDUCTIONS[op];
    const fn = dn[op] as (x: dn.Tensor, axis?: Axis, keepDims?: boolean) => dn.Tensor;
    AXIS_CASES.forEach(([shape, axis, keepDims], i) => {
      const axes = axesOf(axis, shape.length);
      const count = axes.reduce((p, a) => p * shape[a], 1);
      cases.push({
        op,
        label: `[${shape}] ${fmt(axis)}${keepDims ? " keepDims" : ""}`,
        inputs: [valuesFor(op, shape, 100 + i)],
        run: (x) => fn(x, axis, keepDims),
        reference: ([x]) => ({
          shape: outShape(shape, axes, keepDims),
          values: reduceSlices(x, shape, axes, f).y,
        }),
        tol: tol(count),
        grad: true,
      });
    });
  }
  return cases;
}

/** int32 and bool sums: int32 results, exact. */
function intSumCases(): OpCase[] {
  const configs: [number[], Axis, boolean, "int32" | "bool"][] = [
    [[1], undefined, false, "int32"],
    [[3, 17], 1, false, "int32"],
    [[33], undefined, true, "int32"],
    [[2, 3, 17], [0, 2], false, "int32"],
    [[3, 17], 0, false, "bool"],
    [[2, 3, 17], [-1, 1], true, "bool"],
    [[33, 3], undefined, false, "bool"],
  ];
  return configs.map(([shape, axis, keepDims, dtype], i) => {
    const axes = axesOf(axis, shape.length);
    return {
      op: "sum",
      label: `${dtype} [${shape}] ${fmt(axis)}${keepDims ? " keepDims" : ""}`,
      inputs: [{ shape, dtype, seed: 200 + i, range: [-1000, 1000] }],
      run: (x) => dn.sum(x, axis, keepDims),
      reference: ([x]) => ({
        shape: outShape(shape, axes, keepDims),
        dtype: "int32",
        values: reduceSlices(x, shape, axes, SUMS).y,
      }),
    };
  });
}

/** NaN, ±inf and large entries: NaN propagates, logSumExp neither overflows nor vanishes. */
function specialCases(): OpCase[] {
  const shape = [4, 5];
  const values = [
    ...[1, NaN, 3, -2, 0],
    ...[Infinity, 2, -1, 5, 4],
    ...[-Infinity, -3, 1, 2, -5],
    ...[1000, 999, -1000, 998, 1000],
  ];
  const cases: OpCase[] = [];
  for (const op of ["sum", "max", "min", "prod"] as const) {
    cases.push({
      op,
      label: "rows with NaN, ±inf and ±1e3",
      inputs: [{ shape, values }],
      run: (x) => dn[op](x, 1),
      reference: ([x]) => ({ shape: [4], values: reduceSlices(x, shape, [1], REDUCTIONS[op].f).y }),
      tol: REDUCTIONS[op].tol(5),
    });
  }
  cases.push({
    op: "logSumExp",
    label: "rows of ±1e3 (max-shifted: no overflow)",
    inputs: [{
      shape: [2, 5],
      values: [1000, 999, -1000, 998, 1000, -1000, -999, -1e3, -998, -1e3],
    }],
    run: (x) => dn.logSumExp(x, -1),
    reference: ([x]) => ({
      shape: [2],
      values: reduceSlices(x, [2, 5], [1], REDUCTIONS.logSumExp.f).y,
    }),
    tol: Tol.dot(13),
  });
  return cases;
}

/** prod's gradient with zeros: one zero in a slice (the product of the others), two (zeros). */
function prodZeroCases(): OpCase[] {
  const values = [
    ...[0.5, 0, 2, -1.5],
    ...[0, 1.5, 0, 3],
    ...[1.25, -0.5, 2, 0.75],
  ];
  return [0, 1, undefined].map((axis) => {
    const axes = axesOf(axis, 2);
    return {
      op: "prod",
      label: `zeros in slices, ${fmt(axis)}`,
      inputs: [{ shape: [3, 4], values }],
      run: (x) => dn.prod(x, axis),
      reference: ([x]) => ({
        shape: outShape([3, 4], axes, false),
        values: reduceSlices(x, [3, 4], axes, REDUCTIONS.prod.f).y,
      }),
      tol: Tol.dot(12),
      grad: true,
    };
  });
}

/** The first NaN, else the first extreme of each slice. */
function argRef(isMax: boolean) {
  return (s: number[]) => {
    let best = 0;
    for (let j = 0; j < s.length; j++) {
      if (Number.isNaN(s[j])) return j;
      if (isMax ? s[j] > s[best] : s[j] < s[best]) best = j;
    }
    return best;
  };
}

function argCases(): OpCase[] {
  const configs: [number[], number][] = [
    [[1], 0],
    [[3], 0],
    [[17], -1],
    [[33], 0],
    [[3, 17], 0],
    [[3, 17], 1],
    [[2, 3, 17], 1],
    [[2, 33, 3], -2],
  ];
  const cases: OpCase[] = [];
  for (const op of ["argMax", "argMin"] as const) {
    configs.forEach(([shape, axis], i) => {
      const a = axis < 0 ? axis + shape.length : axis;
      // Coarse integers: slices hold ties, and the first index must win.
      const values = awayFrom(size(shape), 300 + i, [-3, 3], []).map(Math.round);
      cases.push({
        op,
        label: `[${shape}] axis ${axis} with ties`,
        inputs: [{ shape, values }],
        run: (x) => dn[op](x, axis),
        reference: ([x]) => ({
          shape: outShape(shape, [a], false),
          dtype: "int32",
          values: reduceSlices(x, shape, [a], argRef(op === "argMax")).y,
        }),
      });
    });
    cases.push({
      op,
      label: "rows with NaN (the first NaN wins) and ±inf",
      inputs: [{
        shape: [3, 5],
        values: [1, NaN, 3, NaN, 0, Infinity, 2, -Infinity, 5, 4, 7, 7, 7, 7, 7],
      }],
      run: (x) => dn[op](x, 1),
      reference: ([x]) => ({
        shape: [3],
        dtype: "int32",
        values: reduceSlices(x, [3, 5], [1], argRef(op === "argMax")).y,
      }),
    });
  }
  return cases;
}

function momentsCases(): OpCase[] {
  return AXIS_CASES.filter(([shape]) => size(shape) > 1).map(([shape, axis, keepDims], i) => {
    const axes = axesOf(axis, shape.length);
    const count = axes.reduce((p, a) => p * shape[a], 1);
    const mean = (s: number[]) => SUMS(s) / s.length;
    return {
      op: "moments",
      label: `[${shape}] ${fmt(axis)}${keepDims ? " keepDims" : ""}`,
      inputs: [{ shape, range: [-2, 2], seed: 400 + i }],
      run: (x) => {
        const { mean, variance } = dn.moments(x, axis, keepDims);
        return [mean, variance];
      },
      reference: ([x]) => {
        const out = outShape(shape, axes, keepDims);
        return [
          { shape: out, values: reduceSlices(x, shape, axes, mean).y },
          {
            shape: out,
            values: reduceSlices(x, shape, axes, (s) => mean(s.map((v) => (v - mean(s)) ** 2))).y,
          },
        ];
      },
      tol: Tol.dot(2 * count + 4),
      grad: true,
    };
  });
}

function cumsumCases(): OpCase[] {
  const configs: [number[], number, boolean, boolean][] = [
    [[1], 0, false, false],
    [[3], 0, true, false],
    [[17], 0, false, true],
    [[33], -1, true, true],
    [[3, 17], 0, false, false],
    [[3, 17], 1, true, false],
    [[3, 17], -1, false, true],
    [[2, 3, 5], 1, true, true],
    [[2, 33, 3], 1, false, false],
  ];
  return configs.map(([shape, axis, exclusive, reverse], i) => {
    const a = axis < 0 ? axis + shape.length : axis;
    const outer = size(shape.slice(0, a)), len = shape[a], inner = size(shape.slice(a + 1));
    return {
      op: "cumsum",
      label: `[${shape}] axis ${axis}${exclusive ? " exclusive" : ""}${reverse ? " reverse" : ""}`,
      inputs: [{ shape, range: [-2, 2], seed: 500 + i }],
      run: (x) => dn.cumsum(x, axis, exclusive, reverse),
      reference: ([x]) => ({ shape, values: cumsumRef(x, outer, len, inner, exclusive, reverse) }),
      tol: Tol.dot(len),
      grad: true,
    };
  });
}

function topkCases(): OpCase[] {
  const configs: [number[], number, boolean][] = [
    [[1], 1, true],
    [[3], 0, true],
    [[3], 3, false],
    [[17], 5, true],
    [[17], 5, false],
    [[3, 33], 7, true],
    [[2, 3, 17], 17, true],
    [[4, 9], 4, false],
  ];
  const cases: OpCase[] = configs.map(([shape, k, sorted], i) => {
    const cols = shape[shape.length - 1], rows = size(shape) / cols;
    const out = [...shape.slice(0, -1), k];
    return {
      op: "topk",
      label: `[${shape}] k ${k}${sorted ? "" : " unsorted"} with ties`,
      inputs: [{ shape, values: awayFrom(size(shape), 600 + i, [-4, 4], []).map(Math.round) }],
      run: (x) => {
        const { values, indices } = dn.topk(x, k, sorted);
        return [values, indices];
      },
      reference: ([x]) => {
        const { values, indices } = topkRef(x, rows, cols, k, sorted);
        return [{ shape: out, values }, { shape: out, dtype: "int32", values: indices }];
      },
    };
  });
  cases.push({
    op: "topk",
    label: "rows with NaN (ranked first) and ±inf",
    inputs: [{
      shape: [2, 6],
      values: [1, NaN, Infinity, -Infinity, NaN, 3, -Infinity, 0, 0, 2, -1, 2],
    }],
    run: (x) => {
      const { values, indices } = dn.topk(x, 4);
      return [values, indices];
    },
    reference: ([x]) => {
      const { values, indices } = topkRef(x, 2, 6, 4, true);
      return [{ shape: [2, 4], values }, { shape: [2, 4], dtype: "int32", values: indices }];
    },
  });
  for (const [shape, k] of [[[17], 5], [[3, 33], 7]] as [number[], number][]) {
    const cols = shape[shape.length - 1], rows = size(shape) / cols;
    cases.push({
      op: "topk",
      label: `[${shape}] k ${k} values' gradient`,
      inputs: [{ shape, values: distinct(size(shape), 700 + k) }],
      run: (x) => {
        const { values, indices } = dn.topk(x, k);
        indices.dispose();
        return values;
      },
      reference: ([x]) => ({
        shape: [...shape.slice(0, -1), k],
        values: topkRef(x, rows, cols, k, true).values,
      }),
      grad: true,
    });
  }
  return cases;
}

/** Values with distinct magnitudes (spacing 2/n) and both signs, away from 0. */
function distinctMagnitudes(n: number, seed: number): number[] {
  return distinct(n, seed).map((v, i) => (i % 2 === 0 ? 1 : -1) * (v + 1.25));
}

function normCases(): OpCase[] {
  type Ord = "euclidean" | "fro" | number;
  const configs: [number[], Ord, Axis, boolean][] = [
    [[1], "euclidean", undefined, false],
    [[17], 2, 0, false],
    [[33], 1, undefined, true],
    [[3, 17], Infinity, 1, false],
    [[3, 17], -Infinity, -1, true],
    [[3, 17], "euclidean", undefined, false],
    [[3, 17], "fro", [0, 1], false],
    [[3, 17], 1, [0, 1], true],
    [[2, 3, 5], Infinity, [2, 1], false],
    [[2, 3, 5], -Infinity, [1, 2], false],
    [[2, 3, 5], 1, [-1, 0], false],
  ];
  const abs = (s: number[]) => s.map(Math.abs);
  const vector = (ord: Ord) => (s: number[]) =>
    ord === 1
      ? SUMS(abs(s))
      : ord === Infinity
      ? Math.max(...abs(s))
      : ord === -Infinity
      ? Math.min(...abs(s))
      : Math.sqrt(SUMS(s.map((v) => v * v)));
  return configs.map(([shape, ord, axis, keepDims], i) => {
    const axes = axesOf(axis, shape.length);
    const out = outShape(shape, axes, keepDims);
    const matrix = Array.isArray(axis) && axis.length === 2;
    return {
      op: "norm",
      label: `[${shape}] ord ${String(ord)} ${fmt(axis)}${keepDims ? " keepDims" : ""}`,
      inputs: [{ shape, values: distinctMagnitudes(size(shape), 800 + i) }],
      run: (x) => dn.norm(x, ord, axis, keepDims),
      reference: ([x]) => {
        if (!matrix || ord === "fro" || ord === "euclidean") {
          return { shape: out, values: reduceSlices(x, shape, axes, vector(ord)).y };
        }
        // Rows along the axis named first: 1 sums over it, ±Infinity over the other.
        const [row, col] = axes;
        const [summed, kept] = ord === 1 ? [row, col] : [col, row];
        const sums = reduceSlices(x, shape, [summed], (s) => SUMS(abs(s)));
        const pick = ord === -Infinity
          ? (s: number[]) => Math.min(...s)
          : (s: number[]) => Math.max(...s);
        return { shape: out, values: reduceSlices(sums.y, sums.shape, [kept], pick).y };
      },
      tol: Tol.dot(size(shape) + 4),
      grad: true,
    };
  });
}

function logicalCases(): OpCase[] {
  const configs: [number[], Axis, boolean][] = [
    [[1], undefined, false],
    [[3], 0, true],
    [[17], -1, false],
    [[33], undefined, false],
    [[3, 17], 0, false],
    [[3, 17], 1, true],
    [[3, 17], [1, 0], false],
    [[2, 3, 17], [0, 2], false],
    [[2, 0, 3], 1, false],
  ];
  const cases: OpCase[] = [];
  for (const op of ["all", "any"] as const) {
    configs.forEach(([shape, axis, keepDims], i) => {
      const axes = axesOf(axis, shape.length);
      // Mostly the value that does not decide the result, so both outcomes occur.
      const common = op === "all" ? 1 : 0;
      const values = awayFrom(size(shape), 900 + i, [0, 1], [])
        .map((v) => (v < 0.97 ? common : 1 - common));
      cases.push({
        op,
        label: `[${shape}] ${fmt(axis)}${keepDims ? " keepDims" : ""}`,
        inputs: [{ shape, dtype: "bool", values }],
        run: (x) => dn[op](x, axis, keepDims),
        reference: ([x]) => ({
          shape: outShape(shape, axes, keepDims),
          dtype: "bool",
          values: reduceSlices(x, shape, axes, (s) =>
            op === "all"
              ? +s.every((v) => v !== 0)
              : +s.some((v) =>
                v !== 0
              )).y,
        }),
      });
    });
  }
  return cases;
}

export const CASES: OpCase[] = [
  ...reductionCases(),
  ...intSumCases(),
  ...specialCases(),
  ...prodZeroCases(),
  ...argCases(),
  ...momentsCases(),
  ...cumsumCases(),
  ...topkCases(),
  ...normCases(),
  ...logicalCases(),
];
