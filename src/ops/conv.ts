/**
 * 2-D convolution over NHWC tensors with TensorFlow's output sizes and "same"/"valid" padding,
 * dilation, a fused bias and activation, and gradients for the input, the filter and the bias.
 *
 * @module
 */
import {
  checkArity,
  checkOneOf,
  checkOptions,
  checkPair,
  checkRank,
  checkTensor,
  fmtShape,
} from "../_check.ts";
import { record } from "../autograd/tape.ts";
import { ACTIVATIONS } from "../backend/activations.ts";
import type { Activation, Conv2dGeometry } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { checkPadding, windowAxis } from "./_geometry.ts";
import { output } from "./_output.ts";
import { sum } from "./reduce.ts";

/** Padding of a convolution: `"valid"` (no padding) or `"same"` (output = ⌈input / stride⌉). */
export type Conv2dPadding = "valid" | "same";

/** Options of `conv2d()`. */
export interface Conv2dOptions {
  /** Step between outputs: `[height, width]`, or one number for both (default 1). */
  strides?: number | [number, number];
  /** `"valid"` (default) or `"same"`. */
  padding?: Conv2dPadding;
  /** Spacing between filter taps: `[height, width]`, or one number for both (default 1). */
  dilations?: number | [number, number];
  /** Added to every output pixel: shape `[outChannels]`. */
  bias?: Tensor;
  /** Applied after the bias (default `"linear"`). */
  activation?: Activation;
}

/**
 * 2-D convolution `activation(conv(x, filter) + bias)`, as TensorFlow's `conv2d` (a
 * cross-correlation: the filter is not flipped), computed as GEMMs over im2col chunks with the
 * bias and activation fused into the GEMM epilogue.
 *
 * Output size per spatial axis, with the effective filter size `e = (f - 1)·dilation + 1`:
 * `"valid"` gives `⌈(in - e + 1) / stride⌉`; `"same"` gives `⌈in / stride⌉` and pads
 * `max((out - 1)·stride + e - in, 0)` zeros, the smaller half on top (left).
 *
 * @param x NHWC `[batch, height, width, inChannels]`.
 * @param filter `[filterHeight, filterWidth, inChannels, outChannels]`.
 * @param options `strides`, `padding`, `dilations`, `bias` (`[outChannels]`), `activation`.
 * @returns NHWC `[batch, outHeight, outWidth, outChannels]`.
 * @throws {TypeError} When `x` or `filter` is not a live rank-4 tensor, `strides`/`dilations`
 *   are not a number or two numbers, or `padding`/`activation` is unknown.
 * @throws {RangeError} When the channels of `x` and `filter` differ, `strides`/`dilations` are
 *   not positive integers or both exceed 1, the filter is empty or (with `"valid"`) larger than
 *   the input, or the bias has the wrong shape.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.ones([1, 3, 3, 1]);
 * const w = dn.ones([2, 2, 1, 1]);
 * const y = dn.conv2d(x, w, { padding: "same" });
 * assert.deepEqual(y.shape, [1, 3, 3, 1]);
 * assert.deepEqual([...y.dataSync()], [4, 4, 2, 4, 4, 2, 2, 2, 1]);
 * assert.deepEqual(dn.conv2d(x, w, { strides: 2 }).shape, [1, 1, 1, 1]);
 * ```
 */
export function conv2d(x: Tensor, filter: Tensor, options: Conv2dOptions = {}): Tensor {
  checkArity(arguments, ["x", "filter", "options"], "conv2d");
  const fn = "conv2d";
  checkTensor(x, "x", fn);
  checkTensor(filter, "filter", fn);
  checkRank(x, 4, "x", fn);
  checkRank(filter, 4, "filter", fn);
  checkOptions(options, ["strides", "padding", "dilations", "bias", "activation"], fn);
  const g = conv2dGeometry(
    x.shape,
    filter.shape,
    checkPair(options.strides ?? 1, "strides", fn),
    checkPair(options.dilations ?? 1, "dilations", fn),
    checkPadding(options.padding ?? "valid", fn),
    fn,
  );
  const activation = checkOneOf(options.activation ?? "linear", ACTIVATIONS, "activation", fn);
  const bias = options.bias;
  if (bias !== undefined) {
    checkTensor(bias, "bias", fn);
    if (bias.rank !== 1 || bias.shape[0] !== g.outChannels) {
      throw new RangeError(
        `Cannot add bias in ${fn}(): argument "bias" must have shape [${g.outChannels}]: got ${
          fmtShape(bias.shape)
        }`,
      );
    }
  }
  const y = conv2dForward(x, filter, g, bias, activation, fn);
  const inputs = bias ? [x, filter, bias] : [x, filter];
  return record(y, inputs, (dy, [x, filter, y], needs) => {
    const dz = activation === "linear" ? dy : activationGrad(activation, dy, y);
    const backend = activeBackend();
    let dx: Tensor | null = null, dw: Tensor | null = null;
    if (needs[0]) {
      dx = output(x.shape);
      if (dx.size > 0) {
        backend.conv2dBackwardData({
          ...g,
          dy: dz.storage,
          filter: filter.storage,
          dx: dx.storage,
        });
      }
    }
    if (needs[1]) {
      dw = output(filter.shape);
      if (dw.size > 0) {
        backend.conv2dBackwardFilter({ ...g, x: x.storage, dy: dz.storage, dw: dw.storage });
      }
    }
    return bias ? [dx, dw, needs[2] ? sum(dz, [0, 1, 2]) : null] : [dx, dw];
  }, [x, filter, y]);
}

/**
 * The forward of `conv2d` on a geometry the caller checked, unrecorded: any top and left padding,
 * the bottom and right implied by the output size (the backend bounds-checks every tap), so an
 * inference caller with explicit pads (the ONNX importer) needs no padded copy of `x`.
 */
export function conv2dForward(
  x: Tensor,
  filter: Tensor,
  g: Conv2dGeometry,
  bias: Tensor | undefined,
  activation: Activation,
  fn = "conv2d",
): Tensor {
  const y = output([g.batch, g.outHeight, g.outWidth, g.outChannels], fn);
  if (y.size > 0) {
    activeBackend().conv2d({
      ...g,
      x: x.storage,
      filter: filter.storage,
      y: y.storage,
      bias: bias?.storage ?? null,
      activation,
    });
  }
  return y;
}

/**
 * The kernel geometry of convolving `x` with `filter` (TensorFlow sizes, see `conv2d`); throws
 * for channel mismatches, empty filters, strides and dilations both above 1, and `"valid"`
 * filters larger than the input. Shared with the `conv2d` layer's shape inference.
 */
export function conv2dGeometry(
  [batch, inHeight, inWidth, inChannels]: readonly number[],
  [filterHeight, filterWidth, filterIn, outChannels]: readonly number[],
  [strideHeight, strideWidth]: readonly [number, number],
  [dilationHeight, dilationWidth]: readonly [number, number],
  padding: Conv2dPadding,
  fn: string,
): Conv2dGeometry {
  if (filterIn !== inChannels) {
    throw new RangeError(
      `Cannot run ${fn}(): input channels of "x" and "filter" must match: got ${inChannels} ` +
        `(x ${fmtShape([batch, inHeight, inWidth, inChannels])}) and ${filterIn} (filter ${
          fmtShape([filterHeight, filterWidth, filterIn, outChannels])
        })`,
    );
  }
  if (filterHeight < 1 || filterWidth < 1) {
    throw new RangeError(
      `Cannot run ${fn}(): filter height and width must be at least 1: got ${
        fmtShape([filterHeight, filterWidth])
      }`,
    );
  }
  if ((strideHeight > 1 || strideWidth > 1) && (dilationHeight > 1 || dilationWidth > 1)) {
    throw new RangeError(
      `Cannot run ${fn}(): "strides" and "dilations" cannot both exceed 1: got strides ${
        fmtShape([strideHeight, strideWidth])
      } and dilations ${fmtShape([dilationHeight, dilationWidth])}`,
    );
  }
  const rows = windowAxis(inHeight, filterHeight, strideHeight, dilationHeight, padding);
  const cols = windowAxis(inWidth, filterWidth, strideWidth, dilationWidth, padding);
  if (rows.out < 0 || cols.out < 0 || (padding === "valid" && (rows.out === 0 || cols.out === 0))) {
    throw new RangeError(
      `Cannot run ${fn}(): the filter ${fmtShape([filterHeight, filterWidth])} (dilated to ${
        fmtShape([(filterHeight - 1) * dilationHeight + 1, (filterWidth - 1) * dilationWidth + 1])
      }) must fit in the input height and width with padding "valid": got ${
        fmtShape([inHeight, inWidth])
      }`,
    );
  }
  return {
    batch,
    inHeight,
    inWidth,
    inChannels,
    outHeight: rows.out,
    outWidth: cols.out,
    outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    padTop: rows.before,
    padLeft: cols.before,
  };
}

/** `dy · act'(z)` from the saved output `y = act(z)`. */
function activationGrad(activation: Exclude<Activation, "linear">, dy: Tensor, y: Tensor): Tensor {
  const dz = output(dy.shape);
  if (dz.size > 0) {
    activeBackend().unaryBackward(activation, dy.storage, y.storage, dz.storage, dy.size);
  }
  return dz;
}
