/**
 * Operators PyTorch's exporter emits around the core ones: Dropout (inference: identity), Split,
 * Tile, Range and LayerNormalization.
 *
 * @module
 */
import { tensor } from "../../ops/creation.ts";
import { add, div, mul, sub } from "../../ops/arithmetic.ts";
import { moments } from "../../ops/moments.ts";
import { split } from "../../ops/split.ts";
import { tile } from "../../ops/tile.ts";
import { reshape } from "../../ops/transform.ts";
import { sqrt } from "../../ops/unary.ts";
import type { KernelBuilder } from "../_kernel.ts";

/** The extra kernels by ONNX op type. */
export const EXTRA: Record<string, KernelBuilder> = {
  Dropout: (ctx) => {
    ctx.int("seed", 0);
    if (ctx.opset < 12) ctx.float("ratio", 0.5);
    if (ctx.node.outputs.length > 1 && ctx.node.outputs[1]) ctx.unsupported("the mask output");
    const training = ctx.constant(2);
    if (ctx.has(2) && (!training || training.data[0])) ctx.unsupported("training_mode");
    return {
      run: ([x]) => [reshape(x!, x!.shape)],
      layouts: ["any"],
      outLayout: "any",
      foldable: true,
    };
  },
  Split: (ctx) => {
    const axis = ctx.int("axis", 0);
    const count = ctx.node.outputs.length;
    const attrSplit = ctx.opset < 13 ? ctx.ints("split") : undefined;
    if (ctx.opset >= 18) ctx.int("num_outputs", count);
    return {
      run: ([x], h) => {
        const a = axis < 0 ? axis + x!.rank : axis;
        const sizes = attrSplit ?? (h[1] ? Array.from(h[1].data) : undefined);
        if (sizes) return split(x!, sizes, a);
        // Equal parts, the last one smaller when the axis does not divide (opset 18).
        const part = Math.ceil(x!.shape[a] / count);
        const even = Array.from(
          { length: count },
          (_, i) => Math.min(part, x!.shape[a] - i * part),
        );
        return split(x!, even, a);
      },
      host: ctx.opset >= 13 && ctx.has(1) ? [1] : [],
      foldable: true,
    };
  },
  Tile: () => ({
    run: ([x], h) => [tile(x!, Array.from(h[1]!.data))],
    host: [1],
    outputSize: (h) => h[0]!.data.length * Array.from(h[1]!.data).reduce((p, r) => p * r, 1),
    foldable: true,
  }),
  Range: () => ({
    run: ([start], h) => {
      const [s, limit, delta] = [0, 1, 2].map((i) => h[i]!.data[0]);
      const n = Math.max(Math.ceil((limit - s) / delta), 0);
      return [tensor(Array.from({ length: n }, (_, i) => s + i * delta), [n], start!.dtype)];
    },
    host: [0, 1, 2],
    outputSize: (h) => Math.max(Math.ceil((h[1]!.data[0] - h[0]!.data[0]) / h[2]!.data[0]), 0),
    foldable: true,
  }),
  LayerNormalization: (ctx) => {
    const axis = ctx.int("axis", -1);
    const epsilon = ctx.float("epsilon", 1e-5);
    if (ctx.int("stash_type", 1) !== 1) ctx.unsupported("stash_type other than float");
    if (ctx.node.outputs.slice(1).some((o) => o)) ctx.unsupported("the Mean and InvStdDev outputs");
    return {
      run: ([x, scale, bias]) => {
        const a = axis < 0 ? axis + x!.rank : axis;
        const axes = x!.shape.slice(a).map((_, i) => a + i);
        const { mean, variance } = moments(x!, axes, true);
        const y = mul(div(sub(x!, mean), sqrt(add(variance, epsilon))), scale!);
        return [bias ? add(y, bias) : y];
      },
      foldable: true,
    };
  },
};
