/**
 * The direct forward convolution: f32_conv2d_nhwc's path for small filters (K = fh * fw * inC <=
 * DIRECT_MAX_K) with dilW == 1, which reads x straight from a zero-padded band of input rows
 * instead of building im2col rows and packing them for the GEMM (two passes over K floats per
 * output pixel, which cost more than the products when K and outC are small: LeNet's first layer,
 * K = 25, outC = 6, spent ~55% of its forward in im2col).
 *
 * Band. For output row (n, oy) and a block of at most blockPixels(sw) output pixels, the band holds
 * fh rows: row kh is input row iy = oy * sh - pt + kh * dh from ix = ox0 * sw - pl on, BAND_PIXELS
 * + fw - 1 pixels of inC floats (zeros outside the image). With dilW == 1, the taps (kw, c) of one
 * kernel row are fw * inC consecutive floats of a band row starting at the output pixel's first
 * input pixel, in the order of the filter's K index (kh * fw + kw) * inC + c.
 *
 * Tile. 6 output pixels x 8 output channels in 12 v128 accumulators, as gemm.ts's 6x8
 * microkernel: per K step 2 loads of the packed filter (f32_conv2d_pack_filter's layout: with one
 * K block, panel p is K x 8 floats at p * K * 8) and 6 splats, one per pixel, from the band.
 *
 * Order of operations, per output: bias (or 0), then one `madd` per K step in K order, then the
 * activation: the GEMM's order with its single K block (K <= KC), so this path gives the same bits
 * as im2col + f32_gemm, whatever the batch split.
 */
import { f32_vsigmoid, f32_vtanh } from "./elementwise";
import { loadN, madd, storeN } from "./simd";

/** Largest K (= fh * fw * inC) the direct path takes: one GEMM K block (gemm.ts KC). */
// @ts-ignore: decorator
@inline export const DIRECT_MAX_K = 256;
/**
 * Least output width for the direct filter gradient: each dw tile is loaded and stored once per
 * output row, so short rows lose to im2col + GEMM (LeNet, same process: conv1, outW 28, 1.85 ->
 * 0.84 ms; conv2, outW 10, 0.9 -> 1.07 ms).
 */
// @ts-ignore: decorator
@inline const DIRECT_GRAD_MIN_WIDTH = 16;
/** Input pixels a band row covers beyond the filter's width: blocks of output pixels fit in it. */
// @ts-ignore: decorator
@inline const BAND_PIXELS = 64;
// @ts-ignore: decorator
@inline const TILE = 6;
// @ts-ignore: decorator
@inline const NR = 8;
// @ts-ignore: decorator
@inline const ACT_RELU = 1;
// @ts-ignore: decorator
@inline const ACT_SIGMOID = 2;

/** Whether f32_conv2d_nhwc takes the direct path for this filter. */
// @ts-ignore: decorator
@inline export function directFits(fh: i32, fw: i32, inC: i32, dilW: i32): bool {
  return dilW == 1 && fh * fw * inC <= DIRECT_MAX_K;
}

/** Whether f32_conv2d_nhwc_bwd_filter takes the direct path: directFits and rows long enough. */
// @ts-ignore: decorator
@inline export function directGradFits(fh: i32, fw: i32, inC: i32, dilW: i32, outW: i32): bool {
  return directFits(fh, fw, inC, dilW) && outW >= DIRECT_GRAD_MIN_WIDTH;
}

/** Bytes of the band: fh rows of BAND_PIXELS + fw - 1 pixels. */
// @ts-ignore: decorator
@inline export function directBandBytes(fh: i32, fw: i32, inC: i32): i32 {
  return fh * (BAND_PIXELS + fw - 1) * inC * 4;
}

/** Output pixels per band: the most whose inputs fit in BAND_PIXELS + fw - 1 pixels. */
// @ts-ignore: decorator
@inline function blockPixels(sw: i32): i32 {
  return (BAND_PIXELS - 1) / sw + 1;
}

/**
 * y = act(conv(x, w) + bias) for the batch items [batchBegin, batchEnd), directly (see the module
 * header); band: directBandBytes(fh, fw, inC) bytes of scratch.
 */
export function convDirect(
  x: usize, packedW: usize, bias: usize, y: usize,
  inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, dh: i32, pt: i32, pl: i32,
  act: i32, batchBegin: i32, batchEnd: i32, band: usize,
): void {
  const k = fh * fw * inC;
  const kq = fw * inC;
  const bandRowBytes = <usize>((BAND_PIXELS + fw - 1) * inC) << 2;
  const pixBytes = <usize>(sw * inC) << 2;
  const ldyBytes = <usize>outC << 2;
  const block = blockPixels(sw);
  const imageBytes = <usize>inH * <usize>inW * <usize>inC << 2;
  for (let n = batchBegin; n < batchEnd; n++) {
    const image = x + <usize>n * imageBytes;
    for (let oy = 0; oy < outH; oy++) {
      const yRow = y + (<usize>(n * outH + oy) * <usize>outW) * ldyBytes;
      for (let ox0 = 0; ox0 < outW; ox0 += block) {
        const pixels = min(block, outW - ox0);
        fillBand(image, band, bandRowBytes, inH, inW, inC, fh, fw, oy * sh - pt, dh, ox0 * sw - pl, (pixels - 1) * sw + fw);
        const yBlock = yRow + <usize>ox0 * ldyBytes;
        for (let j0 = 0; j0 < outC; j0 += NR) {
          const pb = packedW + (<usize>(j0 * k) << 2);
          const bj = bias != 0 ? bias + (<usize>j0 << 2) : 0;
          const nr = min(NR, outC - j0);
          for (let p = 0; p < pixels; p += TILE) {
            directTile(
              band + <usize>p * pixBytes, bandRowBytes, pixBytes, fh, kq, pb,
              yBlock + <usize>p * ldyBytes + (<usize>j0 << 2), ldyBytes, min(TILE, pixels - p), nr, bj,
              act == ACT_RELU,
            );
          }
        }
        if (act >= ACT_SIGMOID) {
          const floats = pixels * outC;
          if (act == ACT_SIGMOID) f32_vsigmoid(yBlock, yBlock, 0, floats);
          else f32_vtanh(yBlock, yBlock, 0, floats);
        }
      }
    }
  }
}

/**
 * Fills the band's fh rows: row kh is input row iy0 + kh * dh, pixels [ix0, ix0 + count), zero
 * outside the image.
 */
// @ts-ignore: decorator
@inline function fillBand(
  image: usize, band: usize, bandRowBytes: usize, inH: i32, inW: i32, inC: i32,
  fh: i32, fw: i32, iy0: i32, dh: i32, ix0: i32, count: i32,
): void {
  const pixelBytes = <usize>inC << 2;
  const lo = min(max(-ix0, 0), count);
  const hi = max(min(inW - ix0, count), lo);
  for (let kh = 0; kh < fh; kh++) {
    const iy = iy0 + kh * dh;
    const dst = band + <usize>kh * bandRowBytes;
    if (<u32>iy >= <u32>inH) {
      memory.fill(dst, 0, <usize>count * pixelBytes);
      continue;
    }
    memory.fill(dst, 0, <usize>lo * pixelBytes);
    memory.copy(
      dst + <usize>lo * pixelBytes,
      image + (<usize>iy * <usize>inW + <usize>(ix0 + lo)) * pixelBytes,
      <usize>(hi - lo) * pixelBytes,
    );
    memory.fill(dst + <usize>hi * pixelBytes, 0, <usize>(count - hi) * pixelBytes);
  }
}

/**
 * One tile: mr (<= 6) output pixels at a (their first taps, pixBytes apart; kernel rows
 * bandRowBytes apart, kq floats each) times nr (<= 8) output channels, written at y0 (rows
 * ldyBytes apart). Pixels past mr alias pixel mr - 1 (recomputed, same stores).
 */
function directTile(
  a: usize, bandRowBytes: usize, pixBytes: usize, fh: i32, kq: i32, pb: usize,
  y0: usize, ldyBytes: usize, mr: i32, nr: i32, bias: usize, relu: bool,
): void {
  const o1 = <usize>min(1, mr - 1) * pixBytes;
  const o2 = <usize>min(2, mr - 1) * pixBytes;
  const o3 = <usize>min(3, mr - 1) * pixBytes;
  const o4 = <usize>min(4, mr - 1) * pixBytes;
  const o5 = <usize>min(5, mr - 1) * pixBytes;
  let b0123 = f32x4.splat(0);
  let b4567 = f32x4.splat(0);
  if (bias != 0) {
    b0123 = loadN(bias, nr);
    b4567 = loadN(bias + 16, nr - 4);
  }
  let acc0x0123 = b0123, acc0x4567 = b4567;
  let acc1x0123 = b0123, acc1x4567 = b4567;
  let acc2x0123 = b0123, acc2x4567 = b4567;
  let acc3x0123 = b0123, acc3x4567 = b4567;
  let acc4x0123 = b0123, acc4x4567 = b4567;
  let acc5x0123 = b0123, acc5x4567 = b4567;
  const stepBytes = <usize>kq << 2;
  for (let kh = 0; kh < fh; kh++) {
    let p = a + <usize>kh * bandRowBytes;
    const end = p + stepBytes;
    while (p < end) {
      const vb0123 = v128.load(pb);
      const vb4567 = v128.load(pb, 16);
      const va0 = v128.load32_splat(p);
      acc0x0123 = madd(va0, vb0123, acc0x0123);
      acc0x4567 = madd(va0, vb4567, acc0x4567);
      const va1 = v128.load32_splat(p + o1);
      acc1x0123 = madd(va1, vb0123, acc1x0123);
      acc1x4567 = madd(va1, vb4567, acc1x4567);
      const va2 = v128.load32_splat(p + o2);
      acc2x0123 = madd(va2, vb0123, acc2x0123);
      acc2x4567 = madd(va2, vb4567, acc2x4567);
      const va3 = v128.load32_splat(p + o3);
      acc3x0123 = madd(va3, vb0123, acc3x0123);
      acc3x4567 = madd(va3, vb4567, acc3x4567);
      const va4 = v128.load32_splat(p + o4);
      acc4x0123 = madd(va4, vb0123, acc4x0123);
      acc4x4567 = madd(va4, vb4567, acc4x4567);
      const va5 = v128.load32_splat(p + o5);
      acc5x0123 = madd(va5, vb0123, acc5x0123);
      acc5x4567 = madd(va5, vb4567, acc5x4567);
      p += 4;
      pb += 32;
    }
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
  storeTile(
    y0, ldyBytes, mr, nr, acc0x0123, acc0x4567, acc1x0123, acc1x4567, acc2x0123, acc2x4567,
    acc3x0123, acc3x4567, acc4x0123, acc4x4567, acc5x0123, acc5x4567,
  );
}

/**
 * Stores a tile's 6 rows of nr (1..8) lanes at p0 (rows ldBytes apart), highest row first: rows
 * past mr alias row mr - 1 and rewrite it with the same values.
 */
// @ts-ignore: decorator
@inline function storeTile(
  p0: usize, ldBytes: usize, mr: i32, nr: i32, r0lo: v128, r0hi: v128, r1lo: v128, r1hi: v128,
  r2lo: v128, r2hi: v128, r3lo: v128, r3hi: v128, r4lo: v128, r4hi: v128, r5lo: v128, r5hi: v128,
): void {
  storeRow(p0 + <usize>min(5, mr - 1) * ldBytes, r5lo, r5hi, nr);
  storeRow(p0 + <usize>min(4, mr - 1) * ldBytes, r4lo, r4hi, nr);
  storeRow(p0 + <usize>min(3, mr - 1) * ldBytes, r3lo, r3hi, nr);
  storeRow(p0 + <usize>min(2, mr - 1) * ldBytes, r2lo, r2hi, nr);
  storeRow(p0 + <usize>min(1, mr - 1) * ldBytes, r1lo, r1hi, nr);
  storeRow(p0, r0lo, r0hi, nr);
}

/** Stores the first nr (1..8) lanes of lo:hi at p. */
// @ts-ignore: decorator
@inline function storeRow(p: usize, lo: v128, hi: v128, nr: i32): void {
  if (nr == NR) {
    v128.store(p, lo);
    v128.store(p, hi, 16);
    return;
  }
  storeN(p, lo, min(nr, 4));
  storeN(p + 16, hi, nr - 4);
}

/**
 * dw += the filter gradient of the batch items [batchBegin, batchEnd), directly: for each output
 * row and band, 6 x 8 tiles of dw (6 consecutive K indices of one kernel row by 8 output
 * channels) accumulate over the band's output pixels in order, their 6 inputs one splat each
 * from consecutive band floats. band: directBandBytes(fh, fw, inC) bytes of scratch.
 */
export function convDirectFilterGrad(
  x: usize, dy: usize, dw: usize,
  inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, dh: i32, pt: i32, pl: i32,
  batchBegin: i32, batchEnd: i32, band: usize,
): void {
  const kq = fw * inC;
  const bandRowBytes = <usize>((BAND_PIXELS + fw - 1) * inC) << 2;
  const pixBytes = <usize>(sw * inC) << 2;
  const ldBytes = <usize>outC << 2;
  const block = blockPixels(sw);
  const imageBytes = <usize>inH * <usize>inW * <usize>inC << 2;
  for (let n = batchBegin; n < batchEnd; n++) {
    const image = x + <usize>n * imageBytes;
    for (let oy = 0; oy < outH; oy++) {
      const dyRow = dy + (<usize>(n * outH + oy) * <usize>outW) * ldBytes;
      for (let ox0 = 0; ox0 < outW; ox0 += block) {
        const pixels = min(block, outW - ox0);
        fillBand(image, band, bandRowBytes, inH, inW, inC, fh, fw, oy * sh - pt, dh, ox0 * sw - pl, (pixels - 1) * sw + fw);
        const dyBlock = dyRow + <usize>ox0 * ldBytes;
        for (let kh = 0; kh < fh; kh++) {
          const a = band + <usize>kh * bandRowBytes;
          const dwRow = dw + <usize>(kh * kq) * ldBytes;
          for (let q = 0; q < kq; q += TILE) {
            for (let j0 = 0; j0 < outC; j0 += NR) {
              filterGradTile(
                a + (<usize>q << 2), pixBytes, dyBlock + (<usize>j0 << 2), ldBytes, pixels,
                dwRow + <usize>q * ldBytes + (<usize>j0 << 2), min(TILE, kq - q), min(NR, outC - j0),
              );
            }
          }
        }
      }
    }
  }
}

/**
 * One tile of dw: rows (K indices) a[0..mr) of `pixels` output pixels (pixBytes apart) times nr
 * output channels of dy (rows ldBytes apart), added to dw (rows ldBytes apart) in pixel order.
 * Rows past mr alias row mr - 1.
 */
function filterGradTile(
  a: usize, pixBytes: usize, dy: usize, ldBytes: usize, pixels: i32, dw: usize, mr: i32, nr: i32,
): void {
  const o1 = <usize>min(1, mr - 1) << 2;
  const o2 = <usize>min(2, mr - 1) << 2;
  const o3 = <usize>min(3, mr - 1) << 2;
  const o4 = <usize>min(4, mr - 1) << 2;
  const o5 = <usize>min(5, mr - 1) << 2;
  const w1 = dw + <usize>min(1, mr - 1) * ldBytes;
  const w2 = dw + <usize>min(2, mr - 1) * ldBytes;
  const w3 = dw + <usize>min(3, mr - 1) * ldBytes;
  const w4 = dw + <usize>min(4, mr - 1) * ldBytes;
  const w5 = dw + <usize>min(5, mr - 1) * ldBytes;
  let acc0x0123 = loadN(dw, nr), acc0x4567 = loadN(dw + 16, nr - 4);
  let acc1x0123 = loadN(w1, nr), acc1x4567 = loadN(w1 + 16, nr - 4);
  let acc2x0123 = loadN(w2, nr), acc2x4567 = loadN(w2 + 16, nr - 4);
  let acc3x0123 = loadN(w3, nr), acc3x4567 = loadN(w3 + 16, nr - 4);
  let acc4x0123 = loadN(w4, nr), acc4x4567 = loadN(w4 + 16, nr - 4);
  let acc5x0123 = loadN(w5, nr), acc5x4567 = loadN(w5 + 16, nr - 4);
  const end = dy + <usize>pixels * ldBytes;
  let p = a;
  for (let d = dy; d < end; d += ldBytes) {
    const vb0123 = loadN(d, nr);
    const vb4567 = loadN(d + 16, nr - 4);
    const va0 = v128.load32_splat(p);
    acc0x0123 = madd(va0, vb0123, acc0x0123);
    acc0x4567 = madd(va0, vb4567, acc0x4567);
    const va1 = v128.load32_splat(p + o1);
    acc1x0123 = madd(va1, vb0123, acc1x0123);
    acc1x4567 = madd(va1, vb4567, acc1x4567);
    const va2 = v128.load32_splat(p + o2);
    acc2x0123 = madd(va2, vb0123, acc2x0123);
    acc2x4567 = madd(va2, vb4567, acc2x4567);
    const va3 = v128.load32_splat(p + o3);
    acc3x0123 = madd(va3, vb0123, acc3x0123);
    acc3x4567 = madd(va3, vb4567, acc3x4567);
    const va4 = v128.load32_splat(p + o4);
    acc4x0123 = madd(va4, vb0123, acc4x0123);
    acc4x4567 = madd(va4, vb4567, acc4x4567);
    const va5 = v128.load32_splat(p + o5);
    acc5x0123 = madd(va5, vb0123, acc5x0123);
    acc5x4567 = madd(va5, vb4567, acc5x4567);
    p += pixBytes;
  }
  storeTile(
    dw, ldBytes, mr, nr, acc0x0123, acc0x4567, acc1x0123, acc1x4567, acc2x0123, acc2x4567,
    acc3x0123, acc3x4567, acc4x0123, acc4x4567, acc5x0123, acc5x4567,
  );
}
