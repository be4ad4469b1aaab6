/**
 * RMSprop, as Keras `RMSprop` without momentum and not centered.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { fused } from "../backend/fused_defaults.ts";
import { checkOptions, positive, unit } from "./_validate.ts";
import { type ClipOptions, COMMON_OPTIONS, type LearningRate, Optimizer } from "./optimizer.ts";
import type { UpdateArgs } from "./optimizer.ts";

/** Options of {@linkcode rmsprop}. */
export interface RmspropOptions extends ClipOptions {
  /** A number >= 0 or a schedule (default 0.001). */
  learningRate?: LearningRate;
  /** Decay of the mean square, in [0, 1) (default 0.9). */
  rho?: number;
  /** Added to `sqrt(ms)`; > 0 (default 1e-7, as Keras). */
  epsilon?: number;
}

/**
 * RMSprop (Keras `RMSprop`, `momentum = 0`, `centered = false`). Each weight keeps a mean square
 * `ms`: `ms = ρ·ms + (1-ρ)·g²; w -= lr·g / (sqrt(ms) + ε)`.
 */
export class RMSprop extends Optimizer {
  /** `"RMSprop"`. */
  readonly className = "RMSprop";
  /** ρ. */
  readonly rho: number;
  /** ε. */
  readonly epsilon: number;

  /** Checks the options; see {@linkcode rmsprop}. */
  constructor(options: RmspropOptions = {}) {
    const fn = "rmsprop";
    const o = checkOptions(options, [...COMMON_OPTIONS, "rho", "epsilon"], fn);
    super(fn, o, 0.001);
    this.rho = unit(o.rho, 0.9, "rho", fn);
    this.epsilon = positive(o.epsilon, 1e-7, "epsilon", fn);
  }

  /**
   * State tensors per weight.
   *
   * @ignore
   */
  protected get slotCount(): number {
    return 1;
  }

  /**
   * Runs the fused update kernel on one weight.
   *
   * @ignore
   */
  protected update({ backend, w, g, slots: [ms], size, lr }: UpdateArgs): void {
    const { rho, epsilon } = this;
    fused(backend).optimizerStep({ op: "rmsprop", w, g, ms, lr, rho, epsilon }, size);
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
 * Creates an RMSprop optimizer (Keras `RMSprop` without momentum, not centered).
 *
 * @param options `learningRate` (0.001), `rho` (0.9), `epsilon` (1e-7), and at most one of
 * `clipNorm` (per-tensor L2 norm) and `clipValue` (elementwise).
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
 * const opt = dn.optimizers.rmsprop({ learningRate: 0.01 });
 * opt.applyGradients([w], [dn.tensor([2])]); // ms = 0.4, w = 1 - 0.01·2/sqrt(0.4)
 * assert.ok(Math.abs(w.dataSync()[0] - (1 - 0.02 / Math.sqrt(0.4))) < 1e-6);
 * opt.dispose();
 * ```
 */
export function rmsprop(options: RmspropOptions = {}): RMSprop {
  checkArity(arguments, ["options"], "rmsprop");
  return new RMSprop(options);
}
