/**
 * The graph of a functional model: symbolic tensors (a shape with a `null` batch, no values), the
 * nodes that made them (one layer applied to some symbolic tensors). `layer.apply(symbolic)`
 * records a node here; `dn.model()` walks the nodes back from its outputs. Imports `Layer` as a
 * type only, so layer.ts can import this module.
 *
 * @module
 */
import type { Layer } from "../layers/layer.ts";

/** One application of a layer in a graph: its symbolic inputs and output. */
export interface GraphNode {
  /** The layer applied. */
  readonly layer: Layer;
  /** Its inputs (none for an `InputLayer`). */
  readonly inputs: readonly SymbolicTensor[];
  /** Whether the layer was given a list (several inputs) rather than one tensor. */
  readonly list: boolean;
  /** Its output. */
  readonly output: SymbolicTensor;
}

/** A placeholder for a batch in a functional graph: a shape whose first dimension is `null`. */
export class SymbolicTensor {
  /** `[null, ...sampleShape]`. */
  readonly shape: (number | null)[];
  /** Element type of the data fed here. */
  readonly dtype: "float32" | "int32";
  /** `<layer>/<n>`: the layer that makes it and which application of it. */
  readonly name: string;
  /**
   * The application of a layer that makes it (for the library).
   *
   * @internal
   */
  readonly node: GraphNode;

  /**
   * For the library: symbolic tensors come from `dn.input()` and `layer.apply()`.
   *
   * @internal
   */
  constructor(
    sample: readonly number[],
    dtype: "float32" | "int32",
    layer: Layer,
    inputs: readonly SymbolicTensor[],
    list: boolean,
  ) {
    this.shape = [null, ...sample];
    this.dtype = dtype;
    const nodes = nodesOf(layer);
    this.name = `${layer.name}/${nodes.length}`;
    this.node = { layer, inputs, list, output: this };
    nodes.push(this.node);
  }

  /** Shape of one sample (without the batch). */
  get sampleShape(): number[] {
    return this.shape.slice(1) as number[];
  }
}

const NODES = new WeakMap<Layer, GraphNode[]>();

/** Every application of `layer` to symbolic tensors, in order (shared by every model using it). */
export function nodesOf(layer: Layer): GraphNode[] {
  let nodes = NODES.get(layer);
  if (!nodes) NODES.set(layer, nodes = []);
  return nodes;
}

/** `layer.output`: the output of its one application. */
export function layerOutput(layer: Layer): SymbolicTensor {
  const nodes = nodesOf(layer);
  if (nodes.length !== 1) {
    throw new TypeError(
      `Cannot read "output" of layer "${layer.name}": it must have been applied to symbolic tensors exactly once: it was applied ${nodes.length} times`,
    );
  }
  return nodes[0].output;
}

/** `layer.apply(symbolic)`: builds the layer for the inputs' shapes and records the node. */
export function applySymbolic(
  layer: Layer,
  inputs: SymbolicTensor[],
  list: boolean,
): SymbolicTensor {
  const shapes = inputs.map((t) => t.sampleShape);
  const shape = list ? shapes : shapes[0];
  let out: number[];
  try {
    layer.ensureBuilt(shape);
    out = layer.computeOutputShape(shape);
  } catch (e) {
    const Err = e instanceof TypeError ? TypeError : RangeError;
    throw new Err(
      `Cannot apply layer "${layer.name}" (${layer.className}) to ${
        shapes.map((s) => `[null, ${s.join(", ")}]`)
          .join(", ")
      }: ${(e as Error).message}`,
    );
  }
  return new SymbolicTensor(out, "float32", layer, inputs, list);
}
