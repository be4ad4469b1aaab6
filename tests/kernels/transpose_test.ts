/**
 * Raw-kernel tests of assembly/transpose.ts against the definition y[c, r] = x[r, c], on the
 * release (plain and shared) and debug builds (STYLE C10). A transpose moves bits, so the check is
 * bitwise (random bit patterns, NaN payloads included); shapes straddle the 4 × 4 blocks and the
 * 16 × 16 tiles; every buffer sits between NaN-payload guards, checked after every call; a run
 * split into row ranges must give the bytes of one call.
 */
import { assert, assertEquals } from "../_util/assert.ts";
import { kernelHarnesses } from "../_util/kernels.ts";
import { rng } from "../_util/rng.ts";

const harnesses = await kernelHarnesses();

const SIDES = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33];
const SHAPES: [number, number][] = [
  ...SIDES.flatMap((r) => SIDES.map((c): [number, number] => [r, c])),
  [127, 129],
  [513, 3],
  [3, 513],
  [64, 65],
];

/** Random 32-bit patterns (any float, NaNs with payloads included). */
function randomBits(n: number, seed: number): Uint32Array {
  const r = rng(seed);
  return Uint32Array.from({ length: n }, () => Math.floor((r() + 1) * 2 ** 31) >>> 0);
}

/** The definition: y[c·rows + r] = x[r·cols + c]. */
function transposeBits(x: Uint32Array, rows: number, cols: number): Uint32Array {
  const y = new Uint32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) y[c * rows + r] = x[r * cols + c];
  return y;
}

for (const [rows, cols] of SHAPES) {
  Deno.test(`f32_transpose() moves every bit for ${rows}x${cols}`, () => {
    const x = randomBits(rows * cols, rows * 100 + cols);
    const expected = Array.from(transposeBits(x, rows, cols));
    const a = Math.min(5, rows), b = Math.max(a, rows - 3);
    const splits: [number, number][][] = [
      [[0, rows]],
      [[0, a], [a, b], [b, rows]],
      Array.from({ length: rows }, (_, r): [number, number] => [r, r + 1]),
    ];
    for (const h of harnesses) {
      const px = h.f32(x.length, new Float32Array(x.buffer));
      for (const ranges of splits) {
        const py = h.f32(x.length);
        for (const [b, e] of ranges) {
          h.k.f32_transpose(px, py, rows, cols, b, e);
          h.checkGuards();
        }
        const y = new Uint32Array(h.memory.buffer, py, x.length);
        assertEquals(
          Array.from(y),
          expected,
          `f32_transpose [${h.name}] ${rows}x${cols} ${ranges}`,
        );
      }
      h.reset();
    }
  });
}

Deno.test("f32_transpose() writes only its rows' columns of y", () => {
  const [rows, cols] = [9, 6];
  const x = Float32Array.from({ length: rows * cols }, (_, i) => i);
  for (const h of harnesses) {
    const py = h.f32(rows * cols, new Float32Array(rows * cols).fill(-1));
    h.k.f32_transpose(h.f32(x.length, x), py, rows, cols, 2, 7);
    h.checkGuards();
    const y = h.read(py, rows * cols);
    for (let c = 0; c < cols; c++) {
      for (let r = 0; r < rows; r++) {
        assertEquals(y[c * rows + r], r >= 2 && r < 7 ? x[r * cols + c] : -1);
      }
    }
    h.reset();
  }
});

Deno.test("f32_transpose() with zero columns or an empty range writes nothing", () => {
  for (const h of harnesses) {
    const py = h.f32(4, [7, 7, 7, 7]);
    h.k.f32_transpose(h.f32(4), py, 4, 0, 0, 4);
    h.k.f32_transpose(h.f32(4), py, 2, 2, 1, 1);
    h.checkGuards();
    assertEquals(Array.from(h.read(py, 4)), [7, 7, 7, 7]);
    h.reset();
  }
});

Deno.test("f32_transpose() debug build rejects end > rows", () => {
  const h = harnesses.find((x) => x.name === "debug")!;
  const p = h.f32(4);
  let message = "";
  try {
    h.k.f32_transpose(p, p, 2, 2, 0, 3);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("Kernel precondition failed"), message);
  h.reset();
});
