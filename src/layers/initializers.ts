/**
 * Weight initialisers with Keras names and formulas. Fans of a `[in, out]` kernel are
 * `fanIn = in`, `fanOut = out`; of a conv kernel `[..., in, out]` they are multiplied by the
 * receptive field size. The normal variants are truncated at two standard deviations, as Keras's.
 *
 * @module
 */
import { checkOneOf } from "../_check.ts";
import type { Random } from "../random.ts";

/** Initialiser names. */
export type Initializer =
  | "glorotUniform"
  | "glorotNormal"
  | "heNormal"
  | "heUniform"
  | "zeros"
  | "ones";

/** All initialiser names, for validation. */
export const INITIALIZERS: readonly Initializer[] = [
  "glorotUniform",
  "glorotNormal",
  "heNormal",
  "heUniform",
  "zeros",
  "ones",
];

/** Keras's correction so a normal truncated at ±2σ has the requested standard deviation. */
const TRUNCATED_STD = 0.87962566103423978;

function truncatedNormal(rng: Random): number {
  for (;;) {
    const v = rng.normal();
    if (Math.abs(v) <= 2) return v;
  }
}

let skipDraws = false;

/**
 * Runs `fn` with every initialiser giving zeros without drawing: for layers built only to be
 * overwritten (`loadModel`), which then neither spend the draws (drawing LeNet-5's or an MLP's
 * weights in JS is most of a cold process's model load) nor advance the global generator.
 */
export function withoutDraws<T>(fn: () => T): T {
  const saved = skipDraws;
  skipDraws = true;
  try {
    return fn();
  } finally {
    skipDraws = saved;
  }
}

/** Whether initialisers are to give zeros without drawing (inside {@linkcode withoutDraws}). */
export function drawsSkipped(): boolean {
  return skipDraws;
}

/** Values for a weight of `shape` drawn by `name` from `rng`. */
export function initialValues(
  name: Initializer,
  shape: readonly number[],
  rng: Random,
  fn: string,
): Float32Array {
  checkOneOf(name, INITIALIZERS, "kernelInitializer", fn);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  if (name === "zeros" || skipDraws) return values;
  if (name === "ones") return values.fill(1);
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const fanIn = shape.length >= 2 ? shape[shape.length - 2] * receptive : size;
  const fanOut = shape.length >= 2 ? shape[shape.length - 1] * receptive : size;
  const scale = name.startsWith("glorot") ? 2 / (fanIn + fanOut) : 2 / fanIn;
  if (name.endsWith("Uniform")) {
    const limit = Math.sqrt(3 * scale);
    for (let i = 0; i < size; i++) values[i] = (2 * rng.next() - 1) * limit;
  } else {
    const std = Math.sqrt(scale) / TRUNCATED_STD;
    for (let i = 0; i < size; i++) values[i] = std * truncatedNormal(rng);
  }
  return values;
}
