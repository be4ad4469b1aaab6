/**
 * `cloneModel()`: a new model of the same architecture with layers of its own (Keras
 * `clone_model`), by default holding copies of the weights (a DQN's target network).
 *
 * @module
 */
import { checkArity, checkOptions, fmtValue } from "../_check.ts";
import { withoutDraws } from "../layers/initializers.ts";
import { Lambda } from "../layers/lambda.ts";
import type { Layer } from "../layers/layer.ts";
import { layerFromConfig } from "../layers/registry.ts";
import { Functional } from "./functional.ts";
import { InputLayer, inputOf } from "./input.ts";
import { LayersModel } from "./layers_model.ts";
import { Sequential } from "./sequential.ts";
import type { SymbolicTensor } from "./symbolic.ts";

const fn = "cloneModel";

/** Options of {@linkcode cloneModel}. */
export interface CloneModelOptions {
  /**
   * Copy the weights into the clone (default true). False draws fresh ones from the layers'
   * initialisers, as Keras's `clone_model` does.
   */
  copyWeights?: boolean;
}

/** `layer`'s twin with weights of its own; a layer met twice (shared) is cloned once. */
function cloneLayer(layer: Layer, clones: Map<Layer, Layer>): Layer {
  const made = clones.get(layer);
  if (made) return made;
  const common = { name: layer.name, trainable: layer.trainable };
  let copy: Layer;
  if (layer instanceof Sequential) {
    copy = new Sequential(layer.layers.map((l) => cloneLayer(l, clones)), common);
  } else if (layer instanceof Functional) {
    copy = cloneFunctional(layer, clones);
  } else if (layer instanceof Lambda) {
    // A function is not serialisable: the clone calls the same one.
    copy = new Lambda({ ...common, fn: layer.fn, outputShape: layer.outputShape });
  } else if (layer instanceof InputLayer) {
    copy = new InputLayer(layer.getConfig());
  } else {
    copy = layerFromConfig(layer.className, layer.getConfig(), fn);
  }
  clones.set(layer, copy);
  return copy;
}

/** The graph of `model` applied again, node by node, to cloned layers. */
function cloneFunctional(model: Functional, clones: Map<Layer, Layer>): Functional {
  const tensors = new Map<SymbolicTensor, SymbolicTensor>();
  const visit = (t: SymbolicTensor): SymbolicTensor => {
    let copy = tensors.get(t);
    if (copy) return copy;
    const { layer, inputs, list } = t.node;
    if (layer instanceof InputLayer) copy = inputOf(cloneLayer(layer, clones) as InputLayer);
    else {
      const args = inputs.map(visit);
      copy = cloneLayer(layer, clones).apply(list ? args : args[0]);
    }
    tensors.set(t, copy);
    return copy;
  };
  return new Functional({
    inputs: model.inputs.map(visit),
    outputs: model.outputs.map(visit),
    name: model.name,
    trainable: model.trainable,
  });
}

/**
 * A new model of the same architecture as `model` (a `Sequential` or functional model, nested
 * models included) with layers of its own: training or disposing one leaves the other unchanged.
 * The layers keep their names, configs and `trainable` flags; a layer shared inside `model` stays
 * shared inside the clone. The clone is not compiled. A lambda layer's clone calls the same
 * function; a custom layer class must be one `loadModel` knows.
 *
 * Unlike Keras's `clone_model`, which draws fresh weights, the weights are copied unless
 * `copyWeights` is false. A soft target update `w ← τ·w' + (1 - τ)·w` is `getWeights`, two ops
 * and `setWeights`, as in the example.
 *
 * @param model The model to clone.
 * @param options `copyWeights` (default true).
 * @returns The clone, of `model`'s class.
 * @throws {TypeError} When `model` is not a model, an option is unknown or not a boolean, or a
 *   layer's class cannot be rebuilt from its config.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const online = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3] })]);
 * const target = dn.cloneModel(online);
 * const x = dn.ones([1, 3]);
 * assert.deepEqual(target.predict(x).dataSync(), online.predict(x).dataSync());
 * // Soft update of the target: w ← τ·w' + (1 - τ)·w.
 * const tau = 0.1;
 * const [w, wOnline] = [target.getWeights(), online.getWeights()];
 * target.setWeights(w.map((t, i) => dn.add(dn.mul(wOnline[i], tau), dn.mul(t, 1 - tau))));
 * online.dispose(); // the target's weights are its own
 * assert.deepEqual(target.predict(x).shape, [1, 2]);
 * ```
 */
export function cloneModel<M extends LayersModel>(model: M, options: CloneModelOptions = {}): M {
  checkArity(arguments, ["model", "options"], fn);
  if (!(model instanceof LayersModel)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "model" must be a Sequential or functional model: got ${
        fmtValue(model)
      }`,
    );
  }
  const copyWeights = checkOptions(options, ["copyWeights"], fn).copyWeights ?? true;
  if (typeof copyWeights !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): option "copyWeights" must be a boolean: got ${fmtValue(copyWeights)}`,
    );
  }
  if (!copyWeights) {
    const copy = cloneLayer(model, new Map()) as M;
    copy.buildAll();
    return copy;
  }
  const weights = model.getWeights(); // builds the original with its own draws first
  try {
    // Built without drawing: every weight is overwritten next.
    const copy = withoutDraws(() => {
      const made = cloneLayer(model, new Map()) as M;
      made.buildAll();
      return made;
    });
    copy.setWeights(weights);
    return copy;
  } finally {
    for (const w of weights) w.dispose();
  }
}
