import * as dn from "../../mod.ts";
import { assertRejects, assertThrows } from "../_util/assert.ts";

Deno.test("matmul() rejects mismatched inner dimensions naming both shapes", () => {
  using a = dn.zeros([2, 3]);
  using b = dn.zeros([4, 5]);
  assertThrows(() => dn.matmul(a, b), RangeError, 'inner dimensions of "a" [2, 3] and "b" [4, 5]');
});

Deno.test("matmul() rejects a rank-1 operand", () => {
  using a = dn.zeros([3]);
  using b = dn.zeros([3, 5]);
  assertThrows(() => dn.matmul(a, b), TypeError, 'argument "a" must have rank >= 2: got rank 1');
});

Deno.test("matmul() rejects a bias of the wrong length", () => {
  using a = dn.zeros([2, 3]);
  using b = dn.zeros([3, 5]);
  using bias = dn.zeros([4]);
  assertThrows(() => dn.matmul(a, b, { bias }), RangeError, '"bias" must have shape [5]: got [4]');
});

Deno.test("matmul() rejects an unknown activation", () => {
  using a = dn.zeros([2, 3]);
  assertThrows(
    () => dn.matmul(a, a, { transposeB: true, activation: "gelu" as never }),
    TypeError,
    'got "gelu"',
  );
});

Deno.test("add() rejects shapes that do not broadcast", () => {
  using a = dn.zeros([2, 3]);
  using b = dn.zeros([2]);
  assertThrows(() => dn.add(a, b), RangeError, "Cannot broadcast in add()");
});

Deno.test("tensor() rejects a negative dimension", () => {
  assertThrows(
    () => dn.tensor([1, 2], [-1, 2]),
    RangeError,
    'argument "shape" must hold non-negative integers',
  );
});

Deno.test("zeros() rejects a fractional dimension", () => {
  assertThrows(() => dn.zeros([1.5, 2]), RangeError, 'zeros(): argument "shape"');
});

Deno.test("tensor() rejects data of the wrong length for the shape", () => {
  assertThrows(
    () => dn.tensor(new Float32Array(5), [2, 3]),
    RangeError,
    'argument "values" must have 6 elements for shape [2, 3]: got 5',
  );
});

Deno.test("tensor() rejects a ragged nested array", () => {
  assertThrows(() => dn.tensor([[1, 2], [3]]), RangeError, "regular nested array");
});

Deno.test("randomUniform() rejects a non-finite bound", () => {
  assertThrows(
    () => dn.randomUniform([2], { minval: NaN }),
    RangeError,
    '"minval" must be a finite number: got NaN',
  );
});

Deno.test("randomNormal() rejects an infinite standard deviation", () => {
  assertThrows(
    () => dn.randomNormal([2], { stdDev: Infinity }),
    RangeError,
    '"stdDev" must be a finite number: got Infinity',
  );
});

Deno.test("setSeed() rejects a non-finite seed", () => {
  assertThrows(() => dn.setSeed(NaN), RangeError, 'setSeed(): argument "seed"');
});

Deno.test("matmul() rejects a disposed tensor", () => {
  const a = dn.zeros([2, 2]);
  a.dispose();
  using b = dn.zeros([2, 2]);
  assertThrows(
    () => dn.matmul(a, b),
    TypeError,
    'argument "a" is a disposed tensor of shape [2, 2]',
  );
});

Deno.test("dataSync() on a disposed tensor throws", () => {
  const a = dn.zeros([3]);
  a.dispose();
  assertThrows(() => a.dataSync(), TypeError, "Cannot call dataSync() on a disposed tensor");
});

Deno.test("relu() rejects a non-tensor argument", () => {
  assertThrows(() => dn.relu([1, 2] as never), TypeError, 'relu(): argument "x" must be a Tensor');
});

Deno.test("sum() rejects an axis out of range", () => {
  using x = dn.zeros([2, 3]);
  assertThrows(
    () => dn.sum(x, 2),
    RangeError,
    'argument "axis" must be an integer in [-2, 2): got 2',
  );
});

Deno.test("reshape() rejects a size change", () => {
  using x = dn.zeros([2, 3]);
  assertThrows(
    () => dn.reshape(x, [4, 2]),
    RangeError,
    "must have the 6 elements of [2, 3]: got 8",
  );
});

Deno.test("transpose() rejects a permutation of the wrong length", () => {
  using x = dn.zeros([2, 3, 4]);
  assertThrows(() => dn.transpose(x, [1, 0]), RangeError, "perm");
});

Deno.test("ready() rejects an unknown backend name", async () => {
  await assertRejects(
    () => dn.ready({ backend: "cuda" as never }),
    TypeError,
    'argument "backend" must be one of',
  );
});

Deno.test("ready() says the webgpu backend is unavailable with a typed error when there is no adapter", async () => {
  // Where the runtime has an adapter (tests/backend/webgpu_test.ts runs on it), hide it.
  const gpu = globalThis.navigator?.gpu;
  if (gpu) {
    Object.defineProperty(gpu, "requestAdapter", {
      value: () => Promise.resolve(null),
      configurable: true,
    });
  }
  try {
    await assertRejects(
      () => dn.ready({ backend: "webgpu" }),
      dn.BackendUnavailableError,
      '"webgpu"',
    );
  } finally {
    if (gpu) delete (gpu as { requestAdapter?: unknown }).requestAdapter;
  }
});
