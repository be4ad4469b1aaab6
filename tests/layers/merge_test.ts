/**
 * The merge layers (`concatenate`, `add`, `subtract`, `multiply`, `average`, `maximum`,
 * `minimum`, `dot`): forward against the float64 references of tests/_reference/merge.ts,
 * gradients to every input against central differences of those references, a functional model
 * with a concatenate and an add that trains, saves and reloads with bitwise-identical
 * predictions, each class's config round trip, and the typed errors at model construction. Values
 * and gradients on wasm, threads and webgpu are in tests/ops/suite/cases/merge.ts.
 */
import * as dn from "../../mod.ts";
import { concatReference, dotReference, elementwiseReference } from "../_reference/merge.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { gradcheck, type GradInput, gradInput } from "../_util/gradcheck.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";

/** The inputs as tensors. */
const tensors = (inputs: GradInput[]) =>
  inputs.map((i) => dn.tensor(Float32Array.from(i.data), i.shape));

/** Σ r ⊙ y for a fixed weighting r = 0.5, -0.25, 1, ... of the output. */
const weighting = (n: number) => Float64Array.from({ length: n }, (_, i) => [0.5, -0.25, 1][i % 3]);

const ELEMENTWISE = {
  add: { fold: (a: number, b: number) => a + b, mean: false },
  subtract: { fold: (a: number, b: number) => a - b, mean: false },
  multiply: { fold: (a: number, b: number) => a * b, mean: false },
  average: { fold: (a: number, b: number) => a + b, mean: true },
  maximum: { fold: Math.max, mean: false },
  minimum: { fold: Math.min, mean: false },
} as const;

Deno.test("the elementwise merges match the float64 references, broadcasting as Keras, with gradients", () => {
  for (const [op, { fold, mean }] of Object.entries(ELEMENTWISE)) {
    const shapes = op === "subtract" ? [[3, 1, 4], [3, 2, 4]] : [[3, 2, 4], [3, 4], [3, 2, 1]];
    const inputs = shapes.map((s, i) => gradInput(s, 10 + i, -2, 2));
    const k = shapes.length;
    const ref = (xs: Float64Array[]) =>
      elementwiseReference(xs, shapes, fold, mean ? (y) => y / k : undefined);
    const layer = dn.layers[op as keyof typeof ELEMENTWISE]();
    const xs = tensors(inputs);
    const y = layer.apply(xs);
    const want = ref(inputs.map((i) => i.data));
    assertEquals(y.shape, want.shape);
    assertClose(y.dataSync(), want.values, Tol.dot(k + 1), op);
    const r = weighting(want.values.length);
    using rt = dn.tensor(Float32Array.from(r), want.shape);
    gradcheck(
      op,
      (...ts) => dn.sum(dn.mul(layer.apply(ts), rt)),
      (vs) => ref(vs).values.reduce((s, v, i) => s + r[i] * v, 0),
      inputs,
    );
    for (const t of [...xs, y]) t.dispose();
  }
});

Deno.test("concatenate joins along its axis (default the last), with gradients", () => {
  for (
    const [axis, shapes] of [
      [-1, [[2, 3, 2], [2, 3, 5]]],
      [1, [[2, 1, 4], [2, 3, 4], [2, 2, 4]]],
      [-2, [[2, 4, 3], [2, 1, 3]]],
    ] as [number, number[][]][]
  ) {
    const a = axis < 0 ? axis + 3 : axis;
    const inputs = shapes.map((s, i) => gradInput(s, 20 + i));
    const layer = dn.layers.concatenate(axis === -1 ? {} : { axis });
    const xs = tensors(inputs);
    const y = layer.apply(xs);
    const want = concatReference(inputs.map((i) => i.data), shapes, a);
    assertEquals(y.shape, want.shape);
    assertEquals(Array.from(y.dataSync()), Array.from(want.values));
    const r = weighting(want.values.length);
    using rt = dn.tensor(Float32Array.from(r), want.shape);
    gradcheck(
      `concatenate axis ${axis}`,
      (...ts) => dn.sum(dn.mul(layer.apply(ts), rt)),
      (vs) => concatReference(vs, shapes, a).values.reduce((s, v, i) => s + r[i] * v, 0),
      inputs,
    );
    for (const t of [...xs, y]) t.dispose();
  }
});

Deno.test("dot contracts one axis per input per sample (Keras batch_dot), normalised or not, with gradients", () => {
  for (
    const [axes, normalize, s0, s1] of [
      [1, false, [3, 4], [3, 4]],
      [[2, 1], false, [2, 3, 4], [2, 4, 5]],
      [[1, 2], true, [2, 3, 4], [2, 5, 3]],
      [-1, true, [2, 2, 3], [2, 3]],
    ] as [number | [number, number], boolean, number[], number[]][]
  ) {
    const [a0, a1] = (Array.isArray(axes) ? axes : [axes, axes]).map((a, i) =>
      a < 0 ? a + [s0, s1][i].length : a
    );
    const inputs = [gradInput(s0, 30), gradInput(s1, 31)];
    const layer = dn.layers.dot({ axes, normalize });
    const xs = tensors(inputs);
    const y = layer.apply(xs);
    const ref = (vs: Float64Array[]) => dotReference(vs[0], s0, vs[1], s1, a0, a1, normalize);
    const want = ref(inputs.map((i) => i.data));
    assertEquals(y.shape, want.shape);
    assertClose(y.dataSync(), want.values, Tol.dot(3 * s0[a0] + 9), `dot ${axes}`);
    const r = weighting(want.values.length);
    using rt = dn.tensor(Float32Array.from(r), want.shape);
    gradcheck(
      `dot ${axes}`,
      (...ts) => dn.sum(dn.mul(layer.apply(ts), rt)),
      (vs) => ref(vs).values.reduce((s, v, i) => s + r[i] * v, 0),
      inputs,
    );
    for (const t of [...xs, y]) t.dispose();
  }
});

/** LCG values in [-1, 1) as `[n, cols]`. */
function data(n: number, cols: number, seed: number): dn.Tensor {
  let s = seed;
  const v = Float32Array.from({ length: n * cols }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
  return dn.tensor(v, [n, cols]);
}

Deno.test("a functional model with a concatenate and an add trains, saves and reloads bitwise", async () => {
  dn.setSeed(3);
  const a = dn.input({ shape: [3], name: "a" });
  const b = dn.input({ shape: [2], name: "b" });
  const joined = dn.layers.concatenate({ name: "joined" }).apply([a, b]);
  const h = dn.layers.dense({ units: 8, activation: "tanh", name: "h" }).apply(joined);
  const skip = dn.layers.dense({ units: 8, name: "skip" }).apply(joined);
  const sum = dn.layers.add({ name: "sum" }).apply([h, skip]);
  const out = dn.layers.dense({ units: 1, name: "out" }).apply(sum);
  const model = dn.model({ inputs: [a, b], outputs: out });
  assertEquals(joined.shape, [null, 5]);
  model.compile({
    optimizer: dn.optimizers.adam({ learningRate: 0.03 }),
    loss: "meanSquaredError",
  });
  using xa = data(64, 3, 1);
  using xb = data(64, 2, 2);
  using y = dn.tidy(() => dn.add(dn.sum(xa, 1, true), dn.mul(dn.sum(xb, 1, true), 2)));
  const history = await model.fit([xa, xb], y, { epochs: 60, batchSize: 16, verbose: 0 });
  const first = history.history.loss[0], last = history.history.loss.at(-1)!;
  assert(last < first / 10, `loss ${first} -> ${last} must fall tenfold`);
  const copy = await dn.loadModel<dn.Functional>(model.toBytes());
  assertEquals(copy.layers.map((l) => l.className), model.layers.map((l) => l.className));
  assertEquals(copy.getLayer("joined").getConfig(), { name: "joined", axis: -1 });
  using p = model.predict([xa, xb]) as dn.Tensor;
  using q = copy.predict([xa, xb]) as dn.Tensor;
  assertEquals(q.dataSync(), p.dataSync());
  model.dispose();
  copy.dispose();
});

Deno.test("every merge layer's config rebuilds it through loadModel, outputs bitwise equal", async () => {
  const makers: [() => dn.layers.Layer, number[][]][] = [
    [() => dn.layers.concatenate({ axis: 1, name: "c" }), [[2, 3], [4, 3]]],
    [() => dn.layers.add(), [[3], [3]]],
    [() => dn.layers.subtract(), [[3], [3]]],
    [() => dn.layers.multiply(), [[3], [1]]],
    [() => dn.layers.average(), [[3], [3], [3]]],
    [() => dn.layers.maximum(), [[3], [3]]],
    [() => dn.layers.minimum({ trainable: false }), [[2, 3], [3]]],
    [() => dn.layers.dot({ axes: [2, 2], normalize: true }), [[2, 3], [4, 3]]],
  ];
  for (const [make, shapes] of makers) {
    const ins = shapes.map((shape) => dn.input({ shape }));
    const model = dn.model({ inputs: ins, outputs: make().apply(ins) });
    const copy = await dn.loadModel<dn.Functional>(model.toBytes());
    assertEquals(copy.layers.at(-1)!.getConfig(), model.layers.at(-1)!.getConfig());
    const xs = shapes.map((s, i) => dn.tensor(gradInput([2, ...s], 40 + i).data, [2, ...s]));
    using p = model.predict(xs) as dn.Tensor;
    using q = copy.predict(xs) as dn.Tensor;
    assertEquals(q.dataSync(), p.dataSync());
    for (const t of [...xs, model, copy]) t.dispose();
  }
});

Deno.test("merge layers reject bad inputs and configs with typed errors naming the layer", () => {
  const a = dn.input({ shape: [3] }), b = dn.input({ shape: [4] }), c = dn.input({ shape: [3] });
  assertThrows(
    () => dn.layers.add({ name: "bad_add" }).apply([a, b]),
    RangeError,
    'Cannot apply layer "bad_add" (Add) to [null, 3], [null, 4]: Cannot apply Add layer "bad_add": the inputs have incompatible shapes [3], [4]',
  );
  assertThrows(
    () => dn.layers.multiply({ name: "one" }).apply([a]),
    RangeError,
    'Multiply layer "one": it must be applied to at least 2 inputs: got 1',
  );
  assertThrows(
    () => dn.layers.maximum({ name: "single" }).apply(a),
    TypeError,
    'Maximum layer "single": it must be applied to a list of inputs: got one input of shape [3]',
  );
  assertThrows(
    () => dn.layers.subtract({ name: "sub3" }).apply([a, c, a]),
    RangeError,
    'Subtract layer "sub3": it must be applied to exactly 2 inputs: got 3',
  );
  assertThrows(
    () => dn.layers.concatenate({ name: "cat" }).apply([dn.input({ shape: [2, 3] }), a]),
    RangeError,
    'Concatenate layer "cat": the inputs must have equal shapes except along axis -1: got [null, 2, 3], [null, 3]',
  );
  assertThrows(
    () => dn.layers.concatenate({ axis: 3, name: "far" }).apply([a, c]),
    RangeError,
    'Concatenate layer "far": axis 3 is out of range for inputs of rank 2',
  );
  assertThrows(
    () => dn.layers.dot({ axes: 1, name: "d" }).apply([a, b]),
    RangeError,
    'Dot layer "d": the inputs have incompatible shapes [null, 3], [null, 4]',
  );
  assertThrows(
    () => dn.layers.dot({ axes: 1, name: "d3" }).apply([a, c, a]),
    RangeError,
    "exactly 2 inputs: got 3",
  );
  assertThrows(() => dn.layers.concatenate({ axis: 0 }), TypeError, '"axis" must be a nonzero');
  assertThrows(
    () => dn.layers.dot({ axes: [1] as unknown as number }),
    TypeError,
    'Cannot run dot(): argument "axes" must be a nonzero integer or a pair of them',
  );
  assertThrows(
    () => dn.layers.dot({ axes: 1, normalize: 1 as unknown as boolean }),
    TypeError,
    '"normalize" must be a boolean',
  );
  assertThrows(
    () => dn.layers.add({ axis: 1 } as dn.layers.LayerArgs),
    TypeError,
    "add()",
  );
  using x = dn.ones([2, 3]);
  using z = dn.ones([3, 3]);
  const add = dn.layers.add({ name: "eager" });
  assertThrows(
    () => add.call(x, false),
    TypeError,
    'Cannot run eager.call(): argument "x" must be a list',
  );
  assertThrows(() => add.call([x, z], false), RangeError, "the same batch size");
});
