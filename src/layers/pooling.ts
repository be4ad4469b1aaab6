/**
 * Keras pooling layers over NHWC samples: `MaxPooling2D` and `AveragePooling2D`.
 *
 * @module
 */
import { checkPair, checkTensor, fmtShape } from "../_check.ts";
import { checkPadding } from "../ops/_geometry.ts";
import { type Pool2dPadding, poolGeometry } from "../ops/_pool.ts";
import { avgPool2d, maxPool2d } from "../ops/pool.ts";
import type { Tensor } from "../tensor.ts";
import { Layer, type LayerArgs } from "./layer.ts";

/** Arguments of `maxPooling2d()` and `averagePooling2d()`. */
export interface Pooling2dArgs extends LayerArgs {
  /** Window `[height, width]`, or one number for both; default `[2, 2]`. */
  poolSize?: number | [number, number];
  /** Step `[height, width]`, or one number for both; default (or `null`): `poolSize`. */
  strides?: number | [number, number] | null;
  /** `"valid"` (default) or `"same"`. */
  padding?: Pool2dPadding;
}

/** The shared part of the two pooling layers. */
abstract class Pooling2d extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Pool2dPadding;
  /** The factory's name, for messages. */
  readonly #fn: string;

  constructor(args: Pooling2dArgs, prefix: string, fn: string) {
    super(args ?? {}, prefix, ["poolSize", "strides", "padding"], fn);
    this.#fn = fn;
    this.poolSize = checkPair(args?.poolSize ?? [2, 2], "poolSize", fn);
    this.strides = checkPair(args?.strides ?? this.poolSize, "strides", fn);
    this.padding = checkPadding(args?.padding ?? "valid", fn);
  }

  protected abstract pool(x: Tensor): Tensor;

  /** `[outHeight, outWidth, channels]` for samples of shape `[height, width, channels]`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3) {
      throw new TypeError(
        `Cannot apply ${this.className} layer "${this.name}": samples must have rank 3 (height, width, channels): got ${
          fmtShape(inputShape)
        }`,
      );
    }
    const p = poolGeometry([1, ...inputShape], this.poolSize, this.strides, this.padding, this.#fn);
    return [p.outHeight, p.outWidth, p.channels];
  }

  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    return this.pool(x);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      poolSize: [...this.poolSize],
      strides: [...this.strides],
      padding: this.padding,
    };
  }
}

/** Max pooling over NHWC samples. */
export class MaxPooling2D extends Pooling2d {
  readonly className = "MaxPooling2D";
  /** @param args See `Pooling2dArgs`. */
  constructor(args: Pooling2dArgs = {}) {
    super(args, "max_pooling2d", "maxPooling2d");
  }
  protected pool(x: Tensor): Tensor {
    return maxPool2d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}

/** Average pooling over NHWC samples (border windows of "same" divide by their valid count). */
export class AveragePooling2D extends Pooling2d {
  readonly className = "AveragePooling2D";
  /** @param args See `Pooling2dArgs`. */
  constructor(args: Pooling2dArgs = {}) {
    super(args, "average_pooling2d", "averagePooling2d");
  }
  protected pool(x: Tensor): Tensor {
    return avgPool2d(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
