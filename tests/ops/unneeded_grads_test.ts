/**
 * Backward functions skip the gradients nobody asked for (`needs` in src/autograd/tape.ts): a
 * model's data gets no gradient, so the first layer's input gradient (conv2d's dx, a dense layer's
 * dX, an LSTM's dx) is never computed. Counted on the backend's primitives; the gradients that are
 * asked for keep their values.
 */
import * as dn from "../../mod.ts";
import { activeBackend } from "../../src/backend/select.ts";
import { lstm } from "../../src/ops/recurrent.ts";
import { assertEquals } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { randomF32 } from "../_util/rng.ts";

await dn.ready({ backend: "wasm" });

const rand = (shape: number[], seed: number) =>
  dn.tensor(Float32Array.from(randomF32(shape.reduce((a, b) => a * b), seed)), shape);

/** Runs `fn` and counts the calls of backend method `name` it makes. */
function countCalls(name: string, fn: () => void): number {
  const be = activeBackend() as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = be[name];
  let calls = 0;
  be[name] = function (this: unknown, ...args: unknown[]) {
    calls++;
    return original.apply(this, args);
  };
  try {
    fn();
  } finally {
    delete be[name];
  }
  return calls;
}

/** The gradients of `f` at `xs`, disposed values; only `grads` returned. */
function gradsOf(f: (...t: dn.Tensor[]) => dn.Tensor, xs: dn.Tensor[]): Float32Array[] {
  const { value, grads } = dn.valueAndGrads(f)(xs);
  value.dispose();
  return grads.map((g) => {
    const v = g.dataSync().slice();
    g.dispose();
    return v;
  });
}

Deno.test("conv2d() computes dx only when the gradient of x is asked for", () => {
  using x = rand([2, 7, 7, 3], 1);
  using w = rand([3, 3, 3, 4], 2);
  const f = (xx: dn.Tensor, ww: dn.Tensor) => dn.sum(dn.square(dn.conv2d(xx, ww)));
  let both: Float32Array[] = [], onlyW: Float32Array[] = [];
  assertEquals(countCalls("conv2dBackwardData", () => (both = gradsOf(f, [x, w]))), 1);
  assertEquals(
    countCalls("conv2dBackwardData", () => (onlyW = gradsOf((ww) => f(x, ww), [w]))),
    0,
  );
  assertClose(onlyW[0], both[1], Tol.exact, "dw is unchanged");
});

Deno.test("matmul() computes only the operand gradients asked for", () => {
  using a = rand([5, 6], 3);
  using b = rand([6, 4], 4);
  using bias = rand([4], 5);
  const f = (aa: dn.Tensor, bb: dn.Tensor) =>
    dn.sum(dn.square(dn.matmul(aa, bb, { bias, activation: "tanh" })));
  let both: Float32Array[] = [], onlyB: Float32Array[] = [];
  // Forward 1 GEMM; backward 1 per operand asked for.
  assertEquals(countCalls("gemm", () => (both = gradsOf(f, [a, b]))), 3);
  assertEquals(countCalls("gemm", () => (onlyB = gradsOf((bb) => f(a, bb), [b]))), 2);
  assertClose(onlyB[0], both[1], Tol.exact, "db is unchanged");
});

Deno.test("lstm() skips the input-gradient GEMM when x needs no gradient", () => {
  using x = rand([2, 5, 3], 6);
  using k = rand([3, 8], 7);
  using r = rand([2, 8], 8);
  const f = (xx: dn.Tensor, kk: dn.Tensor, rr: dn.Tensor) =>
    dn.sum(dn.square(lstm(xx, kk, rr, { returnSequences: true }).output));
  let all: Float32Array[] = [], weights: Float32Array[] = [];
  const withX = countCalls("gemm", () => (all = gradsOf(f, [x, k, r])));
  const withoutX = countCalls("gemm", () => (weights = gradsOf((kk, rr) => f(x, kk, rr), [k, r])));
  assertEquals(withX - withoutX, 1);
  assertClose(weights[0], all[1], Tol.exact, "dKernel is unchanged");
  assertClose(weights[1], all[2], Tol.exact, "dRecurrentKernel is unchanged");
});

Deno.test("training a model never computes the first layer's input gradient", () => {
  dn.setSeed(3);
  const model = dn.sequential([
    dn.layers.conv2d({ filters: 2, kernelSize: 3, activation: "relu", inputShape: [6, 6, 1] }),
    dn.layers.conv2d({ filters: 2, kernelSize: 3 }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 3, activation: "softmax" }),
  ]);
  model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
  using x = rand([4, 6, 6, 1], 9);
  using y = dn.tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]);
  // Two conv layers: only the second one's dx (its input is the first layer's output) is needed.
  assertEquals(countCalls("conv2dBackwardData", () => void model.trainOnBatch(x, y)), 1);
});
