/**
 * f32 optimizer updates (SGD with momentum, Adam, RMSprop) and the gradient-clipping helpers
 * (clip by value, sum of squares for clip-by-norm, scale, axpy).
 *
 * Layout: contiguous f32 arrays of one parameter tensor and its state, same length; pointers are
 * byte offsets, indices in elements. Hyperparameters arrive as f32, as in Keras (float32
 * variables).
 * Work range: every kernel reads and writes elements [begin, end) only, in place. An element's
 * result never depends on the range: the 8-wide body, the 4-wide body and the tail run the same
 * lane-wise f32x4 code (the tail as lane 0 of a splat, so even sqrt and division are the same
 * instruction), without fma, so a threaded split is bitwise equal to one call.
 *
 * Semantics (Keras 3 `keras/optimizers/{sgd,adam,rmsprop}.py`; g is the gradient):
 *   f32_sgd_step      momentum != 0:  v = momentum·v - lr·g;  w += v
 *                                     nesterov: v as above;   w += momentum·v - lr·g
 *                     momentum == 0:  w -= lr·g  (v is neither read nor written and may be 0;
 *                                     nesterov has no effect, as in Keras)
 *   f32_adam_step     m = b1·m + (1 - b1)·g;  v = b2·v + (1 - b2)·g²
 *                     w -= lrT·m / (sqrt(v) + eps)
 *                     with lrT = lr·sqrt(1 - b2^t) / (1 - b1^t) folded in by the caller (Keras'
 *                     alpha; eps outside the sqrt, so it is Kingma & Ba's eps-hat, not TF.js's eps)
 *   f32_rmsprop_step  ms = rho·ms + (1 - rho)·g²;  w -= lr·g / (sqrt(ms) + eps)
 *                     (Keras RMSprop with momentum = 0, centered = false)
 *   f32_clip          y = min(max(x, lo), hi) as pmin(pmax(x, lo), hi): NaN stays NaN
 *   f32_sum_squares   sum of x² over [begin, end), returned as f64
 *   f32_scale         y = x·s          f32_axpy   y += a·x
 * Every product is rounded before the following add (no fma); 1 - b1, 1 - b2, 1 - rho are rounded
 * to f32 once per call.
 *
 * f32_sum_squares squares in f64 (exact: 24-bit significands) and sums in four f64x2 accumulators,
 * lane j of acc01..acc67 taking elements begin + j, begin + j + 8, ...; the 4-wide step adds to
 * acc01 and acc23; then ((acc01 + acc45) + (acc23 + acc67)), lane 0 + lane 1, then the tail in
 * order. The result is a fixed function of the values and of begin/end (no data-dependent
 * order), within (n - 1)·2^-53·sum of the exact sum. A threaded clip-by-norm sums fixed chunks
 * and combines their results in chunk order.
 *
 * Preconditions (asserted in the debug build): 0 <= begin <= end; pointers non-zero (except v of
 * SGD when momentum == 0); lo <= hi for f32_clip. Outputs may equal an input exactly (in place);
 * partial overlap, and state arrays aliasing w or g, are not allowed.
 *
 * Loop shape (STYLE C3): 8 elements (two v128) per step, then one v128, then a lane tail.
 *
 * Tested against tests/_reference/optim.ts (float64 loops) by tests/kernels/optim_test.ts.
 */

// Lanes per step of the shared step functions: one v128, or lane 0 of a splat (the tail).
// @ts-ignore: decorator
@inline const VEC = 4;
// @ts-ignore: decorator
@inline const LANE = 1;

// @ts-ignore: decorator
@inline function ld(lanes: i32, a: usize): v128 {
  return lanes == VEC ? v128.load(a) : f32x4.splat(load<f32>(a));
}

// @ts-ignore: decorator
@inline function st(lanes: i32, a: usize, v: v128): void {
  if (lanes == VEC) v128.store(a, v);
  else store<f32>(a, f32x4.extract_lane(v, 0));
}

// @ts-ignore: decorator
@inline function checkRange(begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
}

// SGD. momentum == 0 passes v = 0 and never touches it.
// @ts-ignore: decorator
@inline function sgdStep(
  lanes: i32, w: usize, g: usize, v: usize, p: usize, lr: v128, mom: v128, hasMomentum: bool, nesterov: bool,
): void {
  const lrg = f32x4.mul(lr, ld(lanes, g + p));
  if (!hasMomentum) {
    st(lanes, w + p, f32x4.sub(ld(lanes, w + p), lrg));
    return;
  }
  const vNew = f32x4.sub(f32x4.mul(mom, ld(lanes, v + p)), lrg);
  st(lanes, v + p, vNew);
  const dw = nesterov ? f32x4.sub(f32x4.mul(mom, vNew), lrg) : vNew;
  st(lanes, w + p, f32x4.add(ld(lanes, w + p), dw));
}

// @ts-ignore: decorator
@inline function sgdLoop(
  w: usize, g: usize, v: usize, lr: f32, momentum: f32, hasMomentum: bool, nesterov: bool, begin: i32, end: i32,
): void {
  const vlr = f32x4.splat(lr);
  const vmom = f32x4.splat(momentum);
  let i = begin;
  for (; i + 8 <= end; i += 8) {
    const p = <usize>i << 2;
    sgdStep(VEC, w, g, v, p, vlr, vmom, hasMomentum, nesterov);
    sgdStep(VEC, w, g, v, p + 16, vlr, vmom, hasMomentum, nesterov);
  }
  if (i + 4 <= end) {
    sgdStep(VEC, w, g, v, <usize>i << 2, vlr, vmom, hasMomentum, nesterov);
    i += 4;
  }
  for (; i < end; i++) sgdStep(LANE, w, g, v, <usize>i << 2, vlr, vmom, hasMomentum, nesterov);
}

/** SGD (Keras): v = momentum·v - lr·g; w += v, or w += momentum·v - lr·g when nesterov != 0. */
export function f32_sgd_step(
  w: usize, g: usize, v: usize, lr: f32, momentum: f32, nesterov: i32, begin: i32, end: i32,
): void {
  checkRange(begin, end);
  assert(w != 0 && g != 0 && (momentum == 0 || v != 0), "need non-null w, g (and v when momentum != 0)");
  // One specialised loop per branch: the flags are constants inside each call.
  if (momentum == 0) sgdLoop(w, g, 0, lr, momentum, false, false, begin, end);
  else if (nesterov != 0) sgdLoop(w, g, v, lr, momentum, true, true, begin, end);
  else sgdLoop(w, g, v, lr, momentum, true, false, begin, end);
}

// @ts-ignore: decorator
@inline function adamStep(
  lanes: i32, w: usize, g: usize, m: usize, v: usize, p: usize,
  lrT: v128, b1: v128, c1: v128, b2: v128, c2: v128, eps: v128,
): void {
  const gv = ld(lanes, g + p);
  const mNew = f32x4.add(f32x4.mul(b1, ld(lanes, m + p)), f32x4.mul(c1, gv));
  const vNew = f32x4.add(f32x4.mul(b2, ld(lanes, v + p)), f32x4.mul(c2, f32x4.mul(gv, gv)));
  st(lanes, m + p, mNew);
  st(lanes, v + p, vNew);
  const dw = f32x4.div(f32x4.mul(lrT, mNew), f32x4.add(f32x4.sqrt(vNew), eps));
  st(lanes, w + p, f32x4.sub(ld(lanes, w + p), dw));
}

/** Adam (Keras): m, v moments; w -= lrT·m / (sqrt(v) + eps), bias correction folded into lrT. */
export function f32_adam_step(
  w: usize, g: usize, m: usize, v: usize, lrT: f32, beta1: f32, beta2: f32, eps: f32, begin: i32, end: i32,
): void {
  checkRange(begin, end);
  assert(w != 0 && g != 0 && m != 0 && v != 0, "need non-null w, g, m, v");
  const vlr = f32x4.splat(lrT);
  const b1 = f32x4.splat(beta1);
  const c1 = f32x4.splat(<f32>1 - beta1);
  const b2 = f32x4.splat(beta2);
  const c2 = f32x4.splat(<f32>1 - beta2);
  const ve = f32x4.splat(eps);
  let i = begin;
  for (; i + 8 <= end; i += 8) {
    const p = <usize>i << 2;
    adamStep(VEC, w, g, m, v, p, vlr, b1, c1, b2, c2, ve);
    adamStep(VEC, w, g, m, v, p + 16, vlr, b1, c1, b2, c2, ve);
  }
  if (i + 4 <= end) {
    adamStep(VEC, w, g, m, v, <usize>i << 2, vlr, b1, c1, b2, c2, ve);
    i += 4;
  }
  for (; i < end; i++) adamStep(LANE, w, g, m, v, <usize>i << 2, vlr, b1, c1, b2, c2, ve);
}

// @ts-ignore: decorator
@inline function rmspropStep(
  lanes: i32, w: usize, g: usize, ms: usize, p: usize, lr: v128, rho: v128, c: v128, eps: v128,
): void {
  const gv = ld(lanes, g + p);
  const msNew = f32x4.add(f32x4.mul(rho, ld(lanes, ms + p)), f32x4.mul(c, f32x4.mul(gv, gv)));
  st(lanes, ms + p, msNew);
  const dw = f32x4.div(f32x4.mul(lr, gv), f32x4.add(f32x4.sqrt(msNew), eps));
  st(lanes, w + p, f32x4.sub(ld(lanes, w + p), dw));
}

/** RMSprop (Keras, no momentum, not centered): ms = rho·ms + (1 - rho)·g²; w -= lr·g / (sqrt(ms) + eps). */
export function f32_rmsprop_step(
  w: usize, g: usize, ms: usize, lr: f32, rho: f32, eps: f32, begin: i32, end: i32,
): void {
  checkRange(begin, end);
  assert(w != 0 && g != 0 && ms != 0, "need non-null w, g, ms");
  const vlr = f32x4.splat(lr);
  const vrho = f32x4.splat(rho);
  const c = f32x4.splat(<f32>1 - rho);
  const ve = f32x4.splat(eps);
  let i = begin;
  for (; i + 8 <= end; i += 8) {
    const p = <usize>i << 2;
    rmspropStep(VEC, w, g, ms, p, vlr, vrho, c, ve);
    rmspropStep(VEC, w, g, ms, p + 16, vlr, vrho, c, ve);
  }
  if (i + 4 <= end) {
    rmspropStep(VEC, w, g, ms, <usize>i << 2, vlr, vrho, c, ve);
    i += 4;
  }
  for (; i < end; i++) rmspropStep(LANE, w, g, ms, <usize>i << 2, vlr, vrho, c, ve);
}

// y = min(max(x, lo), hi). pmax(x, lo) = x < lo ? lo : x and pmin(t, hi) = hi < t ? hi : t, so a
// NaN x falls through both comparisons and stays NaN (operand order chosen on purpose).
// @ts-ignore: decorator
@inline function clipStep(lanes: i32, x: usize, y: usize, p: usize, lo: v128, hi: v128): void {
  st(lanes, y + p, f32x4.pmin(f32x4.pmax(ld(lanes, x + p), lo), hi));
}

/** y = min(max(x, lo), hi), NaN kept (clip by value). Needs lo <= hi. */
export function f32_clip(x: usize, y: usize, lo: f32, hi: f32, begin: i32, end: i32): void {
  checkRange(begin, end);
  assert(x != 0 && y != 0 && lo <= hi, "need non-null x, y and lo <= hi");
  const vlo = f32x4.splat(lo);
  const vhi = f32x4.splat(hi);
  let i = begin;
  for (; i + 8 <= end; i += 8) {
    const p = <usize>i << 2;
    clipStep(VEC, x, y, p, vlo, vhi);
    clipStep(VEC, x, y, p + 16, vlo, vhi);
  }
  if (i + 4 <= end) {
    clipStep(VEC, x, y, <usize>i << 2, vlo, vhi);
    i += 4;
  }
  for (; i < end; i++) clipStep(LANE, x, y, <usize>i << 2, vlo, vhi);
}

// Two floats at a, widened to f64 and squared (exact).
// @ts-ignore: decorator
@inline function squares2(a: usize): v128 {
  const d = f64x2.promote_low_f32x4(v128.load64_zero(a));
  return f64x2.mul(d, d);
}

/** Sum of x² over [begin, end) in f64, in the fixed order of the header (for clip by norm). */
export function f32_sum_squares(x: usize, begin: i32, end: i32): f64 {
  checkRange(begin, end);
  assert(x != 0, "need non-null x");
  let acc01 = f64x2.splat(0);
  let acc23 = acc01;
  let acc45 = acc01;
  let acc67 = acc01;
  let i = begin;
  for (; i + 8 <= end; i += 8) {
    const a = x + (<usize>i << 2);
    acc01 = f64x2.add(acc01, squares2(a));
    acc23 = f64x2.add(acc23, squares2(a + 8));
    acc45 = f64x2.add(acc45, squares2(a + 16));
    acc67 = f64x2.add(acc67, squares2(a + 24));
  }
  if (i + 4 <= end) {
    const a = x + (<usize>i << 2);
    acc01 = f64x2.add(acc01, squares2(a));
    acc23 = f64x2.add(acc23, squares2(a + 8));
    i += 4;
  }
  const acc = f64x2.add(f64x2.add(acc01, acc45), f64x2.add(acc23, acc67));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < end; i++) {
    const xi = <f64>load<f32>(x + (<usize>i << 2));
    s += xi * xi;
  }
  return s;
}

// @ts-ignore: decorator
@inline function scaleStep(lanes: i32, x: usize, y: usize, p: usize, s: v128): void {
  st(lanes, y + p, f32x4.mul(ld(lanes, x + p), s));
}

/** y = x·s (clip-by-norm rescale, decoupled weight decay). */
export function f32_scale(x: usize, y: usize, s: f32, begin: i32, end: i32): void {
  checkRange(begin, end);
  assert(x != 0 && y != 0, "need non-null x, y");
  const vs = f32x4.splat(s);
  let i = begin;
  for (; i + 8 <= end; i += 8) {
    const p = <usize>i << 2;
    scaleStep(VEC, x, y, p, vs);
    scaleStep(VEC, x, y, p + 16, vs);
  }
  if (i + 4 <= end) {
    scaleStep(VEC, x, y, <usize>i << 2, vs);
    i += 4;
  }
  for (; i < end; i++) scaleStep(LANE, x, y, <usize>i << 2, vs);
}

// @ts-ignore: decorator
@inline function axpyStep(lanes: i32, x: usize, y: usize, p: usize, a: v128): void {
  st(lanes, y + p, f32x4.add(ld(lanes, y + p), f32x4.mul(a, ld(lanes, x + p))));
}

/** y += a·x (gradient accumulation, L2 regularisation: grad += 2·l2·w). */
export function f32_axpy(x: usize, y: usize, a: f32, begin: i32, end: i32): void {
  checkRange(begin, end);
  assert(x != 0 && y != 0, "need non-null x, y");
  const va = f32x4.splat(a);
  let i = begin;
  for (; i + 8 <= end; i += 8) {
    const p = <usize>i << 2;
    axpyStep(VEC, x, y, p, va);
    axpyStep(VEC, x, y, p + 16, va);
  }
  if (i + 4 <= end) {
    axpyStep(VEC, x, y, <usize>i << 2, va);
    i += 4;
  }
  for (; i < end; i++) axpyStep(LANE, x, y, <usize>i << 2, va);
}
