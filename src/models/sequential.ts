/**
 * `Sequential`: a stack of layers with the Keras model API (`compile`, `fit`, `evaluate`,
 * `predict`, `summary`, `getWeights` / `setWeights`, `save`, from `LayersModel`); usable as a
 * layer of another model.
 *
 * @module
 */
import { checkArity, checkOptions, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { Layer, type LayerShape } from "../layers/layer.ts";
import type { Tensor } from "../tensor.ts";
import { LayersModel } from "./layers_model.ts";

/** Options of {@linkcode sequential}. */
export interface SequentialOptions {
  /** Unique name (as a layer of another model); default `sequential_<n>`. */
  name?: string;
  /** False freezes the model: every layer's `trainable` is set false, as `model.trainable`. */
  trainable?: boolean;
}

/** A linear stack of layers. */
export class Sequential extends LayersModel {
  /** Keras class name, used in saved topologies. */
  readonly className = "Sequential";
  readonly #layers: Layer[] = [];
  /** The sample shape it was built for as a layer of another model, when its first layer has none. */
  #builtShape: number[] | null = null;

  /**
   * Creates a model from a list of layers (or an empty one to `add()` to).
   *
   * @param layers The layers, first to last; the first needs `inputShape` (unless the model is
   *   used as a layer of another, which gives it its input shape).
   * @param options `name`.
   * @throws {TypeError} When `layers` is not an array of layers (the message names the position).
   */
  constructor(layers: readonly Layer[] = [], options: SequentialOptions = {}) {
    const fn = "sequential";
    checkArity(arguments, ["layers", "options"], fn);
    super(checkOptions(options, ["name", "trainable"], fn) as SequentialOptions, "sequential");
    if (!Array.isArray(layers)) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "layers" must be an array of layers: got ${fmtValue(layers)}`,
      );
    }
    layers.forEach((layer, i) => this.#add(layer, `layers[${i}]`, fn));
  }

  /** The layers, first to last. */
  get layers(): readonly Layer[] {
    return this.#layers;
  }

  /**
   * Appends a layer.
   *
   * @param layer A layer (`dn.layers.*`) not yet in the model.
   * @throws {TypeError} When `layer` is not a layer.
   * @throws {RangeError} When `layer` is already in the model.
   */
  add(layer: Layer): void {
    checkArity(arguments, ["layer"], "add");
    this.#add(layer, "layer", "add");
  }

  #add(layer: unknown, arg: string, fn: string): void {
    if (!(layer instanceof Layer)) {
      const what = typeof layer === "function"
        ? `the function ${layer.name || "(anonymous)"}`
        : fmtValue(layer);
      throw new TypeError(
        `Cannot run ${fn}(): argument "${arg}" must be a layer (e.g. dn.layers.dense({ units: 8 })): got ${what}`,
      );
    }
    if (this.#layers.includes(layer) || layer === this) {
      throw new RangeError(`Cannot run ${fn}(): layer "${layer.name}" is already in the model`);
    }
    this.#layers.push(layer);
    layer.addOwner(this);
    if (!this.trainable) layer.trainable = false; // a frozen model's layers are frozen
  }

  /** Shape of one input sample, from the first layer's `inputShape`. */
  override get inputShape(): number[] {
    const shape = this.#layers[0]?.inputShape ?? this.#builtShape;
    if (!shape) {
      throw new TypeError(
        'Cannot build the model: its first layer must be given an "inputShape": got none',
      );
    }
    return shape;
  }

  /** `[<first layer's name>]`. */
  get inputNames(): string[] {
    return [this.#layers[0]?.name ?? this.name];
  }

  /** `[<last layer's name>]`. */
  get outputNames(): string[] {
    return [this.#layers[this.#layers.length - 1]?.name ?? this.name];
  }

  /** `[inputShape]`. */
  get inputShapes(): number[][] {
    return [this.inputShape];
  }

  /**
   * Creates every layer's weights; returns the output shape of one sample.
   *
   * @param inputShape The sample shape when the model is a layer of another (default: the first
   *   layer's `inputShape`).
   */
  override build(inputShape?: LayerShape): number[] {
    const declared = this.#layers[0]?.inputShape;
    if (inputShape !== undefined && !declared) {
      this.#builtShape = [...inputShape as readonly number[]];
    } else if (inputShape !== undefined && declared!.join() !== inputShape.join()) {
      throw new RangeError(
        `Cannot apply model "${this.name}": its first layer "${
          this.#layers[0].name
        }" takes samples of shape ${fmtShape(declared!)}: got ${
          fmtShape(inputShape as readonly number[])
        }`,
      );
    }
    let shape = (inputShape as number[] | undefined) ?? this.inputShape;
    for (const layer of this.#layers) {
      layer.ensureBuilt(shape);
      shape = layer.computeOutputShape(shape);
    }
    return shape;
  }

  /** `[build()]`. */
  buildAll(): number[][] {
    return [this.build()];
  }

  /** Output shape of one sample, through every layer (nothing built). */
  override computeOutputShape(inputShape: LayerShape): number[] {
    let shape = inputShape as readonly number[];
    for (const layer of this.#layers) shape = layer.computeOutputShape(shape);
    return [...shape];
  }

  /** The weights every layer would create, named `<layer>/<weight>`. */
  override weightShapes(inputShape: LayerShape): { name: string; shape: number[] }[] {
    let shape = inputShape as readonly number[];
    return this.#layers.flatMap((layer) => {
      const ws = layer.weightShapes(shape).map((w) => ({ ...w, name: `${layer.name}/${w.name}` }));
      shape = layer.computeOutputShape(shape);
      return ws;
    });
  }

  /**
   * Runs the layers on a batch. With `logits`, a final softmax/sigmoid is left out (for the
   * numerically stable fused cross-entropy).
   */
  forward(x: Tensor, training: boolean, logits = false): Tensor {
    checkTensor(x, "x", "predict");
    const sample = this.inputShape;
    if (x.rank !== sample.length + 1 || x.shape.slice(1).join() !== sample.join()) {
      throw new RangeError(
        `Cannot run predict(): argument "x" must have shape [batch, ${sample.join(", ")}]: got ${
          fmtShape(x.shape)
        }`,
      );
    }
    let h = x;
    this.#layers.forEach((layer, i) => {
      const last = i === this.#layers.length - 1;
      const withLogits = last && logits && "callLogits" in layer;
      h = withLogits
        ? (layer as Layer & { callLogits(x: Tensor): Tensor }).callLogits(h)
        : layer.call(h, training);
    });
    return h;
  }

  /**
   * Outputs for `x`, in inference mode (dropout off), computed `batchSize` samples at a time;
   * recorded inside `dn.grad` and the other gradient functions (see `LayersModel.predict`).
   *
   * @param x Inputs, `[samples, ...inputShape]`.
   * @param options `batchSize` (default 32).
   * @returns `[samples, ...outputShape]`.
   */
  override predict(x: Tensor, options: { batchSize?: number } = {}): Tensor {
    checkArity(arguments, ["x", "options"], "predict");
    return this.predictAll(x, options)[0];
  }

  /** `[forward(xs[0], training, logits[0])]`. */
  forwardAll(xs: Tensor[], training: boolean, logits?: readonly boolean[]): Tensor[] {
    return [this.forward(xs[0], training, logits?.[0] ?? false)];
  }

  /** The last layer. */
  protected fusableLayers(): (Layer | undefined)[] {
    return [this.#layers[this.#layers.length - 1]];
  }

  /** Each layer with its output shape. */
  protected summaryRows(): [Layer, string][] {
    let shape: number[] = this.inputShape;
    return this.#layers.map((layer) => {
      shape = layer.computeOutputShape(shape);
      return [layer, `[null, ${shape.join(", ")}]`];
    });
  }

  /** Keras config: the name and each layer's `{ className, config }`. */
  override getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      ...(this.trainable ? {} : { trainable: false }),
      layers: this.#layers.map((l) => ({ className: l.className, config: l.getConfig() })),
    };
  }
}

/**
 * A linear stack of layers (Keras `Sequential`).
 *
 * @param layers The layers, first to last; the first needs `inputShape`. A `Sequential` or a
 *   functional model may be one of them.
 * @param options `name` (default `sequential_<n>`), `trainable` (default true).
 * @returns The model.
 * @throws {TypeError} When `layers` is not an array of layers (the message names the position),
 *   or more than one argument is passed.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([
 *   dn.layers.dense({ units: 8, activation: "relu", inputShape: [4] }),
 *   dn.layers.dense({ units: 3, activation: "softmax" }),
 * ]);
 * model.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
 * const history = await model.fit(dn.ones([8, 4]), dn.tensor(new Float32Array(24).fill(1 / 3), [8, 3]), { epochs: 2, verbose: 0 });
 * assert.equal(history.history.loss.length, 2);
 * assert.deepEqual(model.predict(dn.ones([2, 4])).shape, [2, 3]);
 * ```
 */
export function sequential(
  layers: readonly Layer[] = [],
  options: SequentialOptions = {},
): Sequential {
  checkArity(arguments, ["layers", "options"], "sequential");
  return new Sequential(layers, options);
}
