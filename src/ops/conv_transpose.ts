/**
 * Transposed 2-D convolution (TensorFlow's `conv2dTranspose`, the gradient of `conv2d` with
 * respect to its input), over the convolution kernels: the forward is the backend's
 * `conv2dBackwardData`, the gradient for `x` a `conv2d` and for the filter a
 * `conv2dBackwardFilter` with the roles of input and output gradient swapped.
 *
 * @module
 */
import { checkArity, checkPair, checkRank, checkShape, checkTensor, fmtShape } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { checkPadding } from "./_geometry.ts";
import { output } from "./_output.ts";
import { conv2d, conv2dGeometry, type Conv2dPadding } from "./conv.ts";

/**
 * The transpose of `conv2d` (TensorFlow `conv2dTranspose`, "deconvolution"): each input pixel
 * spreads `filter`'s taps into the output; `conv2d(y', filter, { strides, padding })` of an
 * output-shaped `y'` has the shape of `x`.
 *
 * @param x NHWC `[batch, height, width, inChannels]`.
 * @param filter `[filterHeight, filterWidth, outChannels, inChannels]` (TensorFlow's layout).
 * @param outputShape `[batch, outHeight, outWidth, outChannels]`: `conv2d` with these
 *   `strides` and `padding` must take it back to `x`'s height and width (with `"same"`:
 *   `⌈out / stride⌉ = in`).
 * @param strides `[height, width]` or one number for both.
 * @param padding `"valid"` or `"same"`.
 * @returns `[batch, outHeight, outWidth, outChannels]`.
 * @throws {TypeError} When `x` or `filter` is not a live rank-4 float32 tensor, or `padding` is
 *   unknown.
 * @throws {RangeError} When the channels, batch or sizes do not fit `outputShape`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([1, 2], [1, 1, 2, 1]);
 * const y = dn.conv2dTranspose(x, dn.ones([2, 2, 1, 1]), [1, 2, 4, 1], 2, "valid");
 * assert.deepEqual([...y.dataSync()], [1, 1, 2, 2, 1, 1, 2, 2]);
 * ```
 */
export function conv2dTranspose(
  x: Tensor,
  filter: Tensor,
  outputShape: readonly number[],
  strides: number | [number, number],
  padding: Conv2dPadding,
): Tensor {
  checkArity(arguments, ["x", "filter", "outputShape", "strides", "padding"], "conv2dTranspose");
  const fn = "conv2dTranspose";
  checkTensor(x, "x", fn);
  checkTensor(filter, "filter", fn);
  checkRank(x, 4, "x", fn);
  checkRank(filter, 4, "filter", fn);
  const out = checkShape(outputShape, "outputShape", fn);
  const [fh, fw, outC, inC] = filter.shape;
  if (out.length !== 4 || out[0] !== x.shape[0] || out[3] !== outC || inC !== x.shape[3]) {
    throw new RangeError(
      `Cannot run ${fn}(): "outputShape" must be [${x.shape[0]}, height, width, ${outC}] and x's ${
        x.shape[3]
      } channels must match the filter's ${inC}: got outputShape ${fmtShape(out)}, x ${
        fmtShape(x.shape)
      }, filter ${fmtShape(filter.shape)}`,
    );
  }
  const pad = checkPadding(padding, fn);
  const g = conv2dGeometry(
    out,
    [fh, fw, outC, inC],
    checkPair(strides, "strides", fn),
    [1, 1],
    pad,
    fn,
  );
  if (g.outHeight !== x.shape[1] || g.outWidth !== x.shape[2]) {
    throw new RangeError(
      `Cannot run ${fn}(): a conv2d of "outputShape" ${
        fmtShape(out)
      } with these strides and padding gives height and width ${
        fmtShape([g.outHeight, g.outWidth])
      }, not x's ${fmtShape(x.shape.slice(1, 3))}`,
    );
  }
  const y = output(out, fn);
  if (y.size > 0) {
    activeBackend().conv2dBackwardData({
      ...g,
      dy: x.storage,
      filter: filter.storage,
      dx: y.storage,
    });
  }
  return record(y, [x, filter], (dy, [x, filter], needs) => {
    const dx = needs[0]
      ? conv2d(dy, filter, { strides: [g.strideHeight, g.strideWidth], padding: pad })
      : null;
    let dw: Tensor | null = null;
    if (needs[1]) {
      dw = output(filter.shape);
      if (dw.size > 0) {
        activeBackend().conv2dBackwardFilter({
          ...g,
          x: dy.storage,
          dy: x.storage,
          dw: dw.storage,
        });
      }
    }
    return [dx, dw];
  }, [x, filter]);
}
