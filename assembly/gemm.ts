/**
 * f32 GEMM: C = act(opA(A) · op(B) + beta · C + bias), row-major, leading dimensions and all
 * other sizes in elements, pointers as byte offsets.
 *
 * Layout. opA(A) is m x k: A is stored m x k with leading dimension lda, or k x m when transA != 0.
 * op(B) is k x n and arrives pre-packed by f32_gemm_pack_b in column panels of NR = 8, zero-padded
 * past n, K-block major: for each K block [kb, kb + kc) (the blocks f32_gemm runs), panel p's
 * kc x 8 floats start at float kb * P * 8 + p * kc * 8 (P = ceil(n / 8) panels). The packed size
 * is k * ceil(n / 8) * 8 floats. C is m x n with
 * leading dimension ldc; bias (optional, 0 = none) is n floats added to every row.
 *
 * Tile. The microkernel f32_gemm_ukernel_4x8 keeps a 4 x 8 block of C in 8 v128 accumulators
 * (acc0x0123 .. acc3x4567) and per k step loads 2 B vectors and splats 4 A values
 * (v128.load32_splat, one vbroadcastss each): 8 + 2 + splat + product = 12 of x64's 16 XMM
 * registers, V8 keeping xmm15 as its scratch. Under Deno, V8 bounds-checks every wasm access
 * (no trap handler): lea limit, cmp + jae, and for a splat with an offset one more lea, so the
 * loop is front-end bound (~38 instructions per 64 flops) and instructions per flop are what
 * count. V8 shares a limit between accesses with the same end offset and, within one loop
 * iteration, an address between copies of a step, and it fully unrolls loops of <= 3 iterations;
 * so the k loop runs 4 steps per iteration as two such loops of 2 (~30 instructions per later
 * step). Unrolling by hand is worse: Binaryen merges the steps into one expression per
 * accumulator. Each step's multiply-add is one `madd` (relaxed SIMD: one vfmadd; the portable
 * build keeps mul + add), and with FMA the 4x8 tile's 8 accumulator chains only just cover the
 * multiply-add latency, so f32_gemm_ukernel_6x8 (12 chains, 15 XMM registers, no spill) runs
 * wherever m suits 6-row strips (mrFor); m = 32 (an LSTM step at batch 32) keeps 4x8. The tile,
 * unroll and FMA measurements are in bench/RESULTS.md.
 * A is packed per (MC x KC) block into the caller's scratch as strips of the tile's height, its
 * values of one k step contiguous, so the microkernel walks A and B with one pointer each.
 * K is cut into equal blocks of at most KC = 256 steps (a B panel block of 8 KiB and an A strip
 * of 6 KiB stay in L1); MC = 120 rows keep the packed A block (<= 120 KiB) in L2, and columns
 * are taken NCP = 32 panels at a time (a contiguous B block of <= 256 KiB, also in L2) while
 * every row strip of the A block sweeps them. After the last K block the activation runs over
 * the A block's rows. Row tails alias the missing rows to the last valid row (XNNPACK):
 * they recompute and rewrite the same values, and the activation pass covers valid rows only.
 * Column tails (n % 8) load and store only the valid lanes.
 *
 * Order of operations, per element, fixed whatever the work split: acc = beta * C + bias (bias
 * 0 when absent; beta == 0: acc = bias and C is not read), then acc += a[p] * b[p] for p = 0, 1,
 * ..., k - 1 in order, each step one `madd` (simd.ts): a fused multiply-add (one rounding) on CPUs
 * with FMA, mul + add (two) elsewhere and in the portable build; fixed per machine and build.
 * Between K blocks the f32 accumulator is stored to C and
 * reloaded, which changes no bits. Last, act: relu as f32x4.pmax(acc, 0) (NaN propagates),
 * sigmoid and tanh by f32_vsigmoid / f32_vtanh over each finished row segment. Hence C[i, j] is
 * bitwise the same whatever [rowBegin, rowEnd) x [colBegin, colEnd) split the threads use.
 *
 * Contract. f32_gemm writes C[i, j] for i in [rowBegin, rowEnd), j in [colBegin, colEnd) and
 * nothing else; it reads A rows (or columns) of that range, packed B panels of that range, C in
 * that range only when beta != 0, bias[colBegin, colEnd), and its scratch. f32_gemm_pack_b writes
 * panels [panelBegin, panelEnd) only. Preconditions are assert()s: present in the debug build,
 * stripped in release. k == 0 gives C = act(beta * C + bias).
 *
 * Tested against the float64 triple loop in tests/_reference/gemm.ts (tests/kernels/gemm_test.ts).
 */
import { f32_vsigmoid, f32_vtanh } from "./elementwise";
import { loadN, madd, storeN } from "./simd";

/** Rows per microkernel tile: 6 (f32_gemm_ukernel_6x8) or 4 (f32_gemm_ukernel_4x8), see mrFor. */
const MR_LARGE = 6;
const MR_SMALL = 4;
/** Columns per microkernel tile and per packed B panel. */
const NR = 8;
/** Deepest K block: k is split into ceil(k / KC) blocks of equal depth (a multiple of 4). */
const KC = 256;
/** Rows of A packed at once (a multiple of both tile heights). */
const MC = 120;
/** Panels of B per column block: 32 x 8 columns x KC steps x 4 bytes = 256 KiB, in L2. */
// @ts-ignore: decorator
@inline const NCP = 32;

const ACT_RELU = 1;
const ACT_SIGMOID = 2;
const ACT_TANH = 3;

/** Bytes of scratch f32_gemm needs for an m x k opA(A): one packed MC x KC block of A. */
export function f32_gemm_scratch_bytes(m: i32, k: i32): i32 {
  assert(m >= 0 && k >= 0);
  const mr = mrFor(m);
  const rows = (min(m, MC) + mr - 1) / mr * mr;
  return rows * min(k, KC) * 4;
}

/** Depth of the K blocks for depth k: equal blocks of at most KC, rounded up to a multiple of 4. */
// @ts-ignore: decorator
@inline
function kBlockDepth(k: i32): i32 {
  const kBlocks = max(1, (k + KC - 1) / KC);
  return ((k + kBlocks - 1) / kBlocks + 3) & ~3;
}

/**
 * Tile height for an m-row product: 6 unless rounding m up to whole 6-row strips wastes more than
 * the 6x8 tile gains per flop over the 4x8 one (~8%, hence 23/25): m = 32 runs 4x8 (36 rows of
 * 6-strips against 32), m = 64 runs 6x8 (66 rows). The choice depends on m alone, so every thread
 * of a split call uses the same tile; the bits do not depend on it anyway (see the header).
 */
// @ts-ignore: decorator
@inline
function mrFor(m: i32): i32 {
  return 23 * ((m + 5) / 6 * 6) < 25 * ((m + 3) / 4 * 4) ? MR_LARGE : MR_SMALL;
}

/**
 * Packs op(B) (k x n) into NR-column panels [panelBegin, panelEnd); op(B)[p, j] is
 * B[p * ldb + j], or B[j * ldb + p] when transB != 0. The packed layout is K-block major: for each
 * K block (kBlockDepth(k) steps, the same blocks f32_gemm runs), the kc x NR pieces of all panels
 * lie one after another, so the part of B one K block needs is contiguous (no cache-set conflicts
 * from a panel stride of k x 32 bytes; measured 1.3x faster at 1024^3 than panel-major).
 */
export function f32_gemm_pack_b(
  b: usize, ldb: i32, transB: i32, k: i32, n: i32,
  packed: usize, panelBegin: i32, panelEnd: i32,
): void {
  assert(k >= 0 && n >= 0);
  assert(transB != 0 ? ldb >= k : ldb >= n);
  assert(0 <= panelBegin && panelBegin <= panelEnd && panelEnd <= (n + NR - 1) / NR);
  const panels = (n + NR - 1) / NR;
  const kcMax = kBlockDepth(k);
  for (let kb = 0; kb < k; kb += kcMax) {
    const kc = min(k - kb, kcMax);
    const block = packed + ((<usize>kb * <usize>panels) << 5);
    const rowB = transB == 0 ? b + <usize>kb * (<usize>ldb << 2) : b + (<usize>kb << 2);
    packBBlock(rowB, ldb, transB, kc, n, block, panelBegin, panelEnd);
  }
}

/** Packs rows [0, kc) of op(B) (starting at `b`) for panels [panelBegin, panelEnd) into `block`. */
// @ts-ignore: decorator
@inline
function packBBlock(
  b: usize, ldb: i32, transB: i32, k: i32, n: i32,
  packed: usize, panelBegin: i32, panelEnd: i32,
): void {
  const ldbBytes = <usize>ldb << 2;
  const panelBytes = <usize>k << 5;
  let panel = panelBegin;
  if (transB == 0) {
    // Four panels per pass down B: each row of B is then read as 128 contiguous bytes, where one
    // panel per pass would fetch every cache line twice, k rows apart (measured 2.5x slower).
    for (; panel + 4 <= panelEnd && (panel + 4) * NR <= n; panel += 4) {
      let src = b + (<usize>(panel * NR) << 2);
      let dst = packed + <usize>panel * panelBytes;
      for (let p = 0; p < k; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        v128.store(dst + panelBytes, v128.load(src, 32));
        v128.store(dst + panelBytes, v128.load(src, 48), 16);
        v128.store(dst + 2 * panelBytes, v128.load(src, 64));
        v128.store(dst + 2 * panelBytes, v128.load(src, 80), 16);
        v128.store(dst + 3 * panelBytes, v128.load(src, 96));
        v128.store(dst + 3 * panelBytes, v128.load(src, 112), 16);
        src += ldbBytes;
        dst += 32;
      }
    }
  }
  for (; panel < panelEnd; panel++) {
    const j0 = panel * NR;
    const nr = min(n - j0, NR);
    let dst = packed + <usize>panel * panelBytes;
    if (transB == 0) {
      let src = b + (<usize>j0 << 2);
      if (nr == NR) {
        for (let p = 0; p < k; p++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += ldbBytes;
          dst += 32;
        }
      } else {
        for (let p = 0; p < k; p++) {
          v128.store(dst, f32x4.splat(0));
          v128.store(dst, f32x4.splat(0), 16);
          for (let j = 0; j < nr; j++) {
            store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
          }
          src += ldbBytes;
          dst += 32;
        }
      }
    } else if (nr == NR) {
      // op(B) rows are B columns: transpose 8 rows of B, 4 k at a time, as two 4x4 blocks.
      const r0 = b + <usize>j0 * ldbBytes;
      const r1 = r0 + ldbBytes, r2 = r1 + ldbBytes, r3 = r2 + ldbBytes;
      const r4 = r3 + ldbBytes, r5 = r4 + ldbBytes, r6 = r5 + ldbBytes, r7 = r6 + ldbBytes;
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const o = <usize>p << 2;
        transposeStore4x4(dst, v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o), 32);
        transposeStore4x4(dst + 16, v128.load(r4 + o), v128.load(r5 + o), v128.load(r6 + o), v128.load(r7 + o), 32);
        dst += 128;
      }
      for (; p < k; p++) {
        const o = <usize>p << 2;
        store<f32>(dst, load<f32>(r0 + o));
        store<f32>(dst, load<f32>(r1 + o), 4);
        store<f32>(dst, load<f32>(r2 + o), 8);
        store<f32>(dst, load<f32>(r3 + o), 12);
        store<f32>(dst, load<f32>(r4 + o), 16);
        store<f32>(dst, load<f32>(r5 + o), 20);
        store<f32>(dst, load<f32>(r6 + o), 24);
        store<f32>(dst, load<f32>(r7 + o), 28);
        dst += 32;
      }
    } else {
      const src = b + <usize>j0 * ldbBytes;
      for (let p = 0; p < k; p++) {
        v128.store(dst, f32x4.splat(0));
        v128.store(dst, f32x4.splat(0), 16);
        for (let j = 0; j < nr; j++) {
          store<f32>(dst + (<usize>j << 2), load<f32>(src + <usize>j * ldbBytes + (<usize>p << 2)));
        }
        dst += 32;
      }
    }
  }
}

/**
 * C[i, j] = act(sum_p opA(A)[i, p] * op(B)[p, j] + beta * C[i, j] + bias[j]) for i in
 * [rowBegin, rowEnd), j in [colBegin, colEnd). act: 0 none, 1 relu, 2 sigmoid, 3 tanh.
 */
export function f32_gemm(
  a: usize, lda: i32, transA: i32, packedB: usize, c: usize, ldc: i32,
  m: i32, n: i32, k: i32, rowBegin: i32, rowEnd: i32, colBegin: i32, colEnd: i32,
  bias: usize, act: i32, beta: f32, scratch: usize,
): void {
  assert(m >= 0 && n >= 0 && k >= 0);
  assert(transA != 0 ? lda >= m : lda >= k);
  assert(ldc >= n);
  assert(0 <= rowBegin && rowBegin <= rowEnd && rowEnd <= m);
  assert(0 <= colBegin && colBegin <= colEnd && colEnd <= n && colBegin % NR == 0);
  assert(act >= 0 && act <= ACT_TANH);
  assert((scratch & 15) == 0);
  if (rowBegin >= rowEnd || colBegin >= colEnd) return;
  const ldcBytes = <usize>ldc << 2;
  const panelBegin = colBegin / NR;
  const panelEnd = (colEnd + NR - 1) / NR;
  const relu = act == ACT_RELU;
  const tile = mrFor(m);
  // K blocks of equal depth (rounded up to a multiple of 4 for the 4-step loop), so k = 784 runs
  // as 4 x 196 rather than 3 x 256 + 16; the block edges do not change any bits (see the header).
  const kcMax = kBlockDepth(k);
  const panels = (n + NR - 1) / NR;
  let kb = 0;
  do {
    const kc = min(k - kb, kcMax);
    const last = kb + kc == k;
    const init = kb > 0 ? INIT_C : beta != 0 ? INIT_BETA_C : INIT_BIAS;
    for (let i0 = rowBegin; i0 < rowEnd; i0 += MC) {
      const iEnd = min(i0 + MC, rowEnd);
      packA(a, lda, transA, i0, iEnd, kb, kc, tile, scratch);
      // NC blocking: a block of NCP panels of B (<= 256 KiB) stays in L2 while every row strip
      // of the packed A block (<= 120 KiB) sweeps it.
      for (let p0 = panelBegin; p0 < panelEnd; p0 += NCP) {
        const pEnd = min(p0 + NCP, panelEnd);
        for (let i = i0; i < iEnd; i += tile) {
          const mr = min(iEnd - i, tile);
          const pa = scratch + ((<usize>(i - i0) * <usize>kc) << 2);
          const cRow = c + <usize>i * ldcBytes;
          for (let panel = p0; panel < pEnd; panel++) {
            const j0 = panel * NR;
            const pb = packedB + ((<usize>kb * <usize>panels + <usize>panel * <usize>kc) << 5);
            const cTile = cRow + (<usize>j0 << 2);
            const nr = min(colEnd - j0, NR);
            const biasTile = bias != 0 ? bias + (<usize>j0 << 2) : 0;
            if (tile == MR_LARGE) {
              f32_gemm_ukernel_6x8(kc, pa, pb, cTile, ldcBytes, mr, nr, init, biasTile, beta, last && relu);
            } else {
              f32_gemm_ukernel_4x8(kc, pa, pb, cTile, ldcBytes, mr, nr, init, biasTile, beta, last && relu);
            }
          }
        }
      }
      if (last && act >= ACT_SIGMOID) {
        for (let i = i0; i < iEnd; i++) {
          const row = c + <usize>i * ldcBytes;
          if (act == ACT_SIGMOID) f32_vsigmoid(row, row, colBegin, colEnd);
          else f32_vtanh(row, row, colBegin, colEnd);
        }
      }
    }
    kb += kc;
  } while (kb < k);
}

/** Accumulators start from bias (or 0), from beta * C + bias, or from C (a later K block). */
const INIT_BIAS = 0;
const INIT_BETA_C = 1;
const INIT_C = 2;

/**
 * Packs opA(A)[i0 .. iEnd, kb .. kb + kc] into strips of `tile` (4 or 6) rows: strip s holds kc
 * steps of `tile` floats (rows i0 + tile·s ..), rows past iEnd repeating the last valid row.
 */
// @ts-ignore: decorator
@inline
function packA(
  a: usize, lda: i32, transA: i32, i0: i32, iEnd: i32, kb: i32, kc: i32, tile: i32, dst: usize,
): void {
  const ldaBytes = <usize>lda << 2;
  const step = <usize>tile << 2;
  const last = iEnd - 1;
  for (let i = i0; i < iEnd; i += tile) {
    if (transA == 0) {
      // Row-major opA: transpose 4 k steps of rows 0-3 at a time; rows 4-5 by lane stores.
      const kOff = <usize>kb << 2;
      const r0 = a + <usize>i * ldaBytes + kOff;
      const r1 = a + <usize>min(i + 1, last) * ldaBytes + kOff;
      const r2 = a + <usize>min(i + 2, last) * ldaBytes + kOff;
      const r3 = a + <usize>min(i + 3, last) * ldaBytes + kOff;
      const r4 = a + <usize>min(i + 4, last) * ldaBytes + kOff;
      const r5 = a + <usize>min(i + 5, last) * ldaBytes + kOff;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        transposeStore4x4(dst, v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o), step);
        if (tile == MR_LARGE) {
          const v4 = v128.load(r4 + o), v5 = v128.load(r5 + o);
          v128.store32_lane(dst, v4, 0, 16);
          v128.store32_lane(dst, v5, 0, 20);
          v128.store32_lane(dst, v4, 1, 40);
          v128.store32_lane(dst, v5, 1, 44);
          v128.store32_lane(dst, v4, 2, 64);
          v128.store32_lane(dst, v5, 2, 68);
          v128.store32_lane(dst, v4, 3, 88);
          v128.store32_lane(dst, v5, 3, 92);
        }
        dst += step << 2;
      }
      for (; p < kc; p++) {
        const o = <usize>p << 2;
        store<f32>(dst, load<f32>(r0 + o));
        store<f32>(dst, load<f32>(r1 + o), 4);
        store<f32>(dst, load<f32>(r2 + o), 8);
        store<f32>(dst, load<f32>(r3 + o), 12);
        if (tile == MR_LARGE) {
          store<f32>(dst, load<f32>(r4 + o), 16);
          store<f32>(dst, load<f32>(r5 + o), 20);
        }
        dst += step;
      }
    } else if (i + tile <= iEnd) {
      // Column-major opA: the tile values of one k step are contiguous already.
      let src = a + <usize>kb * ldaBytes + (<usize>i << 2);
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        if (tile == MR_LARGE) v128.store64_lane(dst, v128.load64_zero(src, 16), 0, 16);
        src += ldaBytes;
        dst += step;
      }
    } else {
      let src = a + <usize>kb * ldaBytes;
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < tile; r++) {
          store<f32>(dst + (<usize>r << 2), load<f32>(src + (<usize>min(i + r, last) << 2)));
        }
        src += ldaBytes;
        dst += step;
      }
    }
  }
}

/** Stores the transpose of the 4x4 block with rows r0..r3 as 4 vectors `stride` bytes apart. */
// @ts-ignore: decorator
@inline
function transposeStore4x4(dst: usize, r0: v128, r1: v128, r2: v128, r3: v128, stride: usize): void {
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, f32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, f32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, f32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

/** Row start of a tile: beta * C + bias, C, or bias, over the first nr columns. */
// @ts-ignore: decorator
@inline
function initRow(c: usize, nr: i32, init: i32, vbeta: v128, bias: v128, hi: bool): v128 {
  if (init == INIT_BIAS) return bias;
  const v = hi ? (nr == NR ? v128.load(c, 16) : loadN(c + 16, nr - 4)) : loadN(c, nr);
  return init == INIT_C ? v : f32x4.add(f32x4.mul(vbeta, v), bias);
}

/**
 * One 6 x NR tile, as f32_gemm_ukernel_4x8 (same k loop shape, same order of operations per
 * element) with 12 accumulators: 12 + 2 B vectors + 1 splat = 15 XMM registers, and 12
 * independent multiply-add chains, enough to hide the 4-cycle latency of the fused multiply-add
 * that the 8 chains of the 4x8 tile only just cover. Rows past mr alias row mr - 1.
 */
function f32_gemm_ukernel_6x8(
  kc: i32, pa: usize, pb: usize, c0: usize, ldcBytes: usize, mr: i32, nr: i32,
  init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const c1 = mr > 1 ? c0 + ldcBytes : c0;
  const c2 = mr > 2 ? c1 + ldcBytes : c1;
  const c3 = mr > 3 ? c2 + ldcBytes : c2;
  const c4 = mr > 4 ? c3 + ldcBytes : c3;
  const c5 = mr > 5 ? c4 + ldcBytes : c4;
  const vbeta = f32x4.splat(beta);
  let bias0123 = f32x4.splat(0);
  let bias4567 = f32x4.splat(0);
  if (bias != 0) {
    bias0123 = loadN(bias, nr);
    bias4567 = nr == NR ? v128.load(bias, 16) : loadN(bias + 16, nr - 4);
  }
  let acc0x0123 = initRow(c0, nr, init, vbeta, bias0123, false);
  let acc0x4567 = initRow(c0, nr, init, vbeta, bias4567, true);
  let acc1x0123 = initRow(c1, nr, init, vbeta, bias0123, false);
  let acc1x4567 = initRow(c1, nr, init, vbeta, bias4567, true);
  let acc2x0123 = initRow(c2, nr, init, vbeta, bias0123, false);
  let acc2x4567 = initRow(c2, nr, init, vbeta, bias4567, true);
  let acc3x0123 = initRow(c3, nr, init, vbeta, bias0123, false);
  let acc3x4567 = initRow(c3, nr, init, vbeta, bias4567, true);
  let acc4x0123 = initRow(c4, nr, init, vbeta, bias0123, false);
  let acc4x4567 = initRow(c4, nr, init, vbeta, bias4567, true);
  let acc5x0123 = initRow(c5, nr, init, vbeta, bias0123, false);
  let acc5x4567 = initRow(c5, nr, init, vbeta, bias4567, true);
  const paEnd4 = pa + <usize>(kc & ~3) * 24;
  while (pa < paEnd4) {
    for (let s = 0; s < 2; s++) {
      const vb0123 = v128.load(pb);
      const vb4567 = v128.load(pb, 16);
      const va0 = v128.load32_splat(pa);
      acc0x0123 = madd(va0, vb0123, acc0x0123);
      acc0x4567 = madd(va0, vb4567, acc0x4567);
      const va1 = v128.load32_splat(pa, 4);
      acc1x0123 = madd(va1, vb0123, acc1x0123);
      acc1x4567 = madd(va1, vb4567, acc1x4567);
      const va2 = v128.load32_splat(pa, 8);
      acc2x0123 = madd(va2, vb0123, acc2x0123);
      acc2x4567 = madd(va2, vb4567, acc2x4567);
      const va3 = v128.load32_splat(pa, 12);
      acc3x0123 = madd(va3, vb0123, acc3x0123);
      acc3x4567 = madd(va3, vb4567, acc3x4567);
      const va4 = v128.load32_splat(pa, 16);
      acc4x0123 = madd(va4, vb0123, acc4x0123);
      acc4x4567 = madd(va4, vb4567, acc4x4567);
      const va5 = v128.load32_splat(pa, 20);
      acc5x0123 = madd(va5, vb0123, acc5x0123);
      acc5x4567 = madd(va5, vb4567, acc5x4567);
      pa += 24;
      pb += 32;
    }
    for (let s = 0; s < 2; s++) {
      const vb0123 = v128.load(pb);
      const vb4567 = v128.load(pb, 16);
      const va0 = v128.load32_splat(pa);
      acc0x0123 = madd(va0, vb0123, acc0x0123);
      acc0x4567 = madd(va0, vb4567, acc0x4567);
      const va1 = v128.load32_splat(pa, 4);
      acc1x0123 = madd(va1, vb0123, acc1x0123);
      acc1x4567 = madd(va1, vb4567, acc1x4567);
      const va2 = v128.load32_splat(pa, 8);
      acc2x0123 = madd(va2, vb0123, acc2x0123);
      acc2x4567 = madd(va2, vb4567, acc2x4567);
      const va3 = v128.load32_splat(pa, 12);
      acc3x0123 = madd(va3, vb0123, acc3x0123);
      acc3x4567 = madd(va3, vb4567, acc3x4567);
      const va4 = v128.load32_splat(pa, 16);
      acc4x0123 = madd(va4, vb0123, acc4x0123);
      acc4x4567 = madd(va4, vb4567, acc4x4567);
      const va5 = v128.load32_splat(pa, 20);
      acc5x0123 = madd(va5, vb0123, acc5x0123);
      acc5x4567 = madd(va5, vb4567, acc5x4567);
      pa += 24;
      pb += 32;
    }
  }
  const paEnd = pa + <usize>(kc & 3) * 24;
  while (pa < paEnd) {
    const vb0123 = v128.load(pb);
    const vb4567 = v128.load(pb, 16);
    const va0 = v128.load32_splat(pa);
    acc0x0123 = madd(va0, vb0123, acc0x0123);
    acc0x4567 = madd(va0, vb4567, acc0x4567);
    const va1 = v128.load32_splat(pa, 4);
    acc1x0123 = madd(va1, vb0123, acc1x0123);
    acc1x4567 = madd(va1, vb4567, acc1x4567);
    const va2 = v128.load32_splat(pa, 8);
    acc2x0123 = madd(va2, vb0123, acc2x0123);
    acc2x4567 = madd(va2, vb4567, acc2x4567);
    const va3 = v128.load32_splat(pa, 12);
    acc3x0123 = madd(va3, vb0123, acc3x0123);
    acc3x4567 = madd(va3, vb4567, acc3x4567);
    const va4 = v128.load32_splat(pa, 16);
    acc4x0123 = madd(va4, vb0123, acc4x0123);
    acc4x4567 = madd(va4, vb4567, acc4x4567);
    const va5 = v128.load32_splat(pa, 20);
    acc5x0123 = madd(va5, vb0123, acc5x0123);
    acc5x4567 = madd(va5, vb4567, acc5x4567);
    pa += 24;
    pb += 32;
  }

  if (relu) {
    const zero = f32x4.splat(0);
    acc0x0123 = f32x4.pmax(acc0x0123, zero);
    acc0x4567 = f32x4.pmax(acc0x4567, zero);
    acc1x0123 = f32x4.pmax(acc1x0123, zero);
    acc1x4567 = f32x4.pmax(acc1x4567, zero);
    acc2x0123 = f32x4.pmax(acc2x0123, zero);
    acc2x4567 = f32x4.pmax(acc2x4567, zero);
    acc3x0123 = f32x4.pmax(acc3x0123, zero);
    acc3x4567 = f32x4.pmax(acc3x4567, zero);
    acc4x0123 = f32x4.pmax(acc4x0123, zero);
    acc4x4567 = f32x4.pmax(acc4x4567, zero);
    acc5x0123 = f32x4.pmax(acc5x0123, zero);
    acc5x4567 = f32x4.pmax(acc5x4567, zero);
  }
  // Highest row first, so aliased rows end with the valid row's values (they are equal anyway).
  if (nr == NR) {
    v128.store(c5, acc5x0123);
    v128.store(c5, acc5x4567, 16);
    v128.store(c4, acc4x0123);
    v128.store(c4, acc4x4567, 16);
    v128.store(c3, acc3x0123);
    v128.store(c3, acc3x4567, 16);
    v128.store(c2, acc2x0123);
    v128.store(c2, acc2x4567, 16);
    v128.store(c1, acc1x0123);
    v128.store(c1, acc1x4567, 16);
    v128.store(c0, acc0x0123);
    v128.store(c0, acc0x4567, 16);
  } else {
    storeN(c5, acc5x0123, nr);
    storeN(c5 + 16, acc5x4567, nr - 4);
    storeN(c4, acc4x0123, nr);
    storeN(c4 + 16, acc4x4567, nr - 4);
    storeN(c3, acc3x0123, nr);
    storeN(c3 + 16, acc3x4567, nr - 4);
    storeN(c2, acc2x0123, nr);
    storeN(c2 + 16, acc2x4567, nr - 4);
    storeN(c1, acc1x0123, nr);
    storeN(c1 + 16, acc1x4567, nr - 4);
    storeN(c0, acc0x0123, nr);
    storeN(c0 + 16, acc0x4567, nr - 4);
  }
}

/**
 * One 4 x NR tile: C[0..mr, 0..nr] (rows ldcBytes apart) from kc steps of packed A (4 floats
 * per step) and packed B (8 floats per step). Rows past mr alias row mr - 1.
 */
function f32_gemm_ukernel_4x8(
  kc: i32, pa: usize, pb: usize, c0: usize, ldcBytes: usize, mr: i32, nr: i32,
  init: i32, bias: usize, beta: f32, relu: bool,
): void {
  const c1 = mr > 1 ? c0 + ldcBytes : c0;
  const c2 = mr > 2 ? c1 + ldcBytes : c1;
  const c3 = mr > 3 ? c2 + ldcBytes : c2;
  const vbeta = f32x4.splat(beta);
  let bias0123 = f32x4.splat(0);
  let bias4567 = f32x4.splat(0);
  if (bias != 0) {
    bias0123 = loadN(bias, nr);
    bias4567 = nr == NR ? v128.load(bias, 16) : loadN(bias + 16, nr - 4);
  }
  let acc0x0123 = initRow(c0, nr, init, vbeta, bias0123, false);
  let acc0x4567 = initRow(c0, nr, init, vbeta, bias4567, true);
  let acc1x0123 = initRow(c1, nr, init, vbeta, bias0123, false);
  let acc1x4567 = initRow(c1, nr, init, vbeta, bias4567, true);
  let acc2x0123 = initRow(c2, nr, init, vbeta, bias0123, false);
  let acc2x4567 = initRow(c2, nr, init, vbeta, bias4567, true);
  let acc3x0123 = initRow(c3, nr, init, vbeta, bias0123, false);
  let acc3x4567 = initRow(c3, nr, init, vbeta, bias4567, true);

  // Four k steps per iteration, written as two loops of two steps that V8 unrolls fully (it does
  // so for loops of at most 3 iterations). Unrolling by hand instead lets Binaryen merge the steps
  // into one expression per accumulator, which keeps twice the B vectors live; and V8 then shares
  // the bounds-check limits and splat addresses of the first copy with the second, so the later
  // steps cost ~30 instead of ~38 instructions (see the header).
  const paEnd4 = pa + ((<usize>kc & ~3) << 4);
  while (pa < paEnd4) {
    for (let s = 0; s < 2; s++) {
      const vb0123 = v128.load(pb);
      const vb4567 = v128.load(pb, 16);
      const va0 = v128.load32_splat(pa);
      acc0x0123 = madd(va0, vb0123, acc0x0123);
      acc0x4567 = madd(va0, vb4567, acc0x4567);
      const va1 = v128.load32_splat(pa, 4);
      acc1x0123 = madd(va1, vb0123, acc1x0123);
      acc1x4567 = madd(va1, vb4567, acc1x4567);
      const va2 = v128.load32_splat(pa, 8);
      acc2x0123 = madd(va2, vb0123, acc2x0123);
      acc2x4567 = madd(va2, vb4567, acc2x4567);
      const va3 = v128.load32_splat(pa, 12);
      acc3x0123 = madd(va3, vb0123, acc3x0123);
      acc3x4567 = madd(va3, vb4567, acc3x4567);
      pa += 16;
      pb += 32;
    }
    for (let s = 0; s < 2; s++) {
      const vb0123 = v128.load(pb);
      const vb4567 = v128.load(pb, 16);
      const va0 = v128.load32_splat(pa);
      acc0x0123 = madd(va0, vb0123, acc0x0123);
      acc0x4567 = madd(va0, vb4567, acc0x4567);
      const va1 = v128.load32_splat(pa, 4);
      acc1x0123 = madd(va1, vb0123, acc1x0123);
      acc1x4567 = madd(va1, vb4567, acc1x4567);
      const va2 = v128.load32_splat(pa, 8);
      acc2x0123 = madd(va2, vb0123, acc2x0123);
      acc2x4567 = madd(va2, vb4567, acc2x4567);
      const va3 = v128.load32_splat(pa, 12);
      acc3x0123 = madd(va3, vb0123, acc3x0123);
      acc3x4567 = madd(va3, vb4567, acc3x4567);
      pa += 16;
      pb += 32;
    }
  }
  const paEnd = pa + ((<usize>kc & 3) << 4);
  while (pa < paEnd) {
    const vb0123 = v128.load(pb);
    const vb4567 = v128.load(pb, 16);
    const va0 = v128.load32_splat(pa);
    acc0x0123 = madd(va0, vb0123, acc0x0123);
    acc0x4567 = madd(va0, vb4567, acc0x4567);
    const va1 = v128.load32_splat(pa, 4);
    acc1x0123 = madd(va1, vb0123, acc1x0123);
    acc1x4567 = madd(va1, vb4567, acc1x4567);
    const va2 = v128.load32_splat(pa, 8);
    acc2x0123 = madd(va2, vb0123, acc2x0123);
    acc2x4567 = madd(va2, vb4567, acc2x4567);
    const va3 = v128.load32_splat(pa, 12);
    acc3x0123 = madd(va3, vb0123, acc3x0123);
    acc3x4567 = madd(va3, vb4567, acc3x4567);
    pa += 16;
    pb += 32;
  }

  if (relu) {
    // pmax(x, 0) is x < 0 ? 0 : x, so NaN stays NaN.
    const zero = f32x4.splat(0);
    acc0x0123 = f32x4.pmax(acc0x0123, zero);
    acc0x4567 = f32x4.pmax(acc0x4567, zero);
    acc1x0123 = f32x4.pmax(acc1x0123, zero);
    acc1x4567 = f32x4.pmax(acc1x4567, zero);
    acc2x0123 = f32x4.pmax(acc2x0123, zero);
    acc2x4567 = f32x4.pmax(acc2x4567, zero);
    acc3x0123 = f32x4.pmax(acc3x0123, zero);
    acc3x4567 = f32x4.pmax(acc3x4567, zero);
  }
  // Highest row first, so aliased rows end with the valid row's values (they are equal anyway).
  if (nr == NR) {
    v128.store(c3, acc3x0123);
    v128.store(c3, acc3x4567, 16);
    v128.store(c2, acc2x0123);
    v128.store(c2, acc2x4567, 16);
    v128.store(c1, acc1x0123);
    v128.store(c1, acc1x4567, 16);
    v128.store(c0, acc0x0123);
    v128.store(c0, acc0x4567, 16);
  } else {
    storeN(c3, acc3x0123, nr);
    storeN(c3 + 16, acc3x4567, nr - 4);
    storeN(c2, acc2x0123, nr);
    storeN(c2 + 16, acc2x4567, nr - 4);
    storeN(c1, acc1x0123, nr);
    storeN(c1 + 16, acc1x4567, nr - 4);
    storeN(c0, acc0x0123, nr);
    storeN(c0 + 16, acc0x4567, nr - 4);
  }
}
