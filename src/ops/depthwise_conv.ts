/**
 * Depthwise 2-D convolution over NHWC tensors (TensorFlow's `depthwiseConv2d`) on its own
 * kernels (assembly/depthwise.ts, programs/depthwise.ts), with the gradients for the input and
 * the filter.
 *
 * @module
 */
import { checkArity, checkOneOf, checkPair, checkRank, checkTensor, fmtShape } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { checkPadding } from "./_geometry.ts";
import { output } from "./_output.ts";
import { conv2dGeometry, type Conv2dPadding } from "./conv.ts";

/**
 * Depthwise 2-D convolution, as TensorFlow's `depthwiseConv2d`: input channel c convolved with
 * its own `multiplier` filters `filter[.., c, k]`, giving output channel `c · multiplier + k`;
 * sizes and `"same"`/`"valid"` padding as `conv2d`. The blocks of mobile CNNs: `9·C` multiply-adds
 * per pixel for a 3x3 filter where a full convolution does `9·C²`.
 *
 * @param x NHWC `[batch, height, width, channels]`.
 * @param filter `[filterHeight, filterWidth, channels, multiplier]`.
 * @param strides `[height, width]` or one number for both.
 * @param pad `"valid"` or `"same"`.
 * @param dataFormat `"NHWC"` only (the default).
 * @param dilations `[height, width]` or one number (default 1); cannot exceed 1 with strides.
 * @returns `[batch, outHeight, outWidth, channels · multiplier]`.
 * @throws {TypeError} When `x` or `filter` is not a live rank-4 float32 tensor, or `pad` or
 *   `dataFormat` is unknown.
 * @throws {RangeError} When the channels differ, or a size, stride or dilation is invalid.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([1, 10, 2, 20, 3, 30], [1, 1, 3, 2]);
 * const y = dn.depthwiseConv2d(x, dn.tensor([1, -1, 1, 1], [1, 2, 2, 1]), 1, "valid");
 * assert.deepEqual([...y.dataSync()], [3, 10, 5, 10]);
 * ```
 */
export function depthwiseConv2d(
  x: Tensor,
  filter: Tensor,
  strides: number | [number, number],
  pad: Conv2dPadding,
  dataFormat: "NHWC" = "NHWC",
  dilations: number | [number, number] = 1,
): Tensor {
  checkArity(
    arguments,
    ["x", "filter", "strides", "pad", "dataFormat", "dilations"],
    "depthwiseConv2d",
  );
  const fn = "depthwiseConv2d";
  checkTensor(x, "x", fn);
  checkTensor(filter, "filter", fn);
  checkRank(x, 4, "x", fn);
  checkRank(filter, 4, "filter", fn);
  checkOneOf(dataFormat, ["NHWC"] as const, "dataFormat", fn);
  const [fh, fw, c, m] = filter.shape;
  if (c !== x.shape[3]) {
    throw new RangeError(
      `Cannot run ${fn}(): input channels of "x" and "filter" must match: got ${x.shape[3]} (x ${
        fmtShape(x.shape)
      }) and ${c} (filter ${fmtShape(filter.shape)})`,
    );
  }
  const g = conv2dGeometry(
    x.shape,
    [fh, fw, c, c * m],
    checkPair(strides, "strides", fn),
    checkPair(dilations, "dilations", fn),
    checkPadding(pad, fn),
    fn,
  );
  const y = output([g.batch, g.outHeight, g.outWidth, g.outChannels], fn);
  activeBackend().depthwiseConv2d("forward", {
    ...g,
    x: x.storage,
    filter: filter.storage,
    bias: null,
    y: y.storage,
    grad: null,
  });
  return record(y, [x, filter], (dy, [x, filter], needs) => {
    const backend = activeBackend();
    let dx: Tensor | null = null, df: Tensor | null = null;
    if (needs[0]) {
      dx = output(x.shape);
      backend.depthwiseConv2d("bwdData", {
        ...g,
        x: null,
        filter: filter.storage,
        bias: null,
        y: dy.storage,
        grad: dx.storage,
      });
    }
    if (needs[1]) {
      df = output(filter.shape);
      backend.depthwiseConv2d("bwdFilter", {
        ...g,
        x: x.storage,
        filter: null,
        bias: null,
        y: dy.storage,
        grad: df.storage,
      });
    }
    return [dx, df];
  }, [x, filter]);
}
