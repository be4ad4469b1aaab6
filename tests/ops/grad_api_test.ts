/**
 * Behaviour of `dn.grad`, `dn.grads`, `dn.valueAndGrad` and `dn.valueAndGrads` (TensorFlow.js's
 * API): values, zero gradients for unused inputs, `dy` seeding, typed errors (STYLE C14), nested
 * computations rejected, and memory: only the returned tensors stay alive, each owned by the
 * caller alone (disposing one never disposes an input, `dy` or another result).
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";

const values = (t: dn.Tensor) => [...t.dataSync()];

/** Runs `fn`, disposes what it returns, and checks the live tensors and bytes are as before. */
function assertNoLeak(fn: () => dn.Tensor[]): void {
  const before = dn.memory();
  const out = fn();
  assertEquals(dn.memory().numTensors, before.numTensors + out.length, "only the results live");
  for (const t of out) t.dispose();
  assertEquals(dn.memory(), before);
}

Deno.test("valueAndGrads() returns the value of f and one gradient per input", () => {
  using a = dn.tensor([1, 2, 3]);
  using b = dn.tensor([4, -5, 6]);
  const { value, grads } = dn.valueAndGrads((x, y) => dn.sum(dn.mul(x, y)))([a, b]);
  assertEquals([value.shape, values(value)], [[], [12]]);
  assertEquals(grads.map(values), [[4, -5, 6], [1, 2, 3]]);
  for (const t of [value, ...grads]) t.dispose();
});

Deno.test("valueAndGrad() and grad() return the value and the gradient of one input", () => {
  using x = dn.tensor([[1, -2], [3, 0.5]]);
  const f = (t: dn.Tensor) => dn.sum(dn.square(t));
  const { value, grad } = dn.valueAndGrad(f)(x);
  assertEquals([values(value), grad.shape, values(grad)], [[14.25], [2, 2], [2, -4, 6, 1]]);
  using g = dn.grad(f)(x);
  assertEquals(values(g), values(grad));
  value.dispose();
  grad.dispose();
});

Deno.test("grads() gives zeros of the input's shape for an input f does not use", () => {
  using a = dn.tensor([1, 2]);
  using b = dn.ones([2, 3]);
  const [ga, gb] = dn.grads((x, _y) => dn.sum(dn.mul(x, 2)))([a, b]);
  assertEquals([values(ga), gb.shape, values(gb)], [[2, 2], [2, 3], [0, 0, 0, 0, 0, 0]]);
  ga.dispose();
  gb.dispose();
  using c = dn.grad(() => dn.tensor(3))(a);
  assertEquals(values(c), [0, 0]);
});

Deno.test("grad() and grads() seed the backward pass with dy", () => {
  using x = dn.tensor([1, 2, 3]);
  using dy = dn.tensor([1, 10, 100]);
  using g = dn.grad((t) => dn.mul(t, 3))(x, dy);
  assertEquals(values(g), [3, 30, 300]);
  const { value, grads } = dn.valueAndGrads((t) => dn.square(t))([x], dy);
  assertEquals([values(value), values(grads[0])], [[1, 4, 9], [2, 40, 600]]);
  value.dispose();
  grads[0].dispose();
  using bad = dn.ones([2]);
  assertThrows(
    () => dn.grad((t) => dn.mul(t, 3))(x, bad),
    RangeError,
    'Cannot run grad(): argument "dy" must have the shape of the value [3]: got [2]',
  );
});

Deno.test("grads() and grad() reject non-tensor inputs with TypeErrors naming the argument", () => {
  using x = dn.tensor([1]);
  const f = (t: dn.Tensor) => dn.sum(t);
  assertThrows(
    () => dn.grads(f)(x as never),
    TypeError,
    'Cannot run grads(): argument "xs" must be an array of tensors: got object',
  );
  assertThrows(
    () => dn.grads(f)([[1]] as never),
    TypeError,
    'Cannot run grads(): argument "xs[0]" must be a Tensor: got [1]',
  );
  assertThrows(
    () => dn.valueAndGrads(f)([x, 2] as never),
    TypeError,
    'Cannot run valueAndGrads(): argument "xs[1]" must be a Tensor: got 2',
  );
  assertThrows(
    () => dn.grad(f)(3 as never),
    TypeError,
    'Cannot run grad(): argument "x" must be a Tensor: got 3',
  );
  assertThrows(
    () => dn.valueAndGrad(f)(null as never),
    TypeError,
    'Cannot run valueAndGrad(): argument "x" must be a Tensor: got null',
  );
  assertThrows(
    () => dn.grad(f)(x, [1] as never),
    TypeError,
    'Cannot run grad(): argument "dy" must be a Tensor: got [1]',
  );
  const gone = dn.tensor([1]);
  gone.dispose();
  assertThrows(() => dn.grad(f)(gone), TypeError, 'argument "x" is a disposed tensor');
  assertThrows(
    () => dn.grad(() => 3 as never)(x),
    TypeError,
    'Cannot run grad(): argument "f" must return a Tensor: got number',
  );
});

Deno.test("grads() rejects a gradient nested in another, and works again afterwards", () => {
  using x = dn.tensor([1, 2]);
  const before = dn.memory();
  assertThrows(
    () => dn.grad((t) => dn.sum(dn.mul(t, dn.grad((u) => dn.sum(dn.square(u)))(t))))(x),
    TypeError,
    "Cannot run grad(): gradients cannot be nested in another gradient computation",
  );
  assertEquals(dn.memory(), before, "the failed computation leaked no tensor");
  using g = dn.grad((t) => dn.sum(dn.square(t)))(x);
  assertEquals(values(g), [2, 4]);
});

Deno.test("grads() leaves only the returned gradients alive", () => {
  using x = dn.tensor([[0.5, -1, 2], [1, 0.25, -3]]);
  using w = dn.tensor([[1, 2], [3, 4], [5, 6]]);
  using b = dn.tensor([0.1, -0.2]);
  const f = (x: dn.Tensor, w: dn.Tensor, b: dn.Tensor) =>
    dn.mean(dn.logSoftmax(dn.matmul(dn.reshape(x, [2, 3]), w, { bias: b, activation: "relu" })));
  assertNoLeak(() => dn.grads(f)([x, w, b]));
  assertNoLeak(() => {
    const { value, grads } = dn.valueAndGrads(f)([x, w, b]);
    return [value, ...grads];
  });
  using dy = dn.tensor([[1, 2], [3, 4]]);
  const g = (t: dn.Tensor) =>
    dn.max(dn.add(dn.matmul(t, t, { transposeB: true }), 1), 1, {
      keepDims: true,
    });
  using dyCol = dn.tensor([[1], [2]]);
  assertNoLeak(() => [dn.grad(g)(x, dyCol)]);
  assertNoLeak(() => {
    const { value, grad } = dn.valueAndGrad((t) => dn.sub(2, dn.div(t, 4)))(dy, dy);
    return [value, grad];
  });
});

Deno.test("grads() leaks nothing when f throws", () => {
  using x = dn.tensor([1, 2]);
  using dy = dn.ones([3]);
  const before = dn.memory();
  assertThrows(
    () => dn.grad((t) => dn.add(dn.exp(dn.square(t)), dn.zeros([3])))(x),
    RangeError,
    "Cannot broadcast in add()",
  );
  assertEquals(dn.memory(), before);
  assertThrows(() => dn.grad((t) => dn.exp(t))(x, dy), RangeError, 'argument "dy"');
  assertEquals(dn.memory(), before);
});

Deno.test("grad() of a function returning its input or a captured tensor disposes neither", () => {
  using x = dn.tensor([1, 2]);
  using c = dn.tensor([5, 6]);
  using g = dn.grad((t) => t)(x);
  assertEquals([x.isDisposed, values(g)], [false, [1, 1]]);
  using h = dn.grad((_t) => c)(x);
  assertEquals([c.isDisposed, values(h)], [false, [0, 0]]);
  const { value, grad } = dn.valueAndGrad((t) => t)(x);
  value.dispose();
  grad.dispose();
  assertEquals(values(x), [1, 2]);
});

Deno.test("grads() returns tensors the caller can dispose independently", () => {
  using a = dn.tensor([1, 2]);
  using b = dn.tensor([3, 4]);
  const before = dn.memory().numTensors;
  const [ga, gb] = dn.grads((x, y) => dn.add(x, y))([a, b]);
  assert(ga !== gb, "one tensor per input");
  assertEquals(dn.memory().numTensors, before + 2);
  ga.dispose();
  assertEquals([gb.isDisposed, values(gb)], [false, [1, 1]]);
  gb.dispose();
  using dy = dn.tensor([7, 8]);
  const g = dn.grad((x) => dn.add(x, 1))(a, dy);
  assert(g !== dy, "the gradient is not the seed itself");
  g.dispose();
  assertEquals([dy.isDisposed, values(dy)], [false, [7, 8]]);
});

Deno.test("argMax() and equal() pass no gradient", () => {
  using x = dn.tensor([[1, 3], [4, 2]]);
  using g = dn.grad((t) =>
    dn.add(dn.sum(dn.argMax(t, 1)), dn.sum(dn.cast(dn.equal(t, 3), "float32")))
  )(x);
  assertEquals(values(g), [0, 0, 0, 0]);
});
