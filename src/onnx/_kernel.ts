/**
 * What an ONNX operator implementation gives the planner: a `Kernel` built once at load from the
 * node's attributes and constant inputs (weights converted to our layouts there), run at each
 * inference on tensors.
 *
 * @module
 */
import type { Activation } from "../backend/backend.ts";
import { relu, sigmoid, tanh } from "../ops/unary.ts";
import { keep } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import type { AttrValue, Graph, HostTensor, Node } from "./_proto.ts";

/**
 * Where a rank-4 value lives: `"nchw"` (ONNX's own layout) or `"nhwc"` (ours, between
 * convolutions and pooling). An input marked `"any"` takes either, and the kernel's outputs then
 * keep the layout of its first input.
 */
export type Layout = "nchw" | "nhwc" | "any";

/** An operator prepared for one node. */
export interface Kernel {
  /**
   * Runs the node. `host[i]` holds the values of the inputs listed in `host` (read from the
   * device before the call), others are undefined. Missing optional inputs are undefined.
   */
  run(inputs: (Tensor | undefined)[], host: (HostTensor | undefined)[]): Tensor[];
  /** Inputs whose values the kernel reads on the host (shapes, axes, conditions). */
  host?: number[];
  /** The layout each input must arrive in (default `"nchw"`). */
  layouts?: Layout[];
  /** The layout of the outputs (default `"nchw"`; `"any"` follows the first input). */
  outLayout?: Layout;
  /** The subgraphs of an `If` (the planner runs them). */
  branches?: { cond: number; then: Graph; else: Graph };
  /** Deterministic and cheap: evaluated at load when all its inputs are constants. */
  foldable?: boolean;
  /**
   * Elements the kernel would create from the shape values it reads (ConstantOfShape, Expand):
   * checked before it is folded at load, so a constant shape cannot make loading allocate more
   * than the model file holds.
   */
  outputSize?(host: (HostTensor | undefined)[]): number;
  /** Reads only its inputs' shapes (Shape, Size): its outputs depend on shapes, not values. */
  shapeOnly?: boolean;
}

/** What a kernel builder sees of its node at load time. */
export class NodeCtx {
  /** The node. */
  readonly node: Node;
  /** The model's default-domain opset. */
  readonly opset: number;
  readonly #constant: (name: string) => HostTensor | undefined;
  readonly #used = new Set<string>();
  /** A Relu/Sigmoid/Tanh the planner folded into this node (Gemm, MatMul, Conv). */
  fusedActivation: Activation | undefined;
  /** A BatchNormalization `y = x·a + b` (per output channel) folded into this Conv. */
  fusedAffine: { a: Float32Array; b: Float32Array } | undefined;
  /** A constant `[n]` vector the planner folded into this MatMul as its bias. */
  fusedBias: HostTensor | undefined;
  /**
   * This LSTM, GRU or RNN of layout 0 gets X batch-major `[batch, seq, in]`: the planner skipped
   * the Transpose to time-major order in front of it.
   */
  batchMajorInput = false;
  /** Outputs no node reads and the graph does not return (the planner drops them). */
  unusedOutputs: ReadonlySet<number> = new Set();
  /** Inputs the planner knows to be all zeros (a recurrent node's initial states). */
  zeroInputs: ReadonlySet<number> = new Set();
  /**
   * This LSTM, GRU or RNN gives as output 0 only its last step `[batch, h]`: the planner absorbed
   * the nodes after it that took step -1 of its sequence.
   */
  lastStepOnly = false;
  /** The layout input `i` arrives in unless the kernel asks for another (set by the planner). */
  layoutOf: (i: number) => Layout = () => "nchw";
  /** Device tensors the kernel holds for the session's life (freed by `release()`). */
  readonly kept: Tensor[] = [];

  /** A context over `node`; `constant` gives the load-time value of a constant input. */
  constructor(node: Node, opset: number, constant: (name: string) => HostTensor | undefined) {
    this.node = node;
    this.opset = opset;
    this.#constant = constant;
  }

  /** Holds `t` for the session's life (also when made inside a run's scope). */
  keep(t: Tensor): Tensor {
    this.kept.push(keep(t));
    return t;
  }

  /** `y` through the fused activation (when the kernel could not put it in an epilogue). */
  applyFused(y: Tensor): Tensor {
    const f = this.fusedActivation;
    return f === "relu" ? relu(y) : f === "sigmoid" ? sigmoid(y) : f === "tanh" ? tanh(y) : y;
  }

  /** The node's description for error messages. */
  get where(): string {
    return `node "${this.node.name}" (${this.node.opType})`;
  }

  /** Whether input `i` is present (not missing, not the empty name). */
  has(i: number): boolean {
    return (this.node.inputs[i] ?? "") !== "";
  }

  /** The load-time value of input `i` when it is a constant. */
  constant(i: number): HostTensor | undefined {
    return this.has(i) ? this.#constant(this.node.inputs[i]) : undefined;
  }

  /** The load-time value of input `i`, which must be a constant. */
  requireConstant(i: number, what: string): HostTensor {
    const c = this.constant(i);
    if (!c) {
      throw new TypeError(
        `Cannot load ONNX model: ${this.where} needs its ${what} (input ${i}) to be a constant initializer`,
      );
    }
    return c;
  }

  #get(name: string): AttrValue | undefined {
    this.#used.add(name);
    return this.node.attrs.get(name);
  }

  /** An integer attribute. */
  int(name: string, fallback?: number): number {
    const v = this.#get(name) ?? fallback;
    if (typeof v !== "number" || !Number.isInteger(v)) return this.#bad(name, "an integer", v);
    return v;
  }

  /** A float attribute. */
  float(name: string, fallback?: number): number {
    const v = this.#get(name) ?? fallback;
    if (typeof v !== "number") return this.#bad(name, "a float", v);
    return v;
  }

  /** A string attribute. */
  string(name: string, fallback?: string): string {
    const v = this.#get(name) ?? fallback;
    if (typeof v !== "string") return this.#bad(name, "a string", v);
    return v;
  }

  /** An integer-list attribute (undefined when absent and no fallback). */
  ints(name: string, fallback?: number[]): number[] | undefined {
    const v = this.#get(name) ?? fallback;
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) {
      return this.#bad(name, "a list of integers", v);
    }
    return v as number[];
  }

  /** A float-list attribute (undefined when absent). */
  floats(name: string): number[] | undefined {
    const v = this.#get(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) {
      return this.#bad(name, "a list of floats", v);
    }
    return v as number[];
  }

  /** A string-list attribute (undefined when absent). */
  strings(name: string): string[] | undefined {
    const v = this.#get(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      return this.#bad(name, "a list of strings", v);
    }
    return v as string[];
  }

  /** A graph attribute. */
  graph(name: string): Graph {
    const v = this.#get(name);
    if (!v || typeof v !== "object" || !("nodes" in v)) return this.#bad(name, "a graph", v);
    return v;
  }

  /** A tensor attribute (undefined when absent). */
  tensor(name: string): HostTensor | undefined {
    const v = this.#get(name);
    if (v === undefined) return undefined;
    if (typeof v !== "object" || !("data" in v)) return this.#bad(name, "a tensor", v);
    return v;
  }

  /** Throws when the node carries an attribute no getter asked for (never ignored). */
  checkAttributes(): void {
    const unknown = [...this.node.attrs.keys()].filter((k) => !this.#used.has(k));
    if (unknown.length) {
      throw new TypeError(
        `Cannot load ONNX model: ${this.where} has attributes we do not support: ${
          unknown.map((k) => `"${k}"`).join(", ")
        }`,
      );
    }
  }

  /** Throws a TypeError naming an unsupported attribute value. */
  unsupported(what: string): never {
    throw new TypeError(
      `Cannot load ONNX model: ${this.where} uses ${what}, which is not supported`,
    );
  }

  #bad(name: string, want: string, got: unknown): never {
    throw new TypeError(
      `Cannot load ONNX model: attribute "${name}" of ${this.where} must be ${want}: got ${
        got === undefined ? "nothing" : typeof got === "object" ? "another type" : String(got)
      }`,
    );
  }
}

/** Builds the kernel of one node (throws a typed error for what it cannot run). */
export type KernelBuilder = (ctx: NodeCtx) => Kernel;
