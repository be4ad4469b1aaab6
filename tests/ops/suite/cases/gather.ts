/**
 * The op suite's cases for gather (any axis, batch dimensions), gatherND, scatterND and
 * randomShuffle's gather: float32, int32 and bool values, int32 and float32 indices (repeated ones
 * included), inner sizes straddling the kernel's 4-wide copy and bulk-copy threshold (1, 3, 17,
 * 33, 65). Copies are exact; float32 cases are gradient-checked (the scatter-add gradient sums
 * in index order, exact for these few terms within the default gradient tolerance).
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import * as ref from "../../../_reference/gather.ts";
import { Random } from "../../../../src/random.ts";
import type { CaseDType, OpCase } from "../case.ts";

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
/** `n` indices in [0, len), repeating when n > len / 2. */
const picks = (n: number, len: number) => Array.from({ length: n }, (_, i) => (i * 5 + 2) % len);

function gatherCases(): OpCase[] {
  const specs: [shape: number[], idxShape: number[], axis: number, batchDims: number][] = [
    [[5], [3], 0, 0],
    [[7, 3], [4], 0, 0],
    [[7, 17], [2, 3], 0, 0],
    [[3, 33], [5], 1, 0],
    [[3, 33], [5], -1, 0],
    [[2, 9, 17], [4], 1, 0],
    [[4, 5, 65], [6], 1, 0],
    [[2, 3, 4, 3], [2, 2], 2, 0],
    [[3, 6, 17], [3, 4], 1, 1],
    [[2, 3, 5, 3], [2, 3, 2], 2, 2],
    [[2, 5, 3], [2, 4], 2, 1],
    [[6, 3], [0], 0, 0],
  ];
  const cases: OpCase[] = [];
  for (const dtype of ["float32", "int32"] as CaseDType[]) {
    for (const idxDtype of ["int32", "float32"] as CaseDType[]) {
      for (const [shape, idxShape, axis, batchDims] of specs) {
        const ax = axis < 0 ? axis + shape.length : axis;
        const per = size(idxShape.slice(batchDims));
        const idx = Array.from(
          { length: size(idxShape.slice(0, batchDims)) },
          (_, b) => picks(per, shape[ax]).map((v) => (v + b) % shape[ax]),
        ).flat();
        cases.push({
          op: "gather",
          label:
            `${dtype} [${shape}] axis ${axis} batchDims ${batchDims}, ${idxDtype} indices [${idxShape}]`,
          inputs: [{ shape, dtype }, { shape: idxShape, dtype: idxDtype, values: idx }],
          run: (x, i) => dn.gather(x, i, axis, batchDims),
          reference: ([x, i]) => ({
            ...ref.gather(x, shape, i, idxShape, ax, batchDims),
            dtype,
          }),
          grad: dtype === "float32" ? [0] : undefined,
        });
      }
    }
  }
  return cases;
}

function ndCases(): OpCase[] {
  const specs: [shape: number[], idxShape: number[]][] = [
    [[4, 3], [5, 2]],
    [[4, 3], [2, 1]],
    [[3, 5, 17], [2, 2, 2]],
    [[2, 3, 4], [3, 3]],
    [[6, 33], [7, 1]],
  ];
  const cases: OpCase[] = [];
  for (const [shape, idxShape] of specs) {
    const k = idxShape[idxShape.length - 1], n = size(idxShape) / k;
    const idx = Array.from(
      { length: n },
      (_, t) => shape.slice(0, k).map((d, j) => (t * (3 + j) + j) % d),
    ).flat();
    for (const dtype of ["float32", "int32", "bool"] as CaseDType[]) {
      cases.push({
        op: "gatherND",
        label: `${dtype} [${shape}], indices [${idxShape}]`,
        inputs: [{ shape, dtype }, { shape: idxShape, dtype: "int32", values: idx }],
        run: (x, i) => dn.gatherND(x, i),
        reference: ([x, i]) => ({ ...ref.gatherND(x, shape, i, idxShape), dtype }),
        grad: dtype === "float32" ? [0] : undefined,
      });
    }
    const updates = [...idxShape.slice(0, -1), ...shape.slice(k)];
    cases.push({
      op: "scatterND",
      label: `into [${shape}], indices [${idxShape}] (repeated tuples summed)`,
      inputs: [{ shape: idxShape, dtype: "int32", values: idx }, { shape: updates }],
      run: (i, u) => dn.scatterND(i, u, shape),
      reference: ([i, u]) => ({ shape, values: ref.scatterND(i, idxShape, u, shape) }),
      tol: { abs: 1e-6, rel: 1e-6 },
      grad: [1],
    });
    cases.push({
      op: "scatterND",
      label: `int32 into [${shape}], indices [${idxShape}]`,
      inputs: [
        { shape: idxShape, dtype: "int32", values: idx },
        { shape: updates, dtype: "int32", range: [-1000, 1000] },
      ],
      run: (i, u) => dn.scatterND(i, u, shape),
      reference: ([i, u]) => ({
        shape,
        dtype: "int32",
        values: ref.scatterND(i, idxShape, u, shape),
      }),
    });
  }
  return cases;
}

/** randomShuffle's definition: Fisher-Yates over the seeded generator's uniform draws. */
function permutation(n: number, seed: number): number[] {
  const rng = new Random(seed), order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function shuffleCases(): OpCase[] {
  return [[5], [17, 3], [4, 2, 33]].map((shape): OpCase => ({
    op: "randomShuffle",
    label: `[${shape}] with seed 3: the rows of the seeded permutation`,
    inputs: [{ shape }],
    run: (x) => dn.randomShuffle(x, 3),
    reference: ([x]) => {
      const rows = permutation(shape[0], 3);
      const inner = size(shape.slice(1));
      const y = new Float64Array(x.length);
      rows.forEach((r, i) => y.set(x.subarray(r * inner, (r + 1) * inner), i * inner));
      return { shape, values: y };
    },
    grad: true,
  }));
}

/** bool goes through an int32 copy: one byte per element in, one out. */
function boolCases(): OpCase[] {
  const specs: [shape: number[], idx: number[], axis: number][] = [
    [[5], [4, 0, 4], 0],
    [[3, 17], [16, 0, 5, 5], 1],
    [[2, 7, 3], [6, 1], 1],
  ];
  const cases = specs.map(([shape, idx, axis]): OpCase => ({
    op: "gather",
    label: `bool [${shape}] axis ${axis}, int32 indices [${idx}]`,
    inputs: [{ shape, dtype: "bool" }, { shape: [idx.length], dtype: "int32", values: idx }],
    run: (x, i) => dn.gather(x, i, axis),
    reference: ([x, i]) => ({
      ...ref.gather(x, shape, i, [idx.length], axis),
      dtype: "bool",
    }),
  }));
  cases.push({
    op: "randomShuffle",
    label: "bool [17, 3] with seed 4",
    inputs: [{ shape: [17, 3], dtype: "bool" }],
    run: (x) => dn.randomShuffle(x, 4),
    reference: ([x]) => {
      const y = new Float64Array(x.length);
      permutation(17, 4).forEach((r, i) => y.set(x.subarray(r * 3, r * 3 + 3), i * 3));
      return { shape: [17, 3], dtype: "bool", values: y };
    },
  });
  return cases;
}

export const CASES: OpCase[] = [
  ...gatherCases(),
  ...ndCases(),
  ...shuffleCases(),
  ...boolCases(),
];
