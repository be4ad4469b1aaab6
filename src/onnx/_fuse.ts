/**
 * Load-time fusion: a Gemm, MatMul or Conv absorbs the nodes after it that its kernel can run in
 * its epilogue or fold into its weights: a MatMul the Add of a constant vector (its bias), a Conv a
 * BatchNormalization with constant statistics (folded into filters and bias), then any of them a
 * Relu, Sigmoid or Tanh. Only a node's sole consumer (not a graph output) is absorbed.
 *
 * @module
 */
import type { Activation } from "../backend/backend.ts";
import { NodeCtx } from "./_kernel.ts";
import type { HostTensor, Node } from "./_proto.ts";
import { batchNormAffine } from "./ops/pool.ts";

const FUSE = new Set(["Gemm", "MatMul", "Conv"]);
const ACTIVATIONS: Record<string, Activation> = { Relu: "relu", Sigmoid: "sigmoid", Tanh: "tanh" };

/**
 * Sets `ctx`'s fused bias, affine and activation from the nodes after it, points `outputs[0]` at
 * the last absorbed node's output, and returns the absorbed nodes (the planner skips them).
 */
export function fuse(
  ctx: NodeCtx,
  outputs: string[],
  soleConsumer: (name: string) => Node | undefined,
  constant: (name: string) => HostTensor | undefined,
): Node[] {
  const op = ctx.node.opType;
  if (!FUSE.has(op)) return [];
  const absorbed: Node[] = [];
  const absorb = (next: Node) => {
    absorbed.push(next);
    outputs[0] = next.outputs[0];
    return soleConsumer(outputs[0]);
  };
  let next = soleConsumer(outputs[0]);
  if (op === "MatMul" && next?.opType === "Add") {
    const bias = constant(next.inputs[next.inputs[0] === outputs[0] ? 1 : 0]);
    if (bias && bias.dtype === "float32" && bias.shape.length === 1) {
      ctx.fusedBias = bias;
      next = absorb(next);
    }
  }
  if (
    op === "Conv" && next?.opType === "BatchNormalization" &&
    next.inputs.slice(1).every((n) => constant(n))
  ) {
    const bn = new NodeCtx(next, ctx.opset, constant);
    ctx.fusedAffine = batchNormAffine(bn);
    bn.checkAttributes();
    next = absorb(next);
  }
  if (next && next.opType in ACTIVATIONS && next.attrs.size === 0) {
    ctx.fusedActivation = ACTIVATIONS[next.opType];
    absorb(next);
  }
  return absorbed;
}
