/**
 * f32 2-D convolution, NHWC, and its two backwards, as GEMMs over im2col chunks.
 *
 * Layout. x is [batch, inH, inW, inC], y and dy are [batch, outH, outW, outC], the filter w is
 * [fh, fw, inC, outC], all row-major and contiguous; pointers are byte offsets, every size and
 * stride in elements. Output row r = (n * outH + oy) * outW + ox reads input pixel
 * (iy, ix) = (oy * strideH - padTop + kh * dilH, ox * strideW - padLeft + kw * dilW) for each
 * filter tap (kh, kw); taps outside [0, inH) x [0, inW) read zero (padding). The padding at the
 * bottom and right is implied by outH and outW (any values: taps are bounds-checked, so no read
 * leaves x). With K = fh * fw * inC, the filter is the K x outC matrix W and
 *
 *   forward       Y[r, :]  = act(col(r) · W + bias),        col(r)[(kh * fw + kw) * inC + c]
 *   backward data dcol(r)  = dY[r, :] · Wᵀ, scattered back: dx[pixel of tap] += dcol(r)[tap]
 *   backward filt dW      += col(r)ᵀ · dY[r, :]              summed over the rows
 *
 * GEMM. Only the exported ABI of gemm.ts is used (f32_gemm_pack_b, f32_gemm,
 * f32_gemm_scratch_bytes), so its microkernel may change freely. The filter is packed once per
 * call by the caller, with f32_conv2d_pack_filter (W for the forward, Wᵀ for backward data;
 * sizes from f32_conv2d_packed_filter_bytes, the packed-B formula of the gemm.ts header). Output
 * rows are then taken CHUNK_ROWS(K) at a time: the im2col rows of the chunk are built in the
 * caller's scratch (never the whole im2col matrix: a chunk is about 128 KiB, L2-resident) and
 * f32_gemm runs on them. For the filter gradient the dY rows of the chunk are packed as B and
 * f32_gemm runs with transA (colᵀ · dY) and beta = 1, accumulating into dw. A 1x1 filter with
 * stride 1 and no padding makes col(r) the x row itself: x (or dx) goes to f32_gemm directly.
 * Building a row of col copies, per kernel row kh, the fw * inC contiguous floats when dilW == 1
 * (one segment, clipped at the edges), else inC floats per tap. Rows whose taps all lie inside the
 * image copy whole vectors per segment (up to 3 floats beyond it, into the next segment or the
 * chunk's 16-byte slack, reading beyond the segment only while inside x): measured 1.27x on the
 * LeNet forward (K = 25), where per-segment bookkeeping dominated the copy.
 *
 * Direct paths (conv_direct.ts). When K <= 256 and dilW == 1, the forward reads x straight from a
 * zero-padded band of input rows into 6 x 8 register tiles (no im2col, no A packing), and so does
 * the filter gradient when also outW >= 16; both keep the GEMM's order of operations, so they
 * give the same bits as the im2col path. LeNet-5 (batch 64, same process): conv1 forward 1.46-1.6
 * -> 0.77-0.80 ms, conv2 forward 0.88 -> 0.75 ms, conv1 dw 1.85 -> 0.84 ms.
 *
 * Contract. Each kernel works on the batch items [batchBegin, batchEnd) only (threads split by
 * batch). f32_conv2d_nhwc writes y of those items. f32_conv2d_nhwc_bwd_data overwrites dx of
 * those items (it zeroes them first, then adds). f32_conv2d_nhwc_bwd_filter ACCUMULATES:
 * dw += the gradient of the items in range, so the caller zeroes dw (or hands each thread its own
 * zeroed partial dw and reduces the partials afterwards). Scratch: f32_conv2d_scratch_bytes(fh,
 * fw, inC, outC) bytes, 16-byte aligned, one region per thread, serves all three kernels.
 * Preconditions are assert()s (debug build only); x, y, dx, dy, dw and scratch do not overlap.
 *
 * Order of operations. y: f32_gemm's fixed per-element order (bias, then the K products in tap
 * order, then act), whatever the chunking, so any batch split is bitwise equal to one call. dx:
 * each dx element is 0 plus its contributions in increasing output row, then tap order; a batch
 * split gives the same bits. dw: f32_gemm with beta = 1 adds the rows' products in increasing
 * row order, so consecutive ranges accumulated into the same dw equal one call bit for bit;
 * partial sums reduced afterwards differ only by rounding.
 *
 * Tested against the direct float64 loops of tests/_reference/conv.ts (tests/kernels/conv_test.ts).
 */
import {
  convDirect, convDirectFilterGrad, directBandBytes, directFits, directGradFits,
} from "./conv_direct";
import { f32_gemm, f32_gemm_pack_b, f32_gemm_scratch_bytes } from "./gemm";

/** Columns per packed B panel, as stated in the gemm.ts header (packed size k * ceil(n/NR) * NR). */
// @ts-ignore: decorator
@inline const GEMM_NR = 8;
/** Target size of one im2col chunk: fits L2 beside the packed filter. */
// @ts-ignore: decorator
@inline const CHUNK_BYTES = 128 * 1024;
// @ts-ignore: decorator
@inline const MIN_ROWS = 16;
// @ts-ignore: decorator
@inline const MAX_ROWS = 512;

/** Output rows per im2col chunk for a K-column im2col matrix (a multiple of 8). */
// @ts-ignore: decorator
@inline function chunkRows(k: i32): i32 {
  return min(max((CHUNK_BYTES / 4 / max(k, 1)) & ~7, MIN_ROWS), MAX_ROWS);
}

// @ts-ignore: decorator
@inline function align64(bytes: i32): i32 {
  return (bytes + 63) & ~63;
}

/** Bytes of an im2col chunk, with 16 bytes of slack for im2col's whole-vector copies. */
// @ts-ignore: decorator
@inline function colBytes(rows: i32, k: i32): i32 {
  return align64(rows * k * 4 + 16);
}

/** Floats of a k x n matrix packed by f32_gemm_pack_b (gemm.ts header). */
// @ts-ignore: decorator
@inline function packedFloats(k: i32, n: i32): i32 {
  return k * ((n + GEMM_NR - 1) / GEMM_NR) * GEMM_NR;
}

/** Whether col(r) is the x row itself: 1x1 filter, stride 1, no padding, output size = input size. */
// @ts-ignore: decorator
@inline function isPointwise(
  inH: i32, inW: i32, outH: i32, outW: i32, fh: i32, fw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): bool {
  return fh == 1 && fw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && outH == inH && outW == inW;
}

/** Bytes of scratch any of the three kernels needs for this filter shape, per thread. */
export function f32_conv2d_scratch_bytes(fh: i32, fw: i32, inC: i32, outC: i32): i32 {
  assert(fh >= 1 && fw >= 1 && inC >= 0 && outC >= 0);
  const k = fh * fw * inC;
  const rows = chunkRows(k);
  const col = colBytes(rows, k);
  const fwd = col + align64(f32_gemm_scratch_bytes(rows, k));
  const bwdData = col + align64(f32_gemm_scratch_bytes(rows, outC));
  const bwdFilter = col + align64(packedFloats(rows, outC) * 4) +
    align64(f32_gemm_scratch_bytes(k, rows));
  return max(max(fwd, directBandBytes(fh, fw, inC)), max(bwdData, bwdFilter));
}

/**
 * Bytes of the filter packed by f32_conv2d_pack_filter: as GEMM B, W (K x outC) when
 * transposed == 0, Wᵀ (outC x K) when transposed != 0 (backward data).
 */
export function f32_conv2d_packed_filter_bytes(fh: i32, fw: i32, inC: i32, outC: i32, transposed: i32): i32 {
  const k = fh * fw * inC;
  return max(1, transposed != 0 ? packedFloats(outC, k) : packedFloats(k, outC)) * 4;
}

/** Packs the filter w [fh, fw, inC, outC] as GEMM B: W for the forward, Wᵀ when transposed. */
export function f32_conv2d_pack_filter(w: usize, fh: i32, fw: i32, inC: i32, outC: i32, transposed: i32, packed: usize): void {
  assert(fh >= 1 && fw >= 1 && inC >= 0 && outC >= 0);
  const k = fh * fw * inC;
  if (transposed != 0) {
    f32_gemm_pack_b(w, outC, 1, outC, k, packed, 0, (k + GEMM_NR - 1) / GEMM_NR);
  } else {
    f32_gemm_pack_b(w, outC, 0, k, outC, packed, 0, (outC + GEMM_NR - 1) / GEMM_NR);
  }
}

/**
 * y = act(conv(x, w) + bias) for the batch items [batchBegin, batchEnd). packedW from
 * f32_conv2d_pack_filter(transposed = 0); bias outC floats or 0; act: 0 none, 1 relu,
 * 2 sigmoid, 3 tanh (the f32_gemm epilogue).
 */
export function f32_conv2d_nhwc(
  x: usize, packedW: usize, bias: usize, y: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32,
  fh: i32, fw: i32, strideH: i32, strideW: i32, dilH: i32, dilW: i32, padTop: i32, padLeft: i32,
  act: i32, batchBegin: i32, batchEnd: i32, scratch: usize,
): void {
  checkGeometry(batch, inH, inW, inC, outH, outW, outC, fh, fw, strideH, strideW, dilH, dilW, padTop, padLeft, batchBegin, batchEnd, scratch);
  assert(act >= 0 && act <= 3);
  const pointwise = isPointwise(inH, inW, outH, outW, fh, fw, strideH, strideW, padTop, padLeft);
  if (!pointwise && directFits(fh, fw, inC, dilW)) {
    convDirect(
      x, packedW, bias, y, inH, inW, inC, outH, outW, outC, fh, fw, strideH, strideW, dilH,
      padTop, padLeft, act, batchBegin, batchEnd, scratch,
    );
    return;
  }
  const k = fh * fw * inC;
  const rowsPerChunk = chunkRows(k);
  const rowEnd = batchEnd * outH * outW;
  const col = scratch;
  const gemmScratch = scratch + <usize>colBytes(rowsPerChunk, k);
  const xEnd = x + (<usize>batch * <usize>inH * <usize>inW * <usize>inC << 2);
  for (let r = batchBegin * outH * outW; r < rowEnd; r += rowsPerChunk) {
    const rows = min(rowsPerChunk, rowEnd - r);
    let a = x + (<usize>r * <usize>inC << 2);
    if (!pointwise) {
      im2col(x, xEnd, col, r, rows, inH, inW, inC, outH, outW, fh, fw, strideH, strideW, dilH, dilW, padTop, padLeft);
      a = col;
    }
    f32_gemm(
      a, k, 0, packedW, y + (<usize>r * <usize>outC << 2), outC,
      rows, outC, k, 0, rows, 0, outC, bias, act, 0, gemmScratch,
    );
  }
}

/**
 * dx = the gradient of conv(x, w) with respect to x, from dy, for the batch items
 * [batchBegin, batchEnd) (overwritten). packedWT from f32_conv2d_pack_filter(transposed = 1).
 */
export function f32_conv2d_nhwc_bwd_data(
  dy: usize, packedWT: usize, dx: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32,
  fh: i32, fw: i32, strideH: i32, strideW: i32, dilH: i32, dilW: i32, padTop: i32, padLeft: i32,
  batchBegin: i32, batchEnd: i32, scratch: usize,
): void {
  checkGeometry(batch, inH, inW, inC, outH, outW, outC, fh, fw, strideH, strideW, dilH, dilW, padTop, padLeft, batchBegin, batchEnd, scratch);
  const k = fh * fw * inC;
  const rowsPerChunk = chunkRows(k);
  const rowEnd = batchEnd * outH * outW;
  const dcol = scratch;
  const gemmScratch = scratch + <usize>colBytes(rowsPerChunk, k);
  const pointwise = isPointwise(inH, inW, outH, outW, fh, fw, strideH, strideW, padTop, padLeft);
  if (!pointwise) {
    const imageFloats = <usize>inH * <usize>inW * <usize>inC;
    zeroF32(dx + (<usize>batchBegin * imageFloats << 2), <usize>(batchEnd - batchBegin) * imageFloats);
  }
  for (let r = batchBegin * outH * outW; r < rowEnd; r += rowsPerChunk) {
    const rows = min(rowsPerChunk, rowEnd - r);
    const dyRows = dy + (<usize>r * <usize>outC << 2);
    if (pointwise) {
      f32_gemm(
        dyRows, outC, 0, packedWT, dx + (<usize>r * <usize>inC << 2), inC,
        rows, k, outC, 0, rows, 0, k, 0, 0, 0, gemmScratch,
      );
    } else {
      f32_gemm(dyRows, outC, 0, packedWT, dcol, k, rows, k, outC, 0, rows, 0, k, 0, 0, 0, gemmScratch);
      col2imAdd(dcol, dx, r, rows, inH, inW, inC, outH, outW, fh, fw, strideH, strideW, dilH, dilW, padTop, padLeft);
    }
  }
}

/**
 * dw += the gradient of conv(x, w) with respect to w (a [fh, fw, inC, outC] sum), from x and dy,
 * over the batch items [batchBegin, batchEnd). The caller zeroes dw first.
 */
export function f32_conv2d_nhwc_bwd_filter(
  x: usize, dy: usize, dw: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32,
  fh: i32, fw: i32, strideH: i32, strideW: i32, dilH: i32, dilW: i32, padTop: i32, padLeft: i32,
  batchBegin: i32, batchEnd: i32, scratch: usize,
): void {
  checkGeometry(batch, inH, inW, inC, outH, outW, outC, fh, fw, strideH, strideW, dilH, dilW, padTop, padLeft, batchBegin, batchEnd, scratch);
  const k = fh * fw * inC;
  if (k == 0 || outC == 0) return;
  const pointwise = isPointwise(inH, inW, outH, outW, fh, fw, strideH, strideW, padTop, padLeft);
  if (!pointwise && directGradFits(fh, fw, inC, dilW, outW)) {
    convDirectFilterGrad(
      x, dy, dw, inH, inW, inC, outH, outW, outC, fh, fw, strideH, strideW, dilH, padTop, padLeft,
      batchBegin, batchEnd, scratch,
    );
    return;
  }
  const rowsPerChunk = chunkRows(k);
  const rowEnd = batchEnd * outH * outW;
  const col = scratch;
  const packedDy = col + <usize>colBytes(rowsPerChunk, k);
  const gemmScratch = packedDy + <usize>align64(packedFloats(rowsPerChunk, outC) * 4);
  const panels = (outC + GEMM_NR - 1) / GEMM_NR;
  const xEnd = x + (<usize>batch * <usize>inH * <usize>inW * <usize>inC << 2);
  for (let r = batchBegin * outH * outW; r < rowEnd; r += rowsPerChunk) {
    const rows = min(rowsPerChunk, rowEnd - r);
    let a = x + (<usize>r * <usize>inC << 2);
    if (!pointwise) {
      im2col(x, xEnd, col, r, rows, inH, inW, inC, outH, outW, fh, fw, strideH, strideW, dilH, dilW, padTop, padLeft);
      a = col;
    }
    f32_gemm_pack_b(dy + (<usize>r * <usize>outC << 2), outC, 0, rows, outC, packedDy, 0, panels);
    f32_gemm(a, k, 1, packedDy, dw, outC, k, outC, rows, 0, k, 0, outC, 0, 0, 1, gemmScratch);
  }
}

// @ts-ignore: decorator
@inline function checkGeometry(
  batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32,
  fh: i32, fw: i32, strideH: i32, strideW: i32, dilH: i32, dilW: i32, padTop: i32, padLeft: i32,
  batchBegin: i32, batchEnd: i32, scratch: usize,
): void {
  assert(batch >= 0 && inH >= 0 && inW >= 0 && inC >= 0 && outH >= 0 && outW >= 0 && outC >= 0);
  assert(fh >= 1 && fw >= 1 && strideH >= 1 && strideW >= 1 && dilH >= 1 && dilW >= 1);
  assert(padTop >= 0 && padLeft >= 0);
  assert(0 <= batchBegin && batchBegin <= batchEnd && batchEnd <= batch);
  assert((scratch & 15) == 0);
}

/**
 * Builds the im2col rows [r0, r0 + rows) (K floats each) at col. Out-of-image taps are zero.
 */
// @ts-ignore: decorator
@inline function im2col(
  x: usize, xEnd: usize, col: usize, r0: i32, rows: i32,
  inH: i32, inW: i32, inC: i32, outH: i32, outW: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32,
): void {
  const segment = <usize>fw * <usize>inC;
  const rowBytes = <usize>inW * <usize>inC << 2;
  const imageBytes = <usize>inH * rowBytes;
  const outHW = outH * outW;
  let n = r0 / outHW;
  let oy = (r0 - n * outHW) / outW;
  let ox = r0 - n * outHW - oy * outW;
  let image = x + <usize>n * imageBytes;
  let dst = col;
  for (let r = 0; r < rows; r++) {
    const ix0 = ox * sw - pl;
    let iy = oy * sh - pt;
    if (dw == 1 && ix0 >= 0 && ix0 + fw <= inW && iy >= 0 && iy + (fh - 1) * dh < inH) {
      // Interior pixel: every kernel row is one in-image segment. Copy whole vectors: the few
      // floats written past a segment belong to the next segment or row (written afterwards) or
      // to the chunk's slack, and the few read past it stay inside x.
      let src = image + <usize>iy * rowBytes + (<usize>(ix0 * inC) << 2);
      const vecBytes = ((segment << 2) + 15) & ~15;
      for (let kh = 0; kh < fh; kh++) {
        if (src + vecBytes <= xEnd) {
          for (let i: usize = 0; i < vecBytes; i += 16) v128.store(dst + i, v128.load(src + i));
        } else {
          copyF32(dst, src, segment);
        }
        dst += segment << 2;
        src += <usize>dh * rowBytes;
      }
    } else {
      for (let kh = 0; kh < fh; kh++, iy += dh) {
        if (<u32>iy >= <u32>inH) {
          zeroF32(dst, segment);
        } else {
          const src = image + <usize>iy * rowBytes;
          if (dw == 1) {
            // Taps [lo, hi) of this kernel row fall inside the image: one contiguous copy.
            const lo = clamp(-ix0, 0, fw);
            const hi = clamp(inW - ix0, lo, fw);
            zeroF32(dst, <usize>lo * <usize>inC);
            copyF32(dst + (<usize>(lo * inC) << 2), src + (<usize>((ix0 + lo) * inC) << 2), <usize>((hi - lo) * inC));
            zeroF32(dst + (<usize>(hi * inC) << 2), <usize>((fw - hi) * inC));
          } else {
            let ix = ix0;
            for (let kw = 0; kw < fw; kw++, ix += dw) {
              const d = dst + (<usize>(kw * inC) << 2);
              if (<u32>ix >= <u32>inW) zeroF32(d, <usize>inC);
              else copyF32(d, src + (<usize>(ix * inC) << 2), <usize>inC);
            }
          }
        }
        dst += segment << 2;
      }
    }
    if (++ox == outW) {
      ox = 0;
      if (++oy == outH) {
        oy = 0;
        image += imageBytes;
      }
    }
  }
}

/** The adjoint of im2col: adds the rows [r0, r0 + rows) of dcol into the taps' pixels of dx. */
// @ts-ignore: decorator
@inline function col2imAdd(
  dcol: usize, dx: usize, r0: i32, rows: i32,
  inH: i32, inW: i32, inC: i32, outH: i32, outW: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32,
): void {
  const segment = <usize>fw * <usize>inC;
  const rowBytes = <usize>inW * <usize>inC << 2;
  const imageBytes = <usize>inH * rowBytes;
  const outHW = outH * outW;
  let n = r0 / outHW;
  let oy = (r0 - n * outHW) / outW;
  let ox = r0 - n * outHW - oy * outW;
  let image = dx + <usize>n * imageBytes;
  let src = dcol;
  for (let r = 0; r < rows; r++) {
    const ix0 = ox * sw - pl;
    let iy = oy * sh - pt;
    for (let kh = 0; kh < fh; kh++, iy += dh) {
      if (<u32>iy < <u32>inH) {
        const dst = image + <usize>iy * rowBytes;
        if (dw == 1) {
          const lo = clamp(-ix0, 0, fw);
          const hi = clamp(inW - ix0, lo, fw);
          addF32(dst + (<usize>((ix0 + lo) * inC) << 2), src + (<usize>(lo * inC) << 2), <usize>((hi - lo) * inC));
        } else {
          let ix = ix0;
          for (let kw = 0; kw < fw; kw++, ix += dw) {
            if (<u32>ix < <u32>inW) addF32(dst + (<usize>(ix * inC) << 2), src + (<usize>(kw * inC) << 2), <usize>inC);
          }
        }
      }
      src += segment << 2;
    }
    if (++ox == outW) {
      ox = 0;
      if (++oy == outH) {
        oy = 0;
        image += imageBytes;
      }
    }
  }
}

// @ts-ignore: decorator
@inline function clamp(v: i32, lo: i32, hi: i32): i32 {
  return min(max(v, lo), hi);
}

/** dst[0..n) = src[0..n). */
// @ts-ignore: decorator
@inline function copyF32(dst: usize, src: usize, n: usize): void {
  const bytes = n << 2;
  let i: usize = 0;
  for (; i + 32 <= bytes; i += 32) {
    v128.store(dst + i, v128.load(src + i));
    v128.store(dst + i, v128.load(src + i, 16), 16);
  }
  if (i + 16 <= bytes) {
    v128.store(dst + i, v128.load(src + i));
    i += 16;
  }
  for (; i < bytes; i += 4) store<f32>(dst + i, load<f32>(src + i));
}

/** dst[0..n) += src[0..n). */
// @ts-ignore: decorator
@inline function addF32(dst: usize, src: usize, n: usize): void {
  const bytes = n << 2;
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) {
    v128.store(dst + i, f32x4.add(v128.load(dst + i), v128.load(src + i)));
  }
  for (; i < bytes; i += 4) store<f32>(dst + i, load<f32>(dst + i) + load<f32>(src + i));
}

/** dst[0..n) = 0. */
// @ts-ignore: decorator
@inline function zeroF32(dst: usize, n: usize): void {
  const bytes = n << 2;
  const zero = f32x4.splat(0);
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, zero);
  for (; i < bytes; i += 4) store<f32>(dst + i, 0);
}
