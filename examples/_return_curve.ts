/**
 * Episode returns as a curve over training steps, for `lineChart` (which puts point `i` at
 * x = i): the mean return of the episodes that ended in each bucket of `bucket` steps (NaN, a
 * gap, for a bucket with none).
 */
export function returnCurve(
  returns: readonly number[],
  endSteps: readonly number[],
  bucket: number,
): number[] {
  const buckets = Math.ceil((endSteps.at(-1) ?? 0) / bucket);
  const sums = new Array(buckets).fill(0), counts = new Array(buckets).fill(0);
  returns.forEach((r, i) => {
    const b = Math.min(Math.floor((endSteps[i] - 1) / bucket), buckets - 1);
    sums[b] += r;
    counts[b]++;
  });
  return sums.map((s, b) => (counts[b] ? s / counts[b] : NaN));
}
