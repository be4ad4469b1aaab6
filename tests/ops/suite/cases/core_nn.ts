/**
 * The op suite's cases for matmul (every transpose combination, bias), conv2d and the 2-D
 * poolings, migrated from tests/ops/matmul_test.ts, conv_test.ts and pool_test.ts (which stay,
 * with their packing, epilogue and geometry sweeps).
 *
 * Tolerances (STYLE C9): matmul `Tol.dot(k)` (an f32 sum of k products, plus the bias:
 * `k + 1`); conv2d `Tol.dot(fh·fw·inC + 1)`; maxPool2d exact (a selection); avgPool2d
 * `Tol.dot(ph·pw + 1)` (a sum of the window and one division). Max pooling's gradient cases use
 * inputs without ties, where it is differentiable.
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { conv2dReference, convGeometry } from "../../../_reference/conv.ts";
import { gemmReference } from "../../../_reference/gemm.ts";
import { avgPool, maxPool, poolGeometry } from "../../../_reference/pool.ts";
import { Tol } from "../../../_util/assert_close.ts";
import type { OpCase } from "../case.ts";
import { distinct, size } from "./_values.ts";

/** `[m, n, k]`: tile edges of the 4x8 microkernel and the SIMD widths. */
const MATMUL_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 8, 16],
  [17, 33, 9],
  [33, 17, 65],
];

function matmulCases(): OpCase[] {
  const cases: OpCase[] = [];
  for (const [m, n, k] of MATMUL_SHAPES) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        for (const bias of m === 3 || m === 17 ? [false, true] : [false]) {
          const a = transposeA ? [k, m] : [m, k], b = transposeB ? [n, k] : [k, n];
          cases.push({
            op: "matmul",
            label: `${m}x${n}x${k}${transposeA ? " transposeA" : ""}${
              transposeB ? " transposeB" : ""
            }${bias ? " bias" : ""}`,
            inputs: [
              { shape: a, range: [-1, 1] },
              { shape: b, range: [-1, 1] },
              ...(
                bias ? [{ shape: [n], range: [-1, 1] as [number, number] }] : []
              ),
            ],
            run: (x, y, c) =>
              dn.matmul(x, y, { transposeA, transposeB, ...(c ? { bias: c } : {}) }),
            reference: ([x, y, c]) => ({
              shape: [m, n],
              values: gemmReference({
                m,
                n,
                k,
                a: x,
                lda: a[1],
                transA: transposeA,
                b: y,
                ldb: b[1],
                transB: transposeB,
                c: [],
                ldc: n,
                beta: 0,
                bias: c,
                act: "none",
              }),
            }),
            tol: Tol.dot(k + 1),
            grad: m * n * k <= 2000,
          });
        }
      }
    }
  }
  return cases;
}

type Pair = [number, number];
/** `[x shape, [fh, fw, outC], strides, dilations, padding]`. */
type ConvConfig = [
  number[],
  [number, number, number],
  number | Pair,
  number | Pair,
  dn.Conv2dPadding,
];

const CONV_CONFIGS: ConvConfig[] = [
  [[1, 5, 5, 2], [3, 3, 3], 1, 1, "same"],
  [[2, 7, 7, 3], [3, 3, 4], 1, 1, "valid"],
  [[2, 7, 7, 3], [3, 3, 4], 2, 1, "same"],
  [[1, 9, 9, 2], [3, 3, 5], 1, 2, "valid"],
  [[1, 17, 9, 2], [2, 3, 5], [2, 1], 1, "same"],
  [[3, 4, 4, 17], [1, 1, 9], 1, 1, "valid"],
];

function convCases(): OpCase[] {
  return CONV_CONFIGS.map(([xs, [fh, fw, outC], strides, dilations, padding]) => {
    const g = convGeometry(xs, [fh, fw, outC], strides, dilations, padding);
    const inC = xs[3];
    return {
      op: "conv2d",
      label: `x [${xs}] filter [${fh}, ${fw}, ${inC}, ${outC}] strides ${
        JSON.stringify(strides)
      } dilations ${JSON.stringify(dilations)} "${padding}"`,
      inputs: [{ shape: xs, range: [-1, 1] }, { shape: [fh, fw, inC, outC], range: [-1, 1] }],
      run: (x, w) => dn.conv2d(x, w, { strides, dilations, padding }),
      reference: ([x, w]) => ({
        shape: [g.batch, g.outH, g.outW, g.outC],
        values: conv2dReference(g, x, w).y,
      }),
      tol: Tol.dot(fh * fw * inC + 1),
      grad: size(xs) <= 200,
    } satisfies OpCase;
  });
}

/** `[x shape, poolSize, strides, padding]`. */
type PoolConfig = [number[], number | Pair, number | Pair | undefined, dn.Pool2dPadding];

const POOL_CONFIGS: PoolConfig[] = [
  [[1, 4, 4, 1], 2, undefined, "valid"],
  [[2, 7, 9, 3], 3, 2, "same"],
  [[2, 7, 9, 3], 3, 2, "valid"],
  [[1, 9, 9, 17], 3, 2, "same"],
  [[3, 11, 7, 3], [3, 2], [2, 1], "same"],
  [[1, 1, 1, 3], 3, 2, "same"],
];

const pair = (v: number | Pair): Pair => (typeof v === "number" ? [v, v] : v);

function poolCases(): OpCase[] {
  return POOL_CONFIGS.flatMap(([shape, poolSize, strides, padding], i) => {
    const g = poolGeometry(shape, pair(poolSize), pair(strides ?? poolSize), padding);
    const out = [g.n, g.oh, g.ow, g.c];
    const options = { poolSize, ...(strides === undefined ? {} : { strides }), padding };
    const label = `[${shape}] pool ${JSON.stringify(poolSize)} strides ${
      JSON.stringify(strides)
    } "${padding}"`;
    const grad = size(shape) <= 600;
    return [
      {
        op: "maxPool2d",
        label,
        inputs: [{ shape, values: distinct(size(shape), 40 + i) }],
        run: (x: dn.Tensor) => dn.maxPool2d(x, options),
        reference: ([x]: Float64Array[]) => ({ shape: out, values: maxPool(x, g) }),
        grad,
      },
      {
        op: "avgPool2d",
        label,
        inputs: [{ shape, range: [-1, 1] as Pair }],
        run: (x: dn.Tensor) => dn.avgPool2d(x, options),
        reference: ([x]: Float64Array[]) => ({ shape: out, values: avgPool(x, g) }),
        tol: Tol.dot(g.ph * g.pw + 1),
        grad,
      },
    ];
  });
}

/** The cases. */
export const CASES: OpCase[] = [...matmulCases(), ...convCases(), ...poolCases()];
