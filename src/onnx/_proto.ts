/**
 * Decodes ONNX model bytes with protobufjs (light build) and the official `onnx.proto` schema
 * (`onnx_schema.generated.json`, see `tools/onnx_schema.ts`), then turns the messages into the
 * plain structures the planner reads. Every size is checked against the bytes that carry it
 * before anything is allocated, so a hostile file cannot make us allocate beyond its own size.
 *
 * Dtypes: float32, float16 and double load as float32; int64, int32, int16, int8, uint8 and
 * uint16 as int32 (int64 values must fit in int32: they are shapes, axes and indices in the
 * models we run); bool as bool.
 *
 * @module
 */
import protobuf from "protobufjs/light";
import schema from "./onnx_schema.generated.json" with { type: "json" };
import type { DType } from "../tensor.ts";

const root = protobuf.Root.fromJSON(schema);
/** The `onnx.ModelProto` message type (tests build models with it). */
export const ModelProto: protobuf.Type = root.lookupType("onnx.ModelProto");

/** Tensor element types of `TensorProto.DataType` that we read. */
export const DATA_TYPE = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
} as const;

const DTYPE_OF: Record<number, DType> = {
  1: "float32",
  2: "int32",
  3: "int32",
  4: "int32",
  5: "int32",
  6: "int32",
  7: "int32",
  9: "bool",
  10: "float32",
  11: "float32",
};

/** A constant tensor on the host. */
export interface HostTensor {
  dtype: DType;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

/** One attribute value. */
export type AttrValue = number | string | number[] | string[] | HostTensor | Graph;

/** A graph node. */
export interface Node {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, AttrValue>;
}

/** A declared graph input or output: its dtype and dims (a string names a dynamic dim). */
export interface ValueInfo {
  name: string;
  dtype: DType | undefined;
  dims: (number | string)[] | undefined;
}

/** A graph or subgraph. */
export interface Graph {
  name: string;
  nodes: Node[];
  initializers: Map<string, HostTensor>;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

/** A decoded model: its default-domain opset and main graph. */
export interface Model {
  opset: number;
  graph: Graph;
}

// deno-lint-ignore no-explicit-any
type Msg = any;

/** An int64 field (a number, or a protobufjs Long) as a safe integer. */
export function int(v: unknown, what: string): number {
  const n = typeof v === "number"
    ? v
    : v && typeof v === "object" && "toNumber" in v
    ? (v as { toNumber(): number }).toNumber()
    : Number(v);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(
      `Cannot load ONNX model: ${what} must be a safe integer: got ${String(v)}`,
    );
  }
  return n;
}

function dtypeOf(type: number, what: string): DType {
  const d = DTYPE_OF[type];
  if (d === undefined) {
    throw new TypeError(
      `Cannot load ONNX model: ${what} has data type ${type}, which is not supported (supported: float, float16, double, int8/16/32/64, uint8/16, bool)`,
    );
  }
  return d;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 31;
  const f = h & 1023;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

const BYTES: Record<number, number> = {
  1: 4,
  2: 1,
  3: 1,
  4: 2,
  5: 2,
  6: 4,
  7: 8,
  9: 1,
  10: 2,
  11: 8,
};

/** Reads `count` elements of type `type` from little-endian `raw`. */
function fromRaw(raw: Uint8Array, type: number, count: number, what: string): HostTensor["data"] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = type === 1 || type === 10 || type === 11
    ? new Float32Array(count)
    : type === 9
    ? new Uint8Array(count)
    : new Int32Array(count);
  for (let i = 0; i < count; i++) {
    switch (type) {
      case 1:
        out[i] = view.getFloat32(4 * i, true);
        break;
      case 10:
        out[i] = halfToFloat(view.getUint16(2 * i, true));
        break;
      case 11:
        out[i] = view.getFloat64(8 * i, true);
        break;
      case 2:
      case 9:
        out[i] = raw[i];
        break;
      case 3:
        out[i] = view.getInt8(i);
        break;
      case 4:
        out[i] = view.getUint16(2 * i, true);
        break;
      case 5:
        out[i] = view.getInt16(2 * i, true);
        break;
      case 6:
        out[i] = view.getInt32(4 * i, true);
        break;
      default:
        out[i] = int32Of(view.getBigInt64(8 * i, true), what);
    }
  }
  return out;
}

function int32Of(v: bigint | number, what: string): number {
  const n = Number(v);
  if (n > 2147483647 || n < -2147483648) {
    // INT64_MAX / INT64_MIN are "to the end" in Slice: saturate those, reject the rest.
    if (n >= 9.2e18 || n <= -9.2e18) return n > 0 ? 2147483647 : -2147483648;
    throw new RangeError(
      `Cannot load ONNX model: ${what} holds int64 value ${v}, outside the int32 range we run`,
    );
  }
  return n;
}

/** A TensorProto as a host tensor, its element count checked against the bytes present. */
export function tensorOf(t: Msg, what: string): HostTensor {
  const name = t.name ? `tensor "${t.name}"` : what;
  if (t.data_location === 1) {
    throw new TypeError(`Cannot load ONNX model: ${name} keeps its data in an external file`);
  }
  const type = t.data_type ?? 0;
  const dtype = dtypeOf(type, name);
  const shape = (t.dims ?? []).map((d: unknown) => int(d, `a dim of ${name}`));
  const raw: Uint8Array | undefined = t.raw_data?.length ? t.raw_data : undefined;
  const typed: unknown[] = type === 1
    ? t.float_data
    : type === 11
    ? t.double_data
    : type === 7
    ? t.int64_data
    : t.int32_data;
  const available = raw ? Math.floor(raw.length / BYTES[type]) : typed?.length ?? 0;
  let count = 1;
  for (const d of shape) {
    if (d < 0) throw new RangeError(`Cannot load ONNX model: ${name} has negative dim ${d}`);
    count *= d;
  }
  if (count !== available || (raw && raw.length !== count * BYTES[type])) {
    throw new RangeError(
      `Cannot load ONNX model: ${name} with dims [${shape}] must hold ${count} elements: got ${
        raw ? `${raw.length} bytes of raw_data` : `${available} values`
      }`,
    );
  }
  let data: HostTensor["data"];
  if (raw) data = fromRaw(raw, type, count, name);
  else if (dtype === "float32" && type !== 10) data = Float32Array.from(typed as number[]);
  else if (type === 10) data = Float32Array.from(typed as number[], (v) => halfToFloat(v));
  else if (dtype === "bool") data = Uint8Array.from(typed as number[], (v) => (v ? 1 : 0));
  else data = Int32Array.from(typed, (v) => int32Of(int(v, name), name));
  return { dtype, shape, data };
}

function attrOf(a: Msg, where: string): AttrValue {
  const what = `attribute "${a.name}" of ${where}`;
  switch (a.type) {
    case 1:
      return a.f ?? 0;
    case 2:
      return int(a.i ?? 0, what);
    case 3:
      return new TextDecoder().decode(a.s ?? new Uint8Array());
    case 4:
      return tensorOf(a.t ?? {}, what);
    case 5:
      return graphOf(a.g ?? {}, what);
    case 6:
      return [...(a.floats ?? [])];
    case 7:
      return (a.ints ?? []).map((v: unknown) => int(v, what));
    case 8:
      return (a.strings ?? []).map((s: Uint8Array) => new TextDecoder().decode(s));
    default:
      throw new TypeError(`Cannot load ONNX model: ${what} has unsupported type ${a.type}`);
  }
}

function valueInfo(v: Msg): ValueInfo {
  const t = v.type?.tensor_type;
  return {
    name: v.name ?? "",
    dtype: t?.elem_type ? DTYPE_OF[t.elem_type] : undefined,
    dims: t?.shape
      ? (t.shape.dim ?? []).map((d: Msg) =>
        Object.hasOwn(d, "dim_value")
          ? int(d.dim_value, `dim of "${v.name}"`)
          : (d.dim_param || "?")
      )
      : undefined,
  };
}

function graphOf(g: Msg, where: string): Graph {
  const initializers = new Map<string, HostTensor>();
  for (const t of g.initializer ?? []) initializers.set(t.name, tensorOf(t, "an initializer"));
  const nodes: Node[] = (g.node ?? []).map((n: Msg, i: number) => {
    const name = n.name || `#${i}`;
    const attrs = new Map<string, AttrValue>();
    for (const a of n.attribute ?? []) {
      attrs.set(a.name, attrOf(a, `node "${name}" (${n.op_type}) in ${where}`));
    }
    return {
      name,
      opType: n.op_type ?? "",
      domain: n.domain ?? "",
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      attrs,
    };
  });
  return {
    name: g.name ?? "",
    nodes,
    initializers,
    inputs: (g.input ?? []).map(valueInfo).filter((v: ValueInfo) => !initializers.has(v.name)),
    outputs: (g.output ?? []).map(valueInfo),
  };
}

/**
 * Decodes ONNX model bytes.
 *
 * @throws {SyntaxError} When the bytes are not a valid ModelProto (truncated, malformed).
 * @throws {TypeError} When the model has no graph, uses an unsupported dtype or external data.
 * @throws {RangeError} When a tensor's data does not match its dims.
 */
export function decodeModel(bytes: Uint8Array): Model {
  let m: Msg;
  try {
    m = ModelProto.decode(bytes);
  } catch (error) {
    throw new SyntaxError(
      `Cannot load ONNX model: the ${bytes.length} bytes are not a valid ModelProto: ${
        (error as Error).message
      }`,
    );
  }
  if (!m.graph) throw new TypeError("Cannot load ONNX model: the ModelProto has no graph");
  const ops = (m.opset_import ?? []).filter((o: Msg) => !o.domain || o.domain === "ai.onnx");
  const opset = ops.length ? int(ops[0].version, "the opset version") : 0;
  if (opset < 11 || opset > 21) {
    throw new RangeError(
      `Cannot load ONNX model: the default-domain opset must be 11 to 21: got ${opset || "none"}`,
    );
  }
  return { opset, graph: graphOf(m.graph, "the main graph") };
}
