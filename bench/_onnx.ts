/**
 * ONNX Runtime Web (`npm:onnxruntime-web`, wasm SIMD, multithreaded) as a bench baseline, with the
 * one-node MatMul model it runs built here as protobuf bytes by hand (no .onnx file, no protobuf
 * dependency): ModelProto { ir_version 8, opset "" 13, graph { MatMul(A, B) -> C } } with fixed
 * float32 shapes.
 *
 * @module
 */
import * as ort from "npm:onnxruntime-web@1.20.1";

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const num = (field: number, n: number) => [...varint(field << 3), ...varint(n)];
const bytes = (
  field: number,
  b: number[],
) => [...varint((field << 3) | 2), ...varint(b.length), ...b];
const str = (field: number, s: string) => bytes(field, [...new TextEncoder().encode(s)]);

/** ValueInfoProto of a float32 tensor with a fixed shape. */
function tensorInfo(name: string, shape: number[]): number[] {
  const dims = shape.flatMap((d) => bytes(1, num(1, d)));
  const tensorType = [...num(1, 1), ...bytes(2, dims)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

/** The bytes of an ONNX model computing C[m, n] = A[m, k] · B[k, n]. */
export function matmulModel(m: number, n: number, k: number): Uint8Array {
  const node = [
    ...str(1, "A"),
    ...str(1, "B"),
    ...str(2, "C"),
    ...str(3, "mm"),
    ...str(4, "MatMul"),
  ];
  const graph = [
    ...bytes(1, node),
    ...str(2, "matmul"),
    ...bytes(11, tensorInfo("A", [m, k])),
    ...bytes(11, tensorInfo("B", [k, n])),
    ...bytes(12, tensorInfo("C", [m, n])),
  ];
  const opset = [...str(1, ""), ...num(2, 13)];
  return new Uint8Array([...num(1, 8), ...bytes(7, graph), ...bytes(8, opset)]);
}

/** A session multiplying fixed `a` [m, k] by `b` [k, n]; `run()` returns C. */
export async function onnxMatMul(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  threads: number,
): Promise<{ run: () => Promise<Float32Array>; threads: number }> {
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.simd = true;
  const session = await ort.InferenceSession.create(matmulModel(m, n, k), {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
  });
  const feeds = {
    A: new ort.Tensor("float32", a, [m, k]),
    B: new ort.Tensor("float32", b, [k, n]),
  };
  return {
    threads: ort.env.wasm.numThreads as number,
    run: async () => (await session.run(feeds)).C.data as Float32Array,
  };
}
