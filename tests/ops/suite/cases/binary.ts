/**
 * The op suite's cases for the binary math ops: maximum minimum pow mod floorDiv
 * squaredDifference over float32 and int32, and add sub mul div over int32 and bool (core.ts has
 * their float32 cases). Broadcasts: same shape, scalar, row, column, both sides, at tile edges 1,
 * 3, 17, 33; NaN and ±Infinity; int32 division by 0 (0, as on every backend) and wrapping;
 * gradients away from the kinks (ties of maximum/minimum, integer quotients of mod).
 *
 * Tolerances (STYLE C9): the references (tests/_reference/binary.ts) repeat each f32 rounding,
 * so results are exact except pow (musl's powf, 1 ulp: `Tol.ulps(2)`). WebGPU: `Tol.gpu`, and pow
 * `exp2(b·log2 a)` within 2e-5 relative for |b·log2 a| <= 8; NaN and ±Infinity cases skip webgpu
 * (WGSL may assume finite floats), and float mod there is `a - b·trunc(a/b)` (`Tol.gpu`).
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { broadcastBinary } from "../../../_reference/broadcast.ts";
import { type BinaryOpName, F32_BINARY, I32_BINARY } from "../../../_reference/binary.ts";
import { Tol } from "../../../_util/assert_close.ts";
import { rng } from "../../../_util/rng.ts";
import type { CaseDType, OpCase } from "../case.ts";
import { size } from "./_values.ts";

type Op = (a: dn.Tensor | number, b: dn.Tensor | number) => dn.Tensor;

const MATH: BinaryOpName[] = ["maximum", "minimum", "pow", "mod", "floorDiv", "squaredDifference"];

/** Shape pairs: same shape at tile edges, scalar, row, column and both-sides broadcasts. */
const PATTERNS: [string, number[], number[]][] = [
  ["same shape 1", [1], [1]],
  ["same shape 3", [3], [3]],
  ["same shape 17", [17], [17]],
  ["same shape 3x33", [3, 33], [3, 33]],
  ["scalar", [3, 17], []],
  ["row", [4, 33], [33]],
  ["column", [17, 3], [17, 1]],
  ["both sides", [3, 1], [1, 17]],
  ["rank 4 both sides", [2, 1, 3, 1], [1, 3, 1, 17]],
];

/** Ranges per op: exponents small, bases positive for float pow, divisors away from 0. */
function ranges(op: BinaryOpName, int: boolean): [[number, number], [number, number]] {
  if (op === "pow") return int ? [[-4, 4], [0, 6]] : [[0.25, 4], [-3, 3]];
  if (op === "mod" || op === "floorDiv" || op === "div") {
    return int ? [[-20, 20], [-6, 6]] : [[-4, 4], [0.5, 2]];
  }
  return int ? [[-50, 50], [-50, 50]] : [[-2, 2], [-2, 2]];
}

function forward(op: BinaryOpName, dtype: CaseDType): OpCase[] {
  const int = dtype !== "float32";
  const f = int ? I32_BINARY[op] : F32_BINARY[op];
  const run = dn[op] as Op;
  const [ra, rb] = ranges(op, int);
  const cases: OpCase[] = [];
  for (const [label, sa, sb] of PATTERNS) {
    if (int && !["same shape 17", "scalar", "both sides", "rank 4 both sides"].includes(label)) {
      continue;
    }
    cases.push({
      op,
      label: `${dtype} ${label} [${sa}] and [${sb}]`,
      inputs: [{ shape: sa, dtype, range: ra }, { shape: sb, dtype, range: rb }],
      run: (a, b) => run(a, b),
      reference: ([a, b]) => {
        const r = broadcastBinary(f, a, sa, b, sb);
        return { shape: r.shape, dtype: int ? "int32" : "float32", values: r.y };
      },
      tol: op === "pow" && !int ? Tol.ulps(2) : Tol.exact,
      webgpuTol: int ? Tol.exact : op === "pow" ? { abs: 1e-5, rel: 2e-5 } : Tol.gpu,
    });
  }
  return cases;
}

const NAN_SKIP = "WGSL may assume finite floats (programs/elementwise.ts header)";
const A_SPECIAL = [NaN, 1, Infinity, -Infinity, 0, -0, 2, -2, Infinity, 3, -3, 0.5];
const B_SPECIAL = [1, NaN, 2, 2, -0, 0, Infinity, -Infinity, Infinity, 0, 2.5, -Infinity];

function specials(op: BinaryOpName): OpCase {
  return {
    op,
    label: "NaN, ±Infinity and ±0 as the reference rounded to f32",
    inputs: [{ shape: [12], values: A_SPECIAL }, { shape: [12], values: B_SPECIAL }],
    run: (a, b) => (dn[op] as Op)(a, b),
    reference: ([a, b]) => ({ shape: [12], values: a.map((v, i) => F32_BINARY[op](v, b[i])) }),
    tol: op === "pow" ? Tol.ulps(2) : Tol.exact,
    exclude: { webgpu: NAN_SKIP },
  };
}

/** int32 edge values: division by 0 gives 0, -2^31 / -1 wraps, overflow wraps. */
function intEdges(op: BinaryOpName): OpCase {
  const a = [7, -7, 0, -2147483648, 2147483647, 5, -5, 3, 46341, -1, 2, 1];
  const b = [0, 0, 0, -1, 2, -1, 3, -2, 46341, 3, -1, -3];
  return {
    op,
    label: "int32 division by 0, -2^31 by -1, overflow and negative exponents",
    inputs: [{ shape: [12], dtype: "int32", values: a }, {
      shape: [12],
      dtype: "int32",
      values: b,
    }],
    run: (x, y) => (dn[op] as Op)(x, y),
    reference: ([x, y]) => ({
      shape: [12],
      dtype: "int32",
      values: x.map((v, i) => I32_BINARY[op](v, y[i])),
    }),
  };
}

/** `n` values in [lo, hi] with a seeded random sign each. */
function signed(n: number, seed: number, lo: number, hi: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const v = Math.fround(lo + (hi - lo) * (r() + 1) / 2);
    return r() < 0 ? -v : v;
  });
}

/** Values of `b` (shape `sb`) at least `margin` from every `a` they meet under broadcasting. */
function apart(a: number[], sa: number[], sb: number[], seed: number, margin = 0.05): number[] {
  for (let s = seed;; s++) {
    const r = rng(s);
    const b = Array.from({ length: size(sb) }, () => Math.fround(2 * r()));
    const gaps = broadcastBinary((x, y) => Math.abs(x - y), a, sa, b, sb).y;
    if (gaps.every((g) => g >= margin)) return b;
  }
}

/**
 * Float64 references for the gradient cases: the central differences need the unrounded
 * function (an f32 rounding of ~1e-7 over h = 1e-3 is an error of ~1e-4 in the slope).
 */
const F64: Record<
  "maximum" | "minimum" | "squaredDifference" | "mod",
  (a: number, b: number) => number
> = {
  maximum: Math.max,
  minimum: Math.min,
  squaredDifference: (a, b) => (a - b) ** 2,
  mod: (a, b) => a - b * Math.floor(a / b),
};

function gradients(): OpCase[] {
  const cases: OpCase[] = [];
  const shapes: [number[], number[]][] = [[[3, 17], [3, 17]], [[3, 5], [5]], [[3, 1], [1, 4]]];
  shapes.forEach(([sa, sb], k) => {
    const a = signed(size(sa), 100 + k, 0, 2);
    const b = apart(a, sa, sb, 200 + k);
    for (const op of ["maximum", "minimum", "squaredDifference"] as const) {
      cases.push({
        op,
        label: `gradient [${sa}] and [${sb}], operands apart`,
        inputs: [{ shape: sa, values: a }, { shape: sb, values: b }],
        run: (x, y) => (dn[op] as Op)(x, y),
        reference: ([x, y]) => {
          const r = broadcastBinary(F64[op], x, sa, y, sb);
          return { shape: r.shape, values: r.y };
        },
        tol: op === "squaredDifference" ? Tol.ulps(4) : Tol.exact,
        grad: true,
      });
    }
    cases.push({
      op: "pow",
      label: `gradient [${sa}] and [${sb}], positive bases`,
      inputs: [{ shape: sa, range: [0.5, 2] }, { shape: sb, range: [-2, 2] }],
      run: (x, y) => dn.pow(x, y),
      reference: ([x, y]) => {
        const r = broadcastBinary(Math.pow, x, sa, y, sb);
        return { shape: r.shape, values: r.y };
      },
      tol: Tol.ulps(2),
      webgpuTol: { abs: 1e-5, rel: 2e-5 },
      grad: true,
    });
    // |a| in [0.2, 1.3] and b in [1.5, 2.5]: a/b stays inside (-1, 0) or (0, 1), off the jumps.
    cases.push({
      op: "mod",
      label: `gradient [${sa}] and [${sb}], quotients off the integers`,
      inputs: [{ shape: sa, values: signed(size(sa), 300 + k, 0.2, 1.3) }, {
        shape: sb,
        range: [1.5, 2.5],
      }],
      run: (x, y) => dn.mod(x, y),
      reference: ([x, y]) => {
        const r = broadcastBinary(F64.mod, x, sa, y, sb);
        return { shape: r.shape, values: r.y };
      },
      tol: Tol.ulps(4),
      webgpuTol: Tol.gpu,
      grad: true,
    });
  });
  cases.push({
    op: "pow",
    label: "0^y and negative bases: 0^0 = 1, 0^-1 = Infinity, (-2)^3 = -8, (-2)^0.5 = NaN",
    inputs: [
      { shape: [6], values: [0, 0, 0, -2, -2, -8] },
      { shape: [6], values: [0, -1, 2, 3, 0.5, 2] },
    ],
    run: (x, y) => dn.pow(x, y),
    reference: ([x, y]) => ({ shape: [6], values: x.map((v, i) => F32_BINARY.pow(v, y[i])) }),
    exclude: { webgpu: NAN_SKIP },
  });
  return cases;
}

/** add sub mul div over int32 (div floors) and bool (counted as int32 0 and 1). */
function intArithmetic(): OpCase[] {
  const cases: OpCase[] = [];
  for (const op of ["add", "sub", "mul", "div"] as const) {
    cases.push(...forward(op, "int32"), intEdges(op));
    cases.push({
      op,
      label: "bool and bool as int32",
      inputs: [{ shape: [3, 17], dtype: "bool" }, { shape: [17], dtype: "bool" }],
      run: (a, b) => (dn[op] as Op)(a, b),
      reference: ([a, b]) => {
        const r = broadcastBinary(I32_BINARY[op], a, [3, 17], b, [17]);
        return { shape: r.shape, dtype: "int32", values: r.y };
      },
    });
  }
  cases.push({
    op: "mul",
    label: "int32 tensor by an integer stays int32, by a fraction becomes float32",
    inputs: [{ shape: [5], dtype: "int32", values: [1, -2, 3, 40000, 7] }],
    run: (x) => [dn.mul(x, 3), dn.mul(x, 0.5)],
    reference: ([x]) => [
      { shape: [5], dtype: "int32", values: x.map((v) => v * 3) },
      { shape: [5], values: x.map((v) => v * 0.5) },
    ],
  });
  return cases;
}

/** Rows of 2^16 and more are cut into rows of 4096 (_broadcast.ts splitLongRow). */
function longRows(): OpCase[] {
  const shapes: [number[], number[]][] = [[[131072], [131072]], [[2, 65536], [65536]]];
  return shapes.flatMap(([sa, sb]) =>
    (["maximum", "mod"] as const).map((op): OpCase => ({
      op,
      label: `long rows [${sa}] and [${sb}]`,
      inputs: [{ shape: sa, range: [-4, 4] }, { shape: sb, range: [0.5, 2] }],
      run: (a, b) => (dn[op] as Op)(a, b),
      reference: ([a, b]) => {
        const r = broadcastBinary(F32_BINARY[op], a, sa, b, sb);
        return { shape: r.shape, values: r.y };
      },
      webgpuTol: Tol.gpu,
    }))
  );
}

export const CASES: OpCase[] = [
  ...longRows(),
  ...MATH.flatMap((op) => [...forward(op, "float32"), ...forward(op, "int32")]),
  ...MATH.map(specials),
  ...MATH.map(intEdges),
  ...gradients(),
  ...intArithmetic(),
];
