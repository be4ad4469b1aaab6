/**
 * f32 streaming GEMM for small m (batch-1 inference): C = act(opA(A) · op(B) + beta · C + bias),
 * row-major, leading dimensions and all other sizes in elements, pointers as byte offsets. Same
 * arguments and result as f32_gemm (gemm.ts), but op(B) is read straight from its layout: no
 * packing, no scratch.
 *
 * Layout. opA(A) is m x k: A stored m x k with leading dimension lda, or k x m when transA != 0.
 * op(B) is k x n: B stored k x n with leading dimension ldb, or n x k when transB != 0 (op(B) =
 * Bᵀ, each column of op(B) contiguous in k). C is m x n with leading dimension ldc; bias
 * (optional, 0 = none) is n floats added to every row.
 *
 * Why. With m <= 8 every B element is used by at most 8 multiply-adds, so the GEMM is bound by
 * reading B once. f32_gemm first packs B into panels (a read and a write of all of B, kept between
 * calls only while B fits the backend's packing cache) and its 4- or 6-row tile computes aliased
 * rows for m < 4: at m = 1, 1 x 4096 · 4096 x 4096 took 9.4 ms (repacked every call) against
 * TF.js's 2.3 ms (packed once per weight tensor). Streaming B as stored halves the traffic when
 * B is not cached and does no wasted rows when it is.
 *
 * Tile. SIMD across n. Rows go in groups of 4, 2 and 1 (m = 7 is 4 + 2 + 1); the tile of a group
 * is as wide as 8 accumulators allow: 1 x 32 (8 accumulators, one A splat, one B vector: 10 of
 * x64's 16 XMM registers), 2 x 16, 4 x 8, then 4-column tiles and a 1-3 lane tail (loadN/storeN:
 * no access past column n). B stored k x n: per k step the tile loads its B vectors from one row
 * of B and splats one A value per row. B stored n x k: per 4 k steps and 4 columns the tile loads
 * 4 vectors (4 k steps of each column) and transposes them in registers (8 shuffles), so each
 * accumulator still takes its k steps in order; the last k % 4 steps gather 4 lanes. The k loop
 * of the k x n tiles runs 4 steps per iteration as two loops of 2 that V8 unrolls (see gemm.ts).
 * B stored k x n: K is cut into blocks (KB_ROWS steps); within a block every column
 * tile of a row group sweeps the same rows of B (that many sequential streams, one TLB page
 * each), the accumulators go to C between blocks, and the next row group finds the block's B in
 * cache. B stored n x k runs k in one block. m = 1 with B stored k x n is a matrix-vector product
 * and runs gemvRows (gemv.ts: whole rows of B per pass over C's row, 1.2-1.7x these tiles).
 *
 * Order of operations, per element, the same as f32_gemm's whatever the layout and the work
 * split: acc = beta * C + bias (bias 0 when absent; beta == 0: acc = bias and C is not read),
 * then acc += a[p] * b[p] for p = 0, 1, ..., k - 1 in order, each step one `madd` (simd.ts).
 * Storing the f32 accumulator to C between K blocks and reloading it changes no bits. Last, act:
 * relu as f32x4.pmax(acc, 0) (NaN propagates), sigmoid and tanh by f32_vsigmoid / f32_vtanh
 * over each finished row segment. Hence C is bitwise equal to f32_gemm's (same build, same
 * machine) and to itself under any [colBegin, colEnd) split.
 *
 * Contract. f32_gemm_stream writes C[i, j] for i in [0, m), j in [colBegin, colEnd) and nothing
 * else; it reads A, the op(B) columns [colBegin, colEnd), C in that range (when beta != 0, and
 * between K blocks its own partial sums), and bias[colBegin, colEnd). Any m works; the backends
 * call it for m <= 8. Preconditions are assert()s: present in the debug build, stripped in
 * release. k == 0 gives C = act(beta * C + bias).
 *
 * Tested against the float64 triple loop in tests/_reference/gemm.ts and bitwise against f32_gemm
 * (tests/kernels/gemm_stream_test.ts).
 */
import { f32_vsigmoid, f32_vtanh } from "./elementwise";
import { gemvRows } from "./gemv";
import { loadN, madd, storeN } from "./simd";

/**
 * K steps per block (a multiple of 4, so only the last block has a k % 4 tail) of B stored k x n,
 * chosen by measurement (bench/RESULTS.md); B stored n x k runs k in one block. m = 1 with B
 * stored k x n runs gemvRows (gemv.ts) instead.
 */
const KB_ROWS = 256;

const ACT_RELU = 1;
const ACT_SIGMOID = 2;
const ACT_TANH = 3;

/** Accumulators start from bias (or 0), from beta * C + bias, or from C (a later K block). */
const INIT_BIAS = 0;
const INIT_BETA_C = 1;
const INIT_C = 2;

/**
 * C[i, j] = act(sum_p opA(A)[i, p] * op(B)[p, j] + beta * C[i, j] + bias[j]) for i in [0, m),
 * j in [colBegin, colEnd). act: 0 none, 1 relu, 2 sigmoid, 3 tanh.
 */
export function f32_gemm_stream(
  a: usize, lda: i32, transA: i32, b: usize, ldb: i32, transB: i32, c: usize, ldc: i32,
  m: i32, n: i32, k: i32, colBegin: i32, colEnd: i32, bias: usize, act: i32, beta: f32,
): void {
  assert(m >= 0 && n >= 0 && k >= 0);
  assert(transA != 0 ? lda >= m : lda >= k);
  assert(transB != 0 ? ldb >= k : ldb >= n);
  assert(ldc >= n);
  assert(0 <= colBegin && colBegin <= colEnd && colEnd <= n);
  assert(act >= 0 && act <= ACT_TANH);
  if (m == 0 || colBegin >= colEnd) return;
  const ldaBytes = <usize>lda << 2;
  const ldbBytes = <usize>ldb << 2;
  const ldcBytes = <usize>ldc << 2;
  // Bytes between rows of opA(A), and between its k steps.
  const aRow = transA != 0 ? 4 : ldaBytes;
  const aStep = transA != 0 ? ldaBytes : 4;
  const relu = act == ACT_RELU;
  if (m == 1 && transB == 0) {
    gemvRows(a, aStep, b, ldbBytes, c, k, colBegin, colEnd, bias, act, beta);
    return;
  }
  const kbMax = transB != 0 ? max(k, 1) : KB_ROWS;
  let kb = 0;
  do {
    const kc = min(k - kb, kbMax);
    const last = kb + kc == k;
    const init = kb > 0 ? INIT_C : beta != 0 ? INIT_BETA_C : INIT_BIAS;
    const aBlock = a + <usize>kb * aStep;
    // op(B)[kb, 0]: row kb of B, or column kb of Bᵀ.
    const bBlock = transB != 0 ? b + (<usize>kb << 2) : b + <usize>kb * ldbBytes;
    let i = 0;
    while (i < m) {
      const rows = m - i >= 4 ? 4 : m - i >= 2 ? 2 : 1;
      const pa = aBlock + <usize>i * aRow;
      const pc = c + <usize>i * ldcBytes;
      if (transB != 0) {
        streamRowsTb(rows, kc, pa, aRow, aStep, bBlock, ldbBytes, pc, ldcBytes, colBegin, colEnd, init, bias, beta, last && relu);
      } else {
        streamRows(rows, kc, pa, aRow, aStep, bBlock, ldbBytes, pc, ldcBytes, colBegin, colEnd, init, bias, beta, last && relu);
      }
      i += rows;
    }
    if (last && act >= ACT_SIGMOID) {
      for (let r = 0; r < m; r++) {
        const row = c + <usize>r * ldcBytes;
        if (act == ACT_SIGMOID) f32_vsigmoid(row, row, colBegin, colEnd);
        else f32_vtanh(row, row, colBegin, colEnd);
      }
    }
    kb += kc;
  } while (kb < k);
}

/** Columns [colBegin, colEnd) of `rows` (1, 2 or 4) rows over kc steps, B stored k x n. */
// @ts-ignore: decorator
@inline
function streamRows(
  rows: i32, kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize,
  pc: usize, ldcBytes: usize, colBegin: i32, colEnd: i32, init: i32, bias: usize, beta: f32,
  relu: bool,
): void {
  const wide = rows == 1 ? 32 : rows == 2 ? 16 : 8;
  let j = colBegin;
  for (; j + wide <= colEnd; j += wide) {
    const o = <usize>j << 2;
    const bj = bias != 0 ? bias + o : 0;
    if (rows == 1) f32_gemm_stream_ukernel_1x32(kc, pa, aRow, aStep, pb + o, ldbBytes, pc + o, ldcBytes, 4, init, bj, beta, relu);
    else if (rows == 2) f32_gemm_stream_ukernel_2x16(kc, pa, aRow, aStep, pb + o, ldbBytes, pc + o, ldcBytes, 4, init, bj, beta, relu);
    else f32_gemm_stream_ukernel_4x8(kc, pa, aRow, aStep, pb + o, ldbBytes, pc + o, ldcBytes, 4, init, bj, beta, relu);
  }
  for (; j < colEnd; j += 4) {
    const o = <usize>j << 2;
    const bj = bias != 0 ? bias + o : 0;
    const nr = min(colEnd - j, 4);
    if (rows == 1) f32_gemm_stream_ukernel_1x4(kc, pa, aRow, aStep, pb + o, ldbBytes, pc + o, ldcBytes, nr, init, bj, beta, relu);
    else if (rows == 2) f32_gemm_stream_ukernel_2x4(kc, pa, aRow, aStep, pb + o, ldbBytes, pc + o, ldcBytes, nr, init, bj, beta, relu);
    else f32_gemm_stream_ukernel_4x4(kc, pa, aRow, aStep, pb + o, ldbBytes, pc + o, ldcBytes, nr, init, bj, beta, relu);
  }
}

/** As streamRows, B stored n x k (column j of op(B) is row j of B). */
// @ts-ignore: decorator
@inline
function streamRowsTb(
  rows: i32, kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize,
  pc: usize, ldcBytes: usize, colBegin: i32, colEnd: i32, init: i32, bias: usize, beta: f32,
  relu: bool,
): void {
  const wide = rows == 1 ? 32 : rows == 2 ? 16 : 8;
  let j = colBegin;
  for (; j + wide <= colEnd; j += wide) {
    const o = <usize>j << 2;
    const pbj = pb + <usize>j * ldbBytes;
    const bj = bias != 0 ? bias + o : 0;
    if (rows == 1) f32_gemm_stream_ukernel_1x32_tb(kc, pa, aRow, aStep, pbj, ldbBytes, pc + o, ldcBytes, 4, init, bj, beta, relu);
    else if (rows == 2) f32_gemm_stream_ukernel_2x16_tb(kc, pa, aRow, aStep, pbj, ldbBytes, pc + o, ldcBytes, 4, init, bj, beta, relu);
    else f32_gemm_stream_ukernel_4x8_tb(kc, pa, aRow, aStep, pbj, ldbBytes, pc + o, ldcBytes, 4, init, bj, beta, relu);
  }
  for (; j < colEnd; j += 4) {
    const o = <usize>j << 2;
    const pbj = pb + <usize>j * ldbBytes;
    const bj = bias != 0 ? bias + o : 0;
    const nr = min(colEnd - j, 4);
    if (rows == 1) f32_gemm_stream_ukernel_1x4_tb(kc, pa, aRow, aStep, pbj, ldbBytes, pc + o, ldcBytes, nr, init, bj, beta, relu);
    else if (rows == 2) f32_gemm_stream_ukernel_2x4_tb(kc, pa, aRow, aStep, pbj, ldbBytes, pc + o, ldcBytes, nr, init, bj, beta, relu);
    else f32_gemm_stream_ukernel_4x4_tb(kc, pa, aRow, aStep, pbj, ldbBytes, pc + o, ldcBytes, nr, init, bj, beta, relu);
  }
}

// The tiles below are written out per shape (rows x columns, B layout): explicit accumulators
// acc<row>x<vector>, the same statements in the same order in each.

/**
 * 1 row x 32 columns of C over kc steps, B stored k x n.
 */
function f32_gemm_stream_ukernel_1x32(
  kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize, pc: usize,
  ldcBytes: usize, nr: i32, init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const vbeta = f32x4.splat(beta);
  let a0 = pa;
  const c0 = pc;
  let bias0 = f32x4.splat(0);
  let bias1 = f32x4.splat(0);
  let bias2 = f32x4.splat(0);
  let bias3 = f32x4.splat(0);
  let bias4 = f32x4.splat(0);
  let bias5 = f32x4.splat(0);
  let bias6 = f32x4.splat(0);
  let bias7 = f32x4.splat(0);
  if (bias != 0) {
    bias0 = v128.load(bias, 0);
    bias1 = v128.load(bias, 16);
    bias2 = v128.load(bias, 32);
    bias3 = v128.load(bias, 48);
    bias4 = v128.load(bias, 64);
    bias5 = v128.load(bias, 80);
    bias6 = v128.load(bias, 96);
    bias7 = v128.load(bias, 112);
  }
  let acc0x0 = bias0;
  let acc0x1 = bias1;
  let acc0x2 = bias2;
  let acc0x3 = bias3;
  let acc0x4 = bias4;
  let acc0x5 = bias5;
  let acc0x6 = bias6;
  let acc0x7 = bias7;
  if (init != INIT_BIAS) {
    acc0x0 = v128.load(c0, 0);
    acc0x1 = v128.load(c0, 16);
    acc0x2 = v128.load(c0, 32);
    acc0x3 = v128.load(c0, 48);
    acc0x4 = v128.load(c0, 64);
    acc0x5 = v128.load(c0, 80);
    acc0x6 = v128.load(c0, 96);
    acc0x7 = v128.load(c0, 112);
    if (init == INIT_BETA_C) {
      acc0x0 = f32x4.add(f32x4.mul(vbeta, acc0x0), bias0);
      acc0x1 = f32x4.add(f32x4.mul(vbeta, acc0x1), bias1);
      acc0x2 = f32x4.add(f32x4.mul(vbeta, acc0x2), bias2);
      acc0x3 = f32x4.add(f32x4.mul(vbeta, acc0x3), bias3);
      acc0x4 = f32x4.add(f32x4.mul(vbeta, acc0x4), bias4);
      acc0x5 = f32x4.add(f32x4.mul(vbeta, acc0x5), bias5);
      acc0x6 = f32x4.add(f32x4.mul(vbeta, acc0x6), bias6);
      acc0x7 = f32x4.add(f32x4.mul(vbeta, acc0x7), bias7);
    }
  }
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    for (let s = 0; s < 2; s++) {
      const va0 = v128.load32_splat(a0);
      const vb0 = v128.load(pb, 0);
      acc0x0 = madd(va0, vb0, acc0x0);
      const vb1 = v128.load(pb, 16);
      acc0x1 = madd(va0, vb1, acc0x1);
      const vb2 = v128.load(pb, 32);
      acc0x2 = madd(va0, vb2, acc0x2);
      const vb3 = v128.load(pb, 48);
      acc0x3 = madd(va0, vb3, acc0x3);
      const vb4 = v128.load(pb, 64);
      acc0x4 = madd(va0, vb4, acc0x4);
      const vb5 = v128.load(pb, 80);
      acc0x5 = madd(va0, vb5, acc0x5);
      const vb6 = v128.load(pb, 96);
      acc0x6 = madd(va0, vb6, acc0x6);
      const vb7 = v128.load(pb, 112);
      acc0x7 = madd(va0, vb7, acc0x7);
      a0 += aStep;
      pb += ldbBytes;
    }
    for (let s = 0; s < 2; s++) {
      const va0 = v128.load32_splat(a0);
      const vb0 = v128.load(pb, 0);
      acc0x0 = madd(va0, vb0, acc0x0);
      const vb1 = v128.load(pb, 16);
      acc0x1 = madd(va0, vb1, acc0x1);
      const vb2 = v128.load(pb, 32);
      acc0x2 = madd(va0, vb2, acc0x2);
      const vb3 = v128.load(pb, 48);
      acc0x3 = madd(va0, vb3, acc0x3);
      const vb4 = v128.load(pb, 64);
      acc0x4 = madd(va0, vb4, acc0x4);
      const vb5 = v128.load(pb, 80);
      acc0x5 = madd(va0, vb5, acc0x5);
      const vb6 = v128.load(pb, 96);
      acc0x6 = madd(va0, vb6, acc0x6);
      const vb7 = v128.load(pb, 112);
      acc0x7 = madd(va0, vb7, acc0x7);
      a0 += aStep;
      pb += ldbBytes;
    }
  }
  for (; p < kc; p++) {
    const va0 = v128.load32_splat(a0);
    const vb0 = v128.load(pb, 0);
    acc0x0 = madd(va0, vb0, acc0x0);
    const vb1 = v128.load(pb, 16);
    acc0x1 = madd(va0, vb1, acc0x1);
    const vb2 = v128.load(pb, 32);
    acc0x2 = madd(va0, vb2, acc0x2);
    const vb3 = v128.load(pb, 48);
    acc0x3 = madd(va0, vb3, acc0x3);
    const vb4 = v128.load(pb, 64);
    acc0x4 = madd(va0, vb4, acc0x4);
    const vb5 = v128.load(pb, 80);
    acc0x5 = madd(va0, vb5, acc0x5);
    const vb6 = v128.load(pb, 96);
    acc0x6 = madd(va0, vb6, acc0x6);
    const vb7 = v128.load(pb, 112);
    acc0x7 = madd(va0, vb7, acc0x7);
    a0 += aStep;
    pb += ldbBytes;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0 = f32x4.pmax(acc0x0, zero);
    acc0x1 = f32x4.pmax(acc0x1, zero);
    acc0x2 = f32x4.pmax(acc0x2, zero);
    acc0x3 = f32x4.pmax(acc0x3, zero);
    acc0x4 = f32x4.pmax(acc0x4, zero);
    acc0x5 = f32x4.pmax(acc0x5, zero);
    acc0x6 = f32x4.pmax(acc0x6, zero);
    acc0x7 = f32x4.pmax(acc0x7, zero);
  }
  v128.store(c0, acc0x0, 0);
  v128.store(c0, acc0x1, 16);
  v128.store(c0, acc0x2, 32);
  v128.store(c0, acc0x3, 48);
  v128.store(c0, acc0x4, 64);
  v128.store(c0, acc0x5, 80);
  v128.store(c0, acc0x6, 96);
  v128.store(c0, acc0x7, 112);
}

/**
 * 2 rows x 16 columns of C over kc steps, B stored k x n.
 */
function f32_gemm_stream_ukernel_2x16(
  kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize, pc: usize,
  ldcBytes: usize, nr: i32, init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const vbeta = f32x4.splat(beta);
  let a0 = pa;
  let a1 = a0 + aRow;
  const c0 = pc;
  const c1 = c0 + ldcBytes;
  let bias0 = f32x4.splat(0);
  let bias1 = f32x4.splat(0);
  let bias2 = f32x4.splat(0);
  let bias3 = f32x4.splat(0);
  if (bias != 0) {
    bias0 = v128.load(bias, 0);
    bias1 = v128.load(bias, 16);
    bias2 = v128.load(bias, 32);
    bias3 = v128.load(bias, 48);
  }
  let acc0x0 = bias0;
  let acc0x1 = bias1;
  let acc0x2 = bias2;
  let acc0x3 = bias3;
  let acc1x0 = bias0;
  let acc1x1 = bias1;
  let acc1x2 = bias2;
  let acc1x3 = bias3;
  if (init != INIT_BIAS) {
    acc0x0 = v128.load(c0, 0);
    acc0x1 = v128.load(c0, 16);
    acc0x2 = v128.load(c0, 32);
    acc0x3 = v128.load(c0, 48);
    acc1x0 = v128.load(c1, 0);
    acc1x1 = v128.load(c1, 16);
    acc1x2 = v128.load(c1, 32);
    acc1x3 = v128.load(c1, 48);
    if (init == INIT_BETA_C) {
      acc0x0 = f32x4.add(f32x4.mul(vbeta, acc0x0), bias0);
      acc0x1 = f32x4.add(f32x4.mul(vbeta, acc0x1), bias1);
      acc0x2 = f32x4.add(f32x4.mul(vbeta, acc0x2), bias2);
      acc0x3 = f32x4.add(f32x4.mul(vbeta, acc0x3), bias3);
      acc1x0 = f32x4.add(f32x4.mul(vbeta, acc1x0), bias0);
      acc1x1 = f32x4.add(f32x4.mul(vbeta, acc1x1), bias1);
      acc1x2 = f32x4.add(f32x4.mul(vbeta, acc1x2), bias2);
      acc1x3 = f32x4.add(f32x4.mul(vbeta, acc1x3), bias3);
    }
  }
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    for (let s = 0; s < 2; s++) {
      const va0 = v128.load32_splat(a0);
      const va1 = v128.load32_splat(a1);
      const vb0 = v128.load(pb, 0);
      acc0x0 = madd(va0, vb0, acc0x0);
      acc1x0 = madd(va1, vb0, acc1x0);
      const vb1 = v128.load(pb, 16);
      acc0x1 = madd(va0, vb1, acc0x1);
      acc1x1 = madd(va1, vb1, acc1x1);
      const vb2 = v128.load(pb, 32);
      acc0x2 = madd(va0, vb2, acc0x2);
      acc1x2 = madd(va1, vb2, acc1x2);
      const vb3 = v128.load(pb, 48);
      acc0x3 = madd(va0, vb3, acc0x3);
      acc1x3 = madd(va1, vb3, acc1x3);
      a0 += aStep;
      a1 += aStep;
      pb += ldbBytes;
    }
    for (let s = 0; s < 2; s++) {
      const va0 = v128.load32_splat(a0);
      const va1 = v128.load32_splat(a1);
      const vb0 = v128.load(pb, 0);
      acc0x0 = madd(va0, vb0, acc0x0);
      acc1x0 = madd(va1, vb0, acc1x0);
      const vb1 = v128.load(pb, 16);
      acc0x1 = madd(va0, vb1, acc0x1);
      acc1x1 = madd(va1, vb1, acc1x1);
      const vb2 = v128.load(pb, 32);
      acc0x2 = madd(va0, vb2, acc0x2);
      acc1x2 = madd(va1, vb2, acc1x2);
      const vb3 = v128.load(pb, 48);
      acc0x3 = madd(va0, vb3, acc0x3);
      acc1x3 = madd(va1, vb3, acc1x3);
      a0 += aStep;
      a1 += aStep;
      pb += ldbBytes;
    }
  }
  for (; p < kc; p++) {
    const va0 = v128.load32_splat(a0);
    const va1 = v128.load32_splat(a1);
    const vb0 = v128.load(pb, 0);
    acc0x0 = madd(va0, vb0, acc0x0);
    acc1x0 = madd(va1, vb0, acc1x0);
    const vb1 = v128.load(pb, 16);
    acc0x1 = madd(va0, vb1, acc0x1);
    acc1x1 = madd(va1, vb1, acc1x1);
    const vb2 = v128.load(pb, 32);
    acc0x2 = madd(va0, vb2, acc0x2);
    acc1x2 = madd(va1, vb2, acc1x2);
    const vb3 = v128.load(pb, 48);
    acc0x3 = madd(va0, vb3, acc0x3);
    acc1x3 = madd(va1, vb3, acc1x3);
    a0 += aStep;
    a1 += aStep;
    pb += ldbBytes;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0 = f32x4.pmax(acc0x0, zero);
    acc0x1 = f32x4.pmax(acc0x1, zero);
    acc0x2 = f32x4.pmax(acc0x2, zero);
    acc0x3 = f32x4.pmax(acc0x3, zero);
    acc1x0 = f32x4.pmax(acc1x0, zero);
    acc1x1 = f32x4.pmax(acc1x1, zero);
    acc1x2 = f32x4.pmax(acc1x2, zero);
    acc1x3 = f32x4.pmax(acc1x3, zero);
  }
  v128.store(c0, acc0x0, 0);
  v128.store(c0, acc0x1, 16);
  v128.store(c0, acc0x2, 32);
  v128.store(c0, acc0x3, 48);
  v128.store(c1, acc1x0, 0);
  v128.store(c1, acc1x1, 16);
  v128.store(c1, acc1x2, 32);
  v128.store(c1, acc1x3, 48);
}

/**
 * 4 rows x 8 columns of C over kc steps, B stored k x n.
 */
function f32_gemm_stream_ukernel_4x8(
  kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize, pc: usize,
  ldcBytes: usize, nr: i32, init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const vbeta = f32x4.splat(beta);
  let a0 = pa;
  let a1 = a0 + aRow;
  let a2 = a1 + aRow;
  let a3 = a2 + aRow;
  const c0 = pc;
  const c1 = c0 + ldcBytes;
  const c2 = c1 + ldcBytes;
  const c3 = c2 + ldcBytes;
  let bias0 = f32x4.splat(0);
  let bias1 = f32x4.splat(0);
  if (bias != 0) {
    bias0 = v128.load(bias, 0);
    bias1 = v128.load(bias, 16);
  }
  let acc0x0 = bias0;
  let acc0x1 = bias1;
  let acc1x0 = bias0;
  let acc1x1 = bias1;
  let acc2x0 = bias0;
  let acc2x1 = bias1;
  let acc3x0 = bias0;
  let acc3x1 = bias1;
  if (init != INIT_BIAS) {
    acc0x0 = v128.load(c0, 0);
    acc0x1 = v128.load(c0, 16);
    acc1x0 = v128.load(c1, 0);
    acc1x1 = v128.load(c1, 16);
    acc2x0 = v128.load(c2, 0);
    acc2x1 = v128.load(c2, 16);
    acc3x0 = v128.load(c3, 0);
    acc3x1 = v128.load(c3, 16);
    if (init == INIT_BETA_C) {
      acc0x0 = f32x4.add(f32x4.mul(vbeta, acc0x0), bias0);
      acc0x1 = f32x4.add(f32x4.mul(vbeta, acc0x1), bias1);
      acc1x0 = f32x4.add(f32x4.mul(vbeta, acc1x0), bias0);
      acc1x1 = f32x4.add(f32x4.mul(vbeta, acc1x1), bias1);
      acc2x0 = f32x4.add(f32x4.mul(vbeta, acc2x0), bias0);
      acc2x1 = f32x4.add(f32x4.mul(vbeta, acc2x1), bias1);
      acc3x0 = f32x4.add(f32x4.mul(vbeta, acc3x0), bias0);
      acc3x1 = f32x4.add(f32x4.mul(vbeta, acc3x1), bias1);
    }
  }
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    for (let s = 0; s < 2; s++) {
      const va0 = v128.load32_splat(a0);
      const va1 = v128.load32_splat(a1);
      const va2 = v128.load32_splat(a2);
      const va3 = v128.load32_splat(a3);
      const vb0 = v128.load(pb, 0);
      acc0x0 = madd(va0, vb0, acc0x0);
      acc1x0 = madd(va1, vb0, acc1x0);
      acc2x0 = madd(va2, vb0, acc2x0);
      acc3x0 = madd(va3, vb0, acc3x0);
      const vb1 = v128.load(pb, 16);
      acc0x1 = madd(va0, vb1, acc0x1);
      acc1x1 = madd(va1, vb1, acc1x1);
      acc2x1 = madd(va2, vb1, acc2x1);
      acc3x1 = madd(va3, vb1, acc3x1);
      a0 += aStep;
      a1 += aStep;
      a2 += aStep;
      a3 += aStep;
      pb += ldbBytes;
    }
    for (let s = 0; s < 2; s++) {
      const va0 = v128.load32_splat(a0);
      const va1 = v128.load32_splat(a1);
      const va2 = v128.load32_splat(a2);
      const va3 = v128.load32_splat(a3);
      const vb0 = v128.load(pb, 0);
      acc0x0 = madd(va0, vb0, acc0x0);
      acc1x0 = madd(va1, vb0, acc1x0);
      acc2x0 = madd(va2, vb0, acc2x0);
      acc3x0 = madd(va3, vb0, acc3x0);
      const vb1 = v128.load(pb, 16);
      acc0x1 = madd(va0, vb1, acc0x1);
      acc1x1 = madd(va1, vb1, acc1x1);
      acc2x1 = madd(va2, vb1, acc2x1);
      acc3x1 = madd(va3, vb1, acc3x1);
      a0 += aStep;
      a1 += aStep;
      a2 += aStep;
      a3 += aStep;
      pb += ldbBytes;
    }
  }
  for (; p < kc; p++) {
    const va0 = v128.load32_splat(a0);
    const va1 = v128.load32_splat(a1);
    const va2 = v128.load32_splat(a2);
    const va3 = v128.load32_splat(a3);
    const vb0 = v128.load(pb, 0);
    acc0x0 = madd(va0, vb0, acc0x0);
    acc1x0 = madd(va1, vb0, acc1x0);
    acc2x0 = madd(va2, vb0, acc2x0);
    acc3x0 = madd(va3, vb0, acc3x0);
    const vb1 = v128.load(pb, 16);
    acc0x1 = madd(va0, vb1, acc0x1);
    acc1x1 = madd(va1, vb1, acc1x1);
    acc2x1 = madd(va2, vb1, acc2x1);
    acc3x1 = madd(va3, vb1, acc3x1);
    a0 += aStep;
    a1 += aStep;
    a2 += aStep;
    a3 += aStep;
    pb += ldbBytes;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0 = f32x4.pmax(acc0x0, zero);
    acc0x1 = f32x4.pmax(acc0x1, zero);
    acc1x0 = f32x4.pmax(acc1x0, zero);
    acc1x1 = f32x4.pmax(acc1x1, zero);
    acc2x0 = f32x4.pmax(acc2x0, zero);
    acc2x1 = f32x4.pmax(acc2x1, zero);
    acc3x0 = f32x4.pmax(acc3x0, zero);
    acc3x1 = f32x4.pmax(acc3x1, zero);
  }
  v128.store(c0, acc0x0, 0);
  v128.store(c0, acc0x1, 16);
  v128.store(c1, acc1x0, 0);
  v128.store(c1, acc1x1, 16);
  v128.store(c2, acc2x0, 0);
  v128.store(c2, acc2x1, 16);
  v128.store(c3, acc3x0, 0);
  v128.store(c3, acc3x1, 16);
}

/**
 * 1 row x nr <= 4 columns of C over kc steps, B stored k x n.
 */
function f32_gemm_stream_ukernel_1x4(
  kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize, pc: usize,
  ldcBytes: usize, nr: i32, init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const vbeta = f32x4.splat(beta);
  let a0 = pa;
  const c0 = pc;
  let bias0 = f32x4.splat(0);
  if (bias != 0) {
    bias0 = loadN(bias, nr);
  }
  let acc0x0 = bias0;
  if (init != INIT_BIAS) {
    acc0x0 = loadN(c0, nr);
    if (init == INIT_BETA_C) {
      acc0x0 = f32x4.add(f32x4.mul(vbeta, acc0x0), bias0);
    }
  }
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    for (let s = 0; s < 2; s++) {
      const va0 = v128.load32_splat(a0);
      const vb0 = loadN(pb, nr);
      acc0x0 = madd(va0, vb0, acc0x0);
      a0 += aStep;
      pb += ldbBytes;
    }
    for (let s = 0; s < 2; s++) {
      const va0 = v128.load32_splat(a0);
      const vb0 = loadN(pb, nr);
      acc0x0 = madd(va0, vb0, acc0x0);
      a0 += aStep;
      pb += ldbBytes;
    }
  }
  for (; p < kc; p++) {
    const va0 = v128.load32_splat(a0);
    const vb0 = loadN(pb, nr);
    acc0x0 = madd(va0, vb0, acc0x0);
    a0 += aStep;
    pb += ldbBytes;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0 = f32x4.pmax(acc0x0, zero);
  }
  storeN(c0, acc0x0, nr);
}

/**
 * 2 rows x nr <= 4 columns of C over kc steps, B stored k x n.
 */
function f32_gemm_stream_ukernel_2x4(
  kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize, pc: usize,
  ldcBytes: usize, nr: i32, init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const vbeta = f32x4.splat(beta);
  let a0 = pa;
  let a1 = a0 + aRow;
  const c0 = pc;
  const c1 = c0 + ldcBytes;
  let bias0 = f32x4.splat(0);
  if (bias != 0) {
    bias0 = loadN(bias, nr);
  }
  let acc0x0 = bias0;
  let acc1x0 = bias0;
  if (init != INIT_BIAS) {
    acc0x0 = loadN(c0, nr);
    acc1x0 = loadN(c1, nr);
    if (init == INIT_BETA_C) {
      acc0x0 = f32x4.add(f32x4.mul(vbeta, acc0x0), bias0);
      acc1x0 = f32x4.add(f32x4.mul(vbeta, acc1x0), bias0);
    }
  }
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    for (let s = 0; s < 2; s++) {
      const va0 = v128.load32_splat(a0);
      const va1 = v128.load32_splat(a1);
      const vb0 = loadN(pb, nr);
      acc0x0 = madd(va0, vb0, acc0x0);
      acc1x0 = madd(va1, vb0, acc1x0);
      a0 += aStep;
      a1 += aStep;
      pb += ldbBytes;
    }
    for (let s = 0; s < 2; s++) {
      const va0 = v128.load32_splat(a0);
      const va1 = v128.load32_splat(a1);
      const vb0 = loadN(pb, nr);
      acc0x0 = madd(va0, vb0, acc0x0);
      acc1x0 = madd(va1, vb0, acc1x0);
      a0 += aStep;
      a1 += aStep;
      pb += ldbBytes;
    }
  }
  for (; p < kc; p++) {
    const va0 = v128.load32_splat(a0);
    const va1 = v128.load32_splat(a1);
    const vb0 = loadN(pb, nr);
    acc0x0 = madd(va0, vb0, acc0x0);
    acc1x0 = madd(va1, vb0, acc1x0);
    a0 += aStep;
    a1 += aStep;
    pb += ldbBytes;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0 = f32x4.pmax(acc0x0, zero);
    acc1x0 = f32x4.pmax(acc1x0, zero);
  }
  storeN(c0, acc0x0, nr);
  storeN(c1, acc1x0, nr);
}

/**
 * 4 rows x nr <= 4 columns of C over kc steps, B stored k x n.
 */
function f32_gemm_stream_ukernel_4x4(
  kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize, pc: usize,
  ldcBytes: usize, nr: i32, init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const vbeta = f32x4.splat(beta);
  let a0 = pa;
  let a1 = a0 + aRow;
  let a2 = a1 + aRow;
  let a3 = a2 + aRow;
  const c0 = pc;
  const c1 = c0 + ldcBytes;
  const c2 = c1 + ldcBytes;
  const c3 = c2 + ldcBytes;
  let bias0 = f32x4.splat(0);
  if (bias != 0) {
    bias0 = loadN(bias, nr);
  }
  let acc0x0 = bias0;
  let acc1x0 = bias0;
  let acc2x0 = bias0;
  let acc3x0 = bias0;
  if (init != INIT_BIAS) {
    acc0x0 = loadN(c0, nr);
    acc1x0 = loadN(c1, nr);
    acc2x0 = loadN(c2, nr);
    acc3x0 = loadN(c3, nr);
    if (init == INIT_BETA_C) {
      acc0x0 = f32x4.add(f32x4.mul(vbeta, acc0x0), bias0);
      acc1x0 = f32x4.add(f32x4.mul(vbeta, acc1x0), bias0);
      acc2x0 = f32x4.add(f32x4.mul(vbeta, acc2x0), bias0);
      acc3x0 = f32x4.add(f32x4.mul(vbeta, acc3x0), bias0);
    }
  }
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    for (let s = 0; s < 2; s++) {
      const va0 = v128.load32_splat(a0);
      const va1 = v128.load32_splat(a1);
      const va2 = v128.load32_splat(a2);
      const va3 = v128.load32_splat(a3);
      const vb0 = loadN(pb, nr);
      acc0x0 = madd(va0, vb0, acc0x0);
      acc1x0 = madd(va1, vb0, acc1x0);
      acc2x0 = madd(va2, vb0, acc2x0);
      acc3x0 = madd(va3, vb0, acc3x0);
      a0 += aStep;
      a1 += aStep;
      a2 += aStep;
      a3 += aStep;
      pb += ldbBytes;
    }
    for (let s = 0; s < 2; s++) {
      const va0 = v128.load32_splat(a0);
      const va1 = v128.load32_splat(a1);
      const va2 = v128.load32_splat(a2);
      const va3 = v128.load32_splat(a3);
      const vb0 = loadN(pb, nr);
      acc0x0 = madd(va0, vb0, acc0x0);
      acc1x0 = madd(va1, vb0, acc1x0);
      acc2x0 = madd(va2, vb0, acc2x0);
      acc3x0 = madd(va3, vb0, acc3x0);
      a0 += aStep;
      a1 += aStep;
      a2 += aStep;
      a3 += aStep;
      pb += ldbBytes;
    }
  }
  for (; p < kc; p++) {
    const va0 = v128.load32_splat(a0);
    const va1 = v128.load32_splat(a1);
    const va2 = v128.load32_splat(a2);
    const va3 = v128.load32_splat(a3);
    const vb0 = loadN(pb, nr);
    acc0x0 = madd(va0, vb0, acc0x0);
    acc1x0 = madd(va1, vb0, acc1x0);
    acc2x0 = madd(va2, vb0, acc2x0);
    acc3x0 = madd(va3, vb0, acc3x0);
    a0 += aStep;
    a1 += aStep;
    a2 += aStep;
    a3 += aStep;
    pb += ldbBytes;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0 = f32x4.pmax(acc0x0, zero);
    acc1x0 = f32x4.pmax(acc1x0, zero);
    acc2x0 = f32x4.pmax(acc2x0, zero);
    acc3x0 = f32x4.pmax(acc3x0, zero);
  }
  storeN(c0, acc0x0, nr);
  storeN(c1, acc1x0, nr);
  storeN(c2, acc2x0, nr);
  storeN(c3, acc3x0, nr);
}

/**
 * 1 row x 32 columns of C over kc steps, B stored n x k (4 k steps of 4 columns transposed in registers).
 */
function f32_gemm_stream_ukernel_1x32_tb(
  kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize, pc: usize,
  ldcBytes: usize, nr: i32, init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const vbeta = f32x4.splat(beta);
  let a0 = pa;
  const c0 = pc;
  let bias0 = f32x4.splat(0);
  let bias1 = f32x4.splat(0);
  let bias2 = f32x4.splat(0);
  let bias3 = f32x4.splat(0);
  let bias4 = f32x4.splat(0);
  let bias5 = f32x4.splat(0);
  let bias6 = f32x4.splat(0);
  let bias7 = f32x4.splat(0);
  if (bias != 0) {
    bias0 = v128.load(bias, 0);
    bias1 = v128.load(bias, 16);
    bias2 = v128.load(bias, 32);
    bias3 = v128.load(bias, 48);
    bias4 = v128.load(bias, 64);
    bias5 = v128.load(bias, 80);
    bias6 = v128.load(bias, 96);
    bias7 = v128.load(bias, 112);
  }
  let acc0x0 = bias0;
  let acc0x1 = bias1;
  let acc0x2 = bias2;
  let acc0x3 = bias3;
  let acc0x4 = bias4;
  let acc0x5 = bias5;
  let acc0x6 = bias6;
  let acc0x7 = bias7;
  if (init != INIT_BIAS) {
    acc0x0 = v128.load(c0, 0);
    acc0x1 = v128.load(c0, 16);
    acc0x2 = v128.load(c0, 32);
    acc0x3 = v128.load(c0, 48);
    acc0x4 = v128.load(c0, 64);
    acc0x5 = v128.load(c0, 80);
    acc0x6 = v128.load(c0, 96);
    acc0x7 = v128.load(c0, 112);
    if (init == INIT_BETA_C) {
      acc0x0 = f32x4.add(f32x4.mul(vbeta, acc0x0), bias0);
      acc0x1 = f32x4.add(f32x4.mul(vbeta, acc0x1), bias1);
      acc0x2 = f32x4.add(f32x4.mul(vbeta, acc0x2), bias2);
      acc0x3 = f32x4.add(f32x4.mul(vbeta, acc0x3), bias3);
      acc0x4 = f32x4.add(f32x4.mul(vbeta, acc0x4), bias4);
      acc0x5 = f32x4.add(f32x4.mul(vbeta, acc0x5), bias5);
      acc0x6 = f32x4.add(f32x4.mul(vbeta, acc0x6), bias6);
      acc0x7 = f32x4.add(f32x4.mul(vbeta, acc0x7), bias7);
    }
  }
  const b0 = pb;
  const b1 = b0 + ldbBytes;
  const b2 = b1 + ldbBytes;
  const b3 = b2 + ldbBytes;
  const b4 = b3 + ldbBytes;
  const b5 = b4 + ldbBytes;
  const b6 = b5 + ldbBytes;
  const b7 = b6 + ldbBytes;
  const b8 = b7 + ldbBytes;
  const b9 = b8 + ldbBytes;
  const b10 = b9 + ldbBytes;
  const b11 = b10 + ldbBytes;
  const b12 = b11 + ldbBytes;
  const b13 = b12 + ldbBytes;
  const b14 = b13 + ldbBytes;
  const b15 = b14 + ldbBytes;
  const b16 = b15 + ldbBytes;
  const b17 = b16 + ldbBytes;
  const b18 = b17 + ldbBytes;
  const b19 = b18 + ldbBytes;
  const b20 = b19 + ldbBytes;
  const b21 = b20 + ldbBytes;
  const b22 = b21 + ldbBytes;
  const b23 = b22 + ldbBytes;
  const b24 = b23 + ldbBytes;
  const b25 = b24 + ldbBytes;
  const b26 = b25 + ldbBytes;
  const b27 = b26 + ldbBytes;
  const b28 = b27 + ldbBytes;
  const b29 = b28 + ldbBytes;
  const b30 = b29 + ldbBytes;
  const b31 = b30 + ldbBytes;
  const aStep2 = aStep << 1, aStep3 = aStep2 + aStep;
  let o: usize = 0;
  const o4 = <usize>(kc & ~3) << 2;
  for (; o < o4; o += 16) {
    const va0s0 = v128.load32_splat(a0);
    const va0s1 = v128.load32_splat(a0 + aStep);
    const va0s2 = v128.load32_splat(a0 + aStep2);
    const va0s3 = v128.load32_splat(a0 + aStep3);
    {
      const r0 = v128.load(b0 + o), r1 = v128.load(b1 + o);
      const r2 = v128.load(b2 + o), r3 = v128.load(b3 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x0 = madd(va0s0, s0, acc0x0);
      acc0x0 = madd(va0s1, s1, acc0x0);
      acc0x0 = madd(va0s2, s2, acc0x0);
      acc0x0 = madd(va0s3, s3, acc0x0);
    }
    {
      const r0 = v128.load(b4 + o), r1 = v128.load(b5 + o);
      const r2 = v128.load(b6 + o), r3 = v128.load(b7 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x1 = madd(va0s0, s0, acc0x1);
      acc0x1 = madd(va0s1, s1, acc0x1);
      acc0x1 = madd(va0s2, s2, acc0x1);
      acc0x1 = madd(va0s3, s3, acc0x1);
    }
    {
      const r0 = v128.load(b8 + o), r1 = v128.load(b9 + o);
      const r2 = v128.load(b10 + o), r3 = v128.load(b11 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x2 = madd(va0s0, s0, acc0x2);
      acc0x2 = madd(va0s1, s1, acc0x2);
      acc0x2 = madd(va0s2, s2, acc0x2);
      acc0x2 = madd(va0s3, s3, acc0x2);
    }
    {
      const r0 = v128.load(b12 + o), r1 = v128.load(b13 + o);
      const r2 = v128.load(b14 + o), r3 = v128.load(b15 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x3 = madd(va0s0, s0, acc0x3);
      acc0x3 = madd(va0s1, s1, acc0x3);
      acc0x3 = madd(va0s2, s2, acc0x3);
      acc0x3 = madd(va0s3, s3, acc0x3);
    }
    {
      const r0 = v128.load(b16 + o), r1 = v128.load(b17 + o);
      const r2 = v128.load(b18 + o), r3 = v128.load(b19 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x4 = madd(va0s0, s0, acc0x4);
      acc0x4 = madd(va0s1, s1, acc0x4);
      acc0x4 = madd(va0s2, s2, acc0x4);
      acc0x4 = madd(va0s3, s3, acc0x4);
    }
    {
      const r0 = v128.load(b20 + o), r1 = v128.load(b21 + o);
      const r2 = v128.load(b22 + o), r3 = v128.load(b23 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x5 = madd(va0s0, s0, acc0x5);
      acc0x5 = madd(va0s1, s1, acc0x5);
      acc0x5 = madd(va0s2, s2, acc0x5);
      acc0x5 = madd(va0s3, s3, acc0x5);
    }
    {
      const r0 = v128.load(b24 + o), r1 = v128.load(b25 + o);
      const r2 = v128.load(b26 + o), r3 = v128.load(b27 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x6 = madd(va0s0, s0, acc0x6);
      acc0x6 = madd(va0s1, s1, acc0x6);
      acc0x6 = madd(va0s2, s2, acc0x6);
      acc0x6 = madd(va0s3, s3, acc0x6);
    }
    {
      const r0 = v128.load(b28 + o), r1 = v128.load(b29 + o);
      const r2 = v128.load(b30 + o), r3 = v128.load(b31 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x7 = madd(va0s0, s0, acc0x7);
      acc0x7 = madd(va0s1, s1, acc0x7);
      acc0x7 = madd(va0s2, s2, acc0x7);
      acc0x7 = madd(va0s3, s3, acc0x7);
    }
    a0 += aStep << 2;
  }
  const oEnd = <usize>kc << 2;
  for (; o < oEnd; o += 4) {
    const va0 = v128.load32_splat(a0);
    const vb0 = v128.load32_lane(b3 + o, v128.load32_lane(b2 + o, v128.load32_lane(b1 + o, v128.load32_zero(b0 + o), 1), 2), 3);
    acc0x0 = madd(va0, vb0, acc0x0);
    const vb1 = v128.load32_lane(b7 + o, v128.load32_lane(b6 + o, v128.load32_lane(b5 + o, v128.load32_zero(b4 + o), 1), 2), 3);
    acc0x1 = madd(va0, vb1, acc0x1);
    const vb2 = v128.load32_lane(b11 + o, v128.load32_lane(b10 + o, v128.load32_lane(b9 + o, v128.load32_zero(b8 + o), 1), 2), 3);
    acc0x2 = madd(va0, vb2, acc0x2);
    const vb3 = v128.load32_lane(b15 + o, v128.load32_lane(b14 + o, v128.load32_lane(b13 + o, v128.load32_zero(b12 + o), 1), 2), 3);
    acc0x3 = madd(va0, vb3, acc0x3);
    const vb4 = v128.load32_lane(b19 + o, v128.load32_lane(b18 + o, v128.load32_lane(b17 + o, v128.load32_zero(b16 + o), 1), 2), 3);
    acc0x4 = madd(va0, vb4, acc0x4);
    const vb5 = v128.load32_lane(b23 + o, v128.load32_lane(b22 + o, v128.load32_lane(b21 + o, v128.load32_zero(b20 + o), 1), 2), 3);
    acc0x5 = madd(va0, vb5, acc0x5);
    const vb6 = v128.load32_lane(b27 + o, v128.load32_lane(b26 + o, v128.load32_lane(b25 + o, v128.load32_zero(b24 + o), 1), 2), 3);
    acc0x6 = madd(va0, vb6, acc0x6);
    const vb7 = v128.load32_lane(b31 + o, v128.load32_lane(b30 + o, v128.load32_lane(b29 + o, v128.load32_zero(b28 + o), 1), 2), 3);
    acc0x7 = madd(va0, vb7, acc0x7);
    a0 += aStep;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0 = f32x4.pmax(acc0x0, zero);
    acc0x1 = f32x4.pmax(acc0x1, zero);
    acc0x2 = f32x4.pmax(acc0x2, zero);
    acc0x3 = f32x4.pmax(acc0x3, zero);
    acc0x4 = f32x4.pmax(acc0x4, zero);
    acc0x5 = f32x4.pmax(acc0x5, zero);
    acc0x6 = f32x4.pmax(acc0x6, zero);
    acc0x7 = f32x4.pmax(acc0x7, zero);
  }
  v128.store(c0, acc0x0, 0);
  v128.store(c0, acc0x1, 16);
  v128.store(c0, acc0x2, 32);
  v128.store(c0, acc0x3, 48);
  v128.store(c0, acc0x4, 64);
  v128.store(c0, acc0x5, 80);
  v128.store(c0, acc0x6, 96);
  v128.store(c0, acc0x7, 112);
}

/**
 * 2 rows x 16 columns of C over kc steps, B stored n x k (4 k steps of 4 columns transposed in registers).
 */
function f32_gemm_stream_ukernel_2x16_tb(
  kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize, pc: usize,
  ldcBytes: usize, nr: i32, init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const vbeta = f32x4.splat(beta);
  let a0 = pa;
  let a1 = a0 + aRow;
  const c0 = pc;
  const c1 = c0 + ldcBytes;
  let bias0 = f32x4.splat(0);
  let bias1 = f32x4.splat(0);
  let bias2 = f32x4.splat(0);
  let bias3 = f32x4.splat(0);
  if (bias != 0) {
    bias0 = v128.load(bias, 0);
    bias1 = v128.load(bias, 16);
    bias2 = v128.load(bias, 32);
    bias3 = v128.load(bias, 48);
  }
  let acc0x0 = bias0;
  let acc0x1 = bias1;
  let acc0x2 = bias2;
  let acc0x3 = bias3;
  let acc1x0 = bias0;
  let acc1x1 = bias1;
  let acc1x2 = bias2;
  let acc1x3 = bias3;
  if (init != INIT_BIAS) {
    acc0x0 = v128.load(c0, 0);
    acc0x1 = v128.load(c0, 16);
    acc0x2 = v128.load(c0, 32);
    acc0x3 = v128.load(c0, 48);
    acc1x0 = v128.load(c1, 0);
    acc1x1 = v128.load(c1, 16);
    acc1x2 = v128.load(c1, 32);
    acc1x3 = v128.load(c1, 48);
    if (init == INIT_BETA_C) {
      acc0x0 = f32x4.add(f32x4.mul(vbeta, acc0x0), bias0);
      acc0x1 = f32x4.add(f32x4.mul(vbeta, acc0x1), bias1);
      acc0x2 = f32x4.add(f32x4.mul(vbeta, acc0x2), bias2);
      acc0x3 = f32x4.add(f32x4.mul(vbeta, acc0x3), bias3);
      acc1x0 = f32x4.add(f32x4.mul(vbeta, acc1x0), bias0);
      acc1x1 = f32x4.add(f32x4.mul(vbeta, acc1x1), bias1);
      acc1x2 = f32x4.add(f32x4.mul(vbeta, acc1x2), bias2);
      acc1x3 = f32x4.add(f32x4.mul(vbeta, acc1x3), bias3);
    }
  }
  const b0 = pb;
  const b1 = b0 + ldbBytes;
  const b2 = b1 + ldbBytes;
  const b3 = b2 + ldbBytes;
  const b4 = b3 + ldbBytes;
  const b5 = b4 + ldbBytes;
  const b6 = b5 + ldbBytes;
  const b7 = b6 + ldbBytes;
  const b8 = b7 + ldbBytes;
  const b9 = b8 + ldbBytes;
  const b10 = b9 + ldbBytes;
  const b11 = b10 + ldbBytes;
  const b12 = b11 + ldbBytes;
  const b13 = b12 + ldbBytes;
  const b14 = b13 + ldbBytes;
  const b15 = b14 + ldbBytes;
  const aStep2 = aStep << 1, aStep3 = aStep2 + aStep;
  let o: usize = 0;
  const o4 = <usize>(kc & ~3) << 2;
  for (; o < o4; o += 16) {
    const va0s0 = v128.load32_splat(a0);
    const va0s1 = v128.load32_splat(a0 + aStep);
    const va0s2 = v128.load32_splat(a0 + aStep2);
    const va0s3 = v128.load32_splat(a0 + aStep3);
    const va1s0 = v128.load32_splat(a1);
    const va1s1 = v128.load32_splat(a1 + aStep);
    const va1s2 = v128.load32_splat(a1 + aStep2);
    const va1s3 = v128.load32_splat(a1 + aStep3);
    {
      const r0 = v128.load(b0 + o), r1 = v128.load(b1 + o);
      const r2 = v128.load(b2 + o), r3 = v128.load(b3 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x0 = madd(va0s0, s0, acc0x0);
      acc0x0 = madd(va0s1, s1, acc0x0);
      acc0x0 = madd(va0s2, s2, acc0x0);
      acc0x0 = madd(va0s3, s3, acc0x0);
      acc1x0 = madd(va1s0, s0, acc1x0);
      acc1x0 = madd(va1s1, s1, acc1x0);
      acc1x0 = madd(va1s2, s2, acc1x0);
      acc1x0 = madd(va1s3, s3, acc1x0);
    }
    {
      const r0 = v128.load(b4 + o), r1 = v128.load(b5 + o);
      const r2 = v128.load(b6 + o), r3 = v128.load(b7 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x1 = madd(va0s0, s0, acc0x1);
      acc0x1 = madd(va0s1, s1, acc0x1);
      acc0x1 = madd(va0s2, s2, acc0x1);
      acc0x1 = madd(va0s3, s3, acc0x1);
      acc1x1 = madd(va1s0, s0, acc1x1);
      acc1x1 = madd(va1s1, s1, acc1x1);
      acc1x1 = madd(va1s2, s2, acc1x1);
      acc1x1 = madd(va1s3, s3, acc1x1);
    }
    {
      const r0 = v128.load(b8 + o), r1 = v128.load(b9 + o);
      const r2 = v128.load(b10 + o), r3 = v128.load(b11 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x2 = madd(va0s0, s0, acc0x2);
      acc0x2 = madd(va0s1, s1, acc0x2);
      acc0x2 = madd(va0s2, s2, acc0x2);
      acc0x2 = madd(va0s3, s3, acc0x2);
      acc1x2 = madd(va1s0, s0, acc1x2);
      acc1x2 = madd(va1s1, s1, acc1x2);
      acc1x2 = madd(va1s2, s2, acc1x2);
      acc1x2 = madd(va1s3, s3, acc1x2);
    }
    {
      const r0 = v128.load(b12 + o), r1 = v128.load(b13 + o);
      const r2 = v128.load(b14 + o), r3 = v128.load(b15 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x3 = madd(va0s0, s0, acc0x3);
      acc0x3 = madd(va0s1, s1, acc0x3);
      acc0x3 = madd(va0s2, s2, acc0x3);
      acc0x3 = madd(va0s3, s3, acc0x3);
      acc1x3 = madd(va1s0, s0, acc1x3);
      acc1x3 = madd(va1s1, s1, acc1x3);
      acc1x3 = madd(va1s2, s2, acc1x3);
      acc1x3 = madd(va1s3, s3, acc1x3);
    }
    a0 += aStep << 2;
    a1 += aStep << 2;
  }
  const oEnd = <usize>kc << 2;
  for (; o < oEnd; o += 4) {
    const va0 = v128.load32_splat(a0);
    const va1 = v128.load32_splat(a1);
    const vb0 = v128.load32_lane(b3 + o, v128.load32_lane(b2 + o, v128.load32_lane(b1 + o, v128.load32_zero(b0 + o), 1), 2), 3);
    acc0x0 = madd(va0, vb0, acc0x0);
    acc1x0 = madd(va1, vb0, acc1x0);
    const vb1 = v128.load32_lane(b7 + o, v128.load32_lane(b6 + o, v128.load32_lane(b5 + o, v128.load32_zero(b4 + o), 1), 2), 3);
    acc0x1 = madd(va0, vb1, acc0x1);
    acc1x1 = madd(va1, vb1, acc1x1);
    const vb2 = v128.load32_lane(b11 + o, v128.load32_lane(b10 + o, v128.load32_lane(b9 + o, v128.load32_zero(b8 + o), 1), 2), 3);
    acc0x2 = madd(va0, vb2, acc0x2);
    acc1x2 = madd(va1, vb2, acc1x2);
    const vb3 = v128.load32_lane(b15 + o, v128.load32_lane(b14 + o, v128.load32_lane(b13 + o, v128.load32_zero(b12 + o), 1), 2), 3);
    acc0x3 = madd(va0, vb3, acc0x3);
    acc1x3 = madd(va1, vb3, acc1x3);
    a0 += aStep;
    a1 += aStep;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0 = f32x4.pmax(acc0x0, zero);
    acc0x1 = f32x4.pmax(acc0x1, zero);
    acc0x2 = f32x4.pmax(acc0x2, zero);
    acc0x3 = f32x4.pmax(acc0x3, zero);
    acc1x0 = f32x4.pmax(acc1x0, zero);
    acc1x1 = f32x4.pmax(acc1x1, zero);
    acc1x2 = f32x4.pmax(acc1x2, zero);
    acc1x3 = f32x4.pmax(acc1x3, zero);
  }
  v128.store(c0, acc0x0, 0);
  v128.store(c0, acc0x1, 16);
  v128.store(c0, acc0x2, 32);
  v128.store(c0, acc0x3, 48);
  v128.store(c1, acc1x0, 0);
  v128.store(c1, acc1x1, 16);
  v128.store(c1, acc1x2, 32);
  v128.store(c1, acc1x3, 48);
}

/**
 * 4 rows x 8 columns of C over kc steps, B stored n x k (4 k steps of 4 columns transposed in registers).
 */
function f32_gemm_stream_ukernel_4x8_tb(
  kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize, pc: usize,
  ldcBytes: usize, nr: i32, init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const vbeta = f32x4.splat(beta);
  let a0 = pa;
  let a1 = a0 + aRow;
  let a2 = a1 + aRow;
  let a3 = a2 + aRow;
  const c0 = pc;
  const c1 = c0 + ldcBytes;
  const c2 = c1 + ldcBytes;
  const c3 = c2 + ldcBytes;
  let bias0 = f32x4.splat(0);
  let bias1 = f32x4.splat(0);
  if (bias != 0) {
    bias0 = v128.load(bias, 0);
    bias1 = v128.load(bias, 16);
  }
  let acc0x0 = bias0;
  let acc0x1 = bias1;
  let acc1x0 = bias0;
  let acc1x1 = bias1;
  let acc2x0 = bias0;
  let acc2x1 = bias1;
  let acc3x0 = bias0;
  let acc3x1 = bias1;
  if (init != INIT_BIAS) {
    acc0x0 = v128.load(c0, 0);
    acc0x1 = v128.load(c0, 16);
    acc1x0 = v128.load(c1, 0);
    acc1x1 = v128.load(c1, 16);
    acc2x0 = v128.load(c2, 0);
    acc2x1 = v128.load(c2, 16);
    acc3x0 = v128.load(c3, 0);
    acc3x1 = v128.load(c3, 16);
    if (init == INIT_BETA_C) {
      acc0x0 = f32x4.add(f32x4.mul(vbeta, acc0x0), bias0);
      acc0x1 = f32x4.add(f32x4.mul(vbeta, acc0x1), bias1);
      acc1x0 = f32x4.add(f32x4.mul(vbeta, acc1x0), bias0);
      acc1x1 = f32x4.add(f32x4.mul(vbeta, acc1x1), bias1);
      acc2x0 = f32x4.add(f32x4.mul(vbeta, acc2x0), bias0);
      acc2x1 = f32x4.add(f32x4.mul(vbeta, acc2x1), bias1);
      acc3x0 = f32x4.add(f32x4.mul(vbeta, acc3x0), bias0);
      acc3x1 = f32x4.add(f32x4.mul(vbeta, acc3x1), bias1);
    }
  }
  const b0 = pb;
  const b1 = b0 + ldbBytes;
  const b2 = b1 + ldbBytes;
  const b3 = b2 + ldbBytes;
  const b4 = b3 + ldbBytes;
  const b5 = b4 + ldbBytes;
  const b6 = b5 + ldbBytes;
  const b7 = b6 + ldbBytes;
  const aStep2 = aStep << 1, aStep3 = aStep2 + aStep;
  let o: usize = 0;
  const o4 = <usize>(kc & ~3) << 2;
  for (; o < o4; o += 16) {
    const va0s0 = v128.load32_splat(a0);
    const va0s1 = v128.load32_splat(a0 + aStep);
    const va0s2 = v128.load32_splat(a0 + aStep2);
    const va0s3 = v128.load32_splat(a0 + aStep3);
    const va1s0 = v128.load32_splat(a1);
    const va1s1 = v128.load32_splat(a1 + aStep);
    const va1s2 = v128.load32_splat(a1 + aStep2);
    const va1s3 = v128.load32_splat(a1 + aStep3);
    const va2s0 = v128.load32_splat(a2);
    const va2s1 = v128.load32_splat(a2 + aStep);
    const va2s2 = v128.load32_splat(a2 + aStep2);
    const va2s3 = v128.load32_splat(a2 + aStep3);
    const va3s0 = v128.load32_splat(a3);
    const va3s1 = v128.load32_splat(a3 + aStep);
    const va3s2 = v128.load32_splat(a3 + aStep2);
    const va3s3 = v128.load32_splat(a3 + aStep3);
    {
      const r0 = v128.load(b0 + o), r1 = v128.load(b1 + o);
      const r2 = v128.load(b2 + o), r3 = v128.load(b3 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x0 = madd(va0s0, s0, acc0x0);
      acc0x0 = madd(va0s1, s1, acc0x0);
      acc0x0 = madd(va0s2, s2, acc0x0);
      acc0x0 = madd(va0s3, s3, acc0x0);
      acc1x0 = madd(va1s0, s0, acc1x0);
      acc1x0 = madd(va1s1, s1, acc1x0);
      acc1x0 = madd(va1s2, s2, acc1x0);
      acc1x0 = madd(va1s3, s3, acc1x0);
      acc2x0 = madd(va2s0, s0, acc2x0);
      acc2x0 = madd(va2s1, s1, acc2x0);
      acc2x0 = madd(va2s2, s2, acc2x0);
      acc2x0 = madd(va2s3, s3, acc2x0);
      acc3x0 = madd(va3s0, s0, acc3x0);
      acc3x0 = madd(va3s1, s1, acc3x0);
      acc3x0 = madd(va3s2, s2, acc3x0);
      acc3x0 = madd(va3s3, s3, acc3x0);
    }
    {
      const r0 = v128.load(b4 + o), r1 = v128.load(b5 + o);
      const r2 = v128.load(b6 + o), r3 = v128.load(b7 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x1 = madd(va0s0, s0, acc0x1);
      acc0x1 = madd(va0s1, s1, acc0x1);
      acc0x1 = madd(va0s2, s2, acc0x1);
      acc0x1 = madd(va0s3, s3, acc0x1);
      acc1x1 = madd(va1s0, s0, acc1x1);
      acc1x1 = madd(va1s1, s1, acc1x1);
      acc1x1 = madd(va1s2, s2, acc1x1);
      acc1x1 = madd(va1s3, s3, acc1x1);
      acc2x1 = madd(va2s0, s0, acc2x1);
      acc2x1 = madd(va2s1, s1, acc2x1);
      acc2x1 = madd(va2s2, s2, acc2x1);
      acc2x1 = madd(va2s3, s3, acc2x1);
      acc3x1 = madd(va3s0, s0, acc3x1);
      acc3x1 = madd(va3s1, s1, acc3x1);
      acc3x1 = madd(va3s2, s2, acc3x1);
      acc3x1 = madd(va3s3, s3, acc3x1);
    }
    a0 += aStep << 2;
    a1 += aStep << 2;
    a2 += aStep << 2;
    a3 += aStep << 2;
  }
  const oEnd = <usize>kc << 2;
  for (; o < oEnd; o += 4) {
    const va0 = v128.load32_splat(a0);
    const va1 = v128.load32_splat(a1);
    const va2 = v128.load32_splat(a2);
    const va3 = v128.load32_splat(a3);
    const vb0 = v128.load32_lane(b3 + o, v128.load32_lane(b2 + o, v128.load32_lane(b1 + o, v128.load32_zero(b0 + o), 1), 2), 3);
    acc0x0 = madd(va0, vb0, acc0x0);
    acc1x0 = madd(va1, vb0, acc1x0);
    acc2x0 = madd(va2, vb0, acc2x0);
    acc3x0 = madd(va3, vb0, acc3x0);
    const vb1 = v128.load32_lane(b7 + o, v128.load32_lane(b6 + o, v128.load32_lane(b5 + o, v128.load32_zero(b4 + o), 1), 2), 3);
    acc0x1 = madd(va0, vb1, acc0x1);
    acc1x1 = madd(va1, vb1, acc1x1);
    acc2x1 = madd(va2, vb1, acc2x1);
    acc3x1 = madd(va3, vb1, acc3x1);
    a0 += aStep;
    a1 += aStep;
    a2 += aStep;
    a3 += aStep;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0 = f32x4.pmax(acc0x0, zero);
    acc0x1 = f32x4.pmax(acc0x1, zero);
    acc1x0 = f32x4.pmax(acc1x0, zero);
    acc1x1 = f32x4.pmax(acc1x1, zero);
    acc2x0 = f32x4.pmax(acc2x0, zero);
    acc2x1 = f32x4.pmax(acc2x1, zero);
    acc3x0 = f32x4.pmax(acc3x0, zero);
    acc3x1 = f32x4.pmax(acc3x1, zero);
  }
  v128.store(c0, acc0x0, 0);
  v128.store(c0, acc0x1, 16);
  v128.store(c1, acc1x0, 0);
  v128.store(c1, acc1x1, 16);
  v128.store(c2, acc2x0, 0);
  v128.store(c2, acc2x1, 16);
  v128.store(c3, acc3x0, 0);
  v128.store(c3, acc3x1, 16);
}

/**
 * 1 row x nr <= 4 columns of C over kc steps, B stored n x k (4 k steps of 4 columns transposed in registers).
 */
function f32_gemm_stream_ukernel_1x4_tb(
  kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize, pc: usize,
  ldcBytes: usize, nr: i32, init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const vbeta = f32x4.splat(beta);
  let a0 = pa;
  const c0 = pc;
  let bias0 = f32x4.splat(0);
  if (bias != 0) {
    bias0 = loadN(bias, nr);
  }
  let acc0x0 = bias0;
  if (init != INIT_BIAS) {
    acc0x0 = loadN(c0, nr);
    if (init == INIT_BETA_C) {
      acc0x0 = f32x4.add(f32x4.mul(vbeta, acc0x0), bias0);
    }
  }
  const b0 = pb;
  const b1 = nr > 1 ? b0 + ldbBytes : b0;
  const b2 = nr > 2 ? b1 + ldbBytes : b1;
  const b3 = nr > 3 ? b2 + ldbBytes : b2;
  const aStep2 = aStep << 1, aStep3 = aStep2 + aStep;
  let o: usize = 0;
  const o4 = <usize>(kc & ~3) << 2;
  for (; o < o4; o += 16) {
    const va0s0 = v128.load32_splat(a0);
    const va0s1 = v128.load32_splat(a0 + aStep);
    const va0s2 = v128.load32_splat(a0 + aStep2);
    const va0s3 = v128.load32_splat(a0 + aStep3);
    {
      const r0 = v128.load(b0 + o), r1 = v128.load(b1 + o);
      const r2 = v128.load(b2 + o), r3 = v128.load(b3 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x0 = madd(va0s0, s0, acc0x0);
      acc0x0 = madd(va0s1, s1, acc0x0);
      acc0x0 = madd(va0s2, s2, acc0x0);
      acc0x0 = madd(va0s3, s3, acc0x0);
    }
    a0 += aStep << 2;
  }
  const oEnd = <usize>kc << 2;
  for (; o < oEnd; o += 4) {
    const va0 = v128.load32_splat(a0);
    const vb0 = v128.load32_lane(b3 + o, v128.load32_lane(b2 + o, v128.load32_lane(b1 + o, v128.load32_zero(b0 + o), 1), 2), 3);
    acc0x0 = madd(va0, vb0, acc0x0);
    a0 += aStep;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0 = f32x4.pmax(acc0x0, zero);
  }
  storeN(c0, acc0x0, nr);
}

/**
 * 2 rows x nr <= 4 columns of C over kc steps, B stored n x k (4 k steps of 4 columns transposed in registers).
 */
function f32_gemm_stream_ukernel_2x4_tb(
  kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize, pc: usize,
  ldcBytes: usize, nr: i32, init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const vbeta = f32x4.splat(beta);
  let a0 = pa;
  let a1 = a0 + aRow;
  const c0 = pc;
  const c1 = c0 + ldcBytes;
  let bias0 = f32x4.splat(0);
  if (bias != 0) {
    bias0 = loadN(bias, nr);
  }
  let acc0x0 = bias0;
  let acc1x0 = bias0;
  if (init != INIT_BIAS) {
    acc0x0 = loadN(c0, nr);
    acc1x0 = loadN(c1, nr);
    if (init == INIT_BETA_C) {
      acc0x0 = f32x4.add(f32x4.mul(vbeta, acc0x0), bias0);
      acc1x0 = f32x4.add(f32x4.mul(vbeta, acc1x0), bias0);
    }
  }
  const b0 = pb;
  const b1 = nr > 1 ? b0 + ldbBytes : b0;
  const b2 = nr > 2 ? b1 + ldbBytes : b1;
  const b3 = nr > 3 ? b2 + ldbBytes : b2;
  const aStep2 = aStep << 1, aStep3 = aStep2 + aStep;
  let o: usize = 0;
  const o4 = <usize>(kc & ~3) << 2;
  for (; o < o4; o += 16) {
    const va0s0 = v128.load32_splat(a0);
    const va0s1 = v128.load32_splat(a0 + aStep);
    const va0s2 = v128.load32_splat(a0 + aStep2);
    const va0s3 = v128.load32_splat(a0 + aStep3);
    const va1s0 = v128.load32_splat(a1);
    const va1s1 = v128.load32_splat(a1 + aStep);
    const va1s2 = v128.load32_splat(a1 + aStep2);
    const va1s3 = v128.load32_splat(a1 + aStep3);
    {
      const r0 = v128.load(b0 + o), r1 = v128.load(b1 + o);
      const r2 = v128.load(b2 + o), r3 = v128.load(b3 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x0 = madd(va0s0, s0, acc0x0);
      acc0x0 = madd(va0s1, s1, acc0x0);
      acc0x0 = madd(va0s2, s2, acc0x0);
      acc0x0 = madd(va0s3, s3, acc0x0);
      acc1x0 = madd(va1s0, s0, acc1x0);
      acc1x0 = madd(va1s1, s1, acc1x0);
      acc1x0 = madd(va1s2, s2, acc1x0);
      acc1x0 = madd(va1s3, s3, acc1x0);
    }
    a0 += aStep << 2;
    a1 += aStep << 2;
  }
  const oEnd = <usize>kc << 2;
  for (; o < oEnd; o += 4) {
    const va0 = v128.load32_splat(a0);
    const va1 = v128.load32_splat(a1);
    const vb0 = v128.load32_lane(b3 + o, v128.load32_lane(b2 + o, v128.load32_lane(b1 + o, v128.load32_zero(b0 + o), 1), 2), 3);
    acc0x0 = madd(va0, vb0, acc0x0);
    acc1x0 = madd(va1, vb0, acc1x0);
    a0 += aStep;
    a1 += aStep;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0 = f32x4.pmax(acc0x0, zero);
    acc1x0 = f32x4.pmax(acc1x0, zero);
  }
  storeN(c0, acc0x0, nr);
  storeN(c1, acc1x0, nr);
}

/**
 * 4 rows x nr <= 4 columns of C over kc steps, B stored n x k (4 k steps of 4 columns transposed in registers).
 */
function f32_gemm_stream_ukernel_4x4_tb(
  kc: i32, pa: usize, aRow: usize, aStep: usize, pb: usize, ldbBytes: usize, pc: usize,
  ldcBytes: usize, nr: i32, init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const vbeta = f32x4.splat(beta);
  let a0 = pa;
  let a1 = a0 + aRow;
  let a2 = a1 + aRow;
  let a3 = a2 + aRow;
  const c0 = pc;
  const c1 = c0 + ldcBytes;
  const c2 = c1 + ldcBytes;
  const c3 = c2 + ldcBytes;
  let bias0 = f32x4.splat(0);
  if (bias != 0) {
    bias0 = loadN(bias, nr);
  }
  let acc0x0 = bias0;
  let acc1x0 = bias0;
  let acc2x0 = bias0;
  let acc3x0 = bias0;
  if (init != INIT_BIAS) {
    acc0x0 = loadN(c0, nr);
    acc1x0 = loadN(c1, nr);
    acc2x0 = loadN(c2, nr);
    acc3x0 = loadN(c3, nr);
    if (init == INIT_BETA_C) {
      acc0x0 = f32x4.add(f32x4.mul(vbeta, acc0x0), bias0);
      acc1x0 = f32x4.add(f32x4.mul(vbeta, acc1x0), bias0);
      acc2x0 = f32x4.add(f32x4.mul(vbeta, acc2x0), bias0);
      acc3x0 = f32x4.add(f32x4.mul(vbeta, acc3x0), bias0);
    }
  }
  const b0 = pb;
  const b1 = nr > 1 ? b0 + ldbBytes : b0;
  const b2 = nr > 2 ? b1 + ldbBytes : b1;
  const b3 = nr > 3 ? b2 + ldbBytes : b2;
  const aStep2 = aStep << 1, aStep3 = aStep2 + aStep;
  let o: usize = 0;
  const o4 = <usize>(kc & ~3) << 2;
  for (; o < o4; o += 16) {
    const va0s0 = v128.load32_splat(a0);
    const va0s1 = v128.load32_splat(a0 + aStep);
    const va0s2 = v128.load32_splat(a0 + aStep2);
    const va0s3 = v128.load32_splat(a0 + aStep3);
    const va1s0 = v128.load32_splat(a1);
    const va1s1 = v128.load32_splat(a1 + aStep);
    const va1s2 = v128.load32_splat(a1 + aStep2);
    const va1s3 = v128.load32_splat(a1 + aStep3);
    const va2s0 = v128.load32_splat(a2);
    const va2s1 = v128.load32_splat(a2 + aStep);
    const va2s2 = v128.load32_splat(a2 + aStep2);
    const va2s3 = v128.load32_splat(a2 + aStep3);
    const va3s0 = v128.load32_splat(a3);
    const va3s1 = v128.load32_splat(a3 + aStep);
    const va3s2 = v128.load32_splat(a3 + aStep2);
    const va3s3 = v128.load32_splat(a3 + aStep3);
    {
      const r0 = v128.load(b0 + o), r1 = v128.load(b1 + o);
      const r2 = v128.load(b2 + o), r3 = v128.load(b3 + o);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      acc0x0 = madd(va0s0, s0, acc0x0);
      acc0x0 = madd(va0s1, s1, acc0x0);
      acc0x0 = madd(va0s2, s2, acc0x0);
      acc0x0 = madd(va0s3, s3, acc0x0);
      acc1x0 = madd(va1s0, s0, acc1x0);
      acc1x0 = madd(va1s1, s1, acc1x0);
      acc1x0 = madd(va1s2, s2, acc1x0);
      acc1x0 = madd(va1s3, s3, acc1x0);
      acc2x0 = madd(va2s0, s0, acc2x0);
      acc2x0 = madd(va2s1, s1, acc2x0);
      acc2x0 = madd(va2s2, s2, acc2x0);
      acc2x0 = madd(va2s3, s3, acc2x0);
      acc3x0 = madd(va3s0, s0, acc3x0);
      acc3x0 = madd(va3s1, s1, acc3x0);
      acc3x0 = madd(va3s2, s2, acc3x0);
      acc3x0 = madd(va3s3, s3, acc3x0);
    }
    a0 += aStep << 2;
    a1 += aStep << 2;
    a2 += aStep << 2;
    a3 += aStep << 2;
  }
  const oEnd = <usize>kc << 2;
  for (; o < oEnd; o += 4) {
    const va0 = v128.load32_splat(a0);
    const va1 = v128.load32_splat(a1);
    const va2 = v128.load32_splat(a2);
    const va3 = v128.load32_splat(a3);
    const vb0 = v128.load32_lane(b3 + o, v128.load32_lane(b2 + o, v128.load32_lane(b1 + o, v128.load32_zero(b0 + o), 1), 2), 3);
    acc0x0 = madd(va0, vb0, acc0x0);
    acc1x0 = madd(va1, vb0, acc1x0);
    acc2x0 = madd(va2, vb0, acc2x0);
    acc3x0 = madd(va3, vb0, acc3x0);
    a0 += aStep;
    a1 += aStep;
    a2 += aStep;
    a3 += aStep;
  }
  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0 = f32x4.pmax(acc0x0, zero);
    acc1x0 = f32x4.pmax(acc1x0, zero);
    acc2x0 = f32x4.pmax(acc2x0, zero);
    acc3x0 = f32x4.pmax(acc3x0, zero);
  }
  storeN(c0, acc0x0, nr);
  storeN(c1, acc1x0, nr);
  storeN(c2, acc2x0, nr);
  storeN(c3, acc3x0, nr);
}

