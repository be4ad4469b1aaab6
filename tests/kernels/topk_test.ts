/**
 * Raw-kernel tests of assembly/topk.ts against the float64 reference in tests/_reference/topk.ts
 * (a full sort), on the release (plain, shared, portable) and debug builds (STYLE C8-C10). Exact:
 * top-k only moves values. Rows straddle the 4-wide scan and its tail (cols 1, 3, 4, 5, 17, 33,
 * 129, 513) with k from 0 to cols; coarse values give ties (the lower index must come first);
 * NaN and ±inf rows; sorted and index order; a run split into row ranges must give the bytes of
 * one call.
 */
import { assertEquals } from "../_util/assert.ts";
import { bits, wholeAndSplit } from "../_util/kernel_checks.ts";
import { kernelHarnesses } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";
import { topk } from "../_reference/topk.ts";

const harnesses = await kernelHarnesses();

const ints = (f: Float32Array): number[] =>
  Array.from(new Int32Array(f.buffer, f.byteOffset, f.length));

/** Runs f32_topk over whole and split row ranges; returns values and indices. */
function run(
  h: (typeof harnesses)[number],
  x: ArrayLike<number>,
  rows: number,
  cols: number,
  k: number,
  sorted: boolean,
): { values: number[]; indices: number[] } {
  const px = h.f32(x.length, x);
  // The kernel writes two outputs: run it into a fixed indices buffer and split the values.
  const pi = h.f32(rows * k);
  const values = wholeAndSplit(h, rows * k, rows, (pv, b, e) => {
    h.k.f32_topk(px, pv, pi, rows, cols, k, +sorted, b, e);
  });
  const indices = ints(h.read(pi, rows * k));
  const pi2 = h.f32(rows * k);
  const again = wholeAndSplit(h, rows * k, rows, (pv, b, e) => {
    h.k.f32_topk(px, pv, pi2, rows, cols, k, +sorted, b, e);
  });
  assertEquals(bits(again), bits(values));
  assertEquals(ints(h.read(pi2, rows * k)), indices);
  return { values: Array.from(values), indices };
}

for (const cols of [1, 3, 4, 5, 17, 33, 129, 513]) {
  const ks = [...new Set([0, 1, 2, 3, 5, Math.floor(cols / 2), cols - 1, cols])]
    .filter((k) => k >= 0 && k <= cols);
  Deno.test(`f32_topk() matches the sorted reference for rows of ${cols}, k in ${ks}`, () => {
    const rows = 3;
    // Coarse values: ties in every row.
    const x = randomF32(rows * cols, cols).map((v) => Math.round(v * 5) + 0);
    for (const k of ks) {
      for (const sorted of [true, false]) {
        const want = topk(x, rows, cols, k, sorted);
        for (const h of harnesses) {
          const got = run(h, x, rows, cols, k, sorted);
          const what = `f32_topk [${h.name}] 3 x ${cols}, k ${k}, sorted ${sorted}`;
          assertEquals(got.values, Array.from(want.values), what);
          assertEquals(got.indices, Array.from(want.indices), what);
          h.reset();
        }
      }
    }
  });
}

Deno.test("f32_topk() ranks NaN first, then +inf, and keeps -inf last", () => {
  const cols = 11;
  const rows = [
    [1, NaN, 3, -Infinity, NaN, Infinity, 2, 3, -1, 0, NaN],
    [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN],
    [-Infinity, -Infinity, 5, -Infinity, 5, 5, 4, 4, 4, 4, 4],
  ];
  const x = rows.flat();
  for (const k of [1, 4, 7, 11]) {
    for (const sorted of [true, false]) {
      const want = topk(x, 3, cols, k, sorted);
      for (const h of harnesses) {
        const got = run(h, x, 3, cols, k, sorted);
        assertEquals(got.values, Array.from(want.values), `${h.name} k ${k}`);
        assertEquals(got.indices, Array.from(want.indices), `${h.name} k ${k}`);
        h.reset();
      }
    }
  }
  const ref = topk(x, 3, cols, 4, true);
  assertEquals(Array.from(ref.indices.subarray(0, 4)), [1, 4, 10, 5], "the reference itself");
});
