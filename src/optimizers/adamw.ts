/**
 * AdamW, as Keras `AdamW`: Adam with decoupled weight decay.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { fused } from "../backend/fused_defaults.ts";
import { checkOptions, nonNegative, positive, unit } from "./_validate.ts";
import { type ClipOptions, COMMON_OPTIONS, type LearningRate, Optimizer } from "./optimizer.ts";
import type { UpdateArgs } from "./optimizer.ts";

/** Options of {@linkcode adamw}. */
export interface AdamWOptions extends ClipOptions {
  /** A number >= 0 or a schedule (default 0.001). */
  learningRate?: LearningRate;
  /** Decoupled weight decay, >= 0 (default 0.004, as Keras). */
  weightDecay?: number;
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second moment, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to `sqrt(v)`; > 0 (default 1e-7). */
  epsilon?: number;
}

/**
 * AdamW (Keras `AdamW`, Loshchilov & Hutter): each step first decays the weight,
 * `w -= lr·weightDecay·w` (decoupled from the gradient, so the moments never see it), then takes
 * the Adam step (`m`, `v`, bias correction folded into the step size) in the fused Adam kernel.
 */
export class AdamW extends Optimizer {
  /** `"AdamW"`. */
  readonly className = "AdamW";
  /** The decoupled weight decay. */
  readonly weightDecay: number;
  /** β1. */
  readonly beta1: number;
  /** β2. */
  readonly beta2: number;
  /** ε. */
  readonly epsilon: number;

  /** Checks the options; see {@linkcode adamw}. */
  constructor(options: AdamWOptions = {}) {
    const fn = "adamw";
    const keys = [...COMMON_OPTIONS, "weightDecay", "beta1", "beta2", "epsilon"];
    const o = checkOptions(options, keys, fn);
    super(fn, o, 0.001);
    this.weightDecay = nonNegative(o.weightDecay, 0.004, "weightDecay", fn);
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

  /**
   * Decays the weight, then runs the fused Adam kernel on it.
   *
   * @ignore
   */
  protected update({ backend, w, g, slots: [m, v], size, lr, t }: UpdateArgs): void {
    const { beta1, beta2, epsilon, weightDecay } = this;
    if (weightDecay > 0) fused(backend).affine(w, w, size, 1 - lr * weightDecay, 0);
    // As Adam: the bias correction from the f32 betas the kernel decays the moments with.
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
    return {
      weightDecay: this.weightDecay,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
    };
  }
}

/**
 * Creates an AdamW optimizer (Keras `AdamW`).
 *
 * @param options `learningRate` (0.001), `weightDecay` (0.004), `beta1` (0.9), `beta2` (0.999),
 * `epsilon` (1e-7), and at most one of `clipNorm` and `clipValue`.
 * @returns An optimizer; call `applyGradients(weights, grads)` once per batch.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 * @throws {RangeError} When `learningRate` or `weightDecay` is negative or not finite, a beta is
 * outside [0, 1), `epsilon` is not > 0, a clip option is not > 0, or both clip options are set.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const w = dn.tensor([1]);
 * const opt = dn.optimizers.adamw({ learningRate: 0.1, weightDecay: 0.5 });
 * opt.applyGradients([w], [dn.tensor([0])]); // a zero gradient: only the decay, w·(1 - 0.05)
 * assert.ok(Math.abs(w.dataSync()[0] - 0.95) < 1e-6);
 * opt.dispose();
 * ```
 */
export function adamw(options: AdamWOptions = {}): AdamW {
  checkArity(arguments, ["options"], "adamw");
  return new AdamW(options);
}
