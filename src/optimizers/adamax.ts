/**
 * Adamax, as Keras `Adamax`.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { withSteps } from "./_compose.ts";
import { checkOptions, positive, unit } from "./_validate.ts";
import { type ClipOptions, COMMON_OPTIONS, type LearningRate, Optimizer } from "./optimizer.ts";
import type { UpdateArgs } from "./optimizer.ts";

/** Options of {@linkcode adamax}. */
export interface AdamaxOptions extends ClipOptions {
  /** A number >= 0 or a schedule (default 0.001). */
  learningRate?: LearningRate;
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the infinity norm, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to the norm; > 0 (default 1e-7). */
  epsilon?: number;
}

/**
 * Adamax (Keras `Adamax`, Kingma & Ba §7.1): each weight keeps `m` and the infinity norm `u`;
 * at step t `m = β1·m + (1-β1)·g; u = max(β2·u, |g|); w -= lr / (1-β1ᵗ)·m / (u + ε)`. Composed
 * from the backend's elementwise primitives.
 */
export class Adamax extends Optimizer {
  /** `"Adamax"`. */
  readonly className = "Adamax";
  /** β1. */
  readonly beta1: number;
  /** β2. */
  readonly beta2: number;
  /** ε. */
  readonly epsilon: number;

  /** Checks the options; see {@linkcode adamax}. */
  constructor(options: AdamaxOptions = {}) {
    const fn = "adamax";
    const o = checkOptions(options, [...COMMON_OPTIONS, "beta1", "beta2", "epsilon"], fn);
    super(fn, o, 0.001);
    this.beta1 = unit(o.beta1, 0.9, "beta1", fn);
    this.beta2 = unit(o.beta2, 0.999, "beta2", fn);
    this.epsilon = positive(o.epsilon, 1e-7, "epsilon", fn);
  }

  /**
   * State tensors per weight: `m` and `u`.
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
  protected update({ backend, w, g, slots: [m, u], size, lr, t }: UpdateArgs): void {
    const { beta1, beta2, epsilon } = this;
    withSteps(backend, size, 1, (s, [tmp]) => {
      s.affine(m, m, beta1, 0);
      s.axpy(g, m, 1 - beta1);
      s.unary("abs", g, tmp);
      s.affine(u, u, beta2, 0);
      s.binary("maximum", u, tmp, u);
      s.affine(u, tmp, 1, epsilon);
      s.binary("div", m, tmp, tmp);
      s.axpy(tmp, w, -lr / (1 - beta1 ** t));
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
 * Creates an Adamax optimizer (Keras `Adamax`, TF.js `tf.train.adamax`).
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
 * const w = dn.tensor([1, -1]);
 * const opt = dn.optimizers.adamax({ learningRate: 0.1 });
 * opt.applyGradients([w], [dn.tensor([3, -0.5])]); // the first step moves each weight by ~lr
 * const [a, b] = w.dataSync();
 * assert.ok(Math.abs(a - 0.9) < 1e-5 && Math.abs(b + 0.9) < 1e-5);
 * opt.dispose();
 * ```
 */
export function adamax(options: AdamaxOptions = {}): Adamax {
  checkArity(arguments, ["options"], "adamax");
  return new Adamax(options);
}
