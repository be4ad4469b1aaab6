/**
 * The op suite's cases for the ops that write or read bool: equal notEqual greater greaterEqual
 * less lessEqual (float32, int32, bool, and mixed dtypes promoted), logicalAnd logicalOr
 * logicalXor logicalNot, isNaN isFinite isInf, and where (float32, int32, bool branches; three-way
 * broadcasting; its gradient to both branches, summed over their broadcast axes). Shapes at tile
 * edges 1, 3, 17, 33 around the kernels' 16-element step, with scalar, row, column and both-sides
 * broadcasts. Every result is exact (a comparison or a choice rounds nothing).
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { broadcastBinary } from "../../../_reference/broadcast.ts";
import { COMPARE, type CompareName } from "../../../_reference/compare.ts";
import { rng } from "../../../_util/rng.ts";
import type { CaseDType, OpCase } from "../case.ts";
import { size } from "./_values.ts";

type Op = (a: dn.Tensor | number | boolean, b: dn.Tensor | number | boolean) => dn.Tensor;

const COMPARISONS: CompareName[] = [
  "equal",
  "notEqual",
  "greater",
  "greaterEqual",
  "less",
  "lessEqual",
];
const LOGICAL: CompareName[] = ["logicalAnd", "logicalOr", "logicalXor"];

const PATTERNS: [string, number[], number[]][] = [
  ["same shape 1", [1], [1]],
  ["same shape 3", [3], [3]],
  ["same shape 17", [17], [17]],
  ["same shape 3x33", [3, 33], [3, 33]],
  ["scalar", [3, 17], []],
  ["scalar first", [], [33]],
  ["row", [4, 33], [33]],
  ["column", [17, 3], [17, 1]],
  ["both sides", [3, 1], [1, 17]],
  ["rank 4 both sides", [2, 1, 3, 1], [1, 3, 1, 17]],
];

/** Seeded multiples of 0.5 in [-2, 2], so that ties (equal pairs) are frequent. */
function halves(n: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.round(r() * 4) / 2);
}

function pairCases(ops: CompareName[], dtypes: CaseDType[]): OpCase[] {
  const cases: OpCase[] = [];
  for (const op of ops) {
    for (const dtype of dtypes) {
      PATTERNS.forEach(([label, sa, sb], k) => {
        const float = dtype === "float32";
        cases.push({
          op,
          label: `${dtype} ${label} [${sa}] and [${sb}]`,
          inputs: [
            { shape: sa, dtype, range: [-2, 2], values: float ? halves(size(sa), k) : undefined },
            {
              shape: sb,
              dtype,
              range: [-2, 2],
              values: float ? halves(size(sb), 50 + k) : undefined,
            },
          ],
          run: (a, b) => (dn[op] as Op)(a, b),
          reference: ([a, b]) => {
            const r = broadcastBinary(COMPARE[op], a, sa, b, sb);
            return { shape: r.shape, dtype: "bool", values: r.y };
          },
        });
      });
    }
  }
  return cases;
}

const SPECIAL_A = [NaN, NaN, 1, Infinity, -Infinity, 0, -0, 3];
const SPECIAL_B = [NaN, 1, NaN, Infinity, Infinity, -0, 0, 3];

function specialCases(): OpCase[] {
  return COMPARISONS.map((op) => ({
    op,
    label: "NaN compares false (notEqual true), ±0 are equal, ±Infinity order",
    inputs: [{ shape: [8], values: SPECIAL_A }, { shape: [8], values: SPECIAL_B }],
    run: (a, b) => (dn[op] as Op)(a, b),
    reference: ([a, b]) => ({
      shape: [8],
      dtype: "bool" as const,
      values: a.map((v, i) => COMPARE[op](v, b[i])),
    }),
  }));
}

function mixedCases(): OpCase[] {
  return [
    {
      op: "greater",
      label: "int32 against float32 promotes to float32",
      inputs: [{ shape: [5], dtype: "int32", values: [1, 2, 3, -1, 0] }, {
        shape: [5],
        values: [0.5, 2, 3.5, -1.5, 0],
      }],
      run: (a, b) => dn.greater(a, b),
      reference: ([a, b]) => ({
        shape: [5],
        dtype: "bool",
        values: a.map((v, i) => Number(v > b[i])),
      }),
    },
    {
      op: "equal",
      label: "bool against int32 and a number: true is 1",
      inputs: [{ shape: [4], dtype: "bool", values: [1, 0, 1, 0] }, {
        shape: [4],
        dtype: "int32",
        values: [1, 0, 2, 1],
      }],
      run: (a, b) => [dn.equal(a, b), dn.equal(a, 1), dn.lessEqual(b, 1.5)],
      reference: ([a, b]) => [
        { shape: [4], dtype: "bool", values: a.map((v, i) => Number(v === b[i])) },
        { shape: [4], dtype: "bool", values: a.map((v) => Number(v === 1)) },
        { shape: [4], dtype: "bool", values: b.map((v) => Number(v <= 1.5)) },
      ],
    },
    {
      op: "logicalNot",
      label: "[3, 17]",
      inputs: [{ shape: [3, 17], dtype: "bool" }],
      run: (x) => dn.logicalNot(x),
      reference: ([x]) => ({ shape: [3, 17], dtype: "bool", values: x.map((v) => 1 - v) }),
    },
    {
      op: "logicalAnd",
      label: "with a boolean",
      inputs: [{ shape: [17], dtype: "bool" }],
      run: (x) => [dn.logicalAnd(x, true), dn.logicalOr(false, x), dn.logicalXor(x, true)],
      reference: ([x]) => [
        { shape: [17], dtype: "bool", values: x },
        { shape: [17], dtype: "bool", values: x },
        { shape: [17], dtype: "bool", values: x.map((v) => 1 - v) },
      ],
    },
  ];
}

const FLOATS = [NaN, Infinity, -Infinity, 0, -0, 1, -3.5, 3.4e38, 1e-45];

function testCases(): OpCase[] {
  const tests = {
    isNaN: (v: number) => Number.isNaN(v),
    isFinite: (v: number) => Number.isFinite(v),
    isInf: (v: number) => Math.abs(v) === Infinity,
  };
  return (Object.keys(tests) as (keyof typeof tests)[]).flatMap((op) => [
    {
      op,
      label: "NaN, ±Infinity, ±0, extremes",
      inputs: [{ shape: [FLOATS.length], values: FLOATS }],
      run: (x) => dn[op](x),
      reference: ([x]) => ({
        shape: [FLOATS.length],
        dtype: "bool" as const,
        values: x.map((v) => Number(tests[op](v))),
      }),
      exclude: { webgpu: "WGSL may assume finite floats: NaN and Infinity inputs" },
    },
    {
      op,
      label: "int32 [3, 17]",
      inputs: [{ shape: [3, 17], dtype: "int32" as const, range: [-9, 9] as [number, number] }],
      run: (x) => dn[op](x),
      reference: ([x]) => ({
        shape: [3, 17],
        dtype: "bool" as const,
        values: x.map((v) => Number(tests[op](v))),
      }),
    },
  ]);
}

/** Three-way broadcasts: condition, a, b. */
const WHERE_SHAPES: [string, number[], number[], number[]][] = [
  ["same shape 1", [1], [1], [1]],
  ["same shape 17", [17], [17], [17]],
  ["same shape 3x33", [3, 33], [3, 33], [3, 33]],
  ["scalar b", [3, 17], [3, 17], []],
  ["scalar condition", [], [33], [33]],
  ["row condition, column a", [17], [3, 1], [3, 17]],
  ["column condition, row b", [33, 1], [33, 3], [3]],
  ["all three broadcast", [2, 1, 1], [1, 3, 1], [1, 1, 17]],
];

/** y = cond ? a : b under three-way broadcasting (NumPy rules), as a loop over the output. */
function where3(
  c: Float64Array,
  sc: number[],
  a: Float64Array,
  sa: number[],
  b: Float64Array,
  sb: number[],
): { shape: number[]; y: Float64Array } {
  const rank = Math.max(sc.length, sa.length, sb.length);
  const pad = (s: number[]) => [...Array(rank - s.length).fill(1), ...s];
  const [pc, pa, pb] = [pad(sc), pad(sa), pad(sb)];
  const shape = pc.map((d, i) => Math.max(d, pa[i], pb[i]));
  const y = new Float64Array(size(shape));
  const at = (idx: number[], s: number[]) =>
    idx.reduce((f, v, d) => f * s[d] + (s[d] === 1 ? 0 : v), 0);
  for (let o = 0; o < y.length; o++) {
    const idx: number[] = [];
    for (let d = rank - 1, r = o; d >= 0; d--) {
      idx[d] = r % shape[d];
      r = Math.floor(r / shape[d]);
    }
    y[o] = c[at(idx, pc)] ? a[at(idx, pa)] : b[at(idx, pb)];
  }
  return { shape, y };
}

function whereCases(): OpCase[] {
  const cases: OpCase[] = [];
  for (const dtype of ["float32", "int32", "bool"] as CaseDType[]) {
    for (const [label, sc, sa, sb] of WHERE_SHAPES) {
      cases.push({
        op: "where",
        label: `${dtype} ${label}: [${sc}], [${sa}], [${sb}]`,
        inputs: [
          { shape: sc, dtype: "bool" },
          { shape: sa, dtype, range: dtype === "int32" ? [-1000, 1000] : undefined },
          { shape: sb, dtype, range: dtype === "int32" ? [-1000, 1000] : undefined },
        ],
        run: (c, a, b) => dn.where(c, a, b),
        reference: ([c, a, b]) => {
          const r = where3(c, sc, a, sa, b, sb);
          return { shape: r.shape, dtype, values: r.y };
        },
        grad: dtype === "float32" ? [1, 2] : undefined,
      });
    }
  }
  cases.push({
    op: "where",
    label: "long rows [2, 65536] with a row condition (cut into rows of 4096)",
    inputs: [{ shape: [65536], dtype: "bool" }, { shape: [2, 65536] }, { shape: [] }],
    run: (c, a, b) => [dn.where(c, a, b), dn.greater(a, b)],
    reference: ([c, a, b]) => [
      { shape: [2, 65536], values: a.map((v, i) => (c[i % 65536] ? v : b[0])) },
      { shape: [2, 65536], dtype: "bool", values: a.map((v) => Number(v > b[0])) },
    ],
  });
  cases.push({
    op: "where",
    label: "a NaN or Infinity in the branch not taken stays out",
    inputs: [
      { shape: [4], dtype: "bool", values: [1, 0, 1, 0] },
      { shape: [4], values: [1, NaN, 3, Infinity] },
      { shape: [4], values: [-Infinity, 2, NaN, 4] },
    ],
    run: (c, a, b) => dn.where(c, a, b),
    reference: () => ({ shape: [4], values: [1, 2, 3, 4] }),
  });
  cases.push({
    op: "where",
    label: "numbers as branches take the tensor's dtype",
    inputs: [{ shape: [2, 3], dtype: "bool" }, { shape: [2, 3], dtype: "int32" }],
    run: (c, a) => [dn.where(c, a, 7), dn.where(c, 0.5, 2)],
    reference: ([c, a]) => [
      { shape: [2, 3], dtype: "int32", values: c.map((v, i) => (v ? a[i] : 7)) },
      { shape: [2, 3], values: c.map((v) => (v ? 0.5 : 2)) },
    ],
  });
  return cases;
}

export const CASES: OpCase[] = [
  ...pairCases(COMPARISONS, ["float32", "int32", "bool"]),
  ...pairCases(LOGICAL, ["bool"]),
  ...specialCases(),
  ...mixedCases(),
  ...testCases(),
  ...whereCases(),
];
