/**
 * The op suite's cases for the batched products: matmul of rank >= 3 with broadcast batch
 * dimensions (TF.js's positional transposes, the options form with bias and relu), dot in its four
 * rank combinations, and outerProduct. Matrix sizes straddle the 4x8 GEMM tile and the SIMD widths
 * (1, 3, 17, 33); the gradient cases sum over broadcast batch dimensions.
 *
 * Tolerance (STYLE C9): `Tol.dot(k + 1)`, an f32 sum of k products plus a bias.
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { Tol } from "../../../_util/assert_close.ts";
import type { OpCase } from "../case.ts";

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The broadcast batch shape of `a` and `b` (right-aligned, 1 stretches). */
function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  return Array.from({ length: r }, (_, i) => {
    const da = a[a.length - r + i] ?? 1, db = b[b.length - r + i] ?? 1;
    return da === 1 ? db : da;
  });
}

/** Flat item of `own` (right-aligned, broadcast) read by item `t` of `batch`. */
function item(own: readonly number[], batch: readonly number[], t: number): number {
  let at = 0, step = 1, rest = t;
  for (let i = batch.length - 1; i >= 0; i--) {
    const pos = rest % batch[i];
    rest = Math.floor(rest / batch[i]);
    const j = i - (batch.length - own.length);
    if (j < 0) continue;
    if (own[j] !== 1) at += pos * step;
    step *= own[j];
  }
  return at;
}

/** `relu?(op(a)·op(b) + bias)` per batch item, in float64. */
function batchedReference(
  a: Float64Array,
  as: readonly number[],
  b: Float64Array,
  bs: readonly number[],
  transA: boolean,
  transB: boolean,
  bias?: Float64Array,
  relu = false,
): { shape: number[]; values: Float64Array } {
  const [ar, ac] = as.slice(-2), [br, bc] = bs.slice(-2);
  const m = transA ? ac : ar, k = transA ? ar : ac, n = transB ? br : bc;
  const batch = broadcast(as.slice(0, -2), bs.slice(0, -2));
  const y = new Float64Array(size(batch) * m * n);
  for (let t = 0; t < size(batch); t++) {
    const ia = item(as.slice(0, -2), batch, t) * m * k,
      ib = item(bs.slice(0, -2), batch, t) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = bias ? bias[j] : 0;
        for (let p = 0; p < k; p++) {
          s += a[ia + (transA ? p * m + i : i * k + p)] * b[ib + (transB ? j * k + p : p * n + j)];
        }
        y[(t * m + i) * n + j] = relu ? Math.max(s, 0) : s;
      }
    }
  }
  return { shape: [...batch, m, n], values: y };
}

function matmulCases(): OpCase[] {
  const specs: [a: number[], b: number[], transA: boolean, transB: boolean][] = [
    [[2, 3, 4], [2, 4, 5], false, false],
    [[3, 17, 9], [3, 9, 33], false, false],
    [[2, 4, 3], [2, 5, 4], true, true],
    [[3, 1, 2, 4], [2, 4, 3], false, false],
    [[3, 5, 7], [7, 3], false, false],
    [[7, 3], [2, 2, 7, 5], true, false],
    [[1, 4, 3], [5, 2, 3], false, true],
    [[2, 1, 1, 1], [1, 3, 1, 1], false, false],
    [[0, 3, 4], [4, 2], false, false],
  ];
  const cases: OpCase[] = specs.map(([as, bs, ta, tb]): OpCase => ({
    op: "matmul",
    label: `[${as}]${ta ? "ᵀ" : ""} · [${bs}]${tb ? "ᵀ" : ""}`,
    inputs: [{ shape: as, range: [-1, 1] }, { shape: bs, range: [-1, 1] }],
    run: (a, b) => dn.matmul(a, b, ta, tb),
    reference: ([a, b]) => batchedReference(a, as, b, bs, ta, tb),
    tol: Tol.dot(as[ta ? as.length - 2 : as.length - 1] + 1),
    grad: true,
  }));
  cases.push({
    op: "matmul",
    label: "[2, 3, 17]·[17, 33] with bias and relu (options form)",
    inputs: [
      { shape: [2, 3, 17], range: [-1, 1] },
      { shape: [17, 33], range: [-1, 1] },
      { shape: [33], range: [0.05, 0.5] },
    ],
    run: (a, b, c) => dn.matmul(a, b, { bias: c, activation: "relu" }),
    reference: ([a, b, c]) => batchedReference(a, [2, 3, 17], b, [17, 33], false, false, c, true),
    tol: Tol.dot(18),
  });
  return cases;
}

function dotCases(): OpCase[] {
  const specs: [number[], number[]][] = [[[17], [17]], [[3, 17], [17]], [[17], [17, 5]], [
    [4, 3],
    [3, 33],
  ]];
  return specs.map(([s1, s2]): OpCase => ({
    op: "dot",
    label: `[${s1}]·[${s2}]`,
    inputs: [{ shape: s1, range: [-1, 1] }, { shape: s2, range: [-1, 1] }],
    run: (a, b) => dn.dot(a, b),
    reference: ([a, b]) => {
      const as = s1.length === 2 ? s1 : [1, s1[0]], bs = s2.length === 2 ? s2 : [s2[0], 1];
      const { values } = batchedReference(a, as, b, bs, false, false);
      return {
        shape: [...(s1.length === 2 ? [s1[0]] : []), ...(s2.length === 2 ? [s2[1]] : [])],
        values,
      };
    },
    tol: Tol.dot(s2[0] + 1),
    grad: true,
  }));
}

function outerCases(): OpCase[] {
  return [[1, 1], [3, 17], [33, 5]].map(([m, n]): OpCase => ({
    op: "outerProduct",
    label: `[${m}] ⊗ [${n}]`,
    inputs: [{ shape: [m] }, { shape: [n] }],
    run: (a, b) => dn.outerProduct(a, b),
    reference: ([a, b]) => ({
      shape: [m, n],
      values: Float64Array.from({ length: m * n }, (_, t) => a[Math.floor(t / n)] * b[t % n]),
    }),
    tol: Tol.dot(1),
    grad: true,
  }));
}

export const CASES: OpCase[] = [...matmulCases(), ...dotCases(), ...outerCases()];
