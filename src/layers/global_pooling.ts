/**
 * Global pooling over NHWC images (Keras `GlobalAveragePooling2D`, `GlobalMaxPooling2D`): the
 * mean or maximum of each channel over height and width, `[batch, channels]`.
 *
 * @module
 */
import { checkArity, checkTensor, fmtShape } from "../_check.ts";
import { max, mean } from "../ops/reduce.ts";
import type { Tensor } from "../tensor.ts";
import { Layer, type LayerArgs } from "./layer.ts";

/** The shared part: shape checks. */
abstract class GlobalPooling2D extends Layer {
  constructor(args: LayerArgs, prefix: string, fn: string) {
    super(args ?? {}, prefix, [], fn);
  }
  protected abstract pool(x: Tensor): Tensor;
  /** `[channels]` for samples `[height, width, channels]`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3) {
      throw new RangeError(
        `Cannot apply ${this.className} layer "${this.name}": samples must have shape [height, width, channels]: got ${
          fmtShape(inputShape)
        }`,
      );
    }
    return [inputShape[2]];
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    this.computeOutputShape(x.shape.slice(1));
    return this.pool(x);
  }
}

/** The mean of each channel over height and width. */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  readonly className = "GlobalAveragePooling2D";
  /** @param args The common layer arguments. */
  constructor(args: LayerArgs = {}) {
    super(args, "global_average_pooling2d", "globalAveragePooling2d");
  }
  protected pool(x: Tensor): Tensor {
    return mean(x, [1, 2]);
  }
}

/** The maximum of each channel over height and width (the gradient goes to the first maximum). */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  readonly className = "GlobalMaxPooling2D";
  /** @param args The common layer arguments. */
  constructor(args: LayerArgs = {}) {
    super(args, "global_max_pooling2d", "globalMaxPooling2d");
  }
  protected pool(x: Tensor): Tensor {
    return max(x, [1, 2]);
  }
}

/**
 * The mean of each channel of NHWC images over height and width (Keras
 * `GlobalAveragePooling2D`): `[batch, channels]`.
 *
 * @param args The common layer arguments.
 * @returns The layer.
 * @throws {RangeError} When samples are not `[height, width, channels]`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([1, 10, 3, 20], [1, 2, 1, 2]);
 * assert.deepEqual([...dn.layers.globalAveragePooling2d().call(x).dataSync()], [2, 15]);
 * ```
 */
export function globalAveragePooling2d(args: LayerArgs = {}): GlobalAveragePooling2D {
  checkArity(arguments, ["args"], "globalAveragePooling2d");
  return new GlobalAveragePooling2D(args);
}

/**
 * The maximum of each channel of NHWC images over height and width (Keras
 * `GlobalMaxPooling2D`): `[batch, channels]`.
 *
 * @param args The common layer arguments.
 * @returns The layer.
 * @throws {RangeError} When samples are not `[height, width, channels]`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([1, 10, 3, 20], [1, 2, 1, 2]);
 * assert.deepEqual([...dn.layers.globalMaxPooling2d().call(x).dataSync()], [3, 20]);
 * ```
 */
export function globalMaxPooling2d(args: LayerArgs = {}): GlobalMaxPooling2D {
  checkArity(arguments, ["args"], "globalMaxPooling2d");
  return new GlobalMaxPooling2D(args);
}
