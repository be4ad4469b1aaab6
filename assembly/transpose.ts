/**
 * f32 2-D transpose: x is rows × cols (row-major), y is cols × rows, y[c, r] = x[r, c].
 * Pointers are byte offsets, sizes in elements. Work range: x rows [begin, end), i.e. the y
 * columns [begin, end) of every y row; a split writes disjoint elements and the result is a copy,
 * so it is bitwise identical however it is split (NaN payloads included: lanes are moved, never
 * computed on, and the edges move 32-bit integers).
 * Preconditions (asserted in the debug build): 0 <= begin <= end <= rows, cols >= 0; x and y do
 * not overlap.
 *
 * Blocking: tiles of 32 x rows × 16 x columns, each moved as 4 × 4 blocks by two rounds of
 * f32x4.shuffle (interleave pairs of rows, then pairs of pairs). Within a tile the column blocks
 * are the outer loop, so each group of 4 y rows receives its 128-byte segment (two cache lines)
 * back to back instead of 16 bytes per pass. That matters for power-of-two sizes, whose y rows
 * all fall into the same L1 set: measured on the dev VM (noisy, 2 cores), 4096×64 went from 0.6
 * to 4.3 G elem/s and 1024×1024 from 0.4 to 0.9, at the price of 784×512 (x rows 2 KiB apart)
 * dropping from about 6 to 2 G elem/s. Edges not divisible by 4 are copied element by element.
 * Tested against the definition y[c, r] = x[r, c] by tests/kernels/transpose_test.ts.
 */

// @ts-ignore: decorator
@inline const TILE_R = 32;
// @ts-ignore: decorator
@inline const TILE_C = 16;

// Moves the 4 × 4 block at x (row stride ldx floats) to y (row stride ldy floats), transposed.
// @ts-ignore: decorator
@inline function transpose4x4(x: usize, ldx: usize, y: usize, ldy: usize): void {
  const a = v128.load(x);
  const b = v128.load(x + (ldx << 2));
  const c = v128.load(x + (ldx << 3));
  const d = v128.load(x + (ldx * 12));
  const ab01 = f32x4.shuffle(a, b, 0, 4, 1, 5); // a0 b0 a1 b1
  const ab23 = f32x4.shuffle(a, b, 2, 6, 3, 7); // a2 b2 a3 b3
  const cd01 = f32x4.shuffle(c, d, 0, 4, 1, 5);
  const cd23 = f32x4.shuffle(c, d, 2, 6, 3, 7);
  v128.store(y, f32x4.shuffle(ab01, cd01, 0, 1, 4, 5)); // a0 b0 c0 d0
  v128.store(y + (ldy << 2), f32x4.shuffle(ab01, cd01, 2, 3, 6, 7));
  v128.store(y + (ldy << 3), f32x4.shuffle(ab23, cd23, 0, 1, 4, 5));
  v128.store(y + ldy * 12, f32x4.shuffle(ab23, cd23, 2, 3, 6, 7));
}

/** y[c, r] = x[r, c] for x rows r in [begin, end), x rows × cols, y cols × rows. */
export function f32_transpose(x: usize, y: usize, rows: i32, cols: i32, begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end && end <= rows, "need 0 <= begin <= end <= rows");
  assert(cols >= 0, "need cols >= 0");
  const ldx = <usize>cols;
  const ldy = <usize>rows;
  for (let r0 = begin; r0 < end; r0 += TILE_R) {
    const r1 = min(r0 + TILE_R, end);
    for (let c0 = 0; c0 < cols; c0 += TILE_C) {
      const c1 = min(c0 + TILE_C, cols);
      // Column blocks outer: the 4 y rows of a block get their tile segment (up to 64 bytes, a
      // cache line) written back to back, which keeps power-of-two strides from thrashing.
      const r4 = r0 + ((r1 - r0) & ~3);
      let c = c0;
      for (; c + 4 <= c1; c += 4) {
        for (let r = r0; r < r4; r += 4) {
          transpose4x4(x + ((<usize>r * ldx + <usize>c) << 2), ldx, y + ((<usize>c * ldy + <usize>r) << 2), ldy);
        }
      }
      for (; c < c1; c++) {
        for (let r = r0; r < r4; r += 4) {
          const src = x + ((<usize>r * ldx + <usize>c) << 2);
          const dst = y + ((<usize>c * ldy + <usize>r) << 2);
          store<u32>(dst, load<u32>(src));
          store<u32>(dst, load<u32>(src + (ldx << 2)), 4);
          store<u32>(dst, load<u32>(src + (ldx << 3)), 8);
          store<u32>(dst, load<u32>(src + ldx * 12), 12);
        }
      }
      let r = r4;
      for (; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          store<u32>(y + ((<usize>c * ldy + <usize>r) << 2), load<u32>(x + ((<usize>r * ldx + <usize>c) << 2)));
        }
      }
    }
  }
}
