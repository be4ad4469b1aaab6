/**
 * Float64 reference for cumulative sums (STYLE C8), from the definition. x and y are viewed as
 * [outer, len, inner]; along len,
 *
 *   inclusive   y[j] = Σ_{t <= j} x[t]        (reverse: Σ_{t >= j})
 *   exclusive   y[j] = Σ_{t < j} x[t]         (reverse: Σ_{t > j}); the first output is 0
 *
 * @module
 */

/** The cumulative sums of x along len (see the module doc). */
export function cumsum(
  x: ArrayLike<number>,
  outer: number,
  len: number,
  inner: number,
  exclusive: boolean,
  reverse: boolean,
): Float64Array {
  const y = new Float64Array(outer * len * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let j = 0; j < len; j++) {
        let s = 0;
        for (let t = 0; t < len; t++) {
          const inRange = reverse
            ? t > j || (!exclusive && t === j)
            : t < j || (!exclusive && t === j);
          if (inRange) s += x[(o * len + t) * inner + i];
        }
        y[(o * len + j) * inner + i] = s;
      }
    }
  }
  return y;
}
