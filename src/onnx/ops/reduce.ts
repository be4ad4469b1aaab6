/**
 * ONNX reductions (ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceProd): axes from the
 * attribute before their opset moved them to an input (13 for ReduceSum, 18 for the others).
 *
 * @module
 */
import type { Tensor } from "../../tensor.ts";
import { max, mean, min, prod, sum } from "../../ops/reduce.ts";
import { reshape } from "../../ops/transform.ts";
import type { KernelBuilder, NodeCtx } from "../_kernel.ts";

type Reduce = (x: Tensor, axis: number[] | undefined, keepDims: boolean) => Tensor;

function reduction(f: Reduce, inputSince: number): KernelBuilder {
  return (ctx: NodeCtx) => {
    const keepDims = ctx.int("keepdims", 1) === 1;
    const fromInput = ctx.opset >= inputSince;
    const noop = fromInput && ctx.int("noop_with_empty_axes", 0) === 1;
    const attrAxes = fromInput ? undefined : ctx.ints("axes");
    return {
      run: ([x], h) => {
        const axes = fromInput ? (h[1] ? Array.from(h[1].data) : undefined) : attrAxes;
        if (!axes?.length && noop) return [reshape(x!, x!.shape)];
        const all = axes?.length ? axes : undefined;
        return [f(x!, all, keepDims)];
      },
      host: fromInput && ctx.has(1) ? [1] : [],
      foldable: true,
    };
  };
}

/** Reductions by ONNX op type. */
export const REDUCE: Record<string, KernelBuilder> = {
  ReduceMean: reduction((x, a, k) => mean(x, a, k), 18),
  ReduceSum: reduction((x, a, k) => sum(x, a, k), 13),
  ReduceMax: reduction((x, a, k) => max(x, a, k), 18),
  ReduceMin: reduction((x, a, k) => min(x, a, k), 18),
  ReduceProd: reduction((x, a, k) => prod(x, a, k), 18),
};
