/**
 * Runs an optimizer and a float64 model of its Keras formula side by side (STYLE C8, C9): two
 * weights of different shapes (19 elements: the 8- and 4-wide kernel bodies and a tail; [3, 5]),
 * STEPS updates with seeded gradients, and after every update |w - w_ref| <= the bound that the
 * model derives for the steps so far.
 *
 * Every gradient value is an f32 number that the model sees exactly. Hyperparameters enter the
 * models as the kernel sees them: decay rates and epsilon rounded to f32, the learning rate in
 * float64 (its rounding to f32 in the kernel is part of each bound).
 */
import * as dn from "../../mod.ts";
import type { Optimizer } from "../../src/optimizers/mod.ts";
import { clip as clipRef, sumSquares } from "../_reference/optim.ts";
import { assertClose } from "../_util/assert_close.ts";
import { assertEquals } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

/** Unit roundoff of float32. */
export const EPS32 = 2 ** -24;
/** Updates per test. */
export const STEPS = 6;
const SHAPES = [[19], [3, 5]] as const;

/** The clipping cases every optimizer is tested with (norms of the gradients are 1 to 5). */
export const CLIPS = [{}, { clipNorm: 2 }, { clipValue: 0.5 }] as const;
export type Clip = (typeof CLIPS)[number];

/** A float64 model of one weight's updates. */
export interface Model {
  /** Update `w` in place from the clipped gradient `g` of step `k` (0-based, = iterations). */
  step(w: Float64Array, g: Float64Array, k: number): void;
  /** Bound on |w_f32 - w| after the steps so far. */
  bound(): number;
}

/** Largest magnitude in `x`. */
export const maxAbs = (x: ArrayLike<number>): number =>
  Array.from(x).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Gradient of step k: seeded values in [-1, 1] times 0.5, 1 or 2 (exact), so norms vary. */
function gradient(n: number, k: number, seed: number): Float64Array {
  return randomF32(n, seed + 100 * k).map((v) => v * 2 ** ((k % 3) - 1));
}

/** Keras clipping in float64: clipvalue elementwise; clipnorm g·c / max(norm, c). */
function clipGradient(g: Float64Array, clip: Clip): Float64Array {
  if ("clipValue" in clip) return clipRef(g, -clip.clipValue, clip.clipValue);
  if ("clipNorm" in clip) {
    const norm = Math.sqrt(sumSquares(g));
    return g.map((v) => v * clip.clipNorm / Math.max(norm, clip.clipNorm));
  }
  return g;
}

/** Updates two weights STEPS times with `opt` and with fresh models from `model`, comparing. */
export function checkAgainstModel(
  what: string,
  opt: Optimizer,
  model: () => Model,
  clip: Clip,
): void {
  const weights = SHAPES.map((shape, i) => {
    const w0 = randomF32(shape.reduce((a, b) => a * b, 1), 1 + i);
    return { w: dn.tensor(Float32Array.from(w0), shape), ref: w0, model: model() };
  });
  for (let k = 0; k < STEPS; k++) {
    const gs = weights.map(({ ref }, i) => gradient(ref.length, k, 10 * (i + 1)));
    const gts = gs.map((g, i) => dn.tensor(Float32Array.from(g), SHAPES[i]));
    opt.applyGradients(weights.map(({ w }) => w), gts);
    weights.forEach(({ w, ref, model }, i) => {
      model.step(ref, clipGradient(gs[i], clip), k);
      const at = `${what}, weight ${i}, step ${k + 1}`;
      assertClose(w.dataSync(), ref, { rel: 0, abs: model.bound() }, at);
      assertEquals([...gts[i].dataSync()], [...gs[i]], `${at}: the gradient must be unchanged`);
    });
    gts.forEach((g) => g.dispose());
  }
  assertEquals(opt.iterations, STEPS);
  opt.dispose();
  weights.forEach(({ w }) => w.dispose());
}

/** Test-name suffix for a clip case. */
export function clipName(clip: Clip): string {
  if ("clipNorm" in clip) return ` and clipNorm ${clip.clipNorm}`;
  if ("clipValue" in clip) return ` and clipValue ${clip.clipValue}`;
  return "";
}
