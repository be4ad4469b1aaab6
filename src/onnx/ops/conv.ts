/**
 * Conv (1-D and 2-D, any group count) and ConvTranspose (2-D) on our NHWC convolutions. Weights
 * change layout once at load: Conv's `[M, C/g, kH, kW]` to `[kH, kW, C/g, M]` (depthwise:
 * `[kH, kW, C, M/C]`), ConvTranspose's `[C, M, kH, kW]` to `[kH, kW, M, C]`. A 2-D Conv takes
 * and gives NHWC (the planner keeps activations NHWC between layout-aware ops); a 1-D Conv runs
 * as a 2-D one of height 1. A BatchNormalization after a Conv is folded into its filters and bias.
 *
 * @module
 */
import type { Tensor } from "../../tensor.ts";
import { recording } from "../../autograd/tape.ts";
import { conv2d, conv2dForward } from "../../ops/conv.ts";
import { conv2dTranspose } from "../../ops/conv_transpose.ts";
import { depthwiseConv2d } from "../../ops/depthwise_conv.ts";
import { add } from "../../ops/arithmetic.ts";
import { concat } from "../../ops/concat.ts";
import { pad } from "../../ops/pad.ts";
import { slice } from "../../ops/slice.ts";
import { reshape } from "../../ops/transform.ts";
import type { Kernel, KernelBuilder, NodeCtx } from "../_kernel.ts";
import type { HostTensor } from "../_proto.ts";
import { permute, permuted, toTensor } from "./_constants.ts";
import { padded, padsFor, type Window, windowOf } from "./_window.ts";

function weightsOf(ctx: NodeCtx, rank: number[]): HostTensor {
  const w = ctx.requireConstant(1, "weights");
  if (!rank.includes(w.shape.length) || w.dtype !== "float32") {
    throw new TypeError(
      `Cannot load ONNX model: the weights of ${ctx.where} must be float with rank ${
        rank.join(" or ")
      }: got ${w.dtype} [${w.shape}]`,
    );
  }
  return w;
}

function biasOf(ctx: NodeCtx, channels: number): HostTensor | undefined {
  if (!ctx.has(2)) return undefined;
  const b = ctx.requireConstant(2, "bias");
  if (b.data.length !== channels) {
    throw new RangeError(
      `Cannot load ONNX model: the bias of ${ctx.where} must have ${channels} values: got ${b.data.length}`,
    );
  }
  return b;
}

/** A 1-D window as the 2-D window of height 1. */
function as2d(w: Window): Window {
  return {
    kernel: [1, ...w.kernel],
    strides: [1, ...w.strides],
    dilations: [1, ...w.dilations],
    autoPad: w.autoPad,
    pads: [0, w.pads[0], 0, w.pads[1]],
  };
}

function conv(ctx: NodeCtx): Kernel {
  const w = weightsOf(ctx, [3, 4]);
  const oneD = w.shape.length === 3;
  const [m, cg] = w.shape;
  const group = ctx.int("group", 1);
  const win0 = windowOf(ctx, oneD ? 1 : 2, w.shape.slice(2));
  const win = oneD ? as2d(win0) : win0;
  if (win.strides.some((s) => s > 1) && win.dilations.some((d) => d > 1)) {
    ctx.unsupported("strides and dilations both above 1");
  }
  if (group < 1 || m % group !== 0) {
    throw new RangeError(
      `Cannot load ONNX model: ${ctx.where} has ${m} output channels, not a multiple of group ${group}`,
    );
  }
  const affine = ctx.fusedAffine;
  const perFilter = w.data.length / m;
  const data = affine ? w.data.map((v, i) => v * affine.a[Math.floor(i / perFilter)]) : w.data;
  const w4: HostTensor = { ...w, shape: oneD ? [m, cg, 1, w.shape[2]] : w.shape, data };
  const depthwise = group > 1 && cg === 1;
  const bias0 = biasOf(ctx, m);
  const bias: HostTensor | undefined = affine
    ? {
      dtype: "float32",
      shape: [m],
      data: affine.b.map((b, i) => b + (bias0 ? bias0.data[i] * affine.a[i] : 0)),
    }
    : bias0;
  const biasT = bias ? ctx.keep(toTensor({ ...bias, shape: [m] })) : undefined;
  const activation = ctx.fusedActivation;
  const strides = win.strides as [number, number];
  const dilations = win.dilations as [number, number];
  // Filters in our layouts, once: one per group (depthwise: one for all).
  const filters: Tensor[] = [];
  if (depthwise) {
    const kh = w4.shape[2], kw = w4.shape[3];
    const byChannel = { ...w4, shape: [group, m / group, kh, kw] };
    filters.push(ctx.keep(toTensor(permuted(byChannel, [2, 3, 0, 1]))));
  } else {
    const mg = m / group;
    const size = mg * w4.data.length / m;
    for (let g = 0; g < group; g++) {
      const part = {
        ...w4,
        shape: [mg, ...w4.shape.slice(1)],
        data: w4.data.subarray(g * size, (g + 1) * size),
      };
      filters.push(ctx.keep(toTensor(permuted(part, [2, 3, 1, 0]))));
    }
  }
  // Inference: the node's own pads go to the kernel as they are (no padded copy of x).
  const direct = (x: Tensor): Tensor => {
    const [batch, inHeight, inWidth] = x.shape;
    const pads = padsFor(win, [inHeight, inWidth]);
    const [outHeight, outWidth] = [inHeight, inWidth].map((n, i) =>
      Math.floor(
        (n + pads[i][0] + pads[i][1] - (win.kernel[i] - 1) * dilations[i] - 1) / strides[i],
      ) + 1
    );
    if (outHeight < 1 || outWidth < 1) {
      throw new RangeError(
        `Cannot run ONNX model: ${ctx.where} has a window [${win.kernel}] larger than its padded input [${inHeight}, ${inWidth}]`,
      );
    }
    const [filterHeight, filterWidth] = win.kernel;
    return conv2dForward(
      x,
      filters[0],
      {
        batch,
        inHeight,
        inWidth,
        inChannels: cg,
        outHeight,
        outWidth,
        outChannels: m,
        filterHeight,
        filterWidth,
        strideHeight: strides[0],
        strideWidth: strides[1],
        dilationHeight: dilations[0],
        dilationWidth: dilations[1],
        padTop: pads[0][0],
        padLeft: pads[1][0],
      },
      biasT,
      activation ?? "linear",
    );
  };
  const run2d = (x: Tensor): Tensor => {
    if (x.shape[3] !== cg * group) {
      throw new RangeError(
        `Cannot run ONNX model: ${ctx.where} takes ${cg * group} input channels: got ${x.shape[3]}`,
      );
    }
    if (group === 1 && !recording()) return direct(x);
    const { x: xp, padding } = padded(x, win, 0);
    if (depthwise) {
      const y = depthwiseConv2d(xp, filters[0], strides, padding, "NHWC", dilations);
      return ctx.applyFused(biasT ? add(y, biasT) : y);
    }
    if (group === 1) {
      return conv2d(xp, filters[0], { strides, padding, dilations, bias: biasT, activation });
    }
    const parts = filters.map((f, g) =>
      conv2d(slice(xp, [0, 0, 0, g * cg], [-1, -1, -1, cg]), f, { strides, padding, dilations })
    );
    const y = concat(parts, 3);
    return ctx.applyFused(biasT ? add(y, biasT) : y);
  };
  if (!oneD) return { run: ([x]) => [run2d(x!)], layouts: ["nhwc"], outLayout: "nhwc" };
  return {
    run: ([x]) => {
      if (x!.rank !== 3) {
        throw new RangeError(
          `Cannot run ONNX model: ${ctx.where} takes [N, C, L]: got rank ${x!.rank}`,
        );
      }
      const [n, c, l] = x!.shape;
      const y = run2d(reshape(permute(x!, [0, 2, 1]), [n, 1, l, c]));
      return [permute(reshape(y, [n, y.shape[2], m]), [0, 2, 1])];
    },
  };
}

function convTranspose(ctx: NodeCtx): Kernel {
  const w = weightsOf(ctx, [4]);
  const [c, m, kh, kw] = w.shape;
  if (ctx.int("group", 1) !== 1) ctx.unsupported("group above 1");
  const win = windowOf(ctx, 2, [kh, kw]);
  if (win.dilations.some((d) => d > 1)) ctx.unsupported("dilations above 1");
  if (win.autoPad !== "NOTSET" && win.autoPad !== "VALID") {
    ctx.unsupported(`auto_pad "${win.autoPad}"`);
  }
  if (ctx.ints("output_shape")) ctx.unsupported("output_shape");
  const outPad = ctx.ints("output_padding", [0, 0])!;
  const filter = ctx.keep(toTensor(permuted(w, [2, 3, 1, 0])));
  const bias = biasOf(ctx, m);
  const biasT = bias ? ctx.keep(toTensor({ ...bias, shape: [m] })) : undefined;
  const strides = win.strides as [number, number];
  return {
    run: ([x]) => {
      const [n, h, wd, ch] = x!.shape;
      if (ch !== c) {
        throw new RangeError(
          `Cannot run ONNX model: ${ctx.where} takes ${c} input channels: got ${ch}`,
        );
      }
      const full = [(h - 1) * strides[0] + kh, (wd - 1) * strides[1] + kw];
      let y = conv2dTranspose(x!, filter, [n, full[0], full[1], m], strides, "valid");
      const pads = padsFor(win, [h, wd]);
      const size = full.map((f, i) => f + outPad[i] - pads[i][0] - pads[i][1]);
      const grow = size.map((s, i) => Math.max(pads[i][0] + s - full[i], 0));
      if (grow.some((g) => g > 0)) y = pad(y, [[0, 0], [0, grow[0]], [0, grow[1]], [0, 0]]);
      y = slice(y, [0, pads[0][0], pads[1][0], 0], [-1, size[0], size[1], -1]);
      return [biasT ? add(y, biasT) : y];
    },
    layouts: ["nhwc"],
    outLayout: "nhwc",
  };
}

/** Conv and ConvTranspose. */
export const CONV: Record<string, KernelBuilder> = { Conv: conv, ConvTranspose: convTranspose };
