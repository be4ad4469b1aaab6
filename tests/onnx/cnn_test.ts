import {
  assertMatchesOrt,
  type Attr,
  f,
  graph,
  initializer,
  model,
  node,
  uniform,
} from "./_models.ts";
import { pytorchCnn } from "./_pytorch.ts";

/** One node over input `x` (NCHW) with constant weights, checked against ONNX Runtime. */
async function check(
  op: string,
  xShape: number[],
  weights: [string, number[]][],
  attrs: Record<string, Attr>,
  what: string,
  outputs = 1,
): Promise<void> {
  const names = ["x", ...weights.map(([n]) => n)];
  const outs = Array.from({ length: outputs }, (_, i) => `y${i}`);
  const bytes = model(graph({
    nodes: [node(op, names, outs, attrs)],
    inputs: [["x", xShape]],
    outputs: outs.map((o) => [o, undefined]),
    initializers: weights.map(([n, s], i) =>
      initializer(n, s, uniform(s.reduce((a, b) => a * b, 1), 100 + i, n === "var" ? 0.5 : -1, 1.5))
    ),
  }));
  const x = { data: uniform(xShape.reduce((a, b) => a * b, 1), 7), shape: xShape };
  await assertMatchesOrt(bytes, { x }, what);
}

/** Conv cases: input shape, weights, attributes, label. */
const CONV_CASES: [number[], [string, number[]][], Record<string, Attr>, string][] = [
  [[2, 3, 9, 8], [["w", [4, 3, 3, 3]], ["b", [4]]], { pads: [1, 1, 1, 1] }, "conv 3x3 pad 1"],
  [
    [1, 3, 9, 8],
    [["w", [5, 3, 3, 2]]],
    { strides: [2, 2], pads: [1, 0, 1, 1] },
    "conv stride 2 uneven pads",
  ],
  [[1, 2, 10, 9], [["w", [3, 2, 3, 3]], ["b", [3]]], { dilations: [2, 2] }, "conv dilation 2"],
  [
    [2, 3, 6, 5],
    [["w", [4, 3, 3, 2]], ["b", [4]]],
    { pads: [3, 0, 2, 4], strides: [1, 2] },
    "conv pads wider than the window, uneven",
  ],
  [
    [1, 2, 9, 9],
    [["w", [3, 2, 3, 3]]],
    { dilations: [2, 2], pads: [2, 1, 0, 3] },
    "conv dilation 2 uneven pads",
  ],
  [
    [1, 4, 7, 7],
    [["w", [6, 2, 3, 3]], ["b", [6]]],
    { group: 2, pads: [1, 1, 1, 1] },
    "conv group 2",
  ],
  [
    [2, 4, 7, 6],
    [["w", [8, 1, 3, 3]], ["b", [8]]],
    { group: 4, pads: [1, 1, 1, 1], strides: [2, 2] },
    "conv depthwise x2",
  ],
  [[2, 3, 11], [["w", [4, 3, 3]], ["b", [4]]], { pads: [2, 1], strides: [2] }, "conv 1-D"],
  [
    [1, 3, 8, 7],
    [["w", [2, 3, 4, 3]]],
    { auto_pad: "SAME_LOWER", strides: [2, 2] },
    "conv SAME_LOWER",
  ],
  [[1, 3, 8, 7], [["w", [2, 3, 4, 3]]], { auto_pad: "SAME_UPPER" }, "conv SAME_UPPER"],
];

Deno.test("Conv matches ONNX Runtime: pads, strides, dilations, groups, depthwise, 1-D, auto_pad", async () => {
  for (const [xShape, weights, attrs, what] of CONV_CASES) {
    await check("Conv", xShape, weights, attrs, what);
  }
});

Deno.test("ConvTranspose matches ONNX Runtime with pads and output_padding", async () => {
  await check(
    "ConvTranspose",
    [1, 3, 4, 5],
    [["w", [3, 2, 3, 3]], ["b", [2]]],
    { strides: [2, 2] },
    "convT stride 2",
  );
  await check(
    "ConvTranspose",
    [2, 2, 5, 4],
    [["w", [2, 3, 3, 3]]],
    { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] },
    "convT pads 1 output_padding 1",
  );
});

Deno.test("MaxPool, AveragePool, global pools and BatchNormalization match ONNX Runtime", async () => {
  await check("MaxPool", [2, 3, 8, 8], [], { kernel_shape: [2, 2], strides: [2, 2] }, "maxpool 2");
  await check("MaxPool", [1, 2, 7, 7], [], {
    kernel_shape: [3, 3],
    strides: [2, 2],
    pads: [1, 1, 1, 1],
  }, "maxpool 3 pad 1");
  await check(
    "MaxPool",
    [1, 2, 7, 6],
    [],
    { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 },
    "maxpool ceil",
  );
  await check("MaxPool", [1, 2, 9], [], { kernel_shape: [3], strides: [2] }, "maxpool 1-D");
  await check(
    "AveragePool",
    [1, 3, 6, 6],
    [],
    { kernel_shape: [2, 2], strides: [2, 2] },
    "avgpool 2",
  );
  await check("AveragePool", [1, 2, 7, 7], [], {
    kernel_shape: [3, 3],
    pads: [1, 1, 1, 1],
    count_include_pad: 1,
  }, "avgpool include pad");
  await check(
    "AveragePool",
    [1, 2, 7, 7],
    [],
    { kernel_shape: [3, 3], pads: [1, 1, 1, 1] },
    "avgpool exclude pad",
  );
  await check("GlobalAveragePool", [2, 3, 5, 4], [], {}, "global avg");
  await check("GlobalMaxPool", [2, 3, 5, 4], [], {}, "global max");
  await check(
    "BatchNormalization",
    [2, 3, 4, 5],
    [["scale", [3]], ["bias", [3]], ["mean", [3]], ["var", [3]]],
    { epsilon: f(1e-3) },
    "batchnorm",
  );
});

Deno.test("InferenceSession runs a PyTorch-exported CNN as ONNX Runtime does, batch 1 and 3", async () => {
  const bytes = pytorchCnn();
  for (const batch of [1, 3]) {
    const input = { data: uniform(batch * 256, 20 + batch, 0, 1), shape: [batch, 1, 16, 16] };
    await assertMatchesOrt(bytes, { input }, `cnn batch ${batch}`);
  }
});
