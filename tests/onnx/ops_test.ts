/**
 * One ONNX model per operator (and attribute variant), built here through protobufjs, run by
 * Dendrite and by ONNX Runtime Web on the same inputs: outputs within 1e-5 relative.
 */
import { DATA_TYPE } from "../../src/onnx/_proto.ts";
import {
  assertMatchesOrt,
  type Attr,
  f,
  type Feed,
  fs,
  graph,
  initializer,
  model,
  node,
  uniform,
} from "./_models.ts";

const { FLOAT, INT64, BOOL } = DATA_TYPE;

/** An operand: runtime input (default) or constant initializer. */
interface Operand {
  data: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  constant?: boolean;
}

const fl = (shape: number[], seed: number, lo = -2, hi = 2): Operand => ({
  data: uniform(shape.reduce((a, b) => a * b, 1), seed, lo, hi),
  shape,
});
const ints = (values: number[], shape = [values.length], constant = true): Operand => ({
  data: Int32Array.from(values),
  shape,
  constant,
});
const bools = (values: number[], shape = [values.length]): Operand => ({
  data: Uint8Array.from(values),
  shape,
});

const typeOf = (
  o: Operand,
) => (o.data instanceof Float32Array ? FLOAT : o.data instanceof Uint8Array ? BOOL : INT64);

async function check(
  op: string,
  operands: (Operand | "")[],
  attrs: Record<string, Attr> = {},
  opset = 17,
  outputs = 1,
): Promise<void> {
  const names = operands.map((o, i) => (o === "" ? "" : `in${i}`));
  const outs = Array.from({ length: outputs }, (_, i) => `out${i}`);
  const feeds: Record<string, Feed> = {};
  const inputs: [string, number[], number][] = [];
  const initializers: Record<string, unknown>[] = [];
  operands.forEach((o, i) => {
    if (o === "") return;
    if (o.constant) initializers.push(initializer(names[i], o.shape, o.data, typeOf(o)));
    else {
      feeds[names[i]] = { data: o.data, shape: o.shape };
      inputs.push([names[i], o.shape, typeOf(o)]);
    }
  });
  const bytes = model(
    graph({
      nodes: [node(op, names, outs, attrs)],
      inputs,
      outputs: outs.map((o) => [o, undefined]),
      initializers,
    }),
    opset,
  );
  await assertMatchesOrt(bytes, feeds, `${op} ${JSON.stringify(attrs)} opset ${opset}`);
}

Deno.test("unary ops and activations match ONNX Runtime", async () => {
  const x = fl([3, 4, 5], 1);
  const pos = fl([3, 4, 5], 2, 0.1, 3);
  for (
    const op of [
      "Relu",
      "Sigmoid",
      "Tanh",
      "Exp",
      "Neg",
      "Abs",
      "Ceil",
      "Floor",
      "Sin",
      "Cos",
      "Tan",
      "Erf",
      "Sign",
      "Softplus",
      "Identity",
    ]
  ) {
    await check(op, [x]);
  }
  for (const op of ["Log", "Sqrt", "Reciprocal", "Round"]) await check(op, [pos]);
  await check("Elu", [x]);
  await check("Elu", [x], { alpha: f(0.5) });
  await check("Selu", [x]);
  await check("LeakyRelu", [x], { alpha: f(0.1) });
  await check("HardSigmoid", [x], { alpha: f(0.3), beta: f(0.4) });
  await check("Gelu", [x], {}, 20);
  await check("Gelu", [x], { approximate: "tanh" }, 20);
  await check("Clip", [x, { data: Float32Array.of(-0.5), shape: [], constant: true }, {
    data: Float32Array.of(0.7),
    shape: [],
    constant: true,
  }]);
  await check("Clip", [x, "", { data: Float32Array.of(0.2), shape: [] }]);
  await check("Softmax", [x], { axis: 1 }, 11);
  await check("Softmax", [x], { axis: 1 }, 13);
  await check("LogSoftmax", [x], {}, 13);
});

Deno.test("binary, comparison, logical and variadic ops broadcast as ONNX Runtime does", async () => {
  const a = fl([2, 3, 4], 3), b = fl([3, 1], 4), c = fl([4], 5);
  for (
    const op of [
      "Add",
      "Sub",
      "Mul",
      "Div",
      "Equal",
      "Greater",
      "Less",
      "GreaterOrEqual",
      "LessOrEqual",
    ]
  ) {
    await check(op, [a, b]);
  }
  await check("Pow", [fl([2, 3], 6, 0.5, 2), fl([3], 7, -1, 2)]);
  for (const op of ["Max", "Min", "Sum"]) await check(op, [a, b, c]);
  const p = bools([1, 0, 1, 0, 1, 1], [2, 3]), q = bools([1, 1, 0], [3]);
  for (const op of ["And", "Or", "Xor"]) await check(op, [p, q]);
  await check("Not", [p]);
  await check("Where", [p, fl([2, 3], 8), fl([3], 9)]);
  await check("Mod", [ints([7, -7, 9, 4], [4], false), ints([3, 3, -4, 2])]);
  await check("Equal", [ints([1, 2, 3], [3], false), ints([1, 5, 3])]);
});

Deno.test("MatMul and Gemm match ONNX Runtime: batched, 1-D, transposes, alpha, beta, 2-D C", async () => {
  await check("MatMul", [fl([2, 3, 4, 5], 1), fl([5, 6], 2)]);
  await check("MatMul", [fl([3, 4, 5], 3), fl([3, 5, 2], 4)]);
  await check("MatMul", [fl([5], 5), fl([5, 3], 6)]);
  await check("MatMul", [fl([2, 5], 7), fl([5], 8)]);
  await check("Gemm", [fl([4, 3], 9), { ...fl([5, 4], 10), constant: true }, {
    ...fl([1, 5], 11),
    constant: true,
  }], { transA: 1, transB: 1, alpha: f(0.5), beta: f(2) });
  await check("Gemm", [fl([3, 4], 12), fl([4, 5], 13), fl([3, 5], 14)], { beta: f(0.5) });
  await check("Gemm", [fl([3, 4], 15), fl([4, 5], 16)]);
});

Deno.test("shape plumbing matches ONNX Runtime on runtime inputs", async () => {
  const x = fl([2, 3, 4], 1);
  await check("Shape", [x]);
  await check("Shape", [x], { start: 1, end: -1 }, 15);
  await check("Size", [x]);
  await check("Gather", [x, ints([2, -1, 0], [3])], { axis: 2 });
  await check("Gather", [x, ints([1, 0], [2], false)], { axis: 0 });
  await check("Gather", [x, ints([-1], [])], { axis: 1 });
  await check("Unsqueeze", [x], { axes: [0, 4] }, 11);
  await check("Unsqueeze", [x, ints([1, -1])], {}, 13);
  await check("Squeeze", [fl([1, 3, 1, 2], 2), ints([0])], {}, 13);
  await check("Squeeze", [fl([1, 3, 1, 2], 3)], {}, 13);
  await check("Squeeze", [fl([1, 3, 1, 2], 4)], { axes: [2] }, 11);
  await check("Concat", [x, fl([2, 1, 4], 5), fl([2, 2, 4], 6)], { axis: -2 });
  await check("Slice", [x, ints([0, 1]), ints([9, -1]), ints([0, 2]), ints([1, 2])]);
  await check("Slice", [x, ints([-1]), ints([-1000]), ints([2]), ints([-2])]);
  await check("Slice", [x, ints([1], [1], false), ints([3], [1], false), ints([1], [1], false)]);
  await check("Reshape", [x, ints([0, -1, 2])]);
  await check("Reshape", [x, ints([4, 0, 2], [3], false)]);
  await check("Transpose", [x], { perm: [2, 0, 1] });
  await check("Transpose", [x]);
  await check("Flatten", [fl([2, 3, 2, 2], 7)], { axis: 2 });
  await check("Flatten", [fl([2, 3, 2, 2], 8)], { axis: 0 });
  await check("Pad", [x, ints([0, 1, 2, 1, 0, 1]), {
    data: Float32Array.of(0.5),
    shape: [],
    constant: true,
  }]);
  await check("Pad", [x, ints([1, 0, 0, 0, 2, 1], [6], false)]);
  await check("Cast", [x], { to: INT64 });
  await check("Cast", [ints([3, -2, 0], [3], false)], { to: FLOAT });
  await check("Cast", [x], { to: BOOL });
  await check("Expand", [fl([3, 1], 9), ints([2, 3, 4])]);
  await check("ConstantOfShape", [ints([2, 3], [2], false)], {});
  await check("Where", [bools([1, 0, 1]), ints([1, 2, 3], [3], false), ints([7])]);
});

Deno.test("Constant and ConstantOfShape values, and reductions with every opset's axes", async () => {
  await check("Constant", [], { value_floats: fs([1.5, -2]) }, 13);
  await check("Constant", [], { value_ints: [4, 5, 6] }, 13);
  await check("Constant", [], { value_float: f(2.5) }, 13);
  await check("ConstantOfShape", [ints([3, 2], [2], false)], {});
  const x = fl([2, 3, 4], 1);
  for (const op of ["ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd"]) {
    await check(op, [x], { axes: [1], keepdims: 0 }, 11);
    await check(op, [x], { keepdims: 1 }, 11);
  }
  await check("ReduceSum", [x, ints([0, -1])], { keepdims: 0 }, 13);
  await check("ReduceSum", [x, ints([], [0])], { noop_with_empty_axes: 1 }, 13);
  await check("ReduceMean", [x, ints([2])], {}, 18);
  await check("ReduceMean", [x], { axes: [0, 2] }, 13);
});

Deno.test("Dropout (inference), Split, Tile, Range and LayerNormalization match ONNX Runtime", async () => {
  const x = fl([2, 6, 4], 1);
  await check("Dropout", [x], {}, 13);
  await check("Dropout", [x, { data: Float32Array.of(0.3), shape: [], constant: true }], {}, 13);
  await check("Split", [x, ints([2, 4])], { axis: 1 }, 13, 2);
  await check("Split", [x], { axis: -1 }, 13, 2);
  await check("Split", [x], { axis: 1 }, 11, 3);
  await check("Split", [fl([7, 2], 2)], { axis: 0, num_outputs: 3 }, 18, 3);
  await check("Tile", [x, ints([1, 2, 3])]);
  await check("Range", [ints([2], [], false), ints([11], []), ints([3], [])]);
  await check("Range", [{ data: Float32Array.of(1), shape: [] }, {
    data: Float32Array.of(-2),
    shape: [],
    constant: true,
  }, { data: Float32Array.of(-0.75), shape: [], constant: true }]);
  await check("LayerNormalization", [x, { ...fl([4], 3), constant: true }, {
    ...fl([4], 4),
    constant: true,
  }], { epsilon: f(1e-3) });
  await check("LayerNormalization", [x, fl([6, 4], 5)], { axis: 1 });
});

Deno.test("the newest opset we take (21) and the oldest (11) load and match ONNX Runtime", async () => {
  const x = fl([2, 3, 4], 1);
  for (const opset of [11, 21]) {
    await check("Relu", [x], {}, opset);
    await check("Reshape", [x, ints([4, -1])], {}, opset);
    await check(
      "Gemm",
      [fl([2, 3], 2), { ...fl([4, 3], 3), constant: true }],
      { transB: 1 },
      opset,
    );
    await check("ReduceSum", [x], { keepdims: 0 }, opset);
  }
});
