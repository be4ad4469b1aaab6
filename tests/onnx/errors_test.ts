/**
 * Hostile and unsupported ONNX models fail at load with typed errors, before allocating anything
 * the size their headers claim.
 */
import assert from "node:assert/strict";
import * as dn from "@dendrite/dendrite";
import { InferenceSession, UnsupportedOperatorError } from "@dendrite/dendrite/onnx";
import { DATA_TYPE, ModelProto } from "../../src/onnx/_proto.ts";
import { assertRejects } from "../_util/assert.ts";
import { graph, initializer, model, node, uniform } from "./_models.ts";

const { FLOAT, INT64, BOOL } = DATA_TYPE;

const relu = () =>
  model(graph({
    nodes: [node("Gemm", ["x", "w"], ["h"]), node("Relu", ["h"], ["y"])],
    inputs: [["x", [1, 4]]],
    outputs: [["y", [1, 3]]],
    initializers: [initializer("w", [4, 3], uniform(12, 1))],
  }));

Deno.test("InferenceSession.create() throws SyntaxError for truncated or garbage bytes", async () => {
  const bytes = relu();
  for (const cut of [bytes.length - 1, bytes.length - 20, bytes.length >> 1]) {
    await assertRejects(
      () => InferenceSession.create(bytes.subarray(0, cut)),
      SyntaxError,
      "not a valid ModelProto",
    );
  }
  await assertRejects(
    () => InferenceSession.create(Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 255)),
    SyntaxError,
    "not a valid ModelProto",
  );
  await assertRejects(() => InferenceSession.create(42 as never), TypeError, 'argument "source"');
  await assertRejects(
    () => (InferenceSession.create as (...a: unknown[]) => Promise<unknown>)(bytes, {}, 1),
    TypeError,
    "at most 2 arguments",
  );
  const session = await InferenceSession.create(bytes);
  const x = dn.ones([1, 4]);
  await assertRejects(
    () => (session.run as (...a: unknown[]) => Promise<unknown>)({ x }, ["y"]),
    TypeError,
    "at most 1 argument",
  );
  x.dispose();
  session.release();
});

Deno.test("initializers whose data does not match their dims throw RangeError without allocating the claimed size", async () => {
  const withTensor = (t: Record<string, unknown>) =>
    model(
      graph({
        nodes: [node("Add", ["x", "w"], ["y"])],
        inputs: [["x", [2]]],
        outputs: [["y", [2]]],
        initializers: [t],
      }),
    );
  await assertRejects(
    () => InferenceSession.create(withTensor(initializer("w", [3], [1, 2]))),
    RangeError,
    'tensor "w" with dims [3] must hold 3 elements: got 8 bytes of raw_data',
  );
  await assertRejects(
    () =>
      InferenceSession.create(
        withTensor({ name: "w", dims: [2, 2], data_type: FLOAT, float_data: [1, 2, 3] }),
      ),
    RangeError,
    "must hold 4 elements: got 3 values",
  );
  const before = Deno.memoryUsage().rss;
  const huge = withTensor({
    name: "w",
    dims: [1 << 30, 1 << 30, 1 << 30],
    data_type: FLOAT,
    raw_data: new Uint8Array(8),
  });
  assert.ok(huge.length < 1024);
  await assertRejects(
    () => InferenceSession.create(huge),
    RangeError,
    "must hold 1.2379400392853803e+27 elements",
  );
  await assertRejects(
    () =>
      InferenceSession.create(
        withTensor({ name: "w", dims: [-1], data_type: FLOAT, raw_data: new Uint8Array(4) }),
      ),
    RangeError,
    "negative dim -1",
  );
  const fromShape = (op: string, inputs: string[]) =>
    model(graph({
      nodes: [node(op, inputs, ["y"])],
      inputs: [],
      outputs: [["y", undefined]],
      initializers: [
        initializer("s", [2], [1 << 20, 1 << 20], INT64),
        initializer("one", [1], [1]),
      ],
    }));
  await assertRejects(
    () => InferenceSession.create(fromShape("ConstantOfShape", ["s"])),
    RangeError,
    "would make 1099511627776 elements from constant shapes",
  );
  await assertRejects(
    () => InferenceSession.create(fromShape("Expand", ["one", "s"])),
    RangeError,
    "would make 1099511627776 elements",
  );
  assert.ok(Deno.memoryUsage().rss - before < 64 << 20, "no allocation of the claimed size");
  await assertRejects(
    () =>
      InferenceSession.create(
        withTensor({ name: "w", dims: [1], data_type: INT64, int64_data: [2 ** 40] }),
      ),
    RangeError,
    "outside the int32 range",
  );
  await assertRejects(
    () =>
      InferenceSession.create(
        withTensor({ name: "w", dims: [1], data_type: 8, string_data: [new Uint8Array(1)] }),
      ),
    TypeError,
    "data type 8",
  );
  await assertRejects(
    () =>
      InferenceSession.create(
        withTensor({ name: "w", dims: [1], data_type: FLOAT, data_location: 1 }),
      ),
    TypeError,
    "external file",
  );
});

Deno.test("graphs with cycles, undefined inputs, or values produced twice throw RangeError", async () => {
  const bad = (nodes: Record<string, unknown>[]) =>
    InferenceSession.create(model(graph({ nodes, inputs: [["x", [2]]], outputs: [["y", [2]]] })));
  await assertRejects(
    () =>
      bad([node("Add", ["x", "b"], ["a"]), node("Relu", ["a"], ["b"]), node("Neg", ["b"], ["y"])]),
    RangeError,
    "the graph has a cycle",
  );
  await assertRejects(() => bad([node("Relu", ["nowhere"], ["y"])]), RangeError, 'input "nowhere"');
  await assertRejects(
    () => bad([node("Relu", ["x"], ["y"]), node("Neg", ["x"], ["y"])]),
    RangeError,
    'value "y" is produced by two nodes',
  );
  // A long chain listed last node first is put in order (iteratively, without deep recursion).
  const chain = Array.from(
    { length: 5000 },
    (_, i) => node("Neg", [i ? `v${i - 1}` : "x"], [i === 4999 ? "y" : `v${i}`]),
  );
  const session = await InferenceSession.create(
    model(graph({ nodes: chain.reverse(), inputs: [["x", [2]]], outputs: [["y", [2]]] })),
  );
  session.release();
});

Deno.test("unsupported operators fail at load with UnsupportedOperatorError listing all of them", async () => {
  const sub = graph({
    nodes: [node("NonMaxSuppression", ["x"], ["s"])],
    inputs: [],
    outputs: [["s", undefined]],
  });
  const bytes = model(graph({
    nodes: [
      node("Relu", ["x"], ["a"]),
      node("TopK", ["a", "k"], ["v", "i"]),
      { ...node("Attention", ["a"], ["b"]), domain: "com.microsoft" },
      node("If", ["c"], ["y"], { then_branch: { graph: sub }, else_branch: { graph: sub } }),
    ],
    inputs: [["x", [2]], ["c", [], BOOL]],
    outputs: [["y", undefined]],
    initializers: [initializer("k", [1], [1], INT64)],
  }));
  const error = await assertRejects(() => InferenceSession.create(bytes), UnsupportedOperatorError);
  assert.ok(error instanceof TypeError);
  assert.deepEqual(error.operators, ["NonMaxSuppression", "TopK", "com.microsoft:Attention"]);
  assert.match(error.message, /NonMaxSuppression, TopK, com\.microsoft:Attention/);
});

Deno.test("unknown attributes, non-constant weights and old opsets are rejected at load", async () => {
  const one = (
    n: Record<string, unknown>,
    opset = 17,
    inputs: [string, number[]][] = [["x", [1, 2, 4, 4]]],
  ) =>
    InferenceSession.create(model(
      graph({
        nodes: [n],
        inputs,
        outputs: [["y", undefined]],
        initializers: [initializer("w", [2, 2, 3, 3], uniform(36, 1))],
      }),
      opset,
    ));
  await assertRejects(
    () => one(node("Relu", ["x"], ["y"], { bogus: 1 })),
    TypeError,
    'attributes we do not support: "bogus"',
  );
  await assertRejects(
    () => one(node("Conv", ["x", "x2"], ["y"]), 17, [["x", [1, 2, 4, 4]], ["x2", [2, 2, 3, 3]]]),
    TypeError,
    "weights (input 1) to be a constant",
  );
  await assertRejects(
    () => one(node("Conv", ["x", "w"], ["y"], { group: 3 })),
    RangeError,
    "not a multiple of group 3",
  );
  await assertRejects(
    () => one(node("AveragePool", ["x"], ["y"], { kernel_shape: [2, 2], ceil_mode: 1 })),
    TypeError,
    "ceil_mode 1",
  );
  await assertRejects(
    () => one(node("Relu", ["x"], ["y"]), 7),
    RangeError,
    "opset must be 11 to 21: got 7",
  );
  const noGraph = ModelProto.encode(
    ModelProto.fromObject({ ir_version: 8, opset_import: [{ version: 17 }] }),
  ).finish();
  await assertRejects(() => InferenceSession.create(noGraph), TypeError, "has no graph");
});

Deno.test("a Gemm or MatMul fed a runtime input of the wrong inner size throws RangeError naming the node", async () => {
  for (const op of ["Gemm", "MatMul"]) {
    const bytes = model(graph({
      nodes: [node(op, ["x", "w"], ["y"])],
      inputs: [["x", ["batch", "k"]]],
      outputs: [["y", undefined]],
      initializers: [initializer("w", [4, 3], uniform(12, 1))],
    }));
    const session = await InferenceSession.create(bytes);
    const x = dn.ones([2, 5]);
    await assertRejects(() => session.run({ x }), RangeError, `(${op}) multiplies [2,5] by [4,3]`);
    const { y } = await session.run({ x: dn.ones([2, 4]) });
    assert.deepEqual(y.shape, [2, 3]);
    for (const t of [x, y]) t.dispose();
    session.release();
  }
});
