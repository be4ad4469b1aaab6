/**
 * Rosenblatt's perceptron: a single threshold unit `ŷ = [w·x + b > 0]` trained by the
 * error-correction rule `w += lr·(y - ŷ)·x`, `b += lr·(y - ŷ)`, one sample at a time. It converges
 * on linearly separable data (Novikoff) and cannot represent XOR (Minsky and Papert).
 *
 * @module
 */
import {
  checkArity,
  checkFinite,
  checkOptions,
  checkPositiveInt,
  checkRank,
  checkTensor,
  fmtShape,
  fmtValue,
} from "../_check.ts";
import { tensor } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";

/** Options of `Perceptron.fit()`. */
export interface PerceptronFitOptions {
  /** Most passes over the data (default 100); training stops early after an error-free pass. */
  epochs?: number;
  /** Step size (default 1). */
  learningRate?: number;
}

/** Outcome of `Perceptron.fit()`. */
export interface PerceptronHistory {
  /** Whether a pass made no error (the data was separated). */
  converged: boolean;
  /** Misclassified samples in each pass. */
  errors: number[];
}

/** A single-layer perceptron with a step activation and labels 0 or 1. */
export class Perceptron {
  /** Number of input features. */
  readonly inputDim: number;
  #w: Float64Array;
  #b = 0;

  /**
   * Creates an untrained perceptron; weights and bias start at zero, as in Rosenblatt's rule.
   *
   * @param inputDim Number of features.
   */
  constructor(inputDim: number) {
    checkArity(arguments, ["inputDim"], "perceptron");
    this.inputDim = checkPositiveInt(inputDim, "inputDim", "perceptron");
    this.#w = new Float64Array(inputDim);
  }

  #read(
    x: Tensor,
    y: Tensor | null,
    fn: string,
  ): { xs: Float32Array; ys: Float32Array | null; n: number } {
    checkTensor(x, "x", fn);
    checkRank(x, 2, "x", fn);
    if (x.shape[1] !== this.inputDim) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "x" must have shape [samples, ${this.inputDim}]: got ${
          fmtShape(x.shape)
        }`,
      );
    }
    const n = x.shape[0];
    if (y === null) return { xs: x.dataSync(), ys: null, n };
    checkTensor(y, "y", fn);
    const ys = y.dataSync();
    if (ys.length !== n || ys.some((v) => v !== 0 && v !== 1)) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "y" must hold ${n} labels, each 0 or 1: got shape ${
          fmtShape(y.shape)
        }`,
      );
    }
    return { xs: x.dataSync(), ys, n };
  }

  #output(xs: Float32Array, i: number): number {
    let s = this.#b;
    for (let j = 0; j < this.inputDim; j++) s += this.#w[j] * xs[i * this.inputDim + j];
    return s > 0 ? 1 : 0;
  }

  /**
   * Trains with the error-correction rule, visiting samples in order.
   *
   * @param x `[samples, inputDim]`.
   * @param y `[samples]` or `[samples, 1]` of 0/1 labels.
   * @param options `epochs`, `learningRate`.
   * @returns Whether it converged and the errors per pass.
   */
  fit(x: Tensor, y: Tensor, options: PerceptronFitOptions = {}): PerceptronHistory {
    const fn = "Perceptron.fit";
    checkArity(arguments, ["x", "y", "options"], fn);
    checkOptions(options, ["epochs", "learningRate"], fn);
    const { xs, ys, n } = this.#read(x, y, fn);
    const epochs = options.epochs ?? 100;
    if (!Number.isInteger(epochs) || epochs < 0) {
      throw new RangeError(
        `Cannot run ${fn}(): option "epochs" must be a non-negative integer: got ${
          fmtValue(epochs)
        }`,
      );
    }
    const lr = checkFinite(options.learningRate ?? 1, "learningRate", fn);
    const errors: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      let wrong = 0;
      for (let i = 0; i < n; i++) {
        const delta = ys![i] - this.#output(xs, i);
        if (delta === 0) continue;
        wrong++;
        for (let j = 0; j < this.inputDim; j++) {
          this.#w[j] += lr * delta * xs[i * this.inputDim + j];
        }
        this.#b += lr * delta;
      }
      errors.push(wrong);
      if (wrong === 0) return { converged: true, errors };
    }
    return { converged: false, errors };
  }

  /**
   * Predicted labels.
   *
   * @param x `[samples, inputDim]`.
   * @returns `[samples]` of 0/1.
   */
  predict(x: Tensor): Tensor {
    checkArity(arguments, ["x"], "Perceptron.predict");
    const { xs, n } = this.#read(x, null, "Perceptron.predict");
    return tensor(Float32Array.from({ length: n }, (_, i) => this.#output(xs, i)), [n]);
  }

  /** Weights and bias. */
  get weights(): { w: number[]; b: number } {
    return { w: [...this.#w], b: this.#b };
  }
}

/**
 * A Rosenblatt perceptron over `inputDim` features.
 *
 * @param inputDim Number of features.
 * @returns The untrained perceptron (zero weights).
 * @throws {RangeError} When `inputDim` is not a positive integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const p = dn.perceptron(2);
 * const x = dn.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
 * assert.equal(p.fit(x, dn.tensor([0, 0, 0, 1])).converged, true);   // AND is separable
 * assert.equal(dn.perceptron(2).fit(x, dn.tensor([0, 1, 1, 0])).converged, false); // XOR is not
 * ```
 */
export function perceptron(inputDim: number): Perceptron {
  checkArity(arguments, ["inputDim"], "perceptron");
  return new Perceptron(inputDim);
}
