/** If: the branch its condition picks, from a runtime or a constant condition, over any layout. */
import assert from "node:assert/strict";
import * as dn from "@dendrite/dendrite";
import { InferenceSession } from "@dendrite/dendrite/onnx";
import { DATA_TYPE } from "../../src/onnx/_proto.ts";
import { assertMatchesOrt, graph, initializer, model, node, uniform } from "./_models.ts";

const { BOOL } = DATA_TYPE;

const ifModel = (constantCondition?: boolean) => {
  const branch = (op: string, out: string) =>
    graph({ name: out, nodes: [node(op, ["x"], [out])], inputs: [], outputs: [[out, undefined]] });
  return model(graph({
    nodes: [
      ...(constantCondition === undefined ? [node("Greater", ["s", "zero"], ["c"])] : []),
      node("If", ["c"], ["z"], {
        then_branch: { graph: branch("Relu", "t") },
        else_branch: { graph: branch("Neg", "e") },
      }),
      node("Mul", ["z", "x"], ["y"]),
    ],
    inputs: [
      ["x", [2, 3]],
      ...(constantCondition === undefined ? [["s", [1]] as [string, number[]]] : []),
    ],
    outputs: [["y", [2, 3]]],
    initializers: constantCondition === undefined
      ? [initializer("zero", [1], [0])]
      : [initializer("c", [], [constantCondition ? 1 : 0], BOOL)],
  }));
};

Deno.test("If runs the branch its condition picks, from a runtime or a constant condition", async () => {
  const x = { data: uniform(6, 3), shape: [2, 3] };
  for (const s of [1, -1]) {
    await assertMatchesOrt(
      ifModel(),
      { x, s: { data: Float32Array.of(s), shape: [1] } },
      `If s=${s}`,
    );
  }
  for (const c of [true, false]) await assertMatchesOrt(ifModel(c), { x }, `If constant ${c}`);
  const before = dn.memory().numTensors;
  const session = await InferenceSession.create(ifModel());
  const xt = dn.tensor(x.data, x.shape), st = dn.tensor([1], [1]);
  for (let i = 0; i < 3; i++) (await session.run({ x: xt, s: st })).y.dispose();
  session.release();
  xt.dispose();
  st.dispose();
  assert.equal(dn.memory().numTensors, before, "no tensor leaks across runs and release");
});

Deno.test("an If branch reads a convolution's output (kept NHWC outside) in ONNX's layout", async () => {
  const branch = (op: string, out: string) =>
    graph({ name: out, nodes: [node(op, ["c"], [out])], inputs: [], outputs: [[out, undefined]] });
  const bytes = model(graph({
    nodes: [
      node("Conv", ["x", "w"], ["c"], { pads: [1, 1, 1, 1] }),
      node("Greater", ["s", "zero"], ["cond"]),
      node("If", ["cond"], ["z"], {
        then_branch: { graph: branch("Flatten", "t") },
        else_branch: { graph: branch("Flatten", "e") },
      }),
      node("Relu", ["c"], ["r"]),
      node("MaxPool", ["r"], ["y"], { kernel_shape: [2, 2] }),
    ],
    inputs: [["x", [1, 2, 4, 5]], ["s", [1]]],
    outputs: [["z", undefined], ["y", undefined]],
    initializers: [initializer("w", [3, 2, 3, 3], uniform(54, 1)), initializer("zero", [1], [0])],
  }));
  const x = { data: uniform(40, 2), shape: [1, 2, 4, 5] };
  await assertMatchesOrt(bytes, { x, s: { data: Float32Array.of(1), shape: [1] } }, "If over NHWC");
});
