/**
 * The functional API (Keras `Model(inputs, outputs)`): a model from symbolic inputs made by
 * `dn.input()` to symbolic outputs made by `layer.apply()`, with several inputs and outputs,
 * shared layers and sub-models cut at inner tensors. Training, saving and the rest come from
 * `LayersModel`.
 *
 * @module
 */
import { checkArity, checkOptions, fmtValue } from "../_check.ts";
import type { Layer, LayerShape } from "../layers/layer.ts";
import type { Tensor } from "../tensor.ts";
import { InputLayer } from "./input.ts";
import { LayersModel, shapeList } from "./layers_model.ts";
import { type GraphNode, nodesOf, SymbolicTensor } from "./symbolic.ts";

/** Arguments of {@linkcode model}. */
export interface ModelArgs {
  /** The inputs, from `dn.input()`: one or a list. */
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** The outputs, from `layer.apply()`: one or a list. */
  outputs: SymbolicTensor | readonly SymbolicTensor[];
  /** Unique name; default `model_<n>`. */
  name?: string;
  /** False freezes the model: every layer's `trainable` is set false, as `model.trainable`. */
  trainable?: boolean;
}

const fn = "model";

function symbolicList(value: unknown, arg: string): SymbolicTensor[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) {
    throw new TypeError(`Cannot run ${fn}(): argument "${arg}" must not be empty`);
  }
  list.forEach((t, i) => {
    if (!(t instanceof SymbolicTensor)) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "${arg}${
          Array.isArray(value) ? `[${i}]` : ""
        }" must be a symbolic tensor (from dn.input() or layer.apply()): got ${fmtValue(t)}`,
      );
    }
  });
  return list;
}

/** A model over a graph of layers, from symbolic inputs to symbolic outputs. */
export class Functional extends LayersModel {
  /** Keras class name, used in saved topologies. */
  readonly className = "Functional";
  /** The symbolic inputs. */
  readonly inputs: readonly SymbolicTensor[];
  /** The symbolic outputs. */
  readonly outputs: readonly SymbolicTensor[];
  /** The nodes between them, each after the nodes it reads. */
  readonly #nodes: GraphNode[] = [];
  readonly #layers: Layer[] = [];

  /**
   * Creates the model from its graph (see {@linkcode model}).
   *
   * @param args `inputs`, `outputs`, `name`.
   * @throws {TypeError} When an input is not from `dn.input()` or an argument is not symbolic.
   *   {RangeError} When an output is not reachable from the inputs, the graph has a cycle, or two
   *   layers share a name (the messages name the layer).
   */
  constructor(args: ModelArgs) {
    checkArity(arguments, ["args"], fn);
    if (args === null || typeof args !== "object") {
      throw new TypeError(
        `Cannot run ${fn}(): argument "args" must be an object: got ${fmtValue(args)}`,
      );
    }
    checkOptions(args, ["inputs", "outputs", "name", "trainable"], fn, "args");
    super({ name: args.name, trainable: args.trainable }, "model");
    this.inputs = symbolicList(args.inputs, "inputs");
    this.outputs = symbolicList(args.outputs, "outputs");
    this.inputs.forEach((t, i) => {
      if (!(t.node.layer instanceof InputLayer)) {
        throw new TypeError(
          `Cannot run ${fn}(): argument "inputs[${i}]" must come from dn.input(): got the output of layer "${t.node.layer.name}"`,
        );
      }
      if (this.inputs.indexOf(t) !== i) {
        throw new RangeError(`Cannot run ${fn}(): input "${t.node.layer.name}" is given twice`);
      }
    });
    const state = new Map<GraphNode, "visiting" | "done">();
    const visit = (t: SymbolicTensor, consumer: string) => {
      const node = t.node;
      if (state.get(node) === "done") return;
      if (state.get(node) === "visiting") {
        throw new RangeError(
          `Cannot run ${fn}(): the graph has a cycle through layer "${node.layer.name}"`,
        );
      }
      if (node.layer instanceof InputLayer) {
        if (!this.inputs.includes(t)) {
          throw new RangeError(
            `Cannot run ${fn}(): layer "${consumer}" is not reachable from the inputs: it reads input "${node.layer.name}", which is not in "inputs"`,
          );
        }
      } else {
        state.set(node, "visiting");
        for (const x of node.inputs) visit(x, node.layer.name);
        this.#nodes.push(node);
      }
      state.set(node, "done");
    };
    for (const o of this.outputs) visit(o, o.node.layer.name);
    for (
      const layer of [
        ...this.inputs.map((t) => t.node.layer),
        ...this.#nodes.map((n) => n.layer),
      ]
    ) {
      if (this.#layers.includes(layer)) continue;
      const twin = this.#layers.find((l) => l.name === layer.name);
      if (twin) throw new RangeError(`Cannot run ${fn}(): two layers are named "${layer.name}"`);
      this.#layers.push(layer);
    }
    for (const layer of this.#layers) {
      layer.addOwner(this);
      if (!this.trainable) layer.trainable = false; // a frozen model's layers are frozen
    }
  }

  /** The layers (input layers first), each once, in the order they first run. */
  get layers(): readonly Layer[] {
    return this.#layers;
  }

  /** The input layers' names. */
  get inputNames(): string[] {
    return this.inputs.map((t) => t.node.layer.name);
  }

  /** The names of the layers making the outputs. */
  get outputNames(): string[] {
    return this.outputs.map((t) => t.node.layer.name);
  }

  /** Shape of one sample of each input. */
  get inputShapes(): number[][] {
    return this.inputs.map((t) => t.sampleShape);
  }

  /** Shape of one sample of the input, for a model of one input (as the first layer of another). */
  override get inputShape(): number[] | undefined {
    return this.inputs.length === 1 ? this.inputs[0].sampleShape : undefined;
  }

  /** Each input's `dtype` (from `dn.input`). */
  protected override inputDtypes(): ("float32" | "int32")[] {
    return this.inputs.map((t) => t.dtype);
  }

  /** The layers were built when applied: returns the outputs' sample shapes. */
  buildAll(): number[][] {
    return this.outputs.map((t) => t.sampleShape);
  }

  /** As a layer: checks that `inputShape` is the inputs' (the weights exist already). */
  protected override build(inputShape: LayerShape): void {
    const got = shapeList(inputShape, this.inputs.length);
    if (JSON.stringify(got) !== JSON.stringify(this.inputShapes)) {
      throw new RangeError(
        `Cannot apply model "${this.name}": its inputs take samples of shape ${
          this.inputShapes.map((s) => `[${s.join(", ")}]`).join(", ")
        }: got ${got.map((s) => `[${s.join(", ")}]`).join(", ")}`,
      );
    }
  }

  /** As a layer: the first output's sample shape (the inputs' shapes checked). */
  override computeOutputShape(inputShape: LayerShape): number[] {
    this.build(inputShape);
    return this.outputs[0].sampleShape;
  }

  /** The weights, named `<layer>/<weight>` (built when the layers were applied). */
  override weightShapes(_inputShape: LayerShape): { name: string; shape: number[] }[] {
    return this.weights.map((w) => ({ name: w.name, shape: [...w.value.shape] }));
  }

  /** Runs the nodes in order on a batch, one tensor per input; see `LayersModel.forwardAll`. */
  forwardAll(xs: Tensor[], training: boolean, logits?: readonly boolean[]): Tensor[] {
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((t, i) => values.set(t, xs[i]));
    const fused = new Set(this.outputs.filter((_, i) => logits?.[i]));
    for (const node of this.#nodes) {
      const args = node.inputs.map((t) => values.get(t)!);
      const layer = node.layer as Layer & { callLogits?(x: Tensor): Tensor };
      values.set(
        node.output,
        fused.has(node.output) && layer.callLogits
          ? layer.callLogits(args[0])
          : layer.call(node.list ? args : args[0], training),
      );
    }
    return this.outputs.map((t) => values.get(t)!);
  }

  /** Output layers with an activation to fuse, when nothing else reads the output. */
  protected fusableLayers(): (Layer | undefined)[] {
    return this.outputs.map((o) => {
      const read = this.#nodes.some((n) => n.inputs.includes(o)) ||
        this.outputs.filter((t) => t === o).length > 1 || this.inputs.includes(o);
      return read ? undefined : o.node.layer;
    });
  }

  /** Each layer with the shapes of its outputs in this model. */
  protected summaryRows(): [Layer, string][] {
    const shapes = (layer: Layer) =>
      [...this.inputs, ...this.#nodes.map((n) => n.output)]
        .filter((t) => t.node.layer === layer)
        .map((t) => `[null, ${t.sampleShape.join(", ")}]`)
        .join(" ");
    return this.#layers.map((l) => [l, shapes(l)]);
  }

  /** The nodes of `layer` in this model, in order. */
  #nodesIn(layer: Layer): GraphNode[] {
    return nodesOf(layer).filter((n) =>
      this.#nodes.includes(n) || this.inputs.some((t) => t.node === n)
    );
  }

  #ref(t: SymbolicTensor): [string, number] {
    return [t.node.layer.name, this.#nodesIn(t.node.layer).indexOf(t.node)];
  }

  /**
   * Keras-style config: each layer's `{ className, name, config, inboundNodes }` (per node, the
   * `[layer, node]` it reads and whether as a list), and the input and output `[layer, node]`.
   */
  override getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      ...(this.trainable ? {} : { trainable: false }),
      layers: this.#layers.map((l) => ({
        className: l.className,
        name: l.name,
        config: l.getConfig(),
        inboundNodes: l instanceof InputLayer ? [] : this.#nodesIn(l).map((n) => ({
          inputs: n.inputs.map((t) => this.#ref(t)),
          list: n.list,
        })),
      })),
      inputLayers: this.inputs.map((t) => this.#ref(t)),
      outputLayers: this.outputs.map((t) => this.#ref(t)),
    };
  }
}

/**
 * A functional model (Keras `Model` / TF.js `tf.model`) from symbolic inputs to outputs.
 *
 * @param args `inputs` (from `dn.input()`), `outputs` (from `layer.apply()`), `name`.
 * @returns The model: `compile`, `fit`, `evaluate`, `predict`, `summary`, `save` as `Sequential`,
 *   with data as one tensor, a list, or a map by input (output) layer name.
 * @throws {TypeError} When an input is not from `dn.input()`. {RangeError} When an output is not
 *   reachable from the inputs, or the graph has a cycle (the messages name the layer).
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const a = dn.input({ shape: [3], name: "a" });
 * const b = dn.input({ shape: [3], name: "b" });
 * const shared = dn.layers.dense({ units: 4, activation: "relu" });
 * const ha = shared.apply(a), hb = shared.apply(b);
 * const outA = dn.layers.dense({ units: 1, name: "outA" }).apply(ha);
 * const outB = dn.layers.dense({ units: 1, name: "outB" }).apply(hb);
 * const model = dn.model({ inputs: [a, b], outputs: [outA, outB] });
 * model.compile({ optimizer: "adam", loss: { outA: "meanSquaredError", outB: "meanSquaredError" } });
 * const x = dn.ones([8, 3]), y = dn.zeros([8, 1]);
 * const history = await model.fit({ a: x, b: x }, [y, y], { epochs: 2, verbose: 0 });
 * assert.deepEqual(Object.keys(history.history), ["loss", "outA_loss", "outB_loss"]);
 * assert.equal((model.predict([x, x]) as dn.Tensor[]).length, 2);
 * ```
 */
export function model(args: ModelArgs): Functional {
  checkArity(arguments, ["args"], fn);
  return new Functional(args);
}
