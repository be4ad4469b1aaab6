/**
 * `Sequential`: a stack of layers with the Keras model API (`compile`, `fit`, `evaluate`,
 * `predict`, `summary`, `getWeights` / `setWeights`, `save`).
 *
 * @module
 */
import {
  checkArity,
  checkOptions,
  checkPositiveInt,
  checkTensor,
  fmtShape,
  fmtValue,
} from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import { Layer } from "../layers/layer.ts";
import { output } from "../ops/_output.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { type CompileArgs, compileArgs, type Compiled } from "./compile.ts";
import { fit, type FitOptions, type History, warnNonFinite } from "./fit.ts";
import { checkXY, evaluate } from "./evaluate.ts";
import { readBatch, trainStep } from "./step.ts";
import { modelToBytes } from "./save.ts";
import { sliceRows } from "./batches.ts";

/** A linear stack of layers. */
export class Sequential {
  readonly #layers: Layer[] = [];
  /**
   * Loss, metrics and optimizer after `compile()`, read by training, evaluation and `save()`;
   * not for users.
   *
   * @internal
   */
  compiled: Compiled | null = null;
  /**
   * Set to true (by a callback) to stop `fit()`: from `onBatchEnd` right after that batch (the
   * epoch ends with the batches run so far), from `onEpochEnd` after that epoch.
   */
  stopTraining = false;
  /** Whether `trainOnBatch()` has warned about a non-finite loss (once per model). */
  #warnedNonFinite = false;

  /**
   * Creates a model from a list of layers (or an empty one to `add()` to).
   *
   * @param layers The layers, first to last; the first needs `inputShape`.
   * @throws {TypeError} When `layers` is not an array of layers (the message names the position).
   */
  constructor(layers: readonly Layer[] = []) {
    const fn = "sequential";
    checkArity(arguments, ["layers"], fn);
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
    if (this.#layers.includes(layer)) {
      throw new RangeError(`Cannot run ${fn}(): layer "${layer.name}" is already in the model`);
    }
    this.#layers.push(layer);
  }

  /** Shape of one input sample, from the first layer's `inputShape`. */
  get inputShape(): number[] {
    const shape = this.#layers[0]?.inputShape;
    if (!shape) {
      throw new TypeError(
        'Cannot build the model: its first layer must be given an "inputShape": got none',
      );
    }
    return shape;
  }

  /** Creates every layer's weights; returns the output shape of one sample. */
  build(): number[] {
    let shape = this.inputShape;
    for (const layer of this.#layers) {
      layer.ensureBuilt(shape);
      shape = layer.computeOutputShape(shape);
    }
    return shape;
  }

  /** All trainable weights, layer by layer (moving statistics left out). */
  get trainableWeights(): Tensor[] {
    this.build();
    return this.#layers.flatMap((l) =>
      l.weights.filter((w) => w.trainable !== false).map((w) => w.value)
    );
  }

  /**
   * Runs the layers on a batch. With `logits`, a final softmax/sigmoid is left out (for the
   * numerically stable fused cross-entropy).
   */
  forward(x: Tensor, training: boolean, logits = false): Tensor {
    this.#checkInput(x, "x", "predict");
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
   * Configures training.
   *
   * @param args `optimizer` (an optimizer or `"sgd"`, `"adam"`, `"rmsprop"`), `loss` (a Keras
   *   name or a function), `metrics` (names or functions).
   * @throws {TypeError} When a name is unknown.
   */
  compile(args: CompileArgs): void {
    checkArity(arguments, ["args"], "compile");
    this.build();
    this.compiled?.optimizer.dispose();
    this.compiled = compileArgs(args, this.#layers);
  }

  /**
   * Trains for `epochs` passes over `x` and `y`.
   *
   * @param x Inputs, `[samples, ...inputShape]`.
   * @param y Targets, `[samples, ...]`.
   * @param options Epochs, batch size, shuffling, validation, callbacks, verbosity.
   * @returns The history of losses and metrics per epoch.
   * @throws {TypeError} When the model is not compiled or an argument is not a tensor.
   * @throws {RangeError} When shapes or options are invalid.
   */
  fit(x: Tensor, y: Tensor, options: FitOptions = {}): Promise<History> {
    try {
      checkArity(arguments, ["x", "y", "options"], "fit");
    } catch (e) {
      return Promise.reject(e);
    }
    return fit(this, x, y, options);
  }

  /**
   * One gradient step on one batch (Keras `train_on_batch`).
   *
   * @param x Inputs, `[batch, ...inputShape]`.
   * @param y Targets, `[batch, ...]`.
   * @returns A promise of `[loss, ...metrics]` of the batch, before the update (asynchronous,
   *   as in TensorFlow.js, so that GPU backends can read the values).
   * @throws {TypeError} When the model is not compiled.
   */
  trainOnBatch(x: Tensor, y: Tensor): Promise<number[]> {
    const fn = "trainOnBatch";
    checkArity(arguments, ["x", "y"], fn);
    const compiled = this.compiled;
    if (!compiled) throw new TypeError(`Cannot run ${fn}(): the model must be compiled first`);
    checkXY(x, y, fn);
    this.#checkInput(x, "x", fn);
    return readBatch(tidy(() => trainStep(this, compiled, x, y))).then((r) => {
      if (!Number.isFinite(r.loss) && !this.#warnedNonFinite) {
        this.#warnedNonFinite = true;
        warnNonFinite(fn, r.loss, "this batch (warned once per model)");
      }
      return [r.loss, ...r.metrics];
    });
  }

  /**
   * Loss and metrics on `x` and `y`, in inference mode.
   *
   * @param x Inputs.
   * @param y Targets.
   * @param options `batchSize` (default 32).
   * @returns A promise of `[loss, ...metrics]`, averaged over the samples (asynchronous, as in
   *   TensorFlow.js, so that GPU backends can read the values).
   */
  evaluate(x: Tensor, y: Tensor, options: { batchSize?: number } = {}): Promise<number[]> {
    let batchSize;
    try {
      checkArity(arguments, ["x", "y", "options"], "evaluate");
      batchSize = checkOptions(options, ["batchSize"], "evaluate").batchSize ?? 32;
    } catch (e) {
      return Promise.reject(e);
    }
    return evaluate(this, x, y, batchSize as number);
  }

  /**
   * Outputs for `x`, in inference mode (dropout off), computed `batchSize` samples at a time.
   *
   * @param x Inputs, `[samples, ...inputShape]`.
   * @param options `batchSize` (default 32).
   * @returns `[samples, ...outputShape]`.
   */
  predict(x: Tensor, options: { batchSize?: number } = {}): Tensor {
    const fn = "predict";
    checkArity(arguments, ["x", "options"], fn);
    checkOptions(options, ["batchSize"], fn);
    this.#checkInput(x, "x", fn);
    const outShape = this.build();
    const n = x.shape[0];
    const batch = checkPositiveInt(options.batchSize ?? 32, "batchSize", fn);
    const y = output([n, ...outShape]);
    const per = outShape.reduce((a, b) => a * b, 1);
    for (let start = 0; start < n; start += batch) {
      const count = Math.min(batch, n - start);
      tidy(() => {
        const part = this.forward(sliceRows(x, start, count), false);
        activeBackend().copy(part.storage, 0, y.storage, start * per, count * per);
      });
    }
    return y;
  }

  /**
   * A table of layers, output shapes and parameter counts; also printed unless `print` is false.
   *
   * @param print Whether to print with `console.log` (default true).
   * @returns The table.
   */
  summary(print = true): string {
    checkArity(arguments, ["print"], "summary");
    let shape = this.inputShape;
    this.build();
    const rows = this.#layers.map((layer) => {
      shape = layer.computeOutputShape(shape);
      return [
        `${layer.name} (${layer.className})`,
        `[null, ${shape.join(", ")}]`,
        String(layer.countParams()),
      ];
    });
    const head = ["Layer (type)", "Output Shape", "Param #"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("").trimEnd();
    const total = this.#layers.reduce((n, l) => n + l.countParams(), 0);
    const rule = "=".repeat(widths.reduce((a, b) => a + b, 0));
    const text = [line(head), rule, ...rows.map(line), rule, `Total params: ${total}`].join("\n");
    if (print) console.log(text);
    return text;
  }

  /** Copies of all weights, layer by layer (Keras order); the caller disposes them. */
  getWeights(): Tensor[] {
    checkArity(arguments, [], "getWeights");
    this.build();
    return this.#layers.flatMap((l) => l.getWeights());
  }

  /** Overwrites all weights, layer by layer (same count and shapes as `getWeights()`). */
  setWeights(weights: readonly Tensor[]): void {
    checkArity(arguments, ["weights"], "setWeights");
    this.build();
    const expected = this.#layers.reduce((n, l) => n + l.weights.length, 0);
    if (!Array.isArray(weights) || weights.length !== expected) {
      throw new RangeError(
        `Cannot run setWeights(): argument "weights" must hold ${expected} tensors: got ${
          Array.isArray(weights) ? weights.length : typeof weights
        }`,
      );
    }
    let at = 0;
    for (const layer of this.#layers) {
      layer.setWeights(weights.slice(at, at + layer.weights.length));
      at += layer.weights.length;
    }
  }

  /** The model as one safetensors file: weights, topology and training config. */
  toBytes(): Uint8Array {
    checkArity(arguments, [], "toBytes");
    return modelToBytes(this);
  }

  /**
   * Writes the model to a safetensors file (needs `--allow-write`).
   *
   * @param path File path.
   */
  async save(path: string | URL): Promise<void> {
    checkArity(arguments, ["path"], "save");
    await Deno.writeFile(path, this.toBytes());
  }

  /** Frees the weights and the optimizer state. */
  dispose(): void {
    checkArity(arguments, [], "dispose");
    for (const layer of this.#layers) layer.dispose();
    this.compiled?.optimizer.dispose();
  }

  #checkInput(x: Tensor, arg: string, fn: string): void {
    checkTensor(x, arg, fn);
    const sample = this.inputShape;
    if (x.rank !== sample.length + 1 || x.shape.slice(1).join() !== sample.join()) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "${arg}" must have shape [batch, ${sample.join(", ")}]: got ${
          fmtShape(x.shape)
        }`,
      );
    }
  }
}

/**
 * A linear stack of layers (Keras `Sequential`).
 *
 * @param layers The layers, first to last; the first needs `inputShape`.
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
export function sequential(layers: readonly Layer[] = []): Sequential {
  checkArity(arguments, ["layers"], "sequential");
  return new Sequential(layers);
}
