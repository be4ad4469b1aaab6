/**
 * f32x4 math helpers, `@inline` so they cost no call: exp, log, sigmoid, tanh on four lanes,
 * fixed-order horizontal sum/max, and the GEMM's multiply-add. Used by elementwise.ts, reduce.ts
 * and gemm.ts.
 *
 * `madd` is the one relaxed-SIMD helper (below). The others are lane-wise and deterministic (no
 * relaxed SIMD, no FMA), so a kernel that feeds its scalar
 * tail through the same helper (`f32x4.splat` in, lane 0 out) gives each element the same bits
 * whatever SIMD/tail path it took, hence whatever [begin, end) split the threads chose.
 *
 * Algorithms (Cephes single precision, vectorised as in XNNPACK):
 *   exp      n = round(x·log2 e) (magic bias), r = x - n·ln2 (Cody-Waite, ln2 = C1 + C2 with n·C1 exact),
 *            e^r by Cephes' degree-5 polynomial, then ·2^n applied as two normal factors
 *            2^(n>>1)·2^(n - n>>1); results in the subnormal range are built as integers
 *            (one rounding, and no subnormal-producing multiply, which x86 runs ~20x slower).
 *            x is clamped to [-104, 89] first (pmin/pmax keep NaN): exp(x > 88.72...) = +inf,
 *            exp(x < -103.97...) = 0, exp(-inf) = 0, exp(+inf) = +inf, exp(NaN) = NaN.
 *   log      x = m·2^e with m in [sqrt(1/2), sqrt 2) (subnormals pre-scaled by 2^23), Cephes'
 *            degree-9 polynomial in m - 1, e·ln2 added in two parts. log(±0) = -inf,
 *            log(x < 0) = NaN, log(+inf) = +inf, log(NaN) = NaN.
 *   sigmoid  e = exp(-|x|), s = e / (1 + e); result s for x <= 0 and 1 - s for x > 0, so no
 *            overflow and no cancellation on the small side: sigmoid(-100) = 3.7e-44 (subnormal),
 *            sigmoid(-104.5) = 0, sigmoid(100) = 1, sigmoid(±inf) = 1 / 0, NaN -> NaN.
 *   tanh     |x| < 0.625: Cephes' odd polynomial x + x·z·P(z), z = x² (relative accuracy near 0,
 *            tanh(1e-30) = 1e-30); otherwise 1 - 2 / (exp(2|x|) + 1), which saturates to exactly
 *            1 (no inf/inf). The sign is copied from x, so tanh(-0) = -0, tanh(±inf) = ±1.
 *
 * Accuracy against float64 Math.exp/log/tanh and 1/(1+exp(-x)), measured over 2^28 inputs (every
 * 16th f32 bit pattern, so all exponents, both signs, subnormals, inf and NaN) plus 2^24 uniform
 * samples in [-20, 20]; errors in units of the f32 spacing at the exact result (2^-149 below
 * 2^-126); overflow, underflow and the special values all matched Math exactly:
 *   exp      max 0.98 ulp   (all 2.5M inputs in [-105, -86], the subnormal results: max 0.81)
 *   log      max 0.83 ulp   (subnormal inputs included)
 *   sigmoid  max 2.40 ulp   (s = e / (1 + e): exp's error plus two roundings)
 *   tanh     max 1.32 ulp   (worst just above the 0.625 switch to the exp branch)
 * tests/kernels/elementwise_test.ts asserts exp, log, tanh within 2 ulp and sigmoid within 3.
 */

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// ln 2 = C1 + C2 with C1 = 355/512 exact in 9 bits, so n·C1 is exact for |n| <= 2^15.
// @ts-ignore: decorator
@inline const LN2_C1: f32 = 0.693359375;
// @ts-ignore: decorator
@inline const LN2_C2: f32 = -2.12194440e-4;
// 1.5·2^23: f32 values near it are spaced exactly 1 apart.
// @ts-ignore: decorator
@inline const MAGIC: f32 = 12582912.0;

/**
 * a·b + c on four lanes. In the release builds (relaxed SIMD enabled) one f32x4.relaxed_madd,
 * which V8 runs as one fused vfmadd where the CPU has FMA (one rounding) and as mul + add where it
 * has not (two): the same bits for the same inputs on one machine, so splitting work between
 * threads changes nothing, but not necessarily the same bits on another machine. In the portable
 * build (for engines without relaxed SIMD) always mul + add. Half the FP instructions of mul + add:
 * whole GEMMs measured 1.22-1.30x faster with it while the host is loaded, about equal when it is
 * quiet, and it is what lets the 6x8 tile win (see the header of gemm.ts).
 */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** e^x on four lanes (see header: clamped range, two-step scaling, specials like Math.exp). */
// @ts-ignore: decorator
@inline export function f32x4_exp(x: v128): v128 {
  // pmin(a, b) = b < a ? b : a and pmax(a, b) = a < b ? b : a return `a` when a is NaN.
  let xc = f32x4.pmin(x, f32x4.splat(89.0));
  xc = f32x4.pmax(xc, f32x4.splat(-104.0));
  // n = round(x·log2 e) by the magic-bias trick: adding 1.5·2^23 rounds to an integer (ties to
  // even) that then sits in z's low mantissa bits, so z's bits minus the magic's bits are n as i32.
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
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1.0));
  // n in [-150, 129]. Normal results: p·2^n as two normal factors 2^(n>>1)·2^(n - n>>1), n
  // floored at -126 so that no lane ever makes a subnormal by multiplication (x86 runs those
  // through a microcode assist, ~20x slower). Results below 2^-126 (n <= -127) are built as
  // integers instead: p·2^(n+149) < 2^23 is exact, adding 2^23 rounds it to an integer (ties to
  // even, the one rounding), and that integer m is the bit pattern of the subnormal m·2^-149.
  const ni = i32x4.sub(z, f32x4.splat(MAGIC));
  // (A NaN x has a NaN z whose bits can look like a very negative n: keep it on the normal path.)
  const sub = v128.and(i32x4.lt_s(ni, i32x4.splat(-126)), f32x4.eq(xc, xc));
  const nn = i32x4.max_s(ni, i32x4.splat(-126));
  const n1 = i32x4.shr_s(nn, 1);
  const n2 = i32x4.sub(nn, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  const normal = f32x4.mul(f32x4.mul(v128.bitselect(f32x4.splat(1.0), p, sub), s1), s2);
  const k = i32x4.add(i32x4.min_s(ni, i32x4.splat(-127)), i32x4.splat(149 + 127));
  const t = f32x4.add(f32x4.mul(p, i32x4.shl(k, 23)), f32x4.splat(8388608.0));
  return v128.bitselect(i32x4.sub(t, f32x4.splat(8388608.0)), normal, sub);
}

/** Natural logarithm on four lanes (see header for the special values). */
// @ts-ignore: decorator
@inline export function f32x4_log(x: v128): v128 {
  // Subnormal (and non-positive, fixed up below) inputs: scale by 2^23 to get a normal mantissa.
  const tiny = f32x4.lt(x, f32x4.splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(8388608.0)), x, tiny);
  // x = m·2^e with m in [0.5, 1).
  let e = i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(tiny, i32x4.splat(23)));
  let m = v128.or(v128.and(xs, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  // Move m into [sqrt(1/2), sqrt 2): where m < sqrt(1/2), m = 2m and e -= 1 (the mask is -1).
  const low = f32x4.lt(m, f32x4.splat(0.707106781186547524));
  e = i32x4.add(e, low);
  m = f32x4.sub(f32x4.add(m, v128.and(m, low)), f32x4.splat(1.0));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(m, m);
  let p = f32x4.splat(7.0376836292e-2);
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(-1.1514610310e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(1.1676998740e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(-1.2420140846e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(1.4249322787e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(-1.6668057665e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(2.0000714765e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(-2.4999993993e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(3.3333331174e-1));
  let y = f32x4.mul(f32x4.mul(p, m), z);
  y = f32x4.add(y, f32x4.mul(fe, f32x4.splat(LN2_C2)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  let r = f32x4.add(m, y);
  r = f32x4.add(r, f32x4.mul(fe, f32x4.splat(LN2_C1)));
  r = v128.bitselect(f32x4.splat(Infinity), r, f32x4.eq(x, f32x4.splat(Infinity)));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0.0)));
  // !(x >= 0) is true for negative x and for NaN.
  return v128.bitselect(f32x4.splat(NaN), r, v128.not(f32x4.ge(x, f32x4.splat(0.0))));
}

/** Logistic sigmoid 1 / (1 + e^-x) on four lanes, from exp(-|x|) (no overflow, see header). */
// @ts-ignore: decorator
@inline export function f32x4_sigmoid(x: v128): v128 {
  const e = f32x4_exp(f32x4.neg(f32x4.abs(x)));
  // Below 2^-30, e / (1 + e) is exactly e; dividing a subnormal e would take a slow assist.
  const tiny = f32x4.lt(e, f32x4.splat(9.313225746154785e-10));
  const es = v128.bitselect(f32x4.splat(1.0), e, tiny);
  const s = v128.bitselect(e, f32x4.div(es, f32x4.add(es, f32x4.splat(1.0))), tiny);
  return v128.bitselect(f32x4.sub(f32x4.splat(1.0), s), s, f32x4.gt(x, f32x4.splat(0.0)));
}

/** Hyperbolic tangent on four lanes (odd polynomial near 0, exp-based above, sign of x). */
// @ts-ignore: decorator
@inline export function f32x4_tanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(ax, ax);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), ax), ax);
  const e = f32x4_exp(f32x4.add(ax, ax));
  const large = f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
  const r = v128.bitselect(small, large, f32x4.lt(ax, f32x4.splat(0.625)));
  return v128.or(r, v128.and(x, f32x4.splat(-0.0)));  // -0.0 is the sign mask
}

/** (l0 + l1) + (l2 + l3): the fixed order every horizontal sum uses. */
// @ts-ignore: decorator
@inline export function f32x4_hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** max(max(l0, l1), max(l2, l3)) with wasm's NaN-propagating max. */
// @ts-ignore: decorator
@inline export function f32x4_hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)),
    max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/** Loads the first n floats at p (n <= 0: zeros; n >= 4: all four), reading nothing past them. */
// @ts-ignore: decorator
@inline export function loadN(p: usize, n: i32): v128 {
  if (n >= 4) return v128.load(p);
  if (n == 3) return v128.load32_lane(p, v128.load64_zero(p), 2, 8);
  if (n == 2) return v128.load64_zero(p);
  if (n == 1) return v128.load32_zero(p);
  return f32x4.splat(0);
}

/** Stores the first n lanes of v at p (n <= 0: none; n >= 4: all four). */
// @ts-ignore: decorator
@inline export function storeN(p: usize, v: v128, n: i32): void {
  if (n <= 0) return;
  if (n >= 4) {
    v128.store(p, v);
    return;
  }
  if (n & 2) {
    v128.store64_lane(p, v, 0);
    v = f32x4.shuffle(v, v, 2, 3, 2, 3);
    p += 8;
  }
  if (n & 1) v128.store32_lane(p, v, 0);
}
