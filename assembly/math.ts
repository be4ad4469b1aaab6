/**
 * f32 math of the unary op family by op code (f32_vunary, f32_vunary_bwd in elementwise.ts): the
 * f32x4 functions beyond simd.ts (log1p, expm1, sin/cos/tan, erf), each op's value and derivative
 * as @inline templates over a constant op code, and the loops the two kernels specialise.
 *
 * Layout and range: contiguous f32 arrays, pointers in bytes; elements [begin, end) only. Loop
 * shape: two v128 per step for the cheap ops (mathLoop), then one v128 per step, the 1-3 left as
 * one partial vector (loadN/storeN, the other lanes zero): every element runs the same lane-wise
 * code on every path, so a threaded split gives the bits of one call. `alpha` is the parameter of the parametric ops (leakyRelu's slope, elu's
 * scale of the negative side) and is not read by the others.
 *
 * Algorithms and accuracy: errors in units of the f32 spacing at the exact result (ulp), against
 * the float64 references of tests/_reference/math.ts, measured on every 61st f32 bit pattern (both
 * signs) of each function's range: log1p all finite x, expm1 |x| < 90, sin/cos/tan |x| < 2^28·π/2,
 * erf |x| < 5, gelu |x| < 4, the others |x| < 100 (tests/kernels/math_test.ts asserts a bound
 * just above each, on sparser sweeps, the special values and huge arguments):
 *   sign floor ceil round   exact (round is half to even, f32x4.nearest); sign(NaN) = sign(±0) = 0
 *                           as TF.js's.
 *   reciprocal              one division, 0.5 ulp. rsqrt: sqrt then division, max 1.49 ulp.
 *   log1p    u = 1 + x, c = the rounding error of that sum (2Sum, exact), log1p(x) = log(u) + c/u
 *            (simd.ts's log, 0.83 ulp); x itself for |x| < 2^-24 (keeps -0; x - x²/2 rounds to x).
 *            log1p(-1) = -inf, x < -1 gives NaN. Max 1.44 ulp.
 *   expm1    Cody-Waite x = n·ln2 + r, |r| <= ln2/2, expm1(r) = r + r²·P(r) with exp's Cephes
 *            polynomial, then (expm1(r)·2^(n-1) + (2^(n-1) - 1/2))·2: both products exact, one
 *            rounding in the sum, and 2^(n-1) stays normal for the clamped x in [-30, 89]
 *            (expm1(x < -17.4) rounds to -1, x > 88.72 overflows to inf). x itself for
 *            |x| < 2^-24. Max 1.55 ulp (just above |x| = ln2/2, where n becomes ±1).
 *   sin cos  j = nearest(x·2/π) and r = (x - j·P1) - j·P2 in f64 (musl's rempio2f: P1 has 25 bits,
 *            so j·P1 and the first difference are exact for |x| < 2^28·π/2 = 4.2e8; r is good to
 *            ~2^-50 absolute), r rounded to f32 and Cephes' sinf/cosf polynomials on |r| <= π/4,
 *            the quadrant j mod 4 choosing ±sin r or ±cos r. Lanes with |x| >= 2^28·π/2 (and ±inf,
 *            which give NaN) take AssemblyScript's scalar Mathf.sin/cos (musl, Payne-Hanek
 *            reduction: < 1 ulp at any size), so accuracy does not decay with |x|. sin(x) = x for
 *            |x| < 2^-12 (keeps -0). Max 1.53 ulp (absolute 7.8e-8).
 *   tan      sin r / cos r (even j) or -cos r / sin r (odd j) from the same reduction; Mathf.tan
 *            for large lanes. Max 3.15 ulp.
 *   erf      |x| < 0.625: x + x·Q(x²), Q of degree 5 (fdlibm's form: relative accuracy down to
 *            subnormals, erf(-0) = -0); 0.625 <= |x| < 4 (clamped, erf(x >= 3.92) = 1): one of four
 *            degree-7 polynomials in |x| - c on [0.625, 1.25), [1.25, 2), [2, 3), [3, 4], their
 *            coefficients picked per lane by i8x16.swizzle from one v128 per power. Coefficients
 *            are Chebyshev interpolants fitted in float64 and rounded to f32. Max 1.05 ulp (1.03
 *            on the sweep above, 1.045 on every 7th pattern of [0, 5]).
 *   softplus max(x, 0) + log1p(exp(-|x|)): no overflow, relative accuracy for x << 0. Max 1.86 ulp.
 *   elu/selu x > 0 ? x : alpha·expm1(x) (selu: TF.js's scale and scale·alpha). Max 1.45 / 1.73 ulp.
 *   leakyRelu x > 0 ? x : alpha·x, one rounding.
 *   gelu     x/2·(1 + erf(x/√2)), Keras' exact form: 1 + erf cancels for x < -1, so the error is
 *            within 2^-24·|x| + 0.5 ulp (max 7,500 ulp relative near x = -4, 1.1e-7 absolute; as
 *            in Keras and TF.js). geluTanh: x·sigmoid(2u) with u = √(2/π)(x + 0.044715x³), equal
 *            to x/2·(1 + tanh u) without its cancellation, but 2u's rounding still costs relative
 *            accuracy for x < -1: within 2^-24·|x| + 0.8 ulp. silu: x·sigmoid(x), max 3.15 ulp.
 *   The sigmoid of softplus', geluTanh and silu is `gate` below: simd.ts's sigmoid without the
 *   subnormal range (sigmoid(x < -87.34) is taken as 0: an absolute error below 2^-126·|x|, at
 *   most 1.1e-36 in silu), with the same bits elsewhere; 1.5-1.7x faster (silu 3.66 -> 2.21 ms,
 *   geluTanh 4.42 -> 2.94, silu' 4.15 -> 2.65 per 2^20 elements, same process, loaded host).
 *   Where a factor underflows to 0 against an infinite x (gelu, geluTanh, silu at -inf and their
 *   derivatives at ±inf) the product is taken as 0 (the limit), not inf·0 = NaN.
 * NaN propagates through every op except sign (0, as TF.js).
 *
 * One export per direction for the 19 ops (f32_vunary, f32_vunary_bwd) instead of one per op:
 * the op code is a constant inside each specialised loop (mathKernel branches once, outside the
 * loop), so nothing is lost per element, while the ABI table, the thread splits (one row, its cost
 * read from the op code) and the backends' maps each grow by two entries instead of 34.
 *
 * Tested against tests/_reference/math.ts (float64) by tests/kernels/math_test.ts.
 */
import { f32x4_exp, f32x4_log, loadN, storeN } from "./simd";

// Op codes of f32_vunary (and, from RECIPROCAL on, f32_vunary_bwd): MATH_CODE in
// src/backend/unary_codes.ts. They continue elementwise.ts's codes of the ops with their own exports.
// @ts-ignore: decorator
@inline export const SIGN = 9;
// @ts-ignore: decorator
@inline export const FLOOR = 10;
// @ts-ignore: decorator
@inline export const CEIL = 11;
// @ts-ignore: decorator
@inline export const ROUND = 12;
// @ts-ignore: decorator
@inline export const RECIPROCAL = 13;
// @ts-ignore: decorator
@inline export const RSQRT = 14;
// @ts-ignore: decorator
@inline export const LOG1P = 15;
// @ts-ignore: decorator
@inline export const EXPM1 = 16;
// @ts-ignore: decorator
@inline export const SIN = 17;
// @ts-ignore: decorator
@inline export const COS = 18;
// @ts-ignore: decorator
@inline export const TAN = 19;
// @ts-ignore: decorator
@inline export const ERF = 20;
// @ts-ignore: decorator
@inline export const SOFTPLUS = 21;
// @ts-ignore: decorator
@inline export const ELU = 22;
// @ts-ignore: decorator
@inline export const SELU = 23;
// @ts-ignore: decorator
@inline export const LEAKY_RELU = 24;
// @ts-ignore: decorator
@inline export const GELU = 25;
// @ts-ignore: decorator
@inline export const GELU_TANH = 26;
// @ts-ignore: decorator
@inline export const SILU = 27;

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// @ts-ignore: decorator
@inline const LN2_C1: f32 = 0.693359375;
// @ts-ignore: decorator
@inline const LN2_C2: f32 = -2.12194440e-4;
// @ts-ignore: decorator
@inline const MAGIC: f32 = 12582912.0;
// 2^-24: below it log1p(x) and expm1(x) round to x.
// @ts-ignore: decorator
@inline const TINY: f32 = 5.9604644775390625e-8;
// TF.js's selu constants.
// @ts-ignore: decorator
@inline const SELU_SCALE: f32 = 1.0507009873554804934193349852946;
// @ts-ignore: decorator
@inline const SELU_SCALE_ALPHA: f32 = 1.7580993408473768599402175208123;
// @ts-ignore: decorator
@inline const SQRT1_2: f32 = 0.70710678118654752440;
// 2/√π, 1/√(2π), 2·√(2/π).
// @ts-ignore: decorator
@inline const TWO_OVER_SQRT_PI: f32 = 1.12837916709551257390;
// @ts-ignore: decorator
@inline const INV_SQRT_2PI: f32 = 0.39894228040143267794;
// @ts-ignore: decorator
@inline const TWO_SQRT_2_OVER_PI: f32 = 1.59576912160573071176;
// musl's rempio2f: π/2 = P1 + P2 with P1 of 25 bits, and 2/π.
// @ts-ignore: decorator
@inline const PIO2_1: f64 = 1.57079631090164184570;
// @ts-ignore: decorator
@inline const PIO2_2: f64 = 1.58932547735281966916e-8;
// @ts-ignore: decorator
@inline const INV_PIO2: f64 = 0.63661977236758134308;
// 2^28·π/2: from here on the f64 reduction loses bits and the lane goes to Mathf.
// @ts-ignore: decorator
@inline const TRIG_BIG: f32 = 421657440.0;

/** ln(1 + x) on four lanes (see header). */
// @ts-ignore: decorator
@inline export function f32x4_log1p(x: v128): v128 {
  const one = f32x4.splat(1.0);
  const u = f32x4.add(x, one);
  // 2Sum: c = (x + 1) - u exactly.
  const xr = f32x4.sub(u, one);
  const oner = f32x4.sub(u, xr);
  const c = f32x4.add(f32x4.sub(x, xr), f32x4.sub(one, oner));
  const corr = f32x4.div(c, u);
  // u = 0 (x = -1) or inf: 0/0 or NaN from c; the correction is then 0.
  const r = f32x4.add(f32x4_log(u), v128.and(corr, f32x4.eq(corr, corr)));
  return v128.bitselect(x, r, f32x4.lt(f32x4.abs(x), f32x4.splat(TINY)));
}

/** e^x - 1 on four lanes (see header). */
// @ts-ignore: decorator
@inline export function f32x4_expm1(x: v128): v128 {
  let xc = f32x4.pmin(x, f32x4.splat(89.0));
  xc = f32x4.pmax(xc, f32x4.splat(-30.0));
  const z = f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), f32x4.splat(MAGIC));
  const n = f32x4.sub(z, f32x4.splat(MAGIC));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(LN2_C1)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_C2)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const em = f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r);
  // t = 2^(n-1), n in [-43, 129] for the clamped x: a normal f32.
  const t = i32x4.shl(i32x4.add(i32x4.sub(z, f32x4.splat(MAGIC)), i32x4.splat(126)), 23);
  const y = f32x4.add(f32x4.mul(em, t), f32x4.sub(t, f32x4.splat(0.5)));
  const r2 = f32x4.add(y, y);
  return v128.bitselect(x, r2, f32x4.lt(f32x4.abs(x), f32x4.splat(TINY)));
}

// One lane of a trigonometric function by Mathf (musl: exact reduction at any size).
// @ts-ignore: decorator
@inline function trigScalar(kind: i32, x: f32): f32 {
  if (kind == SIN) return Mathf.sin(x);
  if (kind == COS) return Mathf.cos(x);
  return Mathf.tan(x);
}

/** sin, cos or tan (kind SIN, COS, TAN) of four lanes (see header). */
// @ts-ignore: decorator
@inline export function f32x4_trig(kind: i32, x: v128): v128 {
  const xlo = f64x2.promote_low_f32x4(x);
  const xhi = f64x2.promote_low_f32x4(f32x4.shuffle(x, x, 2, 3, 2, 3));
  const jlo = f64x2.nearest(f64x2.mul(xlo, f64x2.splat(INV_PIO2)));
  const jhi = f64x2.nearest(f64x2.mul(xhi, f64x2.splat(INV_PIO2)));
  const rlo = f64x2.sub(f64x2.sub(xlo, f64x2.mul(jlo, f64x2.splat(PIO2_1))), f64x2.mul(jlo, f64x2.splat(PIO2_2)));
  const rhi = f64x2.sub(f64x2.sub(xhi, f64x2.mul(jhi, f64x2.splat(PIO2_1))), f64x2.mul(jhi, f64x2.splat(PIO2_2)));
  const r = v128.shuffle<f32>(f32x4.demote_f64x2_zero(rlo), f32x4.demote_f64x2_zero(rhi), 0, 1, 4, 5);
  let q = v128.shuffle<i32>(i32x4.trunc_sat_f64x2_s_zero(jlo), i32x4.trunc_sat_f64x2_s_zero(jhi), 0, 1, 4, 5);
  const z = f32x4.mul(r, r);
  let s = f32x4.add(f32x4.mul(f32x4.splat(-1.9515295891e-4), z), f32x4.splat(8.3321608736e-3));
  s = f32x4.add(f32x4.mul(s, z), f32x4.splat(-1.6666654611e-1));
  s = f32x4.add(f32x4.mul(f32x4.mul(s, z), r), r);
  let c = f32x4.add(f32x4.mul(f32x4.splat(2.443315711809948e-5), z), f32x4.splat(-1.388731625493765e-3));
  c = f32x4.add(f32x4.mul(c, z), f32x4.splat(4.166664568298827e-2));
  c = f32x4.mul(f32x4.mul(c, z), z);
  c = f32x4.add(f32x4.sub(c, f32x4.mul(z, f32x4.splat(0.5))), f32x4.splat(1.0));
  let y: v128;
  if (kind == TAN) {
    // even quadrant: s / c; odd: -c / s.
    const even = i32x4.eq(v128.and(q, i32x4.splat(1)), i32x4.splat(0));
    y = f32x4.div(v128.bitselect(s, f32x4.neg(c), even), v128.bitselect(c, s, even));
  } else {
    // sin: q = 0..3 gives s, c, -s, -c; cos is sin shifted by one quadrant.
    if (kind == COS) q = i32x4.add(q, i32x4.splat(1));
    const sc = v128.bitselect(s, c, i32x4.eq(v128.and(q, i32x4.splat(1)), i32x4.splat(0)));
    y = v128.xor(sc, i32x4.shl(v128.and(q, i32x4.splat(2)), 30));
  }
  if (kind != COS) y = v128.bitselect(x, y, f32x4.lt(f32x4.abs(x), f32x4.splat(2.44140625e-4)));
  // !(|x| < big): large, infinite (NaN from Mathf) lanes; NaN lanes compare false both ways.
  const big = f32x4.ge(f32x4.abs(x), f32x4.splat(TRIG_BIG));
  if (v128.any_true(big)) {
    if (i32x4.extract_lane(big, 0)) y = f32x4.replace_lane(y, 0, trigScalar(kind, f32x4.extract_lane(x, 0)));
    if (i32x4.extract_lane(big, 1)) y = f32x4.replace_lane(y, 1, trigScalar(kind, f32x4.extract_lane(x, 1)));
    if (i32x4.extract_lane(big, 2)) y = f32x4.replace_lane(y, 2, trigScalar(kind, f32x4.extract_lane(x, 2)));
    if (i32x4.extract_lane(big, 3)) y = f32x4.replace_lane(y, 3, trigScalar(kind, f32x4.extract_lane(x, 3)));
  }
  return y;
}

// erf's coefficients: interval 0 (|x| < 0.625) is x + x·Q(x²); intervals 1-4 are P_k(|x| - c_k),
// c_k the interval's midpoint, P_k's coefficient of power j being lane k-1 of ERF_Pj.
// @ts-ignore: decorator
@inline function erfTable(j: i32): v128 {
  if (j == 0) return f32x4(0.8151023983955383, 0.9784437417984009, 0.9995930194854736, 0.9999992847442627);
  if (j == 1) return f32x4(0.468544602394104, 0.08047225326299667, 0.002178291790187359, 0.000005398953817348229);
  if (j == 2) return f32x4(-0.4392613172531128, -0.13076788187026978, -0.005444549955427647, -0.000019040433471673168);
  if (j == 3) return f32x4(0.11835571378469467, 0.11484157294034958, 0.00834912434220314, 0.00004235605229041539);
  if (j == 4) return f32x4(0.0909801721572876, -0.0497024841606617, -0.008645349182188511, -0.0000648835557512939);
  if (j == 5) return f32x4(-0.0695788785815239, -0.0021690051071345806, 0.006136669311672449, 0.00008090641495073214);
  if (j == 6) return f32x4(-0.003153974888846278, 0.014234054833650589, -0.0026553228963166475, -0.00009564772335579619);
  return f32x4(0.016736866906285286, -0.005794375203549862, 0.000418379670009017, 0.00006591918645426631);
}

/** The error function on four lanes (see header). */
// @ts-ignore: decorator
@inline export function f32x4_erf(x: v128): v128 {
  const t = f32x4.pmin(f32x4.abs(x), f32x4.splat(4.0)); // pmin keeps NaN
  const s = f32x4.mul(t, t);
  let q = f32x4.splat(-0.000725577468983829);
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(0.005168831907212734));
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(-0.02685515582561493));
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(0.11283691227436066));
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(-0.37612634897232056));
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(0.12837916612625122));
  const near = f32x4.add(t, f32x4.mul(t, q));
  // Interval k - 1 in 0..3 (masks are -1), as byte indices of lane k - 1 for the swizzles.
  const k = i32x4.neg(i32x4.add(i32x4.add(f32x4.ge(t, f32x4.splat(1.25)), f32x4.ge(t, f32x4.splat(2.0))),
    f32x4.ge(t, f32x4.splat(3.0))));
  const idx = i32x4.add(i32x4.mul(k, i32x4.splat(0x04040404)), i32x4.splat(0x03020100));
  const v = f32x4.sub(t, i8x16.swizzle(f32x4(0.9375, 1.625, 2.5, 3.5), idx));
  let p = i8x16.swizzle(erfTable(7), idx);
  p = f32x4.add(f32x4.mul(p, v), i8x16.swizzle(erfTable(6), idx));
  p = f32x4.add(f32x4.mul(p, v), i8x16.swizzle(erfTable(5), idx));
  p = f32x4.add(f32x4.mul(p, v), i8x16.swizzle(erfTable(4), idx));
  p = f32x4.add(f32x4.mul(p, v), i8x16.swizzle(erfTable(3), idx));
  p = f32x4.add(f32x4.mul(p, v), i8x16.swizzle(erfTable(2), idx));
  p = f32x4.add(f32x4.mul(p, v), i8x16.swizzle(erfTable(1), idx));
  p = f32x4.add(f32x4.mul(p, v), i8x16.swizzle(erfTable(0), idx));
  const far = f32x4.pmin(p, f32x4.splat(1.0));
  const y = v128.bitselect(near, far, f32x4.lt(t, f32x4.splat(0.625)));
  return v128.or(y, v128.and(x, f32x4.splat(-0.0))); // the sign of x; -0.0 is the sign mask
}

/**
 * Logistic sigmoid on four lanes for the gates of softplus', geluTanh and silu: e = e^-|x| by a
 * lean exp on [-87.33, 0] (the polynomial of simd.ts's exp, one normal scaling 2^n, n >= -126: no
 * subnormal path), s = e / (1 + e), 1 - s for x > 0; 0 (or 1) where |x| > 87.33, where the
 * sigmoid is below 2^-126. NaN stays NaN.
 */
// @ts-ignore: decorator
@inline function gate(x: v128): v128 {
  const ax = f32x4.abs(x);
  const zc = f32x4.pmax(f32x4.neg(ax), f32x4.splat(-87.33654));
  const t = f32x4.add(f32x4.mul(zc, f32x4.splat(LOG2E)), f32x4.splat(MAGIC));
  const n = f32x4.sub(t, f32x4.splat(MAGIC));
  let r = f32x4.sub(zc, f32x4.mul(n, f32x4.splat(LN2_C1)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_C2)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1.0));
  const e = f32x4.mul(p, i32x4.shl(i32x4.add(i32x4.sub(t, f32x4.splat(MAGIC)), i32x4.splat(127)), 23));
  let s = f32x4.div(e, f32x4.add(e, f32x4.splat(1.0)));
  s = v128.andnot(s, f32x4.gt(ax, f32x4.splat(87.33654)));
  return v128.bitselect(f32x4.sub(f32x4.splat(1.0), s), s, f32x4.gt(x, f32x4.splat(0.0)));
}

// a·b, except ±0 (the sign of a) where b == 0: the limit where b underflowed against an infinite a.
// @ts-ignore: decorator
@inline function mulLimit(a: v128, b: v128): v128 {
  return v128.bitselect(v128.and(a, f32x4.splat(-0.0)), f32x4.mul(a, b), f32x4.eq(b, f32x4.splat(0.0)));
}

// sigmoid(2·√(2/π)·(x + 0.044715·x³)): geluTanh's gate.
// @ts-ignore: decorator
@inline function geluTanhGate(x: v128): v128 {
  const x3 = f32x4.mul(f32x4.mul(x, x), x);
  const u = f32x4.add(x, f32x4.mul(f32x4.splat(0.044715), x3));
  return gate(f32x4.mul(f32x4.splat(TWO_SQRT_2_OVER_PI), u));
}

/** The value of op (a constant: SIGN .. SILU) on four lanes. */
// @ts-ignore: decorator
@inline function mathOp(op: i32, x: v128, alpha: f32): v128 {
  const zero = f32x4.splat(0.0);
  const one = f32x4.splat(1.0);
  if (op == SIGN) {
    return v128.or(v128.and(f32x4.gt(x, zero), one), v128.and(f32x4.lt(x, zero), f32x4.splat(-1.0)));
  }
  if (op == FLOOR) return f32x4.floor(x);
  if (op == CEIL) return f32x4.ceil(x);
  if (op == ROUND) return f32x4.nearest(x);
  if (op == RECIPROCAL) return f32x4.div(one, x);
  if (op == RSQRT) return f32x4.div(one, f32x4.sqrt(x));
  if (op == LOG1P) return f32x4_log1p(x);
  if (op == EXPM1) return f32x4_expm1(x);
  if (op == SIN || op == COS || op == TAN) return f32x4_trig(op, x);
  if (op == ERF) return f32x4_erf(x);
  if (op == SOFTPLUS) {
    return f32x4.add(f32x4.pmax(x, zero), f32x4_log1p(f32x4_exp(f32x4.neg(f32x4.abs(x)))));
  }
  if (op == ELU) return v128.bitselect(x, f32x4.mul(f32x4.splat(alpha), f32x4_expm1(x)), f32x4.gt(x, zero));
  if (op == SELU) {
    const neg = f32x4.mul(f32x4.splat(SELU_SCALE_ALPHA), f32x4_expm1(x));
    return v128.bitselect(f32x4.mul(f32x4.splat(SELU_SCALE), x), neg, f32x4.gt(x, zero));
  }
  if (op == LEAKY_RELU) return v128.bitselect(x, f32x4.mul(f32x4.splat(alpha), x), f32x4.gt(x, zero));
  if (op == GELU) {
    const h = f32x4.add(one, f32x4_erf(f32x4.mul(x, f32x4.splat(SQRT1_2))));
    return mulLimit(f32x4.mul(x, f32x4.splat(0.5)), h);
  }
  if (op == GELU_TANH) return mulLimit(x, geluTanhGate(x));
  return mulLimit(x, gate(x)); // SILU
}

/** dy·op'(x) (op a constant: RECIPROCAL .. SILU) on four lanes. */
// @ts-ignore: decorator
@inline function mathGrad(op: i32, dy: v128, x: v128, alpha: f32): v128 {
  const zero = f32x4.splat(0.0);
  const one = f32x4.splat(1.0);
  if (op == RECIPROCAL) {
    const r = f32x4.div(one, x);
    return f32x4.neg(f32x4.mul(dy, f32x4.mul(r, r)));
  }
  if (op == RSQRT) {
    const r = f32x4.div(one, f32x4.sqrt(x));
    return f32x4.mul(dy, f32x4.mul(f32x4.splat(-0.5), f32x4.mul(r, f32x4.mul(r, r))));
  }
  if (op == LOG1P) return f32x4.div(dy, f32x4.add(one, x));
  if (op == EXPM1) return f32x4.mul(dy, f32x4_exp(x));
  if (op == SIN) return f32x4.mul(dy, f32x4_trig(COS, x));
  if (op == COS) return f32x4.neg(f32x4.mul(dy, f32x4_trig(SIN, x)));
  if (op == TAN) {
    const c = f32x4_trig(COS, x);
    return f32x4.div(dy, f32x4.mul(c, c));
  }
  if (op == ERF) {
    const e = f32x4_exp(f32x4.neg(f32x4.mul(x, x)));
    return f32x4.mul(dy, f32x4.mul(f32x4.splat(TWO_OVER_SQRT_PI), e));
  }
  if (op == SOFTPLUS) return f32x4.mul(dy, gate(x));
  if (op == ELU || op == SELU) {
    const a = op == ELU ? f32x4.splat(alpha) : f32x4.splat(SELU_SCALE_ALPHA);
    const pos = op == ELU ? one : f32x4.splat(SELU_SCALE);
    const d = v128.bitselect(pos, f32x4.mul(a, f32x4_exp(x)), f32x4.gt(x, zero));
    return f32x4.mul(dy, d);
  }
  if (op == LEAKY_RELU) return f32x4.mul(dy, v128.bitselect(one, f32x4.splat(alpha), f32x4.gt(x, zero)));
  if (op == GELU) {
    const cdf = f32x4.mul(f32x4.splat(0.5), f32x4.add(one, f32x4_erf(f32x4.mul(x, f32x4.splat(SQRT1_2)))));
    const pdf = f32x4.mul(f32x4.splat(INV_SQRT_2PI), f32x4_exp(f32x4.mul(f32x4.splat(-0.5), f32x4.mul(x, x))));
    return f32x4.mul(dy, f32x4.add(cdf, mulLimit(x, pdf)));
  }
  if (op == GELU_TANH) {
    // d/dx x·s(2u) = s + x·s(1 - s)·2u', 2u' = 2·√(2/π)·(1 + 3·0.044715·x²).
    const s = geluTanhGate(x);
    const du = f32x4.mul(f32x4.splat(TWO_SQRT_2_OVER_PI),
      f32x4.add(one, f32x4.mul(f32x4.splat(0.134145), f32x4.mul(x, x))));
    const w = f32x4.mul(f32x4.mul(s, f32x4.sub(one, s)), du);
    return f32x4.mul(dy, f32x4.add(s, mulLimit(x, w)));
  }
  // SILU: s + x·s(1 - s).
  const s = gate(x);
  return f32x4.mul(dy, f32x4.add(s, mulLimit(x, f32x4.mul(s, f32x4.sub(one, s)))));
}

// The ops of one or two instructions per vector (CHEAP) take 8 elements per step first; every op
// then one vector per step, the last one partial (loadN/storeN read and write only the n left).
// The costly ops are thus inlined once per loop, which keeps 19 + 15 specialised loops small
// (measured: an 8-wide body and a separate tail for every op tripled the code, 69 KB, at the same
// speed for them, while floor, sign and leakyRelu ran 2x faster with the 8-wide body).
// @ts-ignore: decorator
@inline function cheap(op: i32): bool {
  return op <= RSQRT || op == LEAKY_RELU;
}

// @ts-ignore: decorator
@inline function mathLoop(op: i32, x: usize, y: usize, alpha: f32, begin: i32, end: i32): void {
  let i = begin;
  if (cheap(op)) {
    for (; i + 8 <= end; i += 8) {
      const p = <usize>i << 2;
      const v0 = v128.load(x + p);
      const v1 = v128.load(x + p, 16);
      v128.store(y + p, mathOp(op, v0, alpha));
      v128.store(y + p, mathOp(op, v1, alpha), 16);
    }
  }
  for (; i < end; i += 4) {
    const p = <usize>i << 2;
    storeN(y + p, mathOp(op, loadN(x + p, end - i), alpha), end - i);
  }
}

// @ts-ignore: decorator
@inline function mathGradLoop(op: i32, dy: usize, x: usize, dx: usize, alpha: f32, begin: i32, end: i32): void {
  let i = begin;
  if (cheap(op)) {
    for (; i + 8 <= end; i += 8) {
      const p = <usize>i << 2;
      const g0 = v128.load(dy + p);
      const g1 = v128.load(dy + p, 16);
      const v0 = v128.load(x + p);
      const v1 = v128.load(x + p, 16);
      v128.store(dx + p, mathGrad(op, g0, v0, alpha));
      v128.store(dx + p, mathGrad(op, g1, v1, alpha), 16);
    }
  }
  for (; i < end; i += 4) {
    const p = <usize>i << 2;
    storeN(dx + p, mathGrad(op, loadN(dy + p, end - i), loadN(x + p, end - i), alpha), end - i);
  }
}

/**
 * y = op(x) over [begin, end) for op in SIGN .. SILU: one loop per op, the op a constant in it.
 */
// @ts-ignore: decorator
@inline export function mathKernel(op: i32, x: usize, y: usize, alpha: f32, begin: i32, end: i32): void {
  assert(op >= SIGN && op <= SILU, "need a unary op code in [9, 27]");
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
  if (op == SIGN) mathLoop(SIGN, x, y, alpha, begin, end);
  else if (op == FLOOR) mathLoop(FLOOR, x, y, alpha, begin, end);
  else if (op == CEIL) mathLoop(CEIL, x, y, alpha, begin, end);
  else if (op == ROUND) mathLoop(ROUND, x, y, alpha, begin, end);
  else if (op == RECIPROCAL) mathLoop(RECIPROCAL, x, y, alpha, begin, end);
  else if (op == RSQRT) mathLoop(RSQRT, x, y, alpha, begin, end);
  else if (op == LOG1P) mathLoop(LOG1P, x, y, alpha, begin, end);
  else if (op == EXPM1) mathLoop(EXPM1, x, y, alpha, begin, end);
  else if (op == SIN) mathLoop(SIN, x, y, alpha, begin, end);
  else if (op == COS) mathLoop(COS, x, y, alpha, begin, end);
  else if (op == TAN) mathLoop(TAN, x, y, alpha, begin, end);
  else if (op == ERF) mathLoop(ERF, x, y, alpha, begin, end);
  else if (op == SOFTPLUS) mathLoop(SOFTPLUS, x, y, alpha, begin, end);
  else if (op == ELU) mathLoop(ELU, x, y, alpha, begin, end);
  else if (op == SELU) mathLoop(SELU, x, y, alpha, begin, end);
  else if (op == LEAKY_RELU) mathLoop(LEAKY_RELU, x, y, alpha, begin, end);
  else if (op == GELU) mathLoop(GELU, x, y, alpha, begin, end);
  else if (op == GELU_TANH) mathLoop(GELU_TANH, x, y, alpha, begin, end);
  else mathLoop(SILU, x, y, alpha, begin, end);
}

/** dx = dy·op'(x) over [begin, end) for op in RECIPROCAL .. SILU, as mathKernel. */
// @ts-ignore: decorator
@inline export function mathGradKernel(
  op: i32, dy: usize, x: usize, dx: usize, alpha: f32, begin: i32, end: i32,
): void {
  assert(op >= RECIPROCAL && op <= SILU, "need a differentiable unary op code in [13, 27]");
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
  if (op == RECIPROCAL) mathGradLoop(RECIPROCAL, dy, x, dx, alpha, begin, end);
  else if (op == RSQRT) mathGradLoop(RSQRT, dy, x, dx, alpha, begin, end);
  else if (op == LOG1P) mathGradLoop(LOG1P, dy, x, dx, alpha, begin, end);
  else if (op == EXPM1) mathGradLoop(EXPM1, dy, x, dx, alpha, begin, end);
  else if (op == SIN) mathGradLoop(SIN, dy, x, dx, alpha, begin, end);
  else if (op == COS) mathGradLoop(COS, dy, x, dx, alpha, begin, end);
  else if (op == TAN) mathGradLoop(TAN, dy, x, dx, alpha, begin, end);
  else if (op == ERF) mathGradLoop(ERF, dy, x, dx, alpha, begin, end);
  else if (op == SOFTPLUS) mathGradLoop(SOFTPLUS, dy, x, dx, alpha, begin, end);
  else if (op == ELU) mathGradLoop(ELU, dy, x, dx, alpha, begin, end);
  else if (op == SELU) mathGradLoop(SELU, dy, x, dx, alpha, begin, end);
  else if (op == LEAKY_RELU) mathGradLoop(LEAKY_RELU, dy, x, dx, alpha, begin, end);
  else if (op == GELU) mathGradLoop(GELU, dy, x, dx, alpha, begin, end);
  else if (op == GELU_TANH) mathGradLoop(GELU_TANH, dy, x, dx, alpha, begin, end);
  else mathGradLoop(SILU, dy, x, dx, alpha, begin, end);
}
