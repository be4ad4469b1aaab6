/**
 * Load-time fusion: a Gemm, MatMul or Conv absorbs the nodes after it that its kernel can run in
 * its epilogue or fold into its weights: a MatMul the Add of a constant vector (its bias), a Conv a
 * BatchNormalization with constant statistics (folded into filters and bias), then any of them a
 * Relu, Sigmoid or Tanh. A recurrent node (LSTM, GRU, RNN) learns which initial states are zeros
 * (made by ConstantOfShape, or constant) and, running forward, absorbs the Squeeze, Transpose and
 * Gather of step -1 that PyTorch's exporter writes for `output[:, -1]`: that step is its final
 * state, so the whole sequence is never written out; it also takes the batch-major tensor behind
 * a Transpose to time-major order in front of it (`batch_first=True`). Only a node's sole consumer (not a graph
 * output) is absorbed.
 *
 * @module
 */
import type { Activation } from "../backend/backend.ts";
import { NodeCtx } from "./_kernel.ts";
import type { AttrValue, HostTensor, Node } from "./_proto.ts";
import { batchNormAffine } from "./ops/pool.ts";

const FUSE = new Set(["Gemm", "MatMul", "Conv"]);
const RECURRENT = new Set(["LSTM", "GRU", "RNN"]);
const ACTIVATIONS: Record<string, Activation> = { Relu: "relu", Sigmoid: "sigmoid", Tanh: "tanh" };

/** What fusion sees of the graph around a node. */
export interface GraphView {
  /** The node reading `name`, when it is the only one and `name` is not a graph output. */
  soleConsumer(name: string): Node | undefined;
  /** The load-time value of a constant. */
  constant(name: string): HostTensor | undefined;
  /** The node of this graph producing `name`. */
  producer(name: string): Node | undefined;
}

/**
 * Sets `ctx`'s fused bias, affine, activation, zero inputs or last-step output from the nodes
 * around it, points `outputs[0]` at the last absorbed node's output, and returns the absorbed
 * nodes (the planner skips them).
 */
export function fuse(ctx: NodeCtx, outputs: string[], view: GraphView): Node[] {
  const op = ctx.node.opType;
  if (RECURRENT.has(op)) return fuseRecurrent(ctx, outputs, view);
  if (!FUSE.has(op)) return [];
  const { soleConsumer, constant } = view;
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

/**
 * The Transpose `[1, 0, 2]` that makes a time-major X out of a batch-major tensor for a recurrent
 * node of layout 0 (PyTorch's `batch_first=True` export), when that node alone reads it: the node
 * takes the batch-major tensor, which our sequence ops want, and the Transpose is skipped.
 */
export function batchFirstInput(node: Node, view: GraphView): Node | undefined {
  if (!RECURRENT.has(node.opType) || (node.attrs.get("layout") ?? 0) !== 0) return undefined;
  const x = node.inputs[0];
  const t = x ? view.producer(x) : undefined;
  if (t?.opType !== "Transpose" || !only(t, ["perm"]) || !equal(t.attrs.get("perm"), [1, 0, 2])) {
    return undefined;
  }
  return view.soleConsumer(x) === node && node.inputs.indexOf(x) === 0 ? t : undefined;
}

/** Whether `node` has no attributes but those in `allowed`. */
function only(node: Node, allowed: string[]): boolean {
  return [...node.attrs.keys()].every((k) => allowed.includes(k));
}

function equal(a: AttrValue | undefined, b: number[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The zero initial states of a recurrent node and the `output[:, -1]` chain after it. */
function fuseRecurrent(ctx: NodeCtx, outputs: string[], view: GraphView): Node[] {
  const node = ctx.node;
  const zero = (name: string) => {
    const c = view.constant(name);
    if (c) return c.data.every((v) => v === 0);
    const p = view.producer(name);
    if (p?.opType !== "ConstantOfShape" || !only(p, ["value"])) return false;
    const v = p.attrs.get("value");
    return v === undefined ||
      (typeof v === "object" && "data" in v && v.data.every((x) => x === 0));
  };
  ctx.zeroInputs = new Set([5, 6].filter((i) => ctx.has(i) && zero(node.inputs[i])));
  // Y [steps, 1, batch, h] -> Squeeze(axis 1) -> (Transpose [1, 0, 2]) -> Gather(-1, time axis).
  const forward = (node.attrs.get("direction") ?? "forward") === "forward";
  if (!forward || (node.attrs.get("layout") ?? 0) !== 0 || !outputs[0]) return [];
  const squeeze = view.soleConsumer(outputs[0]);
  if (squeeze?.opType !== "Squeeze" || squeeze.inputs[0] !== outputs[0]) return [];
  const axesInput = squeeze.inputs[1] ? view.constant(squeeze.inputs[1]) : undefined;
  const axes = squeeze.attrs.get("axes") ?? (axesInput ? [...axesInput.data] : undefined);
  if (!only(squeeze, ["axes"]) || !(equal(axes, [1]) || equal(axes, [-3]))) return [];
  const chain = [squeeze];
  let next = view.soleConsumer(squeeze.outputs[0]);
  let timeAxis = 0;
  if (
    next?.opType === "Transpose" && only(next, ["perm"]) && equal(next.attrs.get("perm"), [1, 0, 2])
  ) {
    chain.push(next);
    timeAxis = 1;
    next = view.soleConsumer(next.outputs[0]);
  }
  if (next?.opType !== "Gather" || next.inputs[0] !== chain.at(-1)!.outputs[0]) return [];
  const axis = next.attrs.get("axis") ?? 0;
  const index = view.constant(next.inputs[1]);
  if (!only(next, ["axis"]) || (axis !== timeAxis && axis !== timeAxis - 3)) return [];
  if (!index || index.shape.length !== 0 || index.data[0] !== -1) return [];
  chain.push(next);
  ctx.lastStepOnly = true;
  outputs[0] = next.outputs[0];
  return chain;
}
