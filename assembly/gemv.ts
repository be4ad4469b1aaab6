/**
 * f32 matrix-vector products (GEMM with m = 1, batch-1 inference): c = act(a · op(B) + beta · c +
 * bias), a of k floats, op(B) k x n, c and bias n floats; sizes in elements, pointers as byte
 * offsets. Two ways to read B, both with f32_gemm's order of operations (below), so they give
 * f32_gemm's bits:
 *
 * - gemvRows (used by f32_gemm_stream for m = 1, B stored k x n): B read as stored, no packing, no
 *   scratch. c's columns [colBegin, colEnd) are the accumulators, kept in memory (L1: 16 KiB for
 *   n = 4096): they start at beta * c + bias, then each pass over them adds R rows of B in order
 *   (R = 8, or 4 when B is small), each pass reading R rows of B front to back: fewer, longer
 *   streams than f32_gemm_stream's 1 x 32 register tiles over K blocks (bench/RESULTS.md).
 * - f32_gemv_packed: B packed once by f32_gemv_pack_b into panels of 32 columns, k-major (panel
 *   p's k x 32 floats contiguous, zero-padded past n), read as one sequential stream into 8
 *   register accumulators; for a B used again and again (a served model's weights), where one
 *   stream reads memory fastest.
 *
 * Order of operations, per element: acc = beta * c + bias (beta == 0: bias, c not read; bias 0
 * when absent), then acc += a[p] * op(B)[p, j] for p = 0 .. k - 1, each step one `madd`
 * (simd.ts), then the activation (relu as pmax(acc, 0), NaN propagating; sigmoid and tanh by
 * f32_vsigmoid / f32_vtanh over the finished columns). Storing acc to c between passes changes no
 * bits. Hence c[j] does not depend on the column range a thread is given.
 *
 * Contract. Both write c[colBegin, colEnd) and nothing else; they read a, op(B)'s columns in the
 * range, bias[colBegin, colEnd) and (beta != 0) c there. f32_gemv_packed's colBegin is a multiple
 * of 32 (a panel start). f32_gemv_pack_b writes panels [panelBegin, panelEnd) of the packing,
 * k * ceil(n / 32) * 32 floats in all.
 *
 * Tested against the float64 reference and bitwise against f32_gemm (tests/kernels/gemv_test.ts).
 */
import { f32_vsigmoid, f32_vtanh } from "./elementwise";
import { loadN, madd, storeN } from "./simd";

const ACT_RELU = 1;
const ACT_SIGMOID = 2;
const ACT_TANH = 3;

/** Columns per packed panel: 8 accumulators of 4 lanes. */
const NP = 32;

/** Bytes of B under which gemvRows adds 4 rows per pass instead of 8 (B then sits in L3). */
const ROWS8_BYTES: usize = 8 << 20;

/** Floats in a packing of a k x n op(B) (f32_gemv_pack_b). */
export function f32_gemv_packed_floats(k: i32, n: i32): i32 {
  assert(k >= 0 && n >= 0);
  return k * ((n + NP - 1) / NP) * NP;
}

/**
 * Packs op(B) (k x n; op(B)[p, j] is B[p * ldb + j], or B[j * ldb + p] when transB != 0) into
 * panels [panelBegin, panelEnd) of 32 columns: panel q's element (p, jj) at float
 * q * k * 32 + p * 32 + jj, zero past column n.
 */
export function f32_gemv_pack_b(
  b: usize, ldb: i32, transB: i32, k: i32, n: i32,
  packed: usize, panelBegin: i32, panelEnd: i32,
): void {
  assert(k >= 0 && n >= 0);
  assert(transB != 0 ? ldb >= k : ldb >= n);
  assert(0 <= panelBegin && panelBegin <= panelEnd && panelEnd <= (n + NP - 1) / NP);
  const ldbBytes = <usize>ldb << 2;
  for (let q = panelBegin; q < panelEnd; q++) {
    const j0 = q * NP;
    const cols = min(NP, n - j0);
    let out = packed + (<usize>q * <usize>k * NP << 2);
    if (transB == 0) {
      let src = b + (<usize>j0 << 2);
      for (let p = 0; p < k; p++) {
        if (cols == NP) {
          v128.store(out, v128.load(src, 0), 0);
          v128.store(out, v128.load(src, 16), 16);
          v128.store(out, v128.load(src, 32), 32);
          v128.store(out, v128.load(src, 48), 48);
          v128.store(out, v128.load(src, 64), 64);
          v128.store(out, v128.load(src, 80), 80);
          v128.store(out, v128.load(src, 96), 96);
          v128.store(out, v128.load(src, 112), 112);
        } else {
          for (let jj = 0; jj < NP; jj += 4) {
            v128.store(out + (<usize>jj << 2), loadN(src + (<usize>jj << 2), cols - jj));
          }
        }
        src += ldbBytes;
        out += NP << 2;
      }
    } else {
      // Column j of op(B) is row j of B: write it down panel column jj, k steps apart.
      for (let jj = 0; jj < NP; jj++) {
        let dst = out + (<usize>jj << 2);
        if (jj < cols) {
          let src = b + <usize>(j0 + jj) * ldbBytes;
          for (let p = 0; p < k; p++) {
            store<f32>(dst, load<f32>(src));
            src += 4;
            dst += NP << 2;
          }
        } else {
          for (let p = 0; p < k; p++) {
            store<f32>(dst, 0);
            dst += NP << 2;
          }
        }
      }
    }
  }
}

/**
 * c[j] = act(sum_p a[p] * op(B)[p, j] + beta * c[j] + bias[j]) for j in [colBegin, colEnd), op(B)
 * packed by f32_gemv_pack_b; a's k values `aStep` bytes apart. act: 0 none, 1 relu, 2 sigmoid,
 * 3 tanh.
 */
export function f32_gemv_packed(
  a: usize, aStep: i32, packed: usize, c: usize, n: i32, k: i32,
  colBegin: i32, colEnd: i32, bias: usize, act: i32, beta: f32,
): void {
  assert(n >= 0 && k >= 0 && aStep >= 4);
  assert(0 <= colBegin && colBegin <= colEnd && colEnd <= n && colBegin % NP == 0);
  assert(act >= 0 && act <= ACT_TANH);
  const step = <usize>aStep;
  const zero = f32x4.splat(0);
  const vbeta = f32x4.splat(beta);
  for (let j0 = colBegin; j0 < colEnd; j0 += NP) {
    const cols = min(NP, colEnd - j0);
    const pc = c + (<usize>j0 << 2);
    const pbias = bias + (<usize>j0 << 2);
    let acc0 = initLanes(pc, pbias, bias, beta, vbeta, cols);
    let acc1 = initLanes(pc + 16, pbias + 16, bias, beta, vbeta, cols - 4);
    let acc2 = initLanes(pc + 32, pbias + 32, bias, beta, vbeta, cols - 8);
    let acc3 = initLanes(pc + 48, pbias + 48, bias, beta, vbeta, cols - 12);
    let acc4 = initLanes(pc + 64, pbias + 64, bias, beta, vbeta, cols - 16);
    let acc5 = initLanes(pc + 80, pbias + 80, bias, beta, vbeta, cols - 20);
    let acc6 = initLanes(pc + 96, pbias + 96, bias, beta, vbeta, cols - 24);
    let acc7 = initLanes(pc + 112, pbias + 112, bias, beta, vbeta, cols - 28);
    let pb = packed + (<usize>j0 * <usize>k << 2);
    let pa = a;
    let p = 0;
    // 4 steps per iteration as two loops of 2 that V8 unrolls (see gemm.ts; bench/RESULTS.md).
    for (; p + 4 <= k; p += 4) {
      for (let s = 0; s < 2; s++) {
        const va = v128.load32_splat(pa);
        acc0 = madd(va, v128.load(pb, 0), acc0);
        acc1 = madd(va, v128.load(pb, 16), acc1);
        acc2 = madd(va, v128.load(pb, 32), acc2);
        acc3 = madd(va, v128.load(pb, 48), acc3);
        acc4 = madd(va, v128.load(pb, 64), acc4);
        acc5 = madd(va, v128.load(pb, 80), acc5);
        acc6 = madd(va, v128.load(pb, 96), acc6);
        acc7 = madd(va, v128.load(pb, 112), acc7);
        pa += step;
        pb += NP << 2;
      }
      for (let s = 0; s < 2; s++) {
        const va = v128.load32_splat(pa);
        acc0 = madd(va, v128.load(pb, 0), acc0);
        acc1 = madd(va, v128.load(pb, 16), acc1);
        acc2 = madd(va, v128.load(pb, 32), acc2);
        acc3 = madd(va, v128.load(pb, 48), acc3);
        acc4 = madd(va, v128.load(pb, 64), acc4);
        acc5 = madd(va, v128.load(pb, 80), acc5);
        acc6 = madd(va, v128.load(pb, 96), acc6);
        acc7 = madd(va, v128.load(pb, 112), acc7);
        pa += step;
        pb += NP << 2;
      }
    }
    for (; p < k; p++) {
      const va = v128.load32_splat(pa);
      acc0 = madd(va, v128.load(pb, 0), acc0);
      acc1 = madd(va, v128.load(pb, 16), acc1);
      acc2 = madd(va, v128.load(pb, 32), acc2);
      acc3 = madd(va, v128.load(pb, 48), acc3);
      acc4 = madd(va, v128.load(pb, 64), acc4);
      acc5 = madd(va, v128.load(pb, 80), acc5);
      acc6 = madd(va, v128.load(pb, 96), acc6);
      acc7 = madd(va, v128.load(pb, 112), acc7);
      pa += step;
      pb += NP << 2;
    }
    if (act == ACT_RELU) {
      acc0 = f32x4.pmax(acc0, zero);
      acc1 = f32x4.pmax(acc1, zero);
      acc2 = f32x4.pmax(acc2, zero);
      acc3 = f32x4.pmax(acc3, zero);
      acc4 = f32x4.pmax(acc4, zero);
      acc5 = f32x4.pmax(acc5, zero);
      acc6 = f32x4.pmax(acc6, zero);
      acc7 = f32x4.pmax(acc7, zero);
    }
    storeN(pc, acc0, cols);
    storeN(pc + 16, acc1, cols - 4);
    storeN(pc + 32, acc2, cols - 8);
    storeN(pc + 48, acc3, cols - 12);
    storeN(pc + 64, acc4, cols - 16);
    storeN(pc + 80, acc5, cols - 20);
    storeN(pc + 96, acc6, cols - 24);
    storeN(pc + 112, acc7, cols - 28);
  }
  if (act != ACT_RELU) finishRow(c, colBegin, colEnd, act);
}

/**
 * The m = 1, B stored k x n path of f32_gemm_stream (see the header): c[colBegin, colEnd) =
 * act(a · B + beta · c + bias), a's k values `aStep` bytes apart, B's rows `ldbBytes` apart.
 */
// @ts-ignore: decorator
@inline
export function gemvRows(
  a: usize, aStep: usize, b: usize, ldbBytes: usize, c: usize, k: i32,
  colBegin: i32, colEnd: i32, bias: usize, act: i32, beta: f32,
): void {
  const pc = c + (<usize>colBegin << 2);
  const pb = b + (<usize>colBegin << 2);
  const cols = colEnd - colBegin;
  const full = <usize>(cols & ~3) << 2;
  const tail = cols & 3;
  initRow(pc, bias != 0 ? bias + (<usize>colBegin << 2) : 0, beta, cols);
  let p = 0;
  if (<usize>k * ldbBytes >= ROWS8_BYTES) {
    for (; p + 8 <= k; p += 8) {
      addRows8(a + <usize>p * aStep, aStep, pb + <usize>p * ldbBytes, ldbBytes, pc, full, tail);
    }
  }
  for (; p + 4 <= k; p += 4) {
    addRows4(a + <usize>p * aStep, aStep, pb + <usize>p * ldbBytes, ldbBytes, pc, full, tail);
  }
  for (; p < k; p++) {
    const va = v128.load32_splat(a + <usize>p * aStep);
    const row = pb + <usize>p * ldbBytes;
    for (let o: usize = 0; o < full; o += 16) {
      v128.store(pc + o, madd(va, v128.load(row + o), v128.load(pc + o)));
    }
    if (tail != 0) storeN(pc + full, madd(va, loadN(row + full, tail), loadN(pc + full, tail)), tail);
  }
  finishRow(c, colBegin, colEnd, act);
}

/** acc = beta * c + bias on the first `lanes` lanes (bias 0 when absent; c unread if beta == 0). */
// @ts-ignore: decorator
@inline
function initLanes(pc: usize, pbias: usize, bias: usize, beta: f32, vbeta: v128, lanes: i32): v128 {
  const b = bias != 0 ? loadN(pbias, lanes) : f32x4.splat(0);
  return beta != 0 ? f32x4.add(f32x4.mul(vbeta, loadN(pc, lanes)), b) : b;
}

/**
 * Starts the accumulators c[0, cols) of a row at beta * c + bias (pbias 0: no bias; beta == 0:
 * c is not read), the first step of f32_gemm's order of operations.
 */
// @ts-ignore: decorator
@inline
export function initRow(pc: usize, pbias: usize, beta: f32, cols: i32): void {
  const vbeta = f32x4.splat(beta);
  let o: usize = 0;
  const full = <usize>(cols & ~3) << 2;
  for (; o < full; o += 16) v128.store(pc + o, initLanes(pc + o, pbias + o, pbias, beta, vbeta, 4));
  const tail = cols & 3;
  if (tail != 0) storeN(pc + o, initLanes(pc + o, pbias + o, pbias, beta, vbeta, tail), tail);
}

/** The activation over c[colBegin, colEnd) of a row whose sums are done. */
// @ts-ignore: decorator
@inline
export function finishRow(c: usize, colBegin: i32, colEnd: i32, act: i32): void {
  if (act == ACT_RELU) {
    const zero = f32x4.splat(0);
    const pc = c + (<usize>colBegin << 2);
    const cols = colEnd - colBegin;
    const full = <usize>(cols & ~3) << 2;
    for (let o: usize = 0; o < full; o += 16) v128.store(pc + o, f32x4.pmax(v128.load(pc + o), zero));
    const tail = cols & 3;
    if (tail != 0) storeN(pc + full, f32x4.pmax(loadN(pc + full, tail), zero), tail);
  } else if (act == ACT_SIGMOID) f32_vsigmoid(c, c, colBegin, colEnd);
  else if (act == ACT_TANH) f32_vtanh(c, c, colBegin, colEnd);
}

/** Adds rows p .. p + 7 of B (row 0 at pb) times a[p ..] to the accumulators at pc, in order. */
// @ts-ignore: decorator
@inline
function addRows8(pa: usize, aStep: usize, pb: usize, ld: usize, pc: usize, full: usize, tail: i32): void {
  const a0 = v128.load32_splat(pa);
  const a1 = v128.load32_splat(pa + aStep);
  const a2 = v128.load32_splat(pa + 2 * aStep);
  const a3 = v128.load32_splat(pa + 3 * aStep);
  const a4 = v128.load32_splat(pa + 4 * aStep);
  const a5 = v128.load32_splat(pa + 5 * aStep);
  const a6 = v128.load32_splat(pa + 6 * aStep);
  const a7 = v128.load32_splat(pa + 7 * aStep);
  for (let o: usize = 0; o < full; o += 16) {
    const q = pb + o;
    let x = v128.load(pc + o);
    x = madd(a0, v128.load(q), x);
    x = madd(a1, v128.load(q + ld), x);
    x = madd(a2, v128.load(q + 2 * ld), x);
    x = madd(a3, v128.load(q + 3 * ld), x);
    x = madd(a4, v128.load(q + 4 * ld), x);
    x = madd(a5, v128.load(q + 5 * ld), x);
    x = madd(a6, v128.load(q + 6 * ld), x);
    x = madd(a7, v128.load(q + 7 * ld), x);
    v128.store(pc + o, x);
  }
  if (tail != 0) {
    const q = pb + full;
    let x = loadN(pc + full, tail);
    x = madd(a0, loadN(q, tail), x);
    x = madd(a1, loadN(q + ld, tail), x);
    x = madd(a2, loadN(q + 2 * ld, tail), x);
    x = madd(a3, loadN(q + 3 * ld, tail), x);
    x = madd(a4, loadN(q + 4 * ld, tail), x);
    x = madd(a5, loadN(q + 5 * ld, tail), x);
    x = madd(a6, loadN(q + 6 * ld, tail), x);
    x = madd(a7, loadN(q + 7 * ld, tail), x);
    storeN(pc + full, x, tail);
  }
}

/** As addRows8 for rows p .. p + 3. */
// @ts-ignore: decorator
@inline
function addRows4(pa: usize, aStep: usize, pb: usize, ld: usize, pc: usize, full: usize, tail: i32): void {
  const a0 = v128.load32_splat(pa);
  const a1 = v128.load32_splat(pa + aStep);
  const a2 = v128.load32_splat(pa + 2 * aStep);
  const a3 = v128.load32_splat(pa + 3 * aStep);
  for (let o: usize = 0; o < full; o += 16) {
    const q = pb + o;
    let x = v128.load(pc + o);
    x = madd(a0, v128.load(q), x);
    x = madd(a1, v128.load(q + ld), x);
    x = madd(a2, v128.load(q + 2 * ld), x);
    x = madd(a3, v128.load(q + 3 * ld), x);
    v128.store(pc + o, x);
  }
  if (tail != 0) {
    const q = pb + full;
    let x = loadN(pc + full, tail);
    x = madd(a0, loadN(q, tail), x);
    x = madd(a1, loadN(q + ld, tail), x);
    x = madd(a2, loadN(q + 2 * ld, tail), x);
    x = madd(a3, loadN(q + 3 * ld, tail), x);
    storeN(pc + full, x, tail);
  }
}

