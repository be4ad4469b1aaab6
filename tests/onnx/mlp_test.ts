import assert from "node:assert/strict";
import * as dn from "@dendrite/dendrite";
import { InferenceSession } from "@dendrite/dendrite/onnx";
import { assertRejects } from "../_util/assert.ts";
import { assertMatchesOrt, uniform } from "./_models.ts";
import { pytorchMlp } from "./_pytorch.ts";

Deno.test("InferenceSession runs a PyTorch-exported MLP as ONNX Runtime does, batch 1 and 5", async () => {
  const bytes = pytorchMlp();
  for (const batch of [1, 5]) {
    const input = { data: uniform(batch * 784, 10 + batch, 0, 1), shape: [batch, 1, 28, 28] };
    await assertMatchesOrt(bytes, { input }, `mlp batch ${batch}`);
  }
});

Deno.test("InferenceSession names inputs and outputs and returns new tensors by name", async () => {
  const before = dn.memory().numTensors;
  const session = await InferenceSession.create(pytorchMlp());
  assert.deepEqual(session.inputNames, ["input"]);
  assert.deepEqual(session.outputNames, ["probs", "logits"]);
  const x = dn.ones([3, 1, 28, 28]);
  const out = await session.run({ input: x });
  assert.deepEqual(Object.keys(out), ["probs", "logits"]);
  assert.deepEqual(out.probs.shape, [3, 10]);
  const sum = dn.sum(out.probs, 1);
  for (const s of await sum.data()) assert.ok(Math.abs(s - 1) < 1e-5);
  // Disposed here, not left to the garbage collector: a later test counts live tensors.
  for (const t of [sum, x, out.probs, out.logits]) t.dispose();
  session.release();
  assert.equal(dn.memory().numTensors, before);
});

Deno.test("InferenceSession loads from a path and a file URL", async () => {
  for (
    const source of [
      "tests/onnx/testdata/relu.onnx",
      new URL("./testdata/relu.onnx", import.meta.url),
    ]
  ) {
    const session = await InferenceSession.create(source);
    const x = dn.tensor([[-1, 2]]);
    const { y } = await session.run({ x });
    assert.deepEqual([...(await y.data())], [0, 2]);
    dn.tidy(() => [x, y].forEach((t) => t.dispose()));
    session.release();
  }
});

Deno.test("session.run() rejects missing, unknown and mis-shaped inputs", async () => {
  const session = await InferenceSession.create(pytorchMlp());
  const x = dn.ones([2, 1, 28, 28]);
  await assertRejects(() => session.run({}), TypeError, 'input "input" must be a live tensor');
  await assertRejects(
    () => session.run({ input: x, other: x }),
    TypeError,
    '"other" is not an input',
  );
  const wrong = dn.ones([2, 1, 28, 27]);
  await assertRejects(
    () => session.run({ input: wrong }),
    RangeError,
    "[batch, 1, 28, 28]: got [2, 1, 28, 27]",
  );
  const ints = dn.ones([2, 1, 28, 28], "int32");
  await assertRejects(() => session.run({ input: ints }), TypeError, "dtype float32: got int32");
  await assertRejects(
    () => InferenceSession.create(pytorchMlp(), { graphOptimizationLevel: "all" } as never),
    TypeError,
    "takes no keys",
  );
  session.release();
  await assertRejects(() => session.run({ input: x }), TypeError, "released");
  for (const t of [x, wrong, ints]) t.dispose();
});

Deno.test("a dynamic batch runs its shape arithmetic once per input shape and frees it on release", async () => {
  const before = dn.memory().numTensors;
  const session = await InferenceSession.create(pytorchMlp());
  const fresh = await InferenceSession.create(pytorchMlp());
  for (const batch of [2, 5, 2, 5, 1]) {
    const x = dn.tensor(uniform(batch * 784, batch, 0, 1), [batch, 1, 28, 28]);
    const [a, b] = [await session.run({ input: x }), await fresh.run({ input: x })];
    assert.deepEqual(a.logits.shape, [batch, 10]);
    assert.deepEqual([...(await a.logits.data())], [...(await b.logits.data())]);
    for (const t of [x, ...Object.values(a), ...Object.values(b)]) t.dispose();
  }
  const x = dn.ones([3, 1, 28, 28]), wrong = dn.ones([3, 1, 28, 28], "int32");
  await assertRejects(() => session.run({ input: wrong }), TypeError, "dtype");
  for (const t of Object.values(await session.run({ input: x }))) t.dispose();
  session.release();
  fresh.release();
  x.dispose();
  wrong.dispose();
  assert.equal(dn.memory().numTensors, before);
});
