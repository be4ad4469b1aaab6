/**
 * Pooling geometry shared by `src/ops/pool.ts` and `src/layers/pooling.ts`: TensorFlow's output
 * sizes and "same" padding, and the check that a "valid" window fits (STYLE C14).
 *
 * @module
 */
import { fmtShape } from "../_check.ts";
import type { Pool2dArgs } from "../backend/backend.ts";
import { windowAxis } from "./_geometry.ts";

/** Padding of a pooling: `"valid"` (windows inside the input) or `"same"` (output = ⌈input / stride⌉). */
export type Pool2dPadding = "valid" | "same";

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
  if (padding === "valid" && (poolHeight > inHeight || poolWidth > inWidth)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "poolSize" ${
        fmtShape([poolHeight, poolWidth])
      } must fit in the input height and width with padding "valid": got ${
        fmtShape([inHeight, inWidth])
      }`,
    );
  }
  const rows = windowAxis(inHeight, poolHeight, strideHeight, 1, padding);
  const cols = windowAxis(inWidth, poolWidth, strideWidth, 1, padding);
  return {
    batch,
    inHeight,
    inWidth,
    channels,
    outHeight: rows.out,
    outWidth: cols.out,
    poolHeight,
    poolWidth,
    strideHeight,
    strideWidth,
    padTop: rows.before,
    padLeft: cols.before,
  };
}
