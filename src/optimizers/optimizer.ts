/**
 * The optimizer base class: argument checks, learning-rate schedules, gradient clipping and the
 * per-weight state slots; subclasses only describe their slots and call their update kernel.
 *
 * Memory: slots are allocated on a weight's first update, zero-filled, and kept until `dispose()`
 * (or until the weight itself is disposed, which frees them on the next update). Clipping writes
 * into one scratch tensor, grown to the largest gradient and reused, so repeated updates of the
 * same weights allocate nothing.
 *
 * @module
 */
import { checkArity, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import type { Backend, BroadcastPlan, Storage } from "../backend/backend.ts";
import { fused } from "../backend/fused_defaults.ts";
import { Tensor } from "../tensor.ts";
import { positive } from "./_validate.ts";
import type { LearningRateSchedule, SerializedConfig } from "./schedules.ts";

/** A learning rate: a number >= 0 or a schedule of the step. */
export type LearningRate = number | LearningRateSchedule;

/** Gradient clipping options shared by all optimizers (Keras `clipnorm`, `clipvalue`). */
export interface ClipOptions {
  /** Rescale each gradient tensor whose L2 norm exceeds this to that norm; > 0. */
  clipNorm?: number;
  /** Clip each gradient element to `[-clipValue, clipValue]`; > 0. */
  clipValue?: number;
}

/** Option names every optimizer accepts. */
export const COMMON_OPTIONS = ["learningRate", "clipNorm", "clipValue"] as const;

/** What a subclass hands its kernel for one weight. */
export interface UpdateArgs {
  backend: Backend;
  w: Storage;
  /** The gradient, clipped if asked. */
  g: Storage;
  /** This weight's slots, in the order of `slotCount`. */
  slots: readonly Storage[];
  size: number;
  /** Learning rate of this step (schedule applied). */
  lr: number;
  /** 1-based step number: `iterations + 1`. */
  t: number;
}

/** Checks `learningRate`: a finite number >= 0, or a schedule (a function with `getConfig`). */
export function checkLearningRate(value: unknown, fallback: number, fn: string): LearningRate {
  if (value === undefined) return fallback;
  if (
    typeof value === "function" &&
    typeof (value as { getConfig?: unknown }).getConfig === "function"
  ) {
    return value as LearningRateSchedule;
  }
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  throw new (typeof value === "number" ? RangeError : TypeError)(
    `Cannot run ${fn}(): option "learningRate" must be a finite number >= 0 or a schedule: got ${
      fmtValue(value)
    }`,
  );
}

/**
 * Base class of the optimizers: `applyGradients()` updates weights in place from their gradients
 * (Keras semantics), with optional gradient clipping and a learning-rate schedule.
 */
export abstract class Optimizer {
  /** The class name in `getConfig()`: `"SGD"`, `"Adam"` or `"RMSprop"`. */
  abstract readonly className: string;
  #learningRate: LearningRate;
  readonly #clipNorm: number | undefined;
  readonly #clipValue: number | undefined;
  #iterations = 0;
  #slots = new Map<Tensor, Tensor[]>();
  #scratch: Tensor | null = null;
  /** Two floats (norm, scale) for clipNorm on the device, kept between steps. */
  #scalars: { backend: Backend; norm: Storage; scale: Storage } | null = null;
  #disposed = false;

  /** Checks the common options (`COMMON_OPTIONS`); `fn` names the factory in error messages. */
  protected constructor(fn: string, options: Record<string, unknown>, defaultLearningRate: number) {
    this.#learningRate = checkLearningRate(options.learningRate, defaultLearningRate, fn);
    this.#clipNorm = positive(options.clipNorm, undefined, "clipNorm", fn);
    this.#clipValue = positive(options.clipValue, undefined, "clipValue", fn);
    if (this.#clipNorm !== undefined && this.#clipValue !== undefined) {
      throw new RangeError(
        `Cannot run ${fn}(): set at most one of options "clipNorm" and "clipValue": got ${this.#clipNorm} and ${this.#clipValue}`,
      );
    }
  }

  /** Number of updates applied so far (Keras `iterations`). */
  get iterations(): number {
    return this.#iterations;
  }

  /** The learning rate the next update uses: the schedule evaluated at `iterations`. */
  get learningRate(): number {
    const lr = this.#learningRate;
    return typeof lr === "number" ? lr : lr(this.#iterations);
  }

  /**
   * Sets a constant learning rate for the next updates (as Keras's
   * `optimizer.learning_rate = ...`, which `reduceLROnPlateau` and `learningRateScheduler` use).
   *
   * @throws {TypeError} When the optimizer was made with a schedule (which owns the rate), or the
   *   value is not a number.
   * @throws {RangeError} When the value is negative or not finite.
   */
  set learningRate(value: number) {
    const fn = `${this.className}.learningRate`;
    if (typeof this.#learningRate !== "number") {
      throw new TypeError(
        `Cannot set ${fn}: the optimizer was created with a learning rate schedule, which sets the rate: got ${
          fmtValue(value)
        }`,
      );
    }
    if (typeof value !== "number") {
      throw new TypeError(`Cannot set ${fn}: the value must be a number: got ${fmtValue(value)}`);
    }
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(
        `Cannot set ${fn}: the value must be a finite number >= 0: got ${value}`,
      );
    }
    this.#learningRate = value;
  }

  /**
   * Number of state tensors per weight (momentum, moments, mean square).
   *
   * @ignore
   */
  protected abstract get slotCount(): number;

  /**
   * Runs the update kernel for one weight (backend internals: not public API).
   *
   * @ignore
   */
  protected abstract update(args: UpdateArgs): void;

  /**
   * The subclass's own hyperparameters for `getConfig()`.
   *
   * @ignore
   */
  protected abstract hyperparameters(): Record<string, unknown>;

  /**
   * Updates each weight in place from its gradient, then increments `iterations`.
   *
   * @param weights The tensors to update.
   * @param grads One gradient per weight, same order and shapes (e.g. from `dn.grads()`); they
   * are not modified (clipping works on a copy).
   * @throws {TypeError} When the optimizer was disposed, an argument is not an array, or an
   * element is not a live tensor.
   * @throws {RangeError} When the lengths or a weight's and gradient's shapes differ, or the
   * schedule gives a negative or non-finite rate.
   *
   * @example
   * ```ts
   * import * as dn from "@dendrite/dendrite";
   * import assert from "node:assert/strict";
   * const w = dn.tensor([1, 2]);
   * const opt = dn.optimizers.sgd({ learningRate: 0.5 });
   * opt.applyGradients([w], [dn.tensor([2, -2])]);
   * assert.deepEqual([...w.dataSync()], [0, 3]);
   * assert.equal(opt.iterations, 1);
   * ```
   */
  applyGradients(weights: readonly Tensor[], grads: readonly Tensor[]): void {
    const fn = `${this.className}.applyGradients`;
    checkArity(arguments, ["weights", "grads"], fn);
    this.#check(weights, grads, fn);
    const lr = this.learningRate;
    if (!Number.isFinite(lr) || lr < 0) {
      throw new RangeError(
        `Cannot run ${fn}(): the learning rate schedule must give a finite number >= 0: got ${lr} at step ${this.#iterations}`,
      );
    }
    this.#freeStaleSlots();
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i];
      if (w.size === 0) continue;
      const backend = w.backend;
      this.update({
        backend,
        w: w.storage,
        g: this.#clip(backend, grads[i]),
        slots: this.#slotsOf(w).map((s) => s.storage),
        size: w.size,
        lr,
        t: this.#iterations + 1,
      });
    }
    this.#iterations++;
  }

  /**
   * The class name and options, JSON-able, for saving; a schedule is saved as its own config.
   *
   * @returns `{ className, config }`; unset clipping options are left out.
   *
   * @example
   * ```ts
   * import * as dn from "@dendrite/dendrite";
   * import assert from "node:assert/strict";
   * const { className, config } = dn.optimizers.adam({ clipNorm: 1 }).getConfig();
   * assert.equal(className, "Adam");
   * assert.equal(config.learningRate, 0.001);
   * assert.equal(config.clipNorm, 1);
   * ```
   */
  getConfig(): SerializedConfig {
    checkArity(arguments, [], `${this.className}.getConfig`);
    const lr = this.#learningRate;
    const config: Record<string, unknown> = {
      learningRate: typeof lr === "number" ? lr : lr.getConfig(),
      ...this.hyperparameters(),
    };
    if (this.#clipNorm !== undefined) config.clipNorm = this.#clipNorm;
    if (this.#clipValue !== undefined) config.clipValue = this.#clipValue;
    return { className: this.className, config };
  }

  /**
   * Frees the state tensors; the optimizer cannot be used afterwards. Calling it twice is harmless.
   *
   * @example
   * ```ts
   * import * as dn from "@dendrite/dendrite";
   * import assert from "node:assert/strict";
   * const w = dn.tensor([1]);
   * const opt = dn.optimizers.adam();
   * opt.applyGradients([w], [dn.tensor([1])]);
   * const before = dn.memory().numTensors;
   * opt.dispose();
   * assert.equal(dn.memory().numTensors, before - 2); // Adam's two moments
   * ```
   */
  dispose(): void {
    checkArity(arguments, [], `${this.className}.dispose`);
    for (const slots of this.#slots.values()) for (const s of slots) s.dispose();
    this.#slots.clear();
    this.#scratch?.dispose();
    this.#scratch = null;
    this.#freeScalars();
    this.#disposed = true;
  }

  /** `using opt = dn.optimizers.sgd()` disposes at the end of the scope. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  #check(weights: readonly Tensor[], grads: readonly Tensor[], fn: string): void {
    if (this.#disposed) {
      throw new TypeError(`Cannot run ${fn}(): the optimizer was disposed`);
    }
    for (const [arg, xs] of [["weights", weights], ["grads", grads]] as const) {
      if (!Array.isArray(xs)) {
        throw new TypeError(
          `Cannot run ${fn}(): argument "${arg}" must be an array of tensors: got ${fmtValue(xs)}`,
        );
      }
      xs.forEach((x, i) => checkTensor(x, `${arg}[${i}]`, fn));
    }
    if (weights.length !== grads.length) {
      throw new RangeError(
        `Cannot run ${fn}(): arguments "weights" and "grads" must have the same length: got ${weights.length} and ${grads.length}`,
      );
    }
    weights.forEach((w, i) => {
      const g = grads[i];
      if (g.shape.length !== w.shape.length || g.shape.some((d, j) => d !== w.shape[j])) {
        throw new RangeError(
          `Cannot run ${fn}(): "grads[${i}]" must have the shape of "weights[${i}]" ${
            fmtShape(w.shape)
          }: got ${fmtShape(g.shape)}`,
        );
      }
      if (g.backend !== w.backend) {
        throw new TypeError(
          `Cannot run ${fn}(): "grads[${i}]" must live on the backend of "weights[${i}]" ("${w.backend.name}"): got "${g.backend.name}"`,
        );
      }
    });
  }

  /** The gradient to apply: `g` itself, or a clipped copy in the scratch tensor. */
  #clip(backend: Backend, g: Tensor): Storage {
    const n = g.size;
    if (this.#clipValue !== undefined) {
      const scratch = this.#scratchFor(backend, n);
      fused(backend).clip(g.storage, scratch, n, -this.#clipValue, this.#clipValue);
      return scratch;
    }
    if (this.#clipNorm !== undefined && !backend.supports("sumSquares")) {
      return this.#clipNormOnDevice(backend, g, this.#clipNorm);
    }
    if (this.#clipNorm !== undefined) {
      const norm = Math.sqrt(fused(backend).sumSquares(g.storage, n));
      // Keras: g·clipNorm / max(norm, clipNorm); below the threshold that is g itself.
      if (!(norm > this.#clipNorm)) return g.storage;
      const scratch = this.#scratchFor(backend, n);
      fused(backend).affine(g.storage, scratch, n, this.#clipNorm / norm, 0);
      return scratch;
    }
    return g.storage;
  }

  /**
   * `g·c / max(‖g‖, c)` computed on the device, for backends that cannot return a sum
   * synchronously (WebGPU): the norm is reduced in float32 there (the CPU path sums in float64).
   */
  #clipNormOnDevice(backend: Backend, g: Tensor, c: number): Storage {
    const n = g.size;
    const scratch = this.#scratchFor(backend, n);
    if (this.#scalars?.backend !== backend) {
      this.#freeScalars();
      this.#scalars = { backend, norm: backend.alloc(1), scale: backend.alloc(1) };
    }
    const { norm, scale } = this.#scalars;
    backend.unary("square", g.storage, scratch, n);
    backend.reduce("sum", scratch, norm, 1, n, 1, 1);
    backend.unary("sqrt", norm, norm, 1);
    // max(norm, c) = relu(norm - c) + c, with the primitives every backend has.
    fused(backend).affine(norm, norm, 1, 1, -c);
    backend.unary("relu", norm, norm, 1);
    fused(backend).affine(norm, norm, 1, 1, c);
    backend.fill(scale, c, 1);
    const one: BroadcastPlan = {
      dims: [1, 1, 1, 1],
      aStrides: [0, 0, 0, 1],
      bStrides: [0, 0, 0, 1],
    };
    backend.binary("div", scale, norm, scale, one);
    const rows: BroadcastPlan = {
      dims: [1, 1, 1, n],
      aStrides: [0, 0, 0, 1],
      bStrides: [0, 0, 0, 0],
    };
    backend.binary("mul", g.storage, scale, scratch, rows);
    return scratch;
  }

  #freeScalars(): void {
    if (!this.#scalars) return;
    this.#scalars.backend.free(this.#scalars.norm);
    this.#scalars.backend.free(this.#scalars.scale);
    this.#scalars = null;
  }

  #scratchFor(backend: Backend, size: number): Storage {
    if (!this.#scratch || this.#scratch.size < size || this.#scratch.backend !== backend) {
      this.#scratch?.dispose();
      this.#scratch = new Tensor([size], backend, backend.alloc(size));
    }
    return this.#scratch.storage;
  }

  #slotsOf(w: Tensor): Tensor[] {
    let slots = this.#slots.get(w);
    if (!slots) {
      const backend = w.backend;
      slots = Array.from({ length: this.slotCount }, () => {
        const s = new Tensor(w.shape, backend, backend.alloc(w.size));
        backend.fill(s.storage, 0, w.size);
        return s;
      });
      this.#slots.set(w, slots);
    }
    return slots;
  }

  /** Frees the slots of weights disposed since the last update. */
  #freeStaleSlots(): void {
    for (const [w, slots] of this.#slots) {
      if (!w.isDisposed) continue;
      for (const s of slots) s.dispose();
      this.#slots.delete(w);
    }
  }
}
