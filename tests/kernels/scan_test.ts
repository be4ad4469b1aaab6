/**
 * Raw-kernel tests of assembly/scan.ts against the float64 reference in tests/_reference/scan.ts,
 * on the release (plain, shared, portable) and debug builds (STYLE C8-C10). Shapes scan along
 * each axis position (inner == 1, outer == 1, both > 1) with lengths and inner widths that
 * straddle the 4-wide body and its tail, 3 and 9 rows, inclusive and exclusive, forward and
 * reverse; buffers sit between guards, and a run split into outer ranges must give the bytes of
 * one call.
 *
 * Error bound (STYLE C9), first order in ε = 2^-24: y[j] is a recursive sum of at most len
 * terms, so |y - ref| <= (len - 1)·ε·Σ_t |x[t]| over the terms it adds.
 */
import { assertEquals } from "../_util/assert.ts";
import { assertWithin, EDGE, wholeAndSplit } from "../_util/kernel_checks.ts";
import { kernelHarnesses } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";
import { cumsum } from "../_reference/scan.ts";

const harnesses = await kernelHarnesses();
const EPS32 = 2 ** -24;

const SHAPES: [number, number, number][] = [
  ...EDGE.map((len): [number, number, number] => [3, len, 1]),
  ...[1, 4, 17, 33].map((len): [number, number, number] => [9, len, 1]),
  ...[1, 2, 3, 4, 5, 7, 9, 17].map((inner): [number, number, number] => [2, 9, inner]),
  [1, 33, 6],
  [4, 1, 3],
];

for (const [outer, len, inner] of SHAPES) {
  const shape = `[${outer}, ${len}, ${inner}]`;
  Deno.test(`f32_cumsum() matches f64 reference for ${shape}`, () => {
    const x = randomF32(outer * len * inner, outer * 31 + len * 7 + inner);
    const absSum = cumsum(x.map(Math.abs), outer, len, inner, false, false);
    const absRev = cumsum(x.map(Math.abs), outer, len, inner, false, true);
    for (const exclusive of [false, true]) {
      for (const reverse of [false, true]) {
        const expected = cumsum(x, outer, len, inner, exclusive, reverse);
        const abs = reverse ? absRev : absSum;
        const bound = (i: number) => Math.max(len - 1, 0) * EPS32 * abs[i];
        for (const h of harnesses) {
          const px = h.f32(x.length, x);
          const y = wholeAndSplit(h, x.length, outer, (py, b, e) => {
            h.k.f32_cumsum(px, py, outer, len, inner, +exclusive, +reverse, b, e);
          });
          assertWithin(
            y,
            expected,
            bound,
            `f32_cumsum [${h.name}] ${shape} exclusive ${exclusive} reverse ${reverse}`,
          );
          h.reset();
        }
      }
    }
  });
}

Deno.test("f32_cumsum() gives the same bits for inner 1 and for inner 5 (one column each)", () => {
  // Column c of a [1, 40, 5] scan is the [1, 40, 1] scan of that column: same additions.
  const [len, inner] = [40, 5];
  const x = randomF32(len * inner, 77);
  for (const h of harnesses) {
    const px = h.f32(x.length, x), py = h.f32(x.length);
    h.k.f32_cumsum(px, py, 1, len, inner, 0, 1, 0, 1);
    const wide = h.read(py, x.length);
    for (let c = 0; c < inner; c++) {
      const col = Array.from({ length: len }, (_, j) => x[j * inner + c]);
      const pc = h.f32(len, col), pyc = h.f32(len);
      h.k.f32_cumsum(pc, pyc, 1, len, 1, 0, 1, 0, 1);
      const narrow = Array.from(h.read(pyc, len));
      assertEquals(Array.from({ length: len }, (_, j) => wide[j * inner + c]), narrow);
    }
    h.checkGuards();
    h.reset();
  }
});

Deno.test("f32_cumsum() propagates NaN and inf from their position on", () => {
  const x = [1, 2, NaN, 3, Infinity, 1];
  for (const h of harnesses) {
    const px = h.f32(6, x), py = h.f32(6);
    h.k.f32_cumsum(px, py, 1, 6, 1, 0, 0, 0, 1);
    assertEquals(Array.from(h.read(py, 6)), [1, 3, NaN, NaN, NaN, NaN]);
    h.k.f32_cumsum(px, py, 1, 6, 1, 1, 1, 0, 1);
    assertEquals(Array.from(h.read(py, 6)), [NaN, NaN, Infinity, Infinity, 1, 0]);
    h.checkGuards();
    h.reset();
  }
});
