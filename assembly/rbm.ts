/**
 * f32 contrastive-divergence updates of a restricted Boltzmann machine, the gradient and the
 * momentum / weight-decay step fused: the statistics `vᵀh` of the positive and negative phases are
 * never written out, and each weight is read and written once.
 *
 * Layout: row-major, strides in elements. `vpos`, `vneg` are `[batch, visible]`, `hpos`, `hneg`
 * `[batch, hidden]`; the weights `w` and their velocity `vel` are `[visible, hidden]` (a dense
 * layer's kernel); biases and their velocities are contiguous vectors.
 *
 * Semantics (Hinton, "A practical guide to training RBMs", sections 9 and 10):
 *   f32_rbm_weight_update  g[i, j]  = (Σ_b vpos[b, i]·hpos[b, j] - vneg[b, i]·hneg[b, j]) · scale
 *                          vel[i, j] = momentum·vel[i, j] + lr·(g[i, j] - decay·w[i, j])
 *                          w[i, j]  += vel[i, j]
 *   f32_rbm_bias_update    g[j]  = Σ_b (pos[b, j] - neg[b, j]) · scale
 *                          vel[j] = momentum·vel[j] + lr·g[j];  bias[j] += vel[j]
 * with `scale` = 1 / batch from the caller. The sum runs over b = 0, 1, ... in order, each b adding
 * its positive product, then its negative one, each by one `madd` (simd.ts: a fused multiply-add
 * in the release builds); the update rounds every product (no fma).
 *
 * Work range: f32_rbm_weight_update writes weight rows [begin, end) (visible units), in tiles of
 * 4 rows x 8 columns: 8 v128 accumulators, the batch row's four visible values splat-loaded, then
 * 4-column tiles and a lane tail by loadN / storeN. A row tail runs the same lane-wise code on one
 * row, so every weight's result is the same whatever the split. f32_rbm_bias_update writes units
 * [begin, end), four at a time. Threaded splits are bitwise equal to one call.
 *
 * Preconditions (asserted in the debug build): batch > 0, 0 <= begin <= end <= the rows (units);
 * outputs apart from the inputs.
 *
 * Tested against the float64 update of tests/_reference/rbm.ts (tests/kernels/rbm_test.ts).
 */
import { loadN, madd, storeN } from "./simd";

// @ts-ignore: decorator
@inline function ld(p: usize, full: bool, n: i32): v128 {
  return full ? v128.load(p) : loadN(p, n);
}

// @ts-ignore: decorator
@inline function st(p: usize, v: v128, full: bool, n: i32): void {
  if (full) v128.store(p, v);
  else storeN(p, v, n);
}

/** The update of `n` weights at `at` (bytes) from their accumulated statistics `acc`. */
// @ts-ignore: decorator
@inline function step(
  acc: v128, w: usize, vel: usize, at: usize, full: bool, n: i32,
  scale: v128, lr: v128, momentum: v128, decay: v128,
): void {
  const wv = ld(w + at, full, n);
  const g = f32x4.mul(acc, scale);
  const nv = f32x4.add(
    f32x4.mul(momentum, ld(vel + at, full, n)),
    f32x4.mul(lr, f32x4.sub(g, f32x4.mul(decay, wv))),
  );
  st(vel + at, nv, full, n);
  st(w + at, f32x4.add(wv, nv), full, n);
}

/**
 * Rows [i, i + rows) x columns [j, j + 8) (`wide`) or [j, j + n), n <= 4: accumulate over the
 * batch, then update.
 */
// @ts-ignore: decorator
@inline function tile(
  rows: i32, wide: bool, n: i32, i: i32, j: i32,
  vpos: usize, hpos: usize, vneg: usize, hneg: usize, batch: i32, visible: i32, hidden: i32,
  w: usize, vel: usize, scale: v128, lr: v128, momentum: v128, decay: v128,
): void {
  const full = wide || n == 4;
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
  let b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  for (let b = 0; b < batch; b++) {
    const vo = (<usize>b * <usize>visible + <usize>i) << 2;
    const ho = (<usize>b * <usize>hidden + <usize>j) << 2;
    const hp0 = ld(hpos + ho, full, n), hn0 = ld(hneg + ho, full, n);
    const hp1 = wide ? v128.load(hpos + ho + 16) : hp0;
    const hn1 = wide ? v128.load(hneg + ho + 16) : hn0;
    let p = v128.load32_splat(vpos + vo), q = f32x4.neg(v128.load32_splat(vneg + vo));
    a0 = madd(q, hn0, madd(p, hp0, a0));
    if (wide) b0 = madd(q, hn1, madd(p, hp1, b0));
    if (rows == 4) {
      p = v128.load32_splat(vpos + vo + 4);
      q = f32x4.neg(v128.load32_splat(vneg + vo + 4));
      a1 = madd(q, hn0, madd(p, hp0, a1));
      if (wide) b1 = madd(q, hn1, madd(p, hp1, b1));
      p = v128.load32_splat(vpos + vo + 8);
      q = f32x4.neg(v128.load32_splat(vneg + vo + 8));
      a2 = madd(q, hn0, madd(p, hp0, a2));
      if (wide) b2 = madd(q, hn1, madd(p, hp1, b2));
      p = v128.load32_splat(vpos + vo + 12);
      q = f32x4.neg(v128.load32_splat(vneg + vo + 12));
      a3 = madd(q, hn0, madd(p, hp0, a3));
      if (wide) b3 = madd(q, hn1, madd(p, hp1, b3));
    }
  }
  const row = <usize>hidden << 2;
  const at = (<usize>i * <usize>hidden + <usize>j) << 2;
  step(a0, w, vel, at, full, n, scale, lr, momentum, decay);
  if (wide) step(b0, w, vel, at + 16, true, 4, scale, lr, momentum, decay);
  if (rows == 4) {
    step(a1, w, vel, at + row, full, n, scale, lr, momentum, decay);
    step(a2, w, vel, at + 2 * row, full, n, scale, lr, momentum, decay);
    step(a3, w, vel, at + 3 * row, full, n, scale, lr, momentum, decay);
    if (wide) {
      step(b1, w, vel, at + row + 16, true, 4, scale, lr, momentum, decay);
      step(b2, w, vel, at + 2 * row + 16, true, 4, scale, lr, momentum, decay);
      step(b3, w, vel, at + 3 * row + 16, true, 4, scale, lr, momentum, decay);
    }
  }
}

// @ts-ignore: decorator
@inline function rowsOf(
  rows: i32, i: i32,
  vpos: usize, hpos: usize, vneg: usize, hneg: usize, batch: i32, visible: i32, hidden: i32,
  w: usize, vel: usize, scale: v128, lr: v128, momentum: v128, decay: v128,
): void {
  let j = 0;
  for (; j + 8 <= hidden; j += 8) {
    tile(rows, true, 8, i, j, vpos, hpos, vneg, hneg, batch, visible, hidden, w, vel, scale, lr, momentum, decay);
  }
  for (; j < hidden; j += 4) {
    tile(rows, false, min(4, hidden - j), i, j, vpos, hpos, vneg, hneg, batch, visible, hidden, w, vel, scale, lr, momentum, decay);
  }
}

/** The CD step of the weights, rows [begin, end) (see the header). */
export function f32_rbm_weight_update(
  vpos: usize, hpos: usize, vneg: usize, hneg: usize, batch: i32, visible: i32, hidden: i32,
  w: usize, vel: usize, scale: f32, lr: f32, momentum: f32, decay: f32, begin: i32, end: i32,
): void {
  assert(batch > 0 && hidden >= 0, "need batch > 0, hidden >= 0");
  assert(begin >= 0 && begin <= end && end <= visible, "need 0 <= begin <= end <= visible");
  const vs = f32x4.splat(scale), vl = f32x4.splat(lr);
  const vm = f32x4.splat(momentum), vd = f32x4.splat(decay);
  let i = begin;
  for (; i + 4 <= end; i += 4) {
    rowsOf(4, i, vpos, hpos, vneg, hneg, batch, visible, hidden, w, vel, vs, vl, vm, vd);
  }
  for (; i < end; i++) {
    rowsOf(1, i, vpos, hpos, vneg, hneg, batch, visible, hidden, w, vel, vs, vl, vm, vd);
  }
}

/** The CD step of a bias, units [begin, end) (see the header). */
export function f32_rbm_bias_update(
  pos: usize, neg: usize, batch: i32, units: i32, bias: usize, vel: usize,
  scale: f32, lr: f32, momentum: f32, begin: i32, end: i32,
): void {
  assert(batch > 0, "need batch > 0");
  assert(begin >= 0 && begin <= end && end <= units, "need 0 <= begin <= end <= units");
  const vs = f32x4.splat(scale), vl = f32x4.splat(lr), vm = f32x4.splat(momentum);
  for (let j = begin; j < end; j += 4) {
    const n = min(4, end - j);
    let acc = f32x4.splat(0);
    for (let b = 0; b < batch; b++) {
      const o = (<usize>b * <usize>units + <usize>j) << 2;
      acc = f32x4.add(acc, f32x4.sub(loadN(pos + o, n), loadN(neg + o, n)));
    }
    const at = <usize>j << 2;
    const nv = f32x4.add(f32x4.mul(vm, loadN(vel + at, n)), f32x4.mul(vl, f32x4.mul(acc, vs)));
    storeN(vel + at, nv, n);
    storeN(bias + at, f32x4.add(loadN(bias + at, n), nv), n);
  }
}
