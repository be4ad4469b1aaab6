/**
 * Nadam, as Keras `Nadam`.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { withSteps } from "./_compose.ts";
import { checkOptions, positive, unit } from "./_validate.ts";
import { type ClipOptions, COMMON_OPTIONS, type LearningRate, Optimizer } from "./optimizer.ts";
import type { UpdateArgs } from "./optimizer.ts";

/** Options of {@linkcode nadam}. */
export interface NadamOptions extends ClipOptions {
  /** A number >= 0 or a schedule (default 0.001). */
  learningRate?: LearningRate;
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second moment, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to `sqrt(v̂)`; > 0 (default 1e-7). */
  epsilon?: number;
}

/** Keras's momentum schedule: `μₜ = β1·(1 - 0.5·0.96ᵗ)`. */
const mu = (beta1: number, t: number): number => beta1 * (1 - 0.5 * 0.96 ** t);

/**
 * Nadam (Keras `Nadam`, Dozat: Adam with Nesterov momentum and the momentum schedule
 * `μₜ = β1·(1 - 0.5·0.96ᵗ)`): at step t, with `Πₜ = μ₁···μₜ`,
 * `m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
 * m̂ = μₜ₊₁·m / (1 - Πₜ·μₜ₊₁) + (1 - μₜ)·g / (1 - Πₜ); v̂ = v / (1 - β2ᵗ);
 * w -= lr·m̂ / (sqrt(v̂) + ε)`. Composed from the backend's elementwise primitives.
 */
export class Nadam extends Optimizer {
  /** `"Nadam"`. */
  readonly className = "Nadam";
  /** β1. */
  readonly beta1: number;
  /** β2. */
  readonly beta2: number;
  /** ε. */
  readonly epsilon: number;
  /** `Πₜ` for the step `#productStep` (kept, so each step multiplies once). */
  #product = 1;
  #productStep = 0;

  /** Checks the options; see {@linkcode nadam}. */
  constructor(options: NadamOptions = {}) {
    const fn = "nadam";
    const o = checkOptions(options, [...COMMON_OPTIONS, "beta1", "beta2", "epsilon"], fn);
    super(fn, o, 0.001);
    this.beta1 = unit(o.beta1, 0.9, "beta1", fn);
    this.beta2 = unit(o.beta2, 0.999, "beta2", fn);
    this.epsilon = positive(o.epsilon, 1e-7, "epsilon", fn);
  }

  /**
   * State tensors per weight: `m` and `v`.
   *
   * @ignore
   */
  protected get slotCount(): number {
    return 2;
  }

  /** `Πₜ = μ₁···μₜ`. */
  #productAt(t: number): number {
    if (t < this.#productStep) [this.#product, this.#productStep] = [1, 0];
    while (this.#productStep < t) this.#product *= mu(this.beta1, ++this.#productStep);
    return this.#product;
  }

  /**
   * Updates one weight.
   *
   * @ignore
   */
  protected update({ backend, w, g, slots: [m, v], size, lr, t }: UpdateArgs): void {
    const { beta1, beta2, epsilon } = this;
    const muT = mu(beta1, t), muNext = mu(beta1, t + 1), product = this.#productAt(t);
    withSteps(backend, size, 2, (s, [mHat, tmp]) => {
      s.affine(m, m, beta1, 0);
      s.axpy(g, m, 1 - beta1);
      s.unary("square", g, tmp);
      s.affine(v, v, beta2, 0);
      s.axpy(tmp, v, 1 - beta2);
      s.affine(m, mHat, muNext / (1 - product * muNext), 0);
      s.axpy(g, mHat, (1 - muT) / (1 - product));
      s.affine(v, tmp, 1 / (1 - beta2 ** t), 0);
      s.unary("sqrt", tmp, tmp);
      s.affine(tmp, tmp, 1, epsilon);
      s.binary("div", mHat, tmp, tmp);
      s.axpy(tmp, w, -lr);
    });
  }

  /**
   * Options for `getConfig()`.
   *
   * @ignore
   */
  protected hyperparameters(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/**
 * Creates a Nadam optimizer (Keras `Nadam`).
 *
 * @param options `learningRate` (0.001), `beta1` (0.9), `beta2` (0.999), `epsilon` (1e-7), and
 * at most one of `clipNorm` and `clipValue`.
 * @returns An optimizer; call `applyGradients(weights, grads)` once per batch.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 * @throws {RangeError} When `learningRate` is negative or not finite, a beta is outside [0, 1),
 * `epsilon` is not > 0, a clip option is not > 0, or both clip options are set.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const w = dn.tensor([1]);
 * const opt = dn.optimizers.nadam({ learningRate: 0.1 });
 * opt.applyGradients([w], [dn.tensor([2])]);
 * assert.ok(w.dataSync()[0] < 0.9 && w.dataSync()[0] > 0.8); // a Nesterov step of ~lr
 * opt.dispose();
 * ```
 */
export function nadam(options: NadamOptions = {}): Nadam {
  checkArity(arguments, ["options"], "nadam");
  return new Nadam(options);
}
