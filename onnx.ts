/**
 * ONNX inference with ONNX Runtime's JavaScript API shape, behind the subpath export
 * `@dendrite/dendrite/onnx` (it needs the npm package `protobufjs`, so the core module graph
 * stays free of npm). Models exported by PyTorch (MLPs, CNNs, LSTM/GRU/RNN) run on Dendrite's
 * kernels; operators are checked when the model loads.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import * as onnx from "@dendrite/dendrite/onnx";
 * import assert from "node:assert/strict";
 * const session = await onnx.InferenceSession.create("tests/onnx/testdata/relu.onnx");
 * const { y } = await session.run({ x: dn.tensor([[-3, 4]]) });
 * assert.deepEqual([...(await y.data())], [0, 4]);
 * session.release();
 * ```
 *
 * @module
 */
export { InferenceSession } from "./src/onnx/session.ts";
export type { OnnxOutputs, SessionOptions } from "./src/onnx/session.ts";
export { UnsupportedOperatorError } from "./src/onnx/errors.ts";
// Type-only copies of the core types the session's API mentions (`deno doc` sees only top-level
// exports as public); the values come from `@dendrite/dendrite`.
export type { DataTypeMap, DType, Tensor } from "./src/tensor.ts";
