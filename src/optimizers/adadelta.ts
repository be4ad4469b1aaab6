/**
 * Adadelta, as Keras `Adadelta`.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { withSteps } from "./_compose.ts";
import { checkOptions, positive, unit } from "./_validate.ts";
import { type ClipOptions, COMMON_OPTIONS, type LearningRate, Optimizer } from "./optimizer.ts";
import type { UpdateArgs } from "./optimizer.ts";

/** Options of {@linkcode adadelta}. */
export interface AdadeltaOptions extends ClipOptions {
  /** A number >= 0 or a schedule (default 0.001, as Keras). */
  learningRate?: LearningRate;
  /** Decay of both running averages, in [0, 1) (default 0.95). */
  rho?: number;
  /** Added under the square roots; > 0 (default 1e-7). */
  epsilon?: number;
}

/**
 * Adadelta (Keras `Adadelta`, Zeiler): each weight keeps running averages `a` of g² and `d` of
 * the squared updates; per step `a = ρ·a + (1-ρ)·g²; Δ = sqrt(d + ε) / sqrt(a + ε)·g;
 * d = ρ·d + (1-ρ)·Δ²; w -= lr·Δ`. Composed from the backend's elementwise primitives.
 */
export class Adadelta extends Optimizer {
  /** `"Adadelta"`. */
  readonly className = "Adadelta";
  /** ρ. */
  readonly rho: number;
  /** ε. */
  readonly epsilon: number;

  /** Checks the options; see {@linkcode adadelta}. */
  constructor(options: AdadeltaOptions = {}) {
    const fn = "adadelta";
    const o = checkOptions(options, [...COMMON_OPTIONS, "rho", "epsilon"], fn);
    super(fn, o, 0.001);
    this.rho = unit(o.rho, 0.95, "rho", fn);
    this.epsilon = positive(o.epsilon, 1e-7, "epsilon", fn);
  }

  /**
   * State tensors per weight: the averages of g² and of Δ².
   *
   * @ignore
   */
  protected get slotCount(): number {
    return 2;
  }

  /**
   * Updates one weight.
   *
   * @ignore
   */
  protected update({ backend, w, g, slots: [a, d], size, lr }: UpdateArgs): void {
    const { rho, epsilon } = this;
    withSteps(backend, size, 2, (s, [delta, tmp]) => {
      s.unary("square", g, tmp);
      s.affine(a, a, rho, 0);
      s.axpy(tmp, a, 1 - rho);
      s.affine(d, delta, 1, epsilon);
      s.unary("sqrt", delta, delta);
      s.affine(a, tmp, 1, epsilon);
      s.unary("sqrt", tmp, tmp);
      s.binary("div", delta, tmp, delta);
      s.binary("mul", delta, g, delta);
      s.unary("square", delta, tmp);
      s.affine(d, d, rho, 0);
      s.axpy(tmp, d, 1 - rho);
      s.axpy(delta, w, -lr);
    });
  }

  /**
   * Options for `getConfig()`.
   *
   * @ignore
   */
  protected hyperparameters(): Record<string, unknown> {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}

/**
 * Creates an Adadelta optimizer (Keras `Adadelta`, TF.js `tf.train.adadelta`).
 *
 * @param options `learningRate` (0.001), `rho` (0.95), `epsilon` (1e-7), and at most one of
 * `clipNorm` and `clipValue`.
 * @returns An optimizer; call `applyGradients(weights, grads)` once per batch.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 * @throws {RangeError} When `learningRate` is negative or not finite, `rho` is outside [0, 1),
 * `epsilon` is not > 0, a clip option is not > 0, or both clip options are set.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const w = dn.tensor([1]);
 * const opt = dn.optimizers.adadelta({ learningRate: 1, rho: 0.5, epsilon: 0.01 });
 * opt.applyGradients([w], [dn.tensor([1])]); // a = 0.5, Δ = sqrt(0.01)/sqrt(0.51)
 * assert.ok(Math.abs(w.dataSync()[0] - (1 - 0.1 / Math.sqrt(0.51))) < 1e-6);
 * opt.dispose();
 * ```
 */
export function adadelta(options: AdadeltaOptions = {}): Adadelta {
  checkArity(arguments, ["options"], "adadelta");
  return new Adadelta(options);
}
