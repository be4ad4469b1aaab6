/**
 * Adagrad, as Keras `Adagrad`.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import { withSteps } from "./_compose.ts";
import { checkOptions, nonNegative, positive } from "./_validate.ts";
import { type ClipOptions, COMMON_OPTIONS, type LearningRate, Optimizer } from "./optimizer.ts";
import type { UpdateArgs } from "./optimizer.ts";

/** Options of {@linkcode adagrad}. */
export interface AdagradOptions extends ClipOptions {
  /** A number >= 0 or a schedule (default 0.001, as Keras). */
  learningRate?: LearningRate;
  /** The accumulator's starting value, >= 0 (default 0.1). */
  initialAccumulatorValue?: number;
  /** Added under the square root; > 0 (default 1e-7). */
  epsilon?: number;
}

/**
 * Adagrad (Keras `Adagrad`, Duchi et al.): each weight keeps `acc`, starting at
 * `initialAccumulatorValue`; per step `acc += g²; w -= lr·g / sqrt(acc + ε)`. Composed from the
 * backend's elementwise primitives.
 */
export class Adagrad extends Optimizer {
  /** `"Adagrad"`. */
  readonly className = "Adagrad";
  /** The accumulator's starting value. */
  readonly initialAccumulatorValue: number;
  /** ε. */
  readonly epsilon: number;

  /** Checks the options; see {@linkcode adagrad}. */
  constructor(options: AdagradOptions = {}) {
    const fn = "adagrad";
    const o = checkOptions(options, [...COMMON_OPTIONS, "initialAccumulatorValue", "epsilon"], fn);
    super(fn, o, 0.001);
    this.initialAccumulatorValue = nonNegative(
      o.initialAccumulatorValue,
      0.1,
      "initialAccumulatorValue",
      fn,
    );
    this.epsilon = positive(o.epsilon, 1e-7, "epsilon", fn);
  }

  /**
   * State tensors per weight: the sum of squared gradients (less its starting value, since slots
   * start at 0).
   *
   * @ignore
   */
  protected get slotCount(): number {
    return 1;
  }

  /**
   * Updates one weight.
   *
   * @ignore
   */
  protected update({ backend, w, g, slots: [acc], size, lr }: UpdateArgs): void {
    const shift = this.initialAccumulatorValue + this.epsilon;
    withSteps(backend, size, 1, (s, [tmp]) => {
      s.unary("square", g, tmp);
      s.axpy(tmp, acc, 1);
      s.affine(acc, tmp, 1, shift);
      s.unary("sqrt", tmp, tmp);
      s.binary("div", g, tmp, tmp);
      s.axpy(tmp, w, -lr);
    });
  }

  /**
   * Options for `getConfig()`.
   *
   * @ignore
   */
  protected hyperparameters(): Record<string, unknown> {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

/**
 * Creates an Adagrad optimizer (Keras `Adagrad`, TF.js `tf.train.adagrad`).
 *
 * @param options `learningRate` (0.001), `initialAccumulatorValue` (0.1), `epsilon` (1e-7), and
 * at most one of `clipNorm` and `clipValue`.
 * @returns An optimizer; call `applyGradients(weights, grads)` once per batch.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 * @throws {RangeError} When `learningRate` or `initialAccumulatorValue` is negative or not finite,
 * `epsilon` is not > 0, a clip option is not > 0, or both clip options are set.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const w = dn.tensor([1]);
 * const opt = dn.optimizers.adagrad({ learningRate: 0.1 });
 * opt.applyGradients([w], [dn.tensor([2])]); // acc = 0.1 + 4, w = 1 - 0.1·2/sqrt(4.1)
 * assert.ok(Math.abs(w.dataSync()[0] - (1 - 0.2 / Math.sqrt(4.1))) < 1e-6);
 * opt.dispose();
 * ```
 */
export function adagrad(options: AdagradOptions = {}): Adagrad {
  checkArity(arguments, ["options"], "adagrad");
  return new Adagrad(options);
}
