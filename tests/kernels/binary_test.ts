/**
 * Raw-kernel tests of the op-coded broadcast binaries of assembly/elementwise.ts,
 * `f32_vbinary_bcast` and `i32_vbinary_bcast`, against tests/_reference/binary.ts on the release
 * (plain, shared, portable) and debug builds (STYLE C8-C10): every op code, broadcasts with row
 * lengths around the 8- and 4-wide bodies and the lane tail, special values (NaN, ±0, ±Infinity;
 * int32 division by 0 and -2^31 / -1, which must not trap), and split ranges giving the bytes of
 * one call.
 *
 * Tolerances (STYLE C9): every f32 op but pow is one or two correctly rounded f32 operations that
 * the reference repeats with Math.fround, so results are bit-exact; pow is musl's powf, within 1
 * ulp of the correctly rounded value. int32 is exact.
 */
import { assertEquals } from "../_util/assert.ts";
import { bits, ODD_CUTS, wholeAndSplit } from "../_util/kernel_checks.ts";
import { kernelHarnesses } from "../_util/kernels.ts";
import { rng } from "../_util/rng.ts";
import { type BinaryOpName, F32_BINARY, I32_BINARY } from "../_reference/binary.ts";
import { walk4 } from "../_reference/compare.ts";
import { BINARY_CODE } from "../../src/backend/elementwise_codes.ts";

const harnesses = await kernelHarnesses();
const OPS = Object.keys(BINARY_CODE) as BinaryOpName[];

/** Output dims and the element strides of a and b (0 broadcasts). */
function cases(m: number, n: number): { what: string; dims: number[]; s: number[][] }[] {
  const full = [0, 0, n, 1], row = [0, 0, 0, 1], col = [0, 0, 1, 0], one = [0, 0, 0, 0];
  const d = [1, 1, m, n];
  return [
    { what: "same shape", dims: d, s: [full, full] },
    { what: "op row", dims: d, s: [full, row] },
    { what: "op column", dims: d, s: [full, col] },
    { what: "op scalar", dims: d, s: [full, one] },
    { what: "scalar op", dims: d, s: [one, full] },
    { what: "column op row", dims: d, s: [col, row] },
    { what: "transposed op", dims: d, s: [[0, 0, 1, m], full] },
  ];
}

const SHAPES = [[1, 1], [3, 3], [2, 9], [4, 17], [3, 33]];
const extent = (dims: number[], s: number[]) =>
  1 + dims.reduce((acc, d, k) => acc + (d - 1) * s[k], 0);

const F32_SPECIAL = [NaN, 0, -0, Infinity, -Infinity, 1, -1, 2, -2, 0.5, 3, -3, 1e30].map(
  Math.fround,
);
const I32_SPECIAL = [0, 1, -1, 2, -2, 3, 7, -7, 31, 2147483647, -2147483648];

/** Seeded values: f32 in [-4, 4] (nonzero divisors mostly) or small ints, with specials mixed in. */
function values(int: boolean, n: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const v = r();
    if (int) return i % 4 === 0 ? I32_SPECIAL[(i / 4) % I32_SPECIAL.length] : Math.round(v * 9) | 0;
    return i % 6 === 0 ? F32_SPECIAL[(i / 6) % F32_SPECIAL.length] : Math.fround(v * 4);
  });
}

/** The f32 spacing at |v|. */
function ulp(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

for (const int of [false, true]) {
  const kernel = int ? "i32_vbinary_bcast" : "f32_vbinary_bcast";
  const ref = int ? I32_BINARY : F32_BINARY;
  for (const op of OPS) {
    Deno.test(`${kernel}() ${op} matches the reference for broadcasts and special values`, () => {
      for (const [m, n] of SHAPES) {
        for (const c of cases(m, n)) {
          const a = values(int, extent(c.dims, c.s[0]), 11 * m + n);
          const b = values(int, extent(c.dims, c.s[1]), 13 * m + n + 5);
          const expected = walk4(c.dims, c.s, (ia, ib) => ref[op](a[ia], b[ib]));
          const rows = c.dims[0] * c.dims[1] * c.dims[2];
          for (const h of harnesses) {
            const pa = h.f32(a.length), pb = h.f32(b.length);
            const view = (p: number, n: number) =>
              int ? new Int32Array(h.memory.buffer, p, n) : new Float32Array(h.memory.buffer, p, n);
            view(pa, a.length).set(a);
            view(pb, b.length).set(b);
            const out = wholeAndSplit(h, expected.length, rows, (y, lo, hi) => {
              h.k[kernel](BINARY_CODE[op], pa, pb, y, ...c.dims, ...c.s[0], ...c.s[1], lo, hi);
            }, ODD_CUTS);
            const got = int ? Array.from(new Int32Array(out.buffer)) : Array.from(out);
            for (let i = 0; i < expected.length; i++) {
              const e = expected[i], g = got[i];
              const ok = Number.isNaN(e)
                ? Number.isNaN(g)
                : op === "pow" && !int && Number.isFinite(e)
                ? Math.abs(g - e) <= ulp(e)
                : int
                ? g === e
                : Object.is(g, e);
              if (!ok) {
                const ia = walk4(c.dims, [c.s[0]], (o) => o)[i];
                const ib = walk4(c.dims, [c.s[1]], (o) => o)[i];
                throw new Error(
                  `${kernel} ${op} [${h.name}] ${c.what} ${m}x${n}: at [${i}] ${a[ia]} op ${
                    b[ib]
                  } gave ${g}, expected ${e}`,
                );
              }
            }
            h.reset();
          }
        }
      }
    });
  }
}

Deno.test("f32_vbinary_bcast() in place over a gives the out-of-place bytes", () => {
  const a = values(false, 37, 3), b = values(false, 37, 4);
  for (const h of harnesses) {
    for (const op of OPS) {
      const pa = h.f32(37, a), pb = h.f32(37, b), py = h.f32(37);
      const args = [1, 1, 1, 37, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1] as const;
      h.k.f32_vbinary_bcast(BINARY_CODE[op], pa, pb, py, ...args);
      h.k.f32_vbinary_bcast(BINARY_CODE[op], pa, pb, pa, ...args);
      assertEquals(bits(h.read(pa, 37)), bits(h.read(py, 37)), op);
    }
    h.reset();
  }
});
