/**
 * The op suite's cases for the regression, margin and distribution losses (meanAbsoluteError,
 * huber, logCosh, hinge, squaredHinge, kullbackLeiblerDivergence, cosineSimilarity): a scalar
 * against the float64 reference of tests/_reference/losses.ts, gradient with respect to `yPred`.
 * Predictions are drawn away from the kinks (|e| = delta, margin 1, clip bound) by the suite's
 * step. Tolerance: a mean of n short float32 chains (`Tol.dot(n)` plus 16 ε of the largest term).
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import * as ref from "../../../_reference/losses.ts";
import { Tol } from "../../../_util/assert_close.ts";
import type { CaseInput, OpCase } from "../case.ts";
import { awayFrom, size } from "./_values.ts";

type Ref = (t: Float64Array, p: Float64Array, cols: number) => number;

const FAMILY: {
  op: string;
  run: (t: dn.Tensor, p: dn.Tensor) => dn.Tensor;
  ref: Ref;
  t: (n: number, seed: number) => number[];
  p: (t: number[], seed: number) => number[];
}[] = [
  {
    op: "losses.meanAbsoluteError",
    run: dn.losses.meanAbsoluteError,
    ref: ref.meanAbsoluteError,
    t: (n, s) => awayFrom(n, s, [-2, 2], []),
    p: (t, s) => shiftAway(t, s, [0]),
  },
  {
    op: "losses.huber",
    run: (t, p) => dn.losses.huber(t, p, { delta: 0.75 }),
    ref: (t, p, c) => ref.huber(t, p, c, 0.75),
    t: (n, s) => awayFrom(n, s, [-2, 2], []),
    p: (t, s) => shiftAway(t, s, [0, -0.75, 0.75]),
  },
  {
    op: "losses.logCosh",
    run: dn.losses.logCosh,
    ref: ref.logCosh,
    t: (n, s) => awayFrom(n, s, [-2, 2], []),
    p: (t, s) => shiftAway(t, s, []),
  },
  {
    op: "losses.hinge",
    run: dn.losses.hinge,
    ref: (t, p, c) => ref.hinge(t, p, c, 1),
    t: (n, s) => awayFrom(n, s, [-1, 1], [0], 0.5).map(Math.sign),
    p: (t, s) => awayFrom(t.length, s, [-2, 2], [-1, 1]),
  },
  {
    op: "losses.squaredHinge",
    run: dn.losses.squaredHinge,
    ref: (t, p, c) => ref.hinge(t, p, c, 2),
    t: (n, s) => awayFrom(n, s, [-1, 1], [0], 0.5).map((v) => (v > 0 ? 1 : 0)),
    p: (t, s) => awayFrom(t.length, s, [-2, 2], [-1, 1]),
  },
  {
    op: "losses.kullbackLeiblerDivergence",
    run: dn.losses.kullbackLeiblerDivergence,
    ref: ref.kullbackLeiblerDivergence,
    t: (n, s) => awayFrom(n, s, [0.05, 0.95], []),
    p: (t, s) => awayFrom(t.length, s, [0.05, 0.95], []),
  },
  {
    op: "losses.cosineSimilarity",
    run: dn.losses.cosineSimilarity,
    ref: ref.cosineSimilarity,
    t: (n, s) => awayFrom(n, s, [-2, 2], []),
    p: (t, s) => awayFrom(t.length, s, [-2, 2], []),
  },
];

/** `t + d` with `d` drawn in [-2, 2] away from every point of `kinks` of the error. */
function shiftAway(t: number[], seed: number, kinks: number[]): number[] {
  const d = awayFrom(t.length, seed, [-2, 2], kinks);
  return t.map((v, i) => Math.fround(v + d[i]));
}

const SHAPES = [[1], [17], [3, 5], [2, 3, 33]];

export const CASES: OpCase[] = FAMILY.flatMap(({ op, run, ref, t, p }, k) =>
  SHAPES.map((shape, s) => {
    const n = size(shape), cols = shape[shape.length - 1];
    const tv = t(n, 100 * k + s), pv = p(tv, 100 * k + s + 50);
    const inputs: CaseInput[] = [{ shape, values: tv }, { shape, values: pv }];
    return {
      op,
      label: `[${shape}]`,
      inputs,
      run,
      reference: ([a, b]) => ({ shape: [], values: [ref(a, b, cols)] }),
      tol: { abs: 16 * 2 ** -24 * 8, rel: Tol.dot(n).rel },
      grad: [1],
    };
  })
);
