/**
 * MaxPool, AveragePool (1-D and 2-D), GlobalAveragePool, GlobalMaxPool and BatchNormalization
 * (inference: folded at load into one scale and one shift per channel). The 2-D pools take and
 * give NHWC; the global pools and BatchNormalization take either layout.
 *
 * @module
 */
import type { Tensor } from "../../tensor.ts";
import { avgPool2d, maxPool2d } from "../../ops/pool.ts";
import { add, mul } from "../../ops/arithmetic.ts";
import { max, mean } from "../../ops/reduce.ts";
import { pad } from "../../ops/pad.ts";
import { reshape } from "../../ops/transform.ts";
import type { Kernel, KernelBuilder, NodeCtx } from "../_kernel.ts";
import { permute, toTensor } from "./_constants.ts";
import { isSame, padded, padsFor, type Window, windowOf } from "./_window.ts";

/** Runs a 2-D NHWC window op `f` on a 1-D `[N, C, L]` input (height 1). */
function oneD(x: Tensor, f: (x4: Tensor) => Tensor, ctx: NodeCtx): Tensor {
  if (x.rank !== 3) {
    throw new RangeError(`Cannot run ONNX model: ${ctx.where} takes [N, C, L]: got rank ${x.rank}`);
  }
  const [n, c, l] = x.shape;
  const y = f(reshape(permute(x, [0, 2, 1]), [n, 1, l, c]));
  return permute(reshape(y, [n, y.shape[2], c]), [0, 2, 1]);
}

function windowed(ctx: NodeCtx, f: (x: Tensor, w: Window) => Tensor): Kernel {
  const spatial = ctx.ints("kernel_shape")?.length ?? 0;
  if (spatial !== 1 && spatial !== 2) ctx.unsupported(`a ${spatial}-D window`);
  const w0 = windowOf(ctx, spatial);
  if (w0.dilations.some((d) => d > 1)) ctx.unsupported("dilations above 1");
  if (ctx.node.outputs.length > 1 && ctx.node.outputs[1]) ctx.unsupported("the Indices output");
  const w: Window = spatial === 2 ? w0 : {
    kernel: [1, ...w0.kernel],
    strides: [1, ...w0.strides],
    dilations: [1, 1],
    autoPad: w0.autoPad,
    pads: [0, w0.pads[0], 0, w0.pads[1]],
  };
  if (spatial === 2) return { run: ([x]) => [f(x!, w)], layouts: ["nhwc"], outLayout: "nhwc" };
  return { run: ([x]) => [oneD(x!, (x4) => f(x4, w), ctx)] };
}

/** Extra end padding that makes a floor-mode window count equal ceil mode's. */
function ceilExtra(x: Tensor, w: Window): number[] {
  const sizes = [x.shape[1], x.shape[2]];
  const pads = padsFor(w, sizes);
  return sizes.map((n, i) => {
    const span = n + pads[i][0] + pads[i][1] - w.kernel[i];
    let out = Math.ceil(span / w.strides[i]) + 1;
    // The last window must start inside the input or its begin padding.
    if ((out - 1) * w.strides[i] >= n + pads[i][0]) out--;
    return Math.max((out - 1) * w.strides[i] + w.kernel[i] - (n + pads[i][0] + pads[i][1]), 0);
  });
}

function maxPool(ctx: NodeCtx): Kernel {
  const ceil = ctx.int("ceil_mode", 0) === 1;
  ctx.int("storage_order", 0);
  return windowed(ctx, (x, w) => {
    const { x: xp, padding } = padded(x, w, -Infinity, ceil ? ceilExtra(x, w) : undefined);
    return maxPool2d(xp, {
      poolSize: w.kernel as [number, number],
      strides: w.strides as [number, number],
      padding,
    });
  });
}

function averagePool(ctx: NodeCtx): Kernel {
  if (ctx.int("ceil_mode", 0) === 1) ctx.unsupported("ceil_mode 1");
  const includePad = ctx.int("count_include_pad", 0) === 1;
  return windowed(ctx, (x, w) => {
    const sizes = [x.shape[1], x.shape[2]];
    const pads = padsFor(w, sizes);
    const none = pads.every(([b, e]) => b === 0 && e === 0);
    if (!includePad && !none && !isSame(w, sizes, pads)) {
      throw new RangeError(
        `Cannot run ONNX model: ${ctx.where} with count_include_pad 0 takes no pads or "same" pads: got [${pads}] for input [${sizes}]`,
      );
    }
    const poolSize = w.kernel as [number, number], strides = w.strides as [number, number];
    if (!includePad) return avgPool2d(x, { poolSize, strides, padding: none ? "valid" : "same" });
    // Counting the pads means averaging over zeros: pad explicitly, then pool "valid".
    const [[t, b], [l, r]] = pads;
    const xp = none ? x : pad(x, [[0, 0], [t, b], [l, r], [0, 0]]);
    return avgPool2d(xp, { poolSize, strides, padding: "valid" });
  });
}

function global(ctx: NodeCtx, f: typeof mean): Kernel {
  const nhwc = ctx.layoutOf(0) === "nhwc";
  return {
    run: ([x]) => {
      if (!nhwc) return [f(x!, x!.shape.slice(2).map((_, i) => i + 2), true)];
      // [N, 1, 1, C] in NHWC is [N, C, 1, 1] in NCHW, element for element: no transpose after.
      const y = f(x!, [1, 2], true);
      return [reshape(y, [y.shape[0], y.shape[3], 1, 1])];
    },
    layouts: [nhwc ? "nhwc" : "nchw"],
    outLayout: "nchw",
  };
}

/**
 * BatchNormalization's inference form `y = x·a + b` per channel, from its constant scale, bias,
 * mean and variance (the planner also folds it into a preceding Conv with this).
 */
export function batchNormAffine(ctx: NodeCtx): { a: Float32Array; b: Float32Array } {
  const epsilon = ctx.float("epsilon", 1e-5);
  ctx.float("momentum", 0.9);
  if (ctx.opset >= 14 && ctx.int("training_mode", 0) !== 0) ctx.unsupported("training_mode 1");
  if (ctx.node.outputs.slice(1).some((o) => o)) {
    ctx.unsupported("the running mean and variance outputs");
  }
  const [scale, bias, meanH, variance] = [1, 2, 3, 4].map((i) =>
    ctx.requireConstant(i, ["scale", "bias", "mean", "variance"][i - 1])
  );
  const c = scale.data.length;
  if ([bias, meanH, variance].some((t) => t.data.length !== c)) {
    throw new RangeError(
      `Cannot load ONNX model: scale, bias, mean and variance of ${ctx.where} must have ${c} values each`,
    );
  }
  const a = Float32Array.from(scale.data, (s, i) => s / Math.sqrt(variance.data[i] + epsilon));
  const b = Float32Array.from(bias.data, (v, i) => v - meanH.data[i] * a[i]);
  return { a, b };
}

function batchNorm(ctx: NodeCtx): Kernel {
  const { a, b } = batchNormAffine(ctx);
  const c = a.length;
  const nhwc = ctx.layoutOf(0) === "nhwc";
  const vec = (data: Float32Array) => ctx.keep(toTensor({ dtype: "float32", shape: [c], data }));
  const [at, bt] = [vec(a), vec(b)];
  return {
    run: ([x]) => {
      if (nhwc) return [add(mul(x!, at), bt)];
      const shape = [c, ...x!.shape.slice(2).map(() => 1)];
      return [add(mul(x!, reshape(at, shape)), reshape(bt, shape))];
    },
    layouts: [nhwc ? "nhwc" : "nchw"],
    outLayout: nhwc ? "nhwc" : "nchw",
  };
}

/** Pools and BatchNormalization. */
export const POOL: Record<string, KernelBuilder> = {
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: (ctx) => global(ctx, mean),
  GlobalMaxPool: (ctx) => global(ctx, max),
  BatchNormalization: batchNorm,
};
