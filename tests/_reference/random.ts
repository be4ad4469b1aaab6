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
