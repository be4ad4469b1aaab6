/**
 * The definition of the in-kernel dropout mask (assembly/random.ts), in plain JS: element i of a
 * mask with seed s is 0 when u = (mix(i ^ mix(s)) >>> 8) · 2^-24 < rate, else keep.
 */

/** Chris Wellons' lowbias32 integer hash on u32. */
export function mix(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** The mask of `n` elements for `seed`, `rate` and `keep` (both rounded to f32 first). */
export function dropoutMask(n: number, seed: number, rate: number, keep: number): Float32Array {
  const s = mix(seed >>> 0), r = Math.fround(rate), k = Math.fround(keep);
  return Float32Array.from(
    { length: n },
    (_, i) => ((mix((i ^ s) >>> 0) >>> 8) / 2 ** 24 < r ? 0 : k),
  );
}

/** u(s, i) of the kernels: s is the mixed seed. */
function draw(s: number, i: number): number {
  return (mix((i ^ s) >>> 0) >>> 8) / 2 ** 24;
}

/** Bernoulli draws: `y[i] = u(i) < p[i] ? 1 : 0` (p rounded to f32). */
export function bernoulli(p: ArrayLike<number>, seed: number): Float32Array {
  const s = mix(seed >>> 0);
  return Float32Array.from({ length: p.length }, (_, i) => draw(s, i) < Math.fround(p[i]) ? 1 : 0);
}

/**
 * Categorical draws from each row of `probs` `[rows, outcomes]`: draw j of row b takes
 * t = u(b·samples + j)·total (f32) and the first outcome whose running f32 sum exceeds t, else the
 * last outcome with positive probability.
 */
export function multinomial(
  probs: ArrayLike<number>,
  rows: number,
  outcomes: number,
  samples: number,
  seed: number,
): Int32Array {
  const s = mix(seed >>> 0), f = Math.fround;
  const y = new Int32Array(rows * samples);
  for (let b = 0; b < rows; b++) {
    let total = 0, last = 0;
    for (let k = 0; k < outcomes; k++) {
      const v = f(probs[b * outcomes + k]);
      total = f(total + v);
      if (v > 0) last = k;
    }
    for (let j = 0; j < samples; j++) {
      const t = f(draw(s, b * samples + j) * total);
      let pick = last, cum = 0;
      for (let k = 0; k < last; k++) {
        cum = f(cum + f(probs[b * outcomes + k]));
        if (t < cum) {
          pick = k;
          break;
        }
      }
      y[b * samples + j] = pick;
    }
  }
  return y;
}
