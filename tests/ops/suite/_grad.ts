/**
 * The op suite's gradient check (STYLE C12), generalising tests/_util/gradcheck.ts to cases with
 * several outputs, integer inputs and a backend that reads back asynchronously (webgpu).
 *
 * The checked function is `L(xs) = Σ_k Σ w_k ⊙ run(...xs)_k` with seeded weights `w_k` in
 * [-1, 1] (f32-rounded, the same on both sides). Analytic side: `dn.grads` of `L` on the active
 * backend, with respect to the case's float32 inputs named by `grad` (other inputs held fixed).
 * Numeric side: central differences of the float64 reference, `(L(x + h) - L(x - h)) / 2h` with
 * h = {@linkcode GRAD_STEP}·max(1, |x|) = 1e-3 for |x| <= 1 (cases keep inputs further than h from
 * kinks; the step grows with |x| so that a reference rounding its results to f32, whose spacing
 * grows with |x| too, still sees the perturbation), at up to
 * {@linkcode GRAD_MAX_CHECKS} evenly spaced coordinates per input. Bound: `abs + rel·|numeric|`
 * with {@linkcode GRAD_TOL} unless the case sets `gradTol`. Why these numbers: the truncation
 * error of a central difference is h²/6·|L'''|, 1.7e-7 per unit of third derivative, and the
 * analytic side's f32 rounding is ~1e-7 relative per summed term, both far inside 1e-3 relative
 * and 1e-4 absolute, while a wrong gradient formula misses by O(1).
 *
 * @module
 */
import * as dn from "../../../mod.ts";
import { rng } from "../../_util/rng.ts";
import type { CaseOutput, OpCase } from "./case.ts";
import { hashSeed } from "./_inputs.ts";

/** The central-difference step. */
export const GRAD_STEP = 1e-3;
/** The default bound of |analytic - numeric|: `abs + rel·|numeric|`. */
export const GRAD_TOL: { abs: number; rel: number } = { abs: 1e-4, rel: 1e-3 };
/** At most this many coordinates per input are checked (evenly spaced). */
export const GRAD_MAX_CHECKS = 64;

/** The input positions a case differentiates; throws when `grad` names a non-float input. */
export function gradPositions(c: OpCase): number[] {
  if (!c.grad) return [];
  const float = (k: number) => (c.inputs[k]?.dtype ?? "float32") === "float32";
  if (c.grad === true) return c.inputs.map((_, k) => k).filter(float);
  for (const k of c.grad) {
    if (!float(k)) {
      throw new Error(`"grad" names input ${k}, which is not a float32 input of the case`);
    }
  }
  return [...c.grad];
}

/** The seeded weights `w_k` of each reference output. */
export function gradWeights(c: OpCase, outputs: CaseOutput[]): Float64Array[] {
  const draw = rng(hashSeed(`${c.op}|${c.label}|weights`));
  return outputs.map((o) => Float64Array.from(o.values, () => Math.fround(draw())));
}

/** Analytic gradients of `L` with respect to the inputs at `positions`, read back. */
export async function analyticGrads(
  c: OpCase,
  xs: dn.Tensor[],
  positions: number[],
  weights: Float64Array[],
  shapes: number[][],
): Promise<Float32Array[]> {
  const ws = weights.map((w, k) => dn.tensor(Float32Array.from(w), shapes[k]));
  try {
    const loss = (...vars: dn.Tensor[]) => {
      const args = xs.slice();
      positions.forEach((p, i) => (args[p] = vars[i]));
      const ys = [c.run(...args)].flat();
      return ys.map((y, k) => dn.sum(dn.mul(y, ws[k]))).reduce((a, b) => dn.add(a, b));
    };
    const grads = dn.grads(loss)(positions.map((p) => xs[p]));
    const out: Float32Array[] = [];
    for (const g of grads) {
      out.push(await g.data());
      g.dispose();
    }
    return out;
  } finally {
    for (const w of ws) w.dispose();
  }
}

/** `L` evaluated by the reference on `values`. */
function referenceLoss(c: OpCase, values: Float64Array[], weights: Float64Array[]): number {
  const ys = [c.reference(values)].flat();
  let s = 0;
  ys.forEach((y, k) => {
    for (let i = 0; i < y.values.length; i++) s += weights[k][i] * y.values[i];
  });
  return s;
}

/**
 * Throws on the first checked coordinate where `analytic` (per position) is outside the bound
 * around the reference's central difference.
 */
export function checkGrads(
  c: OpCase,
  values: Float64Array[],
  positions: number[],
  weights: Float64Array[],
  analytic: Float32Array[],
): void {
  const tol = c.gradTol ?? GRAD_TOL;
  positions.forEach((p, i) => {
    const n = values[p].length;
    const step = Math.max(1, Math.floor(n / GRAD_MAX_CHECKS));
    for (let j = 0; j < n; j += step) {
      const xs = values.map((v) => Float64Array.from(v));
      const h = GRAD_STEP * Math.max(1, Math.abs(values[p][j]));
      xs[p][j] = values[p][j] + h;
      const up = referenceLoss(c, xs, weights);
      xs[p][j] = values[p][j] - h;
      const numeric = (up - referenceLoss(c, xs, weights)) / (2 * h);
      const got = analytic[i][j];
      const bound = tol.abs + tol.rel * Math.abs(numeric);
      if (!(Math.abs(got - numeric) <= bound)) {
        const hint = numeric === 0
          ? " (a numeric 0: does the reference compute from its argument? it is re-run on perturbed inputs)"
          : "";
        throw new Error(
          `gradient of input ${p} at [${j}] (h = ${h}): analytic ${got}, numeric ${numeric}, |diff| ${
            Math.abs(got - numeric)
          } > bound ${bound} (abs ${tol.abs} + rel ${tol.rel}·|numeric|)${hint}`,
        );
      }
    }
  });
}
