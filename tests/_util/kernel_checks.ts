/**
 * Checks shared by the raw-kernel tests (STYLE C9, C10): exact bit comparison, per-element error
 * bounds, and running a kernel over one range and over split ranges, which must give the same
 * bytes.
 */
import { assertEquals } from "./assert.ts";
import type { KernelHarness } from "./kernels.ts";

/** Lengths that straddle the kernels' 8-wide body, 4-wide body and lane tail. */
export const EDGE = [1, 2, 3, 4, 5, 7, 8, 9, 17, 127, 128, 129, 513];

/** A half-open range `[begin, end)` of elements or rows. */
export type Range = readonly [number, number];

/** Split points (`head`, `tail` of `pieces`) that cut the 8- and 4-wide bodies at odd offsets. */
export const ODD_CUTS: readonly [number, number] = [3, 5];

/** `[0, n)` cut into three pieces at `head` and `n - tail` (some empty for small n). */
export function pieces(n: number, head = 1, tail = 1): Range[] {
  const a = Math.min(head, n), b = Math.max(a, n - tail);
  return [[0, a], [a, b], [b, n]];
}

/** The bit patterns of `x`, so that NaN payloads and the sign of zero compare exactly. */
export const bits = (x: Float32Array): number[] =>
  Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

/** Throws unless |actual - expected| <= bound(i) at every i (NaN must match NaN, inf exact). */
export function assertWithin(
  actual: Float32Array,
  expected: Float64Array,
  bound: (i: number) => number,
  what: string,
): void {
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= bound(i);
    if (!ok) {
      throw new Error(
        `${what}: first mismatch at [${i}]: actual ${a}, expected ${e}, |diff| ${
          Math.abs(a - e)
        } > bound ${bound(i)}`,
      );
    }
  }
}

/**
 * Runs `call(out, begin, end)` over `[0, count)` at once and over `pieces(count, head, tail)`, each
 * into a fresh output of `size` floats pre-filled with garbage (so the kernel must overwrite it);
 * checks guards after every call and that both runs give the same bytes. Returns the first output.
 */
export function wholeAndSplit(
  h: KernelHarness,
  size: number,
  count: number,
  call: (out: number, begin: number, end: number) => void,
  [head, tail]: readonly [number, number] = [1, 1],
): Float32Array {
  const run = (ranges: Range[]) => {
    const out = h.f32(size, new Float32Array(size).fill(1234.5));
    for (const [b, e] of ranges) {
      call(out, b, e);
      h.checkGuards();
    }
    return h.read(out, size);
  };
  const whole = run([[0, count]]);
  const split = bits(run(pieces(count, head, tail)));
  assertEquals(split, bits(whole), `split ranges give other bytes on ${h.name}`);
  return whole;
}
