/**
 * Pooling geometry shared by `src/ops/pool.ts` and `src/layers/pooling.ts`: validation of pool
 * sizes, strides and padding (STYLE C14), and TensorFlow's output sizes and "same" padding.
 *
 * @module
 */
import { checkOneOf, fmtShape, fmtValue } from "../_check.ts";
import type { Pool2dArgs } from "../backend/backend.ts";

/** Padding of a pooling: `"valid"` (windows inside the input) or `"same"` (output = ⌈input / stride⌉). */
export type Pool2dPadding = "valid" | "same";

/** The padding names, for validation. */
export const POOL_PADDINGS: readonly Pool2dPadding[] = ["valid", "same"];

/** `value` as `[height, width]`: a positive integer for both, or an array of two. */
export function checkPair(value: unknown, arg: string, fn: string): [number, number] {
  const pair = typeof value === "number" ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || pair.some((v) => typeof v !== "number")) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be a number or an array of two numbers: got ${
        fmtValue(value)
      }`,
    );
  }
  if (!pair.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "${arg}" must hold positive integers: got ${fmtValue(value)}`,
    );
  }
  return [pair[0], pair[1]];
}

/** Throws unless `padding` is `"valid"` or `"same"`. */
export function checkPadding(padding: unknown, fn: string): Pool2dPadding {
  return checkOneOf(padding, POOL_PADDINGS, "padding", fn);
}

/**
 * The kernel geometry of pooling a `[batch, height, width, channels]` input (TensorFlow sizes):
 * `"valid"` gives `⌈(h - ph + 1) / sh⌉` rows and no padding; `"same"` gives `⌈h / sh⌉` rows and
 * pads `max((oh - 1)·sh + ph - h, 0)` rows, the smaller half on top. Likewise for columns.
 * Throws a RangeError when a `"valid"` window does not fit in the input.
 */
export function poolGeometry(
  [batch, inHeight, inWidth, channels]: readonly number[],
  [poolHeight, poolWidth]: readonly [number, number],
  [strideHeight, strideWidth]: readonly [number, number],
  padding: Pool2dPadding,
  fn: string,
): Pool2dArgs {
  if (padding === "valid") {
    if (poolHeight > inHeight || poolWidth > inWidth) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "poolSize" ${
          fmtShape([poolHeight, poolWidth])
        } must fit in the input height and width with padding "valid": got ${
          fmtShape([inHeight, inWidth])
        }`,
      );
    }
    return {
      batch,
      inHeight,
      inWidth,
      channels,
      outHeight: Math.ceil((inHeight - poolHeight + 1) / strideHeight),
      outWidth: Math.ceil((inWidth - poolWidth + 1) / strideWidth),
      poolHeight,
      poolWidth,
      strideHeight,
      strideWidth,
      padTop: 0,
      padLeft: 0,
    };
  }
  const outHeight = Math.ceil(inHeight / strideHeight);
  const outWidth = Math.ceil(inWidth / strideWidth);
  return {
    batch,
    inHeight,
    inWidth,
    channels,
    outHeight,
    outWidth,
    poolHeight,
    poolWidth,
    strideHeight,
    strideWidth,
    padTop: Math.floor(Math.max((outHeight - 1) * strideHeight + poolHeight - inHeight, 0) / 2),
    padLeft: Math.floor(Math.max((outWidth - 1) * strideWidth + poolWidth - inWidth, 0) / 2),
  };
}
