/**
 * The layer base class: named weights, lazy building from the input shape, Keras-style config
 * for saving, and weight access (`getWeights` / `setWeights`).
 *
 * @module
 */
import { checkOptions, checkShape, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import { generator, type Random } from "../random.ts";
import { Tensor } from "../tensor.ts";
import { type Initializer, initialValues } from "./initializers.ts";
import type { Regularizer } from "./regularizers.ts";
import type { Constraint } from "./constraints.ts";
import { applySymbolic, layerOutput, SymbolicTensor } from "../models/symbolic.ts";

/**
 * What a layer takes: the shape of one sample, or for a layer of several inputs (a merge, a model
 * of several inputs) one shape per input.
 */
export type LayerShape = readonly number[] | readonly (readonly number[])[];

/** Arguments every layer accepts. */
export interface LayerArgs {
  /** Unique name; default `<class>_<n>`. */
  name?: string;
  /** Shape of one sample (without the batch), for the first layer of a model. */
  inputShape?: number[];
  /**
   * Whether `fit` and the optimizers update the layer's weights (default true); see
   * {@linkcode Layer.trainable}.
   */
  trainable?: boolean;
}

/** A weight of a layer: a name local to the layer and its tensor. */
export interface LayerWeight {
  /** Name within the layer, e.g. `"kernel"` or `"bias"` (a wrapper prefixes its inner layers'). */
  readonly name: string;
  /** The weight's values; the layer owns the tensor and frees it in `dispose()`. */
  readonly value: Tensor;
  /** L2 regularisation factor, 0 for none. */
  readonly l2: number;
  /** L1 regularisation factor (adds `l1 · Σ|w|` to the training loss); absent or 0 for none. */
  readonly l1?: number;
  /** Projection `fit` applies after each optimizer step (`dn.constraints`); absent for none. */
  readonly constraint?: Constraint;
  /**
   * False for statistics the layer updates itself (batch normalization's moving mean and
   * variance): saved, loaded and counted, never given to an optimizer. Absent means true.
   */
  readonly trainable?: boolean;
}

const counters = new Map<string, number>();

/** Weight values layers may still allocate: finite only inside {@linkcode withWeightBudget}. */
let weightBudget = Infinity;

/**
 * Runs `fn` with layers allowed to allocate at most `values` weight values in all, so that a
 * loader building layers from an untrusted file allocates no more than the file holds: a layer
 * asking for more throws a RangeError naming it before anything is allocated.
 */
export function withWeightBudget<T>(values: number, fn: () => T): T {
  const saved = weightBudget;
  weightBudget = values;
  try {
    return fn();
  } finally {
    weightBudget = saved;
  }
}

/** `value` when a boolean; `what` is the failed action in the message (`run dense()`). */
function checkTrainable(value: unknown, what: string): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(`Cannot ${what}: "trainable" must be a boolean: got ${fmtValue(value)}`);
  }
  return value;
}

/** Base class of all layers. */
export abstract class Layer {
  /** Keras class name, used in saved topologies. */
  abstract readonly className: string;
  /** Unique name. */
  readonly name: string;
  readonly #inputShape: number[] | undefined;
  #weights: LayerWeight[] = [];
  #built: string | null = null;
  #trainable: boolean;
  /** The models holding the layer: `dispose()` of one frees only layers no other holds. */
  readonly #owners = new Set<Layer>();

  /**
   * Sets the name and the input shape; called by the subclasses' constructors.
   *
   * @param args `name`, `inputShape`.
   * @param prefix Prefix of the default name `<prefix>_<n>`, and the function named in errors.
   * @param keys The keys of `args` the subclass reads besides `name` and `inputShape`: when given,
   *   any other key throws a TypeError (as Keras rejects unknown keyword arguments) instead of
   *   being ignored.
   * @param fn The factory named in that error (default `prefix`).
   */
  constructor(args: LayerArgs, prefix: string, keys?: readonly string[], fn: string = prefix) {
    if (keys) checkOptions(args, [...keys, "name", "inputShape", "trainable"], fn, "args");
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    this.name = args.name ?? `${prefix}_${n}`;
    this.#inputShape = args.inputShape === undefined
      ? undefined
      : checkShape(args.inputShape, "inputShape", prefix);
    this.#trainable = checkTrainable(
      args.trainable === undefined ? true : args.trainable,
      `run ${fn}()`,
    );
  }

  /**
   * Whether training updates the layer's weights (Keras `layer.trainable`): when false, `fit`,
   * `trainOnBatch` and `trainableWeights` leave them out (a batch normalization layer then also
   * runs in inference mode, as in Keras), so they stay bitwise unchanged. Takes effect at the
   * next step: unlike Keras, no new `compile()` is needed. Saved in the layer's config. On a
   * model, setting it sets every layer's; a frozen model has no trainable weights whatever its
   * layers say.
   */
  get trainable(): boolean {
    return this.#trainable;
  }

  set trainable(value: boolean) {
    this.#trainable = checkTrainable(value, `set ${this.name}.trainable`);
  }

  /** The weights training updates (Keras `trainable_weights`): none while `trainable` is false. */
  get trainableWeights(): Tensor[] {
    return this.trainable
      ? this.weights.filter((w) => w.trainable !== false).map((w) => w.value)
      : [];
  }

  /** The other weights (Keras `non_trainable_weights`): moving statistics, frozen weights. */
  get nonTrainableWeights(): Tensor[] {
    const trainable = new Set(this.trainableWeights);
    return this.weights.map((w) => w.value).filter((v) => !trainable.has(v));
  }

  /** Shape of one sample, if given. */
  get inputShape(): number[] | undefined {
    return this.#inputShape;
  }

  /** Creates the weights for inputs of `inputShape` (one sample); layers without weights skip. */
  protected build(_inputShape: LayerShape): void {}

  /** Names and shapes of the weights `build(inputShape)` creates, without creating them. */
  weightShapes(_inputShape: LayerShape): { name: string; shape: number[] }[] {
    return [];
  }

  /**
   * Applies the layer to a batch: one tensor, or for a layer of several inputs a list (the
   * `LayerShape` it was built for says which).
   */
  abstract call(x: Tensor | Tensor[], training: boolean): Tensor;

  /** Output shape of one sample for an input sample of `inputShape`. */
  computeOutputShape(inputShape: LayerShape): number[] {
    return [...(inputShape as readonly number[])];
  }

  /**
   * Applies the layer. On symbolic tensors (from `dn.input` or another `apply`) it records the
   * call in the graph of a functional model, building the weights for those shapes, and returns
   * the symbolic output (applying one layer twice shares its weights); on tensors it runs `call`.
   *
   * @param inputs A symbolic tensor or a list of them, or a tensor or a list of tensors.
   * @param options `training` (default false) for tensors.
   * @returns The output, symbolic when the inputs are.
   * @throws {TypeError} When the inputs mix symbolic and real tensors. {RangeError} When the layer
   *   cannot take those shapes (the message names the layer).
   *
   * @example
   * ```ts
   * import * as dn from "@dendrite/dendrite";
   * import assert from "node:assert/strict";
   * const x = dn.input({ shape: [4] });
   * const y = dn.layers.dense({ units: 2 }).apply(x);
   * assert.deepEqual(y.shape, [null, 2]);
   * ```
   */
  apply(
    inputs: SymbolicTensor | SymbolicTensor[],
    options?: { training?: boolean },
  ): SymbolicTensor;
  /**
   * Applies the layer to a batch (a tensor, or a list for a layer of several inputs): `call`
   * after building the weights for the batch's sample shape.
   *
   * @param inputs A tensor or a list of tensors.
   * @param options `training` (default false).
   * @returns The output.
   */
  apply(inputs: Tensor | Tensor[], options?: { training?: boolean }): Tensor;
  apply(
    inputs: SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[],
    options: { training?: boolean } = {},
  ): SymbolicTensor | Tensor {
    const fn = `${this.name}.apply`;
    checkOptions(options, ["training"], fn);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length === 0) {
      throw new TypeError(`Cannot run ${fn}(): argument "inputs" must not be an empty list`);
    }
    if (list.every((t) => t instanceof SymbolicTensor)) {
      return applySymbolic(this, list as SymbolicTensor[], Array.isArray(inputs));
    }
    list.forEach((t, i) => checkTensor(t, Array.isArray(inputs) ? `inputs[${i}]` : "inputs", fn));
    const tensors = list as Tensor[];
    this.ensureBuilt(
      Array.isArray(inputs) ? tensors.map((t) => t.shape.slice(1)) : tensors[0].shape.slice(1),
    );
    return this.call(Array.isArray(inputs) ? tensors : tensors[0], options.training ?? false);
  }

  /**
   * The symbolic output of the layer in a functional graph (Keras `layer.output`).
   *
   * @throws {TypeError} When the layer was applied to symbolic tensors never or more than once.
   */
  get output(): SymbolicTensor {
    return layerOutput(this);
  }

  /** Keras-style config (JSON-able), enough to rebuild the layer. */
  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      ...(this.inputShape ? { inputShape: this.inputShape } : {}),
      ...(this.#trainable ? {} : { trainable: false }),
    };
  }

  /** Builds once, for `inputShape`; throws when later inputs have another shape. */
  ensureBuilt(inputShape: LayerShape): void {
    const key = JSON.stringify(inputShape);
    if (this.#built === null) {
      this.build(inputShape);
      this.#built = key;
    } else if (this.#built !== key) {
      const fmt = (s: string) => {
        const shape = JSON.parse(s) as number[] | number[][];
        return shape.map((d) => Array.isArray(d) ? fmtShape(d) : d).join(", ");
      };
      throw new RangeError(
        `Cannot apply layer "${this.name}": it was built for samples of shape [${
          fmt(this.#built)
        }]: got [${fmt(key)}]`,
      );
    }
  }

  /** Whether the weights exist. */
  get built(): boolean {
    return this.#built !== null;
  }

  /** Every weight, trainable or not, in creation order (the layer owns them). */
  get weights(): readonly LayerWeight[] {
    return this.#weights;
  }

  /** Number of weight values. */
  countParams(): number {
    return this.#weights.reduce((n, w) => n + w.value.size, 0);
  }

  /** Copies of the weights, in creation order (Keras layouts); the caller disposes them. */
  getWeights(): Tensor[] {
    const backend = activeBackend();
    return this.#weights.map(({ value }) => {
      const copy = new Tensor(value.shape, backend, backend.alloc(value.size));
      backend.copy(value.storage, 0, copy.storage, 0, value.size);
      return copy;
    });
  }

  /** Overwrites the weights with copies of `weights` (same count, order and shapes). */
  setWeights(weights: readonly Tensor[]): void {
    const fn = `${this.name}.setWeights`;
    if (!Array.isArray(weights) || weights.length !== this.#weights.length) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "weights" must hold ${this.#weights.length} tensors: got ${
          Array.isArray(weights) ? weights.length : typeof weights
        }`,
      );
    }
    weights.forEach((w, i) => {
      checkTensor(w, `weights[${i}]`, fn);
      const target = this.#weights[i].value;
      if (w.shape.join() !== target.shape.join()) {
        throw new RangeError(
          `Cannot run ${fn}(): weights[${i}] ("${this.#weights[i].name}") must have shape ${
            fmtShape(target.shape)
          }: got ${fmtShape(w.shape)}`,
        );
      }
    });
    const backend = activeBackend();
    weights.forEach((w, i) =>
      backend.copy(w.storage, 0, this.#weights[i].value.storage, 0, w.size)
    );
  }

  /**
   * Records that `model` holds the layer (called by the models' constructors).
   *
   * @internal
   */
  addOwner(model: Layer): void {
    this.#owners.add(model);
  }

  /**
   * Forgets that `model` holds the layer; returns whether no other model still does (so the
   * disposing model may free it).
   *
   * @internal
   */
  removeOwner(model: Layer): boolean {
    this.#owners.delete(model);
    return this.#owners.size === 0;
  }

  /** Frees the weights. */
  dispose(): void {
    for (const w of this.#weights) w.value.dispose();
    this.#weights = [];
    this.#built = null;
  }

  /**
   * Creates a weight filled by an initialiser, drawn from `rng` (default: the global one). For
   * the layers of this library: `rng` is the internal generator type. `penalty` is the L2 factor,
   * an L1/L2 regulariser (see `dn.regularizers`), or `{ regularizer, constraint }` (see
   * `dn.constraints`). `trainable` false makes a
   * statistic the layer updates itself (see {@linkcode LayerWeight.trainable}).
   *
   * @internal
   */
  protected addWeight(
    name: string,
    shape: readonly number[],
    initializer: Initializer,
    penalty: number | Regularizer | { regularizer?: Regularizer; constraint?: Constraint | null } =
      0,
    rng: Random = generator(),
    trainable = true,
  ): Tensor {
    const backend = activeBackend();
    const count = shape.reduce((a, b) => a * b, 1);
    if (count > weightBudget) {
      throw new RangeError(
        `Cannot build ${this.className} layer "${this.name}": weight "${name}" of shape ${
          fmtShape(shape)
        } needs ${count} values: the file holds ${weightBudget} more`,
      );
    }
    weightBudget -= count;
    const value = new Tensor(shape, backend, backend.alloc(count));
    backend.write(value.storage, initialValues(initializer, shape, rng, this.className));
    const { l1, l2 } = typeof penalty === "number"
      ? { l1: 0, l2: penalty }
      : "l2" in penalty
      ? penalty
      : penalty.regularizer ?? { l1: 0, l2: 0 };
    const constraint = typeof penalty === "object" && "constraint" in penalty
      ? penalty.constraint
      : null;
    const weight = {
      name,
      value,
      l2,
      ...(l1 ? { l1 } : {}),
      ...(constraint ? { constraint } : {}),
    };
    this.#weights.push(trainable ? weight : { ...weight, trainable });
    return value;
  }
}
