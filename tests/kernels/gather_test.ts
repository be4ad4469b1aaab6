/**
 * Raw-kernel tests of assembly/gather.ts on the release (plain and shared) and debug builds
 * (STYLE C8-C10): f32_gather, f32_scatter_add and i32_scatter_add over `[outer, len, inner]`
 * views against their definitions, with i32 and f32 indices (repeated ones included), inner sizes around the
 * 4-wide copy and the bulk-copy threshold (1, 3, 4, 5, 17, 64, 65), every buffer between guards,
 * and a run split into three ranges giving the bytes of one call.
 */
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { type KernelHarness, kernelHarnesses } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";

const harnesses = await kernelHarnesses();

const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

/** `indices` into the arena: i32, or f32 when `float`. */
function putIndices(h: KernelHarness, indices: number[], float: boolean): number {
  const p = h.f32(indices.length);
  if (float) new Float32Array(h.memory.buffer, p, indices.length).set(indices);
  else new Int32Array(h.memory.buffer, p, indices.length).set(indices);
  return p;
}

/** Runs `call` over [0, total) and over three pieces into fresh outputs; returns the whole run's. */
function wholeAndSplit(
  h: KernelHarness,
  size: number,
  init: ArrayLike<number> | undefined,
  total: number,
  call: (y: number, begin: number, end: number) => void,
): Float32Array {
  const run = (ranges: [number, number][]) => {
    const y = h.f32(size, init ?? new Float32Array(size).fill(1234.5));
    for (const [b, e] of ranges) {
      call(y, b, e);
      h.checkGuards();
    }
    return h.read(y, size);
  };
  const whole = run([[0, total]]);
  const a = Math.min(1, total), b = Math.max(a, total - 2);
  assertEquals(bits(run([[0, a], [a, b], [b, total]])), bits(whole), "split ranges differ");
  return whole;
}

const SHAPES = [
  [1, 1, 1, 1],
  [1, 5, 3, 7],
  [3, 4, 1, 9],
  [2, 7, 4, 5],
  [2, 3, 5, 4],
  [1, 10, 17, 13],
  [2, 6, 64, 3],
  [3, 4, 65, 6],
] as const;

for (const [outer, len, inner, n] of SHAPES) {
  for (const float of [false, true]) {
    const name = `[${outer}, ${len}, ${inner}], ${n} ${float ? "f32" : "i32"} indices`;
    Deno.test(`f32_gather() and f32_scatter_add() match their definitions for ${name}`, () => {
      const x = randomF32(outer * len * inner, len * 7 + inner);
      const dy = randomF32(outer * n * inner, n + inner);
      const idx = Array.from({ length: n }, (_, i) => (i * 7 + 3) % len);
      const gathered = new Float64Array(outer * n * inner);
      const scattered = new Float64Array(outer * len * inner);
      for (let o = 0; o < outer; o++) {
        idx.forEach((r, i) => {
          for (let j = 0; j < inner; j++) {
            gathered[(o * n + i) * inner + j] = x[(o * len + r) * inner + j];
            scattered[(o * len + r) * inner + j] += dy[(o * n + i) * inner + j];
          }
        });
      }
      const f = float ? 1 : 0;
      for (const h of harnesses) {
        const px = h.f32(x.length, x), pi = putIndices(h, idx, float);
        const pdy = h.f32(dy.length, dy);
        const y = wholeAndSplit(
          h,
          gathered.length,
          undefined,
          outer * n,
          (py, b, e) => h.k.f32_gather(px, pi, f, py, len, inner, n, b, e),
        );
        assertClose(y, gathered, Tol.exact, `gather [${h.name}] ${name}`);
        const dx = wholeAndSplit(
          h,
          scattered.length,
          new Float32Array(scattered.length),
          outer * len,
          (pdx, b, e) => h.k.f32_scatter_add(pdy, pi, f, pdx, len, inner, n, b, e),
        );
        assertClose(dx, scattered, Tol.dot(n), `scatter-add [${h.name}] ${name}`);
        h.reset();
      }
    });
  }
}

for (const [outer, len, inner, n] of [[1, 5, 3, 7], [2, 3, 5, 4], [3, 4, 65, 6]] as const) {
  Deno.test(`i32_scatter_add() sums i32 in index order for [${outer}, ${len}, ${inner}], ${n} indices`, () => {
    const dy = Int32Array.from({ length: outer * n * inner }, (_, i) => (i * 2654435761) | 0);
    const idx = Array.from({ length: n }, (_, i) => (i * 7 + 3) % len);
    const want = new Int32Array(outer * len * inner);
    for (let o = 0; o < outer; o++) {
      idx.forEach((r, i) => {
        for (let j = 0; j < inner; j++) {
          const at = (o * len + r) * inner + j;
          want[at] = (want[at] + dy[(o * n + i) * inner + j]) | 0; // wraps, as i32 adds do
        }
      });
    }
    for (const h of harnesses) {
      const pdy = h.f32(dy.length), pi = putIndices(h, idx, false);
      new Int32Array(h.memory.buffer, pdy, dy.length).set(dy); // bits, not floats
      const dx = wholeAndSplit(
        h,
        want.length,
        new Float32Array(want.length),
        outer * len,
        (pdx, b, e) => h.k.i32_scatter_add(pdy, pi, 0, pdx, len, inner, n, b, e),
      );
      assertEquals(Array.from(new Int32Array(dx.buffer)), Array.from(want), `[${h.name}]`);
      h.reset();
    }
  });
}

Deno.test("f32_gather() asserts its indices are in range in the debug build", () => {
  const debug = harnesses.find((h) => h.name === "debug")!;
  const p = debug.f32(64);
  for (const [bad, float] of [[5, false], [-1, false], [4, true]] as const) {
    const idx = putIndices(debug, [bad], float);
    assertThrows(
      () => debug.k.f32_gather(p, idx, float ? 1 : 0, p, 4, 2, 1, 0, 1),
      Error,
      "Kernel precondition failed",
    );
  }
  debug.reset();
});
