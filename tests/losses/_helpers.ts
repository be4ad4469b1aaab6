/** Shared pieces of the loss and metric tests: seeded targets, tolerances, evaluation. */
import * as dn from "../../mod.ts";
import type { Tolerance } from "../_util/assert_close.ts";
import { assertEquals } from "../_util/assert.ts";
import { gradcheck, type GradInput } from "../_util/gradcheck.ts";
import { rng } from "../_util/rng.ts";

const EPS32 = 2 ** -24;

/**
 * A loss is the mean of `n` per-element values, each a handful of float32 operations (clip, log
 * or exp by polynomial, mul, add: at most ~8 roundings of its largest intermediate, of magnitude
 * up to `scale`), summed by the reduce kernel (error ~n·ε of the mean). Hence an absolute part of
 * 8·ε·scale and the `Tol.dot(n)` relative part. Cancellation (x - x·z for large logits) is what
 * makes the absolute part necessary.
 */
export function lossTol(n: number, scale: number): Tolerance {
  return { rel: 2 * n * EPS32, abs: 8 * EPS32 * scale + 2 * n * EPS32 };
}

/** `rows` seeded class labels in [0, cols) and their one-hot rows. */
export function labelsAndOneHot(
  rows: number,
  cols: number,
  seed: number,
): { labels: Float64Array; oneHot: Float64Array } {
  const r = rng(seed);
  const labels = new Float64Array(rows);
  const oneHot = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    labels[i] = Math.min(cols - 1, Math.floor(((r() + 1) / 2) * cols));
    oneHot[i * cols + labels[i]] = 1;
  }
  return { labels, oneHot };
}

/** Seeded 0/1 targets. */
export function binaryTargets(n: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => (r() > 0 ? 1 : 0));
}

/** Runs `f` on tensors made from the arrays, returns the scalar, and checks nothing leaked. */
export function evalScalar(
  f: (yTrue: dn.Tensor, yPred: dn.Tensor) => dn.Tensor,
  yTrue: { data: ArrayLike<number>; shape: number[] },
  yPred: { data: ArrayLike<number>; shape: number[] },
): number {
  const before = dn.memory().numTensors;
  using t = dn.tensor(Float32Array.from(yTrue.data), yTrue.shape);
  using p = dn.tensor(Float32Array.from(yPred.data), yPred.shape);
  using y = f(t, p);
  assertEquals(y.shape, []);
  const value = y.dataSync()[0];
  assertEquals(dn.memory().numTensors, before + 3, "only the inputs and the result are alive");
  return value;
}

/** Asserts `fn` leaves the live tensor count unchanged. */
export function assertNoLeak(fn: () => void): void {
  const before = dn.memory();
  fn();
  assertEquals(dn.memory(), before);
}

/** Gradient check of `loss(yTrue, yPred)` with respect to `yPred` against the f64 `ref`. */
export function gradcheckLoss(
  what: string,
  loss: (yTrue: dn.Tensor, yPred: dn.Tensor) => dn.Tensor,
  ref: (t: Float64Array, p: Float64Array) => number,
  yTrue: { data: Float64Array; shape: number[] },
  yPred: GradInput,
): void {
  using t = dn.tensor(Float32Array.from(yTrue.data), yTrue.shape);
  gradcheck(what, (p) => loss(t, p), ([p]) => ref(yTrue.data, p), [yPred]);
}
