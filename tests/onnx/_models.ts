/**
 * ONNX models built in the tests through protobufjs and the official schema (the importer's own
 * `ModelProto`), and the same model run by ONNX Runtime Web (one thread) for comparison.
 *
 * @module
 */
import * as ort from "npm:onnxruntime-web@1.20.1";
import * as dn from "@dendrite/dendrite";
import { InferenceSession } from "@dendrite/dendrite/onnx";
import { DATA_TYPE, ModelProto } from "../../src/onnx/_proto.ts";
import { rng } from "../_util/rng.ts";

/** An attribute value: numbers are ints unless wrapped by `f()`; arrays of them likewise. */
export type Attr =
  | number
  | string
  | number[]
  | string[]
  | { float: number }
  | { floats: number[] }
  | { graph: Record<string, unknown> };

/** A float attribute. */
export const f = (x: number): Attr => ({ float: x });
/** A float-list attribute. */
export const fs = (x: number[]): Attr => ({ floats: x });

function attribute(name: string, v: Attr): Record<string, unknown> {
  if (typeof v === "number") return { name, type: 2, i: v };
  if (typeof v === "string") return { name, type: 3, s: new TextEncoder().encode(v) };
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) {
    return { name, type: 8, strings: v.map((x) => new TextEncoder().encode(x as string)) };
  }
  if (Array.isArray(v)) return { name, type: 7, ints: v };
  if ("float" in v) return { name, type: 1, f: v.float };
  if ("floats" in v) return { name, type: 6, floats: v.floats };
  return { name, type: 5, g: v.graph };
}

/** A NodeProto. */
export function node(
  op: string,
  inputs: string[],
  outputs: string[],
  attrs: Record<string, Attr> = {},
): Record<string, unknown> {
  return {
    op_type: op,
    input: inputs,
    output: outputs,
    name: `${op}_${outputs[0]}`,
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
  };
}

/**
 * A declared input or output: name, dims (strings are dynamic; undefined: type and shape left to
 * inference), element type (default float).
 */
export type Info = [string, (number | string)[] | undefined, number?];

function valueInfo([name, dims, type = DATA_TYPE.FLOAT]: Info): Record<string, unknown> {
  // Unknown rank: no type at all (ONNX Runtime infers the output's type and shape).
  if (!dims) return { name };
  return {
    name,
    type: {
      tensor_type: {
        elem_type: type,
        shape: dims && {
          dim: dims.map((d) => (typeof d === "string" ? { dim_param: d } : { dim_value: d })),
        },
      },
    },
  };
}

/** A TensorProto: float data as raw bytes, int64 as `int64_data`. */
export function initializer(
  name: string,
  dims: number[],
  data: ArrayLike<number>,
  type: number = DATA_TYPE.FLOAT,
): Record<string, unknown> {
  if (type === DATA_TYPE.FLOAT) {
    return {
      name,
      dims,
      data_type: type,
      raw_data: new Uint8Array(Float32Array.from(data).buffer),
    };
  }
  if (type === DATA_TYPE.INT64) {
    return { name, dims, data_type: type, int64_data: Array.from(data) };
  }
  if (type === DATA_TYPE.BOOL) return { name, dims, data_type: type, int32_data: Array.from(data) };
  return { name, dims, data_type: type, int32_data: Array.from(data) };
}

/** A GraphProto. */
export function graph(spec: {
  nodes: Record<string, unknown>[];
  inputs: Info[];
  outputs: Info[];
  initializers?: Record<string, unknown>[];
  name?: string;
}): Record<string, unknown> {
  return {
    name: spec.name ?? "g",
    node: spec.nodes,
    input: spec.inputs.map(valueInfo),
    output: spec.outputs.map(valueInfo),
    initializer: spec.initializers ?? [],
  };
}

/** The bytes of a ModelProto (IR 8) over `g` at `opset`. */
export function model(g: Record<string, unknown>, opset = 17): Uint8Array {
  const m = ModelProto.fromObject({
    ir_version: 8,
    producer_name: "dendrite-tests",
    opset_import: [{ domain: "", version: opset }],
    graph: g,
  });
  return ModelProto.encode(m).finish();
}

/** Seeded uniform values in [lo, hi). */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * (r() + 1) / 2);
}

/** A feed: float32 values or int32 values with a shape. */
export interface Feed {
  data: Float32Array | Int32Array | Uint8Array;
  shape: number[];
}

/** An ONNX Runtime Web session on `threads` threads (its first session fixes the count). */
export function ortSession(bytes: Uint8Array, threads = 1): Promise<ort.InferenceSession> {
  ort.env.wasm.numThreads = threads;
  return ort.InferenceSession.create(bytes, {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
  });
}

/** `data` as an ONNX Runtime tensor (Int32Array data goes in as int64, bool as bool). */
export function ortTensor(data: Feed["data"], shape: number[]): ort.Tensor {
  return data instanceof Float32Array
    ? new ort.Tensor("float32", data, shape)
    : data instanceof Uint8Array
    ? new ort.Tensor("bool", data, shape)
    : new ort.Tensor("int64", BigInt64Array.from(data, (x) => BigInt(x)), shape);
}

/** Runs `bytes` with ONNX Runtime Web on one thread; outputs as numbers by name. */
export async function runOrt(
  bytes: Uint8Array,
  feeds: Record<string, Feed>,
): Promise<Record<string, { data: number[]; shape: number[] }>> {
  const session = await ortSession(bytes);
  const input: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(feeds)) input[k] = ortTensor(v.data, v.shape);
  const out = await session.run(input);
  const result: Record<string, { data: number[]; shape: number[] }> = {};
  for (const [k, t] of Object.entries(out)) {
    result[k] = {
      data: Array.from(t.data as ArrayLike<number | bigint>, Number),
      shape: [...t.dims],
    };
  }
  await session.release();
  return result;
}

/** Runs `bytes` with Dendrite; outputs as numbers by name. */
export async function runDendrite(
  bytes: Uint8Array,
  feeds: Record<string, Feed>,
): Promise<Record<string, { data: number[]; shape: number[] }>> {
  const session = await InferenceSession.create(bytes);
  const input: Record<string, dn.Tensor> = {};
  for (const [k, v] of Object.entries(feeds)) {
    input[k] = dn.tensor(
      v.data,
      v.shape,
      v.data instanceof Float32Array ? "float32" : v.data instanceof Uint8Array ? "bool" : "int32",
    );
  }
  const out = await session.run(input);
  const result: Record<string, { data: number[]; shape: number[] }> = {};
  for (const [k, t] of Object.entries(out)) {
    result[k] = { data: Array.from(await t.data(), Number), shape: [...t.shape] };
    t.dispose();
  }
  for (const t of Object.values(input)) t.dispose();
  session.release();
  return result;
}

/**
 * Runs the model in both engines and asserts the same output names, shapes, and values within
 * 1e-5 relative (per element, plus 1e-5 of the output's largest magnitude for values that cancel
 * to near zero).
 */
export async function assertMatchesOrt(
  bytes: Uint8Array,
  feeds: Record<string, Feed>,
  what: string,
): Promise<void> {
  const [ours, theirs] = [await runDendrite(bytes, feeds), await runOrt(bytes, feeds)];
  const names = Object.keys(theirs).sort();
  if (Object.keys(ours).sort().join() !== names.join()) {
    throw new Error(`${what}: outputs ${Object.keys(ours)} vs ONNX Runtime's ${names}`);
  }
  for (const name of names) {
    const a = ours[name], e = theirs[name];
    if (a.shape.join() !== e.shape.join()) {
      throw new Error(
        `${what}: output "${name}" shape [${a.shape}] vs ONNX Runtime's [${e.shape}]`,
      );
    }
    const scale = e.data.reduce((m, v) => (Number.isNaN(v) ? m : Math.max(m, Math.abs(v))), 0);
    for (let i = 0; i < e.data.length; i++) {
      const bound = 1e-5 * Math.abs(e.data[i]) + 1e-5 * scale;
      const ok = Number.isNaN(e.data[i])
        ? Number.isNaN(a.data[i])
        : Math.abs(a.data[i] - e.data[i]) <= bound;
      if (!ok) {
        throw new Error(
          `${what}: output "${name}"[${i}] = ${a.data[i]}, ONNX Runtime ${
            e.data[i]
          } (bound ${bound})`,
        );
      }
    }
  }
}
