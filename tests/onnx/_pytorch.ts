/**
 * ONNX graphs shaped as `torch.onnx.export` writes them for an MLP, a CNN and an LSTM (dynamic
 * batch, the shape plumbing around the layers), with seeded weights: used by the tests and by
 * bench/onnx_bench.ts.
 *
 * @module
 */
import { DATA_TYPE } from "../../src/onnx/_proto.ts";
import { f, graph, initializer, model, node, uniform } from "./_models.ts";

const I64 = DATA_TYPE.INT64;

/**
 * What `torch.onnx.export` emits for `Sequential(Flatten(), Linear(784, hidden), ReLU(),
 * Linear(hidden, 10), Softmax(-1))` with a dynamic batch: the flatten as Shape, Gather, Unsqueeze,
 * Concat and Reshape, Linear as Gemm with transB.
 */
export function pytorchMlp(hidden = 64): Uint8Array {
  return model(graph({
    nodes: [
      node("Shape", ["input"], ["s"]),
      node("Gather", ["s", "zero"], ["n"], { axis: 0 }),
      node("Unsqueeze", ["n", "axes0"], ["n1"]),
      node("Concat", ["n1", "minus1"], ["shape"], { axis: 0 }),
      node("Reshape", ["input", "shape"], ["flat"]),
      node("Gemm", ["flat", "fc1.weight", "fc1.bias"], ["h"], {
        alpha: f(1),
        beta: f(1),
        transB: 1,
      }),
      node("Relu", ["h"], ["r"]),
      node("Gemm", ["r", "fc2.weight", "fc2.bias"], ["logits"], { transB: 1 }),
      node("Softmax", ["logits"], ["probs"], { axis: -1 }),
    ],
    inputs: [["input", ["batch", 1, 28, 28]]],
    outputs: [["probs", ["batch", 10]], ["logits", ["batch", 10]]],
    initializers: [
      initializer("zero", [], [0], I64),
      initializer("axes0", [1], [0], I64),
      initializer("minus1", [1], [-1], I64),
      initializer("fc1.weight", [hidden, 784], uniform(hidden * 784, 1, -0.05, 0.05)),
      initializer("fc1.bias", [hidden], uniform(hidden, 2)),
      initializer("fc2.weight", [10, hidden], uniform(10 * hidden, 3, -0.2, 0.2)),
      initializer("fc2.bias", [10], uniform(10, 4)),
    ],
  }));
}

/**
 * What `torch.onnx.export` emits for a LeNet-style CNN (Conv, BatchNorm kept unfused, Relu,
 * MaxPool, a residual Add, GlobalAveragePool, Flatten, Gemm) with a dynamic batch.
 */
export function pytorchCnn(side = 16, c = 6): Uint8Array {
  const q = side / 4;
  const w = (name: string, shape: number[], seed: number, scale = 0.3) =>
    initializer(name, shape, uniform(shape.reduce((a, b) => a * b, 1), seed, -scale, scale));
  return model(graph({
    nodes: [
      node("Conv", ["input", "c1.w", "c1.b"], ["c1"], { kernel_shape: [5, 5], pads: [2, 2, 2, 2] }),
      node("Relu", ["c1"], ["r1"]),
      node("MaxPool", ["r1"], ["p1"], { kernel_shape: [2, 2], strides: [2, 2] }),
      node("Conv", ["p1", "c2.w", "c2.b"], ["c2"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
      node("BatchNormalization", ["c2", "bn.s", "bn.b", "bn.m", "bn.v"], ["n2"]),
      node("Relu", ["n2"], ["r2"]),
      node("Add", ["r2", "p1"], ["res"]),
      node("Conv", ["res", "c3.w"], ["c3"], {
        kernel_shape: [3, 3],
        strides: [2, 2],
        pads: [1, 1, 1, 1],
      }),
      node("Relu", ["c3"], ["r3"]),
      node("Shape", ["r3"], ["s"]),
      node("Gather", ["s", "zero"], ["n"], { axis: 0 }),
      node("Unsqueeze", ["n", "axes0"], ["n1"]),
      node("Concat", ["n1", "minus1"], ["shape"], { axis: 0 }),
      node("Reshape", ["r3", "shape"], ["flat"]),
      node("Gemm", ["flat", "fc.w", "fc.b"], ["logits"], { transB: 1 }),
      node("GlobalAveragePool", ["r3"], ["gap"]),
      node("Flatten", ["gap"], ["features"], { axis: 1 }),
    ],
    inputs: [["input", ["batch", 1, side, side]]],
    outputs: [["logits", ["batch", 10]], ["features", ["batch", c]]],
    initializers: [
      w("c1.w", [c, 1, 5, 5], 1),
      w("c1.b", [c], 2),
      w("c2.w", [c, c, 3, 3], 3, 0.6 / Math.sqrt(c)),
      w("c2.b", [c], 4),
      w("bn.s", [c], 5),
      w("bn.b", [c], 6),
      w("bn.m", [c], 7),
      initializer("bn.v", [c], uniform(c, 8, 0.5, 1.5)),
      w("c3.w", [c, c, 3, 3], 9, 0.6 / Math.sqrt(c)),
      w("fc.w", [10, c * q * q], 10, 0.4 / Math.sqrt(c * q)),
      w("fc.b", [10], 11),
      initializer("zero", [], [0], I64),
      initializer("axes0", [1], [0], I64),
      initializer("minus1", [1], [-1], I64),
    ],
  }));
}

/**
 * What `torch.onnx.export` emits for `LSTM(features, h, batch_first=True)` followed by a Linear on the
 * last step, with a dynamic batch: zero initial states from ConstantOfShape, the time-major
 * Transpose, Squeeze of the direction axis, and Gather of step -1.
 */
export function pytorchLstm(h = 16, features = 8, steps = 7): Uint8Array {
  return model(graph({
    nodes: [
      node("Shape", ["input"], ["s"]),
      node("Gather", ["s", "zero"], ["n"], { axis: 0 }),
      node("Unsqueeze", ["n", "axes0"], ["n1"]),
      node("Concat", ["one", "n1", "hidden"], ["stateShape"], { axis: 0 }),
      node("ConstantOfShape", ["stateShape"], ["h0"]),
      node("Transpose", ["input"], ["tm"], { perm: [1, 0, 2] }),
      node("LSTM", ["tm", "W", "R", "B", "", "h0", "h0"], ["y", "yh", "yc"], { hidden_size: h }),
      node("Squeeze", ["y", "axes1"], ["y3"]),
      node("Transpose", ["y3"], ["bm"], { perm: [1, 0, 2] }),
      node("Gather", ["bm", "last"], ["lastStep"], { axis: 1 }),
      node("MatMul", ["lastStep", "fc.wT"], ["mm"]),
      node("Add", ["mm", "fc.b"], ["out"]),
    ],
    inputs: [["input", ["batch", steps, features]]],
    outputs: [["out", ["batch", 3]], ["yh", [1, "batch", h]]],
    initializers: [
      initializer("zero", [], [0], I64),
      initializer("last", [], [-1], I64),
      initializer("axes0", [1], [0], I64),
      initializer("axes1", [1], [1], I64),
      initializer("one", [1], [1], I64),
      initializer("hidden", [1], [h], I64),
      initializer("W", [1, 4 * h, features], uniform(4 * h * features, 1, -0.3, 0.3)),
      initializer("R", [1, 4 * h, h], uniform(4 * h * h, 2, -0.3, 0.3)),
      initializer("B", [1, 8 * h], uniform(8 * h, 3, -0.3, 0.3)),
      initializer("fc.wT", [h, 3], uniform(3 * h, 4)),
      initializer("fc.b", [3], uniform(3, 5)),
    ],
  }));
}
