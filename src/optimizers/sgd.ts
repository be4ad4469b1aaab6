/**
 * Stochastic gradient descent with optional (Nesterov) momentum, as Keras `SGD`.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { fused } from "../backend/fused_defaults.ts";
import { boolean, checkOptions, unit } from "./_validate.ts";
import { type ClipOptions, COMMON_OPTIONS, type LearningRate, Optimizer } from "./optimizer.ts";
import type { UpdateArgs } from "./optimizer.ts";

/** Options of {@linkcode sgd}. */
export interface SgdOptions extends ClipOptions {
  /** A number >= 0 or a schedule (default 0.01). */
  learningRate?: LearningRate;
  /** Momentum in [0, 1) (default 0: plain gradient descent, no state). */
  momentum?: number;
  /** Nesterov momentum (default false); no effect when `momentum` is 0. */
  nesterov?: boolean;
}

/**
 * SGD (Keras `SGD`). With `momentum` μ > 0 each weight keeps a velocity `v`:
 * `v = μ·v - lr·g; w += v`, or with `nesterov` `w += μ·v - lr·g`; with μ = 0, `w -= lr·g`.
 */
export class SGD extends Optimizer {
  /** `"SGD"`. */
  readonly className = "SGD";
  /** Momentum μ. */
  readonly momentum: number;
  /** Whether the momentum is Nesterov's. */
  readonly nesterov: boolean;

  /** Checks the options; see {@linkcode sgd}. */
  constructor(options: SgdOptions = {}) {
    const fn = "sgd";
    const o = checkOptions(options, [...COMMON_OPTIONS, "momentum", "nesterov"], fn);
    super(fn, o, 0.01);
    this.momentum = unit(o.momentum, 0, "momentum", fn);
    this.nesterov = boolean(o.nesterov, false, "nesterov", fn);
  }

  /**
   * State tensors per weight.
   *
   * @ignore
   */
  protected get slotCount(): number {
    return this.momentum === 0 ? 0 : 1;
  }

  /**
   * Runs the fused update kernel on one weight.
   *
   * @ignore
   */
  protected update({ backend, w, g, slots, size, lr }: UpdateArgs): void {
    const { momentum, nesterov } = this;
    fused(backend).optimizerStep(
      { op: "sgd", w, g, v: slots[0] ?? null, lr, momentum, nesterov },
      size,
    );
  }

  /**
   * Options for `getConfig()`.
   *
   * @ignore
   */
  protected hyperparameters(): Record<string, unknown> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}

/**
 * Creates an SGD optimizer (Keras `SGD`, TF.js `tf.train.sgd`/`momentum`).
 *
 * @param options `learningRate` (0.01), `momentum` (0), `nesterov` (false), and at most one of
 * `clipNorm` (per-tensor L2 norm) and `clipValue` (elementwise).
 * @returns An optimizer; call `applyGradients(weights, grads)` once per batch.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 * @throws {RangeError} When `learningRate` is negative or not finite, `momentum` is outside
 * [0, 1), a clip option is not > 0, or both clip options are set.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const w = dn.tensor([1]);
 * const opt = dn.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 });
 * opt.applyGradients([w], [dn.tensor([1])]); // v = -0.1, w = 0.9
 * opt.applyGradients([w], [dn.tensor([1])]); // v = -0.19, w = 0.71
 * assert.ok(Math.abs(w.dataSync()[0] - 0.71) < 1e-6);
 * opt.dispose();
 * ```
 */
export function sgd(options: SgdOptions = {}): SGD {
  checkArity(arguments, ["options"], "sgd");
  return new SGD(options);
}
