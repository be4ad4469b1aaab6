/**
 * `dn.input()` and the `InputLayer` it creates: the entries of a functional model.
 *
 * @module
 */
import { checkArity, checkOptions, checkShape, fmtValue } from "../_check.ts";
import { Layer, type LayerArgs } from "../layers/layer.ts";
import type { Tensor } from "../tensor.ts";
import { nodesOf, SymbolicTensor } from "./symbolic.ts";

/** Arguments of {@linkcode input}. */
export interface InputArgs {
  /** Shape of one sample (without the batch). */
  shape: number[];
  /** Name of the input layer; default `input_<n>`. */
  name?: string;
  /** Element type of the data (default `"float32"`; `"int32"` for token ids). */
  dtype?: "float32" | "int32";
}

/** The layer behind `dn.input()`: the entry of a functional model; passes its batch through. */
export class InputLayer extends Layer {
  /** Keras class name, used in saved topologies. */
  readonly className = "InputLayer";
  /** Element type of the data. */
  readonly dtype: "float32" | "int32";

  /**
   * Creates the layer (see {@linkcode input}).
   *
   * @param args `inputShape` (one sample), `name`, `dtype`.
   */
  constructor(args: LayerArgs & { dtype?: "float32" | "int32" }) {
    super(args, "input", ["dtype"]);
    if (!this.inputShape) {
      throw new TypeError(`Cannot run input(): argument "shape" must be given: got none`);
    }
    const dtype = args.dtype ?? "float32";
    if (dtype !== "float32" && dtype !== "int32") {
      throw new TypeError(
        `Cannot run input(): argument "dtype" must be "float32" or "int32": got ${fmtValue(dtype)}`,
      );
    }
    this.dtype = dtype;
  }

  /** Returns the batch. */
  call(x: Tensor): Tensor {
    return x;
  }

  /** Name, `inputShape` and `dtype`. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dtype: this.dtype };
  }
}

/**
 * A symbolic input of a functional model (Keras `Input`): apply layers to it, then pass it and
 * the outputs to `dn.model()`.
 *
 * @param args `shape` of one sample, optional `name` and `dtype`.
 * @returns A symbolic tensor of shape `[null, ...shape]`.
 * @throws {TypeError} When an argument key is unknown or `dtype` is not supported.
 *   {RangeError} When `shape` is not a list of positive integers.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.input({ shape: [28, 28, 1], name: "image" });
 * assert.deepEqual(x.shape, [null, 28, 28, 1]);
 * ```
 */
export function input(args: InputArgs): SymbolicTensor {
  checkArity(arguments, ["args"], "input");
  if (args === null || typeof args !== "object") {
    throw new TypeError(
      `Cannot run input(): argument "args" must be an object: got ${fmtValue(args)}`,
    );
  }
  checkOptions(args, ["shape", "name", "dtype"], "input", "args");
  const shape = checkShape(args.shape, "shape", "input");
  const layer = new InputLayer({ inputShape: shape, name: args.name, dtype: args.dtype });
  return inputOf(layer);
}

/** The symbolic tensor an input layer stands for (made once). */
export function inputOf(layer: InputLayer): SymbolicTensor {
  return nodesOf(layer)[0]?.output ??
    new SymbolicTensor(layer.inputShape!, layer.dtype, layer, [], false);
}
