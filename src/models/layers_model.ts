/**
 * `LayersModel`: what `Sequential` and a functional model share, the Keras model API over a graph
 * of layers (`compile`, `fit`, `evaluate`, `predict`, `trainOnBatch`, `summary`, `getLayer`,
 * `getWeights` / `setWeights`, `save`), and the layer side of a model, so that a model can be
 * used as a layer of another. Subclasses say how the layers connect: `forwardAll`, the input and
 * output shapes, and the rows of the summary.
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
import { Layer, type LayerShape, type LayerWeight } from "../layers/layer.ts";
import { recording } from "../autograd/tape.ts";
import { output } from "../ops/_output.ts";
import { concat } from "../ops/concat.ts";
import { slice } from "../ops/slice.ts";
import type { Optimizer } from "../optimizers/optimizer.ts";
import { tidy } from "../scope.ts";
import { Tensor } from "../tensor.ts";
import { type CompileArgs, compileArgs, type Compiled } from "./compile.ts";
import { fit, type FitOptions, type History, warnNonFinite } from "./fit.ts";
import { checkXY, evaluate } from "./evaluate.ts";
import { readLogs, type StepLogs, trainStep as compiledStep } from "./step.ts";
import { weightsFromBytes, weightsToBytes } from "./weights_io.ts";
import { modelToBytes } from "./save.ts";
import { sliceRows } from "./batches.ts";

/** Data for a model: one tensor, a list (one per input or output), or a map by name. */
export type ModelData = Tensor | Tensor[] | Record<string, Tensor>;

/** Base class of `Sequential` and `Functional`: a model is also a layer. */
export abstract class LayersModel extends Layer {
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

  /** The layers, each once, in the order they run. */
  abstract get layers(): readonly Layer[];
  /** Names of the inputs (for data given as a map). */
  abstract get inputNames(): string[];
  /** Names of the outputs (the layers making them): keys of losses, metrics and targets. */
  abstract get outputNames(): string[];
  /** Shape of one sample of each input. */
  abstract get inputShapes(): number[][];
  /** Creates every layer's weights; returns the output shape of one sample of each output. */
  abstract buildAll(): number[][];
  /**
   * Runs the model on a batch, one tensor per input. With `logits[i]`, output `i` leaves out its
   * final softmax/sigmoid (for the numerically stable fused cross-entropy).
   */
  abstract forwardAll(xs: Tensor[], training: boolean, logits?: readonly boolean[]): Tensor[];
  /** Per output, the layer making it when its activation may be fused into the loss. */
  protected abstract fusableLayers(): (Layer | undefined)[];
  /** Element type each input takes (float32 unless declared otherwise by `dn.input`). */
  protected inputDtypes(): ("float32" | "int32")[] {
    return this.inputShapes.map(() => "float32");
  }
  /** Rows of `summary()`: layer (type), output shape. */
  protected abstract summaryRows(): [Layer, string][];

  /**
   * The weights `fit` updates (Keras `trainable_weights`): each trainable layer's, moving
   * statistics left out; none while the model itself is frozen (`model.trainable = false`).
   */
  override get trainableWeights(): Tensor[] {
    this.buildAll();
    return this.trainable ? [...new Set(this.layers.flatMap((l) => l.trainableWeights))] : [];
  }

  /** Whether training updates the weights; see {@linkcode Layer.trainable}. */
  override get trainable(): boolean {
    return super.trainable;
  }

  /** Sets the model's flag and every layer's (as Keras and TF.js do). */
  override set trainable(value: boolean) {
    super.trainable = value;
    for (const layer of this.layers) layer.trainable = value;
  }

  /**
   * The compiled optimizer (Keras `model.optimizer`), for a hand-written training step.
   *
   * @throws {TypeError} When the model is not compiled.
   */
  get optimizer(): Optimizer {
    if (!this.compiled) {
      throw new TypeError(`Cannot read ${this.name}.optimizer: the model must be compiled first`);
    }
    return this.compiled.optimizer;
  }

  /** Every layer's weights, named `<layer>/<weight>`. */
  override get weights(): readonly LayerWeight[] {
    return this.layers.flatMap((l) =>
      l.weights.map((w) => ({ ...w, name: `${l.name}/${w.name}` }))
    );
  }

  /** Number of weight values of every layer. */
  override countParams(): number {
    this.buildAll();
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /**
   * The layer named `name`.
   *
   * @throws {RangeError} When the model has no such layer.
   */
  getLayer(name: string): Layer {
    checkArity(arguments, ["name"], "getLayer");
    const layer = this.layers.find((l) => l.name === name);
    if (!layer) {
      throw new RangeError(
        `Cannot run getLayer(): argument "name" must name a layer of the model (${
          this.layers.map((l) => `"${l.name}"`).join(", ")
        }): got ${fmtValue(name)}`,
      );
    }
    return layer;
  }

  /** As a layer: runs the model on a batch (a model used as a layer has one output). */
  call(x: Tensor | Tensor[], training: boolean): Tensor {
    const outs = this.forwardAll(Array.isArray(x) ? x : [x], training);
    if (outs.length !== 1) {
      throw new TypeError(
        `Cannot apply model "${this.name}" as a layer: it must have one output: it has ${outs.length}`,
      );
    }
    return outs[0];
  }

  /**
   * Configures training.
   *
   * @param args `optimizer` (an optimizer or `"sgd"`, `"adam"`, `"rmsprop"`), `loss` (a Keras
   *   name or a function; per output a list or a map by output name), `metrics` (names or
   *   functions; per output a map by output name).
   * @throws {TypeError} When a name is unknown.
   */
  compile(args: CompileArgs): void {
    checkArity(arguments, ["args"], "compile");
    this.buildAll();
    this.compiled?.optimizer.dispose();
    this.compiled = compileArgs(args, this.outputNames, this.fusableLayers());
  }

  /**
   * Trains for `epochs` passes over `x` and `y`.
   *
   * @param x Inputs, `[samples, ...inputShape]`: a tensor, or per input a list or a map by name.
   * @param y Targets, `[samples, ...]`: a tensor, or per output a list or a map by name; `null`
   *   (or left out) for a model whose own `trainStep` needs none (an autoencoder's or an RBM's
   *   step, as Keras's `fit(x)`): the step then gets an empty target list.
   * @param options Epochs, batch size, shuffling, validation, callbacks, verbosity.
   * @returns The history of losses and metrics per epoch.
   * @throws {TypeError} When the model is not compiled, an argument is not a tensor, or `y` is
   *   left out for the compiled step or with validation.
   * @throws {RangeError} When shapes or options are invalid.
   */
  fit(x: ModelData, y: ModelData | null = null, options: FitOptions = {}): Promise<History> {
    try {
      checkArity(arguments, ["x", "y", "options"], "fit");
      const fn = "fit";
      this.#checkCompiled(fn);
      if (!this.compiled && (options?.validationData || options?.validationSplit)) {
        throw new TypeError(
          `Cannot run ${fn}(): the model must be compiled first: validation runs the compiled loss and metrics`,
        );
      }
      if (y === null && (options?.validationData || options?.validationSplit)) {
        throw new TypeError(
          `Cannot run ${fn}(): argument "y" must be given with validation: validation runs the compiled loss against targets`,
        );
      }
      const xs = this.#inputs(x, "x", fn), ys = this.#optionalTargets(y, fn);
      const v = options?.validationData;
      const validation: [Tensor[], Tensor[]] | null = Array.isArray(v)
        ? [
          this.#inputs(v[0], "validationData[0]", fn),
          this.#targets(v[1], "validationData[1]", fn),
        ]
        : null;
      return fit(this, xs, ys, options, validation);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * One gradient step on one batch (Keras `train_on_batch`).
   *
   * @param x Inputs, `[batch, ...inputShape]` (per input a list or a map by name).
   * @param y Targets, `[batch, ...]` (per output a list or a map by name); `null` (or left out)
   *   for a model whose own `trainStep` needs none, as in `fit`.
   * @returns A promise of `[loss, ...metrics]` of the batch, before the update (asynchronous,
   *   as in TensorFlow.js, so that GPU backends can read the values).
   * @throws {TypeError} When the model is not compiled, or `y` is left out for the compiled step.
   */
  trainOnBatch(x: ModelData, y: ModelData | null = null): Promise<number[]> {
    const fn = "trainOnBatch";
    checkArity(arguments, ["x", "y"], fn);
    this.#checkCompiled(fn);
    const xs = this.#inputs(x, "x", fn), ys = this.#optionalTargets(y, fn);
    checkXY(xs, ys, fn);
    return readLogs(tidy(() => this.trainStep(xs, ys)), fn).then((r) => {
      if ("loss" in r && !Number.isFinite(r.loss) && !this.#warnedNonFinite) {
        this.#warnedNonFinite = true;
        warnNonFinite(fn, r.loss, "this batch (warned once per model)");
      }
      return Object.values(r);
    });
  }

  /**
   * One training step on a batch, run by `fit` (inside a `tidy`, with its batching, callbacks and
   * progress) and `trainOnBatch` (Keras `train_step`). The default takes the gradient of the
   * compiled loss (plus regularisation) over `trainableWeights` and applies it with the compiled
   * optimizer. Override it, in a subclass or by assigning `model.trainStep`, for a step of your
   * own (an RBM's contrastive divergence, a DQN's target, an adversarial pair): take the batch,
   * update the weights (e.g. `dn.valueAndGrads` over `model.trainableWeights`, then
   * `model.optimizer.applyGradients(weights, grads)`), and return what to log. A model with its
   * own step needs `compile()` only for the `optimizer` it reads and for validation.
   *
   * @param x The batch's inputs, one tensor per input.
   * @param y The batch's targets, one tensor per output.
   * @returns Scalar float32 tensors made by the step (read with one readback, then disposed) or
   *   numbers, by log name (`loss` first by convention): `fit` averages each over the epoch and
   *   passes them to the callbacks; `trainOnBatch` returns the values in this order.
   * @throws {TypeError} (the default step) When the model is not compiled.
   *
   * @example
   * ```ts
   * import * as dn from "@dendrite/dendrite";
   * import assert from "node:assert/strict";
   * const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [2] })]);
   * model.compile({ optimizer: dn.optimizers.sgd({ learningRate: 0.1 }), loss: "meanSquaredError" });
   * // A step of one's own: the mean squared error on noisy inputs.
   * model.trainStep = ([x], [y]) => {
   *   const weights = model.trainableWeights;
   *   const loss = () => dn.mean(dn.square(dn.sub(model.apply(dn.add(x, dn.randomNormal(x.shape, { stdDev: 0.1 })), { training: true }), y)));
   *   const { value, grads } = dn.valueAndGrads(loss)(weights);
   *   model.optimizer.applyGradients(weights, grads);
   *   return { loss: value };
   * };
   * const history = await model.fit(dn.ones([8, 2]), dn.ones([8, 1]), { epochs: 3, verbose: 0 });
   * assert.equal(history.history.loss.length, 3);
   * ```
   */
  trainStep(x: Tensor[], y: Tensor[]): StepLogs {
    const compiled = this.compiled;
    if (!compiled) {
      throw new TypeError(`Cannot run trainStep(): the model must be compiled first`);
    }
    return compiledStep(this, compiled, x, y);
  }

  /** Throws unless the model is compiled or has a train step of its own. */
  #checkCompiled(fn: string): void {
    if (!this.compiled && this.trainStep === LayersModel.prototype.trainStep) {
      throw new TypeError(`Cannot run ${fn}(): the model must be compiled first`);
    }
  }

  /**
   * Loss and metrics on `x` and `y`, in inference mode.
   *
   * @param x Inputs (per input a list or a map by name).
   * @param y Targets (per output a list or a map by name).
   * @param options `batchSize` (default 32).
   * @returns A promise of `[loss, ...metrics]`, averaged over the samples (asynchronous, as in
   *   TensorFlow.js, so that GPU backends can read the values).
   */
  evaluate(x: ModelData, y: ModelData, options: { batchSize?: number } = {}): Promise<number[]> {
    const fn = "evaluate";
    let batchSize;
    try {
      checkArity(arguments, ["x", "y", "options"], fn);
      batchSize = checkOptions(options, ["batchSize"], fn).batchSize ?? 32;
    } catch (e) {
      return Promise.reject(e);
    }
    // As TensorFlow.js: bad data throws synchronously, before the promise exists.
    if (!this.compiled) throw new TypeError(`Cannot run ${fn}(): the model must be compiled first`);
    const xs = this.#inputs(x, "x", fn), ys = this.#targets(y, "y", fn);
    return evaluate(this, xs, ys, batchSize as number);
  }

  /**
   * Outputs for `x`, in inference mode (dropout off), computed `batchSize` samples at a time.
   * Inside `dn.grad` and the other gradient functions the computation is recorded (as in
   * TF.js), so the gradient flows to `x` and to the weights; `model.apply(x)` does the same in
   * one batch, and `apply(x, { training: true })` in training mode.
   *
   * @param x Inputs, `[samples, ...inputShape]` (per input a list or a map by name).
   * @param options `batchSize` (default 32).
   * @returns `[samples, ...outputShape]`; a list, one per output, for a model of several.
   */
  predict(x: ModelData, options: { batchSize?: number } = {}): Tensor | Tensor[] {
    checkArity(arguments, ["x", "options"], "predict");
    const ys = this.predictAll(x, options);
    return ys.length === 1 ? ys[0] : ys;
  }

  /** `predict()`'s outputs, one per output of the model (arity checked by the caller). */
  protected predictAll(x: ModelData, options: { batchSize?: number }): Tensor[] {
    const fn = "predict";
    checkOptions(options, ["batchSize"], fn);
    const xs = this.#inputs(x, "x", fn);
    checkXY(xs, xs, fn);
    const outShapes = this.buildAll();
    const n = xs[0].shape[0];
    const batch = checkPositiveInt(options.batchSize ?? 32, "batchSize", fn);
    if (recording()) {
      // Inside dn.grad (as TF.js's predict): recorded ops, each batch sliced and the outputs
      // concatenated, so that the gradient flows to the inputs and the weights.
      const parts: Tensor[][] = [];
      for (let start = 0; start < n; start += batch) {
        const count = Math.min(batch, n - start);
        parts.push(
          this.forwardAll(count === n ? xs : xs.map((t) => slice(t, [start], [count])), false),
        );
      }
      return outShapes.map((_, i) =>
        parts.length === 1 ? parts[0][i] : concat(parts.map((p) => p[i]))
      );
    }
    const ys = outShapes.map((s) => output([n, ...s]));
    const per = outShapes.map((s) => s.reduce((a, b) => a * b, 1));
    for (let start = 0; start < n; start += batch) {
      const count = Math.min(batch, n - start);
      tidy(() => {
        const parts = this.forwardAll(xs.map((t) => sliceRows(t, start, count)), false);
        parts.forEach((part, i) =>
          activeBackend().copy(part.storage, 0, ys[i].storage, start * per[i], count * per[i])
        );
      });
    }
    return ys;
  }

  /**
   * A table of layers, output shapes and parameter counts; also printed unless `print` is false.
   *
   * @param print Whether to print with `console.log` (default true).
   * @returns The table.
   */
  summary(print = true): string {
    checkArity(arguments, ["print"], "summary");
    this.buildAll();
    const rows = this.summaryRows().map(([layer, shape]) => [
      `${layer.name} (${layer.className})`,
      shape,
      String(layer.countParams()),
    ]);
    const head = ["Layer (type)", "Output Shape", "Param #"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("").trimEnd();
    const rule = "=".repeat(widths.reduce((a, b) => a + b, 0));
    const text = [line(head), rule, ...rows.map(line), rule, `Total params: ${this.countParams()}`]
      .join("\n");
    if (print) console.log(text);
    return text;
  }

  /** Copies of all weights, layer by layer (Keras order); the caller disposes them. */
  override getWeights(): Tensor[] {
    checkArity(arguments, [], "getWeights");
    this.buildAll();
    return this.layers.flatMap((l) => l.getWeights());
  }

  /** Overwrites all weights, layer by layer (same count and shapes as `getWeights()`). */
  override setWeights(weights: readonly Tensor[]): void {
    checkArity(arguments, ["weights"], "setWeights");
    this.buildAll();
    const expected = this.layers.reduce((n, l) => n + l.weights.length, 0);
    if (!Array.isArray(weights) || weights.length !== expected) {
      throw new RangeError(
        `Cannot run setWeights(): argument "weights" must hold ${expected} tensors: got ${
          Array.isArray(weights) ? weights.length : typeof weights
        }`,
      );
    }
    let at = 0;
    for (const layer of this.layers) {
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

  /**
   * The weights alone as one safetensors file (Keras `save_weights`): no topology and no
   * training config, read back into the same architecture by `loadWeights`.
   *
   * @param path File path (needs `--allow-write`); without one, the bytes are returned.
   * @returns The bytes written.
   */
  async saveWeights(path?: string | URL): Promise<Uint8Array> {
    checkArity(arguments, ["path"], "saveWeights");
    const bytes = weightsToBytes(this);
    if (path !== undefined) await Deno.writeFile(path, bytes);
    return bytes;
  }

  /**
   * Overwrites every weight from a file written by `saveWeights` (Keras `load_weights`), in
   * order: the model must have the same architecture (layer names may differ).
   *
   * @param source A file path (needs `--allow-read`) or the bytes.
   * @throws {RangeError} When the count or a shape differs (nothing is written then).
   * @throws {TypeError} When the file is not a weights file (a whole model: use `dn.loadModel`).
   *
   * @example
   * ```ts
   * import * as dn from "@dendrite/dendrite";
   * import assert from "node:assert/strict";
   * const make = () => dn.sequential([dn.layers.dense({ units: 2, inputShape: [3] })]);
   * const a = make(), b = make();
   * await b.loadWeights(await a.saveWeights());
   * assert.deepEqual(b.getWeights()[0].dataSync(), a.getWeights()[0].dataSync());
   * ```
   */
  async loadWeights(source: string | URL | Uint8Array): Promise<void> {
    checkArity(arguments, ["source"], "loadWeights");
    if (!(source instanceof Uint8Array || typeof source === "string" || source instanceof URL)) {
      throw new TypeError(
        `Cannot run loadWeights(): argument "source" must be a path or a Uint8Array: got ${
          fmtValue(source)
        }`,
      );
    }
    const bytes = source instanceof Uint8Array ? source : await Deno.readFile(source);
    weightsFromBytes(this, bytes, "loadWeights");
  }

  /**
   * Frees the optimizer state and the weights of every layer no other live model holds: a layer
   * shared with another model (a target network's, an encoder cut from an autoencoder) keeps its
   * weights until the last model holding it is disposed.
   */
  override dispose(): void {
    checkArity(arguments, [], "dispose");
    for (const layer of this.layers) if (layer.removeOwner(this)) layer.dispose();
    this.compiled?.optimizer.dispose();
  }

  /** Checks data against the inputs' shapes; returns one tensor per input. */
  #inputs(x: ModelData, arg: string, fn: string): Tensor[] {
    const xs = this.#list(x, this.inputNames, arg, fn);
    const shapes = this.inputShapes, dtypes = this.inputDtypes();
    xs.forEach((t, i) => {
      const a = xs.length > 1 ? `${arg}[${i}]` : arg;
      checkTensor(t, a, fn, [dtypes[i]]);
      const sample = shapes[i];
      if (t.rank !== sample.length + 1 || t.shape.slice(1).join() !== sample.join()) {
        throw new RangeError(
          `Cannot run ${fn}(): argument "${a}" must have shape [batch, ${sample.join(", ")}]: got ${
            fmtShape(t.shape)
          }`,
        );
      }
    });
    return xs;
  }

  /** `#targets` of `y`, or none when `y` is `null` and the model has a train step of its own. */
  #optionalTargets(y: ModelData | null, fn: string): Tensor[] {
    if (y !== null) return this.#targets(y, "y", fn);
    if (this.trainStep === LayersModel.prototype.trainStep) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "y" must be given: the compiled step computes the loss against targets (only a model with its own trainStep trains without them)`,
      );
    }
    return [];
  }

  #targets(y: ModelData, arg: string, fn: string): Tensor[] {
    const ys = this.#list(y, this.outputNames, arg, fn);
    ys.forEach((t, i) => checkTensor(t, ys.length > 1 ? `${arg}[${i}]` : arg, fn));
    return ys;
  }

  /** One tensor per name, from a tensor (one name), a list or a map by name. */
  #list(data: ModelData, names: string[], arg: string, fn: string): Tensor[] {
    if (data instanceof Tensor) data = [data];
    else if (names.length === 1 && Array.isArray(data) && data.length !== 1) {
      checkTensor(data, arg, fn); // a model of one input takes a tensor: name what came
    }
    const list = Array.isArray(data)
      ? data
      : data !== null && typeof data === "object"
      ? names.map((n) => {
        if (!Object.hasOwn(data, n)) {
          throw new TypeError(
            `Cannot run ${fn}(): argument "${arg}" must have a tensor for "${n}"`,
          );
        }
        return (data as Record<string, Tensor>)[n];
      })
      : [data as Tensor];
    if (list.length !== names.length) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "${arg}" must hold ${names.length} tensors (${
          names.map((n) => `"${n}"`).join(", ")
        }): got ${list.length}`,
      );
    }
    return list;
  }
}

/** `LayerShape` as a list of sample shapes (a model's inputs). */
export function shapeList(shape: LayerShape, count: number): number[][] {
  return (count === 1 ? [shape] : shape) as number[][];
}
