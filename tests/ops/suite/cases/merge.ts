/**
 * The op suite's cases for the merge layers (`concatenate`, `add`, `subtract`, `multiply`,
 * `average`, `maximum`, `minimum`, `dot`): a fresh layer applied to the list of seeded inputs
 * inside `tidy`, against the float64 references of tests/_reference/merge.ts, with gradients to
 * every input, on every backend. Shapes cover equal samples, broadcasting (size-1 axes and lower
 * ranks, Keras's alignment after the batch axis), tile edges (1, 3, 17, 33) and 2 to 4 inputs.
 *
 * Tolerances (STYLE C9): concatenate, maximum and minimum move values (exact); add, subtract and
 * average sum k terms, `Tol.dot(k + 1)`; multiply rounds once per factor, `Tol.ulps(2k)`; dot a
 * sum of the contracted dimension's products, `Tol.dot(k + 9)` (normalised: `Tol.dot(3k + 9)`).
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { concatReference, dotReference, elementwiseReference } from "../../../_reference/merge.ts";
import { Tol } from "../../../_util/assert_close.ts";
import type { OpCase } from "../case.ts";

/** Runs a fresh merge layer on the inputs as a list, inside `tidy`. */
function applyMerge(make: () => dn.layers.Layer): (...xs: dn.Tensor[]) => dn.Tensor {
  return (...xs) => {
    const layer = make();
    try {
      return dn.tidy(() => layer.apply(xs));
    } finally {
      layer.dispose();
    }
  };
}

type Elementwise = "add" | "subtract" | "multiply" | "average" | "maximum" | "minimum";

const FOLDS: Record<Elementwise, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  average: (a, b) => a + b,
  maximum: Math.max,
  minimum: Math.min,
};

function elementwiseCases(): OpCase[] {
  const configs: [Elementwise, number[][]][] = [
    ["add", [[2, 3], [2, 3]]],
    ["add", [[3, 17], [3, 17], [3, 17], [3, 17]]],
    ["add", [[2, 4, 3], [2, 3]]],
    ["add", [[1, 1], [1, 1]]],
    ["subtract", [[3, 33], [3, 33]]],
    ["subtract", [[2, 3, 1], [2, 1, 5]]],
    ["multiply", [[2, 17], [2, 17], [2, 17]]],
    ["multiply", [[4, 2, 3], [4, 3]]],
    ["average", [[3, 5], [3, 5], [3, 5]]],
    ["average", [[2, 1, 4], [2, 3, 4]]],
    ["maximum", [[2, 33], [2, 33], [2, 33]]],
    ["maximum", [[3, 2, 1], [3, 2, 4]]],
    ["minimum", [[2, 17], [2, 17]]],
    ["minimum", [[1, 3, 4], [1, 4]]],
  ];
  return configs.map(([op, shapes], c) => {
    const k = shapes.length;
    const tol = op === "maximum" || op === "minimum"
      ? Tol.exact
      : op === "multiply"
      ? Tol.ulps(2 * k)
      : Tol.dot(k + 1);
    return {
      op: `layers.${op}`,
      label: `${k} inputs ${shapes.map((s) => `[${s}]`).join(" ")}`,
      inputs: shapes.map((shape, i) => ({ shape, seed: 100 * c + i, range: [-2, 2] })),
      run: applyMerge(() => dn.layers[op]()),
      reference: (xs) =>
        elementwiseReference(
          xs,
          shapes,
          FOLDS[op],
          op === "average" ? (y) => y / k : undefined,
        ),
      tol,
      grad: true,
    };
  });
}

function concatenateCases(): OpCase[] {
  const configs: [number | undefined, number[][]][] = [
    [undefined, [[2, 3], [2, 5]]],
    [-1, [[3, 2, 17], [3, 2, 1], [3, 2, 33]]],
    [1, [[2, 3, 4], [2, 1, 4]]],
    [2, [[1, 3, 4, 2], [1, 3, 1, 2], [1, 3, 2, 2]]],
    [-2, [[2, 17, 3], [2, 3, 3]]],
  ];
  return configs.map(([axis, shapes], c) => {
    const rank = shapes[0].length;
    const a = axis === undefined ? rank - 1 : axis < 0 ? axis + rank : axis;
    return {
      op: "layers.concatenate",
      label: `axis ${axis ?? "default"}, ${shapes.map((s) => `[${s}]`).join(" ")}`,
      inputs: shapes.map((shape, i) => ({ shape, seed: 700 + 10 * c + i })),
      run: applyMerge(() => dn.layers.concatenate(axis === undefined ? {} : { axis })),
      reference: (xs) => concatReference(xs, shapes, a),
      grad: true,
    };
  });
}

function dotCases(): OpCase[] {
  const configs: [number | [number, number], boolean, number[], number[]][] = [
    [1, false, [3, 5], [3, 5]],
    [-1, false, [2, 17], [2, 17]],
    [[2, 1], false, [2, 3, 4], [2, 4, 5]],
    [[1, 1], false, [2, 33, 3], [2, 33, 2]],
    [[2, 2], false, [3, 4, 2], [3, 5, 2]],
    [1, true, [4, 6], [4, 6]],
    [[2, 1], true, [2, 3, 4], [2, 4, 2]],
  ];
  return configs.map(([axes, normalize, s0, s1], c) => {
    const [a0, a1] = (Array.isArray(axes) ? axes : [axes, axes]).map((a, i) =>
      a < 0 ? a + [s0, s1][i].length : a
    );
    const k = s0[a0];
    return {
      op: "layers.dot",
      label: `axes ${JSON.stringify(axes)}${normalize ? " normalize" : ""}, [${s0}] · [${s1}]`,
      inputs: [{ shape: s0, seed: 800 + c, range: [-1, 1] }, {
        shape: s1,
        seed: 900 + c,
        range: [-1, 1],
      }],
      run: applyMerge(() => dn.layers.dot({ axes, normalize })),
      reference: ([x0, x1]) => dotReference(x0, s0, x1, s1, a0, a1, normalize),
      tol: Tol.dot(normalize ? 3 * k + 9 : k + 9),
      grad: true,
    };
  });
}

export const CASES: OpCase[] = [...elementwiseCases(), ...concatenateCases(), ...dotCases()];
