/**
 * f32 random masks drawn inside the kernel, so a dropout mask is never built in JS and copied
 * into memory. Counter-based: element i of a mask with seed s is a pure function of (s, i),
 *
 *   h = mix(i ^ mix(s)),  u = (h >>> 8) · 2^-24 in [0, 1),  y[i] = u < rate ? 0 : keep,
 *
 * where mix is Chris Wellons' "lowbias32" integer hash (x ^= x >> 16; x *= 0x7feb352d;
 * x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16), a bijection of u32 with full avalanche. So any
 * [begin, end) split gives the same bits, and the WGSL program (src/backend/webgpu/programs/
 * random.ts) computes the very same values with u32 arithmetic. The 24-bit u converts to f32
 * exactly; lanes and the scalar tail use the same integer steps.
 *
 * The same uniform u(s, i) draws Bernoulli samples (y[i] = u < p[i] ? 1 : 0, for
 * randomBernoulli) and categorical samples (multinomial: draw j of batch row b uses
 * u(s, b·samples + j) and picks the first outcome whose running f32 sum of probabilities exceeds
 * u · total, summing in outcome order, as the WGSL program does).
 *
 * Tested against the JS definition in tests/_reference/random.ts (tests/kernels/random_test.ts).
 */

// @ts-ignore: decorator
@inline function mix(x: u32): u32 {
  x ^= x >>> 16;
  x *= 0x7feb352d;
  x ^= x >>> 15;
  x *= 0x846ca68b;
  return x ^ (x >>> 16);
}

// @ts-ignore: decorator
@inline function mix4(x: v128): v128 {
  x = v128.xor(x, i32x4.shr_u(x, 16));
  x = i32x4.mul(x, i32x4.splat(0x7feb352d));
  x = v128.xor(x, i32x4.shr_u(x, 15));
  x = i32x4.mul(x, i32x4.splat(<i32>0x846ca68b));
  return v128.xor(x, i32x4.shr_u(x, 16));
}

/** y[i] = 0 with probability `rate`, else `keep`, for i in [begin, end) (see the header). */
export function f32_dropout_mask(y: usize, seed: u32, rate: f32, keep: f32, begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
  const s = mix(seed);
  const vs = i32x4.splat(s);
  const vrate = f32x4.splat(rate);
  const vkeep = f32x4.splat(keep);
  const scale = f32x4.splat(1.0 / 16777216.0);
  let i = begin;
  for (; i + 4 <= end; i += 4) {
    const idx = i32x4.add(i32x4.splat(i), i32x4(0, 1, 2, 3));
    const h = mix4(v128.xor(idx, vs));
    const u = f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(h, 8)), scale);
    v128.store(y + (<usize>i << 2), v128.andnot(vkeep, f32x4.lt(u, vrate)));
  }
  for (; i < end; i++) {
    const u = <f32>(mix(<u32>i ^ s) >>> 8) * (1.0 / 16777216.0);
    store<f32>(y + (<usize>i << 2), u < rate ? 0 : keep);
  }
}

// @ts-ignore: decorator
@inline function uniform(s: u32, i: u32): f32 {
  return <f32>(mix(i ^ s) >>> 8) * (1.0 / 16777216.0);
}

/** y[i] = u(seed, i) < p[i] ? 1 : 0 for i in [begin, end) (NaN p gives 0). */
export function f32_bernoulli(p: usize, y: usize, seed: u32, begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
  const s = mix(seed);
  const vs = i32x4.splat(s);
  const one = f32x4.splat(1);
  const scale = f32x4.splat(1.0 / 16777216.0);
  let i = begin;
  for (; i + 4 <= end; i += 4) {
    const idx = i32x4.add(i32x4.splat(i), i32x4(0, 1, 2, 3));
    const h = mix4(v128.xor(idx, vs));
    const u = f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(h, 8)), scale);
    const q = <usize>i << 2;
    v128.store(y + q, v128.and(one, f32x4.lt(u, v128.load(p + q))));
  }
  for (; i < end; i++) {
    const q = <usize>i << 2;
    store<f32>(y + q, uniform(s, <u32>i) < load<f32>(p + q) ? 1 : 0);
  }
}

/**
 * Categorical draws: y[b, j] (i32) for batch rows b in [begin, end) of probs `[rows, outcomes]`
 * (non-negative, any total) and j < samples; see the header.
 */
export function f32_multinomial(
  probs: usize, y: usize, outcomes: i32, samples: i32, seed: u32, begin: i32, end: i32,
): void {
  assert(outcomes > 0 && samples >= 0, "need outcomes > 0, samples >= 0");
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
  const s = mix(seed);
  for (let b = begin; b < end; b++) {
    const row = probs + (<usize>b * <usize>outcomes << 2);
    let total: f32 = 0;
    let last = 0;
    for (let k = 0; k < outcomes; k++) {
      const v = load<f32>(row + (<usize>k << 2));
      total += v;
      if (v > 0) last = k;
    }
    for (let j = 0; j < samples; j++) {
      const at = b * samples + j;
      const target = uniform(s, <u32>at) * total;
      let pick = last, cum: f32 = 0;
      for (let k = 0; k < last; k++) {
        cum += load<f32>(row + (<usize>k << 2));
        if (target < cum) {
          pick = k;
          break;
        }
      }
      store<i32>(y + (<usize>at << 2), pick);
    }
  }
}
