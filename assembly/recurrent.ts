/**
 * f32 recurrent-cell kernels: the fused gate math of one time step of an LSTM, a GRU and a simple
 * RNN, forward and backward, plus the batch-major <-> time-major sequence copies the recurrent ops
 * run on. The matrix products (x·W for all steps at once, h·U per step) are GEMMs done by the
 * caller; these kernels do everything elementwise in between.
 *
 * Layout. Every per-step buffer is row-major and contiguous: one row per batch item, `units`
 * columns (h, c, dh, dc) or `k·units` columns made of k gate blocks of `units` each (Keras order):
 *   LSTM  4 blocks  i, f, c (candidate, "g" below), o
 *   GRU   3 blocks  z (update), r (reset), h (candidate), Keras reset_after = True
 * Pointers are byte offsets, sizes in elements. The sequence copies move rows of `inner` floats.
 *
 * Work range: batch rows [begin, end) of every buffer, nothing else is read or written. Within a
 * row, units run 8 at a time (two v128), then 4, then a scalar tail that runs the same f32x4 code
 * on a splat (lane 0 kept), so an element's bits never depend on the split or on the unit count.
 * Activations are XNNPACK's f32 algorithms (wasmsimd), cheaper than simd.ts's general
 * sigmoid/tanh and accurate enough for gates: sigmoid rr2-p5-div (`sigmoidGate`, <= 3.6 ulp, 0
 * below x = -87.34) and tanh rational-9-6 (`tanhGate`, absolute error <= 5.6e-7, <= 9.3 ulp);
 * together they take ~0.55x the time of the simd.ts algorithms in the LSTM step. Backward kernels
 * recompute tanh(c) from the saved c with the same function, so they see the forward's exact
 * value.
 *
 * Forward equations (per row, per unit j; x·W + b and h·U arrive as xw and hu):
 *   LSTM  i = σ(xw_i + hu_i)  f = σ(xw_f + hu_f)  g = tanh(xw_c + hu_c)  o = σ(xw_o + hu_o)
 *         c = f·cPrev + i·g   h = o·tanh(c)       saved: gates = [i, f, g, o]
 *   GRU   z = σ(xw_z + hu_z)  r = σ(xw_r + hu_r)  ĥ = tanh(xw_h + r·hu_h)   (hu includes the
 *         h = z·hPrev + (1 - z)·ĥ                 recurrent bias)  saved: [z, r, ĥ, hu_h]
 *   RNN   h = act(xw + hu), act in {linear, relu, sigmoid, tanh}
 * Backward kernels take the total dh of the step (from the output and from step t + 1) and
 * produce the preactivation gradients; see each function.
 *
 * Aliasing: LSTM c may equal cPrev and gates may equal xw (in place), and the LSTM backward
 * updates dc in place (dc_next in, dc_prev out); no other buffers may overlap. Preconditions are
 * assert()s (debug build only).
 * Tested against the float64 equations in tests/_reference/recurrent.ts (tests/kernels/recurrent_test.ts).
 */

import { madd } from "./simd";

// σ(x) = e / (1 + e) with e = exp(-|x|), mirrored to 1 - σ(-x) for x >= 0: XNNPACK's f32 sigmoid
// (f32-vsigmoid rr2-p5-div). exp(-z) = 2^n·e^t with n = round(-z·log2 e) (magic-bias trick: the
// bias 0x1.8000FEp23 also holds the exponent's +127, so n's low bits shifted left 23 are 2^n),
// t = -z - n·ln 2 in two steps (Cody-Waite) and e^t = 1 + t·p(t), p of degree 4 (minimax). ~25
// operations where simd.ts's f32x4_sigmoid takes ~35. Against float64 1 / (1 + e^-x), measured as
// for tanhGate below: <= 3.6 ulp (worst near x = -2) wherever σ(x) is a normal f32; results below
// the normal range are flushed: σ(x) = 0 for x < -87.34. NaN propagates (every step keeps it);
// σ(+inf) = 1, σ(-inf) = 0. The constants are XNNPACK's hex floats written in decimal. The
// multiply-adds are simd.ts's `madd` (fused in the release builds: the gate kernel 8% faster,
// max 3.40 ulp over 2^26 inputs against 3.48 unfused); tanhGate keeps mul + add, whose
// non-FMA coefficients reach exactly ±1 at the clamp only when unfused.
// @ts-ignore: decorator
@inline function sigmoidGate(x: v128): v128 {
  const z = f32x4.abs(x);
  let n = madd(z, f32x4.splat(-1.4426950216293335), f32x4.splat(12583039.0));
  const s = i32x4.shl(n, 23);
  n = f32x4.sub(n, f32x4.splat(12583039.0));
  let t = madd(n, f32x4.splat(0.693145751953125), z);
  t = madd(n, f32x4.splat(1.428606765330187e-6), t);
  let p = f32x4.splat(-0.008289290592074394);
  p = madd(t, p, f32x4.splat(0.04189782217144966));
  p = madd(t, p, f32x4.splat(-0.16667652130126953));
  p = madd(t, p, f32x4.splat(0.4999915063381195));
  p = madd(t, p, f32x4.splat(-0.9999997019767761));
  const e = madd(f32x4.mul(t, s), p, s);
  const tiny = f32x4.gt(z, f32x4.splat(87.33654022216797));
  const f = v128.andnot(f32x4.div(e, f32x4.add(e, f32x4.splat(1.0))), tiny);
  return v128.bitselect(f, f32x4.sub(f32x4.splat(1.0), f), i32x4.shr_s(x, 31));
}

// tanh as a rational function, x·P(x²) / Q(x²) with P of degree 4 and Q of degree 3 (9/6 in x),
// on x clamped to ±7.623543739319, where it first returns exactly ±1: XNNPACK's f32 tanh
// (f32-vtanh rational-9-6, the coefficients of its non-FMA build). One division and 17 other
// operations, where simd.ts's f32x4_tanh runs both an odd polynomial and an exp (~50): the LSTM
// step's gate math takes ~0.6x the time. Against float64 Math.tanh over every 7th f32 bit
// pattern: absolute error <= 5.6e-7 (worst near |x| = 6.7, where tanh ≈ 1 - 3e-6), 9.3 ulp;
// relative accuracy kept near 0 (<= 6 ulp down to |x| = 1e-35, below which p·x is subnormal).
// tanh(±0) = ±0, tanh(±inf) = ±1, and NaN propagates (pmin/pmax keep a NaN first operand).
// @ts-ignore: decorator
@inline function tanhGate(x: v128): v128 {
  const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(7.623543739319)), f32x4.splat(-7.623543739319));
  const z = f32x4.mul(xc, xc);
  let p = f32x4.splat(5.535878699892e-11);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-6.458659385089e-8));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-2.432360815874e-5));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-1.146968104877e-3));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-9.022999554873e-3));
  let q = f32x4.splat(-1.774490101525e-6);
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(-2.061512641376e-4));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(-4.154618829489e-3));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(-9.023001417518e-3));
  return f32x4.div(f32x4.mul(p, xc), q);
}

// @ts-ignore: decorator
@inline const ACT_LINEAR = 0;
// @ts-ignore: decorator
@inline const ACT_RELU = 1;
// @ts-ignore: decorator
@inline const ACT_SIGMOID = 2;

// Loads/stores 4 lanes (w == 4) or one value splat to all lanes (w == 1, the tail): w is a
// constant in every caller, so each folds to one instruction.
// @ts-ignore: decorator
@inline function ld(p: usize, w: i32): v128 {
  return w == 4 ? v128.load(p) : f32x4.splat(load<f32>(p));
}

// @ts-ignore: decorator
@inline function st(p: usize, v: v128, w: i32): void {
  if (w == 4) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

// @ts-ignore: decorator
@inline function checkRows(units: i32, begin: i32, end: i32): void {
  assert(units >= 0, "need units >= 0");
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
}

// One LSTM forward column group: j is the byte offset of the unit within a units-wide row, ub the
// byte size of one gate block (units·4). All four preactivations of a lane are loaded before any
// gate is stored, so g may equal xw.
// @ts-ignore: decorator
@inline function lstmFwdCols(
  xw: usize, hu: usize, cPrev: usize, c: usize, h: usize, g: usize, j: usize, ub: usize, w: i32,
): void {
  const zi = f32x4.add(ld(xw + j, w), ld(hu + j, w));
  const zf = f32x4.add(ld(xw + ub + j, w), ld(hu + ub + j, w));
  const zc = f32x4.add(ld(xw + 2 * ub + j, w), ld(hu + 2 * ub + j, w));
  const zo = f32x4.add(ld(xw + 3 * ub + j, w), ld(hu + 3 * ub + j, w));
  const i = sigmoidGate(zi), f = sigmoidGate(zf), cc = tanhGate(zc), o = sigmoidGate(zo);
  const cNew = f32x4.add(f32x4.mul(f, ld(cPrev + j, w)), f32x4.mul(i, cc));
  st(c + j, cNew, w);
  st(h + j, f32x4.mul(o, tanhGate(cNew)), w);
  st(g + j, i, w);
  st(g + ub + j, f, w);
  st(g + 2 * ub + j, cc, w);
  st(g + 3 * ub + j, o, w);
}

/**
 * LSTM step forward for batch rows [begin, end): xw, hu and gates are [batch, 4·units]; cPrev, c
 * and h are [batch, units]. c may equal cPrev, and gates may equal xw (the recurrent op runs in
 * place: the activations overwrite the preactivations they came from, which keeps the step's
 * stores in cache lines it has just read).
 */
export function f32_lstm_gates_fwd(
  xw: usize, hu: usize, cPrev: usize, c: usize, h: usize, gates: usize,
  units: i32, begin: i32, end: i32,
): void {
  checkRows(units, begin, end);
  const ub = <usize>units << 2;
  for (let b = begin; b < end; b++) {
    const r4 = <usize>b * (ub << 2), r1 = <usize>b * ub;
    const pxw = xw + r4, phu = hu + r4, pg = gates + r4;
    const pcp = cPrev + r1, pc = c + r1, ph = h + r1;
    let j = 0;
    for (; j + 8 <= units; j += 8) {
      const o = <usize>j << 2;
      lstmFwdCols(pxw, phu, pcp, pc, ph, pg, o, ub, 4);
      lstmFwdCols(pxw, phu, pcp, pc, ph, pg, o + 16, ub, 4);
    }
    if (j + 4 <= units) {
      lstmFwdCols(pxw, phu, pcp, pc, ph, pg, <usize>j << 2, ub, 4);
      j += 4;
    }
    for (; j < units; j++) lstmFwdCols(pxw, phu, pcp, pc, ph, pg, <usize>j << 2, ub, 1);
  }
}

// @ts-ignore: decorator
@inline function lstmBwdCols(
  dh: usize, dc: usize, g: usize, cPrev: usize, c: usize, dz: usize, j: usize, ub: usize, w: i32,
): void {
  const one = f32x4.splat(1);
  const i = ld(g + j, w), f = ld(g + ub + j, w), cc = ld(g + 2 * ub + j, w), o = ld(g + 3 * ub + j, w);
  const dH = ld(dh + j, w);
  const tc = tanhGate(ld(c + j, w));
  // dc_t = dc_next + dh·o·(1 - tanh²(c))
  const dC = f32x4.add(ld(dc + j, w), f32x4.mul(f32x4.mul(dH, o), f32x4.sub(one, f32x4.mul(tc, tc))));
  st(dz + j, f32x4.mul(f32x4.mul(dC, cc), f32x4.mul(i, f32x4.sub(one, i))), w);
  st(dz + ub + j, f32x4.mul(f32x4.mul(dC, ld(cPrev + j, w)), f32x4.mul(f, f32x4.sub(one, f))), w);
  st(dz + 2 * ub + j, f32x4.mul(f32x4.mul(dC, i), f32x4.sub(one, f32x4.mul(cc, cc))), w);
  st(dz + 3 * ub + j, f32x4.mul(f32x4.mul(dH, tc), f32x4.mul(o, f32x4.sub(one, o))), w);
  st(dc + j, f32x4.mul(dC, f), w);
}

/**
 * LSTM step backward for batch rows [begin, end): from dh (the step's total h gradient), dc (the
 * gradient of c from step t + 1; overwritten with the gradient of cPrev), the saved gates and the
 * cell states cPrev and c, writes dz = dL/d(xw + hu) as [batch, 4·units] (blocks i, f, c, o).
 */
export function f32_lstm_gates_bwd(
  dh: usize, dc: usize, gates: usize, cPrev: usize, c: usize, dz: usize,
  units: i32, begin: i32, end: i32,
): void {
  checkRows(units, begin, end);
  const ub = <usize>units << 2;
  for (let b = begin; b < end; b++) {
    const r4 = <usize>b * (ub << 2), r1 = <usize>b * ub;
    const pg = gates + r4, pdz = dz + r4;
    const pdh = dh + r1, pdc = dc + r1, pcp = cPrev + r1, pc = c + r1;
    let j = 0;
    for (; j + 8 <= units; j += 8) {
      const o = <usize>j << 2;
      lstmBwdCols(pdh, pdc, pg, pcp, pc, pdz, o, ub, 4);
      lstmBwdCols(pdh, pdc, pg, pcp, pc, pdz, o + 16, ub, 4);
    }
    if (j + 4 <= units) {
      lstmBwdCols(pdh, pdc, pg, pcp, pc, pdz, <usize>j << 2, ub, 4);
      j += 4;
    }
    for (; j < units; j++) lstmBwdCols(pdh, pdc, pg, pcp, pc, pdz, <usize>j << 2, ub, 1);
  }
}

// @ts-ignore: decorator
@inline function gruFwdCols(
  xw: usize, hu: usize, hPrev: usize, h: usize, s: usize, j: usize, ub: usize, w: i32,
): void {
  const one = f32x4.splat(1);
  const z = sigmoidGate(f32x4.add(ld(xw + j, w), ld(hu + j, w)));
  const r = sigmoidGate(f32x4.add(ld(xw + ub + j, w), ld(hu + ub + j, w)));
  const uh = ld(hu + 2 * ub + j, w);
  const hh = tanhGate(f32x4.add(ld(xw + 2 * ub + j, w), f32x4.mul(r, uh)));
  st(h + j, f32x4.add(f32x4.mul(z, ld(hPrev + j, w)), f32x4.mul(f32x4.sub(one, z), hh)), w);
  st(s + j, z, w);
  st(s + ub + j, r, w);
  st(s + 2 * ub + j, hh, w);
  st(s + 3 * ub + j, uh, w);
}

/**
 * GRU step forward (reset after the recurrent product) for batch rows [begin, end): xw and hu are
 * [batch, 3·units] (hu = hPrev·U + recurrent bias), hPrev and h [batch, units]; saved is
 * [batch, 4·units] and receives z, r, ĥ and hu's candidate block for the backward.
 */
export function f32_gru_gates_fwd(
  xw: usize, hu: usize, hPrev: usize, h: usize, saved: usize,
  units: i32, begin: i32, end: i32,
): void {
  checkRows(units, begin, end);
  const ub = <usize>units << 2;
  for (let b = begin; b < end; b++) {
    const r1 = <usize>b * ub;
    const pxw = xw + r1 * 3, phu = hu + r1 * 3, ps = saved + (r1 << 2);
    const php = hPrev + r1, ph = h + r1;
    let j = 0;
    for (; j + 8 <= units; j += 8) {
      const o = <usize>j << 2;
      gruFwdCols(pxw, phu, php, ph, ps, o, ub, 4);
      gruFwdCols(pxw, phu, php, ph, ps, o + 16, ub, 4);
    }
    if (j + 4 <= units) {
      gruFwdCols(pxw, phu, php, ph, ps, <usize>j << 2, ub, 4);
      j += 4;
    }
    for (; j < units; j++) gruFwdCols(pxw, phu, php, ph, ps, <usize>j << 2, ub, 1);
  }
}

// @ts-ignore: decorator
@inline function gruBwdCols(
  dh: usize, s: usize, hPrev: usize, dxw: usize, dhu: usize, dhPrev: usize, j: usize, ub: usize,
  w: i32,
): void {
  const one = f32x4.splat(1);
  const z = ld(s + j, w), r = ld(s + ub + j, w), hh = ld(s + 2 * ub + j, w), uh = ld(s + 3 * ub + j, w);
  const dH = ld(dh + j, w);
  const hp = ld(hPrev + j, w);
  const dzz = f32x4.mul(f32x4.mul(dH, f32x4.sub(hp, hh)), f32x4.mul(z, f32x4.sub(one, z)));
  const dhh = f32x4.mul(f32x4.mul(dH, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(hh, hh)));
  const dr = f32x4.mul(f32x4.mul(dhh, uh), f32x4.mul(r, f32x4.sub(one, r)));
  st(dxw + j, dzz, w);
  st(dxw + ub + j, dr, w);
  st(dxw + 2 * ub + j, dhh, w);
  st(dhu + j, dzz, w);
  st(dhu + ub + j, dr, w);
  st(dhu + 2 * ub + j, f32x4.mul(dhh, r), w);
  if (dhPrev != 0) st(dhPrev + j, f32x4.add(ld(dhPrev + j, w), f32x4.mul(dH, z)), w);
}

/**
 * GRU step backward for batch rows [begin, end): from dh (the step's total h gradient), the saved
 * [z, r, ĥ, hu_h] and hPrev, writes dxw = dL/dxw and dhu = dL/dhu ([batch, 3·units] each) and,
 * unless dhPrev is 0, adds the direct path dh·z into dhPrev ([batch, units]).
 */
export function f32_gru_gates_bwd(
  dh: usize, saved: usize, hPrev: usize, dxw: usize, dhu: usize, dhPrev: usize,
  units: i32, begin: i32, end: i32,
): void {
  checkRows(units, begin, end);
  const ub = <usize>units << 2;
  for (let b = begin; b < end; b++) {
    const r1 = <usize>b * ub;
    const ps = saved + (r1 << 2), pdxw = dxw + r1 * 3, pdhu = dhu + r1 * 3;
    const pdh = dh + r1, php = hPrev + r1, pdhp = dhPrev == 0 ? 0 : dhPrev + r1;
    let j = 0;
    for (; j + 8 <= units; j += 8) {
      const o = <usize>j << 2;
      gruBwdCols(pdh, ps, php, pdxw, pdhu, pdhp, o, ub, 4);
      gruBwdCols(pdh, ps, php, pdxw, pdhu, pdhp, o + 16, ub, 4);
    }
    if (j + 4 <= units) {
      gruBwdCols(pdh, ps, php, pdxw, pdhu, pdhp, <usize>j << 2, ub, 4);
      j += 4;
    }
    for (; j < units; j++) gruBwdCols(pdh, ps, php, pdxw, pdhu, pdhp, <usize>j << 2, ub, 1);
  }
}

// @ts-ignore: decorator
@inline function rnnAct(act: i32, v: v128): v128 {
  if (act == ACT_LINEAR) return v;
  if (act == ACT_RELU) return f32x4.pmax(v, f32x4.splat(0)); // NaN stays NaN, as f32_vrelu
  if (act == ACT_SIGMOID) return sigmoidGate(v);
  return tanhGate(v);
}

// act'(z) from the output y = act(z).
// @ts-ignore: decorator
@inline function rnnActGrad(act: i32, y: v128): v128 {
  const one = f32x4.splat(1);
  if (act == ACT_LINEAR) return one;
  if (act == ACT_RELU) return v128.and(one, f32x4.gt(y, f32x4.splat(0)));
  if (act == ACT_SIGMOID) return f32x4.mul(y, f32x4.sub(one, y));
  return f32x4.sub(one, f32x4.mul(y, y));
}

// @ts-ignore: decorator
@inline function rnnRows(
  bwd: bool, act: i32, a: usize, b: usize, y: usize, units: i32, begin: i32, end: i32,
): void {
  const ub = <usize>units << 2;
  for (let row = begin; row < end; row++) {
    const r = <usize>row * ub;
    let j = 0;
    for (; j + 4 <= units; j += 4) {
      const p = r + (<usize>j << 2);
      const v = bwd
        ? f32x4.mul(v128.load(a + p), rnnActGrad(act, v128.load(b + p)))
        : rnnAct(act, f32x4.add(v128.load(a + p), v128.load(b + p)));
      v128.store(y + p, v);
    }
    for (; j < units; j++) {
      const p = r + (<usize>j << 2);
      const va = f32x4.splat(load<f32>(a + p)), vb = f32x4.splat(load<f32>(b + p));
      const v = bwd ? f32x4.mul(va, rnnActGrad(act, vb)) : rnnAct(act, f32x4.add(va, vb));
      store<f32>(y + p, f32x4.extract_lane(v, 0));
    }
  }
}

/**
 * Simple RNN step forward, h = act(xw + hu), all [batch, units], for batch rows [begin, end);
 * act: 0 linear, 1 relu, 2 sigmoid, 3 tanh.
 */
export function f32_rnn_gates_fwd(xw: usize, hu: usize, h: usize, act: i32, units: i32, begin: i32, end: i32): void {
  checkRows(units, begin, end);
  assert(act >= 0 && act <= 3, "need 0 <= act <= 3");
  if (act == ACT_LINEAR) rnnRows(false, ACT_LINEAR, xw, hu, h, units, begin, end);
  else if (act == ACT_RELU) rnnRows(false, ACT_RELU, xw, hu, h, units, begin, end);
  else if (act == ACT_SIGMOID) rnnRows(false, ACT_SIGMOID, xw, hu, h, units, begin, end);
  else rnnRows(false, 3, xw, hu, h, units, begin, end);
}

/** Simple RNN step backward, dz = dh·act'(z) from the step's output h, for batch rows [begin, end). */
export function f32_rnn_gates_bwd(dh: usize, h: usize, dz: usize, act: i32, units: i32, begin: i32, end: i32): void {
  checkRows(units, begin, end);
  assert(act >= 0 && act <= 3, "need 0 <= act <= 3");
  if (act == ACT_LINEAR) rnnRows(true, ACT_LINEAR, dh, h, dz, units, begin, end);
  else if (act == ACT_RELU) rnnRows(true, ACT_RELU, dh, h, dz, units, begin, end);
  else if (act == ACT_SIGMOID) rnnRows(true, ACT_SIGMOID, dh, h, dz, units, begin, end);
  else rnnRows(true, 3, dh, h, dz, units, begin, end);
}

// Copies n floats (n >= 0) from x to y, 4 at a time then one by one (no arithmetic: exact bits).
// @ts-ignore: decorator
@inline function copyRow(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), v128.load(x + (<usize>i << 2)));
  for (; i < n; i++) store<u32>(y + (<usize>i << 2), load<u32>(x + (<usize>i << 2)));
}

/**
 * Batch-major [batch, steps, inner] to time-major [steps, batch, inner]:
 * y[s, b, :] = x[b, reverse ? steps - 1 - s : s, :], for batch items b in [begin, end).
 */
export function f32_rnn_time_major(
  x: usize, y: usize, batch: i32, steps: i32, inner: i32, reverse: i32, begin: i32, end: i32,
): void {
  assert(batch >= 0 && steps >= 0 && inner >= 0, "need sizes >= 0");
  assert(begin >= 0 && begin <= end && end <= batch, "need 0 <= begin <= end <= batch");
  const row = <usize>inner << 2;
  for (let b = begin; b < end; b++) {
    for (let s = 0; s < steps; s++) {
      const t = reverse != 0 ? steps - 1 - s : s;
      copyRow(x + (<usize>b * <usize>steps + <usize>t) * row, y + (<usize>s * <usize>batch + <usize>b) * row, inner);
    }
  }
}

/**
 * Time-major [steps, batch, inner] to batch-major [batch, steps, inner]:
 * y[b, t, :] = x[reverse ? steps - 1 - t : t, b, :], for batch items b in [begin, end).
 */
export function f32_rnn_batch_major(
  x: usize, y: usize, batch: i32, steps: i32, inner: i32, reverse: i32, begin: i32, end: i32,
): void {
  assert(batch >= 0 && steps >= 0 && inner >= 0, "need sizes >= 0");
  assert(begin >= 0 && begin <= end && end <= batch, "need 0 <= begin <= end <= batch");
  const row = <usize>inner << 2;
  for (let b = begin; b < end; b++) {
    for (let t = 0; t < steps; t++) {
      const s = reverse != 0 ? steps - 1 - t : t;
      copyRow(x + (<usize>s * <usize>batch + <usize>b) * row, y + (<usize>b * <usize>steps + <usize>t) * row, inner);
    }
  }
}
