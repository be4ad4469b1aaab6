/**
 * The planner: orders a graph's nodes and rejects what we cannot run (`_graph.ts`: every
 * unsupported operator at once, cycles, undefined inputs), fuses nodes into the kernel before them
 * (`_fuse.ts`), builds each node's kernel once, folds nodes whose inputs are all constants at
 * load, memoizes shape arithmetic per input shape, keeps convolutions' activations in NHWC between
 * layout-aware ops (one transpose where an NCHW consumer needs them), and frees every
 * intermediate after its last use.
 *
 * @module
 */
import { scoped, tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { reshape } from "../ops/transform.ts";
import { type Kernel, type Layout, NodeCtx } from "./_kernel.ts";
import type { Graph, HostTensor, Node } from "./_proto.ts";
import { UnsupportedOperatorError } from "./errors.ts";
import { batchFirstInput, fuse, type GraphView } from "./_fuse.ts";
import { freeNames, order, unsupported } from "./_graph.ts";
import { OPERATORS } from "./ops/mod.ts";
import { permute, toTensor } from "./ops/_constants.ts";

interface Step {
  label: string;
  /** Its outputs depend only on the graph inputs' shapes (memoized per shape signature). */
  shapeOnly: boolean;
  kernel: Kernel;
  inputs: string[];
  outputs: string[];
  /** Names freed after this step. */
  release: string[];
  /** The plans of an If's branches (a constant condition leaves one). */
  then?: Plan;
  else?: Plan;
}

const TO_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];

function layoutKernel(perm: number[]): Kernel {
  return {
    run: ([x]) => {
      if (x!.rank !== 4) {
        throw new RangeError(
          `Cannot run ONNX model: a 2-D convolution's input must have rank 4: got ${x!.rank}`,
        );
      }
      return [permute(x!, perm)];
    },
  };
}

/** A graph prepared to run: constants on the device, kernels built, steps ordered. */
export class Plan {
  /** Constant values by name (initializers and folded nodes), on the host. */
  readonly constants: Map<string, HostTensor>;
  /** Their device copies, made when a step needs them. */
  readonly devices = new Map<string, Tensor>();
  /** Device tensors the kernels hold (a kernel may add to its list while it runs). */
  readonly kept: Tensor[][] = [];
  readonly steps: Step[] = [];
  /** The names of the graph's outputs after layout conversion. */
  readonly outputs: string[];
  readonly #parent: Plan | undefined;
  /** The model file's size: what folding at load may allocate from constant shapes. */
  readonly budget: number;
  readonly #produced = new Set<string>();
  /** The layout of each value that is not NCHW (enclosing graphs' values included). */
  readonly #layout: Map<string, Layout>;
  /** Values computed from the graph inputs' shapes alone (Shape, then arithmetic on it). */
  readonly #shaped = new Set<string>();
  /**
   * Shape-only values by the graph inputs' shapes, most recent last: a dynamic-shape model runs
   * its shape arithmetic once per input shape, later calls take the device tensor and its host
   * copy from here.
   */
  readonly #shapeCache = new Map<string, Map<string, { t: Tensor; host?: HostTensor }>>();
  /** The input shapes of the most recent entry of `#shapeCache` and its values (a repeat skips the key). */
  #lastShapes?: {
    shapes: (readonly number[])[];
    values: Map<string, { t: Tensor; host?: HostTensor }>;
  };

  private constructor(graph: Graph, budget: number, parent: Plan | undefined) {
    this.budget = budget;
    this.#layout = new Map(parent ? parent.#layout : []);
    this.#parent = parent;
    this.constants = new Map(graph.initializers);
    this.outputs = graph.outputs.map((o) => o.name);
  }

  /**
   * Plans `graph` (a subgraph when `parent` is given: its free names come from the parent);
   * `budget` is the model file's size in bytes, what folding may allocate from constant shapes.
   *
   * @throws {UnsupportedOperatorError} When any node (in any subgraph) has an operator we lack.
   * @throws {RangeError} On cycles, undefined inputs, values produced twice.
   * @throws {TypeError} On unsupported attributes or non-constant weights.
   */
  static async build(
    graph: Graph,
    opset: number,
    runtime: Set<string>,
    budget: number,
    parent?: Plan,
  ): Promise<Plan> {
    if (!parent) {
      const missing = unsupported(graph, new Set());
      if (missing.size) throw new UnsupportedOperatorError([...missing].sort());
    }
    const plan = new Plan(graph, budget, parent);
    await plan.#plan(graph, opset, new Set([...runtime, ...graph.inputs.map((i) => i.name)]));
    return plan;
  }

  /** The constant value of `name`, here or in an enclosing graph. */
  constant(name: string): HostTensor | undefined {
    return this.constants.get(name) ?? this.#parent?.constant(name);
  }

  async #plan(graph: Graph, opset: number, runtime: Set<string>): Promise<void> {
    const nodes = order(graph, (n) => runtime.has(n) || this.constant(n) !== undefined);
    const consumers = new Map<string, Node[]>();
    const producers = new Map<string, Node>();
    for (const node of nodes) {
      for (const o of node.outputs) if (o) producers.set(o, node);
      for (const i of [...node.inputs, ...freeNames(node)]) {
        if (!i) continue;
        const list = consumers.get(i);
        if (list) list.push(node);
        else consumers.set(i, [node]);
      }
    }
    const graphOutputs = new Set(this.outputs);
    const soleConsumer = (name: string) => {
      const c = consumers.get(name);
      return c?.length === 1 && !graphOutputs.has(name) ? c[0] : undefined;
    };
    const view: GraphView = {
      soleConsumer,
      constant: (n) => this.constant(n),
      producer: (n) => producers.get(n),
    };
    const skipped = new Set<Node>();
    const batchFirst = new Map<Node, Node>();
    for (const node of nodes) {
      const transpose = batchFirstInput(node, view);
      if (transpose) {
        batchFirst.set(node, transpose);
        skipped.add(transpose);
      }
    }
    // Enclosing values keep their layout: a branch converts what it reads in NHWC itself.
    const layout = this.#layout;
    for (const node of nodes) {
      if (skipped.has(node)) continue;
      const ctx = new NodeCtx(node, opset, (n) => this.constant(n));
      const outputs = [...node.outputs];
      for (const n of fuse(ctx, outputs, view)) skipped.add(n);
      outputs.forEach((o, i) => {
        if (o && !consumers.has(o) && !graphOutputs.has(o)) {
          ctx.unusedOutputs = new Set([...ctx.unusedOutputs, i]);
          outputs[i] = "";
        }
      });
      ctx.batchMajorInput = batchFirst.has(node);
      ctx.layoutOf = (i) => layout.get(node.inputs[i]) ?? "nchw";
      const kernel = OPERATORS[node.opType](ctx);
      ctx.checkAttributes();
      this.kept.push(ctx.kept);
      const inputs = [...node.inputs];
      const transpose = batchFirst.get(node);
      if (transpose) inputs[0] = transpose.inputs[0];
      if (
        kernel.foldable && !node.inputs.some((n) => n && runtime.has(n)) &&
        node.inputs.every((n) => !n || this.constant(n))
      ) {
        await this.#fold(kernel, inputs, outputs, ctx.where);
        continue;
      }
      const wants = kernel.layouts ?? [];
      for (let i = 0; i < inputs.length; i++) {
        const name = inputs[i];
        if (!name || this.constant(name)) continue;
        const have = layout.get(name) ?? "nchw";
        const want = wants[i] ?? "nchw";
        if (want !== "any" && want !== have) inputs[i] = this.#convert(name, want, layout);
      }
      const first = inputs[0] ? layout.get(inputs[0]) ?? "nchw" : "nchw";
      const out = kernel.outLayout === "any" ? first : kernel.outLayout ?? "nchw";
      for (const o of outputs) if (o) layout.set(o, out);
      for (const o of outputs) if (o) runtime.add(o);
      const shapeOnly = kernel.foldable === true && !kernel.branches &&
        (kernel.shapeOnly || inputs.every((n) => !n || this.constant(n) || this.#shaped.has(n)));
      if (shapeOnly) { for (const o of outputs) if (o) this.#shaped.add(o); }
      const step: Step = { label: ctx.where, shapeOnly, kernel, inputs, outputs, release: [] };
      if (kernel.branches) {
        const { cond, then, else: otherwise } = kernel.branches;
        const known = this.constant(inputs[cond]);
        if (!known || known.data[0]) {
          step.then = await Plan.build(then, opset, runtime, this.budget, this);
        }
        if (!known || !known.data[0]) {
          step.else = await Plan.build(otherwise, opset, runtime, this.budget, this);
        }
        step.inputs = [...inputs, ...freeNames(node)];
      }
      this.steps.push(step);
    }
    this.outputs.forEach((name, i) => {
      if (layout.get(name) === "nhwc") this.outputs[i] = this.#convert(name, "nchw", layout);
    });
    this.#schedule();
    for (const name of [...this.steps.flatMap((s) => s.inputs), ...this.outputs]) {
      const c = name ? this.constant(name) : undefined;
      if (c && !this.deviceOf(name)) this.devices.set(name, toTensor(c));
    }
  }

  /** Adds a transpose step to `want` and returns the converted value's name. */
  #convert(name: string, want: Layout, layout: Map<string, Layout>): string {
    const converted = `${name}@${want}`;
    if (!layout.has(converted)) {
      layout.set(converted, want);
      this.steps.push({
        label: `layout of "${name}"`,
        shapeOnly: false,
        kernel: layoutKernel(want === "nhwc" ? TO_NHWC : TO_NCHW),
        inputs: [name],
        outputs: [converted],
        release: [],
      });
    }
    return converted;
  }

  /** Marks each runtime value for release after its last use (graph outputs stay). */
  #schedule(): void {
    const last = new Map<string, Step>();
    for (const step of this.steps) {
      for (const name of step.inputs) if (name) last.set(name, step);
      for (const name of step.outputs) if (name && !last.has(name)) last.set(name, step);
    }
    for (const step of this.steps) for (const name of step.outputs) this.#produced.add(name);
    const kept = new Set(this.outputs);
    for (const [name, step] of last) {
      // Only values this graph produced are ours to free (not inputs, constants, outer values).
      if (kept.has(name) || this.constant(name) || this.#shaped.has(name)) continue;
      if (this.#produced.has(name)) step.release.push(name);
    }
  }

  /** The device copy of constant `name`, here or in an enclosing graph. */
  deviceOf(name: string): Tensor | undefined {
    return this.devices.get(name) ?? this.#parent?.deviceOf(name);
  }

  async #fold(kernel: Kernel, inputs: string[], outputs: string[], label: string): Promise<void> {
    const hosts = inputs.map((n) => (n ? this.constant(n) : undefined));
    const size = kernel.outputSize?.(hosts) ?? 0;
    if (size * 4 > Math.max(this.budget, 1 << 20)) {
      throw new RangeError(
        `Cannot load ONNX model: ${label} would make ${size} elements from constant shapes, more than the model's ${this.budget} bytes hold`,
      );
    }
    const results = tidy(() => kernel.run(hosts.map((h) => (h ? toTensor(h) : undefined)), hosts));
    for (let i = 0; i < results.length; i++) {
      const t = results[i];
      if (outputs[i]) {
        this.constants.set(outputs[i], {
          dtype: t.dtype,
          shape: [...t.shape],
          data: await t.data(),
        });
      }
      t.dispose();
    }
  }

  /**
   * Runs the steps over `env` (graph inputs and, in a subgraph, the enclosing values), returning
   * the graph's outputs (new tensors the caller owns).
   */
  async run(env: Map<string, Tensor>): Promise<Tensor[]> {
    const shaped = this.#shaped.size ? this.#shapeValues(env) : undefined;
    const cached = shaped !== undefined && shaped.size > 0;
    if (cached) { for (const [name, v] of shaped) env.set(name, v.t); }
    try {
      await this.#steps(env, shaped, cached);
    } catch (error) {
      for (const name of this.#produced) if (!this.#shaped.has(name)) env.get(name)?.dispose();
      // A failed first run must not leave a partial memo behind for these shapes.
      if (shaped && !cached) {
        for (const v of shaped.values()) v.t.dispose();
        shaped.clear();
      }
      throw error;
    }
    return this.outputs.map((name) => {
      const t = env.get(name) ?? this.deviceOf(name);
      if (!t) throw new RangeError(`Cannot run ONNX model: output "${name}" was not computed`);
      // The caller owns what it gets: a constant, a memoized or an enclosing value is a view.
      return this.#produced.has(name) && !this.#shaped.has(name) ? t : reshape(t, t.shape);
    });
  }

  async #steps(
    env: Map<string, Tensor>,
    shaped: Map<string, { t: Tensor; host?: HostTensor }> | undefined,
    cached: boolean,
  ): Promise<void> {
    for (const step of this.steps) {
      if (step.shapeOnly && cached) continue;
      const ins = step.inputs.map((n) => (n ? env.get(n) ?? this.deviceOf(n) : undefined));
      let host: (HostTensor | undefined)[] = [];
      const reads = step.kernel.host;
      if (reads) {
        host = [];
        for (const i of reads) {
          const name = step.inputs[i];
          const memo = shaped?.get(name);
          host[i] = this.constant(name) ?? memo?.host ?? await hostOf(ins[i]);
          if (memo && !memo.host) memo.host = host[i];
        }
      }
      let outs: Tensor[];
      if (step.then || step.else) {
        const cond = this.constant(step.inputs[0]) ?? host[0]!;
        const branch = (cond.data[0] ? step.then : step.else)!;
        outs = await branch.run(new Map(env));
      } else {
        outs = scoped(() => step.kernel.run(ins, host), isOutput);
        // A kernel may hand back an input unchanged; each name owns its own tensor handle.
        for (let i = 0; i < outs.length; i++) {
          const t = outs[i];
          if (t && ins.includes(t)) outs[i] = reshape(t, t.shape);
        }
      }
      for (let i = 0; i < step.outputs.length; i++) {
        const name = step.outputs[i];
        if (!name) outs[i]?.dispose();
        else {
          env.set(name, outs[i]);
          if (step.shapeOnly) shaped!.set(name, { t: outs[i] });
        }
      }
      for (const name of step.release) {
        env.get(name)?.dispose();
        env.delete(name);
      }
    }
  }

  /**
   * The shape-only values for the shapes of the graph inputs in `env`: filled (empty map) on the
   * first call with these shapes. Sixteen shape signatures are kept, the oldest freed first.
   */
  #shapeValues(env: Map<string, Tensor>): Map<string, { t: Tensor; host?: HostTensor }> {
    const last = this.#lastShapes;
    let same = last?.shapes.length === env.size, i = 0;
    for (const t of env.values()) {
      const had = last?.shapes[i++];
      same &&= had !== undefined && had.length === t.rank && t.shape.every((d, j) => d === had[j]);
    }
    if (same) return last!.values;
    const key = [...env].map(([name, t]) => `${name}:${t.shape}`).join(";");
    let values = this.#shapeCache.get(key);
    if (values) {
      this.#shapeCache.delete(key);
    } else {
      values = new Map();
      if (this.#shapeCache.size >= 16) {
        const [oldest, evicted] = this.#shapeCache.entries().next().value!;
        for (const v of evicted.values()) v.t.dispose();
        this.#shapeCache.delete(oldest);
      }
    }
    this.#shapeCache.set(key, values);
    this.#lastShapes = { shapes: [...env.values()].map((t) => t.shape), values };
    return values;
  }

  /** Frees the device constants and the kernels' tensors. */
  dispose(): void {
    for (const values of this.#shapeCache.values()) for (const v of values.values()) v.t.dispose();
    for (const t of this.devices.values()) t.dispose();
    for (const list of this.kept) for (const t of list) t.dispose();
    for (const step of this.steps) {
      step.then?.dispose();
      step.else?.dispose();
    }
  }
}

/** Whether `t`, made inside a step, is one of the step's outputs (kept past its scope). */
function isOutput(outs: Tensor[], t: Tensor): boolean {
  return outs.includes(t);
}

async function hostOf(t: Tensor | undefined): Promise<HostTensor | undefined> {
  if (!t) return undefined;
  return { dtype: t.dtype, shape: [...t.shape], data: await t.data() };
}
