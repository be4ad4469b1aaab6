/**
 * Window geometry shared by Conv, ConvTranspose and the pools: ONNX's `auto_pad`, `pads`,
 * `strides`, `dilations` and `kernel_shape` attributes, and how a window op's padding maps onto
 * ours (`"same"`, `"valid"`, or an explicit pad of the input first).
 *
 * @module
 */
import type { Tensor } from "../../tensor.ts";
import { pad } from "../../ops/pad.ts";
import type { NodeCtx } from "../_kernel.ts";

/** The window attributes of a node with `spatial` spatial axes. */
export interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  autoPad: string;
  /** Begin pads then end pads, one per spatial axis. */
  pads: number[];
}

/** Reads the window attributes (`kernel` from `kernel_shape` or the weights' trailing dims). */
export function windowOf(ctx: NodeCtx, spatial: number, kernelFromWeights?: number[]): Window {
  const ones = Array(spatial).fill(1);
  const kernel = ctx.ints("kernel_shape", kernelFromWeights) ??
    ctx.unsupported("a missing kernel_shape");
  const strides = ctx.ints("strides", ones)!;
  const dilations = ctx.ints("dilations", ones)!;
  const autoPad = ctx.string("auto_pad", "NOTSET");
  const pads = ctx.ints("pads", Array(2 * spatial).fill(0))!;
  if (!["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"].includes(autoPad)) {
    ctx.unsupported(`auto_pad "${autoPad}"`);
  }
  if (
    kernel.length !== spatial || strides.length !== spatial || dilations.length !== spatial ||
    pads.length !== 2 * spatial
  ) {
    throw new RangeError(
      `Cannot load ONNX model: ${ctx.where} must have ${spatial} spatial kernel_shape, strides and dilations and ${
        2 * spatial
      } pads: got [${kernel}], [${strides}], [${dilations}], [${pads}]`,
    );
  }
  if ([...kernel, ...strides, ...dilations].some((v) => v < 1) || pads.some((p) => p < 0)) {
    throw new RangeError(
      `Cannot load ONNX model: ${ctx.where} has a kernel, stride or dilation below 1 or a negative pad`,
    );
  }
  return { kernel, strides, dilations, autoPad, pads };
}

/** The `[begin, end]` pads of each spatial axis for inputs of size `sizes`. */
export function padsFor(w: Window, sizes: number[]): [number, number][] {
  return sizes.map((n, i) => {
    if (w.autoPad === "VALID") return [0, 0];
    if (w.autoPad === "NOTSET") return [w.pads[i], w.pads[i + sizes.length]];
    const e = (w.kernel[i] - 1) * w.dilations[i] + 1;
    const total = Math.max((Math.ceil(n / w.strides[i]) - 1) * w.strides[i] + e - n, 0);
    const small = Math.floor(total / 2);
    return w.autoPad === "SAME_UPPER" ? [small, total - small] : [total - small, small];
  });
}

/** Whether `pads` are what our `"same"` pads (the smaller half first) for these sizes. */
export function isSame(w: Window, sizes: number[], pads: [number, number][]): boolean {
  const same = padsFor({ ...w, autoPad: "SAME_UPPER" }, sizes);
  return pads.every(([b, e], i) => b === same[i][0] && e === same[i][1]);
}

/**
 * The NHWC input and our padding mode for a window op: `"valid"` without pads, `"same"` when
 * the pads are exactly ours, else the input padded with `value` first and `"valid"`.
 */
export function padded(
  x: Tensor,
  w: Window,
  value: number,
  extraEnd: number[] = [0, 0],
): { x: Tensor; padding: "same" | "valid" } {
  const sizes = [x.shape[1], x.shape[2]];
  const pads = padsFor(w, sizes);
  const none = pads.every(([b, e]) => b === 0 && e === 0);
  if (extraEnd.every((v) => v === 0)) {
    if (none) return { x, padding: "valid" };
    if (isSame(w, sizes, pads)) return { x, padding: "same" };
  }
  const [[t, b], [l, r]] = pads;
  return {
    x: pad(x, [[0, 0], [t, b + extraEnd[0]], [l, r + extraEnd[1]], [0, 0]], value),
    padding: "valid",
  };
}
