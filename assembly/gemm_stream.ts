/**
 * f32 streaming GEMM for small m (batch-1 inference, recurrent steps): C = act(opA(A) · op(B) +
 * beta · C + bias), row-major, leading dimensions and all other sizes in elements, pointers as
 * byte offsets. Same arguments and result as f32_gemm (gemm.ts), but op(B) is read straight from
 * its layout: no packing, no scratch.
 *
 * Layout. opA(A) is m x k: A stored m x k with leading dimension lda, or k x m when transA != 0.
 * op(B) is k x n: B stored k x n with leading dimension ldb, or n x k when transB != 0 (op(B) =
 * Bᵀ, each column of op(B) contiguous in k). C is m x n with leading dimension ldc; bias
 * (optional, 0 = none) is n floats added to every row.
 *
 * Why. With m <= 8 every B element is used by at most 8 multiply-adds, so the product is bound by
 * reading B once; f32_gemm first packs B (a read and a write of all of B, kept between calls only
 * while it fits the backend's packing cache) and its 4- or 6-row tile computes aliased rows for
 * m < 4.
 *
 * Passes. C's rows in [colBegin, colEnd) are the accumulators, kept in memory (m x n floats: L1
 * or L2 for m <= 8): each starts at beta * C + bias (gemv.ts's initRow), then passes add op(B)'s
 * k steps to them in order. B stored k x n: a pass loads 4 rows of B once per 4-column vector and
 * adds them to every row of C (4 multiply-adds per row, its A values splat from L1), so B streams
 * through 4 rows at a time; m = 1 runs gemvRows (gemv.ts), the same pass for one row. B stored
 * n x k: 4 columns of op(B) at a time, whose 4 k steps load as 4 vectors (one per row of B) and
 * transpose in registers (8 shuffles), so every accumulator still takes its k steps in order; the
 * last k % 4 steps gather 4 lanes, and columns past colEnd alias the last valid one (their sums
 * are not stored). Column tails (1-3 lanes) load and store only the valid lanes (loadN/storeN).
 *
 * Order of operations, per element, the same as f32_gemm's whatever the layout and the work
 * split: acc = beta * C + bias (bias 0 when absent; beta == 0: acc = bias and C is not read),
 * then acc += a[p] * b[p] for p = 0, 1, ..., k - 1 in order, each step one `madd` (simd.ts).
 * Storing the f32 accumulator to C between passes and reloading it changes no bits. Last, act:
 * relu as f32x4.pmax(acc, 0) (NaN propagates), sigmoid and tanh by f32_vsigmoid / f32_vtanh over
 * each finished row segment (gemv.ts's finishRow). Hence C is bitwise equal to f32_gemm's (same
 * build, same machine) and to itself under any [colBegin, colEnd) split.
 *
 * Contract. f32_gemm_stream writes C[i, j] for i in [0, m), j in [colBegin, colEnd) and nothing
 * else; it reads A, the op(B) columns [colBegin, colEnd), C in that range, and bias[colBegin,
 * colEnd). Any m works; the backends call it for m <= 8. Preconditions are assert()s: present in
 * the debug build, stripped in release. k == 0 gives C = act(beta * C + bias).
 *
 * Tested against the float64 triple loop in tests/_reference/gemm.ts and bitwise against f32_gemm
 * (tests/kernels/gemm_stream_test.ts).
 */
import { finishRow, gemvRows, initRow } from "./gemv";
import { loadN, madd, storeN } from "./simd";

const ACT_TANH = 3;

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
  if (m == 1 && transB == 0) {
    gemvRows(a, aStep, b, ldbBytes, c, k, colBegin, colEnd, bias, act, beta);
    return;
  }
  const cols = colEnd - colBegin;
  const pc = c + (<usize>colBegin << 2);
  for (let i = 0; i < m; i++) {
    initRow(pc + <usize>i * ldcBytes, bias != 0 ? bias + (<usize>colBegin << 2) : 0, beta, cols);
  }
  if (transB == 0) {
    addRowsOfB(m, k, a, aRow, aStep, b + (<usize>colBegin << 2), ldbBytes, pc, ldcBytes, cols);
  } else {
    addColumnsOfBt(m, k, a, aRow, aStep, b, ldbBytes, c, ldcBytes, colBegin, colEnd);
  }
  for (let i = 0; i < m; i++) finishRow(c + <usize>i * ldcBytes, colBegin, colEnd, act);
}

/**
 * B stored k x n (pb at column colBegin): adds op(B)'s k steps to the m rows of accumulators at
 * pc, 4 rows of B per pass, each 4-column vector of B loaded once for all m rows.
 */
// @ts-ignore: decorator
@inline
function addRowsOfB(
  m: i32, k: i32, a: usize, aRow: usize, aStep: usize, pb: usize, ld: usize, pc: usize,
  ldcBytes: usize, cols: i32,
): void {
  const full = <usize>(cols & ~3) << 2;
  const tail = cols & 3;
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const pa = a + <usize>p * aStep;
    const q = pb + <usize>p * ld;
    for (let o: usize = 0; o < full; o += 16) {
      const b0 = v128.load(q + o);
      const b1 = v128.load(q + ld + o);
      const b2 = v128.load(q + 2 * ld + o);
      const b3 = v128.load(q + 3 * ld + o);
      for (let i = 0; i < m; i++) {
        addStep4(pa + <usize>i * aRow, aStep, pc + <usize>i * ldcBytes + o, 4, b0, b1, b2, b3);
      }
    }
    if (tail != 0) {
      const b0 = loadN(q + full, tail);
      const b1 = loadN(q + ld + full, tail);
      const b2 = loadN(q + 2 * ld + full, tail);
      const b3 = loadN(q + 3 * ld + full, tail);
      for (let i = 0; i < m; i++) {
        addStep4(pa + <usize>i * aRow, aStep, pc + <usize>i * ldcBytes + full, tail, b0, b1, b2, b3);
      }
    }
  }
  for (; p < k; p++) {
    const pa = a + <usize>p * aStep;
    const q = pb + <usize>p * ld;
    for (let o: usize = 0; o < full + (tail != 0 ? 16 : 0); o += 16) {
      const lanes = o < full ? 4 : tail;
      const b0 = loadN(q + o, lanes);
      for (let i = 0; i < m; i++) {
        const acc = pc + <usize>i * ldcBytes + o;
        storeN(acc, madd(v128.load32_splat(pa + <usize>i * aRow), b0, loadN(acc, lanes)), lanes);
      }
    }
  }
}

/**
 * B stored n x k: adds op(B)'s k steps to the accumulators of C's m rows, columns [colBegin,
 * colEnd) 4 at a time; a column's k steps are a row of B, 4 of them transposed per pass. One row
 * of C keeps its accumulators in registers, two column groups at a time (two chains of
 * multiply-adds instead of one through memory: 1 x 1024 · (1024 x 1024)ᵀ 0.53 -> 0.33 ms).
 */
// @ts-ignore: decorator
@inline
function addColumnsOfBt(
  m: i32, k: i32, a: usize, aRow: usize, aStep: usize, b: usize, ld: usize, c: usize,
  ldcBytes: usize, colBegin: i32, colEnd: i32,
): void {
  let j = colBegin;
  if (m == 1) {
    for (; j + 8 <= colEnd; j += 8) {
      const pc = c + (<usize>j << 2);
      const q = b + <usize>j * ld;
      let x = v128.load(pc);
      let y = v128.load(pc, 16);
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const pa = a + <usize>p * aStep;
        const o = <usize>p << 2;
        x = addSteps4(q + o, ld, ld, ld, pa, aStep, x);
        y = addSteps4(q + 4 * ld + o, ld, ld, ld, pa, aStep, y);
      }
      for (; p < k; p++) {
        const va = v128.load32_splat(a + <usize>p * aStep);
        const o = <usize>p << 2;
        x = madd(va, gatherStep(q + o, ld, ld, ld), x);
        y = madd(va, gatherStep(q + 4 * ld + o, ld, ld, ld), y);
      }
      v128.store(pc, x);
      v128.store(pc, y, 16);
    }
  }
  for (; j < colEnd; j += 4) {
    const lanes = min(4, colEnd - j);
    // Rows of B for columns j .. j + 3, as steps from row j; missing ones alias the last valid.
    const r0 = b + <usize>j * ld;
    const d1 = <usize>min(1, lanes - 1) * ld;
    const d2 = <usize>min(2, lanes - 1) * ld - d1;
    const d3 = <usize>min(3, lanes - 1) * ld - d1 - d2;
    const pc = c + (<usize>j << 2);
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const q = r0 + (<usize>p << 2);
      const v0 = v128.load(q);
      const v1 = v128.load(q + d1);
      const v2 = v128.load(q + d1 + d2);
      const v3 = v128.load(q + d1 + d2 + d3);
      const t0 = f32x4.shuffle(v0, v1, 0, 4, 1, 5);
      const t1 = f32x4.shuffle(v0, v1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(v2, v3, 0, 4, 1, 5);
      const t3 = f32x4.shuffle(v2, v3, 2, 6, 3, 7);
      const s0 = f32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const s1 = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const s2 = f32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const s3 = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
      const pa = a + <usize>p * aStep;
      for (let i = 0; i < m; i++) {
        addStep4(pa + <usize>i * aRow, aStep, pc + <usize>i * ldcBytes, lanes, s0, s1, s2, s3);
      }
    }
    for (; p < k; p++) {
      const s = gatherStep(r0 + (<usize>p << 2), d1, d2, d3);
      const pa = a + <usize>p * aStep;
      for (let i = 0; i < m; i++) {
        const acc = pc + <usize>i * ldcBytes;
        storeN(acc, madd(v128.load32_splat(pa + <usize>i * aRow), s, loadN(acc, lanes)), lanes);
      }
    }
  }
}

/**
 * acc plus four k steps of 4 columns of op(B), in order: the columns' rows of B start at q, q +
 * d1, q + d1 + d2, q + d1 + d2 + d3 (their 4 steps at q), transposed in registers; a's values
 * `aStep` bytes apart from pa.
 */
// @ts-ignore: decorator
@inline
function addSteps4(
  q: usize, d1: usize, d2: usize, d3: usize, pa: usize, aStep: usize, acc: v128,
): v128 {
  const v0 = v128.load(q);
  const v1 = v128.load(q + d1);
  const v2 = v128.load(q + d1 + d2);
  const v3 = v128.load(q + d1 + d2 + d3);
  const t0 = f32x4.shuffle(v0, v1, 0, 4, 1, 5);
  const t1 = f32x4.shuffle(v0, v1, 2, 6, 3, 7);
  const t2 = f32x4.shuffle(v2, v3, 0, 4, 1, 5);
  const t3 = f32x4.shuffle(v2, v3, 2, 6, 3, 7);
  let x = madd(v128.load32_splat(pa), f32x4.shuffle(t0, t2, 0, 1, 4, 5), acc);
  x = madd(v128.load32_splat(pa + aStep), f32x4.shuffle(t0, t2, 2, 3, 6, 7), x);
  x = madd(v128.load32_splat(pa + 2 * aStep), f32x4.shuffle(t1, t3, 0, 1, 4, 5), x);
  return madd(v128.load32_splat(pa + 3 * aStep), f32x4.shuffle(t1, t3, 2, 3, 6, 7), x);
}

/** One k step of 4 columns of op(B) gathered into a vector (rows of B as in addSteps4). */
// @ts-ignore: decorator
@inline
function gatherStep(q: usize, d1: usize, d2: usize, d3: usize): v128 {
  let s = f32x4.splat(load<f32>(q));
  s = f32x4.replace_lane(s, 1, load<f32>(q + d1));
  s = f32x4.replace_lane(s, 2, load<f32>(q + d1 + d2));
  return f32x4.replace_lane(s, 3, load<f32>(q + d1 + d2 + d3));
}

/**
 * acc[0, lanes) += a[0] * s0, then a[1] * s1, a[2] * s2, a[3] * s3 (a's values `aStep` bytes
 * apart): four k steps of one row, in order.
 */
// @ts-ignore: decorator
@inline
function addStep4(
  pa: usize, aStep: usize, acc: usize, lanes: i32, s0: v128, s1: v128, s2: v128, s3: v128,
): void {
  let x = loadN(acc, lanes);
  x = madd(v128.load32_splat(pa), s0, x);
  x = madd(v128.load32_splat(pa + aStep), s1, x);
  x = madd(v128.load32_splat(pa + 2 * aStep), s2, x);
  x = madd(v128.load32_splat(pa + 3 * aStep), s3, x);
  storeN(acc, x, lanes);
}
