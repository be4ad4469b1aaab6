/**
 * Layers that move values without weights, over NHWC images or `[batch, ...]` samples (Keras
 * names and defaults): `UpSampling2D` (nearest), `ZeroPadding2D`, `Cropping2D`, `RepeatVector`,
 * `Permute`. Each is a view or one strided copy, with the copy's gradient.
 *
 * @module
 */
import {
  checkArity,
  checkPair,
  checkPositiveInt,
  checkTensor,
  fmtShape,
  fmtValue,
} from "../_check.ts";
import { broadcastTo } from "../ops/broadcast_to.ts";
import { pad } from "../ops/pad.ts";
import { slice } from "../ops/slice.ts";
import { expandDims, reshape, transpose } from "../ops/transform.ts";
import type { Tensor } from "../tensor.ts";
import { Layer, type LayerArgs } from "./layer.ts";

/** `[[top, bottom], [left, right]]` from Keras's three forms: n, `[h, w]`, `[[t, b], [l, r]]`. */
function checkBorders(
  value: unknown,
  arg: string,
  fn: string,
): [[number, number], [number, number]] {
  const ok = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  if (ok(value)) return [[value as number, value as number], [value as number, value as number]];
  if (Array.isArray(value) && value.length === 2) {
    if (value.every(ok)) return [[value[0], value[0]], [value[1], value[1]]];
    if (value.every((p) => Array.isArray(p) && p.length === 2 && p.every(ok))) {
      return [[value[0][0], value[0][1]], [value[1][0], value[1][1]]];
    }
  }
  throw new TypeError(
    `Cannot run ${fn}(): argument "${arg}" must be an integer >= 0, [height, width] or [[top, bottom], [left, right]]: got ${
      fmtValue(value)
    }`,
  );
}

/** Throws unless samples are `[height, width, channels]`. */
function checkImage(layer: Layer, inputShape: readonly number[]): void {
  if (inputShape.length !== 3) {
    throw new RangeError(
      `Cannot apply ${layer.className} layer "${layer.name}": samples must have shape [height, width, channels]: got ${
        fmtShape(inputShape)
      }`,
    );
  }
}

/** Arguments of `upSampling2d()`. */
export interface UpSampling2DArgs extends LayerArgs {
  /** Repeats `[rows, cols]` or one number for both; default `[2, 2]`. */
  size?: number | [number, number];
  /** Only `"nearest"` (the default). */
  interpolation?: "nearest";
}

/** Repeats each row and column of NHWC images `size` times (nearest-neighbour upsampling). */
export class UpSampling2D extends Layer {
  readonly className = "UpSampling2D";
  readonly size: [number, number];
  /** @param args See `UpSampling2DArgs`. */
  constructor(args: UpSampling2DArgs = {}) {
    super(args ?? {}, "up_sampling2d", ["size", "interpolation"], "upSampling2d");
    this.size = checkPair(args?.size ?? 2, "size", "upSampling2d");
    if ((args?.interpolation ?? "nearest") !== "nearest") {
      throw new TypeError(
        `Cannot run upSampling2d(): argument "interpolation" must be "nearest": got ${
          fmtValue(args.interpolation)
        }`,
      );
    }
  }
  override computeOutputShape(inputShape: readonly number[]): number[] {
    checkImage(this, inputShape);
    const [h, w, c] = inputShape;
    return [h * this.size[0], w * this.size[1], c];
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    const [n, h, w, c] = x.shape;
    const [sh, sw] = this.size;
    checkImage(this, x.shape.slice(1));
    const spread = broadcastTo(reshape(x, [n, h, 1, w, 1, c]), [n, h, sh, w, sw, c]);
    return reshape(spread, [n, h * sh, w * sw, c]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], interpolation: "nearest" };
  }
}

/** Arguments of `zeroPadding2d()`. */
export interface ZeroPadding2DArgs extends LayerArgs {
  /** n, `[height, width]` (both sides) or `[[top, bottom], [left, right]]`; default 1. */
  padding?: number | [number, number] | [[number, number], [number, number]];
}

/** Pads NHWC images with zero rows and columns. */
export class ZeroPadding2D extends Layer {
  readonly className = "ZeroPadding2D";
  readonly padding: [[number, number], [number, number]];
  /** @param args See `ZeroPadding2DArgs`. */
  constructor(args: ZeroPadding2DArgs = {}) {
    super(args ?? {}, "zero_padding2d", ["padding"], "zeroPadding2d");
    this.padding = checkBorders(args?.padding ?? 1, "padding", "zeroPadding2d");
  }
  override computeOutputShape(inputShape: readonly number[]): number[] {
    checkImage(this, inputShape);
    const [[t, b], [l, r]] = this.padding;
    return [inputShape[0] + t + b, inputShape[1] + l + r, inputShape[2]];
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    checkImage(this, x.shape.slice(1));
    return pad(x, [[0, 0], this.padding[0], this.padding[1], [0, 0]]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]) };
  }
}

/** Arguments of `cropping2d()`. */
export interface Cropping2DArgs extends LayerArgs {
  /** n, `[height, width]` (both sides) or `[[top, bottom], [left, right]]`; default 0. */
  cropping?: number | [number, number] | [[number, number], [number, number]];
}

/** Removes rows and columns from the borders of NHWC images. */
export class Cropping2D extends Layer {
  readonly className = "Cropping2D";
  readonly cropping: [[number, number], [number, number]];
  /** @param args See `Cropping2DArgs`. */
  constructor(args: Cropping2DArgs = {}) {
    super(args ?? {}, "cropping2d", ["cropping"], "cropping2d");
    this.cropping = checkBorders(args?.cropping ?? 0, "cropping", "cropping2d");
  }
  override computeOutputShape(inputShape: readonly number[]): number[] {
    checkImage(this, inputShape);
    const [[t, b], [l, r]] = this.cropping;
    const out = [inputShape[0] - t - b, inputShape[1] - l - r, inputShape[2]];
    if (out[0] < 1 || out[1] < 1) {
      throw new RangeError(
        `Cannot apply cropping2d layer "${this.name}": cropping ${
          JSON.stringify(this.cropping)
        } leaves nothing of samples ${fmtShape(inputShape)}`,
      );
    }
    return out;
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    const [h, w, c] = this.computeOutputShape(x.shape.slice(1));
    return slice(x, [0, this.cropping[0][0], this.cropping[1][0], 0], [x.shape[0], h, w, c]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => [...p]) };
  }
}

/** Arguments of `repeatVector()`. */
export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat. */
  n: number;
}

/** Repeats `[batch, features]` inputs `n` times: `[batch, n, features]`. */
export class RepeatVector extends Layer {
  readonly className = "RepeatVector";
  readonly n: number;
  /** @param args See `RepeatVectorArgs`. */
  constructor(args: RepeatVectorArgs) {
    super(args ?? {}, "repeat_vector", ["n"], "repeatVector");
    this.n = checkPositiveInt(args?.n, "n", "repeatVector");
  }
  override computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 1) {
      throw new RangeError(
        `Cannot apply repeatVector layer "${this.name}": samples must have shape [features]: got ${
          fmtShape(inputShape)
        }`,
      );
    }
    return [this.n, inputShape[0]];
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    const [n, f] = this.computeOutputShape(x.shape.slice(1));
    return broadcastTo(expandDims(x, 1), [x.shape[0], n, f]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}

/** Arguments of `permute()`. */
export interface PermuteArgs extends LayerArgs {
  /** A permutation of the sample axes, numbered from 1 (the batch axis stays first). */
  dims: number[];
}

/** Permutes the axes of each sample: `dims[i]` is the input axis (from 1) of output axis `i + 1`. */
export class Permute extends Layer {
  readonly className = "Permute";
  readonly dims: number[];
  /** @param args See `PermuteArgs`. */
  constructor(args: PermuteArgs) {
    super(args ?? {}, "permute", ["dims"], "permute");
    const dims = args?.dims;
    const valid = Array.isArray(dims) && dims.length > 0 &&
      [...dims].sort((a, b) => a - b).every((d, i) => d === i + 1);
    if (!valid) {
      throw new TypeError(
        `Cannot run permute(): argument "dims" must be a permutation of 1..n: got ${
          fmtValue(dims)
        }`,
      );
    }
    this.dims = [...dims];
  }
  override computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== this.dims.length) {
      throw new RangeError(
        `Cannot apply permute layer "${this.name}": dims ${
          fmtShape(this.dims)
        } need samples of rank ${this.dims.length}: got ${fmtShape(inputShape)}`,
      );
    }
    return this.dims.map((d) => inputShape[d - 1]);
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    this.computeOutputShape(x.shape.slice(1));
    return transpose(x, [0, ...this.dims]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}

/**
 * Nearest-neighbour upsampling of NHWC images (Keras `UpSampling2D`): each pixel repeated
 * `size[0]` times down and `size[1]` times across; the gradient sums each block.
 *
 * @param args `size` (default `[2, 2]`), `interpolation` (`"nearest"` only), and the common
 *   layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `size` is not a number or two, or `interpolation` is not `"nearest"`.
 * @throws {RangeError} When `size` is not positive, or samples are not `[height, width, channels]`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.upSampling2d({ size: [2, 3] }).call(dn.tensor([1, 2], [1, 1, 2, 1]));
 * assert.deepEqual(y.shape, [1, 2, 6, 1]);
 * assert.deepEqual([...y.dataSync()], [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2]);
 * ```
 */
export function upSampling2d(args: UpSampling2DArgs = {}): UpSampling2D {
  checkArity(arguments, ["args"], "upSampling2d");
  return new UpSampling2D(args);
}

/**
 * Pads NHWC images with zeros (Keras `ZeroPadding2D`).
 *
 * @param args `padding`: n, `[height, width]` (each on both sides) or
 *   `[[top, bottom], [left, right]]` (default 1), and the common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `padding` has another form or negative entries.
 * @throws {RangeError} When samples are not `[height, width, channels]`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.zeroPadding2d({ padding: [[1, 0], [0, 2]] });
 * assert.deepEqual(layer.call(dn.ones([2, 3, 3, 4])).shape, [2, 4, 5, 4]);
 * ```
 */
export function zeroPadding2d(args: ZeroPadding2DArgs = {}): ZeroPadding2D {
  checkArity(arguments, ["args"], "zeroPadding2d");
  return new ZeroPadding2D(args);
}

/**
 * Crops the borders of NHWC images (Keras `Cropping2D`).
 *
 * @param args `cropping`: n, `[height, width]` (each on both sides) or
 *   `[[top, bottom], [left, right]]` (default 0), and the common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `cropping` has another form or negative entries.
 * @throws {RangeError} When samples are not `[height, width, channels]` or nothing is left.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
 * const y = dn.layers.cropping2d({ cropping: [[1, 0], [0, 1]] }).call(x);
 * assert.deepEqual([...y.dataSync()], [4, 5, 7, 8]);
 * ```
 */
export function cropping2d(args: Cropping2DArgs = {}): Cropping2D {
  checkArity(arguments, ["args"], "cropping2d");
  return new Cropping2D(args);
}

/**
 * Repeats each `[features]` sample `n` times (Keras `RepeatVector`): `[batch, n, features]`, as
 * the bridge from an encoder's code to a sequence decoder.
 *
 * @param args `n`, and the common layer arguments.
 * @returns The layer.
 * @throws {RangeError} When `n` is not a positive integer, or samples are not `[features]`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.repeatVector({ n: 3 }).call(dn.tensor([[1, 2]]));
 * assert.deepEqual([...y.dataSync()], [1, 2, 1, 2, 1, 2]);
 * ```
 */
export function repeatVector(args: RepeatVectorArgs): RepeatVector {
  checkArity(arguments, ["args"], "repeatVector");
  return new RepeatVector(args);
}

/**
 * Permutes the axes of each sample (Keras `Permute`); `dims` counts sample axes from 1.
 *
 * @param args `dims`, and the common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `dims` is not a permutation of 1..n.
 * @throws {RangeError} When samples do not have rank `dims.length`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.permute({ dims: [2, 1] });
 * assert.deepEqual(layer.call(dn.zeros([4, 10, 64])).shape, [4, 64, 10]);
 * ```
 */
export function permute(args: PermuteArgs): Permute {
  checkArity(arguments, ["args"], "permute");
  return new Permute(args);
}
