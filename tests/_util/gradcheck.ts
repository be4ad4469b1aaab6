/**
 * Central finite-difference gradient checks (STYLE C12): the numeric side differentiates a
 * float64 reference of the function, so the bound can be tight; the analytic side is Dendrite's
 * backward pass in float32.
 */
import * as dn from "../../mod.ts";
import { randomF32 } from "./rng.ts";

/** One input: its shape and float64 values (already rounded to f32). */
export interface GradInput {
  shape: number[];
  data: Float64Array;
}

/** Options: step, tolerance, and at most how many coordinates per input to check. */
export interface GradcheckOptions {
  h?: number;
  rel?: number;
  abs?: number;
  maxChecks?: number;
}

/**
 * Compares `dn.grads(f)` with central differences of `ref` (a float64 scalar function of the
 * same inputs) and throws on the first coordinate outside `abs + rel·|numeric|`.
 */
export function gradcheck(
  what: string,
  f: (...xs: dn.Tensor[]) => dn.Tensor,
  ref: (xs: Float64Array[]) => number,
  inputs: GradInput[],
  options: GradcheckOptions = {},
): void {
  const { h = 1e-6, rel = 1e-3, abs = 1e-4, maxChecks = 64 } = options;
  const tensors = inputs.map((i) => dn.tensor(Float32Array.from(i.data), i.shape));
  const grads = dn.grads(f)(tensors).map((g) => {
    const values = g.dataSync();
    g.dispose();
    return values;
  });
  try {
    inputs.forEach((input, which) => {
      const step = Math.max(1, Math.floor(input.data.length / maxChecks));
      for (let j = 0; j < input.data.length; j += step) {
        const xs = inputs.map((i) => Float64Array.from(i.data));
        xs[which][j] = input.data[j] + h;
        const up = ref(xs);
        xs[which][j] = input.data[j] - h;
        const down = ref(xs);
        const numeric = (up - down) / (2 * h);
        const analytic = grads[which][j];
        const bound = abs + rel * Math.abs(numeric);
        if (!(Math.abs(analytic - numeric) <= bound)) {
          throw new Error(
            `${what}: gradient of input ${which} at [${j}]: analytic ${analytic}, numeric ${numeric}, |diff| ${
              Math.abs(analytic - numeric)
            } > bound ${bound}`,
          );
        }
      }
    });
  } finally {
    for (const t of tensors) t.dispose();
  }
}

/** Seeded f32-rounded values in [lo, hi] (default [-1, 1]) as a gradient check input. */
export function gradInput(shape: number[], seed: number, lo = -1, hi = 1): GradInput {
  const unit = randomF32(shape.reduce((a, b) => a * b, 1), seed);
  return { shape, data: unit.map((u) => Math.fround(lo + ((hi - lo) * (u + 1)) / 2)) };
}

/** Row `b` of a row-major matrix with `n` columns, as an array. */
export const row = (a: ArrayLike<number>, b: number, n: number): number[] =>
  Array.from(a).slice(b * n, (b + 1) * n);

/**
 * Central differences (h = 1e-6, float64) of `Σ w·f(v)` with respect to each entry of `v`: the
 * numeric side of a kernel's backward check, weighted by the incoming gradients `w`.
 */
export function numericGrad(
  f: (v: Float64Array) => Float64Array,
  v: ArrayLike<number>,
  w: ArrayLike<number>,
): Float64Array {
  const h = 1e-6, base = Float64Array.from(v), g = new Float64Array(base.length);
  const dot = (y: Float64Array) => y.reduce((s, yi, i) => s + yi * w[i], 0);
  for (let i = 0; i < base.length; i++) {
    const up = Float64Array.from(base), down = Float64Array.from(base);
    up[i] += h;
    down[i] -= h;
    g[i] = (dot(f(up)) - dot(f(down))) / (2 * h);
  }
  return g;
}
