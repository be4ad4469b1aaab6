/**
 * Adam, as Keras `Adam` (epsilon added outside the square root, bias correction in the step size).
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { fused } from "../backend/fused_defaults.ts";
import { checkOptions, positive, unit } from "./_validate.ts";
import { type ClipOptions, COMMON_OPTIONS, type LearningRate, Optimizer } from "./optimizer.ts";
import type { UpdateArgs } from "./optimizer.ts";

/** Options of {@linkcode adam}. */
export interface AdamOptions extends ClipOptions {
  /** A number >= 0 or a schedule (default 0.001). */
  learningRate?: LearningRate;
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second moment, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to `sqrt(v)`; > 0 (default 1e-7, as Keras). */
  epsilon?: number;
}

/**
 * Adam (Keras `Adam`, Kingma & Ba). Each weight keeps moments `m`, `v`; at step t:
 * `m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; w -= lrT·m / (sqrt(v) + ε)` with
 * `lrT = lr·sqrt(1-β2ᵗ) / (1-β1ᵗ)`.
 */
export class Adam extends Optimizer {
  /** `"Adam"`. */
  readonly className = "Adam";
  /** β1. */
  readonly beta1: number;
  /** β2. */
  readonly beta2: number;
  /** ε. */
  readonly epsilon: number;

  /** Checks the options; see {@linkcode adam}. */
  constructor(options: AdamOptions = {}) {
    const fn = "adam";
    const o = checkOptions(options, [...COMMON_OPTIONS, "beta1", "beta2", "epsilon"], fn);
    super(fn, o, 0.001);
    this.beta1 = unit(o.beta1, 0.9, "beta1", fn);
    this.beta2 = unit(o.beta2, 0.999, "beta2", fn);
    this.epsilon = positive(o.epsilon, 1e-7, "epsilon", fn);
  }

  /**
   * State tensors per weight.
   *
   * @ignore
   */
  protected get slotCount(): number {
    return 2;
  }

  /**
   * Runs the fused update kernel on one weight.
   *
   * @ignore
   */
  protected update({ backend, w, g, slots: [m, v], size, lr, t }: UpdateArgs): void {
    const { beta1, beta2, epsilon } = this;
    // Bias correction folded into the step size (Keras' alpha), computed in f64 from the f32
    // betas the kernel decays the moments with, so that it removes exactly that bias.
    const b1 = Math.fround(beta1), b2 = Math.fround(beta2);
    const lrT = lr * Math.sqrt(1 - b2 ** t) / (1 - b1 ** t);
    fused(backend).optimizerStep({ op: "adam", w, g, m, v, lrT, beta1, beta2, epsilon }, size);
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
 * Creates an Adam optimizer (Keras `Adam`, TF.js `tf.train.adam`).
 *
 * @param options `learningRate` (0.001), `beta1` (0.9), `beta2` (0.999), `epsilon` (1e-7), and
 * at most one of `clipNorm` (per-tensor L2 norm) and `clipValue` (elementwise).
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
 * const opt = dn.optimizers.adam({ learningRate: 0.1 });
 * opt.applyGradients([w], [dn.tensor([3, -0.5])]); // the first step moves each weight by ~lr
 * const [a, b] = w.dataSync();
 * assert.ok(Math.abs(a - 0.9) < 1e-6 && Math.abs(b + 0.9) < 1e-6);
 * opt.dispose();
 * ```
 */
export function adam(options: AdamOptions = {}): Adam {
  checkArity(arguments, ["options"], "adam");
  return new Adam(options);
}
