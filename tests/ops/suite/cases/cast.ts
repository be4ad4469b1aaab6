/** `cast` between every pair of dtypes, across tile edges, with NaN, infinities and saturation. */
import * as dn from "../../../../mod.ts";
import type { CaseDType, CaseInput, OpCase } from "../case.ts";

const SPECIAL = [0, -0, 1.7, -1.7, -2.5, NaN, Infinity, -Infinity, 3e9, -3e9, 2147483520, 1e-40];

/** The reference conversion of one value (already of its source dtype). */
function convert(v: number, to: CaseDType): number {
  if (to === "bool") return v !== 0 ? 1 : 0;
  if (to === "float32") return Math.fround(v);
  if (Number.isNaN(v)) return 0;
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(v)));
}

const DTYPES: CaseDType[] = ["float32", "int32", "bool"];

function input(from: CaseDType, shape: number[], seed: number): CaseInput {
  const n = shape.reduce((a, b) => a * b, 1);
  if (from === "float32" && n >= SPECIAL.length) {
    return { shape, values: Array.from({ length: n }, (_, i) => SPECIAL[i % SPECIAL.length]) };
  }
  return { shape, dtype: from, seed, range: [-1e6, 1e6] };
}

export const CASES: OpCase[] = DTYPES.flatMap((from) =>
  DTYPES.flatMap((to) =>
    [[1], [3], [17], [5, 7], [33, 2]].map((shape, i): OpCase => ({
      op: "cast",
      label: `${from} -> ${to}, shape [${shape}]`,
      inputs: [input(from, shape, 40 + i)],
      run: (x) => dn.cast(x, to),
      reference: ([x]) => ({ shape, dtype: to, values: Array.from(x, (v) => convert(v, to)) }),
      // The seeded (finite) float inputs only: the special values include NaN.
      grad: from === "float32" && to === "float32" &&
        shape.reduce((a, b) => a * b, 1) < SPECIAL.length,
    }))
  )
);
