/**
 * The op suite's cases for the first op surface's elementwise ops, reductions and reshapes,
 * migrated from tests/ops/elementwise_test.ts, reduce_test.ts, clip_test.ts, one_hot_test.ts and
 * transform_test.ts (which stay): relu sigmoid tanh exp log neg sqrt square abs, add sub mul div,
 * sum mean max, softmax logSoftmax, clipByValue, oneHot, reshape, transpose.
 *
 * Tolerances (STYLE C9), as in those files: relu, neg, abs, clipByValue, max, copies exact; sqrt,
 * square and the binary ops one rounding (`Tol.rounding`); exp, log, tanh `Tol.ulps(4)`, sigmoid
 * `Tol.ulps(6)` (2- and 3-ulp polynomial approximations); sum of k terms `Tol.dot(k)`, mean
 * `Tol.dot(k + 1)`; softmax and logSoftmax `Tol.dot(cols + spread + 4)` (reduce_test.ts header).
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { broadcastBinary, reduceAxes, type ReduceKind } from "../../../_reference/broadcast.ts";
import { BINARY, type BinaryName, UNARY, type UnaryName } from "../../../_reference/elementwise.ts";
import { clip } from "../../../_reference/optim.ts";
import { logSoftmax, softmax } from "../../../_reference/reduce.ts";
import { Tol, type Tolerance } from "../../../_util/assert_close.ts";
import type { OpCase } from "../case.ts";
import { awayFrom, distinct, f32, size } from "./_values.ts";

/** Each unary op: its domain for draws, where its derivative has a kink, its tolerance. */
const UNARY_OPS: Record<UnaryName, { range: [number, number]; kinks: number[]; tol: Tolerance }> = {
  relu: { range: [-4, 4], kinks: [0], tol: Tol.exact },
  sigmoid: { range: [-8, 8], kinks: [], tol: Tol.ulps(6) },
  tanh: { range: [-4, 4], kinks: [], tol: Tol.ulps(4) },
  exp: { range: [-10, 10], kinks: [], tol: Tol.ulps(4) },
  log: { range: [1e-3, 100], kinks: [], tol: Tol.ulps(4) },
  neg: { range: [-4, 4], kinks: [], tol: Tol.exact },
  sqrt: { range: [0, 100], kinks: [], tol: Tol.rounding },
  square: { range: [-4, 4], kinks: [], tol: Tol.rounding },
  abs: { range: [-4, 4], kinks: [0], tol: Tol.exact },
};

/** Lengths straddling the 8- and 4-wide SIMD bodies and the scalar tail. */
const UNARY_SHAPES = [[1], [3], [4], [9], [17], [33], [3, 43]];

/** Gradient inputs: log and sqrt away from 0 (where their derivatives blow up). */
const GRAD_RANGE: Partial<Record<UnaryName, [number, number]>> = {
  log: [0.5, 3],
  sqrt: [0.5, 4],
  exp: [-2, 2],
  sigmoid: [-4, 4],
};

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e30, -1e30, 100, -100, 88, -88];

function unaryCases(): OpCase[] {
  const cases: OpCase[] = [];
  for (
    const [name, { range, kinks, tol }] of Object.entries(UNARY_OPS) as [
      UnaryName,
      (typeof UNARY_OPS)[UnaryName],
    ][]
  ) {
    const op = dn[name] as (x: dn.Tensor) => dn.Tensor;
    const f = UNARY[name];
    const reference = ([x]: Float64Array[], shape: number[]) => ({ shape, values: x.map(f) });
    for (const shape of UNARY_SHAPES) {
      cases.push({
        op: name,
        label: `[${shape}] in [${range}]`,
        inputs: [{ shape, range }],
        run: op,
        reference: (xs) => reference(xs, shape),
        tol,
      });
    }
    cases.push({
      op: name,
      label: "NaN, ±Infinity, ±0 and huge values, as Math rounded to f32",
      inputs: [{ shape: [SPECIALS.length], values: SPECIALS }],
      run: op,
      reference: ([x]) => ({ shape: [SPECIALS.length], values: f32(x.map(f)) }),
      tol,
    });
    const gradShape = [3, 17];
    cases.push({
      op: name,
      label: `gradient on [${gradShape}]`,
      inputs: [{
        shape: gradShape,
        values: awayFrom(size(gradShape), 11, GRAD_RANGE[name] ?? [-2, 2], kinks),
      }],
      run: op,
      reference: (xs) => reference(xs, gradShape),
      tol,
      grad: true,
    });
  }
  return cases;
}

/** Broadcasting patterns `[label, a shape, b shape]` (each also run with the sides swapped). */
const PATTERNS: [string, number[], number[]][] = [
  ["same shape", [3, 17], [3, 17]],
  ["same shape 1-d", [129], [129]],
  ["row", [4, 9], [9]],
  ["column", [4, 9], [4, 1]],
  ["scalar tensor", [], [3, 5]],
  ["middle dimension", [2, 3, 4], [2, 1, 4]],
  ["outer product", [5, 1], [1, 7]],
  ["rank lifting", [7], [2, 3, 7]],
  ["rank 4 both sides", [2, 1, 4, 1], [1, 3, 1, 5]],
];

function binaryCases(): OpCase[] {
  const cases: OpCase[] = [];
  for (const name of ["add", "sub", "mul", "div"] as BinaryName[]) {
    const op = dn[name] as (a: dn.Tensor | number, b: dn.Tensor | number) => dn.Tensor;
    const f = BINARY[name];
    // Divisors kept in [0.5, 2] for the gradient (1/b² bounded); other draws in [-2, 2].
    const bRange: [number, number] = name === "div" ? [0.5, 2] : [-2, 2];
    for (const [label, sa, sb] of PATTERNS) {
      const orders = sa.join() === sb.join() ? [[sa, sb]] : [[sa, sb], [sb, sa]];
      for (const [a, b] of orders) {
        cases.push({
          op: name,
          label: `${label} [${a}] and [${b}]`,
          inputs: [{ shape: a }, { shape: b, range: bRange }],
          run: (x, y) => op(x, y),
          reference: ([x, y]) => {
            const r = broadcastBinary(f, x, a, y, b);
            return { shape: r.shape, values: r.y };
          },
          tol: Tol.rounding,
          grad: size(a) * size(b) <= 20000,
        });
      }
    }
    const s = Math.fround(-2.5);
    for (const side of ["right", "left"] as const) {
      cases.push({
        op: name,
        label: `the number ${s} on the ${side}`,
        inputs: [{ shape: [3, 17], range: name === "div" && side === "left" ? [0.5, 2] : [-2, 2] }],
        run: (x) => (side === "right" ? op(x, s) : op(s, x)),
        reference: ([x]) => ({
          shape: [3, 17],
          values: x.map((v) => (side === "right" ? f(v, s) : f(s, v))),
        }),
        tol: Tol.rounding,
        grad: true,
      });
    }
  }
  return cases;
}

const REDUCE_SHAPES: number[][] = [[1], [129], [7, 13], [3, 4, 5], [2, 3, 4, 5], [1, 17, 1, 9]];

/** All axes, each axis once (the last one negative), and the first and last axes together. */
function axisSets(rank: number): (number | number[] | undefined)[] {
  const sets: (number | number[] | undefined)[] = [undefined];
  for (let a = 0; a < rank; a++) sets.push(a === rank - 1 ? -1 : a);
  if (rank >= 2) sets.push([rank - 1, 0]);
  return sets;
}

function reduceCases(): OpCase[] {
  const cases: OpCase[] = [];
  const ops = { sum: dn.sum, mean: dn.mean, max: dn.max };
  for (const kind of ["sum", "mean", "max"] as ReduceKind[]) {
    for (const shape of REDUCE_SHAPES) {
      axisSets(shape.length).forEach((axis, i) => {
        const list = axis === undefined ? shape.map((_, d) => d) : [axis].flat();
        const axes = list.map((a) => (a < 0 ? a + shape.length : a));
        const count = axes.reduce((p, a) => p * shape[a], 1);
        const keepDims = i % 2 === 1;
        const n = size(shape);
        cases.push({
          op: kind,
          label: `[${shape}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`,
          // Max: distinct values (spacing 2/n > h), where the gradient is defined.
          inputs: [
            kind === "max" ? { shape, values: distinct(n, n + i) } : { shape, range: [-1, 1] },
          ],
          run: (x) => ops[kind](x, axis, { keepDims }),
          reference: ([x]) => {
            const r = reduceAxes(kind, x, shape, axes);
            return {
              shape: keepDims ? r.shape : shape.filter((_, d) => !axes.includes(d)),
              values: r.y,
            };
          },
          tol: kind === "max" ? Tol.exact : Tol.dot(kind === "mean" ? count + 1 : count),
          grad: n <= 500,
        });
      });
    }
  }
  return cases;
}

const SOFTMAX_SHAPES: number[][] = [[1], [9], [3, 7], [4, 8], [5, 129], [2, 3, 4], [2, 1025]];

function softmaxCases(): OpCase[] {
  const spread = 10;
  return SOFTMAX_SHAPES.flatMap((shape) => {
    const cols = shape[shape.length - 1], rows = size(shape) / cols;
    return ([["softmax", softmax], ["logSoftmax", logSoftmax]] as const).map(([op, ref]) => ({
      op,
      label: `last axis of [${shape}], inputs in ±${spread / 2}`,
      inputs: [{ shape, range: [-spread / 2, spread / 2] as [number, number] }],
      run: (x: dn.Tensor) => dn[op](x),
      reference: ([x]: Float64Array[]) => ({ shape, values: ref(x, rows, cols) }),
      tol: Tol.dot(cols + spread + 4),
      grad: size(shape) <= 200,
    }));
  });
}

function otherCases(): OpCase[] {
  const cases: OpCase[] = [];
  for (const shape of [[3, 17], [2, 3, 4], [33]]) {
    cases.push({
      op: "clipByValue",
      label: `[${shape}] to [-1, 2]`,
      inputs: [{ shape, values: awayFrom(size(shape), 7 + shape.length, [-3, 3], [-1, 2]) }],
      run: (x) => dn.clipByValue(x, -1, 2),
      reference: ([x]) => ({ shape, values: clip(x, -1, 2) }),
      grad: true,
    });
  }
  cases.push({
    op: "oneHot",
    label: "indices [2, 3] depth 5",
    inputs: [{ shape: [2, 3], values: [0, 4, 2, 1, 3, 4] }],
    run: (i) => dn.oneHot(i, 5),
    reference: ([i]) => ({
      shape: [2, 3, 5],
      values: Float64Array.from({ length: 30 }, (_, k) => (i[Math.floor(k / 5)] === k % 5 ? 1 : 0)),
    }),
  });
  const reshapes: [number[], number[]][] = [[[3, 4], [2, 6]], [[2, 3, 4], [24]], [[17], [
    1,
    17,
    1,
  ]]];
  for (const [from, to] of reshapes) {
    cases.push({
      op: "reshape",
      label: `[${from}] to [${to}]`,
      inputs: [{ shape: from }],
      run: (x) => dn.reshape(x, to),
      reference: ([x]) => ({ shape: to, values: x }),
      grad: true,
    });
  }
  for (const [rows, cols] of [[1, 1], [3, 17], [33, 9]]) {
    cases.push({
      op: "transpose",
      label: `[${rows}, ${cols}]`,
      inputs: [{ shape: [rows, cols] }],
      run: (x) => dn.transpose(x),
      reference: ([x]) => ({
        shape: [cols, rows],
        values: Float64Array.from({ length: rows * cols }, (_, k) => {
          const j = Math.floor(k / rows), i = k % rows;
          return x[i * cols + j];
        }),
      }),
      grad: true,
    });
  }
  return cases;
}

/** The cases. */
export const CASES: OpCase[] = [
  ...unaryCases(),
  ...binaryCases(),
  ...reduceCases(),
  ...softmaxCases(),
  ...otherCases(),
];
